#!/usr/bin/env node
// Where the time of `kubeladder scan --format json` goes: runs it under `node --cpu-prof` and
// charges every sample to a phase by the innermost frame of its stack that belongs to one (so
// locating a finding's line counts as locating, not as the check that asked for it). Garbage
// collection has no stack: each GC sample is charged to the phase of the sample before it,
// and shown apart. Phases are medians over the runs; functions are means.
//
//   node bench/scan/profile.mjs [--runs N] [--only 10k|100k] [--top N]
//
// The last profile is kept as bench/results/scan-<corpus>.cpuprofile (open it in Chrome
// DevTools or speedscope). Profiling costs a few percent; the scan benchmark has the real times.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, checkBuild, corpus, median, options, phaseClassifier, table } from '../lib.mjs';

/** Phases by the frame's script (and, for module top level, its function): first match wins. */
const PHASES = [
  ['module load', (f) => f.url.startsWith('node:internal/modules') || (f.functionName === '' && f.lineNumber === 0 && f.url !== '')],
  ['parse YAML (js-yaml)', (f) => /\/node_modules\/js-yaml\/|\/dist\/sources\/parse\.js$/.test(f.url)],
  ['locate lines of findings', (f) => /\/dist\/sources\/locate\.js$|\/node_modules\/yaml\/|\/dist\/core\/path\.js$/.test(f.url)],
  ['read + split', (f) => /\/dist\/sources\/(files|split)\.js$|^node:(string_decoder|internal\/fs|internal\/streams)/.test(f.url)],
  ['inventory', (f) => /\/dist\/core\/(inventory|resource)\.js$/.test(f.url)],
  ['checks + results', (f) => /\/dist\/(checks|engines)\/|\/dist\/core\/(runner|exemptions|check)\.js$/.test(f.url)],
  ['sort + summarise', (f) => /\/dist\/core\/(results|ladder|severity)\.js$/.test(f.url)],
  ['JSON serialise + write', (f) => /\/dist\/reporters\/|\/dist\/cli\/output\.js$/.test(f.url)],
  ['CLI', (f) => /\/dist\/cli\/|\/node_modules\/commander\//.test(f.url)],
];
const SPECIAL = { '(garbage collector)': 'GC', '(idle)': 'idle (waiting for I/O)', '(program)': 'V8/native, no JS stack' };
const OUTSIDE = 'outside the profile (node start-up, exit)';

const args = options(
  { runs: { type: 'string', default: '3' }, only: { type: 'string', default: '10k' }, top: { type: 'string', default: '15' } },
  'node bench/scan/profile.mjs [--runs N] [--only 10k|100k] [--top N]',
);
const runs = Number(args.runs);
checkBuild();
const c = await corpus(args.only);
const kept = join(ROOT, `bench/results/scan-${c.name}.cpuprofile`);
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });

const perRun = []; // [{ wallMs, profiledMs, js: Map, gc: Map, fn: Map }]
for (let i = 0; i < runs; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'kl-prof-'));
  const argv = ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '250', CLI, 'scan', c.file, '--format', 'json', '-o', '/dev/null', '--fail-on', 'none'];
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`kubeladder exited ${r.status}`);
  const file = join(dir, readdirSync(dir).find((f) => f.endsWith('.cpuprofile')));
  copyFileSync(file, kept);
  perRun.push({ wallMs, ...charge(JSON.parse(readFileSync(file, 'utf8'))) });
  rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`profile ${i + 1}/${runs}: ${wallMs.toFixed(0)} ms wall\n`);
}

/** Milliseconds per phase (JS and GC apart) and per function, from one .cpuprofile. */
function charge(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const phase = phaseClassifier(profile, SPECIAL, PHASES);
  const js = new Map();
  const gc = new Map();
  const fn = new Map();
  const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);
  let last = 'other';
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000; // a sample lasts until the next one
    const id = profile.samples[i];
    const p = phase(id);
    if (p === 'GC') add(gc, last, ms);
    else {
      add(js, p, ms);
      if (!p.startsWith('idle')) last = p;
    }
    const f = nodes.get(id).callFrame;
    add(fn, `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}${f.url ? `:${f.lineNumber + 1}` : ''}`, ms);
  }
  return { profiledMs: (profile.endTime - profile.startTime) / 1000, js, gc, fn };
}

const med = (f) => median(perRun.map(f));
const names = [...new Set(perRun.flatMap((r) => [...r.js.keys(), ...r.gc.keys()]))];
const rows = names.map((p) => ({ p, js: med((r) => r.js.get(p) ?? 0), gc: med((r) => r.gc.get(p) ?? 0) }));
rows.sort((a, b) => b.js + b.gc - (a.js + a.gc));
const profiledMs = med((r) => r.profiledMs);
const wallMs = med((r) => r.wallMs);
const out = rows.map(({ p, js, gc }) => ({
  phase: p,
  'JS ms': js.toFixed(0),
  'GC ms': gc.toFixed(0),
  'total ms': (js + gc).toFixed(0),
  share: `${(((js + gc) / wallMs) * 100).toFixed(1)}%`,
}));
const outside = med((r) => r.wallMs - r.profiledMs);
out.push({ phase: OUTSIDE, 'total ms': outside.toFixed(0), share: `${((outside / wallMs) * 100).toFixed(1)}%` });
console.log(`kubeladder scan ${c.name} (${(c.bytes / 2 ** 20).toFixed(1)} MiB, ${c.objects.toLocaleString('en')} objects) under --cpu-prof, median of ${runs}: ${wallMs.toFixed(0)} ms wall, ${profiledMs.toFixed(0)} ms profiled`);
console.log(table(out, ['phase', 'JS ms', 'GC ms', 'total ms', 'share']));

const fns = new Map();
for (const r of perRun) for (const [k, v] of r.fn) fns.set(k, (fns.get(k) ?? 0) + v / runs);
const top = [...fns].sort((a, b) => b[1] - a[1]).slice(0, Number(args.top));
console.log(`\ntop ${args.top} functions by self time (mean):`);
console.log(table(top.map(([f, ms]) => ({ 'self ms': ms.toFixed(0), function: f })), ['self ms', 'function']));
console.log(`\nlast profile: ${kept}`);
