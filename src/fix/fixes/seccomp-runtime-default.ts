/** The pod's seccompProfile: RuntimeDefault, when nothing in the pod chose a profile. */
import { containersOf } from '../../engines/workloads/pod-specs.js';
import type { PodFix } from '../types.js';
import { describe, isObject, podScPath, securityContextOf } from './common.js';

const NAME = 'seccomp-runtime-default';
const ANNOTATION = /^(seccomp\.security\.alpha\.kubernetes\.io\/pod|container\.seccomp\.security\.alpha\.kubernetes\.io\/.+)$/;

function profileType(p: unknown): string {
  return isObject(p) && typeof p.type === 'string' ? p.type : JSON.stringify(p);
}

export const seccompRuntimeDefault: PodFix = {
  name: NAME,
  scope: 'pod',
  optIn: false,
  summary: 'securityContext.seccompProfile.type: RuntimeDefault on the pod, when neither the pod nor a container sets a profile',
  mayBreak:
    "almost never: the container runtime's default profile blocks only rarely used system calls (unshare, mount, keyctl, ptrace of other processes...). Explicit profiles (Unconfined too) and Windows pods are left alone.",
  apply(t) {
    const pod = t.pod.spec;
    const podProfile = securityContextOf(pod)?.seccompProfile;
    if (podProfile !== undefined && podProfile !== null) {
      const type = profileType(podProfile);
      if (type !== 'RuntimeDefault' && type !== 'Localhost') t.patch.skipped(NAME, `the pod sets seccompProfile ${type} explicitly; left as chosen`);
      return;
    }
    const own = containersOf(t.pod).filter((c) => {
      const p = securityContextOf(c.container)?.seccompProfile;
      return p !== undefined && p !== null;
    });
    if (own.length > 0) {
      const list = own.map((c) => `${describe(c)} (${profileType(securityContextOf(c.container)?.seccompProfile)})`).join(', ');
      t.patch.skipped(NAME, `containers choose their own seccompProfile, left as chosen: ${list}`);
      return;
    }
    if (t.windows) {
      t.patch.skipped(NAME, 'Windows pod: seccompProfile is a Linux-only field the API server rejects there');
      return;
    }
    const annotations = Object.keys(t.pod.metadata.annotations ?? {}).filter((a) => ANNOTATION.test(a));
    if (annotations.length > 0) {
      t.patch.skipped(NAME, `the pod carries the deprecated seccomp annotation ${annotations.join(', ')}; the API server rejects a field that disagrees with it: replace it by hand`);
      return;
    }
    t.patch.set(podScPath(t, 'seccompProfile', 'type'), 'RuntimeDefault');
    t.patch.applied(NAME, 'pod');
  },
};
