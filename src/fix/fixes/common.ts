/** Helpers the fixes share. */
import { describeContainer, type ContainerAt, type SecurityContext } from '../../engines/workloads/pod-specs.js';
import type { Segment } from '../edit.js';
import type { PodTarget } from '../types.js';

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A container's or pod's securityContext when it is a mapping. */
export function securityContextOf(o: { securityContext?: unknown } | undefined): SecurityContext | undefined {
  const sc = o?.securityContext;
  return isObject(sc) ? (sc as SecurityContext) : undefined;
}

/** Path of a container's securityContext field within the object. */
export function containerScPath(t: PodTarget, c: ContainerAt, ...rest: Segment[]): Segment[] {
  return [...t.podPath, c.list, c.index, 'securityContext', ...rest];
}

export function podScPath(t: PodTarget, ...rest: Segment[]): Segment[] {
  return [...t.podPath, 'securityContext', ...rest];
}

export const describe = describeContainer;

/** `init container "migrate"` etc., joined for a message. */
export function listContainers(cs: readonly ContainerAt[]): string {
  return cs.map(describeContainer).join(', ');
}
