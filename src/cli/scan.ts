import { Command } from 'commander';
import { CHECKS } from '../checks/index.js';
import { defaultConfig, loadConfig, type Config } from '../core/config.js';
import { NoInputError, UsageError, formatProblem } from '../core/errors.js';
import { buildDocument, listed } from '../core/results.js';
import { runChecks } from '../core/runner.js';
import { readManifests } from '../sources/files.js';
import { VERSION } from '../version.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Io } from './io.js';
import { addOutputOptions, emit, parseFailOn, parseFormat, type OutputOptions } from './output.js';

export interface ScanOptions extends OutputOptions {
  filename?: string[];
  namespace?: string;
  config?: string;
  check?: string[];
  strict?: boolean;
}

export function scanCommand(io: Io, done: (code: number) => void): Command {
  const cmd = new Command('scan')
    .summary('scan manifests and show the rung they reach')
    .description(
      'Scan Kubernetes manifests (files, directories, - for stdin; Kustomize directories and Helm charts are rendered) and report the rung of the security ladder they reach.',
    )
    .argument('[paths...]', 'files or directories to scan (- reads stdin)')
    .option('-f, --filename <path>', 'a file or directory to scan (repeatable, as kubectl takes it)', collect)
    .option('-n, --namespace <ns>', 'namespace of objects that name none', 'default')
    .option('--config <file>', 'config file (default: .kubeladder.yaml in the working directory when present)')
    .option('--check <id>', 'run only this check (repeatable)', collect)
    .option('--strict', 'exit 2 when any input could not be read, even if others could');
  addOutputOptions(cmd);
  return cmd.action(async (paths: string[], opts: ScanOptions) => done(await runScan([...paths, ...(opts.filename ?? [])], opts, io)));
}

function collect(v: string, prev: string[] | undefined): string[] {
  return [...(prev ?? []), v];
}

export function resolveConfig(file: string | undefined, io: Io): Config {
  const known = new Set(CHECKS.map((c) => c.id));
  if (file) return loadConfig(resolve(io.cwd, file), known, file);
  const local = resolve(io.cwd, '.kubeladder.yaml');
  return existsSync(local) ? loadConfig(local, known, '.kubeladder.yaml') : defaultConfig();
}

export async function runScan(inputs: string[], opts: ScanOptions, io: Io): Promise<number> {
  if (inputs.length === 0) throw new UsageError('scan: no input; give PATHs or -f PATH (- for stdin)');
  parseFormat(opts.format);
  parseFailOn(opts.failOn);
  const only = opts.check && opts.check.length > 0 ? new Set(opts.check) : undefined;
  for (const id of only ?? []) if (!CHECKS.some((c) => c.id === id)) throw new UsageError(`--check: unknown check "${id}" (see \`kubeladder checks\`)`);
  const config = resolveConfig(opts.config, io);
  const read = await readManifests(inputs, { cwd: io.cwd, stdin: io.stdin, defaultNamespace: opts.namespace });
  for (const p of read.problems) io.stderr.write(`${formatProblem(p)}\n`);
  if (read.readable === 0) throw new NoInputError('scan: no input could be read');
  const run = runChecks(CHECKS, read.inventory, { config, only, keep: (status) => listed(status, opts) });
  const doc = buildDocument(
    {
      version: VERSION,
      source: 'scan',
      files: read.files,
      objects: read.inventory.resources.length,
      results: run.results,
      checks: run.checks,
      problems: read.problems,
      notes: read.inventory.notes,
    },
    opts,
  );
  const code = emit(doc, opts, io, 'scan');
  if (opts.strict && read.problems.some((p) => !p.warning)) return 2;
  return code;
}
