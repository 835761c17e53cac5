/**
 * The normalised shapes the NetworkPolicy engine works on: policies as parse.ts leaves them
 * (defaults applied, selectors parsed, CIDRs turned into ranges) and the endpoints connections run
 * between. Parsing and evaluation meet only here.
 */
import type { Resource } from '../../core/resource.js';
import type { Requirement } from '../labels/selector.js';
import type { Protocol } from './conns.js';
import type { Family, IPRange } from './ip.js';

export type Direction = 'Ingress' | 'Egress';

/** A parsed label selector: its requirements, ANDed; an empty list selects everything. */
export type Selector = readonly Requirement[];

/** A peer of a rule: pods chosen by selectors, or an IP block. */
export type PolicyPeer =
  | {
      kind: 'pods';
      /** Absent: pods of the policy's own namespace only. */
      namespaceSelector?: Selector;
      /** Absent: every pod of the chosen namespaces. */
      podSelector?: Selector;
      /** Field path, e.g. `spec.ingress[0].from[1]`. */
      path: string;
    }
  | {
      kind: 'ipBlock';
      cidr: string;
      except: readonly string[];
      family: Family;
      /** The cidr minus its excepts, as disjoint ranges. */
      ranges: readonly IPRange[];
      path: string;
    };

/** A port entry of a rule; the protocol is already defaulted to TCP. */
export type PolicyPort =
  | { kind: 'all'; protocol: Protocol }
  | { kind: 'range'; protocol: Protocol; from: number; to: number }
  | { kind: 'named'; protocol: Protocol; name: string };

export interface PolicyRule {
  /** Position in `spec.ingress` or `spec.egress`. */
  index: number;
  /** `any` when `from`/`to` is missing or empty: every pod of every namespace and every IP. */
  peers: readonly PolicyPeer[] | 'any';
  /** `any` when `ports` is missing or empty: every port of every protocol. */
  ports: readonly PolicyPort[] | 'any';
}

export interface NetworkPolicy {
  namespace: string;
  name: string;
  /** `namespace/name`. */
  id: string;
  /** Pods of `namespace` the policy selects (and isolates); empty selects them all. */
  podSelector: Selector;
  /** policyTypes as written, or defaulted (Ingress, plus Egress when there are egress rules). */
  types: readonly Direction[];
  /** Rules of directions in `types` only; a direction isolated with no rule allows nothing. */
  ingress: readonly PolicyRule[];
  egress: readonly PolicyRule[];
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol: Protocol;
}

/** A pod, or a workload standing for the pods of its template. */
export interface PodEndpoint {
  namespace: string;
  name: string;
  /** Pod, Deployment, StatefulSet, ... */
  kind: string;
  labels: Readonly<Record<string, string>>;
  ports: readonly ContainerPort[];
  /** NetworkPolicy does not govern host-network pods in a defined way. */
  hostNetwork: boolean;
  /** Known pod IPs (status.podIPs), used only when ipBlocks are allowed to match pods. */
  ips?: readonly string[];
  /** The object it comes from, for findings that point at it. */
  resource?: Resource;
}

/** An address outside the pod network (or any address, for ipBlock matching). */
export interface IPEndpoint {
  ip: string;
}

export type Endpoint = PodEndpoint | IPEndpoint;

export function isPod(e: Endpoint): e is PodEndpoint {
  return (e as PodEndpoint).name !== undefined && (e as IPEndpoint).ip === undefined;
}

/** `ns/name[Kind]`, as netpol-analyzer names workloads. */
export function endpointName(e: Endpoint): string {
  return isPod(e) ? `${e.namespace}/${e.name}[${e.kind}]` : e.ip;
}

export interface InvalidPolicy {
  /** NetworkPolicy, AdminNetworkPolicy or BaselineAdminNetworkPolicy. */
  kind: string;
  /** Empty for the cluster-scoped admin policies. */
  namespace: string;
  name: string;
  errors: readonly string[];
  /** One line: the errors joined. */
  reason: string;
}
