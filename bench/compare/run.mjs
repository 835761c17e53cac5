#!/usr/bin/env node
// Times kubeladder against kube-score, polaris and kube-linter on the same 10k corpus, in the
// same run, and prints their time over ours. See README.md beside this file.
//
//   node bench/compare/run.mjs [--runs N] [--only 10k|100k] [--retry-builds]
//
// The tools are built from the Go module proxy into ~/.cache/kubeladder/bench-bin (once per
// version); a tool that cannot be built is skipped with one line saying why, and is not tried
// again until --retry-builds. Every tool writes JSON to stdout (discarded) and gets one
// warm-up run whose output is kept and checked, then N timed runs (default 3), taken in turn
// so that a busy moment on the machine hits every tool alike.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, checkBuild, corpus, environment, measure, median, options, table } from '../lib.mjs';

const BIN = join(homedir(), '.cache/kubeladder/bench-bin');

/** Newest versions checked against Go 1.26; README.md says how to move them on. */
const TOOLS = [
  { name: 'kube-score', module: 'github.com/zegl/kube-score/cmd/kube-score', version: 'v1.20.0', args: (f) => ['score', f, '-o', 'json'] },
  // Polaris tags v10.x, but its go.mod says github.com/fairwindsops/polaris (no /v10), so Go
  // can only install it at a commit (pseudo-version): the default branch.
  { name: 'polaris', module: 'github.com/fairwindsops/polaris', version: 'master', args: (f) => ['audit', '--audit-path', f, '--format', 'json'] },
  { name: 'kube-linter', module: 'golang.stackrox.io/kube-linter/cmd/kube-linter', version: 'v0.8.3', args: (f) => ['lint', f, '--format', 'json'] },
];

const args = options(
  { runs: { type: 'string', default: '3' }, only: { type: 'string', default: '10k' }, 'retry-builds': { type: 'boolean', default: false } },
  'node bench/compare/run.mjs [--runs N] [--only 10k|100k] [--retry-builds]',
);
const runs = Number(args.runs);

checkBuild();
const contenders = [{ name: 'kubeladder', version: 'this tree', argv: (f) => [process.execPath, CLI, 'scan', f, '--format', 'json', '--fail-on', 'none'] }];
for (const tool of TOOLS) {
  const bin = build(tool);
  if (bin) contenders.push({ name: tool.name, version: tool.version, argv: (f) => [bin, ...tool.args(f)] });
}

const env = environment();
const c = await corpus(args.only);
const tmp = mkdtempSync(join(tmpdir(), 'kl-compare-'));
for (const t of contenders) {
  const out = join(tmp, `${t.name}.json`);
  const m = measure(t.argv(c.file), { stdout: out });
  t.samples = [];
  t.code = m.code;
  t.outputBytes = statSync(out).size;
  const problem = checkOutput(out, m);
  if (problem) {
    t.skipped = problem;
    process.stderr.write(`skip ${t.name}: ${problem}\n`);
  } else {
    process.stderr.write(`${t.name} warm-up: ${(m.wallMs / 1000).toFixed(2)} s, exit ${m.code}, ${(t.outputBytes / 1e6).toFixed(1)} MB of JSON\n`);
  }
}
rmSync(tmp, { recursive: true, force: true });
if (contenders[0].skipped) {
  process.stderr.write('kubeladder itself gave no report: nothing to compare against\n');
  process.exit(1);
}
const timed = contenders.filter((t) => !t.skipped);
for (let i = 1; i <= runs; i++) {
  for (const t of timed) {
    const m = measure(t.argv(c.file));
    t.samples.push(m);
    process.stderr.write(`${t.name} run ${i}/${runs}: ${(m.wallMs / 1000).toFixed(2)} s\n`);
  }
}

