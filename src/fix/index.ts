/**
 * `kubeladder fix`: the registry of fixes and the run that applies them to parsed files.
 *
 * Fixes plan text edits (src/fix/edit.ts) and change the objects' data as they go, so later
 * fixes, and the Pod Security levels `psa-labels` computes, see the objects as they will be
 * written. Each rewritten file is parsed again and must read as exactly the data planned, or it
 * is not written.
 */
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { UsageError } from '../core/errors.js';
import { Inventory } from '../core/inventory.js';
import { parsePath } from '../core/path.js';
import { isWindowsPod, podSpecOf } from '../engines/workloads/pod-specs.js';
import { applyEdits, type TextEdit } from './edit.js';
import { dropCapabilities } from './fixes/drop-capabilities.js';
import { noPrivilegeEscalation } from './fixes/no-privilege-escalation.js';
import { noTokenAutomount } from './fixes/no-token-automount.js';
import { psaLabels } from './fixes/psa-labels.js';
import { readonlyRootfs } from './fixes/readonly-rootfs.js';
import { runAsNonRoot } from './fixes/run-as-non-root.js';
import { seccompRuntimeDefault } from './fixes/seccomp-runtime-default.js';
import { ObjectPatch, type Outcome } from './patch.js';
import { PARSE_OPTIONS, type FixFile, type FixObject } from './source.js';
import type { Fix, NamespaceFix, NamespaceTarget, PodFix } from './types.js';

export type { Fix } from './types.js';

/** Every fix, in the order they run: the default ones, the opt-in ones, then the namespace labels. */
export const FIXES: readonly Fix[] = [noPrivilegeEscalation, seccompRuntimeDefault, dropCapabilities, runAsNonRoot, noTokenAutomount, readonlyRootfs, psaLabels];

export const DEFAULT_FIXES = FIXES.filter((f) => !f.optIn).map((f) => f.name);
export const OPT_IN_FIXES = FIXES.filter((f) => f.optIn).map((f) => f.name);

function names(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
}

/**
 * The fixes to run: the default ones, plus the opt-in ones `--include` names (`all` for every
 * one), minus those `--exclude` names. Unknown names are usage errors.
 */
export function selectFixes(include?: readonly string[], exclude?: readonly string[]): Fix[] {
  const inc = new Set<string>();
  for (const n of names(include)) {
    if (n === 'all') OPT_IN_FIXES.forEach((f) => inc.add(f));
    else if (OPT_IN_FIXES.includes(n)) inc.add(n);
    else if (DEFAULT_FIXES.includes(n)) continue;
    else throw new UsageError(`--include: unknown fix "${n}" (valid: ${[...OPT_IN_FIXES, 'all'].join(', ')})`);
  }
  const exc = new Set<string>();
  for (const n of names(exclude)) {
    if (!FIXES.some((f) => f.name === n)) throw new UsageError(`--exclude: unknown fix "${n}" (valid: ${FIXES.map((f) => f.name).join(', ')})`);
    exc.add(n);
  }
  return FIXES.filter((f) => (!f.optIn || inc.has(f.name)) && !exc.has(f.name));
}

export interface ObjectReport {
  file: string;
  line: number;
  /** `Deployment shop/api`. */
  display: string;
  outcomes: Outcome[];
}

export interface FixedFile {
  file: FixFile;
  /** The file's new text (the old one when nothing changed or on error). */
  text: string;
  changed: boolean;
  /** Why the file is left as it was although fixes applied to it. */
  error?: string;
  /** The edits from the old text to the new. */
  edits: TextEdit[];
}

export interface FixRun {
  files: FixedFile[];
  /** Objects something was applied to or skipped on, in input order. */
  objects: ObjectReport[];
}

/**
 * Applies the fixes to the parsed files: new texts and what was done, nothing written. `unread`
 * names inputs that could not be read (psa-labels cannot see their workloads).
 */
export function runFixes(files: readonly FixFile[], fixes: readonly Fix[], unread: readonly string[] = []): FixRun {
  const inventory = new Inventory(['manifests']);
  for (const f of files) for (const o of f.objects) inventory.add(o.resource);
  const patches = new Map<FixObject, ObjectPatch>();
  const podFixes = fixes.filter((f): f is PodFix => f.scope === 'pod');
  const namespaceFixes = fixes.filter((f): f is NamespaceFix => f.scope === 'namespace');
  const namespaces: NamespaceTarget[] = [];
  for (const f of files) {
    for (const o of f.objects) {
      const patch = new ObjectPatch(o);
      patches.set(o, patch);
      if (o.resource.kind === 'Namespace' && o.resource.group === '') {
        namespaces.push({ resource: o.resource, patch });
        continue;
      }
      const pod = podSpecOf(o.resource);
      if (!pod) continue;
      const target = { resource: o.resource, patch, pod, podPath: parsePath(pod.path), windows: isWindowsPod(pod) };
      for (const fix of podFixes) patch.attempt(fix.name, () => fix.apply(target));
    }
  }
  for (const fix of namespaceFixes) {
    for (const t of namespaces) t.patch.attempt(fix.name, () => fix.apply([t], inventory, unread));
  }
  const objects: ObjectReport[] = [];
  for (const f of files) {
    for (const o of f.objects) {
      const outcomes = patches.get(o)?.outcomes ?? [];
      if (outcomes.length) objects.push({ file: f.input.display, line: o.line, display: o.resource.display, outcomes });
    }
  }
  return { files: files.map(rewrite), objects };
}

function rewrite(file: FixFile): FixedFile {
  const edits = file.documents.flatMap((d) => d.planner.edits());
  if (edits.length === 0) return { file, text: file.text, changed: false, edits };
  let text: string;
  try {
    text = applyEdits(file.text, edits);
  } catch (e) {
    return { file, text: file.text, changed: false, edits: [], error: `internal error planning the edits (${(e as Error).message}); file left unchanged` };
  }
  const problem = verify(text, file);
  if (problem) return { file, text: file.text, changed: false, edits: [], error: `internal error: the edited text ${problem}; file left unchanged` };
  return { file, text, changed: text !== file.text, edits };
}

/** The edited text must parse to exactly the data the fixes planned. */
function verify(text: string, file: FixFile): string | undefined {
  const docs = [...parseAllDocuments(text, PARSE_OPTIONS)].filter((d) => d.contents !== null);
  if (docs.some((d) => d.errors.length > 0)) return 'does not parse';
  if (docs.length !== file.documents.length) return 'has a different number of documents';
  for (let i = 0; i < docs.length; i++) {
    if (!isDeepStrictEqual(docs[i]!.toJS({ maxAliasCount: 100 }), file.documents[i]!.value)) return `reads differently than planned (document ${i + 1})`;
  }
  return undefined;
}
