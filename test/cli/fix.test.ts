import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePatch } from 'diff';
import { afterAll, describe, expect, it } from 'vitest';
import type { ResultsDocument } from '../../src/core/results.js';
import { evaluatePodSpec } from '../../src/engines/pss/index.js';
import { strictestLevel, workloadsByNamespace } from '../../src/engines/pss/workloads.js';
import { SYSTEM_NAMESPACES } from '../../src/engines/kinds.js';
import { POD_KINDS, podSpecOf, type PodSpec } from '../../src/engines/workloads/pod-specs.js';
import { isTopLevel } from '../../src/engines/workloads/owners.js';
import { readManifests } from '../../src/sources/files.js';
import { cli, ROOT } from '../helpers/cli.js';

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'kubeladder-fix-'));
  made.push(d);
  return d;
}

/** Every file under `dir`, relative path to content. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), join(rel, e.name));
      else out[join(rel, e.name)] = readFileSync(join(d, e.name), 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
    - name: web   # the server
      image: nginx:1.27
`;

const NS = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
`;

const CLEAN = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  a: b
`;

function workdir(files: Record<string, string>): string {
  const dir = tmp();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('fix --dry-run', () => {
  it('prints a unified diff a/FILE -> b/FILE and writes nothing', async () => {
    const dir = workdir({ 'pod.yaml': POD, 'ns.yaml': NS, 'clean.yaml': CLEAN });
    const before = snapshot(dir);
    const r = await cli(['fix', '.', '--dry-run'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(snapshot(dir)).toEqual(before);
    expect(r.stdout).toBe(
      [
        '--- a/ns.yaml',
        '+++ b/ns.yaml',
        '@@ -2,3 +2,7 @@',
        ' kind: Namespace',
        ' metadata:',
        '   name: shop',
        '+  labels:',
        '+    pod-security.kubernetes.io/enforce: baseline',
        '+    pod-security.kubernetes.io/warn: restricted',
        '+    pod-security.kubernetes.io/audit: restricted',
        '--- a/pod.yaml',
        '+++ b/pod.yaml',
        '@@ -7,3 +7,8 @@',
        '   containers:',
        '     - name: web   # the server',
        '       image: nginx:1.27',
        '+      securityContext:',
        '+        allowPrivilegeEscalation: false',
        '+  securityContext:',
        '+    seccompProfile:',
        '+      type: RuntimeDefault',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toBe(
      [
        'ns.yaml:1: Namespace shop',
        '  fixed    psa-labels  enforce: baseline (Pod/web passes only baseline); warn and audit: restricted (enforce is baseline)',
        'pod.yaml:1: Pod shop/web',
        '  fixed    no-privilege-escalation  container "web"',
        '  fixed    seccomp-runtime-default  pod',
        'kubeladder fix: 4 fixes applied to 2 objects, 0 skipped; 2 of 3 files would change (--dry-run: nothing written)',
        '',
      ].join('\n'),
    );
  });

  it('the diff applies to the files as they are', async () => {
    const dir = workdir({ 'pod.yaml': POD });
    const r = await cli(['fix', 'pod.yaml', '--dry-run', '--include', 'all'], { cwd: dir });
    const [patch] = parsePatch(r.stdout);
    expect(patch!.oldFileName).toBe('a/pod.yaml');
    expect(patch!.newFileName).toBe('b/pod.yaml');
    const { applyPatch } = await import('diff');
    await cli(['fix', 'pod.yaml', '--include', 'all'], { cwd: dir });
    expect(applyPatch(POD, patch!)).toBe(readFileSync(join(dir, 'pod.yaml'), 'utf8'));
  });

  it("never prints a Secret's data, even in a hunk's context lines", async () => {
    // Data first, so that the context lines after the Namespace's new labels are the Secret's data.
    const secret = '---\nstringData:\n  token: |\n    plain-secret-token\ndata: {password: c2VjcmV0LXZhbHVl}\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: shop\n';
    const dir = workdir({ 'all.yaml': `${NS}${secret}` });
    const r = await cli(['fix', 'all.yaml', '--dry-run'], { cwd: dir });
    expect(r.stdout).toContain('+    pod-security.kubernetes.io/enforce: baseline');
    expect(r.stdout).toContain('<redacted>');
    expect(r.stdout).toContain(' ---\n stringData:\n   token: <redacted>\n');
    expect(r.stdout + r.stderr).not.toMatch(/c2VjcmV0LXZhbHVl|plain-secret-token/);
  });
});

describe('fix in place', () => {
  it('rewrites only the files that change, and a second run changes nothing', async () => {
    const dir = workdir({ 'pod.yaml': POD, 'clean.yaml': CLEAN });
    const past = new Date('2020-01-01T00:00:00Z');
    for (const f of ['pod.yaml', 'clean.yaml']) utimesSync(join(dir, f), past, past);
    const r = await cli(['fix', dir], { cwd: ROOT });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/1 of 2 files rewritten\n$/);
    expect(readFileSync(join(dir, 'pod.yaml'), 'utf8')).toBe(`${POD.replace('      image: nginx:1.27\n', '      image: nginx:1.27\n      securityContext:\n        allowPrivilegeEscalation: false\n')}  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n`);
    expect(statSync(join(dir, 'clean.yaml')).mtime).toEqual(past);
    expect(statSync(join(dir, 'pod.yaml')).mtime).not.toEqual(past);
    const fixed = snapshot(dir);
    const again = await cli(['fix', dir, '--include', 'all', '--exclude', 'drop-capabilities,run-as-non-root,no-token-automount,readonly-rootfs']);
    expect(again.stderr).toMatch(/0 fixes applied to 0 objects, 0 skipped; 0 of 2 files rewritten\n$/);
    expect(snapshot(dir)).toEqual(fixed);
  });

  it('fixes JSON files and List items, and keeps CRLF files CRLF', async () => {
    const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'j', namespace: 'shop' }, spec: { containers: [{ name: 'c', image: 'x' }] } }] }, null, 2);
    const dir = workdir({ 'list.json': `${list}\n`, 'crlf.yml': POD.replace(/\n/g, '\r\n') });
    const r = await cli(['fix', '-f', join(dir, 'list.json'), '-f', join(dir, 'crlf.yml')]);
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'list.json'), 'utf8'));
    expect(json.items[0].spec).toEqual({ containers: [{ name: 'c', image: 'x', securityContext: { allowPrivilegeEscalation: false } }], securityContext: { seccompProfile: { type: 'RuntimeDefault' } } });
    const crlf = readFileSync(join(dir, 'crlf.yml'), 'utf8');
    expect(crlf).toContain('      securityContext:\r\n        allowPrivilegeEscalation: false\r\n');
    expect(crlf.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('reads stdin and writes the fixed text to stdout', async () => {
    const r = await cli(['fix', '-', '--include', 'no-token-automount'], { stdin: POD });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${POD.replace('      image: nginx:1.27\n', '      image: nginx:1.27\n      securityContext:\n        allowPrivilegeEscalation: false\n')}  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n  automountServiceAccountToken: false\n`);
    expect(r.stderr).toContain('-:1: Pod shop/web');
    const unchanged = await cli(['fix', '-'], { stdin: CLEAN });
    expect(unchanged.stdout).toBe(CLEAN);
  });
});

describe('fix: inputs it cannot fix', () => {
  it('reports a file that does not parse in one line with its line, fixes the rest, and exits 0 (2 with --strict)', async () => {
    const dir = workdir({ 'bad.yaml': readFileSync(join(ROOT, 'test/fixtures/inputs/malformed.yaml'), 'utf8'), 'pod.yaml': POD, 'ns.yaml': NS });
    const bad = readFileSync(join(dir, 'bad.yaml'), 'utf8');
    const r = await cli(['fix', '.', '--dry-run'], { cwd: dir });
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('bad.yaml'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^bad\.yaml:1[0-9]: invalid YAML: .+; file not fixed$/);
    expect(r.stdout).toContain('+++ b/pod.yaml');
    // The unreadable file's workloads could run in any namespace: no label is safe to compute.
    expect(r.stdout).not.toContain('ns.yaml');
    expect(r.stderr).toContain('ns.yaml:1: Namespace shop\n  skipped  psa-labels  not labelled: fix cannot see the workloads of bad.yaml (unreadable, a Helm chart or a kustomization), and they may run in this namespace\n');
    expect((await cli(['fix', '.', '--strict'], { cwd: dir })).code).toBe(2);
    expect(readFileSync(join(dir, 'bad.yaml'), 'utf8')).toBe(bad);
  });

  it('exits 2 when nothing could be read', async () => {
    const dir = workdir({ 'bad.json': '{"kind": ' });
    const r = await cli(['fix', 'bad.json', 'missing.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing.yaml: no such file or directory');
    expect(r.stderr).toMatch(/^bad\.json:1: invalid YAML: /m);
    expect(r.stderr).toContain('fix: no input could be read');
  });

  it('names Helm charts and Kustomize directories in one line each and goes on', async () => {
    const dir = tmp();
    cpSync(join(ROOT, 'test/fixtures/render'), dir, { recursive: true });
    const before = snapshot(dir);
    const r = await cli(['fix', '.', '--dry-run'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(snapshot(dir)).toEqual(before);
    const notices = r.stderr.split('\n').filter((l) => /cannot be fixed in place/.test(l));
    expect(notices).toEqual([
      'broken-kustomize: a Kustomize directory cannot be fixed in place; run fix on the directories of its resources (bases), patches stay yours to edit; skipped',
      'chart/web: a Helm chart cannot be fixed in place (its templates are not plain YAML); set securityContext in its values or templates; skipped',
      'kustomize/base: a Kustomize directory cannot be fixed in place; run fix on the directories of its resources (bases), patches stay yours to edit; skipped',
      'kustomize/overlays/prod: a Kustomize directory cannot be fixed in place; run fix on the directories of its resources (bases), patches stay yours to edit; skipped',
      'tree/apps/shop-kustomize: a Kustomize directory cannot be fixed in place; run fix on the directories of its resources (bases), patches stay yours to edit; skipped',
    ]);
    expect(r.stdout).toContain('+++ b/tree/plain/worker.yaml');
    expect(r.stdout).toContain('+++ b/tree/agent.yaml');
  });
});

describe('fix: usage', () => {
  it('rejects an unknown fix with exit 2, listing the valid ones', async () => {
    const r = await cli(['fix', '--include', 'drop-capabilities,readonly', '-'], { stdin: POD });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--include: unknown fix "readonly" (valid: drop-capabilities, run-as-non-root, no-token-automount, readonly-rootfs, all)');
    expect(r.stdout).toBe('');
    expect((await cli(['fix'])).code).toBe(2);
  });

  it('documents every fix and what it may break in --help', async () => {
    const r = await cli(['fix', '--help']);
    expect(r.code).toBe(0);
    for (const name of ['no-privilege-escalation', 'seccomp-runtime-default', 'psa-labels', 'drop-capabilities', 'run-as-non-root', 'no-token-automount', 'readonly-rootfs']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${name}\\n(      .+\\n)*      May break: `, 'm'));
    }
    expect(r.stdout).toContain('--include <fixes>');
    expect(r.stdout).toContain('--dry-run');
  });
});

/** PSS checks fix cannot address whatever it writes. */
const NEVER_FIXABLE = [
  'hostNamespaces',
  'privileged',
  'capabilities_baseline',
  'hostPathVolumes',
  'restrictedVolumes',
  'hostPorts',
  'appArmorProfile',
  'seLinuxOptions',
  'procMount',
  'procMount_restricted',
  'sysctls',
  'windowsHostProcess',
  'hostProbesAndHostLifecycle',
  'runAsUser',
];

