/**
 * AdminNetworkPolicy and BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1): the
 * cluster-wide tiers around NetworkPolicy. At each end of a connection, ANP rules are checked
 * first, by priority (lower first) and then in written order; the first rule matching decides:
 * Allow and Deny are final, Pass hands the connection to NetworkPolicy. What no ANP decided (or
 * passed) goes to NetworkPolicy when the pod is isolated by one in that direction, else to the
 * BANP's rules (first match, Allow or Deny), and is allowed when none matches.
 *
 * Parsing follows the CRD's validation; `nodes` and `domainNames` peers are accepted but match
 * nothing here (the model knows no node or DNS addresses). A `networks` peer matches external
 * addresses; upstream it also matches cluster-internal traffic by pod IP, which manifests rarely
 * carry, so here it matches pods only with ipBlocksMatchPodIPs and a known pod IP, as ipBlocks do.
 * Same-priority ANPs are undefined behaviour upstream: they are evaluated by name and reported as
 * a warning. Host-network pods are neither subjects nor peers (their connections are undefined).
 */
import { parseSelector } from '../labels/selector.js';
import { ALL_CONNS, connsContain, intersectConns, isEmptyConns, isProtocol, NO_CONNS, subtractConns, unionConns, type ConnSet, type Protocol } from './conns.js';
import { parseCIDR, parseIP, rangeContains, type IPRange } from './ip.js';
import { portEntryConns, selectorSelects, type PeerEndpoint } from './match.js';
import { isPortName } from './parse.js';
import type { PodEndpoint, PolicyPort, Selector } from './types.js';

export type AdminAction = 'Allow' | 'Deny' | 'Pass';
export type AdminKind = 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';

export type AdminPeer =
  /** `namespaces` (podSelector absent: every pod) or `pods`. */
  | { kind: 'pods'; namespaceSelector: Selector; podSelector?: Selector; path: string }
  | { kind: 'networks'; ranges: readonly IPRange[]; path: string }
  /** nodes / domainNames: not modelled, match nothing. */
  | { kind: 'unmodelled'; what: string; path: string };

export interface AdminRule {
  index: number;
  name?: string;
  action: AdminAction;
  peers: readonly AdminPeer[];
  ports: readonly PolicyPort[] | 'any';
}

export interface AdminPolicy {
  kind: AdminKind;
  name: string;
  /** `ANP/name` or `BANP/name`. */
  id: string;
  /** BANPs sort after every ANP. */
  priority: number;
  subject: { namespaceSelector: Selector; podSelector?: Selector };
  ingress: readonly AdminRule[];
  egress: readonly AdminRule[];
}

