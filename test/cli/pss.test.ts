/**
 * `kubeladder pss check`: every Pod and pod template judged at a level and policy version, as
 * text and as JSON, with the CLI's exit codes; `--version` is the policy version here.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { cli } from '../helpers/cli.js';

/** Passes restricted at every version. */
const RESTRICTED_POD = `apiVersion: v1
kind: Pod
metadata: {name: clean, namespace: web}
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  containers:
    - name: app
      image: registry.example/app:1
      securityContext:
        allowPrivilegeEscalation: false
        capabilities: {drop: [ALL]}
`;

/** Violates only hostProbesAndHostLifecycle (baseline, from v1.34). */
const PROBE_HOST_POD = `apiVersion: v1
kind: Pod
metadata: {name: probe-host, namespace: web}
spec:
  containers:
    - name: app
      image: registry.example/app:1
      readinessProbe:
        httpGet: {host: 10.0.0.1, path: /healthz, port: 8080}
`;

/** Restricted but for the seccomp profile, required from v1.19. */
const NO_SECCOMP_POD = `apiVersion: v1
kind: Pod
metadata: {name: no-seccomp, namespace: web}
spec:
  securityContext:
    runAsNonRoot: true
  containers:
    - name: app
      image: registry.example/app:1
      securityContext:
        allowPrivilegeEscalation: false
        capabilities: {drop: [ALL]}
`;

const PRIVILEGED_CRONJOB = `apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: jobs}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: run
              image: registry.example/run:1
              securityContext:
                privileged: true
`;

/** A Deployment, the ReplicaSet it controls and that ReplicaSet's Pod, as `kubectl get -o yaml` prints them. */
const CONTROLLED_LIST = `apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: api, namespace: shop}
    spec:
      selector: {matchLabels: {app: api}}
      template:
        metadata: {labels: {app: api}}
        spec:
          containers:
            - name: api
              image: registry.example/api:1
  - apiVersion: apps/v1
    kind: ReplicaSet
    metadata:
      name: api-5d8f
      namespace: shop
      ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: api, controller: true, uid: "1"}]
    spec:
      selector: {matchLabels: {app: api}}
      template:
        metadata: {labels: {app: api}}
        spec:
          containers:
            - name: api
              image: registry.example/api:1
  - apiVersion: v1
    kind: Pod
    metadata:
      name: api-5d8f-x2x
      namespace: shop
      ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: api-5d8f, controller: true, uid: "2"}]
    spec:
      containers:
        - name: api
          image: registry.example/api:1
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: settings, namespace: shop}
`;