/** The checks a workload may still fail after `fix --include all`: the never-fixable ones, plus those its own explicit choices keep failing. */
function unfixableFor(spec: PodSpec, meta: { annotations?: Record<string, string> }): Set<string> {
  const out = new Set(NEVER_FIXABLE);
  const cs = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
  const sc = (o: { securityContext?: unknown }): Record<string, any> => (o.securityContext ?? {}) as Record<string, any>;
  const added = cs.flatMap((c) => (sc(c).capabilities?.add ?? []) as string[]);
  // The API server forbids allowPrivilegeEscalation: false beside these.
  if (cs.some((c) => sc(c).privileged === true) || added.some((a) => /^(CAP_)?SYS_ADMIN$/.test(a))) out.add('allowPrivilegeEscalation');
  // Explicit seccomp choices and the old annotations stay.
  const profiles = [sc(spec).seccompProfile?.type, ...cs.map((c) => sc(c).seccompProfile?.type)];
  if (profiles.includes('Unconfined') || Object.keys(meta.annotations ?? {}).some((a) => a.includes('seccomp.security.alpha.kubernetes.io'))) out.add('seccompProfile_restricted').add('seccompProfile_baseline');
  // Explicit root stays; on Windows runAsNonRoot is left to a person.
  const root = [sc(spec), ...cs.map(sc)].some((s) => s.runAsUser === 0 || s.runAsNonRoot === false);
  if (root || (spec.os as { name?: string } | undefined)?.name === 'windows') out.add('runAsNonRoot');
  // Added capabilities stay.
  if (added.some((a) => a !== 'NET_BIND_SERVICE')) out.add('capabilities_restricted');
  return out;
}

