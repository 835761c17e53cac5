/**
 * appArmorProfile (baseline, 1.0, amended in place upstream in 1.30): the
 * securityContext.appArmorProfile fields (pod and every container) may only be RuntimeDefault
 * or Localhost, and the deprecated container.apparmor annotations only runtime/default or
 * localhost/*.
 */
import { containerField, fail, joinQuote, nameOf, OK, pluralize, sc, setters } from '../helpers.js';
import type { CheckFn } from '../types.js';

const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

const allowedType = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';

/** Most pods set no AppArmor field and no AppArmor annotation: say so without allocating. */
function anyAppArmor(ctx: Parameters<CheckFn>[0]): boolean {
  if (ctx.touches.appArmor || sc(ctx.spec)?.appArmorProfile) return true;
  const ann = ctx.meta.annotations;
  if (ann) for (const k in ann) if (k.startsWith(APPARMOR_PREFIX)) return true;
  return false;
}

export const appArmorProfile: CheckFn = (ctx) => {
  if (!anyAppArmor(ctx)) return OK;
  const badValues = new Set<string>();
  const fields: string[] = [];
  const pp = sc(ctx.spec)?.appArmorProfile;
  const podBad = !!pp && typeof pp === 'object' && !allowedType(pp.type);
  if (podBad) {
    badValues.add(String(pp.type ?? ''));
    fields.push('spec.securityContext.appArmorProfile.type');
  }
  const badContainers: string[] = [];
  for (const at of ctx.containers) {
    const cp = sc(at.c)?.appArmorProfile;
    if (cp && typeof cp === 'object' && !allowedType(cp.type)) {
      badContainers.push(nameOf(at));
      badValues.add(String(cp.type ?? ''));
      fields.push(containerField(at, 'securityContext.appArmorProfile.type'));
    }
  }
  const who = setters(podBad, badContainers);
  const badAnnotations: string[] = [];
  for (const [k, v] of Object.entries(ctx.meta.annotations ?? {})) {
    if (!k.startsWith(APPARMOR_PREFIX)) continue;
    if (v === '' || v === 'runtime/default' || v.startsWith('localhost/')) continue;
    badAnnotations.push(`${k}=${JSON.stringify(v)}`);
  }
  badAnnotations.sort();
  if (badAnnotations.length) {
    who.push(pluralize('annotation', 'annotations', badAnnotations.length));
    fields.push('metadata.annotations');
  }
  if (!who.length) return OK;
  const badValueList = [...[...badValues].sort(), ...badAnnotations];
  return fail(
    pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', badValueList.length),
    `${who.join(' and ')} must not set AppArmor profile type to ${joinQuote(badValueList)}`,
    fields,
  );
};
