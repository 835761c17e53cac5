/**
 * The registry: every check, sorted by id. A test keeps it equal to the files under
 * src/checks/, so a check cannot exist without being run, documented and tested.
 */
import type { Check } from '../core/check.js';
import admissionApiserverAdmissionPlugins from './admission/apiserver-admission-plugins.js';
import admissionWebhookFailurePolicyIgnore from './admission/webhook-failure-policy-ignore.js';
import admissionWebhookNoSystemExclusion from './admission/webhook-no-system-exclusion.js';
import admissionWebhookReviewVersions from './admission/webhook-review-versions.js';
import admissionWebhookSideEffects from './admission/webhook-side-effects.js';
import admissionWebhookTimeout from './admission/webhook-timeout.js';
import admissionWebhookUrl from './admission/webhook-url.js';
import apiDeprecatedApiRequests from './api/deprecated-api-requests.js';
import apiDeprecatedVersion from './api/deprecated-version.js';
import apiRemovedVersion from './api/removed-version.js';
import clusterCniNetworkPolicy from './cluster/cni-network-policy.js';
import clusterKubeletVersionBehind from './cluster/kubelet-version-behind.js';
import clusterKubeletVersionSkew from './cluster/kubelet-version-skew.js';
import clusterKubernetesPatchCurrent from './cluster/kubernetes-patch-current.js';
import clusterKubernetesVersionSupported from './cluster/kubernetes-version-supported.js';
import clusterSandboxRuntimeClass from './cluster/sandbox-runtime-class.js';
import configmapSensitiveKeys from './configmap/sensitive-keys.js';
import imageDigestPinning from './image/digest-pinning.js';
import imageLatestTag from './image/latest-tag.js';
import meshMutualTls from './mesh/mutual-tls.js';
import namespacePodSecurityLabels from './namespace/pod-security-labels.js';
import namespacePodSecurityVersion from './namespace/pod-security-version.js';
import netpolApiserverReachable from './netpol/apiserver-reachable.js';
import netpolDnsEgressBlocked from './netpol/dns-egress-blocked.js';
import netpolIngressOpenSensitivePorts from './netpol/ingress-open-sensitive-ports.js';
import netpolInvalidPolicy from './netpol/invalid-policy.js';
import netpolMetadataEgress from './netpol/metadata-egress.js';
import netpolNamespaceDefaultDeny from './netpol/namespace-default-deny.js';
import netpolPodEgressNotIsolated from './netpol/pod-egress-not-isolated.js';
import netpolPodIngressNotIsolated from './netpol/pod-ingress-not-isolated.js';
import netpolPolicySelectsNothing from './netpol/policy-selects-nothing.js';
import podAllowPrivilegeEscalation from './pod/allow-privilege-escalation.js';
import podApparmor from './pod/apparmor.js';
import podAutomountServiceAccountToken from './pod/automount-service-account-token.js';
import podCapabilities from './pod/capabilities.js';
import podContainerRuntimeSocket from './pod/container-runtime-socket.js';
import podDefaultServiceAccount from './pod/default-service-account.js';
import podDeprecatedServiceAccountField from './pod/deprecated-service-account-field.js';
import podDropCapabilities from './pod/drop-capabilities.js';
import podHostAliases from './pod/host-aliases.js';
import podHostNamespaces from './pod/host-namespaces.js';
import podHostPath from './pod/host-path.js';
import podHostPorts from './pod/host-ports.js';
import podLiteralSecretEnv from './pod/literal-secret-env.js';
import podNoController from './pod/no-controller.js';
import podPrivileged from './pod/privileged.js';
import podProbeHost from './pod/probe-host.js';
import podProbes from './pod/probes.js';
import podProcMount from './pod/proc-mount.js';
import podReadonlyRootFilesystem from './pod/readonly-root-filesystem.js';
import podResources from './pod/resources.js';
import podRunAsNonRoot from './pod/run-as-non-root.js';
import podSeccompProfile from './pod/seccomp-profile.js';
import podSeccompUnconfined from './pod/seccomp-unconfined.js';
import podSelinux from './pod/selinux.js';
import podSensitiveHostPath from './pod/sensitive-host-path.js';
import podSysctls from './pod/sysctls.js';
import podUntrustedWithoutSandbox from './pod/untrusted-without-sandbox.js';
import podVolumeTypes from './pod/volume-types.js';
import podWindowsHostProcess from './pod/windows-host-process.js';
import rbacBindingMissingRole from './rbac/binding-missing-role.js';
import rbacBindingMissingServiceAccount from './rbac/binding-missing-service-account.js';
import rbacClusterAdminBinding from './rbac/cluster-admin-binding.js';
import rbacCsrApprove from './rbac/csr-approve.js';
import rbacDefaultServiceAccountBound from './rbac/default-service-account-bound.js';
import rbacEscalationVerbs from './rbac/escalation-verbs.js';
import rbacEventsDelete from './rbac/events-delete.js';
import rbacKubeSystemConfigmaps from './rbac/kube-system-configmaps.js';
import rbacNamespacePatch from './rbac/namespace-patch.js';
import rbacNodesProxy from './rbac/nodes-proxy.js';
import rbacPersistentVolumeCreate from './rbac/persistent-volume-create.js';
import rbacPodBlastRadius from './rbac/pod-blast-radius.js';
import rbacPodExec from './rbac/pod-exec.js';
import rbacPublicGroupBinding from './rbac/public-group-binding.js';
import rbacSecretsRead from './rbac/secrets-read.js';
import rbacTokenCreate from './rbac/token-create.js';
import rbacUnusedRole from './rbac/unused-role.js';
import rbacWebhookConfig from './rbac/webhook-config.js';
import rbacWildcardRule from './rbac/wildcard-rule.js';
import rbacWorkloadTokenTheft from './rbac/workload-token-theft.js';
import serviceaccountAutomountToken from './serviceaccount/automount-token.js';
import workloadPodDisruptionBudget from './workload/pod-disruption-budget.js';

