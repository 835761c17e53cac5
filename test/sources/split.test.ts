import { describe, expect, it } from 'vitest';
import { DocumentSplitter, type SplitDocument } from '../../src/sources/split.js';

function split(text: string, chunk = text.length || 1, max = 1 << 20): SplitDocument[] {
  const s = new DocumentSplitter(max);
  const out: SplitDocument[] = [];
  for (let i = 0; i < text.length; i += chunk) out.push(...s.push(text.slice(i, i + chunk)));
  out.push(...s.end());
  return out;
}

const STREAM = '\uFEFF# header\n---\na: 1\n---   # second\nb: 2\n...\n--- |\n  text\n---\n\n# only a comment\n---\nc: |\n  ---not-a-marker\n  x\n';

describe('DocumentSplitter', () => {
  it('splits on markers at line start and keeps each document\'s first line', () => {
    const docs = split(STREAM);
    expect(docs.map((d) => [d.startLine, d.text.trim()])).toEqual([
      [3, 'a: 1'],
      [5, 'b: 2'],
      [7, '|\n  text'],
      [13, 'c: |\n  ---not-a-marker\n  x'],
    ]);
  });

  it('gives the same documents whatever the chunk size', () => {
    const whole = split(STREAM);
    for (const n of [1, 2, 3, 7, 64]) expect(split(STREAM, n)).toEqual(whole);
  });

  it('reads a stream without a trailing newline or any marker', () => {
    expect(split('kind: Pod')).toEqual([{ text: 'kind: Pod\n', startLine: 1 }]);
  });

  it('skips an oversized document without holding it, and goes on', () => {
    const big = `a: ${'x'.repeat(5000)}\n`;
    const docs = split(`kind: A\n---\n${big}${big}---\nkind: B\n`, 1000, 4096);
    expect(docs).toEqual([
      { text: 'kind: A\n', startLine: 1 },
      { text: '', startLine: 3, tooLarge: true },
      { text: 'kind: B\n', startLine: 6 },
    ]);
  });

  it('drops one endless line rather than holding it', () => {
    const docs = split(`${'y'.repeat(100_000)}\n---\nkind: B\n`, 1000, 4096);
    expect(docs[0]).toMatchObject({ tooLarge: true, startLine: 1 });
    expect(docs[1]).toEqual({ text: 'kind: B\n', startLine: 3 });
  });
});
