/** sysctls (baseline): only the namespaced "safe" sysctls, an allowlist that grows by version. */
import { fail, OK, sc } from '../helpers.js';
import type { CheckFn } from '../types.js';

export const SYSCTLS_1_0 = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
];
export const SYSCTLS_1_27 = [...SYSCTLS_1_0, 'net.ipv4.ip_local_reserved_ports'];
export const SYSCTLS_1_29 = [...SYSCTLS_1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
export const SYSCTLS_1_32 = [...SYSCTLS_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
export const SYSCTLS_1_37 = [...SYSCTLS_1_32, 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'];

export function sysctls(allowedList: readonly string[]): CheckFn {
  const allowed = new Set(allowedList);
  return ({ spec }) => {
    const list = sc(spec)?.sysctls;
    if (!Array.isArray(list) || list.length === 0) return OK;
    const bad: string[] = [];
    const fields: string[] = [];
    if (Array.isArray(list))
      list.forEach((s, i) => {
        if (!allowed.has(String(s?.name))) {
          bad.push(String(s?.name));
          fields.push(`spec.securityContext.sysctls[${i}].name`);
        }
      });
    return bad.length ? fail('forbidden sysctls', bad.join(', '), fields) : OK;
  };
}
