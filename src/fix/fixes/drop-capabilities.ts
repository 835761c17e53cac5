/** capabilities.drop: [ALL] in every container (what it adds stays). */
import { containersOf } from '../../engines/workloads/pod-specs.js';
import type { PodFix } from '../types.js';
import { containerScPath, describe, isObject, securityContextOf } from './common.js';

const NAME = 'drop-capabilities';

export const dropCapabilities: PodFix = {
  name: NAME,
  scope: 'pod',
  optIn: true,
  summary: 'capabilities.drop: ["ALL"] in every container ("ALL" added to an existing drop list; capabilities.add kept)',
  mayBreak:
    'images that start as root and chown files or bind ports below 1024: add back CHOWN, SETUID/SETGID or NET_BIND_SERVICE in capabilities.add (restricted allows only NET_BIND_SERVICE).',
  apply(t) {
    const containers = containersOf(t.pod);
    const todo = containers.filter((c) => {
      const caps = securityContextOf(c.container)?.capabilities;
      const drop = isObject(caps) ? caps.drop : undefined;
      return !(Array.isArray(drop) && drop.includes('ALL'));
    });
    if (todo.length === 0) return;
    if (t.windows) {
      t.patch.skipped(NAME, 'Windows pod: capabilities are a Linux-only field the API server rejects there');
      return;
    }
    for (const c of todo) {
      const caps = securityContextOf(c.container)?.capabilities;
      const drop = isObject(caps) ? caps.drop : undefined;
      const add = isObject(caps) && Array.isArray(caps.add) ? caps.add.map(String) : [];
      t.patch.attempt(NAME, () => {
        if (Array.isArray(drop)) t.patch.append(containerScPath(t, c, 'capabilities', 'drop'), 'ALL');
        else t.patch.set(containerScPath(t, c, 'capabilities', 'drop'), ['ALL']);
        t.patch.applied(NAME, `${describe(c)}${add.length ? ` (keeps add: ${add.join(', ')})` : ''}`);
      });
    }
  },
};
