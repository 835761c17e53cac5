/**
 * Whether one connection is allowed, and why: egress must be allowed at the source and ingress
 * at the destination. A pod not selected by any policy of a direction's type is not isolated in
 * that direction and allows everything there; an isolated one allows what the union of the rules
 * of its selecting policies allows. Connections of host-network pods get the distinct verdict
 * `undefined`: NetworkPolicy does not say how, or whether, it governs them.
 */
import { adminPeerMatches, adminRuleConns, adminSelects, decidePort, type AppliedRule, type Tier } from './admin.js';
import { connsContain, isProtocol, NO_CONNS, unionConns, type ConnSet, type Protocol } from './conns.js';
import { parseIP } from './ip.js';
import { labelsOfNamespace, type NetpolModel } from './model.js';
import { policySelects, ruleConns, ruleMatchesPeer, type PeerEndpoint } from './match.js';
import { endpointName, isPod, type Direction, type Endpoint, type PodEndpoint } from './types.js';

export type Verdict = 'allowed' | 'denied' | 'undefined';

export interface RuleRef {
  /** `namespace/name` of the policy. */
  policy: string;
  ruleIndex: number;
}

export interface DirectionResult {
  /** False when this end is an address (or a host-network pod): no policy applies to it. */
  governed: boolean;
  /** The end is selected by at least one policy of this direction's type. */
  isolated: boolean;
  /** The policies isolating it. */
  isolatedBy: string[];
  /** The rules allowing this connection (empty when not isolated). */
  allowedBy: RuleRef[];
  allowed: boolean;
  /**
   * Set when admin policies exist: the tier that decided (an AdminNetworkPolicy rule,
   * NetworkPolicy, a BaselineAdminNetworkPolicy rule, or the default allow) and its rule.
   */
  decidedBy?: { tier: Tier; policy?: string; ruleIndex?: number; action?: string };
}

export interface Explanation {
  verdict: Verdict;
  egress: DirectionResult;
  ingress: DirectionResult;
  reason: string;
}

const ungoverned = (): DirectionResult => ({ governed: false, isolated: false, isolatedBy: [], allowedBy: [], allowed: true });

function peerOf(model: NetpolModel, e: Endpoint): PeerEndpoint {
  if (isPod(e)) return { pod: e, nsLabels: labelsOfNamespace(model, e.namespace) };
  const addr = parseIP(e.ip);
  if (!addr) throw new Error(`"${e.ip}" is not an IP address`);
  return { addr };
}

/** The admin rules (ANP then BANP, in precedence order) that match at `self` towards or from `other`. */
export function appliedAdminRules(model: NetpolModel, direction: Direction, self: PodEndpoint, other: PeerEndpoint, dst: PodEndpoint | undefined): { anp: AppliedRule[]; banp: AppliedRule[] } {
  const anp: AppliedRule[] = [];
  const banp: AppliedRule[] = [];
  const nsLabels = labelsOfNamespace(model, self.namespace);
  for (const p of model.admin) {
    if (!adminSelects(p, self, nsLabels)) continue;
    for (const rule of direction === 'Ingress' ? p.ingress : p.egress) {
      if (!rule.peers.some((peer) => adminPeerMatches(peer, other, model.options.ipBlocksMatchPodIPs))) continue;
      (p.kind === 'AdminNetworkPolicy' ? anp : banp).push({ policy: p.id, ruleIndex: rule.index, action: rule.action, conns: adminRuleConns(rule, dst) });
    }
  }
  return { anp, banp };
}

