/**
 * seLinuxOptions (baseline): the type may only be one of the container types (container_engine_t
 * joined in 1.31), and user and role must be unset.
 */
import { containerField, fail, joinQuote, nameOf, OK, pluralize, sc, setters, uniqSorted } from '../helpers.js';
import type { CheckFn } from '../types.js';

export const SELINUX_TYPES_1_0 = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
export const SELINUX_TYPES_1_31 = new Set([...SELINUX_TYPES_1_0, 'container_engine_t']);

export function seLinuxOptions(types: ReadonlySet<string>): CheckFn {
  return ({ spec, containers, touches }) => {
    if (!touches.seLinux && !sc(spec)?.seLinuxOptions) return OK;
    const badTypes: string[] = [];
    let badUser = false;
    let badRole = false;
    const examine = (o: unknown): boolean => {
      if (!o || typeof o !== 'object') return false;
      const opts = o as { type?: unknown; user?: unknown; role?: unknown };
      let bad = false;
      const t = opts.type ?? '';
      if (!types.has(t as string)) {
        badTypes.push(String(t));
        bad = true;
      }
      if ((opts.user ?? '') !== '') badUser = bad = true;
      if ((opts.role ?? '') !== '') badRole = bad = true;
      return bad;
    };
    const fields: string[] = [];
    const podBad = examine(sc(spec)?.seLinuxOptions);
    if (podBad) fields.push('spec.securityContext.seLinuxOptions');
    const badContainers: string[] = [];
    for (const at of containers) {
      if (examine(sc(at.c)?.seLinuxOptions)) {
        badContainers.push(nameOf(at));
        fields.push(containerField(at, 'securityContext.seLinuxOptions'));
      }
    }
    if (!podBad && badContainers.length === 0) return OK;
    const what: string[] = [];
    const bt = uniqSorted(badTypes);
    if (bt.length) what.push(`${pluralize('type', 'types', bt.length)} ${joinQuote(bt)}`);
    if (badUser) what.push('user may not be set');
    if (badRole) what.push('role may not be set');
    return fail('seLinuxOptions', `${setters(podBad, badContainers).join(' and ')} set forbidden securityContext.seLinuxOptions: ${what.join('; ')}`, fields);
  };
}
