#!/usr/bin/env node
// The scan benchmark: times the whole `kubeladder scan --format json` process on generated
// corpora (bench/corpus/, cached) and checks it against the targets.
//
//   node bench/scan/run.mjs [--runs N] [--only 10k|100k]
//
// Each corpus gets one warm-up run (not counted), then N runs (default 5); the table shows
// the median, min and max wall time, the median CPU time (user + system: steadier than wall
// when something else is running) and peak RSS of the child, and whether each target is met.
// The figures also go to bench/results/scan.json. Exits 1 when a target is missed. Build
// first (`npx tsc -p .`): this runs dist/ as the binary does.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, CORPORA, ROOT, against, checkBuild, corpus, environment, measure, median, mib, options, table } from '../lib.mjs';

/** From the issue: wall seconds (median of the runs) and peak RSS in MiB (1.5 GiB, worst run). */
const TARGETS = {
  '10k': { wallS: 1.5 },
  '100k': { wallS: 15, rssMiB: 1536 },
};

const args = options({ runs: { type: 'string', default: '5' }, only: { type: 'string' } }, 'node bench/scan/run.mjs [--runs N] [--only 10k|100k]');
const runs = Number(args.runs);
const names = args.only ? [args.only] : Object.keys(CORPORA);

checkBuild();
const env = environment();
const results = [];
for (const name of names) {
  const c = await corpus(name);
  const argv = [process.execPath, CLI, 'scan', c.file, '--format', 'json', '-o', '/dev/null', '--fail-on', 'none'];
  const samples = [];
  for (let i = 0; i <= runs; i++) {
    const m = measure(argv);
    if (m.code !== 0) throw new Error(`kubeladder exited ${m.code} on ${c.file}:\n${m.stderr}`);
    if (i > 0) samples.push(m); // run 0 warms the page cache and the compile cache
    const cpu = m.cpuMs === undefined ? '?' : (m.cpuMs / 1000).toFixed(2);
    process.stderr.write(`${name} ${i === 0 ? 'warm-up' : `run ${i}/${runs}`}: ${(m.wallMs / 1000).toFixed(2)} s wall, ${cpu} s CPU, ${mib(m.rssKiB)} MiB\n`);
  }
  const wall = samples.map((s) => s.wallMs / 1000);
  const rss = samples.map((s) => s.rssKiB).filter((x) => x !== undefined);
  const cpu = samples.map((s) => s.cpuMs).filter((x) => x !== undefined).map((x) => x / 1000);
  const r = {
    corpus: name,
    bytes: c.bytes,
    objects: c.objects,
    runs,
    wallS: { median: median(wall), min: Math.min(...wall), max: Math.max(...wall), all: wall },
    cpuS: cpu.length ? { median: median(cpu), all: cpu } : undefined,
    rssMiB: rss.length ? { median: median(rss) / 1024, max: Math.max(...rss) / 1024 } : undefined,
    target: TARGETS[name],
  };
  r.verdicts = verdicts(r);
  r.pass = r.verdicts.every((v) => v.startsWith('PASS'));
  results.push(r);
}

const rows = results.map((r) => ({
  corpus: r.corpus,
  'size MiB': (r.bytes / 2 ** 20).toFixed(1),
  objects: r.objects.toLocaleString('en'),
  'median s': r.wallS.median.toFixed(2),
  'min s': r.wallS.min.toFixed(2),
  'max s': r.wallS.max.toFixed(2),
  'MiB/s': (r.bytes / 2 ** 20 / r.wallS.median).toFixed(1),
  'CPU s': r.cpuS ? r.cpuS.median.toFixed(2) : '?',
  'peak RSS MiB': r.rssMiB ? r.rssMiB.median.toFixed(0) : '?',
  verdict: r.verdicts.join('; '),
}));
console.log(`kubeladder scan --format json, median of ${runs} (after a warm-up); node ${env.node}, ${env.cpus} CPUs, commit ${env.commit}${env.dirty ? ' + local changes' : ''}`);
console.log(table(rows, Object.keys(rows[0])));

const out = join(ROOT, 'bench/results/scan.json');
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(out, `${JSON.stringify({ ...env, results }, null, 2)}\n`);
console.log(`\nwrote ${out}`);
process.exitCode = results.every((r) => r.pass) ? 0 : 1;

function verdicts(r) {
  const out = [];
  const { wallS, rssMiB } = r.target;
  if (wallS !== undefined) out.push(against('wall', r.wallS.median, wallS, 's', 2));
  if (rssMiB !== undefined) out.push(r.rssMiB ? against('worst RSS', r.rssMiB.max, rssMiB, 'MiB', 0) : 'RSS not measured');
  return out;
}

