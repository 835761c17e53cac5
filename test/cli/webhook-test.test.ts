/** `kubeladder webhook test`: the webhook's decisions on manifests, offline, as a user runs it. */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT } from '../helpers/cli.js';

describe('webhook test', () => {
  it('says what the example policy denies, warns and patches, with file:line, and exits 1 on a denial', async () => {
    const r = await cli(['webhook', 'test', '--policy', 'examples/webhook/policy.yaml', 'examples/hardened-shop/frontend.yaml'], { cwd: ROOT });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ALLOWED  Deployment shop/frontend  examples/hardened-shop/frontend.yaml:8\n');
    expect(r.stdout).toMatch(/^DENIED {2}Pod shop\/smoke-test {2}examples\/hardened-shop\/frontend\.yaml:\d+\n {2}kubeladder denied Pod shop\/smoke-test: images: container "smoke-test" uses image "registry\.example\.com\/mirror\/.*from no allowed registry\/repository/m);
  });

  it('with the default policy: baseline denies, restricted warns, and the two safe mutations are shown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kl-wht-'));
    writeFileSync(
      join(dir, 'pod.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  containers:\n    - name: web\n      image: registry.example.com/web:1.0.0\n',
    );
    const r = await cli(['webhook', 'test', 'pod.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^WARNED {2}Pod shop\/web {2}pod\.yaml:1\n/);
    expect(r.stdout).toContain('warning: kubeladder: pss/restricted: runAsNonRoot != true');
    expect(r.stdout).toContain('patch: {"op":"add","path":"/spec/securityContext","value":{"seccompProfile":{"type":"RuntimeDefault"}}}');
    expect(r.stdout).toContain('patch: {"op":"add","path":"/spec/containers/0/securityContext","value":{"allowPrivilegeEscalation":false}}');
  });

  it('a bad policy is one line naming the file, line and key (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kl-wht-'));
    writeFileSync(join(dir, 'p.yaml'), 'apiVersion: kubeladder.io/v1\nkind: WebhookPolicy\nrules:\n  - check: pod/privileged\n    mode: block\n');
    const r = await cli(['webhook', 'test', '--policy', 'p.yaml', join(ROOT, 'examples/insecure-shop')], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^kubeladder: p\.yaml:5: rules\.0\.mode: /)]);
  });

  it('stops quietly when the reader closes the pipe early (| head)', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/kubeladder.js'), 'webhook', 'test', join(ROOT, 'examples/insecure-shop')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect([0, 1]).toContain(code);
  });
});
