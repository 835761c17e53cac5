import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import type { ResultsDocument } from '../../src/core/results.js';
import { binary, cli, ROOT } from '../helpers/cli.js';

const F = 'test/fixtures/inputs';
const schema = JSON.parse(readFileSync(join(ROOT, 'schema/results.v1.json'), 'utf8'));
const validate = new Ajv({ allErrors: true }).compile(schema);

async function scanJson(args: string[], opts: Parameters<typeof cli>[1] = {}): Promise<{ code: number; doc: ResultsDocument; stderr: string }> {
  const r = await cli(['scan', ...args, '--format', 'json'], opts);
  const doc = JSON.parse(r.stdout) as ResultsDocument;
  expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  return { code: r.code, doc, stderr: r.stderr };
}

describe('scan', () => {
  it('passes a clean manifest with exit 0 and counts the passes', async () => {
    const { code, doc } = await scanJson([`${F}/good.yaml`]);
    expect(code).toBe(0);
    expect(doc.summary.counts.fail).toBe(0);
    expect(doc.summary.counts.pass).toBeGreaterThan(0);
    // Rung 2 also has checks that need the cluster's version, which manifests do not give.
    expect(doc.ladder.rungs[1]).toMatchObject({ rung: 2, status: 'partial' });
    expect(doc.ladder.rungs[1]!.hint).toBeDefined();
    expect(doc.results.filter((r) => r.status === 'not-assessed').every((r) => /kubernetes-version|\/metrics|a live cluster|--apiserver-address/.test(r.reason ?? ''))).toBe(true);
    expect(doc.ladder.rung).toBe(0);
    expect(doc.ladder.rungs[0]).toMatchObject({ status: 'not-assessed' });
    expect(doc.ladder.rungs[0]!.hint).toMatch(/kubeladder node/);
  });

  it('reports a finding with object, field, file and line, and exits 1', async () => {
    const { code, doc } = await scanJson([`${F}/privileged.yaml`]);
    expect(code).toBe(1);
    const f = doc.results.find((r) => r.check === 'pod/privileged')!;
    expect(f).toMatchObject({
      status: 'fail',
      rung: 2,
      severity: 'critical',
      object: { apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'shop', name: 'agent' },
      path: 'spec.template.spec.containers[0].securityContext.privileged',
      file: `${F}/privileged.yaml`,
      line: 18,
    });
    expect(f.message).toContain('container "agent" runs privileged');
    expect(f.remediation).toMatch(/privileged: false/);
    // pod/privileged, namespace/pod-security-labels, netpol/namespace-default-deny, and netpol/metadata-egress (no policy stops the DaemonSet's egress).
    expect(doc.ladder.rungs[1]).toMatchObject({ status: 'failed', blockers: 4 });
  });

  it('honours --fail-on', async () => {
    expect((await cli(['scan', `${F}/privileged.yaml`, '--fail-on', 'none'])).code).toBe(0);
    expect((await cli(['scan', `${F}/privileged.yaml`, '--fail-on', 'critical'])).code).toBe(1);
    const bad = await cli(['scan', `${F}/privileged.yaml`, '--fail-on', 'severe']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--fail-on: "severe"');
  });

  it('reads stdin, -f repeatable and directories', async () => {
    const stdin = readFileSync(join(ROOT, F, 'privileged.yaml'), 'utf8');
    const { doc } = await scanJson(['-'], { stdin });
    expect(doc.results.find((r) => r.check === 'pod/privileged')).toMatchObject({ file: '-', line: 18 });
    const two = await scanJson(['-f', `${F}/good.yaml`, '-f', `${F}/privileged.yaml`]);
    expect(two.doc.inputs).toEqual({ files: 2, objects: 7 });
    const dir = await scanJson([F, '--fail-on', 'none']);
    expect(dir.doc.inputs.files).toBe(7);
  });

  it('reads kubectl get -o yaml output and JSON Lists, with lines inside the list', async () => {
    const { doc } = await scanJson([`${F}/kubectl-get.yaml`, `${F}/list.json`]);
    const tags = doc.results.filter((r) => r.check === 'image/latest-tag');
    expect(tags.map((t) => [t.object?.name, t.file, t.line])).toEqual([
      ['one', `${F}/list.json`, 6],
      ['web-1', `${F}/kubectl-get.yaml`, 13],
    ]);
  });

  it('reports malformed YAML and JSON with file and line and scans the rest', async () => {
    const { code, doc, stderr } = await scanJson([`${F}/malformed.yaml`, `${F}/malformed.json`, `${F}/good.yaml`]);
    expect(stderr).toMatch(new RegExp(`^${F}/malformed.yaml:(1[0-6]): invalid YAML: `, 'm'));
    expect(stderr).toMatch(new RegExp(`^${F}/malformed.json:4: invalid JSON: `, 'm'));
    expect(stderr.trim().split('\n')).toHaveLength(2);
    // The document after the broken one is still read.
    expect(doc.results.some((r) => r.object?.name === 'after-the-break')).toBe(true);
    expect(doc.problems).toHaveLength(2);
    expect(code).toBe(1);
    expect((await cli(['scan', `${F}/malformed.yaml`, `${F}/good.yaml`, '--strict', '--fail-on', 'none'])).code).toBe(2);
  });

  it('skips empty documents, rejects objects without kind, keeps unknown kinds and warns of duplicates', async () => {
    const { code, doc, stderr } = await scanJson([`${F}/odd.yaml`, '--fail-on', 'none']);
    expect(stderr).toContain(`${F}/odd.yaml:4: not a Kubernetes object: no apiVersion or kind`);
    expect(stderr).toMatch(/odd\.yaml:17: warning: duplicate ConfigMap shop\/twice \(first at .*odd\.yaml:13\); both are checked/);
    expect(doc.inputs.objects).toBe(3);
    // Bad documents beside good ones do not change the exit code.
    expect(code).toBe(0);
    // A warning does not fail --strict.
    const strict = await cli(['scan', `${F}/good.yaml`, `${F}/odd.yaml`, '--strict']);
    expect(strict.code).toBe(2);
  });

  it('exits 2 when no input can be read, and on no input at all', async () => {
    const none = await cli(['scan']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no input');
    const missing = await cli(['scan', 'nope.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.yaml: no such file or directory');
  });

  it('gives byte-identical json for the same input', async () => {
    const a = await cli(['scan', F, '--format', 'json', '--show-passed']);
    const b = await cli(['scan', F, '--format', 'json', '--show-passed']);
    expect(a.stdout).toBe(b.stdout);
  });

  it('writes --output to a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kl-'));
    const r = await cli(['scan', `${F}/good.yaml`, '--format', 'json', '-o', join(dir, 'out.json')]);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')).apiVersion).toBe('kubeladder.io/v1');
  });

  it('uses --namespace for objects that name none, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kl-'));
    writeFileSync(join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: "x:latest"}]}\n');
    const { doc } = await scanJson([join(dir, 'pod.yaml'), '-n', 'team-a']);
    expect(doc.results.find((r) => r.check === 'image/latest-tag')?.object?.namespace).toBe('team-a');
    expect(doc.notes.join('\n')).toContain('"team-a"');
  });
});

