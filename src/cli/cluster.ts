/** What the commands that read a live cluster share: the flags, the kinds to list, progress. */
import type { Command } from 'commander';
import { isObjectCheck, type Check, type Evaluation } from '../core/check.js';
import { UsageError } from '../core/errors.js';
import type { Result } from '../core/types.js';
import { CLUSTER_REPORT_NAME, policyReports } from '../reporters/policyreport.js';
import { connect, type ClusterClient } from '../sources/cluster/client.js';
import { inShard, listCluster, type ClusterSnapshot, type Shard } from '../sources/cluster/read.js';
import { ReportWriteError, writeReports } from '../sources/cluster/reports.js';
import type { Io } from './io.js';

export interface ClusterOptions {
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  namespace?: string[];
  shard?: Shard;
}

export function collect(v: string, prev: string[] | undefined): string[] {
  return [...(prev ?? []), v];
}

export function addClusterOptions(cmd: Command): Command {
  return cmd
    .option('--cluster', 'read the live cluster (kubeconfig, or the service account inside a pod)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use');
}

/** Every kind the checks read, and Namespaces (a scan reports on each). */
export function neededKinds(checks: readonly Check[]): string[] {
  return [...new Set(['Namespace', ...checks.flatMap((c) => c.needs.kinds ?? [])])].sort();
}

export function connectTo(opts: ClusterOptions): Promise<ClusterClient> {
  return connect({ kubeconfig: opts.kubeconfig, context: opts.context });
}

export async function listForChecks(checks: readonly Check[], opts: ClusterOptions, io: Io, client?: ClusterClient): Promise<ClusterSnapshot> {
  client ??= await connectTo(opts);
  const tty = io.stderr.isTTY === true;
  const server = client.server;
  const snap = await listCluster(client, {
    kinds: neededKinds(checks),
    namespaces: opts.namespace ?? [],
    shard: opts.shard,
    metrics: checks.some((c) => c.needs.inputs?.includes('apiserver-metrics')),
    progress: tty ? (kind, count, done, total) => io.stderr.write(`\r\u001b[Kreading ${server}: ${done}/${total} types (${kind}: ${count})`) : undefined,
  });
  if (tty) io.stderr.write('\r\u001b[K');
  return snap;
}

/** `--shard i/n`: 0 <= i < n. */
export function parseShard(v: string): Shard {
  const m = /^(\d{1,6})\/(\d{1,6})$/.exec(v.trim());
  const shard = m ? { index: Number(m[1]), count: Number(m[2]) } : undefined;
  if (!shard || shard.count < 1 || shard.index >= shard.count) throw new UsageError(`--shard: "${v}" is not i/n with 0 <= i < n, e.g. 0/3`);
  return shard;
}

/**
 * The checks as a shard runs them: every shard reads the cluster-scoped objects (a RoleBinding's
 * ClusterRole is context for its namespace), but reports only on what is its own: objects in its
 * namespaces, its Namespaces, and, in shard 0, cluster-scoped objects and facts about no object.
 */
export function shardChecks(checks: readonly Check[], shard: Shard | undefined): readonly Check[] {
  if (!shard || shard.count <= 1) return checks;
  return checks.map((c): Check => {
    if (isObjectCheck(c)) return { ...c, appliesTo: (r, ctx) => inShard(shard, r.ref) && (c.appliesTo?.(r, ctx) ?? true) };
    const mine = (ev: Evaluation): boolean => {
      const ref = ev.subject.ref;
      return ref ? inShard(shard, ref) : shard.index === 0;
    };
    return { ...c, evaluateAll: (ctx) => c.evaluateAll(ctx).filter(mine) };
  });
}

/**
 * `--write-reports`: the results as PolicyReports, applied to the cluster. Failures are one line
 * on stderr and do not change the exit code: the scan itself went fine and its report is out.
 */
export async function writeClusterReports(client: ClusterClient, results: readonly Result[], opts: ClusterOptions, io: Io): Promise<void> {
  const only = opts.namespace && opts.namespace.length > 0 ? new Set(opts.namespace) : undefined;
  const scope = {
    cluster: !opts.shard || opts.shard.count <= 1 || opts.shard.index === 0,
    namespace: (ns: string) => (!only || only.has(ns)) && inShard(opts.shard, { kind: 'Namespace', name: ns }),
  };
  try {
    const out = await writeReports(client, policyReports(results), scope);
    if (out.installed.length > 0) io.stderr.write(`installed the CRDs ${out.installed.join(', ')}\n`);
    const namespaced = out.written.filter((w) => w !== CLUSTER_REPORT_NAME).length;
    const cluster = out.written.includes(CLUSTER_REPORT_NAME) ? ` and the ClusterPolicyReport ${CLUSTER_REPORT_NAME}` : '';
    const deleted = out.deleted.length > 0 ? `; deleted ${out.deleted.length} stale (${out.deleted.join(', ')})` : '';
    if (out.written.length > 0 || out.failures.length === 0) io.stderr.write(`wrote ${namespaced} PolicyReport${namespaced === 1 ? '' : 's'}${cluster} to ${client.server}${deleted}\n`);
    if (out.failures.length > 0) {
      const more = out.failures.length > 1 ? ` (and ${out.failures.length - 1} more)` : '';
      io.stderr.write(`kubeladder: could not write every PolicyReport: ${out.failures[0]}${more}\n`);
    }
  } catch (e) {
    if (!(e instanceof ReportWriteError)) throw e;
    io.stderr.write(`kubeladder: cannot write PolicyReports: ${e.message}\n`);
  }
}
