import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { DEFAULT_POLICY, parsePolicy, PolicyError } from '../../src/webhook/policy.js';

const HEAD = 'apiVersion: kubeladder.io/v1\nkind: WebhookPolicy\n';

function error(text: string): string {
  try {
    parsePolicy(text, 'policy.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError);
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('webhook policy', () => {
  it('parses every rule form and fills in defaults', () => {
    const p = parsePolicy(
      `${HEAD}rules:
  - check: pod/privileged
  - pss: {level: baseline}
  - check: pss
    level: restricted
    version: v1.30
    mode: warn
  - images: {allow: ["registry.example.com/**"], requireDigest: true}
    mode: audit
mutations: [seccompRuntimeDefault, runAsNonRoot]
sandbox: {runtimeClassName: gvisor}
exemptions:
  serviceAccounts: ["ops/*"]
`,
      'p.yaml',
    );
    expect(p.rules).toEqual([
      { check: 'pod/privileged', mode: 'enforce' },
      { pss: { level: 'baseline', version: 'latest' }, mode: 'enforce' },
      { pss: { level: 'restricted', version: 'v1.30' }, mode: 'warn' },
      { images: { allow: ['registry.example.com/**'], requireDigest: true }, mode: 'audit' },
    ]);
    expect(p.mutations).toEqual(['seccompRuntimeDefault', 'runAsNonRoot']);
    expect(p.sandbox).toEqual({ runtimeClassName: 'gvisor', mode: 'enforce' });
    expect(p.exemptions).toEqual({ namespaces: [], usernames: [], groups: [], serviceAccounts: ['ops/*'] });
  });

  it('names the file, line and key of an error', () => {
    expect(error(`${HEAD}rules:\n  - check: pod/privileged\n  - check: pod/privileged\n    mode: enforced\n`)).toMatch(/^policy\.yaml:6: rules\.1\.mode: .*enforce/);
    expect(error(`${HEAD}rules:\n  - pss: {level: baseline, version: v2}\n`)).toBe('policy.yaml:4: rules.0.pss.version: must be "latest" or "v1.N"');
    expect(error(`${HEAD}rules:\n  - pss: {level: medium}\n`)).toMatch(/^policy\.yaml:4: rules\.0\.pss\.level: /);
    expect(error(`${HEAD}rules: []\nmutations: [seccompRuntimeDefault, chmod]\n`)).toMatch(/^policy\.yaml:4: mutations\.1: /);
    expect(error(`${HEAD}rules: []\nextra: 1\n`)).toBe('policy.yaml:4: extra: unknown key');
    expect(error(`${HEAD}rules:\n  - check: pod/nope\n`)).toMatch(/^policy\.yaml:4: rules\.0\.check: "pod\/nope" is no kubeladder pod check/);
    expect(error(`${HEAD}rules:\n  - check: rbac/wildcard-rule\n`)).toMatch(/^policy\.yaml:4: rules\.0\.check: /);
    expect(error(`${HEAD}rules:\n  - images: {allow: [a], digest: true}\n`)).toMatch(/^policy\.yaml:4: rules\.0\.images\.digest: unknown key/);
    expect(error(`${HEAD}exemptions:\n  serviceAccounts: [ops]\n`)).toMatch(/^policy\.yaml:4: exemptions\.serviceAccounts\.0: must be namespace\/name/);
    expect(error('apiVersion: v1\nkind: WebhookPolicy\n')).toMatch(/^policy\.yaml:1: apiVersion: /);
    expect(error(`${HEAD}rules: [\n`)).toMatch(/^policy\.yaml:\d+: invalid YAML: /);
  });

  it('accepts globs of pod check ids', () => {
    expect(parsePolicy(`${HEAD}rules:\n  - check: "pod/host-*"\n`, 'p').rules).toEqual([{ check: 'pod/host-*', mode: 'enforce' }]);
  });

  it('has the documented default', () => {
    expect(DEFAULT_POLICY.rules).toEqual([
      { pss: { level: 'baseline', version: 'latest' }, mode: 'enforce' },
      { pss: { level: 'restricted', version: 'latest' }, mode: 'warn' },
    ]);
    expect(DEFAULT_POLICY.mutations).toEqual(['seccompRuntimeDefault', 'noPrivilegeEscalation']);
    expect(DEFAULT_POLICY.exemptions.namespaces).toEqual(['kube-system']);
  });

  it('check-policy prints the policy normalised, or exits 2 with file:line: key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kl-policy-'));
    writeFileSync(join(dir, 'ok.yaml'), `${HEAD}rules:\n  - pss: {level: baseline}\n`);
    writeFileSync(join(dir, 'bad.yaml'), `${HEAD}rules:\n  - check: pod/privileged\n    mode: deny\n`);
    const ok = await cli(['webhook', 'check-policy', 'ok.yaml'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(parsePolicy(ok.stdout, 'out').rules).toEqual([{ pss: { level: 'baseline', version: 'latest' }, mode: 'enforce' }]);
    expect(ok.stdout).toContain('mode: enforce');
    const bad = await cli(['webhook', 'check-policy', 'bad.yaml'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^kubeladder: bad\.yaml:5: rules\.0\.mode: /);
    const missing = await cli(['webhook', 'check-policy', 'nope.yaml'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.yaml: cannot read policy: ENOENT');
  });

  it('serve requires the certificate and key', async () => {
    const r = await cli(['webhook', 'serve']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--tls-cert and --tls-key are required');
  });
});
