/** Runs the checks over an inventory and turns their verdicts into results. */
import { isObjectCheck, type Check, type CheckContext, type Evaluation, type Violation } from './check.js';
import { defaultConfig, type Config } from './config.js';
import { Exemptions } from './exemptions.js';
import type { Inventory } from './inventory.js';
import { emptyCounts, type CheckSummary } from './ladder.js';
import { Resource } from './resource.js';
import type { Result, Severity } from './types.js';

export interface RunOptions {
  config?: Config;
  /** YYYY-MM-DD, for exemption expiry; today by default. */
  today?: string;
  /**
   * Which results to keep; the others are only counted. A large scan passes hundreds of
   * thousands of objects that no report lists, and need not hold a result for each.
   */
  keep?: (status: Result['status']) => boolean;
}

export interface RunOutput {
  results: Result[];
  checks: CheckSummary[];
}

export function runChecks(checks: readonly Check[], inventory: Inventory, opts: RunOptions = {}): RunOutput {
  const config = opts.config ?? defaultConfig();
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const exemptions = new Exemptions(config, today);
  const ctx: CheckContext = { inventory, today };
  const results: Result[] = [];
  const summaries: CheckSummary[] = [];
  for (const check of checks) {
    if (config.disabled.has(check.id)) continue;
    const severity = config.severity.get(check.id) ?? check.severity;
    const counts = emptyCounts();
    const keepPasses = !opts.keep || opts.keep('pass');
    const record = (ev: Evaluation): void => {
      // Most objects pass: count them without building a result nobody will list.
      if (ev.violations.length === 0 && !keepPasses) {
        counts.pass++;
        return;
      }
      for (const r of toResults(check, severity, ev, exemptions)) {
        counts[r.status]++;
        if (!opts.keep || opts.keep(r.status)) results.push(r);
      }
    };
    const notAssessed = (reason: string): void => {
      counts['not-assessed']++;
      results.push({ check: check.id, rung: check.rung, severity, status: 'not-assessed', message: `${check.title}: not assessed`, reason });
    };
    const missing = missingInput(check, inventory);
    if (missing) {
      notAssessed(missing);
    } else if (isObjectCheck(check)) {
      // The kinds it judges one by one: an unreadable one leaves that part unassessed, the rest runs.
      for (const kind of check.kinds) {
        const why = inventory.unreadableKinds.get(kind);
        if (why) {
          notAssessed(`could not read ${kind}: ${why}`);
          continue;
        }
        for (const r of inventory.ofKind(kind)) if (!check.appliesTo || check.appliesTo(r, ctx)) record({ subject: r, violations: check.evaluate(r, ctx) });
      }
    } else {
      check.evaluateAll(ctx).forEach(record);
    }
    summaries.push({ id: check.id, rung: check.rung, severity, title: check.title, counts });
  }
  return { results, checks: summaries };
}

/** Why the input cannot assess this check, or undefined when it can. */
function missingInput(check: Check, inventory: Inventory): string | undefined {
  for (const input of check.needs.inputs ?? []) {
    const has =
      input === 'kubernetes-version'
        ? inventory.kubernetesVersion !== undefined
        : input === 'apiserver-metrics'
          ? inventory.deprecatedApiRequests !== undefined
          : inventory.inputs.has(input);
    if (!has) return `needs ${INPUT_NAMES[input]}, which this input does not provide`;
  }
  // Kinds a check reads for context (not the ones it judges): without them no verdict is sound.
  const judged: readonly string[] = isObjectCheck(check) ? check.kinds : [];
  for (const kind of check.needs.kinds ?? []) {
    const why = inventory.unreadableKinds.get(kind);
    if (why && !judged.includes(kind)) return `could not read ${kind}: ${why}`;
  }
  return undefined;
}

const INPUT_NAMES = {
  manifests: 'manifests',
  cluster: 'a live cluster (--cluster) or a snapshot',
  node: "a node's filesystem (kubeladder node --root)",
  network: 'network probes (kubeladder expose)',
  registry: 'access to the image registry',
  'audit-log': 'a Kubernetes audit log',
  'kubernetes-version': "the cluster's Kubernetes version (--cluster, a snapshot, or --kubernetes-version)",
  'apiserver-metrics': "the API server's /metrics (a live scan whose credentials may get the nonResourceURL /metrics)",
} as const;

function toResults(check: Check, severity: Severity, ev: Evaluation, exemptions: Exemptions): Result[] {
  const resource = ev.subject instanceof Resource ? ev.subject : undefined;
  const ref = resource ? resource.ref : (ev.subject as { ref?: Result['object'] }).ref;
  const base: Pick<Result, 'check' | 'rung' | 'severity' | 'object'> = { check: check.id, rung: check.rung, severity };
  if (ref) base.object = ref;
  const where = (path: string | undefined): Pick<Result, 'file' | 'line' | 'column'> => {
    if (!resource) return {};
    const out: Pick<Result, 'file' | 'line' | 'column'> = {};
    if (resource.origin.file !== undefined) out.file = resource.origin.file;
    const pos: { line?: number; column?: number } = path ? resource.position(path) : { line: resource.origin.line };
    if (pos.line !== undefined) out.line = pos.line;
    if (pos.column !== undefined) out.column = pos.column;
    return out;
  };
  if (ev.violations.length === 0) {
    const note = resource ? undefined : (ev.subject as { note?: string }).note;
    return [{ ...base, status: 'pass', message: `${check.title}: passes`, ...where(undefined), ...(note ? { reason: note } : {}) }];
  }
  const verdict = exemptions.verdict(check, ref, resource?.annotations);
  return ev.violations.map((v: Violation): Result => {
    const r: Result = { ...base, status: 'fail', message: v.message, remediation: v.remediation ?? check.remediation };
    if (v.path) r.path = v.path;
    Object.assign(r, where(v.path));
    if (verdict.exempt) {
      r.status = 'exempt';
      r.reason = verdict.reason;
    } else if (verdict.expired) {
      r.reason = verdict.expired;
    }
    return r;
  });
}
