/** Subjects for findings about things the input may only imply. */
import type { Evaluation } from './check.js';
import type { NamespaceInfo } from './inventory.js';

/** The Namespace object, or a reference to one that objects use but the input does not define. */
export function namespaceSubject(ns: NamespaceInfo): Evaluation['subject'] {
  return ns.resource ?? { ref: { apiVersion: 'v1', kind: 'Namespace', name: ns.name }, note: 'no Namespace object in the input; assumed to exist without labels' };
}
