/**
 * seccompProfile_baseline: no Unconfined profile (annotations until 1.19, fields from 1.19).
 * seccompProfile_restricted (1.19, overrides baseline): the pod or every container must set
 * RuntimeDefault or Localhost.
 */
import { containerField, fail, joinQuote, nameOf, OK, pluralize, sc, setters } from '../helpers.js';
import type { CheckFn, ContainerAt } from '../types.js';

const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

export const seccompBaselineAnnotations: CheckFn = (ctx) => {
  const bad: string[] = [];
  const ann = ctx.meta.annotations ?? {};
  if (ann[SECCOMP_POD_ANNOTATION] === 'unconfined') bad.push(`${SECCOMP_POD_ANNOTATION}="unconfined"`);
  for (const at of ctx.containers) {
    const k = SECCOMP_CONTAINER_PREFIX + nameOf(at);
    if (ann[k] === 'unconfined') bad.push(`${k}="unconfined"`);
  }
  return bad.length ? fail('seccompProfile', `forbidden ${pluralize('annotation', 'annotations', bad.length)} ${bad.join(', ')}`, ['metadata.annotations']) : OK;
};

const unconfined = (at: ContainerAt) => sc(at.c)?.seccompProfile?.type === 'Unconfined';

export const seccompBaseline: CheckFn = ({ spec, containers, touches }) => {
  if (!touches.seccompUnconfined && sc(spec)?.seccompProfile?.type !== 'Unconfined') return OK;
  const podBad = sc(spec)?.seccompProfile?.type === 'Unconfined';
  const bad = containers.filter(unconfined);
  if (!podBad && !bad.length) return OK;
  const fields = [...(podBad ? ['spec.securityContext.seccompProfile.type'] : []), ...bad.map((at) => containerField(at, 'securityContext.seccompProfile.type'))];
  return fail('seccompProfile', `${setters(podBad, bad.map(nameOf)).join(' and ')} must not set securityContext.seccompProfile.type to "Unconfined"`, fields);
};

const valid = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';

/** A container that names an invalid profile, or none while the pod names no valid one. */
function containerFails(at: ContainerAt, podOk: boolean): boolean {
  const t = sc(at.c)?.seccompProfile?.type;
  return t !== undefined && t !== null ? !valid(t) : !podOk;
}

export const seccompRestricted: CheckFn = ({ spec, containers }) => {
  const podType = sc(spec)?.seccompProfile?.type;
  if (podType === undefined || podType === null || valid(podType)) {
    const podOk = podType !== undefined && podType !== null;
    let failing = false;
    for (const at of containers) if (containerFails(at, podOk)) failing = true;
    if (!failing) return OK;
  }
  const podSet = podType !== undefined && podType !== null;
  const podOk = podSet && valid(podType);
  const podBad = podSet && !podOk;
  const explicit: ContainerAt[] = [];
  const implicit: ContainerAt[] = [];
  for (const at of containers) {
    const t = sc(at.c)?.seccompProfile?.type;
    if (t !== undefined && t !== null) {
      if (!valid(t)) explicit.push(at);
    } else if (!podOk) implicit.push(at);
  }
  if (podBad || explicit.length) {
    const fields = [...(podBad ? ['spec.securityContext.seccompProfile.type'] : []), ...explicit.map((at) => containerField(at, 'securityContext.seccompProfile.type'))];
    return fail('seccompProfile', `${setters(podBad, explicit.map(nameOf)).join(' and ')} must not set securityContext.seccompProfile.type to "Unconfined"`, fields);
  }
  if (implicit.length)
    return fail(
      'seccompProfile',
      `pod or ${pluralize('container', 'containers', implicit.length)} ${joinQuote(implicit.map(nameOf))} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
      implicit.map((at) => containerField(at, 'securityContext.seccompProfile')),
    );
  return OK;
};