describe('fix --include all on the insecure example shop', () => {
  it('leaves every workload passing restricted but those whose remaining violations no fix can address, and the scan reads it cleanly', { timeout: 120_000 }, async () => {
    const dir = tmp();
    cpSync(join(ROOT, 'examples/insecure-shop'), dir, { recursive: true });
    const original = await readManifests([dir]);
    expect(original.problems).toEqual([]);

    // What to expect, from the files as they are: a workload is an exception when it already fails a check no fix addresses.
    const expected: Record<string, string[]> = {};
    const expectedExceptions: string[] = [];
    for (const kind of POD_KINDS) {
      for (const r of original.inventory.ofKind(kind)) {
        if (!isTopLevel(r, original.inventory)) continue;
        const pod = podSpecOf(r)!;
        const unfixable = unfixableFor(pod.spec, pod.metadata);
        expected[r.display] = [...unfixable];
        const before = evaluatePodSpec(pod.metadata, pod.spec, 'restricted', 'latest');
        if (before.violations.some((v) => unfixable.has(v.check))) expectedExceptions.push(r.display);
      }
    }

    const run = await cli(['fix', dir, '--include', 'all']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');

    const fixed = await readManifests([dir]);
    expect(fixed.problems).toEqual([]);
    const exceptions: string[] = [];
    const passing: string[] = [];
    for (const kind of POD_KINDS) {
      for (const r of fixed.inventory.ofKind(kind)) {
        if (!isTopLevel(r, fixed.inventory)) continue;
        const pod = podSpecOf(r)!;
        const verdict = evaluatePodSpec(pod.metadata, pod.spec, 'restricted', 'latest');
        if (verdict.allowed) {
          passing.push(r.display);
          continue;
        }
        exceptions.push(r.display);
        // Each fails only on checks no fix can address.
        expect(
          verdict.violations.filter((v) => !expected[r.display]!.includes(v.check)),
          `${r.display} fails only on unfixable checks`,
        ).toEqual([]);
      }
    }
    expect(exceptions.sort()).toEqual(expectedExceptions.sort());
    // The example's node-exporter mounts the host's filesystem and runs privileged; its frontend only lacked the settings fix writes.
    expect(exceptions).toContain('DaemonSet monitoring/node-exporter');
    expect(passing).toContain('Deployment shop/frontend');
    expect(passing.length).toBeGreaterThanOrEqual(3);

    // Every Namespace that had no enforce label now has the level its workloads pass.
    const byNs = workloadsByNamespace(fixed.inventory);
    for (const ns of original.inventory.ofKind('Namespace')) {
      if (SYSTEM_NAMESPACES.includes(ns.name) || ns.labels['pod-security.kubernetes.io/enforce'] !== undefined) continue;
      const now = fixed.inventory.ofKind('Namespace').find((n) => n.name === ns.name)!;
      const levels = (byNs.get(ns.name) ?? []).map((w) => strictestLevel(w, 'latest'));
      const want = levels.length === 0 ? 'baseline' : levels.includes('privileged') ? 'privileged' : levels.includes('baseline') ? 'baseline' : 'restricted';
      expect(now.labels['pod-security.kubernetes.io/enforce'], ns.name).toBe(want);
    }

    const scan = await cli(['scan', dir, '--format', 'json', '--fail-on', 'none']);
    expect(scan.code).toBe(0);
    const doc = JSON.parse(scan.stdout) as ResultsDocument;
    expect(doc.problems).toEqual([]);
    expect(doc.inputs.objects).toBe(original.inventory.resources.length);

    // And fix has nothing left to do.
    const again = await cli(['fix', dir, '--include', 'all', '--dry-run']);
    expect(again.stdout).toBe('');
  });
});
