/** What the commands that read a live cluster share: the flags, the kinds to list, progress. */
import type { Command } from 'commander';
import type { Check } from '../core/check.js';
import { connect } from '../sources/cluster/client.js';
import { listCluster, type ClusterSnapshot } from '../sources/cluster/read.js';
import type { Io } from './io.js';

export interface ClusterOptions {
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  namespace?: string[];
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

export async function listForChecks(checks: readonly Check[], opts: ClusterOptions, io: Io): Promise<ClusterSnapshot> {
  const client = await connect({ kubeconfig: opts.kubeconfig, context: opts.context });
  const tty = io.stderr.isTTY === true;
  const snap = await listCluster(client, {
    kinds: neededKinds(checks),
    namespaces: opts.namespace ?? [],
    progress: tty ? (kind, count, done, total) => io.stderr.write(`\r\u001b[Kreading ${client.server}: ${done}/${total} types (${kind}: ${count})`) : undefined,
  });
  if (tty) io.stderr.write('\r\u001b[K');
  return snap;
}
