/** The human report: the ladder first, what blocks the next rung, then findings by rung and severity. */
import { createColors } from 'picocolors';
import { blocksRung } from '../core/severity.js';
import type { RungStatus, RungSummary } from '../core/ladder.js';
import type { Result, Severity } from '../core/types.js';
import type { Reporter } from './types.js';

const MAX_BLOCKERS = 5;

export const text: Reporter = ({ doc, color, command }) => {
  const c = createColors(color);
  const sev: Record<Severity, (s: string) => string> = {
    critical: (s) => c.bold(c.red(s)),
    high: c.red,
    medium: c.yellow,
    low: c.cyan,
    info: c.dim,
  };
  const statusStyle: Record<RungStatus, [string, (s: string) => string]> = {
    passed: ['✓', c.green],
    failed: ['✗', c.red],
    partial: ['◐', c.yellow],
    'not-assessed': ['○', c.dim],
  };
  const out: string[] = [];
  out.push(c.bold(`kubeladder ${command}: ${doc.inputs.objects} object${doc.inputs.objects === 1 ? '' : 's'} from ${doc.inputs.files} input${doc.inputs.files === 1 ? '' : 's'}`), '');
  out.push(`${c.bold(`Rung reached: ${doc.ladder.rung}`)} of 5${headline(doc.ladder.rungs)}`);
  const width = Math.max(...doc.ladder.rungs.map((r) => r.name.length));
  for (const r of doc.ladder.rungs) {
    const [mark, style] = statusStyle[r.status];
    const counts = r.counts;
    const detail =
      r.status === 'failed'
        ? `${r.blockers} blocker${r.blockers === 1 ? '' : 's'} · ${countLine(counts)}`
        : r.status === 'not-assessed'
          ? (r.hint ?? '')
          : r.status === 'partial'
            ? `${countLine(counts)} · ${r.hint ?? ''}`
            : countLine(counts);
    out.push(`  ${style(mark)} ${r.rung}  ${r.name.padEnd(width)}  ${style(STATUS_LABEL[r.status].padEnd(12))}  ${c.dim(detail)}`);
  }
  for (const rung of doc.ladder.rungs.filter((r) => r.status === 'failed')) {
    const blockers = doc.results.filter((r) => r.rung === rung.rung && r.status === 'fail' && blocksRung(r.severity));
    out.push('', c.bold(`What blocks rung ${rung.rung} (${rung.blockers}):`));
    const shown = blockers.slice(0, MAX_BLOCKERS);
    const idW = Math.max(...shown.map((b) => b.check.length));
    // A fact about the whole cluster has no subject: its message says what it is about.
    for (const b of shown) out.push(`  ${sev[b.severity](b.severity.padEnd(8))}  ${b.check.padEnd(idW)}  ${subjectOf(b) || b.message}${b.path ? c.dim(`  ${b.path}`) : ''}`);
    if (rung.blockers > MAX_BLOCKERS) out.push(c.dim(`  ... and ${rung.blockers - MAX_BLOCKERS} more below`));
  }
  const listed = doc.results.filter((r) => r.status !== 'not-assessed');
  for (const rung of doc.ladder.rungs) {
    const rs = listed.filter((r) => r.rung === rung.rung);
    if (rs.length === 0) continue;
    out.push('', c.bold(`Rung ${rung.rung} · ${rung.name}`));
    for (const r of rs) {
      const label = r.status === 'fail' ? sev[r.severity](r.severity.toUpperCase()) : r.status === 'exempt' ? c.dim('EXEMPT') : c.green('PASS');
      const title = doc.checks.find((k) => k.id === r.check)?.title ?? '';
      out.push(`  ${label}  ${c.bold(r.check)}${title ? c.dim(` · ${title}`) : ''}`);
      const where = r.file ? c.dim(`  ${r.file}${r.line ? `:${r.line}` : ''}`) : '';
      const subject = subjectOf(r);
      if (subject || where) out.push(`    ${subject}${where}`);
      if (r.path) out.push(c.dim(`    at ${r.path}`));
      if (r.status !== 'pass') out.push(`    ${r.message}`);
      if (r.status === 'exempt' && r.reason) out.push(c.dim(`    exempt: ${r.reason}`));
      if (r.status === 'fail' && r.reason) out.push(c.yellow(`    ${r.reason}`));
      if (r.status === 'fail' && r.remediation) out.push(`    ${c.green('fix:')} ${r.remediation}`);
    }
  }
  const notAssessed = doc.results.filter((r) => r.status === 'not-assessed');
  if (notAssessed.length > 0) {
    out.push('', c.bold('Not assessed'));
    for (const r of notAssessed) out.push(`  ${r.check}${r.object ? ` ${subjectOf(r)}` : ''}: ${r.reason ?? r.message}`);
  }
  const s = doc.summary;
  const failures = (Object.entries(s.failures) as Array<[Severity, number]>).filter(([, n]) => n > 0).map(([k, n]) => sev[k](`${n} ${k}`));
  out.push('', `${c.bold('Summary:')} ${countLine(s.counts)}${failures.length ? ` · failures: ${failures.join(', ')}` : ''}`);
  const hidden: string[] = [];
  if (s.counts.exempt > 0 && !doc.results.some((r) => r.status === 'exempt')) hidden.push(`${s.counts.exempt} exempt (--show-exempt lists them)`);
  if (s.counts.pass > 0 && !doc.results.some((r) => r.status === 'pass')) hidden.push(`${s.counts.pass} passed (--show-passed)`);
  if (hidden.length) out.push(c.dim(hidden.join(' · ')));
  for (const n of doc.notes) out.push(c.dim(`note: ${n}`));
  if (doc.problems.length) out.push(c.yellow(`${doc.problems.length} input problem${doc.problems.length === 1 ? '' : 's'} (listed on stderr)`));
  return `${out.join('\n')}\n`;
};

const STATUS_LABEL: Record<RungStatus, string> = { passed: 'passed', failed: 'failed', partial: 'partial', 'not-assessed': 'not assessed' };

/** ` — rung 1 not assessed, rung 2 failed: 7 blockers`: why the climb stops where it does. */
function headline(rungs: readonly RungSummary[]): string {
  const stop = rungs.findIndex((r) => r.status !== 'passed');
  if (stop === -1) return ' — every rung passed';
  const parts = rungs.slice(stop).filter((r) => r.status !== 'not-assessed' || r.rung === rungs[stop]!.rung);
  return ` — ${parts.map((r) => `rung ${r.rung} ${STATUS_LABEL[r.status]}${r.status === 'failed' ? `: ${r.blockers} blocker${r.blockers === 1 ? '' : 's'}` : ''}`).join(', ')}`;
}

function countLine(counts: Record<string, number>): string {
  return `${counts.fail} fail, ${counts.pass} pass, ${counts.exempt} exempt, ${counts['not-assessed']} not assessed`;
}

export function subjectOf(r: Result): string {
  if (r.object) return `${r.object.kind} ${r.object.namespace ? `${r.object.namespace}/` : ''}${r.object.name}`;
  if (r.host) return `${r.host.node}:${r.host.path}`;
  if (r.endpoint) return `${r.endpoint.address}:${r.endpoint.port}/${r.endpoint.protocol}`;
  if (r.image) return r.image.reference;
  if (r.event) return `audit event ${r.event.auditID}`;
  return '';
}
