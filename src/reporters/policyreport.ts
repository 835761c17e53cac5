/**
 * wgpolicyk8s.io/v1alpha2 PolicyReports, as Kyverno and Trivy Operator write them: one per
 * namespace, and one ClusterPolicyReport for cluster-scoped objects and results about no object.
 * Policy-report UIs and `kubectl get polr` then show kubeladder beside those tools.
 */
import { createRequire } from 'node:module';
import { RUNG_NAMES } from '../core/ladder.js';
import type { Result, Status } from '../core/types.js';
import { subjectName } from './common.js';
import type { Reporter } from './types.js';

// yaml takes ~30 ms to import: only this format needs it.
const require = createRequire(import.meta.url);

const API_VERSION = 'wgpolicyk8s.io/v1alpha2';
const LABELS = { 'app.kubernetes.io/managed-by': 'kubeladder' };
const CLUSTER = 'kubeladder-cluster';

type Outcome = 'pass' | 'fail' | 'warn' | 'error' | 'skip';

const OUTCOME: Record<Status, Outcome> = { fail: 'fail', pass: 'pass', exempt: 'skip', 'not-assessed': 'skip' };

export const policyreport: Reporter = ({ doc }) => {
  const byNamespace = new Map<string, Result[]>();
  const cluster: Result[] = [];
  for (const r of doc.results) {
    const ns = r.object?.namespace;
    if (ns === undefined) cluster.push(r);
    else byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), r]);
  }
  const reports = [report('ClusterPolicyReport', CLUSTER, undefined, cluster)];
  for (const ns of [...byNamespace.keys()].sort()) reports.push(report('PolicyReport', `kubeladder-${ns}`, ns, byNamespace.get(ns)!));
  const { stringify } = require('yaml') as typeof import('yaml');
  return reports.map((r) => stringify(r, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
};

function report(kind: 'PolicyReport' | 'ClusterPolicyReport', name: string, namespace: string | undefined, results: readonly Result[]): Record<string, unknown> {
  const entries = results.map(entry);
  const summary: Record<Outcome, number> = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const e of entries) summary[e.result]++;
  return {
    apiVersion: API_VERSION,
    kind,
    metadata: { name, ...(namespace !== undefined ? { namespace } : {}), labels: LABELS },
    summary,
    results: entries,
  };
}

function entry(r: Result): { result: Outcome } & Record<string, unknown> {
  const properties: Record<string, string> = { rung: String(r.rung) };
  if (r.path) properties.path = r.path;
  if (r.file) properties.file = r.file;
  if (r.line) properties.line = String(r.line);
  if (r.status === 'exempt' || r.status === 'not-assessed') properties.status = r.status;
  if (r.reason) properties.reason = r.reason;
  if (!r.object && subjectName(r)) properties.subject = subjectName(r);
  return {
    policy: r.check,
    rule: r.check,
    category: `rung ${r.rung}: ${RUNG_NAMES[r.rung]}`,
    severity: r.severity,
    result: OUTCOME[r.status],
    message: r.message,
    source: 'kubeladder',
    scored: true,
    ...(r.object ? { resources: [{ apiVersion: r.object.apiVersion, kind: r.object.kind, ...(r.object.namespace ? { namespace: r.object.namespace } : {}), name: r.object.name }] } : {}),
    properties,
  };
}
