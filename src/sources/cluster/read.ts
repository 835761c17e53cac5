/**
 * Reads a live cluster into an inventory: each resource type the checks need, listed in pages
 * with bounded concurrency. Secrets are asked for as metadata only, so their data never
 * reaches kubeladder. A type the credentials may not list is recorded as unreadable, and the
 * checks that need it are then "not assessed". A shard (`scan --shard i/n`) reads a fixed share
 * of the namespaces, chosen by a hash of their names, so n pods cover a cluster together.
 */
import { Inventory } from '../../core/inventory.js';
import { Resource, type KubeObject } from '../../core/resource.js';
import { parseDeprecatedRequests, type DeprecatedRequest } from '../../engines/versions/deprecated-requests.js';
import { apiVersionOf, resourceType, type ResourceType } from '../../engines/kinds.js';
import { ApiError, type ClusterClient } from './client.js';

export interface ClusterReadOptions {
  /** Kinds to list (the checks' needs); unknown kinds are skipped. */
  kinds: readonly string[];
  /** Only these namespaces (all when empty). */
  namespaces?: readonly string[];
  /** Only this shard's share of the namespaces (see {@link shardOf}). */
  shard?: Shard;
  /**
   * How a shard reads namespaced kinds: one list per selected namespace, or the cluster-wide
   * lists with other shards' items dropped page by page. Default: {@link chooseStrategy}.
   */
  strategy?: 'per-namespace' | 'filter';
  pageSize?: number;
  concurrency?: number;
  /** Also read the API server's /metrics for the deprecated-API gauge. */
  metrics?: boolean;
  /** Called as each resource type finishes, for a progress display. */
  progress?: (kind: string, count: number, done: number, total: number) => void;
}

/** Shard `index` of `count` (0 <= index < count). */
export interface Shard {
  index: number;
  count: number;
}

export interface ClusterSnapshot {
  serverVersion?: string;
  /** From /metrics; absent when it was not asked for or the credentials may not read it. */
  deprecatedApiRequests?: DeprecatedRequest[];
  objects: KubeObject[];
  /** Kinds that could not be read, with why. */
  unreadable: Record<string, string>;
  /** Set when only some namespaces were read (-n, --shard): their namespaced objects are all there is. */
  scope?: NamespaceScope;
}

/** The namespaces a partial read covers: those named (when any), in the shard (when one). */
export interface NamespaceScope {
  namespaces?: string[];
  shard?: Shard;
}

/** Whether a read limited to `scope` listed the namespace's objects. */
export function inScope(scope: NamespaceScope | undefined, namespace: string): boolean {
  if (!scope) return true;
  if (scope.namespaces && !scope.namespaces.includes(namespace)) return false;
  return inShard(scope.shard, { kind: 'Namespace', name: namespace });
}

const METADATA_ONLY = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

/** 32-bit FNV-1a of the UTF-8 bytes of `s`. */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/**
 * The shard a namespace belongs to: FNV-1a (32-bit) of its name, modulo the number of shards.
 * Stable across runs, versions and machines, so `count` pods, one per index, cover every
 * namespace exactly once. Cluster-scoped objects belong to shard 0; a Namespace object to the
 * shard of its own name.
 */
export function shardOf(namespace: string, count: number): number {
  return fnv1a32(namespace) % count;
}

/** Whether the shard reports on an object: by its namespace, a Namespace by its name, cluster-scoped ones in shard 0. */
export function inShard(shard: Shard | undefined, ref: { kind: string; namespace?: string; name: string }): boolean {
  if (!shard || shard.count <= 1) return true;
  const ns = ref.namespace ?? (ref.kind === 'Namespace' ? ref.name : undefined);
  return ns === undefined ? shard.index === 0 : shardOf(ns, shard.count) === shard.index;
}

/**
 * Lists everything the kinds need; the raw objects, so a snapshot can store them as they are.
 * With a shard, every cluster-scoped kind is still listed whole (a shard's RoleBindings need the
 * ClusterRoles they name), but Namespaces and namespaced objects only in the shard's namespaces.
 */