const ours = timed[0];
/** Median of f over a tool's runs; NaN when a run lacks the figure (no GNU time, not node). */
const med = (t, f) => median(t.samples.map(f));
const fixed = (x, digits) => (Number.isFinite(x) ? x.toFixed(digits) : '?');
const rows = timed.map((t) => {
  const wall = med(t, (s) => s.wallMs / 1000);
  return {
    tool: t.name,
    version: t.version,
    'median s': wall.toFixed(2),
    'min s': Math.min(...t.samples.map((s) => s.wallMs / 1000)).toFixed(2),
    'CPU s': fixed(med(t, (s) => s.cpuMs / 1000), 2),
    'peak RSS MiB': fixed(med(t, (s) => s.rssKiB / 1024), 0),
    'output MB': (t.outputBytes / 1e6).toFixed(1),
    exit: t.code,
    'time / ours': t === ours ? '1.00x' : `${(wall / med(ours, (s) => s.wallMs / 1000)).toFixed(2)}x`,
    'CPU / ours': t === ours ? '1.00x' : `${fixed(med(t, (s) => s.cpuMs) / med(ours, (s) => s.cpuMs), 2)}x`,
  };
});
console.log(`${c.name} corpus: ${(c.bytes / 2 ** 20).toFixed(1)} MiB, ${c.objects.toLocaleString('en')} objects; median of ${runs} after a warm-up; node ${env.node}, ${env.cpus} CPUs`);
console.log(table(rows, Object.keys(rows[0])));
for (const t of contenders.filter((x) => x.skipped)) console.log(`${t.name}: not timed (${t.skipped})`);
for (const tool of TOOLS.filter((x) => !contenders.some((t) => t.name === x.name))) {
  const log = join(BIN, `${tool.name}.failed`);
  console.log(`${tool.name}: not built: ${existsSync(log) ? `${firstLine(readFileSync(log, 'utf8'))} (log: ${log})` : 'see above'}`);
}

const file = join(ROOT, 'bench/results/compare.json');
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(file, `${JSON.stringify({ ...env, corpus: { name: c.name, bytes: c.bytes, objects: c.objects }, runs, tools: rows }, null, 2)}\n`);
console.log(`\nwrote ${file}`);

/** The tool's binary, built with `go install` when missing or of another version; undefined when it cannot be. */
function build(tool) {
  const bin = join(BIN, tool.name);
  const stamp = join(BIN, `${tool.name}.version`);
  const failed = join(BIN, `${tool.name}.failed`);
  const want = `${tool.module}@${tool.version}`;
  if (existsSync(bin) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === want) return bin;
  if (existsSync(failed) && !args['retry-builds']) {
    process.stderr.write(`skip ${tool.name}: ${firstLine(readFileSync(failed, 'utf8'))} (earlier; --retry-builds tries again)\n`);
    return undefined;
  }
  mkdirSync(BIN, { recursive: true });
  process.stderr.write(`building ${tool.name}: go install ${want} (minutes, once)...\n`);
  const r = spawnSync('go', ['install', want], { env: { ...process.env, GOBIN: BIN }, encoding: 'utf8' });
  if (r.status !== 0) {
    const log = r.error ? `go: ${r.error.code ?? r.error.message}` : r.stderr;
    const line = firstLine(log.split('\n').filter((l) => !l.startsWith('go: downloading')).join('\n'));
    // "go: m@v: m@v: reading <proxy URL>: 403 Forbidden" says no more than its status.
    const status = /: (\d{3} [A-Za-z ]+)$/.exec(line)?.[1];
    const why = `go install ${want} failed: ${status ? `the module proxy answered ${status}` : line}`;
    writeFileSync(failed, `${why}\n\n${log}`);
    process.stderr.write(`skip ${tool.name}: ${why}\n`);
    return undefined;
  }
  rmSync(failed, { force: true });
  writeFileSync(stamp, `${want}\n`);
  return bin;
}

/** Why the warm-up's output cannot be trusted, or undefined when it looks like a JSON report. */
function checkOutput(file, m) {
  const fd = openSync(file, 'r');
  const head = Buffer.alloc(64);
  const n = readSync(fd, head, 0, 64, 0);
  closeSync(fd);
  const start = head.subarray(0, n).toString().trimStart()[0];
  if (start === '{' || start === '[') return undefined;
  return `exit ${m.code} and no JSON report on stdout: ${firstLine(m.stderr) || '(no stderr)'}`;
}

function firstLine(s) {
  return s.trim().split('\n')[0]?.slice(0, 300) ?? '';
}