export type AdminParseResult = { policy: AdminPolicy; errors?: undefined } | { errors: string[]; policy?: undefined; name: string; kind: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function sel(v: unknown, path: string, errors: string[]): Selector {
  const p = parseSelector(v ?? {});
  if (p.kind === 'invalid') {
    errors.push(`${path}: invalid label selector: ${p.error}`);
    return [];
  }
  return p.kind === 'requirements' ? p.requirements : [];
}

function exactlyOne(o: Obj, keys: readonly string[], path: string, errors: string[]): string | undefined {
  const set = keys.filter((k) => o[k] !== undefined && o[k] !== null);
  if (set.length !== 1) {
    errors.push(`${path}: must set exactly one of ${keys.join(', ')}`);
    return undefined;
  }
  return set[0];
}

function parseNamespacedPod(v: unknown, path: string, errors: string[]): { namespaceSelector: Selector; podSelector: Selector } {
  const o = isObj(v) ? v : {};
  return { namespaceSelector: sel(o.namespaceSelector, `${path}.namespaceSelector`, errors), podSelector: sel(o.podSelector, `${path}.podSelector`, errors) };
}

function parsePeer(v: unknown, path: string, egress: boolean, errors: string[]): AdminPeer | undefined {
  if (!isObj(v)) {
    errors.push(`${path}: must be an object`);
    return undefined;
  }
  const which = exactlyOne(v, egress ? ['namespaces', 'pods', 'nodes', 'networks', 'domainNames'] : ['namespaces', 'pods'], path, errors);
  switch (which) {
    case 'namespaces':
      return { kind: 'pods', namespaceSelector: sel(v.namespaces, `${path}.namespaces`, errors), path };
    case 'pods':
      return { kind: 'pods', ...parseNamespacedPod(v.pods, `${path}.pods`, errors), path };
    case 'networks': {
      const nets = Array.isArray(v.networks) ? v.networks : [];
      if (nets.length === 0) errors.push(`${path}.networks: must hold at least one CIDR`);
      const ranges: IPRange[] = [];
      nets.forEach((n, i) => {
        const c = typeof n === 'string' ? parseCIDR(n) : undefined;
        if (!c) errors.push(`${path}.networks[${i}]: "${String(n)}" is not a valid CIDR`);
        else ranges.push(c);
      });
      return { kind: 'networks', ranges, path };
    }
    case 'nodes':
    case 'domainNames':
      return { kind: 'unmodelled', what: which, path };
    default:
      return undefined;
  }
}

function parsePorts(v: unknown, path: string, errors: string[]): PolicyPort[] | 'any' {
  if (v === undefined || v === null) return 'any';
  if (!Array.isArray(v) || v.length === 0) {
    errors.push(`${path}: must be a non-empty list when set`);
    return 'any';
  }
  const out: PolicyPort[] = [];
  v.forEach((p, i) => {
    const at = `${path}[${i}]`;
    if (!isObj(p)) return void errors.push(`${at}: must be an object`);
    const which = exactlyOne(p, ['portNumber', 'namedPort', 'portRange'], at, errors);
    const proto = (x: unknown): Protocol | undefined => {
      const pr = isObj(x) && x.protocol !== undefined && x.protocol !== '' ? x.protocol : 'TCP';
      if (isProtocol(pr)) return pr;
      errors.push(`${at}: protocol "${String(pr)}" is not TCP, UDP or SCTP`);
      return undefined;
    };
    const num = (x: unknown, field: string): number | undefined => {
      if (typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= 65535) return x;
      errors.push(`${at}.${field}: ${JSON.stringify(x)} must be a port number between 1 and 65535`);
      return undefined;
    };
    if (which === 'portNumber') {
      const o = isObj(p.portNumber) ? p.portNumber : {};
      const protocol = proto(o);
      const port = num(o.port, 'portNumber.port');
      if (protocol && port !== undefined) out.push({ kind: 'range', protocol, from: port, to: port });
    } else if (which === 'portRange') {
      const o = isObj(p.portRange) ? p.portRange : {};
      const protocol = proto(o);
      const start = num(o.start, 'portRange.start');
      const end = num(o.end, 'portRange.end');
      if (start !== undefined && end !== undefined && start >= end) errors.push(`${at}.portRange: start ${start} must be less than end ${end}`);
      else if (protocol && start !== undefined && end !== undefined) out.push({ kind: 'range', protocol, from: start, to: end });
    } else if (which === 'namedPort') {
      const name = p.namedPort;
      if (typeof name !== 'string' || !isPortName(name)) errors.push(`${at}.namedPort: "${String(name)}" is not a valid port name`);
      // A named port matches the pod's container port of that name, whatever its protocol.
      else out.push({ kind: 'named', protocol: 'TCP', name }, { kind: 'named', protocol: 'UDP', name }, { kind: 'named', protocol: 'SCTP', name });
    }
  });
  return out;
}

function parseRules(v: unknown, field: 'ingress' | 'egress', kind: AdminKind, errors: string[]): AdminRule[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    errors.push(`spec.${field}: must be a list`);
    return [];
  }
  const actions: AdminAction[] = kind === 'AdminNetworkPolicy' ? ['Allow', 'Deny', 'Pass'] : ['Allow', 'Deny'];
  return v.map((r, index) => {
    const path = `spec.${field}[${index}]`;
    const o = isObj(r) ? r : (errors.push(`${path}: must be an object`), {});
    const action = actions.find((a) => a === o.action);
    if (!action) errors.push(`${path}.action: "${String(o.action)}" is not one of ${actions.join(', ')}`);
    const peerField = field === 'ingress' ? 'from' : 'to';
    const rawPeers = o[peerField];
    if (!Array.isArray(rawPeers) || rawPeers.length === 0) errors.push(`${path}.${peerField}: must hold at least one peer`);
    const peers = (Array.isArray(rawPeers) ? rawPeers : []).map((p, i) => parsePeer(p, `${path}.${peerField}[${i}]`, field === 'egress', errors)).filter((p): p is AdminPeer => p !== undefined);
    const rule: AdminRule = { index, action: action ?? 'Deny', peers, ports: parsePorts(o.ports, `${path}.ports`, errors) };
    if (typeof o.name === 'string' && o.name) rule.name = o.name;
    return rule;
  });
}

