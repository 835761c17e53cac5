/**
 * The registry: every check, sorted by id. A test keeps it equal to the files under
 * src/checks/, so a check cannot exist without being run, documented and tested.
 */
import type { Check } from '../core/check.js';
import apiDeprecatedApiRequests from './api/deprecated-api-requests.js';
import apiDeprecatedVersion from './api/deprecated-version.js';
import apiRemovedVersion from './api/removed-version.js';
import clusterKubeletVersionBehind from './cluster/kubelet-version-behind.js';
import clusterKubeletVersionSkew from './cluster/kubelet-version-skew.js';
import clusterKubernetesPatchCurrent from './cluster/kubernetes-patch-current.js';
import clusterKubernetesVersionSupported from './cluster/kubernetes-version-supported.js';
import imageLatestTag from './image/latest-tag.js';
import netpolNamespaceDefaultDeny from './netpol/namespace-default-deny.js';
import podAutomountServiceAccountToken from './pod/automount-service-account-token.js';
import podPrivileged from './pod/privileged.js';

export const CHECKS: readonly Check[] = [
  apiDeprecatedApiRequests,
  apiDeprecatedVersion,
  apiRemovedVersion,
  clusterKubeletVersionBehind,
  clusterKubeletVersionSkew,
  clusterKubernetesPatchCurrent,
  clusterKubernetesVersionSupported,
  imageLatestTag,
  netpolNamespaceDefaultDeny,
  podAutomountServiceAccountToken,
  podPrivileged,
];

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}