export async function listCluster(client: ClusterClient, opts: ClusterReadOptions): Promise<ClusterSnapshot> {
  const types = [...new Set(opts.kinds)].map(resourceType).filter((t): t is ResourceType => t !== undefined);
  const out: ClusterSnapshot = { objects: [], unreadable: {} };
  const version = (await client.get('/version')) as { gitVersion?: string };
  if (version.gitVersion) out.serverVersion = version.gitVersion;
  if (opts.metrics) {
    try {
      out.deprecatedApiRequests = parseDeprecatedRequests(String(await client.get('/metrics', 'text/plain')));
    } catch (e) {
      // No right to /metrics (a nonResourceURL): the check that needs it is not assessed.
      if (!(e instanceof ApiError)) throw e;
    }
  }
  const pageSize = opts.pageSize ?? 500;
  const shard = opts.shard && opts.shard.count > 1 ? opts.shard : undefined;
  const wanted = (ns: string): boolean => inShard(shard, { kind: 'Namespace', name: ns });
  if (shard || (opts.namespaces && opts.namespaces.length > 0)) {
    out.scope = {};
    if (opts.namespaces && opts.namespaces.length > 0) out.scope.namespaces = [...opts.namespaces];
    if (shard) out.scope.shard = { index: shard.index, count: shard.count };
  }
  const lists = new Map<string, KubeObject[]>();
  const fail = (t: ResourceType, e: unknown): void => {
    if (!(e instanceof ApiError)) throw e;
    // A custom resource whose CRD is not installed: there are none, which checks may conclude from.
    if (t.crd && e.status === 404) {
      lists.set(t.kind, []);
      return;
    }
    out.unreadable[t.kind] = e.status === 403 ? `forbidden: ${e.message}` : `HTTP ${e.status}: ${e.message}`;
  };

  // The namespaces to read one by one, when there is a list of them: named with -n, or a shard's
  // share of the Namespace list when reading them one by one is the cheaper way (read first, and
  // kept as the Namespace kind's listing either way).
  let names: string[] | undefined = opts.namespaces && opts.namespaces.length > 0 ? opts.namespaces.filter(wanted) : undefined;
  const nsType = resourceType('Namespace')!;
  if (!names && shard) {
    try {
      const all = await listPaged(client, nsPath(nsType), nsType, 'application/json', pageSize);
      const mine = all.filter((n) => wanted(n.metadata?.name ?? ''));
      if (types.includes(nsType)) lists.set('Namespace', mine);
      const strategy = opts.strategy ?? chooseStrategy({ count: shard.count, namespaces: all.length, pods: await countPods(client), kinds: types.filter((t) => t.namespaced).length });
      if (strategy === 'per-namespace') names = mine.map((n) => n.metadata!.name!);
    } catch (e) {
      // Without the Namespace list, read the cluster-wide lists and drop other shards' items.
      if (!(e instanceof ApiError)) throw e;
      if (types.includes(nsType)) fail(nsType, e);
    }
  }

  let done = 0;
  const pending = types.filter((t) => !lists.has(t.kind) && !out.unreadable[t.kind]);
  await pool(pending, opts.concurrency ?? 4, async (t) => {
    try {
      const accept = t.kind === 'Secret' ? METADATA_ONLY : 'application/json';
      let items: KubeObject[];
      if (t.kind === 'Namespace' && names) items = await getNamespaces(client, nsPath(t), names);
      else if (!t.namespaced) items = await listPaged(client, nsPath(t), t, accept, pageSize);
      else if (names) items = await listEach(client, t, names, accept, pageSize, opts.concurrency ?? 4);
      else items = await listPaged(client, nsPath(t), t, accept, pageSize, shard ? (o) => wanted(o.metadata?.namespace ?? '') : undefined);
      lists.set(t.kind, items);
      opts.progress?.(t.kind, items.length, ++done, pending.length);
    } catch (e) {
      fail(t, e);
      opts.progress?.(t.kind, 0, ++done, pending.length);
    }
  });
  // Listing order would follow whichever request finished first: keep the types' order.
  for (const t of types) out.objects.push(...(lists.get(t.kind) ?? []));
  return out;
}

/**
 * Which way a shard reads its namespaced kinds. One list per namespace and kind costs the API
 * server about 1-1.5 ms of CPU per request; the cluster-wide lists cost it about 0.03 ms per
 * object, paid by every shard (bench/cluster/shard-read.mjs, docs/in-cluster.md). So per
 * namespace wins once the n-1 extra copies of every object outweigh the requests:
 * (n - 1) x objects per namespace > 40 x namespaced kinds. Pods stand in for the objects (one
 * `limit=1` list gives their count); without a count, the cluster-wide lists: where they lost
 * they took under 2x the time, where per-namespace lists lost those took up to 58x.
 */
export function chooseStrategy(c: { count: number; namespaces: number; pods: number | undefined; kinds: number }): 'per-namespace' | 'filter' {
  if (c.pods === undefined || c.count <= 1) return 'filter';
  return (c.count - 1) * (c.pods / Math.max(1, c.namespaces)) > 40 * c.kinds ? 'per-namespace' : 'filter';
}

