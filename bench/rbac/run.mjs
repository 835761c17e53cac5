#!/usr/bin/env node
// The RBAC engine benchmark: a synthetic cluster of 10,000 roles, 50,000 bindings and 5,000
// service accounts (bench/rbac/generate.mjs). Times building the model (index and aggregation)
// from already-parsed objects, who-can queries, and 1,000 can-i decisions; prints medians.
//
//   node bench/rbac/run.mjs [--runs N] [--seed N]
//
// Targets (from the issue): the index builds in under 1 s, one who-can answers in under 50 ms,
// all RBAC findings in under 5 s.
// Imports dist/ (build first: `npx tsc -p .`).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, checkBuild, environment, median, options, printTargets } from '../lib.mjs';
import { SIZES, generateCluster } from './generate.mjs';

const args = options({ runs: { type: 'string', default: '9' }, seed: { type: 'string', default: '1' } }, 'node bench/rbac/run.mjs [--runs N] [--seed N]');
const runs = Number(args.runs);
checkBuild();
const dist = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href);
const { RbacModel, whoCan, authorize } = await dist('engines/rbac/index.js');
const { Resource } = await dist('core/resource.js');
const { Inventory } = await dist('core/inventory.js');
const { runChecks } = await dist('core/runner.js');
const { CHECKS } = await dist('checks/index.js');
const RBAC_CHECKS = CHECKS.filter((c) => c.id.startsWith('rbac/'));

const objects = generateCluster(Number(args.seed));
const resources = objects.map((o) => new Resource(o, { basePath: [] }, o.metadata.namespace));
const time = (fn) => {
  const t = process.hrtime.bigint();
  const out = fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, out };
};

const QUERIES = [
  { what: 'who can get secrets in team-042', request: { verb: 'get', apiGroup: '', resource: 'secrets', namespace: 'team-042' } },
  { what: 'who can create pods/exec in team-007', request: { verb: 'create', apiGroup: '', resource: 'pods', subresource: 'exec', namespace: 'team-007' } },
  { what: 'who can list secrets cluster-wide', request: { verb: 'list', apiGroup: '', resource: 'secrets' } },
  { what: 'who can get /metrics', request: { verb: 'get', path: '/metrics' } },
];

// Warm-up, then timed rounds.
let model = RbacModel.fromResources(resources);
for (const q of QUERIES) whoCan(model, q.request);
const build = [];
const queries = QUERIES.map(() => []);
const decisions = [];
const findings = [];
let findingCount = 0;
const user = { name: 'system:serviceaccount:team-042:sa-42', groups: ['system:serviceaccounts', 'system:serviceaccounts:team-042', 'system:authenticated'] };
let answers = [];
for (let i = 0; i < runs; i++) {
  const b = time(() => RbacModel.fromResources(resources));
  build.push(b.ms);
  model = b.out;
  answers = QUERIES.map((q, j) => {
    const t = time(() => whoCan(model, q.request));
    queries[j].push(t.ms);
    return t.out.length;
  });
  // Every RBAC finding of the cluster, as a live scan would run them (its model built inside).
  const inventory = new Inventory(['cluster']);
  for (const r of resources) inventory.add(r);
  const f = time(() => runChecks(RBAC_CHECKS, inventory));
  findings.push(f.ms);
  findingCount = f.out.results.filter((x) => x.status === 'fail').length;
  decisions.push(time(() => { for (let k = 0; k < 1000; k++) authorize(model, user, { verb: 'get', apiGroup: '', resource: 'secrets', namespace: 'team-042', name: `s-${k}` }); }).ms);
}

const env = environment();
process.stdout.write(`RBAC engine on ${Object.entries(SIZES).map(([k, v]) => `${v.toLocaleString('en-US')} ${k}`).join(', ')} (${objects.length.toLocaleString('en-US')} objects), median of ${runs}; node ${env.node}, ${env.cpus} CPUs, commit ${env.commit}${env.dirty ? ' + local changes' : ''}\n`);
const rows = [
  ['build the model (index + aggregation)', median(build), 1000],
  ...QUERIES.map((q, j) => [`${q.what} (${answers[j]} subjects)`, median(queries[j]), 50]),
  ['1,000 can-i decisions', median(decisions), undefined],
  [`all ${RBAC_CHECKS.length} RBAC checks (${findingCount.toLocaleString('en-US')} findings)`, median(findings), 5000],
];
printTargets(rows);