describe('scan, as a user runs it', () => {
  it('prints the ladder first, without colour when piped', () => {
    const r = binary(['scan', `${F}/privileged.yaml`]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/\u001b\[/);
    const lines = r.stdout.split('\n');
    expect(lines[2]).toBe('Rung reached: 0 of 5 — rung 1 not assessed, rung 2 failed: 4 blockers');
    expect(r.stdout).toContain('What blocks rung 2 (4):');
    expect(r.stdout).toMatch(/CRITICAL {2}pod\/privileged/);
    expect(r.stdout).toContain(`DaemonSet shop/agent  ${F}/privileged.yaml:18`);
    expect(r.stdout).toContain('fix: ');
  });

  it('names a fact about the whole cluster by its message, in the blockers and the findings', () => {
    const r = binary(['scan', `${F}/good.yaml`, '--kubernetes-version', 'v1.28.0']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}high {6}cluster\/kubernetes-version-supported {2}the cluster runs v1\.28\.0: Kubernetes 1\.28 is older than 1\.\d+/m);
    expect(r.stdout).toMatch(/HIGH {2}cluster\/kubernetes-version-supported · Kubernetes version past end of life\n {4}the cluster runs v1\.28\.0/);
  });

  it('colours on request unless NO_COLOR', () => {
    expect(binary(['scan', `${F}/privileged.yaml`], { env: { FORCE_COLOR: '1' } }).stdout).toMatch(/\u001b\[/);
    expect(binary(['scan', `${F}/privileged.yaml`], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout).not.toMatch(/\u001b\[/);
  });
});
