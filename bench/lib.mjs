// Shared by the benchmarks: the cached corpora, timing a child process, and a table printer.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generate } from './scan/generate.mjs';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI = join(ROOT, 'bin/kubeladder.js');
export const CORPORA = { '10k': 10_000, '100k': 100_000 };

const GENERATOR = join(ROOT, 'bench/scan/generate.mjs');
const HOOK = join(ROOT, 'bench/maxrss.cjs');
// KL_BENCH_NO_TIME=1 takes the hook's way even where GNU time is installed.
const TIME = existsSync('/usr/bin/time') && !process.env.KL_BENCH_NO_TIME ? '/usr/bin/time' : undefined;

/** The command line's options (node:util parseArgs), with --runs and --only checked; exits 2 on a mistake. */
export function options(spec, usage) {
  try {
    const { values } = parseArgs({ options: spec });
    if (values.runs !== undefined && !(Number.isInteger(Number(values.runs)) && Number(values.runs) > 0)) throw new Error('--runs takes a positive whole number');
    if (values.only !== undefined && !CORPORA[values.only]) throw new Error(`--only takes one of ${Object.keys(CORPORA).join(', ')}`);
    return values;
  } catch (e) {
    process.stderr.write(`${e.message}\nusage: ${usage}\n`);
    process.exit(2);
  }
}

/** The corpus `name` (10k, 100k) under bench/corpus/, generated again when the generator changed. */
export async function corpus(name) {
  const deployments = CORPORA[name];
  if (!deployments) throw new Error(`unknown corpus "${name}" (one of ${Object.keys(CORPORA).join(', ')})`);
  const file = join(ROOT, 'bench/corpus', `${name}.yaml`);
  const metaFile = `${file}.meta.json`;
  const generator = createHash('sha256').update(readFileSync(GENERATOR)).digest('hex').slice(0, 16);
  if (existsSync(file) && existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
    if (meta.generator === generator && meta.deployments === deployments && meta.bytes === statSync(file).size) return { name, file, ...meta };
  }
  process.stderr.write(`generating ${file} (${deployments.toLocaleString('en')} Deployments)...\n`);
  const objects = await generate(file, deployments);
  const meta = { generator, deployments, objects, bytes: statSync(file).size };
  writeFileSync(metaFile, `${JSON.stringify(meta, null, 2)}\n`);
  return { name, file, ...meta };
}

/**
 * Runs `argv` once with stdout discarded (or written to the file `stdout`). Returns its wall
 * time (ms, measured here), and its peak RSS (KiB) and CPU time (user + system, ms) from GNU
 * time or, for node children where that is missing, from the --require hook (else undefined).
 */
