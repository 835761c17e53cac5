/**
 * JUnit XML as GitLab, Jenkins and the GitHub test-report actions read it: a test suite per
 * check, a test case per listed result, failures for failures and skips for what was not judged.
 */
import type { CheckSummary } from '../core/ladder.js';
import type { Result } from '../core/types.js';
import { checkDoc, placeOf, plural, subjectName } from './common.js';
import type { ReportContext, Reporter } from './types.js';

interface Case {
  classname: string;
  name: string;
  file?: string;
  line?: number;
  /** The child element: `<failure>` or `<skipped>`, or nothing for a pass. */
  outcome?: { tag: 'failure' | 'skipped'; attrs: Record<string, string>; body?: string };
}

export const junit: Reporter = (ctx) => {
  const suites = ctx.doc.checks.map((c) => suite(c, ctx));
  const total = (key: 'tests' | 'failures' | 'skipped'): number => suites.reduce((n, s) => n + s[key], 0);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: `kubeladder ${ctx.command}`, tests: total('tests'), failures: total('failures'), errors: 0, skipped: total('skipped') })}>`,
    ...suites.flatMap((s) => s.xml),
    '</testsuites>',
  ];
  return `${out.join('\n')}\n`;
};

function suite(c: CheckSummary, ctx: ReportContext): { xml: string[]; tests: number; failures: number; skipped: number } {
  const listed = ctx.doc.results.filter((r) => r.check === c.id);
  const cases = listed.map((r) => testCase(r, ctx));
  // Passes and exemptions the document does not list still count: one case stands for them.
  const unlistedPass = c.counts.pass - listed.filter((r) => r.status === 'pass').length;
  const unlistedExempt = c.counts.exempt - listed.filter((r) => r.status === 'exempt').length;
  if (unlistedPass > 0) cases.push({ classname: c.id, name: unlistedPass === 1 ? '1 object passes' : `${unlistedPass} objects pass` });
  if (unlistedExempt > 0) {
    const message = `${plural(unlistedExempt, 'object')} exempt (--show-exempt lists them)`;
    cases.push({ classname: c.id, name: message, outcome: { tag: 'skipped', attrs: { message } } });
  }
  const failures = cases.filter((k) => k.outcome?.tag === 'failure').length;
  const skipped = cases.filter((k) => k.outcome?.tag === 'skipped').length;
  const head = `  <testsuite${attrs({ name: c.id, tests: cases.length, failures, errors: 0, skipped })}>`;
  const props = [
    '    <properties>',
    ...Object.entries({ title: c.title, rung: c.rung, severity: c.severity }).map(([name, value]) => `      <property${attrs({ name, value })}/>`),
    '    </properties>',
  ];
  return { xml: [head, ...props, ...cases.map(caseXml), '  </testsuite>'], tests: cases.length, failures, skipped };
}

function testCase(r: Result, ctx: ReportContext): Case {
  const base: Case = { classname: subjectName(r) || r.file || r.check, name: r.path ?? r.message };
  if (r.file) base.file = r.file;
  if (r.line) base.line = r.line;
  if (r.status === 'fail') {
    const body = [r.message, r.reason, `fix: ${r.remediation ?? checkDoc(ctx, r.check).remediation ?? `see kubeladder explain ${r.check}`}`, placeOf(r) ? `at ${placeOf(r)}` : ''];
    return { ...base, outcome: { tag: 'failure', attrs: { message: r.message, type: r.severity }, body: body.filter(Boolean).join('\n') } };
  }
  if (r.status === 'exempt') return { ...base, outcome: { tag: 'skipped', attrs: { message: `exempt: ${r.reason ?? 'no reason given'}` } } };
  if (r.status === 'not-assessed') return { ...base, outcome: { tag: 'skipped', attrs: { message: `not assessed: ${r.reason ?? r.message}` } } };
  return base;
}

function caseXml(k: Case): string {
  const open = `    <testcase${attrs({ classname: k.classname, name: k.name, file: k.file, line: k.line })}`;
  if (!k.outcome) return `${open}/>`;
  const { tag, attrs: a, body } = k.outcome;
  const child = body === undefined ? `<${tag}${attrs(a)}/>` : `<${tag}${attrs(a)}>${escapeXml(body)}</${tag}>`;
  return `${open}>\n      ${child}\n    </testcase>`;
}

function attrs(a: Record<string, string | number | undefined>): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v), true)}"`)
    .join('');
}

/** XML 1.0 cannot carry most control characters even as references, so they become U+FFFD. */
export function escapeXml(s: string, attribute = false): string {
  const out = s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
  // Parsers fold raw tabs and newlines in attributes to spaces; references keep them.
  return attribute ? out.replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;') : out;
}