/** The `direction` side of a connection at `self`, towards or from `other`. */
function side(model: NetpolModel, direction: Direction, self: PodEndpoint, other: PeerEndpoint, dst: PodEndpoint | undefined, protocol: Protocol, port: number): DirectionResult {
  const isolatedBy: string[] = [];
  const allowedBy: RuleRef[] = [];
  let npConns: ConnSet = NO_CONNS;
  for (const p of model.policies) {
    if (!p.types.includes(direction) || !policySelects(p, self)) continue;
    isolatedBy.push(p.id);
    for (const rule of direction === 'Ingress' ? p.ingress : p.egress) {
      if (!ruleMatchesPeer(rule, p.namespace, other, model.options.ipBlocksMatchPodIPs)) continue;
      const conns = ruleConns(rule, dst);
      npConns = unionConns(npConns, conns);
      if (connsContain(conns, protocol, port)) allowedBy.push({ policy: p.id, ruleIndex: rule.index });
    }
  }
  const isolated = isolatedBy.length > 0;
  const result: DirectionResult = { governed: true, isolated, isolatedBy, allowedBy, allowed: !isolated || allowedBy.length > 0 };
  if (model.admin.length === 0) return result;
  const { anp, banp } = appliedAdminRules(model, direction, self, other, dst);
  const d = decidePort(anp, isolated ? npConns : undefined, banp, protocol, port);
  result.allowed = d.allowed;
  result.decidedBy = d.rule ? { tier: d.tier, policy: d.rule.policy, ruleIndex: d.rule.ruleIndex, action: d.rule.action } : { tier: d.tier };
  return result;
}

function describe(direction: Direction, who: string, r: DirectionResult): string {
  const dir = direction.toLowerCase();
  if (!r.governed) return `${dir} at ${who} is not governed by NetworkPolicy`;
  const d = r.decidedBy;
  if (d && d.tier !== 'NetworkPolicy') {
    if (d.tier === 'default') return `${dir} at ${who} is allowed: no admin rule matches and ${who} is not isolated`;
    return `${dir} at ${who} is ${r.allowed ? 'allowed' : 'denied'} by ${d.policy} ${dir}[${d.ruleIndex}] (${d.action})`;
  }
  if (!r.isolated) return `${who} is not isolated for ${dir}`;
  const by = r.isolatedBy.join(', ');
  if (r.allowed) return `${dir} at ${who} (isolated by ${by}) is allowed by ${r.allowedBy.map((a) => `${a.policy} ${dir}[${a.ruleIndex}]`).join(', ')}`;
  return `${dir} at ${who} is isolated by ${by} and no rule allows it`;
}

/**
 * Whether `src` may open a connection to `dst` on `protocol`/`port`. Endpoints are pods of the
 * model or `{ ip }` addresses; ports are destination ports.
 */
export function explain(model: NetpolModel, src: Endpoint, dst: Endpoint, port: number, protocol: Protocol | string = 'TCP'): Explanation {
  if (!isProtocol(protocol)) throw new Error(`"${protocol}" is not TCP, UDP or SCTP`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${port} is not a port number (1-65535)`);
  const srcName = endpointName(src);
  const dstName = endpointName(dst);
  const hostNet = [src, dst].filter((e): e is PodEndpoint => isPod(e) && e.hostNetwork);
  if (hostNet.length > 0) {
    return {
      verdict: 'undefined',
      egress: ungoverned(),
      ingress: ungoverned(),
      reason: `${hostNet.map(endpointName).join(' and ')} ${hostNet.length > 1 ? 'use' : 'uses'} the host network, where NetworkPolicy has no defined effect`,
    };
  }
  const srcPeer = peerOf(model, src);
  const dstPeer = peerOf(model, dst);
  const dstPod = isPod(dst) ? dst : undefined;
  const egress = isPod(src) ? side(model, 'Egress', src, dstPeer, dstPod, protocol, port) : ungoverned();
  const ingress = dstPod ? side(model, 'Ingress', dstPod, srcPeer, dstPod, protocol, port) : ungoverned();
  const verdict: Verdict = egress.allowed && ingress.allowed ? 'allowed' : 'denied';
  const what = `${protocol} ${port} from ${srcName} to ${dstName}`;
  const parts = [describe('Egress', srcName, egress), describe('Ingress', dstName, ingress)];
  return { verdict, egress, ingress, reason: `${what} is ${verdict}: ${parts.join('; ')}` };
}
