/**
 * The permissions kubeladder treats as risky: each gives its holder a way to read credentials,
 * run code where it should not, raise its own privileges or hide what it did. One check reports
 * each (rbac/<id>); the token-theft and pod blast-radius checks compare subjects by the same
 * list, so "more privileged" means "holds one of these that the other does not".
 */
import type { Permission } from './inventory-model.js';
import { RBAC_GROUP } from './model.js';

export interface RiskyPermission {
  /** The check reporting it: `rbac/<id>`. */
  id: string;
  /** What holding it amounts to, for messages: `read Secrets`. */
  summary: string;
  permissions: readonly Permission[];
}

const ADMISSION_GROUP = 'admissionregistration.k8s.io';
const CERTIFICATES_GROUP = 'certificates.k8s.io';

export const SECRETS_READ: RiskyPermission = {
  id: 'secrets-read',
  summary: 'read Secrets',
  permissions: ['get', 'list', 'watch'].map((verb) => ({ verb, on: 'secrets', removes: 'secrets', request: { verb, apiGroup: '', resource: 'secrets' } })),
};

export const ESCALATION_VERBS: RiskyPermission = {
  id: 'escalation-verbs',
  summary: 'escalate, bind or impersonate',
  permissions: [
    ...['escalate', 'bind'].flatMap((verb) => ['roles', 'clusterroles'].map((resource) => ({ verb, on: resource, removes: verb, request: { verb, apiGroup: RBAC_GROUP, resource } }))),
    // Users and groups are cluster-scoped (only ClusterRoleBindings grant impersonating them); service accounts are not.
    ...['users', 'groups', 'serviceaccounts'].map((resource) => ({
      verb: 'impersonate',
      on: resource,
      removes: 'impersonate',
      request: { verb: 'impersonate', apiGroup: '', resource },
      clusterScoped: resource !== 'serviceaccounts',
    })),
  ],
};

export const POD_EXEC: RiskyPermission = {
  id: 'pod-exec',
  summary: 'run commands in pods',
  permissions: [
    ...['exec', 'attach', 'portforward'].map((subresource) => ({ verb: 'create', on: `pods/${subresource}`, removes: `pods/${subresource}`, request: { verb: 'create', apiGroup: '', resource: 'pods', subresource } })),
    { verb: 'update', on: 'pods/ephemeralcontainers', removes: 'pods/ephemeralcontainers', request: { verb: 'update', apiGroup: '', resource: 'pods', subresource: 'ephemeralcontainers' } },
  ],
};

export const TOKEN_CREATE: RiskyPermission = {
  id: 'token-create',
  summary: 'mint service account tokens',
  permissions: [{ verb: 'create', on: 'serviceaccounts/token', removes: 'serviceaccounts/token', request: { verb: 'create', apiGroup: '', resource: 'serviceaccounts', subresource: 'token' } }],
};

export const CSR_APPROVE: RiskyPermission = {
  id: 'csr-approve',
  summary: 'approve certificate signing requests',
  permissions: [
    {
      verb: 'update',
      on: 'certificatesigningrequests/approval',
      removes: 'certificatesigningrequests/approval',
      request: { verb: 'update', apiGroup: CERTIFICATES_GROUP, resource: 'certificatesigningrequests', subresource: 'approval' },
      clusterScoped: true,
    },
  ],
};

export const NODES_PROXY: RiskyPermission = {
  id: 'nodes-proxy',
  summary: 'reach the kubelet API',
  permissions: ['get', 'create'].map((verb) => ({ verb, on: 'nodes/proxy', removes: 'nodes/proxy', request: { verb, apiGroup: '', resource: 'nodes', subresource: 'proxy' }, clusterScoped: true })),
};

export const WEBHOOK_CONFIG: RiskyPermission = {
  id: 'webhook-config',
  summary: 'write admission webhook configurations',
  permissions: ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations'].flatMap((resource) =>
    ['create', 'update', 'patch'].map((verb) => ({ verb, on: resource, removes: resource, request: { verb, apiGroup: ADMISSION_GROUP, resource }, clusterScoped: true })),
  ),
};

export const PERSISTENT_VOLUME_CREATE: RiskyPermission = {
  id: 'persistent-volume-create',
  summary: 'create PersistentVolumes',
  permissions: [{ verb: 'create', on: 'persistentvolumes', removes: 'persistentvolumes', request: { verb: 'create', apiGroup: '', resource: 'persistentvolumes' }, clusterScoped: true }],
};

export const NAMESPACE_PATCH: RiskyPermission = {
  id: 'namespace-patch',
  summary: 'change namespaces',
  permissions: ['update', 'patch'].map((verb) => ({ verb, on: 'namespaces', removes: 'namespaces', request: { verb, apiGroup: '', resource: 'namespaces' } })),
};

export const EVENTS_DELETE: RiskyPermission = {
  id: 'events-delete',
  summary: 'delete events',
  permissions: ['', 'events.k8s.io'].flatMap((apiGroup) => ['delete', 'deletecollection'].map((verb) => ({ verb, on: 'events', removes: 'events', request: { verb, apiGroup, resource: 'events' } }))),
};

/** A request with a namespace asks that namespace's RoleBindings plus the ClusterRoleBindings. */
export const KUBE_SYSTEM_CONFIGMAPS: RiskyPermission = {
  id: 'kube-system-configmaps',
  summary: 'change kube-system ConfigMaps',
  permissions: ['update', 'patch'].map((verb) => ({ verb, on: 'configmaps', removes: 'configmaps', request: { verb, apiGroup: '', resource: 'configmaps', namespace: 'kube-system' } })),
};

/** The workload kinds whose pods run as a service account the creator names. */
export const WORKLOAD_WRITE: RiskyPermission = {
  id: 'workload-token-theft',
  summary: 'run pods',
  permissions: [
    ...['create', 'update', 'patch'].map((verb) => ({ verb, on: 'pods', removes: 'pods', request: { verb, apiGroup: '', resource: 'pods' } })),
    ...(
      [
        ['', 'replicationcontrollers'],
        ['apps', 'deployments'],
        ['apps', 'replicasets'],
        ['apps', 'statefulsets'],
        ['apps', 'daemonsets'],
        ['batch', 'jobs'],
        ['batch', 'cronjobs'],
      ] as const
    ).flatMap(([apiGroup, resource]) => ['create', 'update', 'patch'].map((verb) => ({ verb, on: resource, removes: resource, request: { verb, apiGroup, resource } }))),
  ],
};

/** What a stolen token is worth: the permissions compared between subjects, in report order. */
export const RISKY_PERMISSIONS: readonly RiskyPermission[] = [
  ESCALATION_VERBS,
  NODES_PROXY,
  WEBHOOK_CONFIG,
  CSR_APPROVE,
  TOKEN_CREATE,
  SECRETS_READ,
  POD_EXEC,
  WORKLOAD_WRITE,
  PERSISTENT_VOLUME_CREATE,
  KUBE_SYSTEM_CONFIGMAPS,
  NAMESPACE_PATCH,
  EVENTS_DELETE,
];
