/**
 * procMount (baseline 1.0; relaxed for user-namespace pods in 1.35, when restricted took over
 * the strict form as procMount_restricted): containers must keep the Default /proc mask.
 */
import { containerField, fail, joinQuote, nameOf, OK, pluralize, relaxedForUserNamespaces, sc, uniqSorted } from '../helpers.js';
import type { CheckFn, ContainerAt } from '../types.js';

export const procMount: CheckFn = ({ containers, touches }) => {
  if (!touches.procMount) return OK;
  const bad: ContainerAt[] = [];
  const types: string[] = [];
  for (const at of containers) {
    const pm = sc(at.c)?.procMount;
    if (pm === undefined || pm === null) continue;
    if (pm !== 'Default') {
      bad.push(at);
      types.push(String(pm));
    }
  }
  return bad.length
    ? fail(
        'procMount',
        `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad.map(nameOf))} must not set securityContext.procMount to ${joinQuote(uniqSorted(types))}`,
        bad.map((at) => containerField(at, 'securityContext.procMount')),
      )
    : OK;
};

export const procMountRelaxed: CheckFn = relaxedForUserNamespaces(procMount);
