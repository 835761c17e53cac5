/** allowPrivilegeEscalation (restricted, 1.8; skips Windows pods from 1.25): must be false. */
import { containerField, fail, joinQuote, nameOf, OK, pluralize, sc } from '../helpers.js';
import type { CheckFn } from '../types.js';

export const allowPrivilegeEscalation: CheckFn = ({ containers, touches }) => {
  if (!touches.escalates) return OK;
  const bad = containers.filter((at) => sc(at.c)?.allowPrivilegeEscalation !== false);
  if (!bad.length) return OK;
  return fail(
    'allowPrivilegeEscalation != false',
    `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad.map(nameOf))} must set securityContext.allowPrivilegeEscalation=false`,
    bad.map((at) => containerField(at, 'securityContext.allowPrivilegeEscalation')),
  );
};
