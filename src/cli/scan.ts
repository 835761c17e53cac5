import { Command } from 'commander';
import { CHECKS } from '../checks/index.js';
import { defaultConfig, loadConfig, type Config } from '../core/config.js';
import { UsageError } from '../core/errors.js';
import { buildDocument, listed, type BuildInput } from '../core/results.js';
import { runChecks } from '../core/runner.js';
import { parseApiserverAddress, type ApiserverAddress } from '../engines/network-platform/apiserver.js';
import { inventoryFrom } from '../sources/cluster/read.js';
import { readSnapshot } from '../sources/cluster/snapshot.js';
import type { Check } from '../core/check.js';
import type { InputProblem } from '../core/errors.js';
import type { Inventory } from '../core/inventory.js';
import type { Result } from '../core/types.js';
import type { ClusterClient } from '../sources/cluster/client.js';
import { addClusterOptions, collect, connectTo, listForChecks, neededKinds, parseShard, shardChecks, writeClusterReports, type ClusterOptions } from './cluster.js';
import { VERSION } from '../version.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Io } from './io.js';
import { readManifestsFor } from './manifests.js';
import { addOutputOptions, emit, parseFailOn, parseFormat, type OutputOptions } from './output.js';

export interface ScanOptions extends OutputOptions, Omit<ClusterOptions, 'shard'> {
  shard?: string;
  writeReports?: boolean;
  filename?: string[];
  namespace?: string[];
  config?: string;
  check?: string[];
  strict?: boolean;
  snapshot?: string;
  kubernetesVersion?: string;
  targetVersion?: string;
  apiserverAddress?: string[];
}

export function scanCommand(io: Io, done: (code: number) => void): Command {
  const cmd = new Command('scan')
    .summary('scan manifests or a cluster and show the rung reached')
    .description(
      'Scan Kubernetes manifests (files, directories, - for stdin; Kustomize directories and Helm charts are rendered), a live cluster (--cluster) or a snapshot (--snapshot), and report the rung of the security ladder reached.',
    )
    .argument('[paths...]', 'files or directories to scan (- reads stdin)')
    .option('-f, --filename <path>', 'a file or directory to scan (repeatable, as kubectl takes it)', collect)
    .option('-n, --namespace <ns>', 'manifests: the namespace of objects that name none (default "default"); cluster: scan only this namespace (repeatable)', collect);
  addClusterOptions(cmd)
    .option('--write-reports', 'with --cluster: write the results into the cluster as PolicyReports (one per namespace, kubeladder-NS) and the ClusterPolicyReport kubeladder-cluster, installing their CRDs when absent; replaces and prunes only kubeladder\'s own reports')
    .option('--shard <i/n>', 'with --cluster: scan only shard i of n (0 <= i < n): the namespaces whose FNV-1a name hash mod n is i; cluster-scoped objects in shard 0. n scans, one per i, cover every namespace once')
    .option('--snapshot <file>', 'scan a snapshot written by `kubeladder snapshot`')
    .option('--kubernetes-version <v>', "the cluster's Kubernetes version, e.g. v1.36.4 (read from the API server with --cluster)")
    .option('--target-version <v>', 'the version you plan to upgrade to, e.g. v1.38: report what would break')
    .option('--apiserver-address <ip[:port]>', "the API server's endpoint address as pods reach it after Service translation (repeatable; 443 and 6443 when no port); a cluster read finds them in the kubernetes Service's EndpointSlices", collect)
    .option('--config <file>', 'config file (default: .kubeladder.yaml in the working directory when present)')
    .option('--check <id>', 'run only this check (repeatable)', collect)
    .option('--strict', 'exit 2 when any input could not be read, even if others could');
  addOutputOptions(cmd);
  return cmd.action(async (paths: string[], opts: ScanOptions) => done(await runScan([...paths, ...(opts.filename ?? [])], opts, io)));
}

export function resolveConfig(file: string | undefined, io: Io): Config {
  const known = new Set(CHECKS.map((c) => c.id));
  if (file) return loadConfig(resolve(io.cwd, file), known, file);
  const local = resolve(io.cwd, '.kubeladder.yaml');
  return existsSync(local) ? loadConfig(local, known, '.kubeladder.yaml') : defaultConfig();
}

interface ScanInput {
  inventory: Inventory;
  problems: InputProblem[];
  files: number;
  /** The live cluster's client, for --write-reports. */
  client?: ClusterClient;
}

