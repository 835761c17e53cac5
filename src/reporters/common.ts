/** What several reporters say alike: a result's subject and place, and a check's documentation. */
import type { ResultsDocument } from '../core/results.js';
import type { Reference, Result } from '../core/types.js';
import { anchor } from '../docs/catalogue.js';
import { subjectOf } from './text.js';
import type { ReportContext } from './types.js';

/** Where kubeladder documents itself; SARIF viewers link rules without a reference URL here. */
export const PROJECT_URL = 'https://github.com/kubeladder/kubeladder';

/** A check's documentation, from the catalogue when this build knows the check, else from the results document. */
export interface CheckDoc {
  id: string;
  title: string;
  rationale?: string;
  remediation?: string;
  references: readonly Reference[];
}

export function checkDoc(ctx: ReportContext, id: string): CheckDoc {
  const known = ctx.catalogue.get(id);
  if (known) return { id, title: known.title, rationale: known.rationale, remediation: known.remediation, references: known.references };
  return { id, title: ctx.doc.checks.find((c) => c.id === id)?.title ?? id, references: [] };
}

/** The subject as `Kind/namespace/name` (objects) or its natural name (hosts, endpoints, images, events). */
export function subjectName(r: Result): string {
  if (r.object) return [r.object.kind, r.object.namespace, r.object.name].filter((s) => s !== undefined).join('/');
  return subjectOf(r);
}

/** `file:line`, `file`, or empty. */
export function placeOf(r: Result): string {
  if (!r.file) return '';
  return r.line ? `${r.file}:${r.line}` : r.file;
}

/** The docs/checks.md anchor of a check, as GitHub derives it from the `## id` heading. */
export function docsUrl(id: string): string {
  return `${PROJECT_URL}/blob/main/docs/checks.md#${anchor(id)}`;
}

/** Only web links are rendered as links: a `javascript:` URL in a merged document must stay text. */
export function isWebUrl(url: string | undefined): url is string {
  return url !== undefined && /^https?:\/\//i.test(url);
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The heading line every document-style report opens with. */
export function scanLine(doc: ResultsDocument): string {
  return `${plural(doc.inputs.objects, 'object')} from ${plural(doc.inputs.files, 'input')}`;
}
