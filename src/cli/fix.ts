/** `kubeladder fix PATH...`: adds the security settings that almost never break a workload, in place. */
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { NoInputError, UsageError, formatProblem, type InputProblem } from '../core/errors.js';
import { FIXES, runFixes, selectFixes, type FixRun, type ObjectReport } from '../fix/index.js';
import { unifiedDiff } from '../fix/diff.js';
import { enumerateInputs, parseFixFile, readFileInput, readInput, type FixFile } from '../fix/source.js';
import { collect } from './cluster.js';
import type { Io } from './io.js';

export interface FixOptions {
  filename?: string[];
  include?: string[];
  exclude?: string[];
  dryRun?: boolean;
  strict?: boolean;
  namespace?: string;
}

function wrap(text: string, indent: string, width = 78): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      out.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(indent + line);
  return out;
}

/** The fixes, what each writes and what it may break: in --help and docs/fix.md. */
function fixList(): string {
  const lines: string[] = [];
  for (const optIn of [false, true]) {
    lines.push('', optIn ? 'Opt-in fixes (--include NAME, or --include all):' : 'Default fixes:');
    for (const f of FIXES.filter((x) => x.optIn === optIn)) {
      lines.push(`  ${f.name}`, ...wrap(f.summary, '      '), ...wrap(`May break: ${f.mayBreak}`, '      '));
    }
  }
  return lines.join('\n');
}

export function fixCommand(io: Io, done: (code: number) => void): Command {
  return new Command('fix')
    .summary('add safe securityContext settings and Pod Security labels to manifests, in place')
    .description(
      [
        'Rewrite Kubernetes manifests in place (files, directories, - for stdin), adding the security settings that almost never break a workload; riskier ones are opt-in. Only the inserted or changed text is written: comments, key order, quoting and indentation stay as they were. Applies to Pods and the pod templates of Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs, ReplicationControllers and PodTemplates, and to Namespace labels. Helm charts and Kustomize directories cannot be fixed in place and are skipped. A summary of what was applied and skipped (and why) goes to stderr. See docs/fix.md.',
        fixList(),
      ].join('\n'),
    )
    .argument('[paths...]', 'files or directories to fix (- reads stdin and writes the fixed text to stdout)')
    .option('-f, --filename <path>', 'a file or directory to fix (repeatable, as kubectl takes it)', collect)
    .option('--include <fixes>', 'also run these opt-in fixes: a comma list, repeatable ("all" for every one)', collect)
    .option('--exclude <fixes>', 'do not run these fixes (default or opt-in): a comma list, repeatable', collect)
    .option('--dry-run', 'print a unified diff of the changes to stdout and write nothing')
    .option('-n, --namespace <ns>', 'the namespace of objects that name none, for psa-labels (default "default")')
    .option('--strict', 'exit 2 when any input could not be read or fixed, even if others could')
    .action(async (paths: string[], opts: FixOptions) => done(await runFix([...paths, ...(opts.filename ?? [])], opts, io)));
}

async function readStdin(io: Io): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of io.stdin as AsyncIterable<Buffer | string>) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks);
}

export async function runFix(inputs: string[], opts: FixOptions, io: Io): Promise<number> {
  const fixes = selectFixes(opts.include, opts.exclude);
  if (inputs.length === 0) throw new UsageError('fix: no input; give PATHs or -f PATH (- for stdin)');
  if (inputs.filter((i) => i === '-').length > 1) throw new UsageError('fix: - (stdin) can be given once');
  const found = enumerateInputs(inputs, io.cwd);
  const problems: InputProblem[] = [...found.problems];
  const files: FixFile[] = [];
  let readable = found.directories;
  for (const input of found.files) {
    const read = input.path === undefined ? readInput(input, await readStdin(io)) : readFileInput(input);
    if (read.problem) {
      problems.push(read.problem);
      continue;
    }
    const parsed = parseFixFile(input, read.text!, opts.namespace ?? 'default');
    if (parsed.problem) {
      problems.push(parsed.problem);
      continue;
    }
    readable++;
    files.push(parsed.file!);
  }
  for (const n of found.notices) io.stderr.write(`${n}\n`);
  for (const p of problems) io.stderr.write(`${formatProblem(p)}\n`);
  if (readable === 0) throw new NoInputError('fix: no input could be read');

  // psa-labels cannot see the workloads of inputs it could not read.
  const unseen = [...problems.filter((p) => !p.warning).map((p) => p.file), ...found.unrendered];
  const run = runFixes(files, fixes, unseen);
  let rewritten = 0;
  for (const f of run.files) {
    const { input } = f.file;
    if (f.error) {
      problems.push({ file: input.display, message: f.error });
      io.stderr.write(`${input.display}: ${f.error}\n`);
    }
    if (opts.dryRun) {
      if (f.changed) io.stdout.write(unifiedDiff(input.display, f.file.text, f.text, f.edits));
    } else if (input.path === undefined) {
      io.stdout.write(f.text);
    } else if (f.changed) {
      try {
        writeFileSync(input.path, f.text);
      } catch (e) {
        const p = { file: input.display, message: `cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
        problems.push(p);
        io.stderr.write(`${formatProblem(p)}\n`);
        continue;
      }
    }
    if (f.changed) rewritten++;
  }
  io.stderr.write(summary(run, rewritten, files.length, opts, files.some((f) => f.input.path === undefined)));
  return opts.strict && problems.some((p) => !p.warning) ? 2 : 0;
}

function objectLines(o: ObjectReport): string[] {
  const lines = [`${o.file}:${o.line}: ${o.display}`];
  const groups = new Map<string, string[]>();
  for (const out of o.outcomes) {
    const key = `${out.status}\u0000${out.fix}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(out.detail);
  }
  const width = Math.max(...o.outcomes.map((x) => x.fix.length));
  for (const [key, details] of groups) {
    const [status, fix] = key.split('\u0000') as [string, string];
    const label = status === 'applied' ? 'fixed  ' : 'skipped';
    lines.push(`  ${label}  ${fix.padEnd(Math.max(width, 9))}  ${details.join('; ')}`);
  }
  return lines;
}

function summary(run: FixRun, rewritten: number, files: number, opts: FixOptions, stdin: boolean): string {
  const lines = run.objects.flatMap(objectLines);
  const applied = run.objects.reduce((n, o) => n + o.outcomes.filter((x) => x.status === 'applied').length, 0);
  const skipped = run.objects.reduce((n, o) => n + o.outcomes.filter((x) => x.status === 'skipped').length, 0);
  const touched = run.objects.filter((o) => o.outcomes.some((x) => x.status === 'applied')).length;
  const verb = opts.dryRun ? 'would change (--dry-run: nothing written)' : stdin && files === 1 ? 'changed (written to stdout)' : 'rewritten';
  lines.push(
    `kubeladder fix: ${applied} ${applied === 1 ? 'fix' : 'fixes'} applied to ${touched} ${touched === 1 ? 'object' : 'objects'}, ${skipped} skipped; ${rewritten} of ${files} ${files === 1 ? 'file' : 'files'} ${verb}`,
  );
  return `${lines.join('\n')}\n`;
}
