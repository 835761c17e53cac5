import { defineCheck, type Evaluation, type Violation } from '../../core/check.js';
import type { Resource } from '../../core/resource.js';
import { namespaceSubject } from '../../core/subjects.js';
import { SYSTEM_NAMESPACES } from '../../engines/kinds.js';
import { MESH_CONTROL_NAMESPACES, meshContextOf, mutualTls, type MeshVerdict } from '../../engines/network-platform/mesh.js';
import { ENDPOINT_KINDS } from '../../engines/netpol/workloads.js';
import { isTopLevel } from '../../engines/workloads/owners.js';
import { podSpecOf } from '../../engines/workloads/pod-specs.js';

const MESH_KINDS = ['PeerAuthentication', 'CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'] as const;

function names(list: readonly Resource[]): string {
  return `${list
    .slice(0, 3)
    .map((r) => r.display)
    .join(', ')}${list.length > 3 ? `, and ${list.length - 3} more` : ''}`;
}

function violation(v: MeshVerdict, who: string): Violation {
  const mesh = v.meshes.length ? v.meshes.join(' and ') : 'no mesh';
  return { message: `${who} (${mesh}): traffic to it is not mutually authenticated: ${v.why.join('; ')}.${v.fix ? ` ${v.fix}` : ''}`, ...(v.fix ? { remediation: v.fix } : {}) };
}

export default defineCheck({
  id: 'mesh/mutual-tls',
  rung: 2,
  severity: 'medium',
  title: 'Service-to-service traffic not mutually authenticated',
  rationale:
    "Inside a cluster, anyone who can send packets to a pod can talk to it: a compromised pod, a node, a misrouted load balancer. Mutual TLS through a service mesh proves each side's workload identity on every connection (and encrypts it), so authorization can rest on who is calling rather than on an IP address. It only protects a workload that refuses plaintext: Istio enforces it with a STRICT PeerAuthentication (mesh-wide in its root namespace, per namespace, or per workload; PERMISSIVE, the default, and DISABLE accept plaintext, and portLevelMtls can weaken single ports), Linkerd with a default inbound policy that requires an identity (all-authenticated, cluster-authenticated or deny, on the pod template, the namespace or the cluster; its default all-unauthenticated lets unmeshed clients in), Cilium with CiliumNetworkPolicy ingress rules carrying `authentication.mode: required`. Judged per namespace with workloads (kube-system, kube-public, kube-node-lease and the meshes' own namespaces are skipped), and per workload where its own labels, annotations or a policy selecting it override the namespace's settings.",
  remediation:
    'Enrol the namespace in a mesh and require mTLS: Istio: label it `istio-injection=enabled` (or `istio.io/dataplane-mode=ambient`) and add `PeerAuthentication` `default` with `spec.mtls.mode: STRICT` (in istio-system for the whole mesh); Linkerd: annotate it `linkerd.io/inject: enabled` and `config.linkerd.io/default-inbound-policy: all-authenticated`; Cilium: CiliumNetworkPolicies whose ingress rules set `authentication.mode: required`.',
  references: [
    { title: 'Istio: PeerAuthentication', url: 'https://istio.io/latest/docs/reference/config/security/peer_authentication/' },
    { title: 'Istio: mutual TLS migration', url: 'https://istio.io/latest/docs/tasks/security/authentication/mtls-migration/' },
    { title: 'Linkerd: authorization policy (default inbound policies)', url: 'https://linkerd.io/2/reference/authorization-policy/' },
    { title: 'Linkerd: automatic mTLS', url: 'https://linkerd.io/2/features/automatic-mtls/' },
    { title: 'Cilium: mutual authentication', url: 'https://docs.cilium.io/en/stable/network/servicemesh/mutual-authentication/mutual-authentication/' },
  ],
  needs: { kinds: [...ENDPOINT_KINDS, 'Namespace', 'ConfigMap', ...MESH_KINDS] },
  examples: {
    bad: `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {istio-injection: enabled}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: registry.example.com/api:1.4.2
`,
    good: `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {istio-injection: enabled}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: shop}
spec:
  mtls: {mode: STRICT}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: registry.example.com/api:1.4.2
`,
  },
  evaluateAll: ({ inventory }) => {
    const ctx = meshContextOf(inventory);
    const byNamespace = new Map<string, Resource[]>();
    for (const kind of ENDPOINT_KINDS) {
      for (const r of inventory.ofKind(kind)) {
        if (!podSpecOf(r) || !isTopLevel(r, inventory)) continue;
        const ns = r.namespace ?? 'default';
        byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), r]);
      }
    }
    const out: Evaluation[] = [];
    for (const ns of inventory.namespaces()) {
      if (SYSTEM_NAMESPACES.includes(ns.name) || MESH_CONTROL_NAMESPACES.has(ns.name) || ns.name === ctx.istioRoot) continue;
      const subject = namespaceSubject(ns);
      const workloads = byNamespace.get(ns.name) ?? [];
      const plain: Resource[] = [];
      const own: Evaluation[] = [];
      for (const w of workloads) {
        const meta = podSpecOf(w)!.metadata;
        const v = mutualTls(ctx, ns.name, { labels: meta.labels ?? {}, annotations: meta.annotations ?? {} });
        if (!v.overridden) plain.push(w);
        else own.push({ subject: w, violations: v.ok ? [] : [violation(v, `${w.display} overrides its namespace's mesh settings`)] });
      }
      const nv = mutualTls(ctx, ns.name, undefined);
      const n = plain.length;
      out.push({ subject, violations: n === 0 || nv.ok ? [] : [violation(nv, `namespace "${ns.name}" has ${n} workload${n === 1 ? '' : 's'} (${names(plain)})`)] }, ...own);
    }
    return out;
  },
});
