/**
 * The matching primitives of NetworkPolicy, shared by the single-connection explainer and the
 * connection list: which pods a policy selects, which endpoints a peer matches, and which
 * connections a rule's ports allow towards a given destination (named ports resolve there).
 */
import { requirementMatches } from '../labels/selector.js';
import { ALL_CONNS, NO_CONNS, portConns, unionConns, type ConnSet } from './conns.js';
import { parseIP, rangeContains, type Address } from './ip.js';
import type { NetworkPolicy, PodEndpoint, PolicyPeer, PolicyPort, PolicyRule, Selector } from './types.js';

export function selectorSelects(sel: Selector, labels: Readonly<Record<string, string>>): boolean {
  for (const r of sel) if (!requirementMatches(r, labels)) return false;
  return true;
}

/** Whether `policy` selects (and so, for its types, isolates) `pod`. */
export function policySelects(policy: NetworkPolicy, pod: PodEndpoint): boolean {
  return pod.namespace === policy.namespace && selectorSelects(policy.podSelector, pod.labels);
}

/** Whether a pods peer of a policy in `policyNs` matches `pod`, whose namespace has labels `nsLabels`. */
export function podsPeerMatches(peer: Extract<PolicyPeer, { kind: 'pods' }>, policyNs: string, pod: PodEndpoint, nsLabels: Readonly<Record<string, string>>): boolean {
  const nsOk = peer.namespaceSelector ? selectorSelects(peer.namespaceSelector, nsLabels) : pod.namespace === policyNs;
  return nsOk && (!peer.podSelector || selectorSelects(peer.podSelector, pod.labels));
}

export function ipBlockContains(peer: Extract<PolicyPeer, { kind: 'ipBlock' }>, addr: Address): boolean {
  return peer.ranges.some((r) => rangeContains(r, addr));
}

/** What the other end of a rule is: a pod (with its namespace's labels) or an address. */
export type PeerEndpoint = { pod: PodEndpoint; nsLabels: Readonly<Record<string, string>> } | { addr: Address };

export function peerMatches(peer: PolicyPeer, policyNs: string, ep: PeerEndpoint, ipBlocksMatchPodIPs: boolean): boolean {
  if ('addr' in ep) return peer.kind === 'ipBlock' && ipBlockContains(peer, ep.addr);
  if (peer.kind === 'pods') return podsPeerMatches(peer, policyNs, ep.pod, ep.nsLabels);
  if (!ipBlocksMatchPodIPs || !ep.pod.ips) return false;
  return ep.pod.ips.some((ip) => {
    const a = parseIP(ip);
    return a !== undefined && ipBlockContains(peer, a);
  });
}

export function ruleMatchesPeer(rule: PolicyRule, policyNs: string, ep: PeerEndpoint, ipBlocksMatchPodIPs: boolean): boolean {
  return rule.peers === 'any' || rule.peers.some((p) => peerMatches(p, policyNs, ep, ipBlocksMatchPodIPs));
}

/**
 * The connections one port entry allows towards `dst`: a named port resolves on the destination
 * pod's container ports (name and protocol must both match) and matches nothing on an address.
 */
export function portEntryConns(p: PolicyPort, dst: PodEndpoint | undefined): ConnSet {
  switch (p.kind) {
    case 'all':
      return portConns(p.protocol);
    case 'range':
      return portConns(p.protocol, p.from, p.to);
    case 'named': {
      let out = NO_CONNS;
      for (const cp of dst?.ports ?? []) {
        if (cp.name === p.name && cp.protocol === p.protocol) out = unionConns(out, portConns(p.protocol, cp.containerPort, cp.containerPort));
      }
      return out;
    }
  }
}

/** The connections a rule's ports allow towards `dst` (undefined for an address). */
export function ruleConns(rule: PolicyRule, dst: PodEndpoint | undefined): ConnSet {
  if (rule.ports === 'any') return ALL_CONNS;
  let out = NO_CONNS;
  for (const p of rule.ports) out = unionConns(out, portEntryConns(p, dst));
  return out;
}

/** Whether any port entry of the rule names a port (so the result depends on the destination pod). */
export function hasNamedPort(rule: PolicyRule): boolean {
  return rule.ports !== 'any' && rule.ports.some((p) => p.kind === 'named');
}

/** The policies of `policies` that select `pod` and isolate it in `direction`. */
export function isolatingPolicies(policies: readonly NetworkPolicy[], pod: PodEndpoint, direction: 'Ingress' | 'Egress'): NetworkPolicy[] {
  return policies.filter((p) => p.types.includes(direction) && policySelects(p, pod));
}

/** A parsed selector as `kubectl get -l` writes one: `app=api,tier in (web,edge),!canary`; `{}` (everything) when empty. */
export function formatSelector(sel: Selector): string {
  if (sel.length === 0) return '{}';
  return sel
    .map((r) => {
      switch (r.operator) {
        case 'In':
          return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(',')})`;
        case 'NotIn':
          return `${r.key} notin (${r.values.join(',')})`;
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
      }
    })
    .join(',');
}
