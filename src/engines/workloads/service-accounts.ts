/**
 * The service account a pod runs as, and whether its token reaches the containers: what an
 * attacker who takes the pod can use against the API server.
 */
import type { Resource } from '../../core/resource.js';
import type { PodSpec } from './pod-specs.js';

/** `serviceAccountName`, else the deprecated `serviceAccount`, else the namespace's `default`. */
export function podServiceAccount(spec: PodSpec): string {
  const named = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return named(spec.serviceAccountName) ?? named(spec.serviceAccount) ?? 'default';
}

/** Why the pod holds its service account's token, or undefined when it does not. */
export function tokenSource(spec: PodSpec, serviceAccount: Resource | undefined): string | undefined {
  // A projected serviceAccountToken volume mounts a token whatever automount says.
  const volumes: unknown[] = Array.isArray(spec.volumes) ? spec.volumes : [];
  for (const v of volumes) {
    const sources = (v as { projected?: { sources?: unknown } } | null)?.projected?.sources;
    if (Array.isArray(sources) && sources.some((s) => (s as { serviceAccountToken?: unknown } | null)?.serviceAccountToken)) {
      return `volume "${String((v as { name?: unknown }).name)}" projects its token`;
    }
  }
  // The pod's own setting wins over its service account's (Kubernetes' precedence).
  const own = spec.automountServiceAccountToken;
  if (own === false) return undefined;
  if (own === true) return 'the pod sets automountServiceAccountToken: true';
  if (serviceAccount?.obj.automountServiceAccountToken === false) return undefined;
  return 'its token is mounted by default';
}
