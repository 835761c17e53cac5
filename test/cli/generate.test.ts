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
