/** `allowPrivilegeEscalation: false` in every container that can take it. */
import { containersOf, type SecurityContext } from '../../engines/workloads/pod-specs.js';
import type { PodFix } from '../types.js';
import { containerScPath, describe, isObject, securityContextOf } from './common.js';

const NAME = 'no-privilege-escalation';

/** CAP_SYS_ADMIN in capabilities.add: the API server rejects allowPrivilegeEscalation: false beside it. */
export function addsSysAdmin(sc: SecurityContext | undefined): boolean {
  const caps = isObject(sc?.capabilities) ? sc.capabilities : undefined;
  const add = caps?.add;
  return Array.isArray(add) && add.some((c) => typeof c === 'string' && /^(CAP_)?SYS_ADMIN$/i.test(c));
}

export const noPrivilegeEscalation: PodFix = {
  name: NAME,
  scope: 'pod',
  optIn: false,
  summary: 'allowPrivilegeEscalation: false in every container (init, regular, ephemeral)',
  mayBreak:
    'almost never: only programs that gain privileges through setuid binaries or file capabilities (sudo, ping on old images). Skipped where the API server would reject it: privileged containers, containers that add SYS_ADMIN, Windows pods.',
  apply(t) {
    const containers = containersOf(t.pod);
    if (containers.length === 0) return;
    const todo = containers.filter((c) => securityContextOf(c.container)?.allowPrivilegeEscalation !== false);
    if (todo.length === 0) return;
    if (t.windows) {
      t.patch.skipped(NAME, 'Windows pod: allowPrivilegeEscalation is a Linux-only field the API server rejects there');
      return;
    }
    for (const c of todo) {
      const sc = securityContextOf(c.container);
      if (sc?.privileged === true) {
        t.patch.skipped(NAME, `${describe(c)} is privileged: the API server rejects allowPrivilegeEscalation: false beside privileged: true`);
        continue;
      }
      if (addsSysAdmin(sc)) {
        t.patch.skipped(NAME, `${describe(c)} adds SYS_ADMIN: the API server rejects allowPrivilegeEscalation: false beside CAP_SYS_ADMIN`);
        continue;
      }
      const was = sc?.allowPrivilegeEscalation;
      t.patch.attempt(NAME, () => {
        t.patch.set(containerScPath(t, c, 'allowPrivilegeEscalation'), false);
        t.patch.applied(NAME, `${describe(c)}${was === undefined || was === null ? '' : ` (was ${JSON.stringify(was)})`}`);
      });
    }
  },
};
