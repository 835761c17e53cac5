import type { Reporter } from './types.js';

export const json: Reporter = ({ doc }) => `${JSON.stringify(doc, null, 2)}\n`;

/** One result per line, then one line with the ladder and the counts. */
export const jsonl: Reporter = ({ doc }) => {
  const lines = doc.results.map((r) => JSON.stringify(r));
  lines.push(JSON.stringify({ apiVersion: doc.apiVersion, kind: 'Summary', ladder: doc.ladder, summary: doc.summary, problems: doc.problems, notes: doc.notes }));
  return `${lines.join('\n')}\n`;
};
