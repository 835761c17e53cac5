/** readOnlyRootFilesystem: true in every container. */
import { containersOf } from '../../engines/workloads/pod-specs.js';
import type { PodFix } from '../types.js';
import { containerScPath, describe, securityContextOf } from './common.js';

const NAME = 'readonly-rootfs';

export const readonlyRootfs: PodFix = {
  name: NAME,
  scope: 'pod',
  optIn: true,
  summary: 'readOnlyRootFilesystem: true in every container (an explicit false is left as chosen)',
  mayBreak:
    'programs that write outside their mounted volumes (/tmp, caches, pid files, nginx and many databases): mount an emptyDir where they write.',
  apply(t) {
    const todo = containersOf(t.pod).filter((c) => securityContextOf(c.container)?.readOnlyRootFilesystem !== true);
    if (todo.length === 0) return;
    if (t.windows) {
      t.patch.skipped(NAME, 'Windows pod: readOnlyRootFilesystem is a Linux-only field the API server rejects there');
      return;
    }
    for (const c of todo) {
      if (securityContextOf(c.container)?.readOnlyRootFilesystem === false) {
        t.patch.skipped(NAME, `${describe(c)} sets readOnlyRootFilesystem: false explicitly; left as chosen`);
        continue;
      }
      t.patch.attempt(NAME, () => {
        t.patch.set(containerScPath(t, c, 'readOnlyRootFilesystem'), true);
        t.patch.applied(NAME, describe(c));
      });
    }
  },
};
