/** The pod's automountServiceAccountToken: false. ServiceAccount objects are left alone. */
import type { PodFix } from '../types.js';

const NAME = 'no-token-automount';

export const noTokenAutomount: PodFix = {
  name: NAME,
  scope: 'pod',
  optIn: true,
  summary: 'automountServiceAccountToken: false on the pod (ServiceAccount objects are not changed)',
  mayBreak:
    'workloads that call the Kubernetes API with their service account (operators, controllers, anything using client-go in-cluster config): they lose their token. An explicit true is left as chosen.',
  apply(t) {
    const v = t.pod.spec.automountServiceAccountToken;
    if (v === false) return;
    if (v === true) {
      t.patch.skipped(NAME, 'the pod sets automountServiceAccountToken: true explicitly; left as chosen');
      return;
    }
    t.patch.set([...t.podPath, 'automountServiceAccountToken'], false);
    t.patch.applied(NAME, 'pod');
  },
};
