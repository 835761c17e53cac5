/**
 * Markdown for pull-request comments: the ladder as a table, what blocks each failed rung, then
 * the findings by rung and severity. GitHub caps a comment at 65,536 characters, so past a row
 * budget the findings are counted rather than listed.
 */
import { blocksRung } from '../core/severity.js';
import type { RungStatus } from '../core/ladder.js';
import { SEVERITIES, type Result } from '../core/types.js';
import { checkDoc, placeOf, plural, scanLine, subjectName } from './common.js';
import type { ReportContext, Reporter } from './types.js';

const MAX_FINDING_ROWS = 150;

const STATUS: Record<RungStatus, string> = { passed: '✅ passed', failed: '❌ failed', partial: '🟡 partial', 'not-assessed': '⚪ not assessed' };

export const markdown: Reporter = (ctx) => {
  const { doc } = ctx;
  const out: string[] = [`## kubeladder ${ctx.command}: rung ${doc.ladder.rung} of 5 reached`, '', `${scanLine(doc)} · ${counts(doc.summary.counts)}`, ''];
  out.push(...ladderTable(ctx), ...blockers(ctx), ...findings(ctx), ...others(ctx));
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
};

function ladderTable({ doc }: ReportContext): string[] {
  const rows = doc.ladder.rungs.map((r) =>
    row([String(r.rung), r.name, STATUS[r.status], String(r.blockers), String(r.counts.fail), String(r.counts.pass), String(r.counts.exempt), String(r.counts['not-assessed']), r.hint ? cell(r.hint, true) : '']),
  );
  return ['| Rung | Name | Status | Blockers | Fail | Pass | Exempt | Not assessed | Next step |', '|---:|---|---|---:|---:|---:|---:|---:|---|', ...rows, ''];
}

function blockers({ doc }: ReportContext): string[] {
  const out: string[] = [];
  for (const rung of doc.ladder.rungs.filter((r) => r.status === 'failed')) {
    const list = doc.results.filter((r) => r.rung === rung.rung && r.status === 'fail' && blocksRung(r.severity));
    out.push(`### What blocks rung ${rung.rung} (${rung.name}): ${plural(rung.blockers, 'blocker')}`, '');
    out.push(...list.slice(0, 10).map((r) => `- **${cell(r.severity)}** ${code(r.check)} ${cell(subjectName(r) || r.message)}${r.path ? ` at ${code(r.path)}` : ''}`));
    if (list.length > 10) out.push(`- … and ${list.length - 10} more in the findings below`);
    out.push('');
  }
  return out;
}

function findings(ctx: ReportContext): string[] {
  const fails = ctx.doc.results.filter((r) => r.status === 'fail');
  if (fails.length === 0) return [];
  const out = ['### Findings', ''];
  let budget = MAX_FINDING_ROWS;
  for (const rung of ctx.doc.ladder.rungs) {
    const inRung = fails.filter((r) => r.rung === rung.rung);
    if (inRung.length === 0) continue;
    out.push(`#### Rung ${rung.rung} · ${rung.name}`, '');
    for (const severity of SEVERITIES) {
      const rows = inRung.filter((r) => r.severity === severity);
      if (rows.length === 0) continue;
      const shown = rows.slice(0, Math.max(0, budget));
      budget -= shown.length;
      out.push(`**${severity}** (${rows.length})`, '');
      if (shown.length) out.push('| Severity | Check | Object | File | Path | Message | Fix |', '|---|---|---|---|---|---|---|', ...shown.map((r) => findingRow(r, ctx)));
      if (shown.length < rows.length) out.push('', `_${rows.length - shown.length} more ${severity} findings not listed; \`--format html\` or \`--format json\` has them all._`);
      out.push('');
    }
  }
  return out;
}

function findingRow(r: Result, ctx: ReportContext): string {
  const fix = r.remediation ?? checkDoc(ctx, r.check).remediation ?? '';
  const message = r.reason ? `${r.message} (${r.reason})` : r.message;
  return row([cell(r.severity), code(r.check), cell(subjectName(r)), cell(placeOf(r)), r.path ? code(r.path) : '', cell(message), cell(fix, true)]);
}

function others({ doc }: ReportContext): string[] {
  const out: string[] = [];
  const exempt = doc.results.filter((r) => r.status === 'exempt');
  if (exempt.length) {
    out.push('### Exempt', '', '| Check | Object | File | Reason |', '|---|---|---|---|');
    out.push(...exempt.map((r) => row([code(r.check), cell(subjectName(r)), cell(placeOf(r)), cell(r.reason ?? '')])), '');
  }
  const notAssessed = doc.results.filter((r) => r.status === 'not-assessed');
  if (notAssessed.length) out.push('### Not assessed', '', ...notAssessed.map((r) => `- ${code(r.check)}${r.object ? ` ${cell(subjectName(r))}` : ''}: ${cell(r.reason ?? r.message)}`), '');
  const passed = doc.results.filter((r) => r.status === 'pass');
  if (passed.length) {
    out.push(`<details><summary>${plural(passed.length, 'passing result')}</summary>`, '', '| Check | Object | File |', '|---|---|---|');
    out.push(...passed.map((r) => row([code(r.check), cell(subjectName(r)), cell(placeOf(r))])), '', '</details>', '');
  }
  if (doc.notes.length) out.push('### Notes', '', ...doc.notes.map((n) => `- ${cell(n)}`), '');
  if (doc.problems.length) {
    out.push(`### Input problems (${doc.problems.length})`, '');
    out.push(...doc.problems.map((p) => `- ${cell(`${p.file}${p.line ? `:${p.line}` : ''}`)}: ${p.warning ? 'warning: ' : ''}${cell(p.message)}`), '');
  }
  return out;
}

function counts(c: Record<string, number>): string {
  return `${c.fail} fail · ${c.pass} pass · ${c.exempt} exempt · ${c['not-assessed']} not assessed`;
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/**
 * A table cell. Text from manifests is escaped so it cannot format, link or break the table;
 * kubeladder's own remediation text keeps its `code` spans.
 */
export function cell(s: string, ownMarkdown = false): string {
  const escaped = ownMarkdown ? s.replace(/\|/g, '\\|') : s.replace(/[\\`*_[\]<>|~#!]/g, '\\$&').replace(/&/g, '&amp;');
  return escaped.replace(/\r?\n/g, '<br>').replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '\uFFFD');
}

/** A code span that survives any content: backticks in it get a longer fence, pipes are escaped for the table. */
export function code(s: string): string {
  const flat = s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return longest ? `${fence} ${flat} ${fence}` : `${fence}${flat}${fence}`;
}
