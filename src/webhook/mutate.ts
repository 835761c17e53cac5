/**
 * The webhook's safe mutations as RFC 6902 JSON Patch operations. Each sets a hardening field
 * only where the object leaves it unset, never overriding an explicit value, so a second pass
 * over the patched object yields no operation (idempotent, as a reinvocation policy needs).
 * Pod specs are found where src/engines/workloads/pod-specs.ts says each kind keeps them
 * (`/spec`, `/spec/template/spec`, CronJob's `/spec/jobTemplate/spec/template/spec`...).
 */
import { CONTAINER_LISTS, SPEC_PATHS, type ContainerList } from '../engines/workloads/pod-specs.js';
import type { MutationName } from './policy.js';

export type JsonPatchOp = { op: 'add' | 'replace'; path: string; value: unknown };

/** Where each kind keeps its pod spec, as pointer segments (the scanner's own table). */
export const POD_SPEC_SEGMENTS: Readonly<Record<string, readonly string[]>> = SPEC_PATHS;

/** An RFC 6901 JSON Pointer: `~` as `~0`, `/` as `~1`. */
export function pointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Sets `segs` under `root` to `value` unless something is there already; edits the working
 * copy too, so later mutations see (and build on) what earlier ones added. `root` is a shallow
 * copy of the caller's object, and each object on the way down is shallow-copied before it is
 * entered, so a write never reaches the caller's object (path copying: cheaper than cloning it
 * all per request).
 */
function setIfUnset(root: Obj, base: readonly (string | number)[], segs: readonly string[], value: unknown, ops: JsonPatchOp[]): void {
  let node: Obj = root;
  for (let i = 0; i < segs.length; i++) {
    const key = segs[i]!;
    const have = node[key];
    const last = i === segs.length - 1;
    if (have === undefined || have === null) {
      let v: unknown = value;
      for (let j = segs.length - 1; j > i; j--) v = { [segs[j]!]: v };
      node[key] = structuredClone(v);
      ops.push({ op: 'add', path: pointer([...base, ...segs.slice(0, i + 1)]), value: v });
      return;
    }
    if (last || !isObj(have)) return; // explicit value, or something unexpected: leave it alone
    const copy = { ...have };
    node[key] = copy;
    node = copy;
  }
}

export interface MutateOptions {
  /** The `pods/ephemeralcontainers` subresource: only the ephemeral containers may change. */
  ephemeralOnly?: boolean;
}

/** The patch that applies `mutations` to `obj` (not changed); empty for kinds without a pod spec. */
export function mutations(obj: unknown, mutations: readonly MutationName[], opts: MutateOptions = {}): JsonPatchOp[] {
  if (!isObj(obj) || mutations.length === 0) return [];
  const segs = POD_SPEC_SEGMENTS[obj.kind as string];
  if (!segs) return [];
  let found: unknown = obj;
  for (const s of segs) found = isObj(found) ? found[s] : undefined;
  if (!isObj(found)) return [];
  // The working copies (see setIfUnset): the spec and each container, shallow.
  const spec: Obj = { ...found };
  const ops: JsonPatchOp[] = [];
  const on = new Set(mutations);
  // Linux-only fields: the API server rejects them on Windows pods.
  const windows = isObj(spec.os) && spec.os.name === 'windows';
  const lists: readonly ContainerList[] = opts.ephemeralOnly ? ['ephemeralContainers'] : CONTAINER_LISTS;
  const containers: Array<{ c: Obj; at: (string | number)[] }> = [];
  for (const list of lists) {
    const cs = spec[list];
    if (Array.isArray(cs)) cs.forEach((c, i) => isObj(c) && containers.push({ c: { ...c }, at: [...segs, list, i] }));
  }
  if (!opts.ephemeralOnly) {
    if (on.has('seccompRuntimeDefault') && !windows) setIfUnset(spec, segs, ['securityContext', 'seccompProfile'], { type: 'RuntimeDefault' }, ops);
    if (on.has('runAsNonRoot') && !runsAsRoot(spec, containers)) setIfUnset(spec, segs, ['securityContext', 'runAsNonRoot'], true, ops);
    if (on.has('noServiceAccountToken')) setIfUnset(spec, segs, ['automountServiceAccountToken'], false, ops);
  }
  for (const { c, at } of containers) {
    const sc = isObj(c.securityContext) ? c.securityContext : {};
    // The API server rejects allowPrivilegeEscalation: false beside privileged or CAP_SYS_ADMIN.
    const adds = isObj(sc.capabilities) && Array.isArray(sc.capabilities.add) ? sc.capabilities.add : [];
    const needsEscalation = sc.privileged === true || adds.some((a) => a === 'SYS_ADMIN' || a === 'CAP_SYS_ADMIN');
    if (on.has('noPrivilegeEscalation') && !windows && !needsEscalation) setIfUnset(c, at, ['securityContext', 'allowPrivilegeEscalation'], false, ops);
    if (on.has('dropAllCapabilities') && !windows) setIfUnset(c, at, ['securityContext', 'capabilities', 'drop'], ['ALL'], ops);
  }
  return ops;
}

/** An explicit runAsUser: 0 anywhere: runAsNonRoot: true would only stop the pod from starting. */
function runsAsRoot(spec: Obj, containers: Array<{ c: Obj }>): boolean {
  const root = (sc: unknown): boolean => isObj(sc) && sc.runAsUser === 0;
  return root(spec.securityContext) || containers.some(({ c }) => root(c.securityContext));
}

/** Applies add/replace operations (those this module makes) to a copy of `doc`. */
export function applyPatch(doc: unknown, ops: readonly JsonPatchOp[]): unknown {
  const out = structuredClone(doc);
  for (const op of ops) {
    const segs = op.path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    let node = out as Record<string, unknown> | unknown[];
    for (const s of segs.slice(0, -1)) {
      const next = Array.isArray(node) ? node[Number(s)] : node[s];
      if (typeof next !== 'object' || next === null) throw new Error(`patch path ${op.path}: ${s} does not exist`);
      node = next as Record<string, unknown>;
    }
    const last = segs[segs.length - 1]!;
    if (Array.isArray(node)) {
      if (last === '-') node.push(structuredClone(op.value));
      else node.splice(Number(last), op.op === 'add' ? 0 : 1, structuredClone(op.value));
    } else node[last] = structuredClone(op.value);
  }
  return out;
}
