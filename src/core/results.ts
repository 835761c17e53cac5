/**
 * The results document every command writes (`--format json`) and `kubeladder report` merges:
 * versioned, schema-checked, and byte-for-byte deterministic for the same input.
 */
import type { InputProblem } from './errors.js';
import { addCounts, computeLadder, emptyCounts, type CheckSummary, type Ladder } from './ladder.js';
import { severityRank } from './severity.js';
import { SEVERITIES, type Result, type Severity, type Status, type StatusCounts } from './types.js';

export const RESULTS_API_VERSION = 'kubeladder.io/v1';

export interface ResultsDocument {
  apiVersion: typeof RESULTS_API_VERSION;
  kind: 'Results';
  tool: { name: 'kubeladder'; version: string };
  /** The commands whose results this holds (`scan`, `node`, ...). */
  sources: string[];
  inputs: { files: number; objects: number };
  ladder: Ladder;
  summary: { counts: StatusCounts; failures: Record<Severity, number> };
  /** Every check that ran, with its counts: the ladder is computed from these. */
  checks: CheckSummary[];
  /** The listed results: failures and not-assessed always, passes and exemptions on request. */
  results: Result[];
  problems: InputProblem[];
  notes: string[];
}

export interface ListOptions {
  showPassed?: boolean;
  showExempt?: boolean;
}

export function listed(status: Status, opts: ListOptions): boolean {
  return status === 'fail' || status === 'not-assessed' || (status === 'pass' && !!opts.showPassed) || (status === 'exempt' && !!opts.showExempt);
}

export interface BuildInput {
  version: string;
  source: string;
  files: number;
  objects: number;
  results: readonly Result[];
  checks: readonly CheckSummary[];
  problems?: readonly InputProblem[];
  notes?: readonly string[];
}

export function buildDocument(input: BuildInput, opts: ListOptions = {}): ResultsDocument {
  return finish({
    version: input.version,
    sources: [input.source],
    inputs: { files: input.files, objects: input.objects },
    checks: [...input.checks],
    results: input.results.filter((r) => listed(r.status, opts)),
    problems: [...(input.problems ?? [])],
    notes: [...(input.notes ?? [])],
  });
}

/**
 * One ladder from several results documents (a scan, node audits, an exposure probe). A check
 * one document could not assess and another did counts as assessed: that is what merging is for.
 */
export function mergeDocuments(docs: readonly ResultsDocument[], version: string, opts: ListOptions = {}): ResultsDocument {
  const checks = new Map<string, CheckSummary>();
  for (const d of docs) {
    for (const c of d.checks) {
      const have = checks.get(c.id);
      if (have) addCounts(have.counts, c.counts);
      else checks.set(c.id, { ...c, counts: { ...c.counts } });
    }
  }
  const assessed = (c: CheckSummary): boolean => c.counts.pass + c.counts.fail + c.counts.exempt > 0;
  const seen = new Set<string>();
  const results = docs
    .flatMap((d) => d.results)
    .filter((r) => {
      if (r.status !== 'not-assessed') return true;
      const c = checks.get(r.check);
      if (c && assessed(c)) return false;
      // The same check not assessed by two documents is one gap, not two.
      const key = JSON.stringify(r);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  for (const c of checks.values()) {
    c.counts['not-assessed'] = assessed(c) ? 0 : results.filter((r) => r.check === c.id && r.status === 'not-assessed').length;
  }
  return finish({
    version,
    sources: [...new Set(docs.flatMap((d) => d.sources))],
    inputs: { files: sum(docs.map((d) => d.inputs.files)), objects: sum(docs.map((d) => d.inputs.objects)) },
    checks: [...checks.values()],
    results: results.filter((r) => listed(r.status, opts)),
    problems: docs.flatMap((d) => d.problems),
    notes: [...new Set(docs.flatMap((d) => d.notes))],
  });
}

function finish(p: {
  version: string;
  sources: string[];
  inputs: ResultsDocument['inputs'];
  checks: CheckSummary[];
  results: Result[];
  problems: InputProblem[];
  notes: string[];
}): ResultsDocument {
  const checks = p.checks.sort((a, b) => a.rung - b.rung || cmp(a.id, b.id));
  const counts = emptyCounts();
  checks.forEach((c) => addCounts(counts, c.counts));
  const failures = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const c of checks) failures[c.severity] += c.counts.fail;
  return {
    apiVersion: RESULTS_API_VERSION,
    kind: 'Results',
    tool: { name: 'kubeladder', version: p.version },
    sources: p.sources,
    inputs: p.inputs,
    ladder: computeLadder(checks),
    summary: { counts, failures },
    checks,
    results: sortResults(p.results),
    problems: p.problems.sort((a, b) => cmp(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || cmp(a.message, b.message)),
    notes: p.notes,
  };
}

const STATUS_ORDER: Record<Status, number> = { fail: 0, exempt: 1, 'not-assessed': 2, pass: 3 };

/**
 * Sorted as {@link compareResults} orders them, by one precomputed key per result: a scan sorts
 * hundreds of thousands, and comparing eleven fields each time dominated its sort.
 */
function sortResults(results: Result[]): Result[] {
  const keyed = results.map((r) => ({ r, k: sortKey(r) }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : compareResults(a.r, b.r)));
  return keyed.map((x) => x.r);
}

/** The fields of compareResults joined so that comparing keys compares them in turn (numbers padded). */
function sortKey(r: Result): string {
  const o = r.object;
  return [
    r.rung,
    9 - severityRank(r.severity),
    r.check,
    STATUS_ORDER[r.status],
    o?.namespace ?? '',
    o?.kind ?? '',
    o?.name ?? '',
    r.file ?? '',
    String(r.line ?? 0).padStart(10, '0'),
    r.path ?? '',
  ].join('\u0000');
}

/** Rung, then severity (worst first), then check, status, object and position. */
export function compareResults(a: Result, b: Result): number {
  return (
    a.rung - b.rung ||
    severityRank(b.severity) - severityRank(a.severity) ||
    cmp(a.check, b.check) ||
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    cmp(a.object?.namespace ?? '', b.object?.namespace ?? '') ||
    cmp(a.object?.kind ?? '', b.object?.kind ?? '') ||
    cmp(a.object?.name ?? '', b.object?.name ?? '') ||
    cmp(a.file ?? '', b.file ?? '') ||
    (a.line ?? 0) - (b.line ?? 0) ||
    cmp(a.path ?? '', b.path ?? '') ||
    cmp(a.message, b.message)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sum(ns: number[]): number {
  return ns.reduce((a, b) => a + b, 0);
}
