/**
 * `kubeladder netpol ...`: the NetworkPolicy reachability engine's own queries over manifests, a
 * snapshot or the live cluster. `reach` lists who may connect to whom (netpol-analyzer's
 * connection list), `explain` answers for one connection and names the rules behind the answer,
 * `diff` shows what a change to the manifests opens and closes.
 *
 * What the engine cannot judge is said on stderr, one line each, and never stops a command:
 * invalid policies (left out, as the API server would reject them) and host-network workloads
 * (NetworkPolicy leaves their connectivity undefined).
 */
import { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import type { Inventory } from '../core/inventory.js';
import type { Resource } from '../core/resource.js';
import { isProtocol, parseConns, connsContain, type Protocol } from '../engines/netpol/conns.js';
import { connectionList, type Connection } from '../engines/netpol/connlist.js';
import { explain } from '../engines/netpol/evaluate.js';
import { NETPOL_KINDS, netpolModelOf } from '../engines/netpol/inventory-model.js';
import { parseIP, parseRange, rangeContains, type Address } from '../engines/netpol/ip.js';
import type { NetpolModel } from '../engines/netpol/model.js';
import { endpointName, type Endpoint, type PodEndpoint } from '../engines/netpol/types.js';
import { ENDPOINT_KINDS } from '../engines/netpol/workloads.js';
import { collect } from './cluster.js';
import type { Io } from './io.js';
import { addClusterInputOptions, readQueryInventory, type QueryInputOptions } from './query-input.js';
import { diffConnections } from './netpol-diff.js';
import { DIFF_FORMATS, EXPLAIN_FORMATS, explanationText, formatConnections, formatDiff, REACH_FORMATS, workloadParts } from './netpol-output.js';

/** Everything the model reads: policies of every tier, namespaces and the pod-making kinds. */
const READ_KINDS = [...NETPOL_KINDS, 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', ...ENDPOINT_KINDS];

interface InputOptions extends QueryInputOptions {
  filename?: string[];
  namespace?: string;
}

function addInputOptions(cmd: Command): Command {
  return addClusterInputOptions(
    cmd
      .argument('[paths...]', 'manifest files or directories (- reads stdin)')
      .option('-f, --filename <path>', 'a manifest file or directory (repeatable, - for stdin)', collect)
      .option('-n, --namespace <ns>', 'with manifests: the namespace of objects that name none', 'default'),
  );
}

function warn(io: Io, r: Resource | undefined, message: string): void {
  const at = r?.origin.file !== undefined ? `${r.origin.file}${r.origin.line ? `:${r.origin.line}` : ''}: ` : '';
  io.stderr.write(`${at}warning: ${message}\n`);
}

/** The input's inventory from exactly one source: manifests, a snapshot or the cluster. */
async function readInventory(command: string, paths: readonly string[], opts: InputOptions, io: Io): Promise<Inventory> {
  const spec = { command: `netpol ${command}`, manifestsHint: 'PATHs, -f PATH (- for stdin)', manifestsShort: 'manifests', kinds: READ_KINDS, required: NETPOL_KINDS, defaultNamespace: opts.namespace };
  const { inventory, snapshotKinds } = await readQueryInventory(spec, [...paths, ...(opts.filename ?? [])], opts, io);
  const noWorkloads = snapshotKinds ? ENDPOINT_KINDS.filter((k) => !snapshotKinds.includes(k)) : [];
  if (noWorkloads.length) warn(io, undefined, `the snapshot ${opts.snapshot} holds no ${noWorkloads.join(', ')}: their pods are not in the answer`);
  if (inventory.unreadableKinds.has('NetworkPolicy')) throw new UsageError(`netpol ${command}: could not read NetworkPolicy: ${inventory.unreadableKinds.get('NetworkPolicy')}`);
  for (const [kind, why] of inventory.unreadableKinds) if (READ_KINDS.includes(kind)) warn(io, undefined, `could not read ${kind} (${why}): left out of the answer`);
  return inventory;
}

/** The model, with what it leaves out said on stderr: invalid policies, and host-network pods when asked. */
function modelOf(inventory: Inventory, io: Io, hostNetwork: boolean): NetpolModel {
  const model = netpolModelOf(inventory);
  for (const p of model.invalid) {
    const r = inventory.resources.find((x) => x.kind === p.kind && x.name === p.name && (x.namespace ?? '') === (p.namespace || (x.namespace ?? '')));
    warn(io, r, `${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name} is invalid and left out: ${p.reason}`);
  }
  for (const w of model.warnings) warn(io, undefined, w);
  if (hostNetwork) {
    for (const p of model.pods) if (p.hostNetwork) warn(io, p.resource, `${endpointName(p)} uses the host network: NetworkPolicy leaves its connections undefined, so they are not listed`);
  }
  return model;
}

/** `--port P[/PROTO]`: a number, or (for explain) a port name of the destination; TCP by default. */
interface PortArg {
  port: number | string;
  protocol?: Protocol;
}

function parsePort(v: string, names: boolean): PortArg {
  const m = /^([^/]+)(?:\/([A-Za-z]+))?$/.exec(v.trim());
  const protocol = m?.[2]?.toUpperCase();
  const bad = () => new UsageError(`--port: "${v}" is not PORT[/PROTOCOL] with PORT 1-65535${names ? ' or a port name' : ''} and PROTOCOL TCP, UDP or SCTP, e.g. 53/UDP`);
  if (!m || (protocol !== undefined && !isProtocol(protocol))) throw bad();
  const p = m[1]!;
  if (/^\d+$/.test(p)) {
    const port = Number(p);
    if (port < 1 || port > 65535) throw bad();
    return { port, protocol: protocol as Protocol | undefined };
  }
  if (!names || !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(p)) throw bad();
  return { port: p, protocol: protocol as Protocol | undefined };
}

/** An end of `--from`/`--to` in reach: a workload, every workload of a namespace, or an address. */
type EndpointFilter = { namespace: string; name?: string; kind?: string } | { addr: Address };

function parseFilter(flag: string, v: string, model: NetpolModel): EndpointFilter {
  const addr = parseIP(v);
  if (addr) return { addr };
  const m = /^([^/[\]]+)\/([^/[\]]+)(?:\[([^\]]+)\])?$/.exec(v);
  if (!m) throw new UsageError(`${flag}: "${v}" is not ns/name, ns/name[Kind], ns/* or an IP address`);
  const [, namespace, name, kind] = m as unknown as [string, string, string, string | undefined];
  if (name === '*') {
    if (kind !== undefined) throw new UsageError(`${flag}: "${v}" is not ns/name, ns/name[Kind], ns/* or an IP address`);
    if (!model.namespaces.has(namespace)) throw new UsageError(`${flag}: no namespace "${namespace}" in the input`);
    return { namespace };
  }
  workload(flag, v, model);
  return { namespace, name, kind };
}

function filterMatches(f: EndpointFilter, peer: string): boolean {
  if ('addr' in f) {
    const r = parseRange(peer);
    return r !== undefined && rangeContains(r, f.addr);
  }
  const w = workloadParts(peer);
  return !!w && w.namespace === f.namespace && (f.name === undefined || w.name === f.name) && (f.kind === undefined || w.kind === f.kind);
}

/** The one workload `ns/name` or `ns/name[Kind]` names; a usage error when none or several do. */
function workload(flag: string, ref: string, model: NetpolModel): PodEndpoint {
  const m = /^([^/[\]]+)\/([^/[\]]+)(?:\[([^\]]+)\])?$/.exec(ref);
  if (!m) throw new UsageError(`${flag}: "${ref}" is not ns/name, ns/name[Kind] or an IP address`);
  const found = model.pods.filter((p) => p.namespace === m[1] && p.name === m[2] && (m[3] === undefined || p.kind === m[3]));
  if (found.length === 0) throw new UsageError(`${flag}: no workload "${ref}" in the input`);
  // Two kinds of one name need the [Kind]; a duplicate object (reported when read) is the first copy.
  const kinds = [...new Set(found.map((p) => p.kind))];
  if (kinds.length > 1) throw new UsageError(`${flag}: "${ref}" names ${kinds.map((k) => `${m[1]}/${m[2]}[${k}]`).join(' and ')}; add the [Kind]`);
  return found[0]!;
}

