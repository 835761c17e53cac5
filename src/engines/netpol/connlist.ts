/**
 * Every allowed connection between workloads, and between workloads and external address
 * ranges, as a list in np-guard/netpol-analyzer's connlist text format (see its
 * docs/connlist_output.md and test_outputs/connlist/*.txt):
 *
 *     0.0.0.0-255.255.255.255 => shop/api[Deployment] : All Connections
 *     shop/web[Deployment] => shop/api[Deployment] : TCP 8080,UDP 53
 *
 * Peers are `ns/name[Kind]`; the external space is cut into the ranges the ipBlocks of all valid
 * policies tell apart (`0.0.0.0-255.255.255.255` when none does), one line per range; lines are
 * sorted by source then destination, and a workload's connections to itself are left out.
 * IPv6 ranges are listed only when some ipBlock is IPv6 (netpol-analyzer lists IPv4 only).
 * Host-network pods are left out (NetworkPolicy does not define their connectivity) and named in
 * `hostNetwork` instead. AdminNetworkPolicies and the BaselineAdminNetworkPolicy of the model are
 * applied around NetworkPolicy as admin.ts describes.
 *
 * Scale: pods are grouped into classes that no policy can tell apart (same policies selecting
 * them, same peers matching them, same container ports), so the work grows with the number of
 * classes, not pods; a source isolated for egress is only paired with the classes its rules name.
 */
import { adminRuleConns, adminSelects, combineTiers, type AdminAction, type AdminRule, type AppliedRule } from './admin.js';
import { ALL_CONNS, formatConns, intersectConns, isEmptyConns, NO_CONNS, unionConns, type ConnSet } from './conns.js';
import { formatRange, parseIP, rangeContains, splitSpace, type Family, type IPRange } from './ip.js';
import { labelsOfNamespace, type NetpolModel } from './model.js';
import { hasNamedPort, ruleConns, selectorSelects } from './match.js';
import { endpointName, type PodEndpoint, type PolicyRule, type Selector } from './types.js';

export interface Connection {
  src: string;
  dst: string;
  conns: string;
}

export interface ConnListOptions {
  /** List IPv6 ranges: `auto` (default) when some ipBlock is IPv6. */
  ipv6?: 'auto' | 'always' | 'never';
}

export interface ConnList {
  connections: Connection[];
  /** `src => dst : conns`, sorted. */
  lines: string[];
  /** Host-network pods, whose connections NetworkPolicy leaves undefined. */
  hostNetwork: string[];
}

interface RuleInfo {
  rule: PolicyRule;
  /** Ids of the rule's peers; `any` for a rule without peers. */
  peerIds: number[] | 'any';
  /** The ports' connections when they do not depend on the destination (no named port). */
  fixed?: ConnSet;
}

/** An admin rule of a class, in precedence order (ANP rules first, then the BANP's). */
interface AdminRuleInfo {
  rule: AdminRule;
  action: AdminAction;
  baseline: boolean;
  peerIds: number[];
  fixed?: ConnSet;
}

interface PodClass {
  members: string[];
  rep: PodEndpoint;
  ingressPols: number[];
  egressPols: number[];
  peerSet: Set<number>;
  egressRules: RuleInfo[];
  /** Ingress rules with their connections resolved on this class (the destination). */
  ingressRules: { info: RuleInfo; conns: ConnSet }[];
  /** Source classes that can match an ingress rule; undefined: any. */
  ingressFrom?: Set<number>;
  adminEgress: AdminRuleInfo[];
  adminIngress: AdminRuleInfo[];
}

function labelsKey(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join('\u0001');
}

function portsKey(p: PodEndpoint): string {
  return p.ports.map((x) => `${x.name ?? ''}/${x.containerPort}/${x.protocol}`).join(',');
}

function matchesAny(ids: number[] | 'any', set: ReadonlySet<number>): boolean {
  if (ids === 'any') return true;
  for (const id of ids) if (set.has(id)) return true;
  return false;
}

