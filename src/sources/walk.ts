/**
 * How inputs are walked, shared by the scanner and `fix`: directories recursively for .yaml,
 * .yml and .json files (hidden entries and node_modules skipped, names sorted), while a
 * directory holding a kustomization or a Chart.yaml is one rendered input, not walked.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const MANIFEST_EXT = /\.(ya?ml|json)$/i;
export const KUSTOMIZATION = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export type WalkItem =
  | { kind: 'file'; display: string; path: string }
  | { kind: 'kustomize'; display: string; path: string; kustomization: string }
  | { kind: 'helm'; display: string; path: string }
  /** A directory whose entries were listed (its files follow). */
  | { kind: 'directory'; display: string; path: string }
  | { kind: 'unreadable'; display: string; message: string };

export function* walkDirectory(display: string, path: string): Generator<WalkItem> {
  const kustomization = KUSTOMIZATION.find((k) => existsSync(join(path, k)));
  if (kustomization) {
    yield { kind: 'kustomize', display, path, kustomization };
    return;
  }
  if (existsSync(join(path, 'Chart.yaml'))) {
    yield { kind: 'helm', display, path };
    return;
  }
  let entries;
  try {
    entries = readdirSync(path, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (e) {
    yield { kind: 'unreadable', display, message: `cannot read directory: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
    return;
  }
  yield { kind: 'directory', display, path };
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const childPath = join(path, e.name);
    const childDisplay = join(display, e.name);
    if (e.isDirectory()) yield* walkDirectory(childDisplay, childPath);
    else if ((e.isFile() || e.isSymbolicLink()) && MANIFEST_EXT.test(e.name)) yield { kind: 'file', display: childDisplay, path: childPath };
  }
}
