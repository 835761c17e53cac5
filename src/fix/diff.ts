/**
 * The unified diff `fix --dry-run` prints: jsdiff's, with Secrets redacted. jsdiff's Myers diff
 * takes time in the file's length times the lines changed, so a large file is diffed region by
 * region instead: the lines around each cluster of edits (edits close enough to share a hunk),
 * which gives the hunks a diff of the whole file gives, in time that grows with the edits.
 */
import { createTwoFilesPatch, FILE_HEADERS_ONLY, formatPatch, structuredPatch, type StructuredPatchHunk } from 'diff';
import type { TextEdit } from './edit.js';
import { redactSecrets } from './redact.js';

/** Lines of context, as git diff shows. */
const CONTEXT = 3;
/** Unchanged lines diffed around a cluster: more than the context, so hunks are never cut short. */
const MARGIN = 2 * CONTEXT;
/** Files up to this many lines are diffed whole. */
export const WHOLE_FILE_LINES = 2000;

function splitLines(text: string): string[] {
  return text.split(/(?<=\n)/);
}

function newlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * A git-style unified diff (`--- a/NAME`, `+++ b/NAME`). `edits` turned `before` into `after`
 * (non-overlapping, in any order); without them, or for a small file, the whole file is diffed.
 */
export function unifiedDiff(name: string, before: string, after: string, edits?: readonly TextEdit[], wholeFileLines = WHOLE_FILE_LINES): string {
  const file = name.replace(/^\/+/, '');
  const oldName = `a/${file}`;
  const newName = `b/${file}`;
  // Redaction keeps every line where it is, so line numbers found on the texts hold for it.
  const oldText = redactSecrets(before);
  const newText = redactSecrets(after);
  const oldLines = splitLines(oldText);
  if (!edits || edits.length === 0 || oldLines.length <= wholeFileLines) {
    return createTwoFilesPatch(oldName, newName, oldText, newText, undefined, undefined, { context: CONTEXT, headerOptions: FILE_HEADERS_ONLY });
  }
  const newLines = splitLines(newText);

  const lineStarts: number[] = [0];
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  // Each edit as old lines [first, last] and the lines it adds; clusters of edits whose regions would meet.
  const spans = [...edits]
    .sort((a, b) => a.start - b.start)
    .map((e) => ({ first: lineOf(e.start), last: lineOf(e.end), delta: newlines(e.text) - newlines(before.slice(e.start, e.end)) }));
  const clusters: Array<{ first: number; last: number; delta: number }> = [];
  for (const s of spans) {
    const c = clusters[clusters.length - 1];
    if (c && s.first - c.last <= 2 * MARGIN + 1) {
      c.last = Math.max(c.last, s.last);
      c.delta += s.delta;
    } else clusters.push({ ...s });
  }

  const hunks: StructuredPatchHunk[] = [];
  let shift = 0;
  for (const c of clusters) {
    const from = Math.max(0, c.first - MARGIN);
    const to = Math.min(oldLines.length, c.last + MARGIN + 1);
    const a = oldLines.slice(from, to).join('');
    const b = newLines.slice(from + shift, to + shift + c.delta).join('');
    for (const h of structuredPatch(oldName, newName, a, b, undefined, undefined, { context: CONTEXT }).hunks) {
      hunks.push({ ...h, oldStart: h.oldStart + from, newStart: h.newStart + from + shift });
    }
    shift += c.delta;
  }
  return formatPatch({ oldFileName: oldName, newFileName: newName, oldHeader: undefined, newHeader: undefined, hunks }, FILE_HEADERS_ONLY);
}
