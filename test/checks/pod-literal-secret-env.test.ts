import { describe, expect, it } from 'vitest';
import check from '../../src/checks/pod/literal-secret-env.js';
import { failuresOf } from '../helpers/check-tester.js';

const VALUES = ['Tr0ub4dor-and-3', 'ghp_0123456789abcdefSECRET', 'changeme-please'];

const YAML = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      initContainers:
        - name: fetch
          image: registry.example.com/fetch:1.0.0
          env:
            - {name: LOG_LEVEL, value: debug}
            - {name: GITHUB_TOKEN, value: ${VALUES[1]}}
      containers:
        - name: api
          image: registry.example.com/api:1.0.0
          env:
            - {name: DB_PASSWORD, value: ${VALUES[0]}}
      ephemeralContainers:
        - name: debug
          image: registry.example.com/debug:1.0.0
          env:
            - {name: stripeApiKey, value: ${VALUES[2]}}
`;

describe('pod/literal-secret-env', () => {
  it('points at each env value, in init, regular and ephemeral containers', async () => {
    const f = await failuresOf(check, YAML);
    expect(f.map((r) => r.path)).toEqual([
      'spec.template.spec.initContainers[0].env[1].value',
      'spec.template.spec.containers[0].env[0].value',
      'spec.template.spec.ephemeralContainers[0].env[0].value',
    ]);
    expect(f[0]!.message).toContain('init container "fetch" sets GITHUB_TOKEN to a literal value');
    expect(f[1]!.message).toContain('container "api" sets DB_PASSWORD');
    expect(f[2]!.message).toContain('ephemeral container "debug" sets stripeApiKey');
    expect(f[0]!.line).toBe(14);
  });

  it('never prints a value, in any field of any result', async () => {
    const all = JSON.stringify(await failuresOf(check, YAML));
    for (const v of VALUES) expect(all).not.toContain(v);
    // Nor a fragment long enough to give it away.
    for (const v of VALUES) expect(all).not.toContain(v.slice(0, 6));
  });

  it('names the Secret reference to use in its remediation', async () => {
    const [first] = await failuresOf(check, YAML);
    expect(first!.remediation).toContain('valueFrom.secretKeyRef');
    expect(first!.remediation).toContain('GITHUB_TOKEN');
  });

  it('takes CACHE_KEY_PREFIX for a lookup key and PWD for the working directory', async () => {
    const yaml = YAML.replace('GITHUB_TOKEN', 'CACHE_KEY_PREFIX').replace('DB_PASSWORD', 'PWD').replace('stripeApiKey', 'SORT_KEY');
    expect(await failuresOf(check, yaml)).toEqual([]);
  });
});
