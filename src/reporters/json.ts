import { randomUUID } from 'node:crypto';
import type { Reporter } from './types.js';

const BATCH = 2000;
const BATCH_HEAD = '{\n  "results": [\n';
const BATCH_TAIL = '\n  ]\n}';

/**
 * The document as `JSON.stringify(doc, null, 2)` writes it, in pieces: the results in batches,
 * so that no single string holds them all.
 */
export const json: Reporter = function* ({ doc }) {
  // A placeholder no message can contain by chance, replaced by the streamed array.
  const hole = `\u0000${randomUUID()}\u0000`;
  const text = JSON.stringify({ ...doc, results: hole }, null, 2);
  const at = text.indexOf(JSON.stringify(hole));
  const head = text.slice(0, at);
  const tail = text.slice(at + JSON.stringify(hole).length);
  yield head;
  if (doc.results.length === 0) yield '[]';
  else {
    // Batches stringified as `{"results": [...]}` come out already indented for their place.
    yield '[\n';
    for (let i = 0; i < doc.results.length; i += BATCH) {
      const text = JSON.stringify({ results: doc.results.slice(i, i + BATCH) }, null, 2);
      yield `${i === 0 ? '' : ',\n'}${text.slice(BATCH_HEAD.length, -BATCH_TAIL.length)}`;
    }
    yield '\n  ]';
  }
  yield `${tail}\n`;
};

/** One result per line, then one line with the ladder and the counts. */
export const jsonl: Reporter = function* ({ doc }) {
  for (const r of doc.results) yield `${JSON.stringify(r)}\n`;
  yield `${JSON.stringify({ apiVersion: doc.apiVersion, kind: 'Summary', ladder: doc.ladder, summary: doc.summary, problems: doc.problems, notes: doc.notes })}\n`;
};
