/** `kubeladder pss ...`: the Pod Security Standards engine's own queries. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import type { Inventory } from '../core/inventory.js';
import type { Resource } from '../core/resource.js';
import type { PssLevel, PssVersion, PssViolation } from '../engines/pss/index.js';
import { isPsaVersion, namespacePsaLabels, type PsaLevel } from '../engines/pss/labels.js';
import { evaluateWorkload, namespaceLevels } from '../engines/pss/workloads.js';
import { POD_KINDS } from '../engines/workloads/pod-specs.js';
import type { Io } from './io.js';
import { readManifestsFor } from './manifests.js';

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

/** `--level`: a Pod Security Standards level the engine judges (privileged allows everything). */
export function parsePssLevel(v: string): PssLevel {
  if (v === 'baseline' || v === 'restricted') return v;
  throw new UsageError(`--level: "${v}" is not a Pod Security Standards level; use baseline or restricted (privileged allows every pod)`);
}

/** `--version`: a policy version as the PSA `-version` labels take it, `latest` or `v1.N`. */
export function parsePssVersion(v: string): PssVersion {
  if (isPsaVersion(v)) return v as PssVersion;
  throw new UsageError(`--version: "${v}" is not a Pod Security Standards version; use latest or v1.N (e.g. v1.30)`);
}

export interface PssVerdict {
  file: string | null;
  kind: string;
  namespace: string | null;
  name: string;
  allowed: boolean;
  violations: PssViolation[];
}

interface Judged {
  resource: Resource;
  verdict: PssVerdict;
}

const POD_KIND_SET: ReadonlySet<string> = new Set(POD_KINDS);

/**
 * Every Pod and pod template in the inventory, in input order: all of them, not only the
 * top-level ones (the user named these objects). Objects of those kinds without a pod spec are
 * skipped with a warning on stderr.
 */
export function judgeInventory(inventory: Inventory, level: PssLevel, version: PssVersion, io: Io): Judged[] {
  const out: Judged[] = [];
  for (const r of inventory.resources) {
    if (!POD_KIND_SET.has(r.kind)) continue;
    const result = evaluateWorkload(r, level, version);
    if (!result) {
      io.stderr.write(`${where(r) ?? r.display}: warning: ${r.display} has no pod spec; not judged\n`);
      continue;
    }
    out.push({
      resource: r,
      verdict: {
        file: r.origin.file ?? null,
        kind: r.kind,
        namespace: r.namespace ?? null,
        name: r.name,
        allowed: result.allowed,
        violations: result.violations.map((v) => ({ check: v.check, message: v.message })),
      },
    });
  }
  return out;
}

function where(r: Resource): string | undefined {
  const { file, line } = r.origin;
  if (file === undefined) return undefined;
  return line ? `${file}:${line}` : file;
}

function renderText(judged: readonly Judged[], level: PssLevel, version: PssVersion): string {
  const lines: string[] = [];
  let allowed = 0;
  for (const { resource, verdict } of judged) {
    if (verdict.allowed) allowed++;
    const at = where(resource);
    lines.push(`${(verdict.allowed ? 'ALLOWED' : 'DENIED').padEnd(7)}  ${resource.display}${at ? `  (${at})` : ''}`);
    for (const v of verdict.violations) lines.push(`  ${v.check}: ${v.message}`);
  }
  const n = judged.length;
  lines.push(`${n} ${n === 1 ? 'object' : 'objects'}: ${allowed} allowed, ${n - allowed} denied at ${level}:${version}`);
  return `${lines.join('\n')}\n`;
}

interface CheckOptions {
  level: string;
  version: string;
  format: string;
  output?: string;
  filename?: string[];
  namespace?: string;
}

export async function runPssCheck(paths: string[], opts: CheckOptions, io: Io): Promise<number> {
  const level = parsePssLevel(opts.level);
  const version = parsePssVersion(opts.version);
  if (opts.format !== 'text' && opts.format !== 'json') throw new UsageError(`--format: "${opts.format}" is not one of text, json`);
  const inputs = [...paths, ...(opts.filename ?? [])];
  if (inputs.length === 0) throw new UsageError('pss check: no input; give PATHs or -f PATH (- reads stdin)');
  const read = await readManifestsFor('pss', inputs, io, opts.namespace);
  const judged = judgeInventory(read.inventory, level, version, io);
  if (judged.length === 0) io.stderr.write('pss check: no Pods or pod templates in the input\n');
  const rendered = opts.format === 'json' ? `${JSON.stringify(judged.map((j) => j.verdict), null, 2)}\n` : renderText(judged, level, version);
  if (opts.output !== undefined && opts.output !== '-') writeFileSync(resolve(io.cwd, opts.output), rendered);
  else io.stdout.write(rendered);
  return judged.some((j) => !j.verdict.allowed) ? 1 : 0;
}

