/** What Kubernetes knows about kinds that every source and check needs. */

/** Built-in kinds that are cluster-scoped (no namespace). Keyed by kind, since built-in kind names are unique. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'APIService',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'CertificateSigningRequest',
  'ClusterRole',
  'ClusterRoleBinding',
  'ClusterTrustBundle',
  'ComponentStatus',
  'CSIDriver',
  'CSINode',
  'CustomResourceDefinition',
  'DeviceClass',
  'FlowSchema',
  'IngressClass',
  'IPAddress',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PodSecurityPolicy',
  'PriorityClass',
  'PriorityLevelConfiguration',
  'RuntimeClass',
  'SelfSubjectAccessReview',
  'SelfSubjectReview',
  'SelfSubjectRulesReview',
  'ServiceCIDR',
  'StorageClass',
  'StorageVersion',
  'SubjectAccessReview',
  'TokenReview',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
  'VolumeAttributesClass',
]);

/** Built-in namespaced kinds; objects of these kinds without a namespace land in the default one. */
export const NAMESPACED_KINDS: ReadonlySet<string> = new Set([
  'Binding',
  'ConfigMap',
  'ControllerRevision',
  'CronJob',
  'CSIStorageCapacity',
  'DaemonSet',
  'Deployment',
  'EndpointSlice',
  'Endpoints',
  'Event',
  'HorizontalPodAutoscaler',
  'Ingress',
  'Job',
  'Lease',
  'LimitRange',
  'NetworkPolicy',
  'PersistentVolumeClaim',
  'Pod',
  'PodDisruptionBudget',
  'PodTemplate',
  'ReplicaSet',
  'ReplicationController',
  'ResourceClaim',
  'ResourceClaimTemplate',
  'ResourceQuota',
  'Role',
  'RoleBinding',
  'Secret',
  'Service',
  'ServiceAccount',
  'StatefulSet',
]);

export const SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease'];

/** Where the API server serves a built-in kind: what a live scan lists. */
export interface ResourceType {
  kind: string;
  group: string;
  version: string;
  /** The plural resource name in the URL. */
  resource: string;
  namespaced: boolean;
  /**
   * Served by a CustomResourceDefinition that a cluster may not have installed (a mesh's or a
   * CNI's): a 404 on its list means no such objects, not that they could not be read.
   */
  crd?: boolean;
}

const RESOURCE_TYPES: readonly ResourceType[] = [
  { kind: 'Namespace', group: '', version: 'v1', resource: 'namespaces', namespaced: false },
  { kind: 'Node', group: '', version: 'v1', resource: 'nodes', namespaced: false },
  { kind: 'Pod', group: '', version: 'v1', resource: 'pods', namespaced: true },
  { kind: 'PodTemplate', group: '', version: 'v1', resource: 'podtemplates', namespaced: true },
  { kind: 'ReplicationController', group: '', version: 'v1', resource: 'replicationcontrollers', namespaced: true },
  { kind: 'Service', group: '', version: 'v1', resource: 'services', namespaced: true },
  { kind: 'ServiceAccount', group: '', version: 'v1', resource: 'serviceaccounts', namespaced: true },
  { kind: 'Secret', group: '', version: 'v1', resource: 'secrets', namespaced: true },
  { kind: 'ConfigMap', group: '', version: 'v1', resource: 'configmaps', namespaced: true },
  { kind: 'Deployment', group: 'apps', version: 'v1', resource: 'deployments', namespaced: true },
  { kind: 'ReplicaSet', group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true },
  { kind: 'StatefulSet', group: 'apps', version: 'v1', resource: 'statefulsets', namespaced: true },
  { kind: 'DaemonSet', group: 'apps', version: 'v1', resource: 'daemonsets', namespaced: true },
  { kind: 'Job', group: 'batch', version: 'v1', resource: 'jobs', namespaced: true },
  { kind: 'CronJob', group: 'batch', version: 'v1', resource: 'cronjobs', namespaced: true },
  { kind: 'NetworkPolicy', group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies', namespaced: true },
  { kind: 'Ingress', group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', namespaced: true },
  { kind: 'Role', group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles', namespaced: true },
  { kind: 'RoleBinding', group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'rolebindings', namespaced: true },
  { kind: 'ClusterRole', group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', namespaced: false },
  { kind: 'ClusterRoleBinding', group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings', namespaced: false },
  { kind: 'RuntimeClass', group: 'node.k8s.io', version: 'v1', resource: 'runtimeclasses', namespaced: false },
  { kind: 'PodDisruptionBudget', group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', namespaced: true },
  { kind: 'HorizontalPodAutoscaler', group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers', namespaced: true },
  { kind: 'IngressClass', group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses', namespaced: false },
  { kind: 'PriorityClass', group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses', namespaced: false },
  { kind: 'StorageClass', group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses', namespaced: false },
  { kind: 'CSIDriver', group: 'storage.k8s.io', version: 'v1', resource: 'csidrivers', namespaced: false },
  { kind: 'CSINode', group: 'storage.k8s.io', version: 'v1', resource: 'csinodes', namespaced: false },
  { kind: 'CSIStorageCapacity', group: 'storage.k8s.io', version: 'v1', resource: 'csistoragecapacities', namespaced: true },
  { kind: 'VolumeAttachment', group: 'storage.k8s.io', version: 'v1', resource: 'volumeattachments', namespaced: false },
  { kind: 'FlowSchema', group: 'flowcontrol.apiserver.k8s.io', version: 'v1', resource: 'flowschemas', namespaced: false },
  { kind: 'PriorityLevelConfiguration', group: 'flowcontrol.apiserver.k8s.io', version: 'v1', resource: 'prioritylevelconfigurations', namespaced: false },
  { kind: 'CustomResourceDefinition', group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', namespaced: false },
  { kind: 'APIService', group: 'apiregistration.k8s.io', version: 'v1', resource: 'apiservices', namespaced: false },
  { kind: 'CertificateSigningRequest', group: 'certificates.k8s.io', version: 'v1', resource: 'certificatesigningrequests', namespaced: false },
  { kind: 'ValidatingWebhookConfiguration', group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingwebhookconfigurations', namespaced: false },
  { kind: 'MutatingWebhookConfiguration', group: 'admissionregistration.k8s.io', version: 'v1', resource: 'mutatingwebhookconfigurations', namespaced: false },
  { kind: 'EndpointSlice', group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', namespaced: true },
  // Network platforms' own policy kinds: read when installed (see `crd`).
  { kind: 'PeerAuthentication', group: 'security.istio.io', version: 'v1', resource: 'peerauthentications', namespaced: true, crd: true },
  { kind: 'CiliumNetworkPolicy', group: 'cilium.io', version: 'v2', resource: 'ciliumnetworkpolicies', namespaced: true, crd: true },
  { kind: 'CiliumClusterwideNetworkPolicy', group: 'cilium.io', version: 'v2', resource: 'ciliumclusterwidenetworkpolicies', namespaced: false, crd: true },
];

/** Every kind the table knows. */
export const RESOURCE_KINDS: readonly string[] = RESOURCE_TYPES.map((t) => t.kind);

export function resourceType(kind: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((r) => r.kind === kind);
}

export function apiVersionOf(t: ResourceType): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}
