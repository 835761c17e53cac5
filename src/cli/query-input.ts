/**
 * Where the engines' own query commands (`rbac ...`, `netpol ...`) read from: manifests, a
 * snapshot or the live cluster, exactly one of them. One reader, so both say the same things
 * about a missing or doubled input and a snapshot that lacks what the question needs.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import type { Inventory } from '../core/inventory.js';
import { connect } from '../sources/cluster/client.js';
import { inventoryFrom, listCluster } from '../sources/cluster/read.js';
import { readSnapshot } from '../sources/cluster/snapshot.js';
import type { Io } from './io.js';
import { readManifestsFor } from './manifests.js';

export interface QueryInputOptions {
  snapshot?: string;
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
}

/** The options every query command takes for a snapshot or the live cluster. */
export function addClusterInputOptions(cmd: Command): Command {
  return cmd
    .option('--snapshot <file>', 'a snapshot written by `kubeladder snapshot`')
    .option('--cluster', 'read the live cluster (kubeconfig, or the service account inside a pod)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use');
}

export interface QuerySpec {
  /** `rbac who-can`, `netpol reach`: how errors name the command. */
  command: string;
  /** How the errors name the manifest arguments: in full (`-f PATH (- for stdin)`), and short (`-f`). */
  manifestsHint: string;
  manifestsShort: string;
  /** The kinds a cluster read lists. */
  kinds: readonly string[];
  /** Kinds a snapshot must hold for an answer to mean anything. */
  required: readonly string[];
  /** The namespace of manifest objects that name none. */
  defaultNamespace?: string;
}

/** The input's inventory from exactly one source; `files` are the manifest paths given. */
export async function readQueryInventory(spec: QuerySpec, files: readonly string[], opts: QueryInputOptions, io: Io): Promise<{ inventory: Inventory; snapshotKinds?: readonly string[] }> {
  const sources = [files.length > 0, !!opts.cluster, opts.snapshot !== undefined].filter(Boolean).length;
  if (sources === 0) throw new UsageError(`${spec.command}: no input; give ${spec.manifestsHint}, --snapshot FILE or --cluster`);
  if (sources > 1) throw new UsageError(`${spec.command}: give ${spec.manifestsShort}, --snapshot or --cluster, one at a time`);
  if (opts.cluster) {
    const client = await connect({ kubeconfig: opts.kubeconfig, context: opts.context });
    return { inventory: inventoryFrom(await listCluster(client, { kinds: spec.kinds, namespaces: [] })) };
  }
  if (opts.snapshot !== undefined) {
    const snap = readSnapshot(resolve(io.cwd, opts.snapshot), opts.snapshot);
    // A snapshot taken for checks that read none of these holds none: an answer from it would be a lie.
    const absent = spec.required.filter((k) => !snap.kinds.includes(k));
    if (absent.length) throw new UsageError(`${spec.command}: the snapshot ${opts.snapshot} holds no ${absent.join(', ')}; take it again with this kubeladder`);
    return { inventory: inventoryFrom(snap), snapshotKinds: snap.kinds };
  }
  return { inventory: (await readManifestsFor(spec.command, files, io, spec.defaultNamespace)).inventory };
}