export const CHECKS: readonly Check[] = [
  admissionApiserverAdmissionPlugins,
  admissionWebhookFailurePolicyIgnore,
  admissionWebhookNoSystemExclusion,
  admissionWebhookReviewVersions,
  admissionWebhookSideEffects,
  admissionWebhookTimeout,
  admissionWebhookUrl,
  apiDeprecatedApiRequests,
  apiDeprecatedVersion,
  apiRemovedVersion,
  clusterCniNetworkPolicy,
  clusterKubeletVersionBehind,
  clusterKubeletVersionSkew,
  clusterKubernetesPatchCurrent,
  clusterKubernetesVersionSupported,
  clusterSandboxRuntimeClass,
  configmapSensitiveKeys,
  imageDigestPinning,
  imageLatestTag,
  meshMutualTls,
  namespacePodSecurityLabels,
  namespacePodSecurityVersion,
  netpolApiserverReachable,
  netpolDnsEgressBlocked,
  netpolIngressOpenSensitivePorts,
  netpolInvalidPolicy,
  netpolMetadataEgress,
  netpolNamespaceDefaultDeny,
  netpolPodEgressNotIsolated,
  netpolPodIngressNotIsolated,
  netpolPolicySelectsNothing,
  podAllowPrivilegeEscalation,
  podApparmor,
  podAutomountServiceAccountToken,
  podCapabilities,
  podContainerRuntimeSocket,
  podDefaultServiceAccount,
  podDeprecatedServiceAccountField,
  podDropCapabilities,
  podHostAliases,
  podHostNamespaces,
  podHostPath,
  podHostPorts,
  podLiteralSecretEnv,
  podNoController,
  podPrivileged,
  podProbeHost,
  podProbes,
  podProcMount,
  podReadonlyRootFilesystem,
  podResources,
  podRunAsNonRoot,
  podSeccompProfile,
  podSeccompUnconfined,
  podSelinux,
  podSensitiveHostPath,
  podSysctls,
  podUntrustedWithoutSandbox,
  podVolumeTypes,
  podWindowsHostProcess,
  rbacBindingMissingRole,
  rbacBindingMissingServiceAccount,
  rbacClusterAdminBinding,
  rbacCsrApprove,
  rbacDefaultServiceAccountBound,
  rbacEscalationVerbs,
  rbacEventsDelete,
  rbacKubeSystemConfigmaps,
  rbacNamespacePatch,
  rbacNodesProxy,
  rbacPersistentVolumeCreate,
  rbacPodBlastRadius,
  rbacPodExec,
  rbacPublicGroupBinding,
  rbacSecretsRead,
  rbacTokenCreate,
  rbacUnusedRole,
  rbacWebhookConfig,
  rbacWildcardRule,
  rbacWorkloadTokenTheft,
  serviceaccountAutomountToken,
  workloadPodDisruptionBudget,
];

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}
