/**
 * `generate psa-labels`: per namespace, the strictest Pod Security Admission level its workloads
 * already pass, as Namespace patches or `kubectl label` commands; the labels it proposes admit
 * the workloads it read.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namespaceLevels } from '../../src/engines/pss/workloads.js';
import { readManifests } from '../../src/sources/files.js';
import { ROOT, cli } from '../helpers/cli.js';

const pod = (name: string, ns: string, spec: string): string => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}}
spec:
${spec}`;

const RESTRICTED_SPEC = `  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
    - name: app
      image: registry.example/app:1
      securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
`;
const BASELINE_SPEC = `  containers:
    - name: app
      image: registry.example/app:1
`;
const PRIVILEGED_SPEC = `  containers:
    - name: app
      image: registry.example/app:1
      securityContext: {privileged: true}
`;

const FIXTURE = [
  pod('root', 'priv', PRIVILEGED_SPEC),
  pod('clean', 'priv', RESTRICTED_SPEC),
  pod('plain', 'base', BASELINE_SPEC),
  pod('clean', 'base', RESTRICTED_SPEC),
  pod('clean', 'strict', RESTRICTED_SPEC),
  `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: strict}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
${RESTRICTED_SPEC.replace(/^/gm, '    ').trimEnd()}
`,
  'apiVersion: v1\nkind: Namespace\nmetadata: {name: empty}\n',
  'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: config-only}\n',
  pod('proxy', 'kube-system', PRIVILEGED_SPEC),
  'apiVersion: v1\nkind: Namespace\nmetadata: {name: kube-public}\n',
].join('---\n');

const ENFORCE = 'pod-security.kubernetes.io/enforce';
const AUDIT = 'pod-security.kubernetes.io/audit';
const WARN = 'pod-security.kubernetes.io/warn';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kl-psa-labels-'));
  writeFileSync(join(dir, 'fixture.yaml'), FIXTURE);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface NamespaceDoc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels: Record<string, string> };
}

function parse(text: string): NamespaceDoc[] {
  const docs = parseAllDocuments(text);
  for (const d of docs) expect(d.errors).toEqual([]);
  return docs.map((d) => d.toJS() as NamespaceDoc);
}

function enforced(docs: NamespaceDoc[]): Record<string, string | undefined> {
  return Object.fromEntries(docs.map((d) => [d.metadata.name, d.metadata.labels[ENFORCE]]));
}

async function generate(args: string[]): Promise<{ text: string; docs: NamespaceDoc[] }> {
  const r = await cli(['generate', 'psa-labels', ...args], { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return { text: r.stdout, docs: parse(r.stdout) };
}

describe('generate psa-labels on small fixtures', () => {
  it('proposes privileged, baseline, restricted, and baseline where no workloads run, system namespaces left out', async () => {
    const { docs } = await generate(['fixture.yaml']);
    expect(enforced(docs)).toEqual({ base: 'baseline', 'config-only': 'baseline', empty: 'baseline', priv: 'privileged', strict: 'restricted' });
    for (const d of docs) {
      expect(d.apiVersion).toBe('v1');
      expect(d.kind).toBe('Namespace');
      expect(Object.keys(d.metadata)).toEqual(['name', 'labels']);
      // No enforce-version: the policy tracks the cluster's version.
      const below = d.metadata.labels[ENFORCE] !== 'restricted';
      expect(d.metadata.labels).toEqual(below ? { [ENFORCE]: d.metadata.labels[ENFORCE], [AUDIT]: 'restricted', [WARN]: 'restricted' } : { [ENFORCE]: 'restricted' });
    }
  });

  it('says above each Namespace why: the workloads that hold it below restricted, or that none were seen', async () => {
    const { text } = await generate(['fixture.yaml']);
    const docs = text.split('---\n');
    const of = (ns: string) => docs.find((d) => d.includes(`name: ${ns}\n`))!;
    expect(of('priv')).toMatch(/^# privileged: Pod\/root fails baseline \(privileged\)\napiVersion: v1\n/);
    expect(of('base')).toMatch(/^# baseline: Pod\/plain fails restricted \(allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile\)\napiVersion: v1\n/);
    expect(of('strict')).toMatch(/^# restricted: all 2 workloads pass restricted\napiVersion: v1\n/);
    expect(of('empty')).toMatch(/^# no workloads in the input: baseline, the safe default\napiVersion: v1\n/);
  });

  it('leaves out namespaces given with --exclude', async () => {
    const { docs } = await generate(['fixture.yaml', '--exclude', 'empty', '--exclude', 'config-only']);
    expect(docs.map((d) => d.metadata.name)).toEqual(['base', 'priv', 'strict']);
  });

  it('prints kubectl label commands with --format kubectl', async () => {
    const r = await cli(['generate', 'psa-labels', '--format', 'kubectl', 'fixture.yaml', '--exclude', 'config-only'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => !l.startsWith('#'))).toEqual([
      `kubectl label namespace base ${ENFORCE}=baseline ${AUDIT}=restricted ${WARN}=restricted --overwrite`,
      `kubectl label namespace empty ${ENFORCE}=baseline ${AUDIT}=restricted ${WARN}=restricted --overwrite`,
      `kubectl label namespace priv ${ENFORCE}=privileged ${AUDIT}=restricted ${WARN}=restricted --overwrite`,
      `kubectl label namespace strict ${ENFORCE}=restricted --overwrite`,
      '',
    ]);
    expect(r.stdout).toContain('# privileged: Pod/root fails baseline (privileged)\nkubectl label namespace priv ');
  });

  it('judges at --version: a probe host holds a namespace at privileged from v1.34 on only', async () => {
    const probe = pod('probe', 'probes', `${BASELINE_SPEC}      readinessProbe: {httpGet: {host: 10.0.0.1, port: 8080}}\n`);
    const at = async (v: string) => enforced(parse((await cli(['generate', 'psa-labels', '--version', v, '-'], { stdin: probe })).stdout)).probes;
    expect(await at('v1.33')).toBe('baseline');
    expect(await at('v1.34')).toBe('privileged');
    expect(await at('latest')).toBe('privileged');
    const bad = await cli(['generate', 'psa-labels', '--version', '1.34', '-'], { stdin: probe });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--version: "1.34"');
  });

  it('never lowers the level the input already enforces, and names what that level rejects', async () => {
    const input = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: base\n  labels: {${ENFORCE}: restricted}\n---\n${pod('plain', 'base', BASELINE_SPEC)}`;
    const r = await cli(['generate', 'psa-labels', '-'], { stdin: input });
    expect(r.stdout).toContain(
      '# note: keeps the enforce=restricted the input already sets; Pod/plain fails it, so its pods are rejected at the next rollout: fix it (kubeladder fix) or move it to a namespace of its own\n',
    );
    expect(enforced(parse(r.stdout)).base).toBe('restricted');
  });

  it('writes the output applied to the input: the same namespaces, and every workload passes what its namespace enforces', async () => {
    const r = await cli(['generate', 'psa-labels', 'fixture.yaml', '-o', 'labels.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const docs = parse(readFileSync(join(dir, 'labels.yaml'), 'utf8'));
    const read = await readManifests(['fixture.yaml'], { cwd: dir });
    const names = read.inventory.namespaces().map((n) => n.name).filter((n) => !n.startsWith('kube-'));
    expect(docs.map((d) => d.metadata.name)).toEqual(names);
    for (const d of docs) {
      const level = d.metadata.labels[ENFORCE]!;
      if (level === 'privileged') continue;
      const check = await cli(['pss', 'check', '--level', level, '--format', 'json', '-'], {
        stdin: FIXTURE.split('---\n').filter((doc) => doc.includes(`namespace: ${d.metadata.name}}`)).join('---\n') || 'apiVersion: v1\nkind: List\nitems: []\n',
      });
      expect(check.code, `${d.metadata.name} at ${level}: ${check.stdout}`).toBe(0);
    }
  });

  it('exits 2 without input or on a bad --format', async () => {
    expect((await cli(['generate', 'psa-labels'])).code).toBe(2);
    const r = await cli(['generate', 'psa-labels', '--format', 'json', 'fixture.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format: "json" is not one of yaml, kubectl');
  });
});

describe('generate psa-labels on the examples', () => {
  for (const example of ['insecure-shop', 'hardened-shop']) {
    it(`proposes for ${example} the levels the engine computes`, async () => {
      const path = `examples/${example}`;
      const r = await cli(['generate', 'psa-labels', path]);
      expect(r.code).toBe(0);
      const docs = parse(r.stdout);
      const read = await readManifests([path], { cwd: ROOT });
      // The strictest level the workloads pass, but never below what the namespace already enforces.
      const rank = ['privileged', 'baseline', 'restricted'];
      const enforcedNow = (ns: string) => read.inventory.namespaces().find((n) => n.name === ns)?.resource?.labels[ENFORCE] ?? 'privileged';
      const expected = Object.fromEntries(
        [...namespaceLevels(read.inventory).values()]
          .filter((n) => !n.namespace.startsWith('kube-'))
          .map((n) => {
            const proposed = n.workloads === 0 ? 'baseline' : n.level;
            return [n.namespace, rank.indexOf(enforcedNow(n.namespace)) > rank.indexOf(proposed) ? enforcedNow(n.namespace) : proposed];
          }),
      );
      expect(enforced(docs)).toEqual(expected);
      for (const d of docs) expect(d.kind).toBe('Namespace');
      // One comment line or more above every document.
      for (const doc of r.stdout.split('---\n')) expect(doc).toMatch(/^# .+\n(# .+\n)*apiVersion: v1\n/);
    });
  }

  it('keeps the insecure shop monitoring namespace at privileged (its node-exporter runs privileged) and the hardened shop at restricted', async () => {
    const insecure = parse((await cli(['generate', 'psa-labels', 'examples/insecure-shop'])).stdout);
    expect(enforced(insecure).monitoring).toBe('privileged');
    const hardened = parse((await cli(['generate', 'psa-labels', 'examples/hardened-shop'])).stdout);
    expect(enforced(hardened).shop).toBe('restricted');
  });
});
