/** Results documents for the reporter tests: a real scan, and one with every kind of result. */
import { fileURLToPath } from 'node:url';
import { CHECKS } from '../../src/checks/index.js';
import type { CheckSummary } from '../../src/core/ladder.js';
import { buildDocument, mergeDocuments, type ResultsDocument } from '../../src/core/results.js';
import type { Result, StatusCounts } from '../../src/core/types.js';
import type { ReportContext } from '../../src/reporters/types.js';
import { cli } from '../helpers/cli.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
/** As a user in the repository root names it, so result files are relative. */
export const SHOP = 'test/reporters/fixtures/shop.yaml';
export const SECRET_VALUES = ['c3VwZXJzZWNyZXQtZG8tbm90LXByaW50', 'supersecret-do-not-print'];
export const HOSTILE = 'bad </script><script>alert(1)</script> | pipe\nnewline & "quotes" \u0001 <!-- ]]>';

/** The checks shop.yaml was written for: reporter tests stay about reporters as the registry grows. */
export const SHOP_CHECKS = ['image/latest-tag', 'netpol/namespace-default-deny', 'pod/automount-service-account-token', 'pod/privileged'];

export async function scanDoc(args: string[] = ['--show-passed', '--show-exempt']): Promise<ResultsDocument> {
  const only = SHOP_CHECKS.flatMap((id) => ['--check', id]);
  const run = await cli(['scan', SHOP, '--format', 'json', '--fail-on', 'none', ...only, ...args]);
  if (run.code !== 0) throw new Error(`scan failed (${run.code}): ${run.stderr}`);
  return JSON.parse(run.stdout) as ResultsDocument;
}

export function ctxOf(doc: ResultsDocument, command = 'scan'): ReportContext {
  return { doc, catalogue: new Map(CHECKS.map((c) => [c.id, c])), color: false, command };
}

/**
 * The scan merged with what other commands would add: rung 1 passed by a node audit, a live
 * ClusterRole without file or line, a check this build does not know, a not-assessed check,
 * and a result whose text tries to break out of every format.
 */
export async function mixedDoc(): Promise<ResultsDocument> {
  const results: Result[] = [
    { check: 'node/ssh-password-auth', rung: 1, severity: 'high', status: 'pass', host: { node: 'node-1', path: '/etc/ssh/sshd_config' }, message: 'passes' },
    { check: 'node/ssh-password-auth', rung: 1, severity: 'high', status: 'pass', host: { node: 'node-2', path: '/etc/ssh/sshd_config' }, message: 'passes' },
    {
      check: 'rbac/future-check',
      rung: 2,
      severity: 'high',
      status: 'fail',
      object: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'too-much' },
      path: 'rules[0].verbs',
      message: 'grants every verb on every resource',
      remediation: 'List the verbs and resources the role needs.',
    },
    {
      check: 'rbac/future-check',
      rung: 2,
      severity: 'high',
      status: 'fail',
      object: { apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'evil', name: 'x"<y>' },
      path: 'metadata.annotations["a|b"]',
      message: HOSTILE,
    },
    { check: 'expose/node-port', rung: 3, severity: 'medium', status: 'not-assessed', message: 'not assessed', reason: 'needs network probes (kubeladder expose)' },
  ];
  const checks: CheckSummary[] = [
    { id: 'node/ssh-password-auth', rung: 1, severity: 'high', title: 'SSH password authentication enabled', counts: counts({ pass: 2 }) },
    { id: 'rbac/future-check', rung: 2, severity: 'high', title: 'A check from a newer kubeladder', counts: counts({ fail: 2 }) },
    { id: 'expose/node-port', rung: 3, severity: 'medium', title: 'NodePort reachable from outside', counts: counts({ 'not-assessed': 1 }) },
  ];
  const other = buildDocument(
    { version: '0.1.0', source: 'node', files: 0, objects: 3, results, checks, notes: ['ServiceAccount evil/x"<y> is assumed | absent'], problems: [{ file: 'broken|file.yaml', line: 3, message: 'bad <yaml> & worse' }] },
    { showPassed: true, showExempt: true },
  );
  return mergeDocuments([await scanDoc(), other], '0.1.0', { showPassed: true, showExempt: true });
}

function counts(c: Partial<StatusCounts>): StatusCounts {
  return { fail: 0, pass: 0, 'not-assessed': 0, exempt: 0, ...c };
}
