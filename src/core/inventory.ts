import type { Resource } from './resource.js';
import type { InputKind } from './types.js';
import type { DeprecatedRequest } from '../engines/versions/deprecated-requests.js';
import type { ApiserverAddress } from '../engines/network-platform/apiserver.js';

export interface NamespaceInfo {
  name: string;
  /** The Namespace object, when the input defines it. */
  resource?: Resource;
}

/** Everything a scan knows: the objects, where they came from, and what the input could not see. */
export class Inventory {
  readonly resources: Resource[] = [];
  private readonly byKind = new Map<string, Resource[]>();
  private readonly byKey = new Map<string, Resource>();
  /** What kinds of input were read (manifests, a cluster, a node root...). */
  readonly inputs = new Set<InputKind>();
  /** Kinds the source could not read (a 403 on a live cluster), with why. */
  readonly unreadableKinds = new Map<string, string>();
  /** Assumptions the scan made, shown in every report. */
  readonly notes: string[] = [];
  /** The cluster's Kubernetes version (`v1.37.2`): from the API server, a snapshot or --kubernetes-version. */
  kubernetesVersion?: string;
  /** The version an upgrade is planned to (`v1.38`), from --target-version. */
  targetVersion?: string;
  /** Deprecated API versions clients still request, from the API server's metrics; unset when unreadable. */
  deprecatedApiRequests?: DeprecatedRequest[];
  /** The API server's endpoint addresses given with --apiserver-address (a cluster read finds them in EndpointSlices). */
  apiserverAddresses?: ApiserverAddress[];
  /**
   * Set for a cluster read of some namespaces only (-n, --shard): whether a namespace's objects
   * were listed. A check that concludes from an object's absence asks {@link namespaceListed}.
   */
  namespaceScope?: (namespace: string) => boolean;
  /** Duplicate objects, as `file:line` of the later copy and the earlier one. */
  readonly duplicates: Array<{ resource: Resource; first: Resource }> = [];

  constructor(inputs: Iterable<InputKind> = ['manifests']) {
    for (const i of inputs) this.inputs.add(i);
  }

  add(r: Resource): void {
    const key = keyOf(r.group, r.kind, r.namespace, r.name);
    const first = this.byKey.get(key);
    if (first) this.duplicates.push({ resource: r, first });
    else this.byKey.set(key, r);
    this.resources.push(r);
    let list = this.byKind.get(r.kind);
    if (!list) this.byKind.set(r.kind, (list = []));
    list.push(r);
  }

  /** Whether the namespace's objects were read (always, but for a partial cluster read). */
  namespaceListed(namespace: string): boolean {
    return this.namespaceScope ? this.namespaceScope(namespace) : true;
  }

  ofKind(kind: string): readonly Resource[] {
    return this.byKind.get(kind) ?? [];
  }

  get kinds(): string[] {
    return [...this.byKind.keys()].sort();
  }

  /** The object of that kind and name; `group` is the API group ('' for core). */
  find(group: string, kind: string, namespace: string | undefined, name: string): Resource | undefined {
    return this.byKey.get(keyOf(group, kind, namespace, name));
  }

  /**
   * Every namespace the input defines or uses. A namespace that objects use but no Namespace
   * object defines is assumed to exist without labels.
   */
  namespaces(): NamespaceInfo[] {
    const out = new Map<string, NamespaceInfo>();
    for (const r of this.ofKind('Namespace')) if (r.group === '') out.set(r.name, { name: r.name, resource: r });
    for (const r of this.resources) {
      if (r.namespace !== undefined && !out.has(r.namespace)) out.set(r.namespace, { name: r.namespace });
    }
    return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

function keyOf(group: string, kind: string, namespace: string | undefined, name: string): string {
  return `${group}\u0000${kind}\u0000${namespace ?? ''}\u0000${name}`;
}