export function measure(argv, { cwd = ROOT, stdout } = {}) {
  const tmp = mkdtempSync(join(tmpdir(), 'kl-bench-'));
  const statsFile = join(tmp, 'stats');
  let cmd = argv;
  const env = { ...process.env };
  if (TIME) {
    cmd = [TIME, '-f', '%e %M %U %S', '-o', statsFile, ...argv];
  } else if (argv[0] === process.execPath) {
    cmd = [argv[0], '--require', HOOK, ...argv.slice(1)];
    env.KL_BENCH_RSS_FILE = statsFile;
  }
  const out = stdout ? openSync(stdout, 'w') : 'ignore';
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd, env, stdio: ['ignore', out, 'pipe'], maxBuffer: 64 << 20 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (stdout) closeSync(out);
  let rssKiB;
  let cpuMs;
  if (existsSync(statsFile)) {
    // "wall maxrss user sys" (GNU time writes "Command exited with non-zero status N" first when it does).
    const [, rss, user, sys] = readFileSync(statsFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    rssKiB = rss || undefined;
    cpuMs = (user + sys) * 1000;
  }
  rmSync(tmp, { recursive: true, force: true });
  const code = r.error ? -1 : (r.status ?? -1);
  return { wallMs, rssKiB, cpuMs, code, stderr: r.error ? String(r.error) : r.stderr.toString() };
}

/** mulberry32: seeded, so every machine generates the same corpus. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Left-aligned text, right-aligned numbers, one space-padded column per key. */
export function table(rows, columns) {
  const cells = rows.map((r) => columns.map((c) => String(r[c] ?? '')));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (row) => row.map((v, i) => (/^[-+]?[\d.,]+( \w+)?$/.test(v) ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** Fails early when dist/ is missing or older than src/. */
export function checkBuild() {
  const main = join(ROOT, 'dist/cli/main.js');
  if (!existsSync(main)) {
    process.stderr.write('dist/ is missing: build first with `npx tsc -p .`\n');
    process.exit(2);
  }
  const built = statSync(main).mtimeMs;
  const src = join(ROOT, 'src');
  const stale = readdirSync(src, { recursive: true }).find((f) => f.endsWith('.ts') && statSync(join(src, f)).mtimeMs > built);
  if (stale) process.stderr.write(`warning: src/${stale} is newer than dist/: rebuild with \`npx tsc -p .\`\n`);
}

/** Node, CPUs, load and commit, so a result file says what it measured. */
export function environment() {
  const git = (...a) => spawnSync('git', a, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim();
  const load = loadavg()[0];
  if (load > 0.5) process.stderr.write(`warning: load average ${load.toFixed(2)} before starting: wall times may be noisy (CPU times less so)\n`);
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpus: availableParallelism(),
    load: Number(load.toFixed(2)),
    commit: git('rev-parse', '--short', 'HEAD') || 'unknown',
    dirty: Boolean(git('status', '--porcelain', '--', 'src')),
    measuredBy: TIME ? '/usr/bin/time' : 'node --require bench/maxrss.cjs',
  };
}

/** `PASS wall 1.17 <= 1.5 s (22% under)` or `MISS wall 2.10 > 1.5 s (+0.60 s, 40% over)`. */
export function against(what, value, limit, unit, digits) {
  const pct = Math.round((Math.abs(value - limit) / limit) * 100);
  if (value <= limit) return `PASS ${what} ${value.toFixed(digits)} <= ${limit} ${unit} (${pct}% under)`;
  return `MISS ${what} ${value.toFixed(digits)} > ${limit} ${unit} (+${(value - limit).toFixed(digits)} ${unit}, ${pct}% over)`;
}

export function mib(kib) {
  return kib === undefined ? '?' : (kib / 1024).toFixed(0);
}

/**
 * The phase of each node of a .cpuprofile: by function name (`special`), else the first
 * matching [phase, test(callFrame)] of `phases`, else its caller's phase.
 */
export function phaseClassifier(profile, special, phases) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const ch of n.children ?? []) parent.set(ch, n.id);
  const phaseOf = new Map();
  const phase = (id) => {
    if (!phaseOf.has(id)) {
      const f = nodes.get(id).callFrame;
      phaseOf.set(id, (Object.hasOwn(special, f.functionName) ? special[f.functionName] : undefined) ?? phases.find(([, test]) => test(f))?.[0] ?? (parent.has(id) ? phase(parent.get(id)) : 'other'));
    }
    return phaseOf.get(id);
  };
  return phase;
}

/**
 * Prints `[what, median ms, target ms | undefined]` rows as a table with PASS/MISS against each
 * target, and sets the exit code to 1 when any target is missed.
 */
export function printTargets(rows) {
  process.stdout.write(
    `${table(
      rows.map(([what, ms, limit]) => ({ what, 'median ms': ms.toFixed(ms < 1 ? 3 : 1), target: limit ? `${ms <= limit ? 'PASS' : 'MISS'} <= ${limit} ms` : '' })),
      ['what', 'median ms', 'target'],
    )}\n`,
  );
  process.exitCode = rows.some(([, ms, limit]) => limit && ms > limit) ? 1 : 0;
}
