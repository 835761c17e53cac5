/**
 * capabilities_baseline (1.0): only the default container runtime capabilities may be added.
 * capabilities_restricted (1.22, overrides baseline): drop ALL, add at most NET_BIND_SERVICE.
 */
import { containerField, fail, joinQuote, nameOf, OK, pluralize, sc, uniqSorted } from '../helpers.js';
import type { CheckFn, ContainerAt } from '../types.js';

export const BASELINE_CAPS: ReadonlySet<string> = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

function addedCaps(at: ContainerAt): string[] {
  const add = sc(at.c)?.capabilities?.add;
  return Array.isArray(add) ? add.map(String) : [];
}

/** Containers adding capabilities outside `allowed`, and those capabilities. */
function forbiddenAdds(containers: ContainerAt[], allowed: (cap: string) => boolean): { bad: ContainerAt[]; caps: string[] } {
  const bad: ContainerAt[] = [];
  const caps: string[] = [];
  for (const at of containers) {
    let found = false;
    for (const cap of addedCaps(at)) {
      if (!allowed(cap)) {
        found = true;
        caps.push(cap);
      }
    }
    if (found) bad.push(at);
  }
  return { bad, caps };
}

function addMessage(bad: ContainerAt[], caps: string[]): string {
  return `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad.map(nameOf))} must not include ${joinQuote(uniqSorted(caps))} in securityContext.capabilities.add`;
}

const addField = (at: ContainerAt) => containerField(at, 'securityContext.capabilities.add');

const baselineCap = (cap: string) => BASELINE_CAPS.has(cap);
const restrictedCap = (cap: string) => cap === 'NET_BIND_SERVICE';

export const capabilitiesBaseline: CheckFn = ({ containers, touches }) => {
  if (!touches.addsNonDefaultCap) return OK;
  const { bad, caps } = forbiddenAdds(containers, baselineCap);
  return bad.length ? fail('non-default capabilities', addMessage(bad, caps), bad.map(addField)) : OK;
};

export const capabilitiesRestricted: CheckFn = ({ containers, touches }) => {
  if (!touches.keepsCaps && !touches.addsOtherThanBind) return OK;
  const missingDrop = containers.filter((at) => {
    const drop = sc(at.c)?.capabilities?.drop;
    return !(Array.isArray(drop) && drop.includes('ALL'));
  });
  const { bad, caps } = forbiddenAdds(containers, restrictedCap);
  const details: string[] = [];
  if (missingDrop.length)
    details.push(`${pluralize('container', 'containers', missingDrop.length)} ${joinQuote(missingDrop.map(nameOf))} must set securityContext.capabilities.drop=["ALL"]`);
  if (bad.length) details.push(addMessage(bad, caps));
  if (!details.length) return OK;
  const fields = [...missingDrop.map((at) => containerField(at, 'securityContext.capabilities.drop')), ...bad.map(addField)];
  return fail('unrestricted capabilities', details.join('; '), fields);
};