function checkFormat(format: string, formats: readonly string[]): void {
  if (!formats.includes(format)) throw new UsageError(`--format: "${format}" is not one of ${formats.join(', ')}`);
}

interface ReachOptions extends InputOptions {
  from?: string;
  to?: string;
  port?: string;
  format: string;
}

/** The connection list, narrowed by --from, --to and --port. */
export function reachConnections(model: NetpolModel, opts: Pick<ReachOptions, 'from' | 'to' | 'port'>): Connection[] {
  const from = opts.from !== undefined ? parseFilter('--from', opts.from, model) : undefined;
  const to = opts.to !== undefined ? parseFilter('--to', opts.to, model) : undefined;
  const port = opts.port !== undefined ? parsePort(opts.port, false) : undefined;
  return connectionList(model).connections.filter((c) => {
    if (from && !filterMatches(from, c.src)) return false;
    if (to && !filterMatches(to, c.dst)) return false;
    return !port || connsContain(parseConns(c.conns)!, port.protocol ?? 'TCP', port.port as number);
  });
}

interface ExplainOptions extends InputOptions {
  from: string;
  to: string;
  port: string;
  format: string;
}

function endpoint(flag: string, v: string, model: NetpolModel): Endpoint {
  return parseIP(v) ? { ip: v } : workload(flag, v, model);
}

