/**
 * runAsNonRoot (restricted, 1.0): the pod, or else every container, must set runAsNonRoot=true,
 * and none may set it false. runAsUser (restricted, 1.23): nobody sets runAsUser=0. Both are
 * relaxed for user-namespace pods (`hostUsers: false`) from 1.35.
 */
import { containerField, fail, joinQuote, nameOf, OK, pluralize, sc, setters } from '../helpers.js';
import type { CheckFn, ContainerAt } from '../types.js';

export const runAsNonRoot: CheckFn = ({ spec, containers, touches }) => {
  const p = sc(spec)?.runAsNonRoot;
  if (p === true && !touches.runAsNonRootFalse) return OK;
  const podBad = p === false;
  const podTrue = p === true;
  const explicit: ContainerAt[] = [];
  const implicit: ContainerAt[] = [];
  for (const at of containers) {
    const v = sc(at.c)?.runAsNonRoot;
    if (v === false) explicit.push(at);
    else if (v !== true && !podTrue) implicit.push(at);
  }
  if (podBad || explicit.length) {
    const fields = [...(podBad ? ['spec.securityContext.runAsNonRoot'] : []), ...explicit.map((at) => containerField(at, 'securityContext.runAsNonRoot'))];
    return fail('runAsNonRoot != true', `${setters(podBad, explicit.map(nameOf)).join(' and ')} must not set securityContext.runAsNonRoot=false`, fields);
  }
  if (implicit.length)
    return fail(
      'runAsNonRoot != true',
      `pod or ${pluralize('container', 'containers', implicit.length)} ${joinQuote(implicit.map(nameOf))} must set securityContext.runAsNonRoot=true`,
      implicit.map((at) => containerField(at, 'securityContext.runAsNonRoot')),
    );
  return OK;
};

export const runAsUser: CheckFn = ({ spec, containers, touches }) => {
  const podBad = sc(spec)?.runAsUser === 0;
  if (!podBad && !touches.runAsUserZero) return OK;
  const bad = containers.filter((at) => sc(at.c)?.runAsUser === 0);
  if (!podBad && !bad.length) return OK;
  const fields = [...(podBad ? ['spec.securityContext.runAsUser'] : []), ...bad.map((at) => containerField(at, 'securityContext.runAsUser'))];
  return fail('runAsUser=0', `${setters(podBad, bad.map(nameOf)).join(' and ')} must not set runAsUser=0`, fields);
};
