/** hostNamespaces (baseline, 1.0): hostNetwork, hostPID and hostIPC must be unset or false. */
import { fail, OK } from '../helpers.js';
import type { CheckFn } from '../types.js';

export const hostNamespaces: CheckFn = ({ spec }) => {
  if (spec.hostNetwork !== true && spec.hostPID !== true && spec.hostIPC !== true) return OK;
  const bad: string[] = [];
  const fields: string[] = [];
  for (const key of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[key] === true) {
      bad.push(`${key}=true`);
      fields.push(`spec.${key}`);
    }
  }
  return bad.length ? fail('host namespaces', bad.join(', '), fields) : OK;
};
