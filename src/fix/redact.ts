/**
 * fix never edits Secrets, but a diff's context lines can show a Secret's lines next to an edit.
 * Before diffing, the values of every Secret's data, stringData and annotations (the
 * last-applied-configuration annotation holds the data too) are replaced by `<redacted>`, the
 * same way in the old and the new text, line for line (the text keeps its line count).
 */
import { isMap, isScalar, isSeq, parseAllDocuments, type Node, type YAMLMap } from 'yaml';
import { PARSE_OPTIONS } from './source.js';

export const REDACTED = '<redacted>';

export function redactSecrets(text: string): string {
  if (!/Secret/.test(text)) return text;
  const ranges: Array<[number, number]> = [];
  for (const doc of parseAllDocuments(text, PARSE_OPTIONS)) {
    if (doc.errors.length) continue;
    collect(doc.contents as Node | null, ranges);
  }
  ranges.sort((a, b) => b[0] - a[0]);
  let out = text;
  for (const [s, e] of ranges) out = out.slice(0, s) + mask(out.slice(s, e)) + out.slice(e);
  return out;
}

/** `<redacted>` on each line a value spans (indentation and line breaks kept: the text keeps its lines). */
function mask(value: string): string {
  return value
    .split('\n')
    .map((line, i, all) => {
      if (i === all.length - 1 && line === '') return '';
      const cr = line.endsWith('\r') ? '\r' : '';
      return `${i === 0 ? '' : (/^[ \t]*/.exec(line)?.[0] ?? '')}${REDACTED}${cr}`;
    })
    .join('\n');
}

function get(map: YAMLMap, key: string): unknown {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key)?.value;
}

function collect(node: Node | null, out: Array<[number, number]>, listKind?: string): void {
  if (!isMap(node)) return;
  const kind = get(node, 'kind');
  const k = isScalar(kind) ? kind.value : listKind;
  if (typeof k === 'string' && k.endsWith('List')) {
    const items = get(node, 'items');
    if (isSeq(items)) for (const it of items.items) collect(it as Node, out, k === 'List' ? undefined : k.slice(0, -4));
    return;
  }
  if (k !== 'Secret') return;
  const meta = get(node, 'metadata');
  const fields = [get(node, 'data'), get(node, 'stringData'), isMap(meta) ? get(meta, 'annotations') : undefined];
  for (const f of fields) {
    if (isMap(f) && !f.flow) {
      for (const p of f.items) {
        const v = p.value as Node | null;
        if (v?.range && v.range[1] > v.range[0]) out.push([v.range[0], v.range[1]]);
      }
    } else if (f && (f as Node).range) {
      const r = (f as Node).range!;
      if (r[1] > r[0]) out.push([r[0], r[1]]);
    }
  }
}