export function pssCommand(io: Io, done: (code: number) => void): Command {
  const pss = new Command('pss')
    .summary("the Pod Security Standards engine's own queries")
    .description("The Pod Security Standards engine's own queries: judge pods as the PodSecurity admission plugin would.");
  pss
    .command('check')
    .summary('judge Pods and pod templates against a Pod Security Standards level')
    .description(
      'Judge every Pod and every pod template (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ReplicationController, PodTemplate) in PATHs ' +
        'against a Pod Security Standards level at a policy version, as the PodSecurity admission plugin would, controlled objects included. ' +
        'Exit 1 when any object is denied, 0 when all are allowed, 2 on a usage error or when no input could be read.',
    )
    .argument('[paths...]', 'files or directories to read (- reads stdin)')
    .option('-f, --filename <path>', 'a file or directory to read (repeatable, as kubectl takes it)', collect)
    .option('--level <level>', 'the level to judge by: baseline or restricted', 'restricted')
    .option('--version <version>', 'the policy version, as the pod-security.kubernetes.io/*-version labels take it: latest or v1.N (e.g. v1.30); not the program\'s version (`kubeladder version`)', 'latest')
    .option('-n, --namespace <ns>', 'the namespace of objects that name none', 'default')
    .option('--format <name>', 'output format: text or json', 'text')
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .action(async (paths: string[], opts: CheckOptions) => done(await runPssCheck(paths, opts, io)));
  pss
    .command('namespaces')
    .summary('per namespace: the level it enforces and the strictest level its workloads pass')
    .description(
      'For every namespace in PATHs: the Pod Security Admission level its labels enforce, and the strictest level all of its workloads ' +
        'already pass (so which enforce label is safe to set), with the workloads that hold it back. Exit 0, or 2 on a usage error.',
    )
    .argument('[paths...]', 'files or directories to read (- reads stdin)')
    .option('-f, --filename <path>', 'a file or directory to read (repeatable, as kubectl takes it)', collect)
    .option('--version <version>', 'the policy version to judge the workloads at: latest or v1.N', 'latest')
    .option('-n, --namespace <ns>', 'the namespace of objects that name none', 'default')
    .option('--format <name>', 'output format: text or json', 'text')
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .action(async (paths: string[], opts: Omit<CheckOptions, 'level'>) => done(await runPssNamespaces(paths, opts, io)));
  return pss;
}

export interface NamespaceReadiness {
  namespace: string;
  /** The enforce label as written, or null when there is none (any pod is admitted). */
  enforces: string | null;
  workloads: number;
  /** The strictest level every workload passes. */
  passes: PsaLevel;
  /** Workloads that keep the namespace below the next level, as `Kind/name`. */
  heldBackBy: string[];
}

export async function runPssNamespaces(paths: string[], opts: Omit<CheckOptions, 'level'>, io: Io): Promise<number> {
  const version = parsePssVersion(opts.version);
  if (opts.format !== 'text' && opts.format !== 'json') throw new UsageError(`--format: "${opts.format}" is not one of text, json`);
  const inputs = [...paths, ...(opts.filename ?? [])];
  if (inputs.length === 0) throw new UsageError('pss namespaces: no input; give PATHs or -f PATH (- reads stdin)');
  const read = await readManifestsFor('pss', inputs, io, opts.namespace);
  const levels = namespaceLevels(read.inventory, version);
  const rows: NamespaceReadiness[] = read.inventory.namespaces().map((ns) => {
    const l = levels.get(ns.name)!;
    return { namespace: ns.name, enforces: namespacePsaLabels(ns.resource).enforce.level ?? null, workloads: l.workloads, passes: l.level, heldBackBy: l.holdingBack };
  });
  let rendered: string;
  if (opts.format === 'json') rendered = `${JSON.stringify(rows, null, 2)}\n`;
  else {
    const table = [['NAMESPACE', 'ENFORCES', 'WORKLOADS', 'PASSES', 'HELD BACK BY'], ...rows.map((r) => [r.namespace, r.enforces ?? '(none)', String(r.workloads), r.passes, r.heldBackBy.join(', ')])];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    rendered = table.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
  }
  if (opts.output !== undefined && opts.output !== '-') writeFileSync(resolve(io.cwd, opts.output), rendered);
  else io.stdout.write(rendered);
  return 0;
}
