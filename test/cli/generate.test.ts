import { describe, expect, it } from 'vitest';
import type { ResultsDocument } from '../../src/core/results.js';
import { cli } from '../helpers/cli.js';

const SEED = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes:
    - Ingress
    - Egress
`;

describe('generate netpol-default-deny', () => {
  it('writes exactly the seed policy for a namespace', async () => {
    const r = await cli(['generate', 'netpol-default-deny', '--namespace', 'shop']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(SEED);
  });

  it('writes one per namespace found in the input, system namespaces left out, and they satisfy the check', async () => {
    const input = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: web}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: kube-system}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n';
    const r = await cli(['generate', 'netpol-default-deny', '-'], { stdin: input });
    expect(r.stdout).toBe(`${SEED}---\n${SEED.replace('namespace: shop', 'namespace: web')}`);
    const scan = await cli(['scan', '-', '--format', 'json', '--check', 'netpol/namespace-default-deny'], { stdin: `${input}---\n${r.stdout}` });
    const doc = JSON.parse(scan.stdout) as ResultsDocument;
    expect(doc.summary.counts).toMatchObject({ fail: 0, pass: 2, exempt: 1 });
    expect(scan.code).toBe(0);
  });

  it('asks for a namespace or input', async () => {
    const r = await cli(['generate', 'netpol-default-deny']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('give --namespace NS or manifests');
  });
});

describe('generate netpol-allow-dns', () => {
  const ALLOW_DNS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns
  namespace: shop
spec:
  podSelector: {}
  policyTypes:
    - Egress
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - protocol: UDP
          port: 53
        - protocol: TCP
          port: 53
`;
  const WORKLOADS = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: registry.example.com/api:1.4.2}]
---
apiVersion: v1
kind: Pod
metadata: {name: coredns, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec:
  containers: [{name: coredns, image: registry.k8s.io/coredns/coredns:v1.11.3}]
`;

  it('writes the allow-DNS policy for a namespace: kube-dns pods of kube-system (one peer, both selectors), UDP and TCP 53', async () => {
    const r = await cli(['generate', 'netpol-allow-dns', '--namespace', 'shop']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(ALLOW_DNS);
  });

  it('next to a default deny, makes netpol/dns-egress-blocked pass where the deny alone fails it', async () => {
    const deny = (await cli(['generate', 'netpol-default-deny', '-'], { stdin: WORKLOADS })).stdout;
    const dns = await cli(['generate', 'netpol-allow-dns', '-'], { stdin: WORKLOADS });
    expect(dns.code).toBe(0);
    // kube-system is a system namespace: only shop gets a policy.
    expect(dns.stdout).toBe(ALLOW_DNS);
    const scan = async (extra: string) => {
      const run = await cli(['scan', '-', '--format', 'json', '--fail-on', 'none', '--check', 'netpol/dns-egress-blocked'], { stdin: `${WORKLOADS}---\n${deny}${extra}` });
      return (JSON.parse(run.stdout) as ResultsDocument).results.filter((x) => x.status === 'fail').map((x) => x.object?.name);
    };
    expect(await scan('')).toEqual(['shop']);
    expect(await scan(`---\n${dns.stdout}`)).toEqual([]);
  });

  it('asks for a namespace or input', async () => {
    const r = await cli(['generate', 'netpol-allow-dns']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('generate netpol-allow-dns: give --namespace NS or manifests');
  });
});
