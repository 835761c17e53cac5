/**
 * Reads a live cluster into an inventory: each resource type the checks need, listed in pages
 * with bounded concurrency. Secrets are asked for as metadata only, so their data never
 * reaches kubeladder. A type the credentials may not list is recorded as unreadable, and the
 * checks that need it are then "not assessed".
 */
import { Inventory } from '../../core/inventory.js';
import { Resource, type KubeObject } from '../../core/resource.js';
import { apiVersionOf, resourceType, type ResourceType } from '../../engines/kinds.js';
import { ApiError, type ClusterClient } from './client.js';

export interface ClusterReadOptions {
  /** Kinds to list (the checks' needs); unknown kinds are skipped. */
  kinds: readonly string[];
  /** Only these namespaces (all when empty). */
  namespaces?: readonly string[];
  pageSize?: number;
  concurrency?: number;
  /** Called as each resource type finishes, for a progress display. */
  progress?: (kind: string, count: number, done: number, total: number) => void;
}

export interface ClusterSnapshot {
  serverVersion?: string;
  objects: KubeObject[];
  /** Kinds that could not be read, with why. */
  unreadable: Record<string, string>;
}

const METADATA_ONLY = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

/** Lists everything the kinds need; the raw objects, so a snapshot can store them as they are. */
export async function listCluster(client: ClusterClient, opts: ClusterReadOptions): Promise<ClusterSnapshot> {
  const types = [...new Set(opts.kinds)].map(resourceType).filter((t): t is ResourceType => t !== undefined);
  const out: ClusterSnapshot = { objects: [], unreadable: {} };
  const version = (await client.get('/version')) as { gitVersion?: string };
  if (version.gitVersion) out.serverVersion = version.gitVersion;
  const lists = new Map<string, KubeObject[]>();
  let done = 0;
  await pool(types, opts.concurrency ?? 4, async (t) => {
    try {
      const items = await listType(client, t, opts.namespaces ?? [], opts.pageSize ?? 500);
      lists.set(t.kind, items);
      opts.progress?.(t.kind, items.length, ++done, types.length);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      out.unreadable[t.kind] = e.status === 403 ? `forbidden: ${e.message}` : `HTTP ${e.status}: ${e.message}`;
      opts.progress?.(t.kind, 0, ++done, types.length);
    }
  });
  // Listing order would follow whichever request finished first: keep the types' order.
  for (const t of types) out.objects.push(...(lists.get(t.kind) ?? []));
  return out;
}

/** An inventory from a cluster listing (live or from a snapshot file). */
export function inventoryFrom(snapshot: ClusterSnapshot): Inventory {
  const inv = new Inventory(['cluster']);
  for (const [kind, why] of Object.entries(snapshot.unreadable)) inv.unreadableKinds.set(kind, why);
  if (snapshot.serverVersion) inv.kubernetesVersion = snapshot.serverVersion;
  for (const obj of snapshot.objects) {
    const ns = obj.metadata?.namespace;
    inv.add(new Resource(obj, { basePath: [] }, typeof ns === 'string' && ns ? ns : undefined));
  }
  return inv;
}

async function listType(client: ClusterClient, t: ResourceType, namespaces: readonly string[], pageSize: number): Promise<KubeObject[]> {
  const prefix = t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
  const accept = t.kind === 'Secret' ? METADATA_ONLY : 'application/json';
  if (namespaces.length === 0 || !t.namespaced) {
    if (t.kind === 'Namespace' && namespaces.length > 0) return getNamespaces(client, prefix, namespaces);
    return listPaged(client, `${prefix}/${t.resource}`, t, accept, pageSize);
  }
  const all: KubeObject[] = [];
  for (const ns of namespaces) all.push(...(await listPaged(client, `${prefix}/namespaces/${encodeURIComponent(ns)}/${t.resource}`, t, accept, pageSize)));
  return all;
}

async function getNamespaces(client: ClusterClient, prefix: string, names: readonly string[]): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const n of names) {
    try {
      out.push((await client.get(`${prefix}/namespaces/${encodeURIComponent(n)}`)) as KubeObject);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 404) throw e;
    }
  }
  return out;
}

async function listPaged(client: ClusterClient, path: string, t: ResourceType, accept: string, pageSize: number): Promise<KubeObject[]> {
  const items: KubeObject[] = [];
  let cont = '';
  do {
    const page = (await client.get(`${path}?limit=${pageSize}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`, accept)) as {
      items?: KubeObject[];
      metadata?: { continue?: string };
    };
    for (const item of page.items ?? []) {
      // List items carry no kind; metadata-only items say PartialObjectMetadata.
      item.apiVersion = apiVersionOf(t);
      item.kind = t.kind;
      if (t.kind === 'Secret') dropSecretCopies(item);
      items.push(item);
    }
    cont = page.metadata?.continue ?? '';
  } while (cont);
  return items;
}

/** `kubectl apply` keeps the whole Secret, data included, in an annotation: never hold it. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function dropSecretCopies(secret: KubeObject): void {
  delete (secret as { data?: unknown }).data;
  delete (secret as { stringData?: unknown }).stringData;
  if (secret.metadata?.annotations) delete secret.metadata.annotations[LAST_APPLIED];
}

async function pool<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}
