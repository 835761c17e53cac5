#!/usr/bin/env node
// How should `scan --cluster --shard i/n` read a shard's namespaced objects? Two ways, timed on
// the real control plane of the live tests (test/helpers/cluster.ts, on this machine's CPUs):
//   per-namespace  list the Namespaces, keep the shard's, then one paged list per namespace and kind
//   filter         the cluster-wide paged lists, other shards' items dropped page by page
// for two clusters (wide: many namespaces with few objects; deep: few namespaces with many) and
// n = 1, 2, 4, 8 shards. For each: the slowest shard's wall time when all n run at once (what a
// CronJob's Indexed Job waits for), the requests and bytes every shard together asked the API
// server for, and the API server's CPU time.
//
//   node bench/cluster/shard-read.mjs [--wide NAMESPACES] [--deep PODS]
//
// Build first (`npx tsc -p .`). Prints a table; writes bench/results/shard-read.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ROOT, checkBuild } from '../lib.mjs';

const { values: args } = parseArgs({ options: { wide: { type: 'string', default: '1000' }, deep: { type: 'string', default: '8000' } } });
const dist = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href);

async function loadClusterHelper() {
  // The harness is TypeScript: strip its types (nothing is checked) next to where it lives, so
  // its own relative paths and imports resolve the same.
  const { default: ts } = await import('typescript');
  const src = join(ROOT, 'test/helpers/cluster.ts');
  const file = join(ROOT, '.cache/bench/shard-cluster.mjs');
  const { outputText } = ts.transpileModule(readFileSync(src, 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, outputText);
  return import(pathToFileURL(file).href);
}

const cpuMs = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
};

async function pool(items, size, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, async () => { while (next < items.length) await fn(items[next++]); }));
}

async function load(cluster, namespaces, podsPerNs) {
  const pod = (i) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, labels: { app: 'bench' } }, spec: { automountServiceAccountToken: false, containers: [{ name: 'c', image: 'registry.example/app:1.0', resources: { requests: { cpu: '10m' } } }] } });
  await pool(namespaces, 16, async (ns) => {
    const r = await cluster.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    if (r.status !== 201) throw new Error(`namespace ${ns}: ${r.status} ${r.text}`);
  });
  // Pods need the namespace's `default` ServiceAccount: wait for the controller to make them.
  for (;;) {
    const r = await cluster.request('GET', '/api/v1/serviceaccounts?limit=5000');
    if (new Set(r.body.items.map((s) => s.metadata.namespace)).size >= namespaces.length) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const jobs = namespaces.flatMap((ns) => Array.from({ length: podsPerNs }, (_, i) => [ns, i]));
  await pool(jobs, 16, async ([ns, i]) => {
    const r = await cluster.request('POST', `/api/v1/namespaces/${ns}/pods`, pod(i));
    if (r.status !== 201) throw new Error(`pod ${ns}/p${i}: ${r.status} ${r.text}`);
  });
}

async function measure(cluster, kinds, strategy, n) {
  const { connect } = await dist('sources/cluster/client.js');
  const { listCluster } = await dist('sources/cluster/read.js');
  const clients = await Promise.all(Array.from({ length: n }, () => connect({ kubeconfig: cluster.adminKubeconfig })));
  const stats = clients.map(() => ({ requests: 0, bytes: 0 }));
  clients.forEach((c, i) => {
    const get = c.get.bind(c);
    c.get = async (path, accept) => {
      const body = await get(path, accept);
      stats[i].requests++;
      stats[i].bytes += JSON.stringify(body).length;
      return body;
    };
  });
  const cpu0 = cpuMs(cluster.pids.apiServer) + cpuMs(cluster.pids.etcd);
  const t0 = performance.now();
  const walls = await Promise.all(clients.map(async (c, i) => {
    const s = performance.now();
    const snap = await listCluster(c, { kinds, shard: { index: i, count: n }, strategy });
    return { ms: performance.now() - s, objects: snap.objects.length };
  }));
  const wall = performance.now() - t0;
  return {
    strategy,
    n,
    slowestShardMs: Math.round(Math.max(...walls.map((w) => w.ms))),
    allShardsMs: Math.round(wall),
    requests: stats.reduce((a, s) => a + s.requests, 0),
    MiB: +(stats.reduce((a, s) => a + s.bytes, 0) / 2 ** 20).toFixed(1),
    objects: walls.reduce((a, w) => a + w.objects, 0),
    controlPlaneCpuMs: Math.round(cpuMs(cluster.pids.apiServer) + cpuMs(cluster.pids.etcd) - cpu0),
  };
}

async function main() {
  checkBuild();
  const { startCluster } = await loadClusterHelper();
  const { CHECKS } = await dist('checks/index.js');
  const { neededKinds } = await dist('cli/cluster.js');
  const kinds = neededKinds(CHECKS);
  const shapes = {
    wide: { namespaces: Number(args.wide), podsPerNs: 2 },
    deep: { namespaces: 20, podsPerNs: Math.round(Number(args.deep) / 20) },
  };
  const rows = [];
  for (const [shape, { namespaces, podsPerNs }] of Object.entries(shapes)) {
    const cluster = await startCluster({ readyTimeoutMs: 120_000 });
    try {
      const t0 = Date.now();
      await load(cluster, Array.from({ length: namespaces }, (_, i) => `${shape}-${i}`), podsPerNs);
      process.stderr.write(`${shape}: ${namespaces} namespaces x ${podsPerNs} pods loaded in ${Date.now() - t0} ms\n`);
      for (const n of [1, 2, 4, 8]) {
        for (const strategy of ['per-namespace', 'filter']) {
          if (n === 1 && strategy === 'per-namespace') continue; // unsharded: always the cluster-wide lists
          await measure(cluster, kinds, strategy, n); // warm-up: the watch cache, TLS session, JIT
          const best = [];
          for (let run = 0; run < 3; run++) best.push(await measure(cluster, kinds, strategy, n));
          best.sort((a, b) => a.slowestShardMs - b.slowestShardMs);
          rows.push({ shape, namespaces, pods: namespaces * podsPerNs, ...best[1] });
          process.stderr.write(`${JSON.stringify(rows.at(-1))}\n`);
        }
      }
    } finally {
      await cluster.stop();
    }
  }
  console.table(rows);
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/shard-read.json'), `${JSON.stringify(rows, null, 2)}\n`);
}

await main();
