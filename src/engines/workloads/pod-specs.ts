/** Where each workload kind keeps its pod spec, and the containers inside it. */
import { joinPath } from '../../core/path.js';
import type { CheckContext, Violation } from '../../core/check.js';
import type { Resource } from '../../core/resource.js';
import { isTopLevel } from './owners.js';

export interface SecurityContext {
  privileged?: unknown;
  allowPrivilegeEscalation?: unknown;
  readOnlyRootFilesystem?: unknown;
  runAsNonRoot?: unknown;
  runAsUser?: unknown;
  runAsGroup?: unknown;
  capabilities?: { add?: unknown; drop?: unknown };
  seccompProfile?: { type?: unknown; localhostProfile?: unknown };
  [k: string]: unknown;
}

export interface Container {
  name?: string;
  image?: unknown;
  securityContext?: SecurityContext;
  [k: string]: unknown;
}

export interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
  serviceAccountName?: unknown;
  serviceAccount?: unknown;
  automountServiceAccountToken?: unknown;
  securityContext?: SecurityContext;
  [k: string]: unknown;
}

export interface PodSpecAt {
  spec: PodSpec;
  /** Path of the pod spec within the object, e.g. `spec.template.spec`. */
  path: string;
  /** The pod template's (or pod's) metadata. */
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

/** Where each kind keeps its pod spec, as field names from the object's root. */
export const SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** Kinds that carry a pod spec: Pods and every pod-template kind. */
export const POD_KINDS: readonly string[] = Object.keys(SPEC_PATHS);

export function podSpecOf(r: Resource): PodSpecAt | undefined {
  const segs = SPEC_PATHS[r.kind];
  if (!segs) return undefined;
  let node: unknown = r.obj;
  let parent: unknown;
  for (const s of segs) {
    if (typeof node !== 'object' || node === null) return undefined;
    parent = node;
    node = (node as Record<string, unknown>)[s];
  }
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
  // A Pod's metadata is the object's; a template's is beside the template's spec.
  const meta = (r.kind === 'Pod' ? r.obj.metadata : (parent as { metadata?: unknown }).metadata) as PodSpecAt['metadata'] | undefined;
  return { spec: node as PodSpec, path: segs.join('.'), metadata: meta ?? {} };
}

/** Windows pods (`spec.os.name: windows`), where the API server forbids Linux-only securityContext fields. */
export function isWindowsPod(pod: PodSpecAt): boolean {
  const os = pod.spec.os;
  return typeof os === 'object' && os !== null && (os as { name?: unknown }).name === 'windows';
}

export type ContainerList = 'initContainers' | 'containers' | 'ephemeralContainers';
export const CONTAINER_LISTS: readonly ContainerList[] = ['initContainers', 'containers', 'ephemeralContainers'];

export interface ContainerAt {
  container: Container;
  list: ContainerList;
  index: number;
  /** Path of the container within the object. */
  path: string;
}

/** Every container of a pod spec (init, regular and ephemeral), with its path. */
export function containersOf(pod: PodSpecAt): ContainerAt[] {
  const out: ContainerAt[] = [];
  for (const list of CONTAINER_LISTS) {
    const cs = pod.spec[list];
    if (!Array.isArray(cs)) continue;
    cs.forEach((container, index) => {
      if (typeof container === 'object' && container !== null) {
        out.push({ container, list, index, path: joinPath(pod.path, `${list}[${index}]`) });
      }
    });
  }
  return out;
}

/** `container "api"` or `init container "migrate"`, as messages name them. */
export function describeContainer(c: ContainerAt): string {
  const what = c.list === 'initContainers' ? 'init container' : c.list === 'ephemeralContainers' ? 'ephemeral container' : 'container';
  return `${what} "${c.container.name ?? `#${c.index}`}"`;
}

/** Runs `fn` on every container of a workload and collects what it finds. */
export function eachContainer(r: Resource, fn: (c: ContainerAt, pod: PodSpecAt) => Violation | undefined): Violation[] {
  const pod = podSpecOf(r);
  if (!pod) return [];
  const out: Violation[] = [];
  for (const c of containersOf(pod)) {
    const v = fn(c, pod);
    if (v) out.push(v);
  }
  return out;
}

/**
 * The scope of a pod check: every pod-carrying kind, top-level objects only (a Deployment, not
 * the ReplicaSets and Pods it controls, when those are in the inventory too).
 */
export const WORKLOAD_SCOPE = {
  kinds: POD_KINDS,
  appliesTo: (r: Resource, ctx: CheckContext): boolean => isTopLevel(r, ctx.inventory),
};
