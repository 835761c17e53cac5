/** Runs fix's machinery on strings, without files. */
import { diffLines } from 'diff';
import { expect } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { applyEdits, Planner, type Change } from '../../src/fix/edit.js';
import { runFixes, selectFixes, type ObjectReport } from '../../src/fix/index.js';
import { PARSE_OPTIONS, parseFixFile } from '../../src/fix/source.js';

/** Applies changes to one document of a text (the first by default). */
export function edit(text: string, changes: Change[], docIndex = 0): string {
  const docs = parseAllDocuments(text, PARSE_OPTIONS);
  const planner = new Planner(text, [...docs][docIndex]!);
  for (const c of changes) planner.add(c);
  return applyEdits(text, planner.edits());
}

/** Runs the fixes (default ones, plus `include`) on texts as one input; returns the new texts and the report. */
export function fix(texts: string | Record<string, string>, include: string[] = [], exclude: string[] = []): { out: Record<string, string>; text: string; objects: ObjectReport[] } {
  const inputs = typeof texts === 'string' ? { 'in.yaml': texts } : texts;
  const files = Object.entries(inputs).map(([name, text]) => {
    const parsed = parseFixFile({ display: name, path: name }, text, 'default');
    if (parsed.problem) throw new Error(`${parsed.problem.file}:${parsed.problem.line}: ${parsed.problem.message}`);
    return parsed.file!;
  });
  const run = runFixes(files, selectFixes(include, exclude));
  for (const f of run.files) if (f.error) throw new Error(`${f.file.input.display}: ${f.error}`);
  const out = Object.fromEntries(run.files.map((f) => [f.file.input.display, f.text]));
  return { out, text: Object.values(out)[0]!, objects: run.objects };
}

/** The lines removed and added from `before` to `after` (line endings kept). */
export function lineChanges(before: string, after: string): { removed: string[]; added: string[] } {
  const removed: string[] = [];
  const added: string[] = [];
  for (const part of diffLines(before, after)) {
    const lines = part.value.split(/(?<=\n)/);
    if (part.removed) removed.push(...lines);
    if (part.added) added.push(...lines);
  }
  return { removed, added };
}

/**
 * Every line of `before` is in `after`, byte for byte and in order, except the `replaced` ones
 * (lines whose value token changed) and a last line without a newline, which may gain one when
 * lines go after it. Returns the lines added (inserted, and the new versions of replaced ones).
 */
export function expectOnlyInserted(before: string, after: string, replaced: string[] = []): string[] {
  const { removed, added } = lineChanges(before, after);
  const addedLeft = [...added];
  const unexpected: string[] = [];
  for (const r of removed) {
    if (!r.endsWith('\n')) {
      const i = addedLeft.findIndex((a) => a.replace(/\r?\n$/, '') === r);
      if (i >= 0) {
        addedLeft.splice(i, 1);
        continue;
      }
    }
    if (!replaced.includes(r.replace(/\r?\n$/, ''))) unexpected.push(r);
  }
  expect(unexpected, 'lines changed that should be byte-identical').toEqual([]);
  return addedLeft;
}

/** Every object's outcomes as `fix status: detail` lines. */
export function outcomes(objects: ObjectReport[], display?: string): string[] {
  return objects.filter((o) => display === undefined || o.display === display).flatMap((o) => o.outcomes.map((x) => `${x.fix} ${x.status}: ${x.detail}`));
}
