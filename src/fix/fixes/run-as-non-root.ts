/** The pod's runAsNonRoot: true, unless something in it runs as root on purpose. */
import { containersOf } from '../../engines/workloads/pod-specs.js';
import type { PodFix } from '../types.js';
import { describe, podScPath, securityContextOf } from './common.js';

const NAME = 'run-as-non-root';

export const runAsNonRoot: PodFix = {
  name: NAME,
  scope: 'pod',
  optIn: true,
  summary: 'securityContext.runAsNonRoot: true on the pod (skipped when the pod or a container sets runAsUser: 0 or runAsNonRoot: false, and on Windows pods)',
  mayBreak:
    'images whose user is root or a name rather than a number (the kubelet cannot check a name): the container fails to start with CreateContainerConfigError until the image or runAsUser names a non-zero UID.',
  apply(t) {
    const podSc = securityContextOf(t.pod.spec);
    if (podSc?.runAsNonRoot === true) return;
    const containers = containersOf(t.pod);
    if (containers.length > 0 && containers.every((c) => securityContextOf(c.container)?.runAsNonRoot === true)) return;
    if (t.windows) {
      // On Windows runAsNonRoot checks the user name, and most Windows images run as ContainerAdministrator.
      t.patch.skipped(NAME, 'Windows pod: runAsNonRoot checks the Windows user name there (most images run as ContainerAdministrator); set it by hand');
      return;
    }
    if (podSc?.runAsNonRoot === false) {
      t.patch.skipped(NAME, 'the pod sets runAsNonRoot: false explicitly; left as chosen');
      return;
    }
    if (podSc?.runAsUser === 0) {
      t.patch.skipped(NAME, 'the pod sets runAsUser: 0 (root) explicitly; left as chosen');
      return;
    }
    const root = containers.filter((c) => {
      const sc = securityContextOf(c.container);
      return sc?.runAsUser === 0 || sc?.runAsNonRoot === false;
    });
    if (root.length > 0) {
      t.patch.skipped(NAME, `${root.map(describe).join(', ')} ${root.length === 1 ? 'sets' : 'set'} runAsUser: 0 or runAsNonRoot: false explicitly; left as chosen`);
      return;
    }
    t.patch.set(podScPath(t, 'runAsNonRoot'), true);
    t.patch.applied(NAME, 'pod');
  },
};
