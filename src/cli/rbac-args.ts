/**
 * What `kubectl auth can-i` takes, read the way kubectl reads it: a resource as
 * `RESOURCE[.GROUP][/NAME]` (plural, singular, kind or short name) or a non-resource `/path`,
 * and `--as`/`--as-group` turned into the user the API server's impersonation makes.
 */
import { UsageError } from '../core/errors.js';
import { resourceType, RESOURCE_KINDS } from '../engines/kinds.js';

export interface ResourceArg {
  resource: string;
  apiGroup: string;
  name?: string;
  /** False when kubeladder does not know the type (kubectl warns the same way and goes on). */
  known: boolean;
}

/** kubectl's short names and a few resources the scanner never lists, by plural resource. */
const EXTRA: ReadonlyArray<{ resource: string; group: string; aliases: readonly string[] }> = [
  { resource: 'pods', group: '', aliases: ['po', 'pod'] },
  { resource: 'services', group: '', aliases: ['svc', 'service'] },
  { resource: 'namespaces', group: '', aliases: ['ns', 'namespace'] },
  { resource: 'nodes', group: '', aliases: ['no', 'node'] },
  { resource: 'serviceaccounts', group: '', aliases: ['sa', 'serviceaccount'] },
  { resource: 'configmaps', group: '', aliases: ['cm', 'configmap'] },
  { resource: 'secrets', group: '', aliases: ['secret'] },
  { resource: 'events', group: '', aliases: ['ev', 'event'] },
  { resource: 'endpoints', group: '', aliases: ['ep'] },
  { resource: 'persistentvolumes', group: '', aliases: ['pv', 'persistentvolume'] },
  { resource: 'persistentvolumeclaims', group: '', aliases: ['pvc', 'persistentvolumeclaim'] },
  { resource: 'replicationcontrollers', group: '', aliases: ['rc', 'replicationcontroller'] },
  { resource: 'limitranges', group: '', aliases: ['limits', 'limitrange'] },
  { resource: 'resourcequotas', group: '', aliases: ['quota', 'resourcequota'] },
  { resource: 'deployments', group: 'apps', aliases: ['deploy', 'deployment'] },
  { resource: 'replicasets', group: 'apps', aliases: ['rs', 'replicaset'] },
  { resource: 'statefulsets', group: 'apps', aliases: ['sts', 'statefulset'] },
  { resource: 'daemonsets', group: 'apps', aliases: ['ds', 'daemonset'] },
  { resource: 'cronjobs', group: 'batch', aliases: ['cj', 'cronjob'] },
  { resource: 'jobs', group: 'batch', aliases: ['job'] },
  { resource: 'ingresses', group: 'networking.k8s.io', aliases: ['ing', 'ingress'] },
  { resource: 'networkpolicies', group: 'networking.k8s.io', aliases: ['netpol', 'networkpolicy'] },
  { resource: 'poddisruptionbudgets', group: 'policy', aliases: ['pdb', 'poddisruptionbudget'] },
  { resource: 'horizontalpodautoscalers', group: 'autoscaling', aliases: ['hpa', 'horizontalpodautoscaler'] },
  { resource: 'customresourcedefinitions', group: 'apiextensions.k8s.io', aliases: ['crd', 'crds', 'customresourcedefinition'] },
  { resource: 'priorityclasses', group: 'scheduling.k8s.io', aliases: ['pc', 'priorityclass'] },
  { resource: 'storageclasses', group: 'storage.k8s.io', aliases: ['sc', 'storageclass'] },
  { resource: 'certificatesigningrequests', group: 'certificates.k8s.io', aliases: ['csr', 'certificatesigningrequest'] },
  { resource: 'leases', group: 'coordination.k8s.io', aliases: ['lease'] },
  { resource: 'endpointslices', group: 'discovery.k8s.io', aliases: ['endpointslice'] },
  { resource: 'tokenreviews', group: 'authentication.k8s.io', aliases: ['tokenreview'] },
  { resource: 'subjectaccessreviews', group: 'authorization.k8s.io', aliases: ['subjectaccessreview'] },
];

interface Known {
  resource: string;
  group: string;
}

/** Every name a type answers to (plural, singular, kind, short name), lower case. */
const BY_NAME: ReadonlyMap<string, readonly Known[]> = (() => {
  const m = new Map<string, Known[]>();
  const add = (name: string, k: Known) => {
    const list = m.get(name) ?? [];
    if (!list.some((x) => x.resource === k.resource && x.group === k.group)) list.push(k);
    m.set(name, list);
  };
  for (const kind of RESOURCE_KINDS) {
    const t = resourceType(kind)!;
    for (const name of [t.resource, t.kind.toLowerCase()]) add(name, { resource: t.resource, group: t.group });
  }
  for (const e of EXTRA) for (const name of [e.resource, ...e.aliases]) add(name, { resource: e.resource, group: e.group });
  return m;
})();

/** `pods`, `deploy/web`, `deployments.apps`, `roles.rbac.authorization.k8s.io/admin`. */
export function parseResourceArg(arg: string): ResourceArg {
  const slash = arg.indexOf('/');
  const type = (slash === -1 ? arg : arg.slice(0, slash)).toLowerCase();
  const name = slash === -1 ? undefined : arg.slice(slash + 1);
  if (!type || name === '') throw new UsageError(`"${arg}" is not a resource: give RESOURCE[.GROUP][/NAME] or a /path`);
  const withName = (r: Omit<ResourceArg, 'name'>): ResourceArg => (name === undefined ? r : { ...r, name });
  const direct = BY_NAME.get(type);
  if (direct && direct.length > 0) return withName({ resource: direct[0]!.resource, apiGroup: direct[0]!.group, known: true });
  // RESOURCE.GROUP: the longest known group suffix, else everything after the first dot.
  const dot = type.indexOf('.');
  if (dot > 0) {
    const head = type.slice(0, dot);
    const group = type.slice(dot + 1);
    const match = (BY_NAME.get(head) ?? []).find((k) => k.group === group);
    if (match) return withName({ resource: match.resource, apiGroup: group, known: true });
    return withName({ resource: head, apiGroup: group, known: false });
  }
  return withName({ resource: type, apiGroup: '', known: false });
}

const SA_PREFIX = 'system:serviceaccount:';

/**
 * The user the API server's impersonation makes of `--as` and `--as-group`: a service account's
 * two groups when no group is given; `system:authenticated` for every user but
 * `system:anonymous` (which gets `system:unauthenticated`) unless one of the two is given.
 */
export function impersonatedUser(as: string, asGroups: readonly string[]): { name: string; groups: string[] } {
  let groups = [...asGroups];
  if (as.startsWith(SA_PREFIX) && groups.length === 0) {
    const rest = as.slice(SA_PREFIX.length);
    const colon = rest.indexOf(':');
    if (colon <= 0 || colon === rest.length - 1) throw new UsageError(`--as: "${as}" is not system:serviceaccount:NAMESPACE:NAME`);
    groups = ['system:serviceaccounts', `system:serviceaccounts:${rest.slice(0, colon)}`];
  }
  if (as === 'system:anonymous') {
    if (!groups.includes('system:unauthenticated')) groups.push('system:unauthenticated');
  } else if (!groups.includes('system:authenticated') && !groups.includes('system:unauthenticated')) {
    groups.push('system:authenticated');
  }
  return { name: as, groups };
}
