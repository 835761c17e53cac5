/**
 * Scan checks that ask the Pod Security Standards engine about one of its controls, so each
 * control can be exempted on its own (a node agent may need host namespaces but nothing else).
 * Not a check itself: the registry only takes files inside an area folder.
 */
import { defineCheck, type ObjectCheck } from '../core/check.js';
import { joinPath } from '../core/path.js';
import type { CheckMeta } from '../core/types.js';
import { runPssCheck } from '../engines/pss/index.js';
import { POD_KINDS, podSpecOf, WORKLOAD_SCOPE, type PodSpecAt } from '../engines/workloads/pod-specs.js';

export interface PssControlOptions extends Omit<CheckMeta, 'needs'> {
  /** The PodSecurity admission plugin's check id, e.g. `hostNamespaces`. */
  pssCheck: string;
  /** The level the control belongs to, for the message. */
  level: 'baseline' | 'restricted';
}

/** `spec.hostNetwork` relative to the pod becomes `spec.template.spec.hostNetwork` in a Deployment. */
export function objectPath(pod: PodSpecAt, podField: string): string {
  const root = pod.path === 'spec' ? '' : pod.path.slice(0, -'.spec'.length);
  return joinPath(root, podField);
}

/** The standard as it stands today: scans judge every workload at `latest`. */
export const SCAN_PSS_VERSION = 'latest';

export function pssControlCheck({ pssCheck, level, ...meta }: PssControlOptions): ObjectCheck {
  return defineCheck({
    ...meta,
    needs: { kinds: POD_KINDS },
    ...WORKLOAD_SCOPE,
    evaluate: (r) => {
      const pod = podSpecOf(r);
      if (!pod) return [];
      const found = runPssCheck(pssCheck, pod.metadata, pod.spec, SCAN_PSS_VERSION);
      if (!found) return [];
      const field = found.fields[0];
      return [{ path: field ? objectPath(pod, field) : pod.path, message: `violates Pod Security Standards ${level}: ${found.message}` }];
    },
  });
}
