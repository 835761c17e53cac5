/** The vocabulary every part of kubeladder shares: rungs, severities, statuses, subjects. */

export const RUNGS = [1, 2, 3, 4, 5] as const;
export type Rung = (typeof RUNGS)[number];

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STATUSES = ['fail', 'pass', 'not-assessed', 'exempt'] as const;
export type Status = (typeof STATUSES)[number];

export type StatusCounts = Record<Status, number>;

/** A Kubernetes object as findings name it. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** What a result is about: an object, a host file, an endpoint, an image or an audit event. */
export interface Subject {
  object?: ObjectRef;
  host?: { node: string; path: string };
  endpoint?: { address: string; port: number; protocol: string };
  image?: { reference: string; digest?: string };
  event?: { auditID: string; user: string; time: string };
}

/** One outcome of one check on one subject. */
export interface Result extends Subject {
  check: string;
  rung: Rung;
  severity: Severity;
  status: Status;
  /** The field the result is about, e.g. `spec.template.spec.containers[0].image`. */
  path?: string;
  message: string;
  remediation?: string;
  file?: string;
  line?: number;
  column?: number;
  /** Why a result is exempt or not assessed. */
  reason?: string;
}

export interface Reference {
  title: string;
  url?: string;
  /** A CIS Kubernetes Benchmark control id, e.g. `5.2.2`. */
  cis?: string;
  /** A Pod Security Standards control, e.g. `Privileged Containers`. */
  pss?: string;
}

/** The inputs a check requires; when the input cannot provide them the check is not assessed. */
export interface Needs {
  /** Kubernetes kinds the check reads (a live scan that may not list one marks the check not assessed). */
  kinds?: readonly string[];
  /** Inputs beyond Kubernetes objects. */
  inputs?: readonly InputKind[];
}

/**
 * `kubernetes-version` is met whenever the inventory knows the cluster's version, from any
 * source; `apiserver-metrics` when the API server's /metrics could be read; `apiserver-address`
 * when the API server's endpoint addresses are known (--apiserver-address, or the `kubernetes`
 * Service's EndpointSlices of a cluster read).
 */
export type InputKind = 'manifests' | 'cluster' | 'node' | 'network' | 'registry' | 'audit-log' | 'kubernetes-version' | 'apiserver-metrics' | 'apiserver-address';

export interface CheckExamples {
  /** A manifest that fails the check. */
  bad: string;
  /** The same manifest, fixed. */
  good: string;
  /** The cluster versions the examples assume (`--kubernetes-version`), for version checks. */
  kubernetesVersion?: { bad: string; good: string };
  /** The API server's /metrics text the examples assume, for checks that read it. */
  apiserverMetrics?: { bad: string; good: string };
}

export interface CheckMeta {
  id: string;
  rung: Rung;
  severity: Severity;
  title: string;
  rationale: string;
  remediation: string;
  references: readonly Reference[];
  needs: Needs;
  examples: CheckExamples;
  /**
   * Namespace-level policy checks (default deny, admission labels) are exempt by default in
   * the system namespaces, which Kubernetes itself manages.
   */
  namespacePolicy?: boolean;
}
