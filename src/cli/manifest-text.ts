/**
 * What the manifest generators (`generate in-cluster`, `generate webhook`) share: they write
 * reviewed, commented YAML as lines of text, so these are the small pieces of that text and the
 * checks of the flags every one of them takes.
 */
import { UsageError } from '../core/errors.js';
import { parseImage, type ImageReference } from '../engines/images/reference.js';

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** A YAML flow sequence of plain words (`""` for the empty one). */
export const flow = (xs: readonly string[]): string => `[${xs.map((x) => (x === '' ? '""' : x)).join(', ')}]`;

/** One YAML document from its lines. */
export const doc = (lines: readonly string[]): string => `${lines.join('\n')}\n`;

/** `key: value` lines, indented. */
export const indented = (lines: readonly string[], indent: number): string[] => lines.map((l) => `${' '.repeat(indent)}${l}`);

/** The head of an object: apiVersion, kind, name, namespace and labels (`key: value` lines). */
export function objectHead(apiVersion: string, kind: string, name: string, namespace: string | undefined, labels: readonly string[]): string[] {
  return [`apiVersion: ${apiVersion}`, `kind: ${kind}`, 'metadata:', `  name: ${name}`, ...(namespace ? [`  namespace: ${namespace}`] : []), '  labels:', ...indented(labels, 4)];
}

export function parseNamespaceOption(ns: string): string {
  if (!DNS_LABEL.test(ns)) throw new UsageError(`--namespace: "${ns}" is not a namespace name (lower-case letters, digits and -, at most 63)`);
  return ns;
}

/** An --image value: pinned by a tag other than latest, or by a digest. */
export function parsePinnedImage(image: string): ImageReference {
  const ref = parseImage(image);
  if (!ref.repository || /\s/.test(image) || (!ref.digest && (!ref.tag || ref.tag === 'latest'))) {
    throw new UsageError(`--image: "${image}" must be pinned by a tag other than latest, or a digest (registry/name:1.2.3)`);
  }
  return ref;
}