export async function runScan(inputs: string[], opts: ScanOptions, io: Io): Promise<number> {
  const sources = [inputs.length > 0, !!opts.cluster, opts.snapshot !== undefined].filter(Boolean).length;
  if (sources === 0) throw new UsageError('scan: no input; give PATHs, -f PATH (- for stdin), --cluster or --snapshot FILE');
  if (sources > 1) throw new UsageError('scan: give manifests, --cluster or --snapshot, one at a time');
  parseFormat(opts.format);
  parseFailOn(opts.failOn);
  const only = opts.check && opts.check.length > 0 ? new Set(opts.check) : undefined;
  for (const id of only ?? []) if (!CHECKS.some((c) => c.id === id)) throw new UsageError(`--check: unknown check "${id}" (see \`kubeladder checks\`)`);
  if ((opts.writeReports || opts.shard !== undefined) && !opts.cluster) throw new UsageError(`scan: ${opts.writeReports ? '--write-reports' : '--shard'} needs --cluster`);
  const cluster: ClusterOptions = { ...opts, shard: opts.shard !== undefined ? parseShard(opts.shard) : undefined };
  const config = resolveConfig(opts.config, io);
  const checks = CHECKS.filter((c) => !config.disabled.has(c.id) && (!only || only.has(c.id)));
  const input = opts.cluster ? await readLive(checks, cluster, io) : opts.snapshot !== undefined ? readSnapshotInput(opts.snapshot, io) : await readFiles(inputs, opts, io);
  if (opts.kubernetesVersion !== undefined) input.inventory.kubernetesVersion = parseVersionFlag('--kubernetes-version', opts.kubernetesVersion);
  if (opts.targetVersion !== undefined) input.inventory.targetVersion = parseVersionFlag('--target-version', opts.targetVersion);
  if (opts.apiserverAddress && opts.apiserverAddress.length > 0) input.inventory.apiserverAddresses = opts.apiserverAddress.map(parseApiserverAddressFlag);
  // The written reports list every result, passes too, as policy-report tools expect.
  const keep = opts.writeReports ? undefined : (status: Result['status']) => listed(status, opts);
  const run = runChecks(shardChecks(checks, cluster.shard), input.inventory, { config, keep });
  const found: BuildInput = {
    version: VERSION,
    source: 'scan',
    files: input.files,
    objects: input.inventory.resources.length,
    results: run.results,
    checks: run.checks,
    problems: input.problems,
    notes: input.inventory.notes,
  };
  const code = emit(buildDocument(found, opts), opts, io, 'scan');
  // In the order `--format policyreport --show-passed --show-exempt` prints them.
  if (opts.writeReports && input.client) await writeClusterReports(input.client, buildDocument(found, { showPassed: true, showExempt: true }).results, cluster, io);
  if (opts.strict && input.problems.some((p) => !p.warning)) return 2;
  return code;
}

async function readFiles(inputs: string[], opts: ScanOptions, io: Io): Promise<ScanInput> {
  if ((opts.namespace?.length ?? 0) > 1) throw new UsageError('-n: manifests take one default namespace');
  const read = await readManifestsFor('scan', inputs, io, opts.namespace?.[0]);
  return { inventory: read.inventory, problems: read.problems, files: read.files };
}

async function readLive(checks: readonly Check[], opts: ClusterOptions, io: Io): Promise<ScanInput> {
  const client = await connectTo(opts);
  const snapshot = await listForChecks(checks, opts, io, client);
  return { inventory: inventoryFrom(snapshot), problems: [], files: 0, client };
}

function readSnapshotInput(file: string, io: Io): ScanInput {
  const snap = readSnapshot(resolve(io.cwd, file), file);
  const inventory = inventoryFrom(snap);
  for (const kind of neededKinds(CHECKS)) {
    if (!snap.kinds.includes(kind) && !inventory.unreadableKinds.has(kind)) inventory.unreadableKinds.set(kind, `not in the snapshot ${file}`);
  }
  return { inventory, problems: [], files: 1 };
}

function parseApiserverAddressFlag(v: string): ApiserverAddress {
  try {
    return parseApiserverAddress(v);
  } catch (e) {
    throw new UsageError(`--apiserver-address: ${(e as Error).message}`);
  }
}

/** `1.36`, `v1.36` or `v1.36.4`, as `v1.36` / `v1.36.4`. */
function parseVersionFlag(flag: string, v: string): string {
  const m = /^v?(1\.\d+(?:\.\d+)?)$/.exec(v.trim());
  if (!m) throw new UsageError(`${flag}: "${v}" is not a Kubernetes version like v1.36 or v1.36.4`);
  return `v${m[1]}`;
}
