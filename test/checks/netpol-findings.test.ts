/**
 * The NetworkPolicy findings: which workload or policy they name, and the exact rule, field and
 * port behind each. Verdicts come from the reachability engine (src/engines/netpol), so these
 * tests pin the messages and the NetworkPolicy semantics the checks rely on: policyTypes
 * defaulting, peers ANDed within one entry and ORed across entries, named ports resolved on the
 * selected pods, and invalid policies left out.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import dnsEgressBlocked from '../../src/checks/netpol/dns-egress-blocked.js';
import openSensitivePorts from '../../src/checks/netpol/ingress-open-sensitive-ports.js';
import invalidPolicy from '../../src/checks/netpol/invalid-policy.js';
import metadataEgress from '../../src/checks/netpol/metadata-egress.js';
import egressNotIsolated from '../../src/checks/netpol/pod-egress-not-isolated.js';
import ingressNotIsolated from '../../src/checks/netpol/pod-ingress-not-isolated.js';
import selectsNothing from '../../src/checks/netpol/policy-selects-nothing.js';
import { failuresOf, runCheck } from '../helpers/check-tester.js';

const fixture = (id: string, name: string) => readFileSync(new URL(`./netpol/${id}/${name}.yaml`, import.meta.url), 'utf8');

const deployment = (ns: string, name: string, labels: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: ${labels}}
    spec:
${extra}      containers: [{name: ${name}, image: registry.example.com/${name}:1.0}]
---
`;

describe('netpol/pod-ingress-not-isolated and netpol/pod-egress-not-isolated', () => {
  it('name the workload, what it is open to, and a policy that selects it for the other direction only', async () => {
    const [f, ...rest] = await failuresOf(ingressNotIsolated, fixture('pod-ingress-not-isolated', 'failure.egress-only-policy'));
    expect(rest).toEqual([]);
    expect(f!.object).toMatchObject({ kind: 'Deployment', namespace: 'shop', name: 'api' });
    expect(f!.path).toBeUndefined();
    expect(f!.message).toBe(
      'no NetworkPolicy isolates Deployment shop/api for ingress: every pod in the cluster, and any address that reaches the pod network, can connect to every port it listens on (TCP 8080); NetworkPolicy shop/api-egress selects it but isolates egress only (policyTypes: [Egress])',
    );
    expect(f!.remediation).toContain('a NetworkPolicy whose podSelector matches app=api,tier=backend with Ingress in policyTypes');
  });

  it('explain that policyTypes defaulted to [Ingress] when a policy without egress rules leaves it out', async () => {
    const [f] = await failuresOf(egressNotIsolated, fixture('pod-egress-not-isolated', 'failure.ingress-only-by-default'));
    expect(f!.message).toBe(
      'no NetworkPolicy isolates Deployment shop/api for egress: it can connect to every pod in the cluster, the API server, the cloud metadata service and any address outside; NetworkPolicy shop/api selects it but isolates ingress only (policyTypes defaults to [Ingress] for a policy without egress rules)',
    );
  });

  it('do not count a policy the API server rejects, and say so', async () => {
    const [f] = await failuresOf(ingressNotIsolated, fixture('pod-ingress-not-isolated', 'failure.invalid-policy-not-counted'));
    expect(f!.message).toMatch(/\(NetworkPolicy shop\/default-deny is invalid and applies to nothing: see netpol\/invalid-policy\)$/);
  });

  it('judge each workload once (a ReplicaSet of a listed Deployment is its pods) and leave host-network ones out', async () => {
    const yaml =
      deployment('shop', 'api', '{app: api}') +
      `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: api-7d9f
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: api, uid: u1, controller: true}]
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: registry.example.com/api:1.0}]
---
` +
      deployment('shop', 'agent', '{app: agent}', '      hostNetwork: true\n');
    const results = await runCheck(egressNotIsolated, yaml);
    expect(results.map((r) => `${r.status} ${r.object?.kind} ${r.object?.name}`)).toEqual(['fail Deployment api']);
  });

  it('exempt system namespaces by default, as namespace-level policy checks do', async () => {
    const results = await runCheck(ingressNotIsolated, deployment('kube-system', 'coredns', '{app: coredns}'));
    expect(results.map((r) => r.status)).toEqual(['exempt']);
  });
});

describe('netpol/metadata-egress', () => {
  it('names the policy, rule and ipBlock that allow it, and the except to add', async () => {
    const [f, ...rest] = await failuresOf(metadataEgress, fixture('metadata-egress', 'failure.broad-ipblock'));
    expect(rest).toEqual([]);
    expect(f!.message).toBe('Deployment shop/api can reach the cloud metadata service at 169.254.169.254 on TCP 443: allowed by NetworkPolicy shop/api spec.egress[0] (ipBlock at spec.egress[0].to[0])');
    expect(f!.remediation).toBe('Add `169.254.169.254/32` to spec.egress[0].to[0].ipBlock.except of NetworkPolicy shop/api.');
  });

  it('reports a rule without `to` once for both addresses', async () => {
    const [f, ...rest] = await failuresOf(metadataEgress, fixture('metadata-egress', 'failure.rule-without-to'));
    expect(rest).toEqual([]);
    expect(f!.message).toBe('Deployment shop/api can reach the cloud metadata service at 169.254.169.254 and fd00:ec2::254 on TCP 80,443: allowed by NetworkPolicy shop/api spec.egress[0] (no `to`: every destination)');
  });

  it('says when nothing isolates egress at all', async () => {
    const [f] = await failuresOf(metadataEgress, fixture('metadata-egress', 'failure.not-egress-isolated'));
    expect(f!.message).toBe('Deployment shop/api can reach the cloud metadata service (169.254.169.254, fd00:ec2::254) on any port: no NetworkPolicy isolates its egress');
    expect(f!.remediation).toContain('kubeladder generate netpol-default-deny --namespace shop');
  });

  it('lets an AdminNetworkPolicy that denies the metadata service stand for the missing except', async () => {
    const yaml = `${fixture('metadata-egress', 'failure.broad-ipblock')}---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: deny-metadata}
spec:
  priority: 10
  subject: {namespaces: {}}
  egress:
    - name: metadata
      action: Deny
      to: [{networks: [169.254.169.254/32, "fd00:ec2::254/128"]}]
`;
    expect(await failuresOf(metadataEgress, yaml)).toEqual([]);
  });
});

describe('netpol/ingress-open-sensitive-ports', () => {
  it('points at the rule and names the open peer and the sensitive ports', async () => {
    const [f, ...rest] = await failuresOf(openSensitivePorts, fixture('ingress-open-sensitive-ports', 'failure.all-namespaces'));
    expect(rest).toEqual([]);
    expect(f!.object).toMatchObject({ kind: 'NetworkPolicy', namespace: 'shop', name: 'data' });
    expect(f!.path).toBe('spec.ingress[0]');
    expect(f!.line).toBeGreaterThan(0);
    expect(f!.message).toBe('spec.ingress[0] lets every pod of every namespace (spec.ingress[0].from[0]: namespaceSelector {}) connect to pods tier=data on ports 5432 (PostgreSQL), 6379 (Redis)');
  });

  it('resolves a named port on the selected pods', async () => {
    const [f] = await failuresOf(openSensitivePorts, fixture('ingress-open-sensitive-ports', 'failure.named-port'));
    expect(f!.message).toContain('on port 6379 (Redis) as "redis" on StatefulSet shop/redis');
  });

  it('reads an endPort range as every port it spans', async () => {
    const [f] = await failuresOf(openSensitivePorts, fixture('ingress-open-sensitive-ports', 'failure.internet-port-range'));
    expect(f!.message).toBe(
      'spec.ingress[0] lets every address (spec.ingress[0].from[0]: ipBlock 0.0.0.0/0 except 10.0.0.0/8) connect to pods tier=data on ports 2000-3000, which spans 2375 (Docker API), 2376 (Docker API over TLS), 2379 (etcd), 2380 (etcd peer)',
    );
  });

  it('treats namespaceSelector {} and a podSelector in one peer as ANDed, in two peers as ORed', async () => {
    expect(await failuresOf(openSensitivePorts, fixture('ingress-open-sensitive-ports', 'success.and-peer'))).toEqual([]);
    const [f] = await failuresOf(openSensitivePorts, fixture('ingress-open-sensitive-ports', 'failure.or-peers'));
    expect(f!.message).toContain('every pod of every namespace (spec.ingress[0].from[0]: namespaceSelector {})');
  });
});

describe('netpol/policy-selects-nothing', () => {
  it('names the selector and the labels the namespace\'s workloads carry', async () => {
    const [f] = await failuresOf(selectsNothing, fixture('policy-selects-nothing', 'failure.typo'));
    expect(f!.path).toBe('spec.podSelector');
    expect(f!.message).toBe('spec.podSelector (app=paymnets) matches no workload in namespace shop, whose only workload (Deployment shop/payments) carries app=payments: the policy isolates and allows nothing');
  });

  it('passes a policy in a namespace the input has no workloads of', async () => {
    const results = await runCheck(selectsNothing, fixture('policy-selects-nothing', 'success.namespace-without-workloads'));
    expect(results.find((r) => r.object?.name === 'invoices')!.status).toBe('pass');
  });
});

describe('netpol/invalid-policy', () => {
  it("gives the API server's reason at the field it rejects", async () => {
    const [f, ...rest] = await failuresOf(invalidPolicy, fixture('invalid-policy', 'failure.named-port-with-end-port'));
    expect(rest).toEqual([]);
    expect(f!.path).toBe('spec.ingress[0].ports[0].endPort');
    expect(f!.message).toBe('the API server rejects this NetworkPolicy (spec.ingress[0].ports[0].endPort: may not be set with a named port): it does not apply, so the pods it was meant to isolate stay open');
    expect(f!.line).toBeGreaterThan(0);
  });

  it('reports invalid AdminNetworkPolicies too', async () => {
    const [f] = await failuresOf(invalidPolicy, fixture('invalid-policy', 'failure.admin-priority'));
    expect(f!.object).toMatchObject({ kind: 'AdminNetworkPolicy', name: 'deny-metadata' });
    expect(f!.path).toBe('spec.priority');
  });
});

describe('netpol/dns-egress-blocked', () => {
  it('names the namespace, its isolated workloads and the policies isolating them', async () => {
    const [f, ...rest] = await failuresOf(dnsEgressBlocked, fixture('dns-egress-blocked', 'failure.default-deny-only'));
    expect(rest).toEqual([]);
    expect(f!.object).toMatchObject({ kind: 'Namespace', name: 'shop' });
    expect(f!.message).toBe(
      'Deployment shop/api (egress isolated by shop/default-deny): no rule allows UDP 53 to kube-dns (kube-system pods k8s-app=kube-dns), to every namespace or to a cluster DNS address, so it cannot resolve names',
    );
    expect(f!.remediation).toContain('kubeladder generate netpol-allow-dns --namespace shop');
  });

  it('reports UDP without TCP apart', async () => {
    const [f] = await failuresOf(dnsEgressBlocked, fixture('dns-egress-blocked', 'failure.udp-only'));
    expect(f!.message).toBe('Deployment shop/api (egress isolated by shop/default-deny, shop/allow-dns): DNS is allowed over UDP 53 but not TCP 53, so lookups whose answers are too large for UDP fail');
  });

  it('follows the labels of a kube-system Namespace in the input', async () => {
    const yaml = `${fixture('dns-egress-blocked', 'failure.wrong-namespace-label')}---
apiVersion: v1
kind: Namespace
metadata: {name: kube-system, labels: {name: kube-system}}
`;
    expect(await failuresOf(dnsEgressBlocked, yaml)).toEqual([]);
  });
});
