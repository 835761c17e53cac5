import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config.js';
import type { ResultsDocument } from '../../src/core/results.js';
import { cli } from '../helpers/cli.js';

const KNOWN = new Set(['pod/privileged', 'image/latest-tag']);

function error(text: string): string {
  try {
    parseConfig(text, '.kubeladder.yaml', KNOWN);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

describe('config validation', () => {
  it('reads overrides, disabled checks and exemptions', () => {
    const c = parseConfig(
      'checks:\n  pod/privileged: {severity: medium}\n  image/latest-tag: {enabled: false}\nexemptions:\n  - checks: [pod/privileged]\n    namespace: monitoring\n    reason: node exporter\n    expires: 2030-01-31\n',
      'c.yaml',
      KNOWN,
    );
    expect(c.severity.get('pod/privileged')).toBe('medium');
    expect(c.disabled.has('image/latest-tag')).toBe(true);
    expect(c.exemptions[0]).toMatchObject({ namespace: 'monitoring', expires: '2030-01-31', line: 5 });
  });

  it('names the file, line and key of each mistake', () => {
    expect(error('checks:\n  pod/privileged:\n    severity: severe\n')).toMatch(/^\.kubeladder\.yaml:3: checks\.pod\/privileged\.severity: /);
    expect(error('exemptions:\n  - checks: [pod/privileged]\n    namespace: x\n')).toMatch(/^\.kubeladder\.yaml:2: exemptions\.0\.reason: /);
    expect(error('exemption: []\n')).toBe('.kubeladder.yaml:1: (top level): unknown key "exemption"');
    expect(error('checks:\n  pod/privledged: {enabled: false}\n')).toBe('.kubeladder.yaml:2: checks.pod/privledged: unknown check id (see `kubeladder checks`)');
    expect(error('exemptions:\n  - checks: [pod/nope]\n    reason: r\n')).toMatch(/^\.kubeladder\.yaml:2: exemptions\.0\.checks\.0: unknown check id "pod\/nope"/);
    expect(error('exemptions:\n  - checks: ["*"]\n    reason: r\n    expires: soon\n')).toMatch(/^\.kubeladder\.yaml:4: exemptions\.0\.expires: must be a date/);
    expect(error('checks: [\n')).toMatch(/^\.kubeladder\.yaml:\d+: invalid YAML: /);
  });
});

const PRIVILEGED = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
  namespace: monitoring
  annotations:
    kubeladder.io/exempt: pod/privileged
    kubeladder.io/exempt-reason: reads host metrics
spec:
  template:
    spec:
      automountServiceAccountToken: false
      containers:
        - {name: a, image: "x:1.0", securityContext: {privileged: true}}
---
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: shop}
spec:
  automountServiceAccountToken: false
  containers:
    - {name: a, image: "x:1.0", securityContext: {privileged: true}}
---
apiVersion: v1
kind: Namespace
metadata: {name: kube-system}
`;

describe('exemptions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kl-ex-'));
  writeFileSync(join(dir, 'm.yaml'), PRIVILEGED);

  async function scan(config?: string, extra: string[] = []): Promise<ResultsDocument> {
    if (config !== undefined) writeFileSync(join(dir, '.kubeladder.yaml'), config);
    const r = await cli(['scan', 'm.yaml', '--format', 'json', '--show-exempt', '--fail-on', 'none', ...extra], { cwd: dir });
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as ResultsDocument;
  }

  it('exempts by annotation with its reason, and lists exempt results only on request', async () => {
    const doc = await scan('{}\n');
    const priv = doc.results.filter((r) => r.check === 'pod/privileged');
    expect(priv.map((r) => [r.object?.name, r.status])).toEqual([
      ['debug', 'fail'],
      ['node-exporter', 'exempt'],
    ]);
    expect(priv[1]!.reason).toBe('annotation kubeladder.io/exempt: reads host metrics');
    const hidden = JSON.parse((await cli(['scan', 'm.yaml', '--format', 'json', '--fail-on', 'none'], { cwd: dir })).stdout) as ResultsDocument;
    expect(hidden.results.some((r) => r.status === 'exempt')).toBe(false);
    expect(hidden.summary.counts.exempt).toBe(doc.summary.counts.exempt);
  });

  it('exempts the system namespaces from namespace-level policy checks by default, visibly', async () => {
    const doc = await scan('{}\n');
    const ks = doc.results.find((r) => r.check === 'netpol/namespace-default-deny' && r.object?.name === 'kube-system');
    expect(ks).toMatchObject({ status: 'exempt' });
    expect(ks!.reason).toMatch(/^default exemption: kube-system is a system namespace/);
    const none = await scan('systemNamespaces: []\n');
    expect(none.results.find((r) => r.check === 'netpol/namespace-default-deny' && r.object?.name === 'kube-system')?.status).toBe('fail');
  });

  it('exempts by config glob, and an expired rule stops exempting and says so', async () => {
    const live = await scan('exemptions:\n  - checks: [pod/privileged]\n    kind: Pod\n    name: "deb*"\n    reason: break-glass pod\n    expires: 2999-01-01\n');
    expect(live.results.find((r) => r.object?.name === 'debug' && r.check === 'pod/privileged')).toMatchObject({
      status: 'exempt',
      reason: 'config (.kubeladder.yaml:2): break-glass pod',
    });
    const expired = await scan('exemptions:\n  - checks: [pod/privileged]\n    kind: Pod\n    name: "deb*"\n    reason: break-glass pod\n    expires: 2020-01-01\n');
    const r = expired.results.find((x) => x.object?.name === 'debug' && x.check === 'pod/privileged')!;
    expect(r.status).toBe('fail');
    expect(r.reason).toMatch(/^exemption expired on 2020-01-01 .*: break-glass pod$/);
  });

  it('applies severity overrides and disabled checks', async () => {
    const doc = await scan('checks:\n  pod/privileged: {severity: low}\n  image/latest-tag: {enabled: false}\n');
    expect(doc.checks.find((c) => c.id === 'pod/privileged')?.severity).toBe('low');
    expect(doc.checks.some((c) => c.id === 'image/latest-tag')).toBe(false);
    expect(doc.results.find((r) => r.check === 'pod/privileged' && r.status === 'fail')?.severity).toBe('low');
  });

  it('stops with exit 2 and the key on a bad config', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'checks:\n  pod/privileged: {severity: huge}\n');
    const r = await cli(['scan', 'm.yaml', '--config', 'bad.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:2: checks\.pod\/privileged\.severity: /);
  });
});