let dir: string;
const file = (name: string): string => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kl-pss-'));
  writeFileSync(file('restricted.yaml'), RESTRICTED_POD);
  writeFileSync(file('probe-host.yaml'), PROBE_HOST_POD);
  writeFileSync(file('no-seccomp.yaml'), NO_SECCOMP_POD);
  writeFileSync(file('cronjob.yaml'), PRIVILEGED_CRONJOB);
  writeFileSync(file('list.yaml'), CONTROLLED_LIST);
  writeFileSync(file('broken.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: a\n  : [\n');
  // One document after another in one file, the second starting on line 15.
  writeFileSync(file('two.yaml'), `${RESTRICTED_POD}---\n${PROBE_HOST_POD}`);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Verdict {
  file: string | null;
  kind: string;
  namespace: string | null;
  name: string;
  allowed: boolean;
  violations: Array<{ check: string; message: string }>;
}

async function json(args: string[]): Promise<{ code: number; verdicts: Verdict[]; stderr: string }> {
  const r = await cli(['pss', 'check', '--format', 'json', ...args], { cwd: dir });
  return { code: r.code, verdicts: JSON.parse(r.stdout) as Verdict[], stderr: r.stderr };
}

describe('pss check: text', () => {
  it('prints ALLOWED with the file and line, a summary, and exits 0 when everything is allowed', async () => {
    const r = await cli(['pss', 'check', 'restricted.yaml'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('ALLOWED  Pod web/clean  (restricted.yaml:1)\n1 object: 1 allowed, 0 denied at restricted:latest\n');
    expect(r.code).toBe(0);
  });

  it('prints DENIED with each violated check indented under it, and exits 1', async () => {
    const r = await cli(['pss', 'check', '--level', 'baseline', 'two.yaml'], { cwd: dir });
    expect(r.stdout).toBe(
      [
        'ALLOWED  Pod web/clean  (two.yaml:1)',
        'DENIED   Pod web/probe-host  (two.yaml:15)',
        '  hostProbesAndHostLifecycle: probe or lifecycle host (container "app" uses probe or lifecycle host "10.0.0.1")',
        '2 objects: 1 allowed, 1 denied at baseline:latest',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(1);
  });

  it('defaults to restricted at latest', async () => {
    const r = await cli(['pss', 'check', 'no-seccomp.yaml'], { cwd: dir });
    expect(r.stdout).toMatch(/^DENIED {3}Pod web\/no-seccomp {2}\(no-seccomp\.yaml:1\)\n {2}seccompProfile_restricted: seccompProfile \(/);
    expect(r.stdout).toContain('1 object: 0 allowed, 1 denied at restricted:latest\n');
    expect(r.code).toBe(1);
  });

  it('writes to a file with -o', async () => {
    const r = await cli(['pss', 'check', 'restricted.yaml', '-o', 'out.txt'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(file('out.txt'), 'utf8')).toContain('ALLOWED  Pod web/clean');
  });
});

describe('pss check: JSON', () => {
  it('prints exactly an array of {file, kind, namespace, name, allowed, violations}', async () => {
    const r = await cli(['pss', 'check', '--format', 'json', '--level', 'baseline', 'two.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    const verdicts = JSON.parse(r.stdout) as Verdict[];
    expect(verdicts).toEqual([
      { file: 'two.yaml', kind: 'Pod', namespace: 'web', name: 'clean', allowed: true, violations: [] },
      {
        file: 'two.yaml',
        kind: 'Pod',
        namespace: 'web',
        name: 'probe-host',
        allowed: false,
        violations: [{ check: 'hostProbesAndHostLifecycle', message: 'probe or lifecycle host (container "app" uses probe or lifecycle host "10.0.0.1")' }],
      },
    ]);
    for (const v of verdicts) {
      expect(Object.keys(v)).toEqual(['file', 'kind', 'namespace', 'name', 'allowed', 'violations']);
      for (const x of v.violations) expect(Object.keys(x)).toEqual(['check', 'message']);
    }
  });

  it('writes the JSON to a file with -o and exits as it would on stdout', async () => {
    const r = await cli(['pss', 'check', '--format', 'json', '-o', 'out.json', 'cronjob.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect((JSON.parse(readFileSync(file('out.json'), 'utf8')) as Verdict[])[0]).toMatchObject({ kind: 'CronJob', allowed: false });
  });

  it('gives objects without a namespace the default one (or -n NS)', async () => {
    const pod = RESTRICTED_POD.replace(', namespace: web', '');
    const r = await cli(['pss', 'check', '--format', 'json', '-'], { stdin: pod });
    expect((JSON.parse(r.stdout) as Verdict[])[0]).toMatchObject({ file: '-', namespace: 'default', allowed: true });
    const n = await cli(['pss', 'check', '--format', 'json', '-n', 'team-a', '-'], { stdin: pod });
    expect((JSON.parse(n.stdout) as Verdict[])[0]).toMatchObject({ namespace: 'team-a' });
  });
});

describe('pss check: policy versions', () => {
  it('judges probe and lifecycle hosts from v1.34 on (and at latest), not at v1.33', async () => {
    const at = async (version: string) => (await json(['--level', 'baseline', '--version', version, 'probe-host.yaml'])).verdicts[0]!;
    expect(await at('v1.33')).toMatchObject({ allowed: true, violations: [] });
    for (const v of ['v1.34', 'v1.40', 'latest']) {
      const verdict = await at(v);
      expect(verdict.allowed).toBe(false);
      expect(verdict.violations.map((x) => x.check)).toEqual(['hostProbesAndHostLifecycle']);
    }
    expect((await json(['--level', 'baseline', 'probe-host.yaml'])).code).toBe(1);
    expect((await json(['--level', 'baseline', '--version', 'v1.33', 'probe-host.yaml'])).code).toBe(0);
  });

  it('requires a seccomp profile at restricted from v1.19 on', async () => {
    const v118 = await json(['--version', 'v1.18', 'no-seccomp.yaml']);
    expect(v118.code).toBe(0);
    expect(v118.verdicts[0]).toMatchObject({ allowed: true });
    for (const version of ['v1.19', 'v1.25', 'latest']) {
      const r = await json(['--version', version, 'no-seccomp.yaml']);
      expect(r.code).toBe(1);
      expect(r.verdicts[0]!.violations.map((x) => x.check)).toEqual(['seccompProfile_restricted']);
    }
  });

  it('takes --version after the paths and as --version=v1.N too, and leaves `kubeladder version` and -V alone', async () => {
    expect((await cli(['pss', 'check', 'no-seccomp.yaml', '--version', 'v1.18'], { cwd: dir })).code).toBe(0);
    expect((await cli(['pss', 'check', '--version=v1.18', 'no-seccomp.yaml'], { cwd: dir })).code).toBe(0);
    expect((await cli(['pss', 'check', '--version=v1.19', 'no-seccomp.yaml'], { cwd: dir })).code).toBe(1);
    expect(await cli(['version'])).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    expect(await cli(['-V'])).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });
});

describe('pss check: what it judges', () => {
  it("judges a CronJob's pod template", async () => {
    const r = await json(['--level', 'baseline', 'cronjob.yaml']);
    expect(r.code).toBe(1);
    expect(r.verdicts).toEqual([
      {
        file: 'cronjob.yaml',
        kind: 'CronJob',
        namespace: 'jobs',
        name: 'nightly',
        allowed: false,
        violations: [{ check: 'privileged', message: 'privileged (container "run" must not set securityContext.privileged=true)' }],
      },
    ]);
  });

  it('judges every item of a List, the objects a Deployment controls included, and nothing without a pod spec', async () => {
    const r = await json(['--level', 'baseline', 'list.yaml']);
    expect(r.code).toBe(0);
    expect(r.verdicts.map((v) => `${v.kind} ${v.namespace}/${v.name} ${v.allowed}`)).toEqual([
      'Deployment shop/api true',
      'ReplicaSet shop/api-5d8f true',
      'Pod shop/api-5d8f-x2x true',
    ]);
    const restricted = await json(['list.yaml']);
    expect(restricted.code).toBe(1);
    expect(restricted.verdicts.every((v) => !v.allowed)).toBe(true);
  });

  it('reads stdin with -', async () => {
    const r = await cli(['pss', 'check', '-'], { stdin: `${PRIVILEGED_CRONJOB}---\n${RESTRICTED_POD}` });
    expect(r.stdout).toContain('DENIED   CronJob jobs/nightly  (-:1)\n');
    expect(r.stdout).toContain('ALLOWED  Pod web/clean  (-:17)\n');
    expect(r.stdout).toContain('2 objects: 1 allowed, 1 denied at restricted:latest\n');
    expect(r.code).toBe(1);
  });

  it('says so on stderr when the input holds no pods, and exits 0', async () => {
    const r = await cli(['pss', 'check', '-'], { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('0 objects: 0 allowed, 0 denied at restricted:latest\n');
    expect(r.stderr).toContain('no Pods or pod templates');
  });
});

describe('pss check: errors', () => {
  it.each([
    [['--level', 'privileged'], '--level: "privileged" is not a Pod Security Standards level; use baseline or restricted'],
    [['--level', 'Restricted'], '--level: "Restricted"'],
    [['--version', '1.30'], '--version: "1.30" is not a Pod Security Standards version; use latest or v1.N'],
    [['--version', 'v2.1'], '--version: "v2.1"'],
    [['--version', 'v1.30.2'], '--version: "v1.30.2"'],
    [['--format', 'yaml'], '--format: "yaml" is not one of text, json'],
  ])('exits 2 on %j with a one-line message', async (flags, message) => {
    const r = await cli(['pss', 'check', ...flags, 'restricted.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('exits 2 without input, or when no input could be read', async () => {
    const none = await cli(['pss', 'check'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no input');
    const missing = await cli(['pss', 'check', 'missing.yaml'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing.yaml: no such file or directory');
    const unknownFlag = await cli(['pss', 'check', '--levle', 'baseline', 'restricted.yaml'], { cwd: dir });
    expect(unknownFlag.code).toBe(2);
  });

  it('reports a bad file among good ones on stderr with its file and line, and judges the rest', async () => {
    const r = await cli(['pss', 'check', 'broken.yaml', 'restricted.yaml', 'missing.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('ALLOWED  Pod web/clean  (restricted.yaml:1)\n1 object: 1 allowed, 0 denied at restricted:latest\n');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.some((l) => /^broken\.yaml:\d+: /.test(l))).toBe(true);
    expect(lines).toContain('missing.yaml: no such file or directory');
  });
});

describe('pss namespaces', () => {
  it('tells, per namespace, what it enforces and the strictest level its workloads pass', async () => {
    const r = await cli(['pss', 'namespaces', 'examples/insecure-shop']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^NAMESPACE +ENFORCES +WORKLOADS +PASSES +HELD BACK BY$/);
    expect(r.stdout).toMatch(/^monitoring +\(none\) +3 +privileged +Deployment\/prometheus, DaemonSet\/node-exporter, DaemonSet\/windows-exporter$/m);
    expect(r.stdout).toMatch(/^shop +baseline +7 +privileged +Deployment\/api, Deployment\/worker$/m);
  });

  it('prints JSON, judges at --version, and counts a namespace without workloads as passing restricted', async () => {
    const input = `apiVersion: v1
kind: Namespace
metadata: {name: empty, labels: {pod-security.kubernetes.io/enforce: restricted}}
---
apiVersion: v1
kind: Pod
metadata: {name: probe, namespace: probes}
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      readinessProbe: {httpGet: {host: 10.0.0.1, port: 80}}
`;
    const at = async (v: string) => JSON.parse((await cli(['pss', 'namespaces', '--format', 'json', '--version', v, '-'], { stdin: input })).stdout);
    expect(await at('v1.33')).toEqual([
      { namespace: 'empty', enforces: 'restricted', workloads: 0, passes: 'restricted', heldBackBy: [] },
      { namespace: 'probes', enforces: null, workloads: 1, passes: 'baseline', heldBackBy: ['Pod/probe'] },
    ]);
    expect((await at('latest'))[1]).toMatchObject({ passes: 'privileged', heldBackBy: ['Pod/probe'] });
    expect((await cli(['pss', 'namespaces', '--version', '1.33', '-'], { stdin: input })).code).toBe(2);
  });
});
