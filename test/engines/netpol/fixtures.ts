/** Small builders for NetworkPolicy engine tests: pods, namespaces and policies as plain data. */
import { buildModel, type ModelOptions, type NetpolModel } from '../../../src/engines/netpol/model.js';
import type { ContainerPort, PodEndpoint } from '../../../src/engines/netpol/types.js';
import type { NamespaceInfo } from '../../../src/engines/netpol/workloads.js';

export function pod(ref: string, labels: Record<string, string> = {}, ports: ContainerPort[] = [], extra: Partial<PodEndpoint> = {}): PodEndpoint {
  const [namespace, name] = ref.split('/') as [string, string];
  return { namespace, name, kind: 'Pod', labels, ports, hostNetwork: false, ...extra };
}

export function np(ref: string, spec: Record<string, unknown>): Record<string, unknown> {
  const [namespace, name] = ref.split('/') as [string, string];
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace, name }, spec };
}

export function ns(name: string, labels: Record<string, string> = {}): NamespaceInfo {
  return { name, labels };
}

export function model(pods: PodEndpoint[], policies: unknown[], namespaces: NamespaceInfo[] = [], options: ModelOptions = {}): NetpolModel {
  return buildModel({ pods, policies, namespaces, options });
}