/** A port name resolves at the destination's containers, as a named port in a rule would. */
function resolvePort(arg: PortArg, dst: Endpoint): { port: number; protocol: Protocol } {
  if (typeof arg.port === 'number') return { port: arg.port, protocol: arg.protocol ?? 'TCP' };
  const ports = 'ports' in dst ? dst.ports : [];
  const named = ports.find((p) => p.name === arg.port && (arg.protocol === undefined || p.protocol === arg.protocol));
  if (!named) throw new UsageError(`--port: ${endpointName(dst)} has no ${arg.protocol ? `${arg.protocol} ` : ''}container port named "${arg.port}"`);
  return { port: named.containerPort, protocol: named.protocol };
}

export function netpolCommand(io: Io, done: (code: number) => void): Command {
  const netpol = new Command('netpol')
    .summary("the NetworkPolicy engine's own queries")
    .description("The NetworkPolicy reachability engine's own queries: which workloads may connect to which, and why, as NetworkPolicy (and AdminNetworkPolicy) decide.");

  const reach = new Command('reach')
    .summary('every allowed connection between workloads and external ranges')
    .description(
      'List every connection NetworkPolicies allow between workloads, and between workloads and external IP ranges, in np-guard/netpol-analyzer\'s ' +
        'connection-list format: `src => dst : conns`, workloads as ns/name[Kind], external ranges as a.b.c.d-e.f.g.h cut where ipBlocks cut them, ' +
        'conns as `All Connections` or `TCP 80,UDP 53`. --from and --to keep the connections from or to ns/name, ns/name[Kind], every workload of ns/* or ' +
        'the range holding an IP address; --port keeps those that include the port (whose conns are still printed whole). ' +
        'Invalid policies and host-network workloads are named on stderr and left out. Exit 0, or 2 on a usage error.',
    )
    .option('--from <endpoint>', 'only connections from ns/name, ns/name[Kind], ns/* or an IP address')
    .option('--to <endpoint>', 'only connections to ns/name, ns/name[Kind], ns/* or an IP address')
    .option('--port <port>', 'only connections that include PORT[/PROTOCOL] (TCP when not given), e.g. 443 or 53/UDP')
    .option('--format <name>', 'output format: txt, json, csv, md or dot (Graphviz, namespaces as clusters)', 'txt');
  addInputOptions(reach).action(async (paths: string[], opts: ReachOptions) => {
    checkFormat(opts.format, REACH_FORMATS);
    if (opts.port !== undefined) parsePort(opts.port, false);
    const model = modelOf(await readInventory('reach', paths, opts, io), io, true);
    const conns = reachConnections(model, opts);
    const filtered = opts.from !== undefined || opts.to !== undefined || opts.port !== undefined;
    const workloads = filtered ? [] : model.pods.filter((p) => !p.hostNetwork).map(endpointName);
    io.stdout.write(formatConnections(conns, opts.format as (typeof REACH_FORMATS)[number], workloads));
    done(0);
  });
  netpol.addCommand(reach);

  const explainCmd = new Command('explain')
    .summary('is one connection allowed? which policy and rule decide it')
    .description(
      'Answer allowed, denied or `undefined (host network)` on the first line (exit 0 when allowed, 1 otherwise, as `rbac can-i`) for a connection ' +
        'from --from to --to on --port, then for each direction the rules that allow it (NetworkPolicy ns/name ingress rule 0), or the policies that ' +
        'isolate the pod with no rule allowing it, or that the pod is not isolated. Ends are ns/name, ns/name[Kind] or an IP address; PORT may be a ' +
        'container port name of the destination. --format json prints the engine\'s explanation. Exit 2 on a usage error, such as an unknown workload.',
    )
    .requiredOption('--from <endpoint>', 'the source: ns/name, ns/name[Kind] or an IP address')
    .requiredOption('--to <endpoint>', 'the destination: ns/name, ns/name[Kind] or an IP address')
    .requiredOption('--port <port>', 'the destination port: PORT[/PROTOCOL] (TCP when not given), or a port name of the destination, e.g. 8080, 53/UDP, http')
    .option('--format <name>', 'output format: txt or json', 'txt');
  addInputOptions(explainCmd).action(async (paths: string[], opts: ExplainOptions) => {
    checkFormat(opts.format, EXPLAIN_FORMATS);
    const portArg = parsePort(opts.port, true);
    for (const [flag, v] of [['--from', opts.from], ['--to', opts.to]] as const) {
      if (!parseIP(v) && !/^[^/[\]]+\/[^/[\]]+(\[[^\]]+\])?$/.test(v)) throw new UsageError(`${flag}: "${v}" is not ns/name, ns/name[Kind] or an IP address`);
    }
    const model = modelOf(await readInventory('explain', paths, opts, io), io, false);
    const src = endpoint('--from', opts.from, model);
    const dst = endpoint('--to', opts.to, model);
    const { port, protocol } = resolvePort(portArg, dst);
    const e = explain(model, src, dst, port, protocol);
    io.stdout.write(opts.format === 'json' ? `${JSON.stringify(e, null, 2)}\n` : explanationText(e, endpointName(src), endpointName(dst)));
    done(e.verdict === 'allowed' ? 0 : 1);
  });
  netpol.addCommand(explainCmd);

  const diff = new Command('diff')
    .summary('the connections NEW opens and closes compared with OLD')
    .description(
      'Compare the connection lists of two sets of manifests (files or directories): `+ src => dst : conns` for what NEW allows and OLD does not, ' +
        '`- src => dst : conns` for what OLD allows and NEW does not. A connection whose ports changed shows the ports it lost on a - line and ' +
        'those it gained on a + line. External ranges are compared address by address, however each side cuts them. Exit 0 when nothing changed, ' +
        '1 when something did (for CI gates), 2 on a usage error or unreadable input.',
    )
    .argument('<old>', 'the manifests before: a file or directory')
    .argument('<new>', 'the manifests after: a file or directory')
    .option('-n, --namespace <ns>', 'the namespace of objects that name none', 'default')
    .option('--format <name>', 'output format: txt, json or md', 'txt');
  diff.action(async (oldPath: string, newPath: string, opts: { namespace: string; format: string }) => {
    checkFormat(opts.format, DIFF_FORMATS);
    const list = async (path: string) => {
      const model = modelOf(await readInventory('diff', [path], { namespace: opts.namespace }, io), io, true);
      return { model, conns: connectionList(model).connections };
    };
    const before = await list(oldPath);
    const after = await list(newPath);
    // A side lists IPv6 ranges only when its ipBlocks name one: list both alike, or IPv6 would look changed.
    const v6 = (cs: Connection[]) => cs.some((c) => c.src.includes(':') || c.dst.includes(':'));
    if (v6(before.conns) !== v6(after.conns)) {
      before.conns = connectionList(before.model, { ipv6: 'always' }).connections;
      after.conns = connectionList(after.model, { ipv6: 'always' }).connections;
    }
    const lines = diffConnections(before.conns, after.conns);
    io.stdout.write(formatDiff(lines, opts.format as (typeof DIFF_FORMATS)[number]));
    done(lines.length > 0 ? 1 : 0);
  });
  netpol.addCommand(diff);
  return netpol;
}