/** How many pods the cluster holds, from one `limit=1` list (remainingItemCount); undefined when it cannot tell. */
async function countPods(client: ClusterClient): Promise<number | undefined> {
  try {
    const page = (await client.get('/api/v1/pods?limit=1')) as { items?: unknown[]; metadata?: { remainingItemCount?: number; continue?: string } };
    const rest = page.metadata?.remainingItemCount;
    if (typeof rest === 'number') return (page.items?.length ?? 0) + rest;
    return page.metadata && 'continue' in page.metadata && page.metadata.continue ? undefined : (page.items?.length ?? 0);
  } catch (e) {
    if (e instanceof ApiError) return undefined;
    throw e;
  }
}

/** An inventory from a cluster listing (live or from a snapshot file). */
export function inventoryFrom(snapshot: ClusterSnapshot): Inventory {
  const inv = new Inventory(['cluster']);
  for (const [kind, why] of Object.entries(snapshot.unreadable)) inv.unreadableKinds.set(kind, why);
  if (snapshot.serverVersion) inv.kubernetesVersion = snapshot.serverVersion;
  if (snapshot.deprecatedApiRequests) inv.deprecatedApiRequests = snapshot.deprecatedApiRequests;
  const scope = snapshot.scope;
  if (scope) inv.namespaceScope = (ns) => inScope(scope, ns);
  for (const obj of snapshot.objects) {
    const ns = obj.metadata?.namespace;
    inv.add(new Resource(obj, { basePath: [] }, typeof ns === 'string' && ns ? ns : undefined));
  }
  return inv;
}

function nsPath(t: ResourceType, namespace?: string): string {
  const prefix = t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
  return namespace === undefined ? `${prefix}/${t.resource}` : `${prefix}/namespaces/${encodeURIComponent(namespace)}/${t.resource}`;
}

/** One paged list per namespace, `concurrency` at a time, in the namespaces' order. */
async function listEach(client: ClusterClient, t: ResourceType, names: readonly string[], accept: string, pageSize: number, concurrency: number): Promise<KubeObject[]> {
  const per: KubeObject[][] = [];
  await pool(names.map((n, i) => [n, i] as const), concurrency, async ([n, i]) => {
    per[i] = await listPaged(client, nsPath(t, n), t, accept, pageSize);
  });
  return per.flat();
}

async function getNamespaces(client: ClusterClient, path: string, names: readonly string[]): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const n of names) {
    try {
      out.push((await client.get(`${path}/${encodeURIComponent(n)}`)) as KubeObject);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 404) throw e;
    }
  }
  return out;
}

/** Every item of a paged list; with `keep`, only the items it accepts (dropped page by page, so memory holds only what is kept). */
async function listPaged(client: ClusterClient, path: string, t: ResourceType, accept: string, pageSize: number, keep?: (item: KubeObject) => boolean): Promise<KubeObject[]> {
  const items: KubeObject[] = [];
  let cont = '';
  do {
    const page = (await client.get(`${path}?limit=${pageSize}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`, accept)) as {
      items?: KubeObject[];
      metadata?: { continue?: string };
    };
    for (const item of page.items ?? []) {
      if (keep && !keep(item)) continue;
      // List items carry no kind; metadata-only items say PartialObjectMetadata.
      item.apiVersion = apiVersionOf(t);
      item.kind = t.kind;
      if (t.kind === 'Secret') dropSecretCopies(item);
      slimManagedFields(item);
      items.push(item);
    }
    cont = page.metadata?.continue ?? '';
  } while (cont);
  return items;
}

/**
 * managedFields' field sets are a third of a typical object and no check reads them; who wrote
 * it in which apiVersion (api/removed-version) stays.
 */
function slimManagedFields(obj: KubeObject): void {
  const fields = obj.metadata?.managedFields;
  if (!Array.isArray(fields)) return;
  for (const f of fields) if (f && typeof f === 'object') delete (f as { fieldsV1?: unknown }).fieldsV1;
}

/** `kubectl apply` keeps the whole Secret, data included, in an annotation: never hold it. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function dropSecretCopies(secret: KubeObject): void {
  delete (secret as { data?: unknown }).data;
  delete (secret as { stringData?: unknown }).stringData;
  if (secret.metadata?.annotations) delete secret.metadata.annotations[LAST_APPLIED];
}

export async function pool<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}