/** An AdminNetworkPolicy or BaselineAdminNetworkPolicy, normalised, or why the CRD would refuse it. */
export function parseAdminPolicy(obj: unknown): AdminParseResult {
  const o = isObj(obj) ? obj : {};
  const kind = String(o.kind);
  const name = isObj(o.metadata) && typeof o.metadata.name === 'string' ? o.metadata.name : '<unnamed>';
  const errors: string[] = [];
  if (kind !== 'AdminNetworkPolicy' && kind !== 'BaselineAdminNetworkPolicy') return { errors: [`kind: "${kind}" is not AdminNetworkPolicy or BaselineAdminNetworkPolicy`], name, kind };
  if (kind === 'BaselineAdminNetworkPolicy' && name !== 'default') errors.push('metadata.name: a BaselineAdminNetworkPolicy must be named "default"');
  const spec = isObj(o.spec) ? o.spec : (errors.push('spec: is required'), {});
  let priority = Number.POSITIVE_INFINITY;
  if (kind === 'AdminNetworkPolicy') {
    const p = spec.priority;
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > 1000) errors.push(`spec.priority: ${JSON.stringify(p)} must be an integer from 0 to 1000`);
    else priority = p;
  }
  let subject: AdminPolicy['subject'] = { namespaceSelector: [] };
  const subjectRaw = isObj(spec.subject) ? spec.subject : undefined;
  if (!subjectRaw) errors.push('spec.subject: is required');
  const which = subjectRaw ? exactlyOne(subjectRaw, ['namespaces', 'pods'], 'spec.subject', errors) : undefined;
  if (which === 'namespaces') subject = { namespaceSelector: sel(subjectRaw!.namespaces, 'spec.subject.namespaces', errors) };
  else if (which === 'pods') subject = parseNamespacedPod(subjectRaw!.pods, 'spec.subject.pods', errors);
  const ingress = parseRules(spec.ingress, 'ingress', kind, errors);
  const egress = parseRules(spec.egress, 'egress', kind, errors);
  if (ingress.length > 100 || egress.length > 100) errors.push('spec: at most 100 ingress and 100 egress rules');
  if (errors.length > 0) return { errors, name, kind };
  return { policy: { kind, name, id: `${kind === 'AdminNetworkPolicy' ? 'ANP' : 'BANP'}/${name}`, priority, subject, ingress, egress } };
}

export function adminSelects(p: AdminPolicy, pod: PodEndpoint, nsLabels: Readonly<Record<string, string>>): boolean {
  return selectorSelects(p.subject.namespaceSelector, nsLabels) && (!p.subject.podSelector || selectorSelects(p.subject.podSelector, pod.labels));
}

export function adminPeerMatches(peer: AdminPeer, ep: PeerEndpoint, ipBlocksMatchPodIPs: boolean): boolean {
  if (peer.kind === 'unmodelled') return false;
  if (peer.kind === 'networks') {
    if ('addr' in ep) return peer.ranges.some((r) => rangeContains(r, ep.addr));
    if (!ipBlocksMatchPodIPs || !ep.pod.ips) return false;
    return ep.pod.ips.some((ip) => {
      const a = parseIP(ip);
      return a !== undefined && peer.ranges.some((r) => rangeContains(r, a));
    });
  }
  if ('addr' in ep) return false;
  return selectorSelects(peer.namespaceSelector, ep.nsLabels) && (!peer.podSelector || selectorSelects(peer.podSelector, ep.pod.labels));
}

export function adminRuleConns(rule: AdminRule, dst: PodEndpoint | undefined): ConnSet {
  if (rule.ports === 'any') return ALL_CONNS;
  let out = NO_CONNS;
  for (const p of rule.ports) out = unionConns(out, portEntryConns(p, dst));
  return out;
}

/** An admin rule as it bears on one connection: whether its peers match, and on which connections. */
export interface AppliedRule {
  policy: string;
  ruleIndex: number;
  action: AdminAction;
  conns: ConnSet;
}

export type Tier = 'AdminNetworkPolicy' | 'NetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'default';

/**
 * The connections one end allows, combining the tiers: `anp` and `banp` are the matching rules
 * in precedence order; `np` is what NetworkPolicy says (undefined when the pod is not isolated).
 */
export function combineTiers(anp: readonly AppliedRule[], np: ConnSet | undefined, banp: readonly AppliedRule[]): ConnSet {
  let remaining = ALL_CONNS;
  let allowed = NO_CONNS;
  let passed = NO_CONNS;
  for (const r of anp) {
    const hit = intersectConns(r.conns, remaining);
    if (isEmptyConns(hit)) continue;
    if (r.action === 'Allow') allowed = unionConns(allowed, hit);
    else if (r.action === 'Pass') passed = unionConns(passed, hit);
    remaining = subtractConns(remaining, hit);
  }
  const next = unionConns(remaining, passed);
  if (np) return unionConns(allowed, intersectConns(next, np));
  let left = next;
  for (const r of banp) {
    const hit = intersectConns(r.conns, left);
    if (isEmptyConns(hit)) continue;
    if (r.action === 'Allow') allowed = unionConns(allowed, hit);
    left = subtractConns(left, hit);
  }
  return unionConns(allowed, left);
}

/** Which tier, and which rule, decides one connection at one end. */
export function decidePort(anp: readonly AppliedRule[], np: ConnSet | undefined, banp: readonly AppliedRule[], protocol: Protocol, port: number): { allowed: boolean; tier: Tier; rule?: AppliedRule } {
  for (const r of anp) {
    if (!connsContain(r.conns, protocol, port)) continue;
    if (r.action === 'Pass') break;
    return { allowed: r.action === 'Allow', tier: 'AdminNetworkPolicy', rule: r };
  }
  if (np) return { allowed: connsContain(np, protocol, port), tier: 'NetworkPolicy' };
  for (const r of banp) if (connsContain(r.conns, protocol, port)) return { allowed: r.action === 'Allow', tier: 'BaselineAdminNetworkPolicy', rule: r };
  return { allowed: true, tier: 'default' };
}
