/** cluster/cni-network-policy, mesh/mutual-tls and netpol/apiserver-reachable: verdicts and messages. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import cniCheck from '../../src/checks/cluster/cni-network-policy.js';
import meshCheck from '../../src/checks/mesh/mutual-tls.js';
import apiserverCheck from '../../src/checks/netpol/apiserver-reachable.js';
import { Inventory } from '../../src/core/inventory.js';
import { apiserverEndpoints, parseApiserverAddress } from '../../src/engines/network-platform/apiserver.js';
import { failuresOf, runCheck } from '../helpers/check-tester.js';
import { ApiError, type ClusterClient } from '../../src/sources/cluster/client.js';
import { listCluster } from '../../src/sources/cluster/read.js';
import { cli, ROOT } from '../helpers/cli.js';

const fixture = (id: string, name: string): string => readFileSync(join(ROOT, 'test/checks', id, name), 'utf8');

const daemonSet = (ns: string, name: string, containers: string): string => `# kubeladder: --input cluster
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
${containers}`;

describe('cluster/cni-network-policy', () => {
  it('is not assessed on manifests', async () => {
    const r = await runCheck(cniCheck, fixture('cluster/cni-network-policy', 'success.manifests-not-assessed.yaml'));
    expect(r.map((x) => x.status)).toEqual(['not-assessed']);
    expect(r[0]!.reason).toContain('a live cluster');
  });

  it('fails flannel alone on its DaemonSet', async () => {
    const [f, ...rest] = await failuresOf(cniCheck, fixture('cluster/cni-network-policy', 'failure.flannel-alone.yaml'));
    expect(rest).toEqual([]);
    expect(f!.object).toEqual({ apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'kube-flannel', name: 'kube-flannel-ds' });
    expect(f!.message).toBe(
      'the network plugin is flannel (DaemonSet kube-flannel/kube-flannel-ds), which does not enforce NetworkPolicy: flannel only routes pod traffic and enforces no NetworkPolicy. Every NetworkPolicy in this cluster is decoration',
    );
  });

  it('fails the AWS VPC CNI whose policy agent is not enabled', async () => {
    const [f] = await failuresOf(cniCheck, fixture('cluster/cni-network-policy', 'failure.aws-node-without-agent.yaml'));
    expect(f!.message).toContain('AWS VPC CNI (DaemonSet kube-system/aws-node), which does not enforce NetworkPolicy: its aws-network-policy-agent container runs without --enable-network-policy=true');
  });

  it('fails kube-router with --run-firewall=false', async () => {
    const [f] = await failuresOf(cniCheck, fixture('cluster/cni-network-policy', 'failure.kube-router-firewall-off.yaml'));
    expect(f!.message).toContain('--run-firewall=false');
  });

  it('fails an unrecognised plugin on the kube-system Namespace', async () => {
    const [f] = await failuresOf(cniCheck, fixture('cluster/cni-network-policy', 'failure.not-recognised.yaml'));
    expect(f!.object).toEqual({ apiVersion: 'v1', kind: 'Namespace', name: 'kube-system' });
    expect(f!.message).toMatch(/^network plugin not recognised: NetworkPolicies may be decoration\./);
  });

  it('says kindnet is unknown rather than guessing', async () => {
    const [f] = await failuresOf(cniCheck, daemonSet('kube-system', 'kindnet', '        - {name: kindnet-cni, image: "docker.io/kindest/kindnetd:v20250214-acbabc1a"}\n'));
    expect(f!.message).toMatch(/^the network plugin is kindnet \(DaemonSet kube-system\/kindnet\): whether it enforces NetworkPolicy is unknown/);
  });

  it('passes when a policy engine runs beside a plugin that does not enforce', async () => {
    const both = `${daemonSet('kube-system', 'aws-node', '        - {name: aws-node, image: "602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.19.2"}\n')}---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: calico-node, namespace: calico-system}
spec:
  selector: {matchLabels: {app: calico-node}}
  template:
    metadata: {labels: {app: calico-node}}
    spec:
      containers: [{name: calico-node, image: "docker.io/calico/node:v3.29.2"}]
`;
    const r = await runCheck(cniCheck, both);
    expect(r.map((x) => [x.status, x.object?.name])).toEqual([['pass', 'calico-node']]);
  });

  it.each([
    ['anetd', 'kube-system', '        - {name: cilium-agent, image: "gke.gcr.io/cilium/cilium:v1.14.13-gke.300"}\n'],
    ['azure-npm', 'kube-system', '        - {name: azure-npm, image: "mcr.microsoft.com/containernetworking/azure-npm:v1.5.45"}\n'],
    ['antrea-agent', 'kube-system', '        - {name: antrea-agent, image: "antrea/antrea-agent-ubuntu:v2.2.0"}\n'],
    ['weave-net', 'kube-system', '        - {name: weave, image: "weaveworks/weave-kube:2.8.1"}\n        - {name: weave-npc, image: "weaveworks/weave-npc:2.8.1"}\n'],
    ['kube-router', 'kube-system', '        - {name: kube-router, image: "docker.io/cloudnativelabs/kube-router:v2.4.1"}\n'],
  ])('passes %s', async (name, ns, containers) => {
    expect(await failuresOf(cniCheck, daemonSet(ns, name, containers))).toEqual([]);
  });

  it('fails Weave Net without weave-npc and Cilium with enable-policy: never', async () => {
    const [weave] = await failuresOf(cniCheck, daemonSet('kube-system', 'weave-net', '        - {name: weave, image: "weaveworks/weave-kube:2.8.1"}\n'));
    expect(weave!.message).toContain('without the weave-npc container');
    const cilium = `${daemonSet('kube-system', 'cilium', '        - {name: cilium-agent, image: "quay.io/cilium/cilium:v1.17.1"}\n')}---
apiVersion: v1
kind: ConfigMap
metadata: {name: cilium-config, namespace: kube-system}
data: {enable-policy: never}
`;
    const [f] = await failuresOf(cniCheck, cilium);
    expect(f!.message).toContain('ConfigMap kube-system/cilium-config sets enable-policy: never');
  });
});

describe('mesh/mutual-tls', () => {
  const fails = async (name: string) => failuresOf(meshCheck, fixture('mesh/mutual-tls', name));

  it('fails a namespace in no mesh, naming what to add', async () => {
    const [f, ...rest] = await fails('failure.no-mesh.yaml');
    expect(rest).toEqual([]);
    expect(f!.object).toEqual({ apiVersion: 'v1', kind: 'Namespace', name: 'shop' });
    expect(f!.message).toBe(
      'namespace "shop" has 1 workload (Deployment shop/api) (no mesh): traffic to it is not mutually authenticated: it is in no service mesh. Label Namespace shop `istio-injection=enabled` (or `istio.io/dataplane-mode=ambient`), restart its pods, and add a PeerAuthentication "default" in shop with `spec: {mtls: {mode: STRICT}}`; or enrol it in Linkerd (`linkerd.io/inject: enabled` with `config.linkerd.io/default-inbound-policy: all-authenticated`).',
    );
  });

  it('fails a PERMISSIVE namespace under a STRICT mesh, naming the PeerAuthentication', async () => {
    const [f] = await fails('failure.istio-permissive.yaml');
    expect(f!.message).toBe(
      'namespace "shop" has 1 workload (Deployment shop/api) (Istio): traffic to it is not mutually authenticated: it is in the mesh (Istio sidecar), but PeerAuthentication shop/default sets mtls mode PERMISSIVE: it accepts plaintext connections. Set `spec.mtls.mode: STRICT` in PeerAuthentication shop/default.',
    );
  });

  it('fails an injected namespace without any PeerAuthentication (Istio defaults to PERMISSIVE)', async () => {
    const [f] = await failuresOf(meshCheck, meshCheck.examples.bad);
    expect(f!.message).toContain("no PeerAuthentication sets mtls mode STRICT for it (istio-system mesh-wide, shop or a selector), so Istio's default PERMISSIVE applies");
    expect(f!.remediation).toBe('Add a PeerAuthentication "default" in shop with `spec: {mtls: {mode: STRICT}}` (or one in istio-system for the whole mesh).');
  });

  it('fails a workload whose portLevelMtls disables mTLS on a port, on the workload', async () => {
    const [f, ...rest] = await fails('failure.istio-port-disabled.yaml');
    expect(rest).toEqual([]);
    expect(f!.object).toMatchObject({ kind: 'Deployment', name: 'finance' });
    expect(f!.message).toContain('PeerAuthentication shop/finance requires mTLS but sets port 8080 to DISABLE in portLevelMtls');
  });

  it('fails a pod that opts out of injection', async () => {
    const [f] = await fails('failure.pod-opts-out.yaml');
    expect(f!.object).toMatchObject({ kind: 'Deployment', name: 'legacy' });
    expect(f!.message).toContain('its pod opts out of Istio (sidecar.istio.io/inject: "false")');
  });

  it('fails Linkerd with the default all-unauthenticated inbound policy', async () => {
    const [f] = await fails('failure.linkerd-unauthenticated.yaml');
    expect(f!.message).toContain("it is in the Linkerd mesh, whose meshed clients use mTLS, but its default inbound policy is all-unauthenticated (from Linkerd's default): unmeshed clients still connect in plaintext");
    expect(f!.message).toContain('Annotate Namespace shop with `config.linkerd.io/default-inbound-policy: all-authenticated`');
  });

  it('reads the cluster-wide Linkerd default from linkerd-config', async () => {
    const yaml = `${fixture('mesh/mutual-tls', 'failure.linkerd-unauthenticated.yaml')}---
apiVersion: v1
kind: ConfigMap
metadata: {name: linkerd-config, namespace: linkerd}
data:
  values: |
    proxy:
      defaultInboundPolicy: cluster-authenticated
`;
    expect(await failuresOf(meshCheck, yaml)).toEqual([]);
  });

  it('passes workloads that a STRICT workload policy covers in a PERMISSIVE namespace', async () => {
    const yaml = `${fixture('mesh/mutual-tls', 'failure.istio-permissive.yaml')}---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  mtls: {mode: STRICT}
`;
    const r = await runCheck(meshCheck, yaml);
    expect(r.filter((x) => x.status === 'fail')).toEqual([]);
    expect(r.map((x) => `${x.object?.kind} ${x.object?.name}`)).toEqual(['Namespace shop', 'Deployment api']);
  });

  it('skips system namespaces and passes namespaces without workloads', async () => {
    const r = await runCheck(meshCheck, fixture('mesh/mutual-tls', 'success.system-namespaces-skipped.yaml'));
    expect(r.map((x) => [x.status, x.object?.name])).toEqual([['pass', 'empty']]);
  });
});

describe('netpol/apiserver-reachable', () => {
  it('parses --apiserver-address', () => {
    expect(parseApiserverAddress('10.0.0.1')).toEqual({ ip: '10.0.0.1' });
    expect(parseApiserverAddress('10.0.0.1:6443')).toEqual({ ip: '10.0.0.1', port: 6443 });
    expect(parseApiserverAddress('[fd00::1]:443')).toEqual({ ip: 'fd00::1', port: 443 });
    expect(parseApiserverAddress('fd00::1')).toEqual({ ip: 'fd00::1' });
    expect(() => parseApiserverAddress('apiserver:6443')).toThrow(/not IP\[:PORT\]/);
    expect(() => parseApiserverAddress('10.0.0.1:70000')).toThrow(/not a port number/);
  });

  it('has no addresses on manifests without the flag', () => {
    expect(apiserverEndpoints(new Inventory())).toBeUndefined();
  });

  it('is not assessed without addresses', async () => {
    const r = await runCheck(apiserverCheck, readFileSync(join(ROOT, 'test/checks/netpol/apiserver-reachable/success.no-address-not-assessed.yaml'), 'utf8'));
    expect(r.map((x) => x.status)).toEqual(['not-assessed']);
    expect(r[0]!.reason).toContain('--apiserver-address');
  });

  it('reports a workload without a token that reaches both usual ports', async () => {
    const [f, ...rest] = await failuresOf(apiserverCheck, fixture('netpol/apiserver-reachable', 'failure.no-egress-policy.yaml'));
    expect(rest).toEqual([]);
    expect(f!.message).toBe(
      'mounts no service account token, yet its egress reaches the API server at 10.0.0.10:443, 10.0.0.10:6443: TCP 443 from shop/frontend[Deployment] to 10.0.0.10 is allowed: shop/frontend[Deployment] is not isolated for egress; ingress at 10.0.0.10 is not governed by NetworkPolicy',
    );
    expect(f!.remediation).toContain('10.0.0.10/32');
  });

  it('reads the kubernetes EndpointSlice on a cluster read and explains the allowing rule', async () => {
    const [f] = await failuresOf(apiserverCheck, fixture('netpol/apiserver-reachable', 'failure.cluster-endpointslice.yaml'));
    expect(f!.message).toContain('reaches the API server at 172.18.0.2:6443: TCP 6443 from shop/frontend[Deployment] to 172.18.0.2 is allowed: egress at shop/frontend[Deployment] (isolated by shop/frontend-egress) is allowed by shop/frontend-egress egress[0]');
  });

  it('takes --apiserver-address on scan, and refuses one that is not IP[:PORT]', async () => {
    const file = 'test/checks/netpol/apiserver-reachable/success.no-address-not-assessed.yaml';
    const run = await cli(['scan', file, '--check', 'netpol/apiserver-reachable', '--apiserver-address', '10.0.0.10:6443', '--format', 'json']);
    const doc = JSON.parse(run.stdout) as { results: Array<{ status: string; message: string }> };
    expect(doc.results.filter((r) => r.status === 'fail').map((r) => r.message)).toEqual([expect.stringContaining('reaches the API server at 10.0.0.10:6443')]);
    const bad = await cli(['scan', file, '--apiserver-address', 'kubernetes.default']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--apiserver-address: "kubernetes.default" is not IP[:PORT]');
  });
});

describe('reading network platforms from a cluster', () => {
  it('takes a custom resource whose CRD is absent (404) as none, and a forbidden one as unreadable', async () => {
    const client = {
      server: 'https://fake',
      get: async (path: string) => {
        if (path === '/version') return { gitVersion: 'v1.33.1' };
        if (path.startsWith('/apis/security.istio.io/')) throw new ApiError(404, 'the server could not find the requested resource');
        if (path.startsWith('/apis/cilium.io/')) throw new ApiError(403, 'forbidden');
        return { items: [] };
      },
    } as unknown as ClusterClient;
    const snap = await listCluster(client, { kinds: ['Namespace', 'PeerAuthentication', 'CiliumNetworkPolicy', 'EndpointSlice'] });
    expect(snap.unreadable).toEqual({ CiliumNetworkPolicy: 'forbidden: forbidden' });
  });
});
