/** Runs the checks over an inventory and turns their verdicts into results. */
import { isObjectCheck, type Check, type CheckContext, type Evaluation, type Violation } from './check.js';
import { defaultConfig, type Config } from './config.js';
import { Exemptions } from './exemptions.js';
import type { Inventory } from './inventory.js';
import { emptyCounts, type CheckSummary } from './ladder.js';
import { Resource } from './resource.js';
import { apiserverEndpoints } from '../engines/network-platform/apiserver.js';
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
  const positions = new Positions();
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
      for (const r of toResults(check, severity, ev, exemptions, positions)) {
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
  positions.resolve();
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
          : input === 'apiserver-address'
            ? apiserverEndpoints(inventory) !== undefined
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
  'apiserver-address': "the API server's endpoint addresses (--apiserver-address, or a cluster read of the kubernetes Service's EndpointSlices in default)",
} as const;

/** Field paths repeat across objects (`spec.template.spec.containers[0].image`): keep one copy of each. */
const paths = new Map<string, string>();

function intern(path: string): string {
  const have = paths.get(path);
  if (have !== undefined) return have;
  if (paths.size < 100_000) paths.set(path, path);
  return path;
}

/**
 * Lines and columns of findings, looked up after all checks ran, document by document: checks
 * run one after another over every object, and looking positions up in that order re-read
 * each document once per check.
 */
class Positions {
  private readonly pending = new Map<unknown, Array<{ result: Result; resource: Resource; path: string }>>();

  add(result: Result, resource: Resource, path: string): void {
    const key = resource.origin.doc ?? resource;
    let list = this.pending.get(key);
    if (!list) this.pending.set(key, (list = []));
    list.push({ result, resource, path });
  }

  resolve(): void {
    for (const list of this.pending.values()) {
      for (const { result, resource, path } of list) {
        const pos = resource.position(path);
        if (pos.line !== undefined) result.line = pos.line;
        if (pos.column !== undefined) result.column = pos.column;
      }
    }
    this.pending.clear();
  }
}

function toResults(check: Check, severity: Severity, ev: Evaluation, exemptions: Exemptions, positions: Positions): Result[] {
  const resource = ev.subject instanceof Resource ? ev.subject : undefined;
  const ref = resource ? resource.ref : (ev.subject as { ref?: Result['object'] }).ref;
  /** A result with its keys in the order every report writes them (no spreads: scans make many). */
  const result = (status: Result['status'], message: string, remediation: string | undefined, path: string | undefined): Result => {
    const r: Result = { check: check.id, rung: check.rung, severity } as Result;
    if (ref) r.object = ref;
    r.status = status;
    r.message = message;
    if (remediation !== undefined) r.remediation = remediation;
    if (path) r.path = intern(path);
    if (resource) {
      if (resource.origin.file !== undefined) r.file = resource.origin.file;
      if (path) {
        // Placeholders keep the keys in report order; JSON leaves out whichever stays undefined.
        r.line = undefined;
        r.column = undefined;
        positions.add(r, resource, path);
      } else if (resource.origin.line !== undefined) r.line = resource.origin.line;
    }
    return r;
  };
  if (ev.violations.length === 0) {
    const r = result('pass', `${check.title}: passes`, undefined, undefined);
    const note = resource ? undefined : (ev.subject as { note?: string }).note;
    if (note) r.reason = note;
    return [r];
  }
  const verdict = exemptions.verdict(check, ref, resource?.annotations);
  return ev.violations.map((v: Violation): Result => {
    const r = result('fail', v.message, v.remediation ?? check.remediation, v.path);
    if (verdict.exempt) {
      r.status = 'exempt';
      r.reason = verdict.reason;
    } else if (verdict.expired) {
      r.reason = verdict.expired;
    }
    return r;
  });
}
