import { defineCheck } from '../../core/check.js';
import { joinPath } from '../../core/path.js';
import { POD_KINDS, WORKLOAD_SCOPE, podSpecOf } from '../../engines/workloads/pod-specs.js';

interface HostAlias {
  ip?: unknown;
  hostnames?: unknown;
}

/** `a.example.com, b.example.com -> 203.0.113.10`, for the first few entries. */
function describeAliases(aliases: readonly unknown[]): string {
  const parts = aliases.slice(0, 3).map((a) => {
    const { ip, hostnames } = (typeof a === 'object' && a !== null ? a : {}) as HostAlias;
    const names = Array.isArray(hostnames) ? hostnames.filter((h): h is string => typeof h === 'string') : [];
    return `${names.length ? names.join(', ') : '(no hostnames)'} -> ${typeof ip === 'string' ? ip : '?'}`;
  });
  return parts.join('; ') + (aliases.length > 3 ? `; and ${aliases.length - 3} more` : '');
}

export default defineCheck({
  id: 'pod/host-aliases',
  rung: 2,
  severity: 'low',
  title: 'Pod overrides name resolution with hostAliases',
  rationale:
    'hostAliases write entries into the pod\'s /etc/hosts, which win over DNS: a name then resolves to a fixed address that cluster DNS, DNS-based egress policy and DNS logs never see. It is a classic way to redirect traffic quietly, and a forgotten entry keeps pointing at an address long after the service moved.',
  remediation: 'Remove `hostAliases` and let the name resolve through DNS; if an override is really needed, make it in the cluster\'s DNS (a CoreDNS `hosts` entry or an ExternalName Service) where it is visible and reviewed.',
  references: [
    { title: 'Kubernetes: adding entries to pod /etc/hosts with hostAliases', url: 'https://kubernetes.io/docs/tasks/network/customize-hosts-file-for-pods/' },
  ],
  needs: { kinds: POD_KINDS },
  ...WORKLOAD_SCOPE,
  examples: {
    bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      hostAliases:
        - ip: 203.0.113.10
          hostnames: [payments.example.net]
      containers:
        - name: api
          image: registry.example.com/api:1.8.0
`,
    good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: registry.example.com/api:1.8.0
`,
  },
  evaluate: (r) => {
    const pod = podSpecOf(r);
    const aliases = pod?.spec.hostAliases;
    if (!pod || !Array.isArray(aliases) || aliases.length === 0) return [];
    return [{ path: joinPath(pod.path, 'hostAliases'), message: `overrides DNS in the pod with hostAliases: ${describeAliases(aliases)}` }];
  },
});