export function connectionList(model: NetpolModel, options: ConnListOptions = {}): ConnList {
  const policies = model.policies;
  const matchPodIPs = model.options.ipBlocksMatchPodIPs;
  const hostNetwork = model.pods.filter((p) => p.hostNetwork).map(endpointName).sort();

  // 1. Pods with the same namespace, labels, ports (and IPs, when those matter) behave the same.
  interface Group {
    rep: PodEndpoint;
    members: string[];
    ingressPols: number[];
    egressPols: number[];
    adminPols: number[];
    peerIds: number[];
  }
  const groups = new Map<string, Group>();
  const byNs = new Map<string, Group[]>();
  for (const pod of model.pods) {
    if (pod.hostNetwork) continue;
    const k = `${pod.namespace}\u0000${labelsKey(pod.labels)}\u0000${portsKey(pod)}\u0000${matchPodIPs ? (pod.ips ?? []).join(',') : ''}`;
    let g = groups.get(k);
    if (!g) {
      g = { rep: pod, members: [], ingressPols: [], egressPols: [], adminPols: [], peerIds: [] };
      groups.set(k, g);
      const list = byNs.get(pod.namespace) ?? [];
      list.push(g);
      byNs.set(pod.namespace, list);
    }
    g.members.push(endpointName(pod));
  }

  const byLabel = new Map<string, Group[]>();
  for (const g of groups.values()) {
    for (const [k, v] of Object.entries(g.rep.labels)) {
      const l = byLabel.get(`${k}\u0000${v}`) ?? [];
      l.push(g);
      byLabel.set(`${k}\u0000${v}`, l);
    }
  }

  // 2. Which policies select each group.
  policies.forEach((p, pi) => {
    for (const g of byNs.get(p.namespace) ?? []) {
      if (!selectorSelects(p.podSelector, g.rep.labels)) continue;
      if (p.types.includes('Ingress')) g.ingressPols.push(pi);
      if (p.types.includes('Egress')) g.egressPols.push(pi);
    }
  });
  const nsLabels = new Map([...byNs.keys()].map((ns) => [ns, labelsOfNamespace(model, ns)]));
  model.admin.forEach((p, ai) => {
    for (const g of groups.values()) if (adminSelects(p, g.rep, nsLabels.get(g.rep.namespace)!)) g.adminPols.push(ai);
  });

  // 3. Every peer gets an id; each group learns which peers match it.
  const ipPeers: { id: number; ranges: readonly IPRange[] }[] = [];
  const ipGroups = matchPodIPs ? [...groups.values()].filter((g) => g.rep.ips && g.rep.ips.length > 0) : [];
  let nextId = 0;
  const ipPeer = (ranges: readonly IPRange[]): number => {
    const id = nextId++;
    ipPeers.push({ id, ranges });
    for (const g of ipGroups) {
      if (g.rep.ips!.some((ip) => {
        const a = parseIP(ip);
        return a !== undefined && ranges.some((r) => rangeContains(r, a));
      })) g.peerIds.push(id);
    }
    return id;
  };
  /** A pods peer: namespaces as `namespaceSelector` picks them (or just `ownNs`), pods by `podSelector`. */
  const podsPeer = (namespaceSelector: Selector | undefined, podSelector: Selector | undefined, ownNs: string): number => {
    const id = nextId++;
    const namespaces = namespaceSelector ? [...byNs.keys()].filter((ns) => selectorSelects(namespaceSelector, nsLabels.get(ns)!)) : [ownNs];
    // A pod selector requiring `key In (values)` only needs the groups carrying one of those labels.
    const inReq = podSelector?.find((r) => r.operator === 'In');
    const candidates = inReq ? [...new Set(inReq.values)].flatMap((v) => byLabel.get(`${inReq.key}\u0000${v}`) ?? []) : namespaces.flatMap((ns) => byNs.get(ns) ?? []);
    const nsOk = inReq ? new Set(namespaces) : undefined;
    for (const g of candidates) {
      if (nsOk && !nsOk.has(g.rep.namespace)) continue;
      if (!podSelector || selectorSelects(podSelector, g.rep.labels)) g.peerIds.push(id);
    }
    return id;
  };
  const ruleInfos = policies.map((p) => {
    const infoOf = (rule: PolicyRule): RuleInfo => {
      const info: RuleInfo = { rule, peerIds: rule.peers === 'any' ? 'any' : [] };
      if (!hasNamedPort(rule)) info.fixed = ruleConns(rule, undefined);
      if (rule.peers === 'any') return info;
      for (const peer of rule.peers) {
        (info.peerIds as number[]).push(peer.kind === 'ipBlock' ? ipPeer(peer.ranges) : podsPeer(peer.namespaceSelector, peer.podSelector, p.namespace));
      }
      return info;
    };
    return { ingress: p.ingress.map(infoOf), egress: p.egress.map(infoOf) };
  });
  const adminInfos = model.admin.map((p) => {
    const infoOf = (rule: AdminRule): AdminRuleInfo => {
      const peerIds: number[] = [];
      for (const peer of rule.peers) {
        if (peer.kind === 'networks') peerIds.push(ipPeer(peer.ranges));
        else if (peer.kind === 'pods') peerIds.push(podsPeer(peer.namespaceSelector, peer.podSelector ?? [], ''));
      }
      const info: AdminRuleInfo = { rule, action: rule.action, baseline: p.kind === 'BaselineAdminNetworkPolicy', peerIds };
      if (rule.ports === 'any' || rule.ports.every((x) => x.kind !== 'named')) info.fixed = adminRuleConns(rule, undefined);
      return info;
    };
    return { ingress: p.ingress.map(infoOf), egress: p.egress.map(infoOf) };
  });

  // 4. Groups no policy can tell apart form one class.
  const classMap = new Map<string, PodClass>();
  for (const g of groups.values()) {
    const k = `${g.ingressPols.join(',')}|${g.egressPols.join(',')}|${g.adminPols.join(',')}|${g.peerIds.sort((a, b) => a - b).join(',')}|${portsKey(g.rep)}`;
    const c = classMap.get(k);
    if (c) {
      c.members.push(...g.members);
      continue;
    }
    classMap.set(k, {
      members: [...g.members],
      rep: g.rep,
      ingressPols: g.ingressPols,
      egressPols: g.egressPols,
      peerSet: new Set(g.peerIds),
      egressRules: g.egressPols.flatMap((pi) => ruleInfos[pi]!.egress),
      ingressRules: g.ingressPols.flatMap((pi) => ruleInfos[pi]!.ingress.map((info) => ({ info, conns: info.fixed ?? ruleConns(info.rule, g.rep) }))),
      adminEgress: g.adminPols.flatMap((ai) => adminInfos[ai]!.egress),
      adminIngress: g.adminPols.flatMap((ai) => adminInfos[ai]!.ingress),
    });
  }
  const classes = [...classMap.values()];
  const peerClasses = new Map<number, number[]>();
  classes.forEach((c, ci) => {
    for (const id of c.peerSet) {
      const l = peerClasses.get(id) ?? [];
      l.push(ci);
      peerClasses.set(id, l);
    }
  });
  /** Classes some rule of `rules` can match; undefined: all. */
  const reachable = (rules: RuleInfo[]): Set<number> | undefined => {
    const out = new Set<number>();
    for (const r of rules) {
      if (r.peerIds === 'any') return undefined;
      for (const id of r.peerIds) for (const ci of peerClasses.get(id) ?? []) out.add(ci);
    }
    return out;
  };
  for (const c of classes) if (c.ingressPols.length > 0) c.ingressFrom = reachable(c.ingressRules.map((r) => r.info));

  const connections: Connection[] = [];
  const emit = (srcs: readonly string[], dsts: readonly string[], conns: ConnSet): void => {
    const text = formatConns(conns);
    for (const s of srcs) for (const d of dsts) if (s !== d) connections.push({ src: s, dst: d, conns: text });
  };

  /**
   * What one end allows, given NetworkPolicy's rules (when isolated) and the admin rules of the
   * class, towards or from an end matching the peers in `other`.
   */
  const endConns = (
    isolated: boolean,
    npRules: Iterable<{ peerIds: number[] | 'any'; conns: () => ConnSet }>,
    adminRules: readonly AdminRuleInfo[],
    other: ReadonlySet<number>,
    dst: PodEndpoint | undefined,
  ): ConnSet => {
    let np: ConnSet | undefined;
    if (isolated) {
      np = NO_CONNS;
      for (const r of npRules) if (matchesAny(r.peerIds, other)) np = unionConns(np, r.conns());
    }
    if (adminRules.length === 0) return np ?? ALL_CONNS;
    const anp: AppliedRule[] = [];
    const banp: AppliedRule[] = [];
    for (const r of adminRules) {
      if (!matchesAny(r.peerIds, other)) continue;
      (r.baseline ? banp : anp).push({ policy: '', ruleIndex: r.rule.index, action: r.action, conns: r.fixed ?? adminRuleConns(r.rule, dst) });
    }
    return combineTiers(anp, np, banp);
  };
  const egressNp = (c: PodClass, dst: PodEndpoint | undefined) => c.egressRules.map((r) => ({ peerIds: r.peerIds, conns: () => r.fixed ?? ruleConns(r.rule, dst) }));
  const ingressNp = (c: PodClass) => c.ingressRules.map((r) => ({ peerIds: r.info.peerIds, conns: () => r.conns }));

  // 5. Pod to pod: egress at the source intersected with ingress at the destination.
  const all = classes.map((_, i) => i);
  const ingressNpOf = classes.map(ingressNp);
  classes.forEach((a, ai) => {
    const egressIsolated = a.egressPols.length > 0;
    // Admin rules can allow past NetworkPolicy isolation: such a source may reach any class.
    const candidates = egressIsolated && a.adminEgress.length === 0 ? reachable(a.egressRules) : undefined;
    const aNp = egressNp(a, undefined);
    const named = a.egressRules.some((r) => !r.fixed);
    for (const bi of candidates ?? all) {
      const b = classes[bi]!;
      if (b.ingressFrom && b.adminIngress.length === 0 && !b.ingressFrom.has(ai)) continue;
      if (ai === bi && a.members.length < 2) continue;
      const egress = endConns(egressIsolated, named ? egressNp(a, b.rep) : aNp, a.adminEgress, b.peerSet, b.rep);
      if (isEmptyConns(egress)) continue;
      const ingress = endConns(b.ingressPols.length > 0, ingressNpOf[bi]!, b.adminIngress, a.peerSet, b.rep);
      const conns = intersectConns(egress, ingress);
      if (!isEmptyConns(conns)) emit(a.members, b.members, conns);
    }
  });

  // 6. External ranges: the address space cut at every ipBlock (and ANP network) boundary.
  const families: Family[] = [4];
  const mode = options.ipv6 ?? 'auto';
  if (mode === 'always' || (mode === 'auto' && ipPeers.some((p) => p.ranges.some((r) => r.family === 6)))) families.push(6);
  for (const family of families) {
    const pieces = splitSpace(family, ipPeers.flatMap((p) => p.ranges));
    // For each IP peer, the pieces inside it (pieces never straddle a range boundary).
    const piecesOf = new Map<number, number[]>();
    const inside: Set<number>[] = pieces.map(() => new Set<number>());
    for (const { id, ranges } of ipPeers) {
      const ks: number[] = [];
      for (const r of ranges) {
        if (r.family !== family) continue;
        let lo = 0;
        let hi = pieces.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (pieces[mid]!.start < r.start) lo = mid + 1;
          else hi = mid;
        }
        for (let k = lo; k < pieces.length && pieces[k]!.end <= r.end; k++) {
          ks.push(k);
          inside[k]!.add(id);
        }
      }
      piecesOf.set(id, ks);
    }
    const names = pieces.map((p) => [formatRange(p)]);
    /**
     * What one side allows per piece under NetworkPolicy alone: `all` when the side is not
     * isolated, else the pieces it allows something to, with what.
     */
    const perPiece = (rules: { peerIds: number[] | 'any'; conns: () => ConnSet }[] | undefined): 'all' | Map<number, ConnSet> => {
      if (!rules) return 'all';
      let base = NO_CONNS;
      const at = new Map<number, ConnSet>();
      for (const r of rules) {
        if (r.peerIds === 'any') {
          base = unionConns(base, r.conns());
          continue;
        }
        let conns: ConnSet | undefined;
        for (const id of r.peerIds) {
          for (const k of piecesOf.get(id) ?? []) {
            conns ??= r.conns();
            at.set(k, unionConns(at.get(k) ?? NO_CONNS, conns));
          }
        }
      }
      if (isEmptyConns(base)) return at;
      const out = new Map<number, ConnSet>();
      for (let k = 0; k < pieces.length; k++) out.set(k, unionConns(base, at.get(k) ?? NO_CONNS));
      return out;
    };
    const each = (allowed: 'all' | Map<number, ConnSet>, fn: (k: number, conns: ConnSet) => void): void => {
      if (allowed === 'all') for (let k = 0; k < pieces.length; k++) fn(k, ALL_CONNS);
      else for (const [k, conns] of allowed) if (!isEmptyConns(conns)) fn(k, conns);
    };
    for (const c of classes) {
      // External sources are not governed, and admin ingress peers never match an address:
      // NetworkPolicy ingress at the class decides (allowed when not isolated).
      each(perPiece(c.ingressPols.length > 0 ? ingressNp(c) : undefined), (k, conns) => emit(names[k]!, c.members, conns));
      // To an address, egress at the class decides; named ports match nothing there.
      if (c.adminEgress.length === 0) {
        each(perPiece(c.egressPols.length > 0 ? egressNp(c, undefined) : undefined), (k, conns) => emit(c.members, names[k]!, conns));
        continue;
      }
      const npRules = egressNp(c, undefined);
      for (let k = 0; k < pieces.length; k++) {
        const conns = endConns(c.egressPols.length > 0, npRules, c.adminEgress, inside[k]!, undefined);
        if (!isEmptyConns(conns)) emit(c.members, names[k]!, conns);
      }
    }
  }

  connections.sort((x, y) => (x.src < y.src ? -1 : x.src > y.src ? 1 : x.dst < y.dst ? -1 : x.dst > y.dst ? 1 : 0));
  return { connections, lines: connections.map((c) => `${c.src} => ${c.dst} : ${c.conns}`), hostNetwork };
}

/** The connection list as netpol-analyzer prints it: one line each, newline-terminated. */
export function formatConnList(list: ConnList): string {
  return list.lines.map((l) => `${l}\n`).join('');
}
