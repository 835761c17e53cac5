import { resolve } from 'node:path';
import { Command } from 'commander';
import { CHECKS } from '../checks/index.js';
import { UsageError } from '../core/errors.js';
import { writeSnapshot } from '../sources/cluster/snapshot.js';
import { addClusterOptions, collect, listForChecks, neededKinds, type ClusterOptions } from './cluster.js';
import type { Io } from './io.js';

export function snapshotCommand(io: Io, done: (code: number) => void): Command {
  const cmd = new Command('snapshot')
    .summary('save what a cluster scan needs, for offline scans')
    .description('Read everything the checks need from a live cluster (Secrets as metadata only) into a gzipped file that `kubeladder scan --snapshot FILE` scans offline.')
    .option('-n, --namespace <ns>', 'only this namespace (repeatable)', collect)
    .requiredOption('-o, --output <file>', 'the snapshot file to write');
  addClusterOptions(cmd);
  return cmd.action(async (opts: ClusterOptions & { output: string }) => {
    if (!opts.cluster) throw new UsageError('snapshot: give --cluster (a snapshot is taken from a live cluster)');
    const snap = await listForChecks(CHECKS, opts, io);
    writeSnapshot(resolve(io.cwd, opts.output), snap, neededKinds(CHECKS));
    const unreadable = Object.keys(snap.unreadable);
    io.stderr.write(`wrote ${opts.output}: ${snap.objects.length} objects${unreadable.length ? `; could not read ${unreadable.join(', ')}` : ''}\n`);
    done(0);
  });
}
