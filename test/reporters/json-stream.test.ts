/** The json and jsonl reports come in pieces (no one string holds a huge scan) that join to the usual text. */
import { describe, expect, it } from 'vitest';
import { json, jsonl } from '../../src/reporters/json.js';
import { renderedText } from '../../src/reporters/types.js';
import { ctxOf, mixedDoc } from './helpers.js';

describe('json in pieces', () => {
  it('joins to exactly JSON.stringify(doc, null, 2), with the results in pieces of their own', async () => {
    const doc = await mixedDoc();
    expect(doc.results.length).toBeGreaterThan(2);
    const pieces = [...(json(ctxOf(doc)) as Iterable<string>)];
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.join('')).toBe(`${JSON.stringify(doc, null, 2)}\n`);
    // More results than one batch holds.
    const many = { ...doc, results: Array.from({ length: 4500 }, (_, i) => ({ ...doc.results[i % doc.results.length]!, line: i })) };
    expect(renderedText(json(ctxOf(many)))).toBe(`${JSON.stringify(many, null, 2)}\n`);
  });

  it('writes an empty results array as [] and survives messages that look like its placeholder', async () => {
    const doc = await mixedDoc();
    expect(renderedText(json(ctxOf({ ...doc, results: [] })))).toBe(`${JSON.stringify({ ...doc, results: [] }, null, 2)}\n`);
    const odd = { ...doc, notes: ['\u0000results\u0000', '"\\u0000"'], results: doc.results.map((r) => ({ ...r, message: `${r.message} \u0000x\u0000` })) };
    expect(renderedText(json(ctxOf(odd)))).toBe(`${JSON.stringify(odd, null, 2)}\n`);
  });

  it('jsonl: one line per result, then the summary line', async () => {
    const doc = await mixedDoc();
    const lines = renderedText(jsonl(ctxOf(doc))).trimEnd().split('\n');
    expect(lines).toHaveLength(doc.results.length + 1);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ kind: 'Summary', summary: doc.summary });
  });
});
