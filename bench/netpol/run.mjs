#!/usr/bin/env node
// The NetworkPolicy engine benchmark: a synthetic cluster of 5,000 pods in 200 namespaces with
// 1,000 NetworkPolicies (bench/netpol/generate.mjs). Times building the model from already-parsed
// objects, the full connection list (netpol-analyzer's text, as `kubeladder netpol reach` prints
// it), and single explains; prints medians.
//
//   node bench/netpol/run.mjs [--runs N] [--seed N]
//
// Targets (from the issue): the full connection list in under 5 s, one explain in under 100 ms.
// Imports dist/ (build first: `npx tsc -p .`).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, checkBuild, environment, median, options, printTargets } from '../lib.mjs';
import { SIZES, generateCluster } from './generate.mjs';

const args = options({ runs: { type: 'string', default: '9' }, seed: { type: 'string', default: '1' } }, 'node bench/netpol/run.mjs [--runs N] [--seed N]');
const runs = Number(args.runs);
checkBuild();
const dist = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href);
const { modelFromResources } = await dist('engines/netpol/model.js');
const { connectionList, formatConnList } = await dist('engines/netpol/connlist.js');
const { explain } = await dist('engines/netpol/evaluate.js');
const { Resource } = await dist('core/resource.js');

const objects = generateCluster(Number(args.seed));
const resources = objects.map((o) => new Resource(o, { basePath: [] }, o.metadata.namespace));
const time = (fn) => {
  const t = process.hrtime.bigint();
  const out = fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, out };
};

// Explains of many kinds, cycled: allowed across namespaces on a named port, denied by a default
// deny, to and from external addresses, within an open namespace.
const EXPLAINS = 200;
const pairs = (model) => {
  const pods = model.pods;
  const at = (ns, prefix) => pods.find((p) => p.namespace === ns && p.name.startsWith(prefix));
  const list = [
    [at('team-001', 'app-1'), at('team-001', 'app-2'), 5432],
    [at('team-001', 'app-0'), { ip: '8.8.8.8' }, 443],
    [{ ip: '203.0.113.7' }, at('team-002', 'app-0'), 8080],
    [at('team-003', 'app-4'), at('kube-system', 'coredns'), 53, 'UDP'],
    [at('team-010', 'app-0'), at('team-010', 'app-3'), 9100],
    [at('team-011', 'app-1'), at('team-057', 'app-2'), 5432],
  ];
  return Array.from({ length: EXPLAINS }, (_, i) => list[i % list.length]);
};

// Warm-up, then timed rounds.
let model = modelFromResources(resources);
connectionList(model);
const build = [];
const lists = [];
const explains = [];
let lineCount = 0;
let bytes = 0;
let verdicts = {};
for (let i = 0; i < runs; i++) {
  const b = time(() => modelFromResources(resources));
  build.push(b.ms);
  model = b.out;
  const l = time(() => formatConnList(connectionList(model)));
  lists.push(l.ms);
  bytes = l.out.length;
  lineCount = l.out.split('\n').length - 1;
  verdicts = {};
  for (const [src, dst, port, protocol] of pairs(model)) {
    const e = time(() => explain(model, src, dst, port, protocol ?? 'TCP'));
    explains.push(e.ms);
    verdicts[e.out.verdict] = (verdicts[e.out.verdict] ?? 0) + 1;
  }
}

const env = environment();
process.stdout.write(
  `NetworkPolicy engine on ${SIZES.pods.toLocaleString('en-US')} pods in ${SIZES.namespaces} namespaces with ${SIZES.policies.toLocaleString('en-US')} NetworkPolicies (${objects.length.toLocaleString('en-US')} objects), median of ${runs}; node ${env.node}, ${env.cpus} CPUs, load ${env.load}, commit ${env.commit}${env.dirty ? ' + local changes' : ''}\n`,
);
const rows = [
  ['build the model', median(build), undefined],
  [`full connection list (${lineCount.toLocaleString('en-US')} lines, ${(bytes / 1048576).toFixed(1)} MiB of text)`, median(lists), 5000],
  [`one explain (median of ${(EXPLAINS * runs).toLocaleString('en-US')}: ${Object.entries(verdicts).map(([v, n]) => `${n} ${v}`).join(', ')} per round)`, median(explains), 100],
];
printTargets(rows);
