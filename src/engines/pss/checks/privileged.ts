/** privileged (baseline, 1.0): no container may set securityContext.privileged=true. */
import { containerField, fail, joinQuote, nameOf, OK, pluralize, sc } from '../helpers.js';
import type { CheckFn } from '../types.js';

export const privileged: CheckFn = ({ containers, touches }) => {
  if (!touches.privileged) return OK;
  const bad = containers.filter((at) => sc(at.c)?.privileged === true);
  const names = bad.map(nameOf);
  return fail(
    'privileged',
    `${pluralize('container', 'containers', names.length)} ${joinQuote(names)} must not set securityContext.privileged=true`,
    bad.map((at) => containerField(at, 'securityContext.privileged')),
  );
};
