import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../../src/core/errors.js';
import { DEFAULT_FIXES, OPT_IN_FIXES, selectFixes } from '../../src/fix/index.js';
import { PARSE_OPTIONS } from '../../src/fix/source.js';
import { ROOT } from '../helpers/cli.js';
import { expectOnlyInserted, fix, outcomes } from './helpers.js';

/** A Deployment in `ns` whose pod spec is `spec` (YAML indented for its place). */
function deployment(name: string, spec: string, ns = 'web', annotations = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata:
      labels: {app: ${name}}${annotations ? `\n      annotations:\n        ${annotations}` : ''}
    spec:
${spec.replace(/^/gm, '      ')}
`;
}

function namespace(name: string, labels = ''): string {
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}${labels ? `\n  labels:\n${labels.replace(/^/gm, '    ')}` : ''}\n`;
}

/** As Kubernetes reads YAML (1.1: `yes` is true). */
function parse(text: string): any {
  return parseYaml(text, PARSE_OPTIONS);
}

function podSpec(text: string): Record<string, any> {
  return parse(text).spec.template.spec;
}

describe('the registry', () => {
  it('runs three fixes by default and four on request; unknown names are usage errors that list the valid ones', () => {
    expect(DEFAULT_FIXES).toEqual(['no-privilege-escalation', 'seccomp-runtime-default', 'psa-labels']);
    expect(OPT_IN_FIXES).toEqual(['drop-capabilities', 'run-as-non-root', 'no-token-automount', 'readonly-rootfs']);
    expect(selectFixes([]).map((f) => f.name)).toEqual(['no-privilege-escalation', 'seccomp-runtime-default', 'psa-labels']);
    expect(selectFixes(['readonly-rootfs,drop-capabilities', 'no-token-automount']).map((f) => f.name)).toEqual([
      'no-privilege-escalation',
      'seccomp-runtime-default',
      'drop-capabilities',
      'no-token-automount',
      'readonly-rootfs',
      'psa-labels',
    ]);
    expect(selectFixes(['all'], ['psa-labels', 'seccomp-runtime-default']).map((f) => f.name)).toEqual(['no-privilege-escalation', ...OPT_IN_FIXES]);
    expect(() => selectFixes(['drop-caps'])).toThrow(UsageError);
    expect(() => selectFixes(['drop-caps'])).toThrow('--include: unknown fix "drop-caps" (valid: drop-capabilities, run-as-non-root, no-token-automount, readonly-rootfs, all)');
    expect(() => selectFixes([], ['nope'])).toThrow(/--exclude: unknown fix "nope"/);
  });
});

describe('workload kinds', () => {
  const pod = 'spec:\n  containers:\n  - name: a\n    image: x\n';
  const indent = (text: string, n: number): string => text.replace(/^(?=.)/gm, ' '.repeat(n));
  const kinds: Record<string, { apiVersion: string; body: string; path: string[] }> = {
    Pod: { apiVersion: 'v1', body: pod, path: ['spec'] },
    PodTemplate: { apiVersion: 'v1', body: `template:\n${indent(pod, 2)}`, path: ['template', 'spec'] },
    ReplicationController: { apiVersion: 'v1', body: `spec:\n  template:\n${indent(pod, 4)}`, path: ['spec', 'template', 'spec'] },
    ReplicaSet: { apiVersion: 'apps/v1', body: `spec:\n  template:\n${indent(pod, 4)}`, path: ['spec', 'template', 'spec'] },
    Deployment: { apiVersion: 'apps/v1', body: `spec:\n  template:\n${indent(pod, 4)}`, path: ['spec', 'template', 'spec'] },
    StatefulSet: { apiVersion: 'apps/v1', body: `spec:\n  template:\n${indent(pod, 4)}`, path: ['spec', 'template', 'spec'] },
    DaemonSet: { apiVersion: 'apps/v1', body: `spec:\n  template:\n${indent(pod, 4)}`, path: ['spec', 'template', 'spec'] },
    Job: { apiVersion: 'batch/v1', body: `spec:\n  template:\n${indent(pod, 4)}`, path: ['spec', 'template', 'spec'] },
    CronJob: { apiVersion: 'batch/v1', body: `spec:\n  jobTemplate:\n    spec:\n      template:\n${indent(pod, 8)}`, path: ['spec', 'jobTemplate', 'spec', 'template', 'spec'] },
  };
  for (const [kind, { apiVersion, body, path }] of Object.entries(kinds)) {
    it(`fixes the pod spec of a ${kind}`, () => {
      const { text } = fix(`apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: w, namespace: web}\n${body}`, [], ['psa-labels']);
      const spec = path.reduce((o: any, k) => o[k], parse(text));
      expect(spec.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false });
      expect(spec.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    });
  }

  it('leaves other kinds alone', () => {
    const input = 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n  template:\n' + indent(pod, 4);
    expect(fix(input).text).toBe(input);
  });
});

describe('no-privilege-escalation', () => {
  it('sets false in init, regular and ephemeral containers, turns an explicit true false, and leaves false alone', () => {
    const input = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: web}
spec:
  initContainers:
  - name: init
    image: busybox
  containers:
  - name: a
    image: x
    securityContext:
      allowPrivilegeEscalation: true
  - name: b
    image: y
    securityContext:
      allowPrivilegeEscalation: false
  ephemeralContainers:
  - name: debug
    image: busybox
`;
    const { text, objects } = fix(input, [], ['seccomp-runtime-default', 'psa-labels']);
    const spec = parse(text).spec;
    expect(spec.initContainers[0].securityContext).toEqual({ allowPrivilegeEscalation: false });
    expect(spec.containers.map((c: any) => c.securityContext)).toEqual([{ allowPrivilegeEscalation: false }, { allowPrivilegeEscalation: false }]);
    expect(spec.ephemeralContainers[0].securityContext).toEqual({ allowPrivilegeEscalation: false });
    expect(outcomes(objects)).toEqual(['no-privilege-escalation applied: init container "init"', 'no-privilege-escalation applied: container "a" (was true)', 'no-privilege-escalation applied: ephemeral container "debug"']);
    expectOnlyInserted(input, text, ['      allowPrivilegeEscalation: true']);
  });

  it('never sets it beside privileged: true or an added SYS_ADMIN / CAP_SYS_ADMIN (the API server would reject the object), and says so', () => {
    const input = deployment(
      'd',
      `containers:
- name: priv
  image: x
  securityContext: {privileged: true}
- name: admin
  image: x
  securityContext:
    capabilities:
      add: [NET_ADMIN, SYS_ADMIN]
- name: cap-admin
  image: x
  securityContext:
    capabilities: {add: ["CAP_SYS_ADMIN"]}
- name: plain
  image: x`,
    );
    const { text, objects } = fix(input, [], ['psa-labels']);
    const cs = podSpec(text).containers;
    expect(cs[0].securityContext).toEqual({ privileged: true });
    expect(cs[1].securityContext).toEqual({ capabilities: { add: ['NET_ADMIN', 'SYS_ADMIN'] } });
    expect(cs[2].securityContext).toEqual({ capabilities: { add: ['CAP_SYS_ADMIN'] } });
    expect(cs[3].securityContext).toEqual({ allowPrivilegeEscalation: false });
    expect(outcomes(objects).filter((o) => o.startsWith('no-privilege-escalation'))).toEqual([
      'no-privilege-escalation skipped: container "priv" is privileged: the API server rejects allowPrivilegeEscalation: false beside privileged: true',
      'no-privilege-escalation skipped: container "admin" adds SYS_ADMIN: the API server rejects allowPrivilegeEscalation: false beside CAP_SYS_ADMIN',
      'no-privilege-escalation skipped: container "cap-admin" adds SYS_ADMIN: the API server rejects allowPrivilegeEscalation: false beside CAP_SYS_ADMIN',
      'no-privilege-escalation applied: container "plain"',
    ]);
  });

  it('reads YAML 1.1 booleans as Kubernetes does: `privileged: yes` is privileged', () => {
    const { text, objects } = fix(deployment('d', 'containers:\n- name: a\n  image: x\n  securityContext: {privileged: yes}'), [], ['psa-labels']);
    expect(podSpec(text).containers[0].securityContext).toEqual({ privileged: true });
    expect(outcomes(objects)[0]).toMatch(/skipped: container "a" is privileged/);
  });
});

describe('Windows pods', () => {
  it('get none of the Linux-only fields, and every fix that skips them says why', () => {
    const input = deployment('win', 'os: {name: windows}\ncontainers:\n- name: a\n  image: mcr.microsoft.com/windows/nanoserver:ltsc2022');
    const { text, objects } = fix(input, ['all'], ['psa-labels']);
    const spec = podSpec(text);
    expect(spec.securityContext).toBeUndefined();
    expect(spec.containers[0].securityContext).toBeUndefined();
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(outcomes(objects)).toEqual([
      'no-privilege-escalation skipped: Windows pod: allowPrivilegeEscalation is a Linux-only field the API server rejects there',
      'seccomp-runtime-default skipped: Windows pod: seccompProfile is a Linux-only field the API server rejects there',
      'drop-capabilities skipped: Windows pod: capabilities are a Linux-only field the API server rejects there',
      'run-as-non-root skipped: Windows pod: runAsNonRoot checks the Windows user name there (most images run as ContainerAdministrator); set it by hand',
      'no-token-automount applied: pod',
      'readonly-rootfs skipped: Windows pod: readOnlyRootFilesystem is a Linux-only field the API server rejects there',
    ]);
  });
});

describe('seccomp-runtime-default', () => {
  it('sets RuntimeDefault on the pod when nothing chose a profile', () => {
    const { text } = fix(deployment('d', 'containers:\n- name: a\n  image: x'), [], ['psa-labels', 'no-privilege-escalation']);
    expect(podSpec(text).securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
  });

  it('leaves an explicit Unconfined (pod or container) and the deprecated annotations alone, and reports them', () => {
    const pod = fix(deployment('d', 'securityContext:\n  seccompProfile: {type: Unconfined}\ncontainers:\n- name: a\n  image: x'), [], ['psa-labels']);
    expect(podSpec(pod.text).securityContext).toEqual({ seccompProfile: { type: 'Unconfined' } });
    expect(outcomes(pod.objects)).toContain('seccomp-runtime-default skipped: the pod sets seccompProfile Unconfined explicitly; left as chosen');

    const container = fix(deployment('d', 'containers:\n- name: a\n  image: x\n  securityContext:\n    seccompProfile: {type: Unconfined}\n- name: b\n  image: y'), [], ['psa-labels']);
    expect(podSpec(container.text).securityContext).toBeUndefined();
    expect(outcomes(container.objects)).toContain('seccomp-runtime-default skipped: containers choose their own seccompProfile, left as chosen: container "a" (Unconfined)');

    const localhost = fix(deployment('d', 'securityContext:\n  seccompProfile: {type: Localhost, localhostProfile: p.json}\ncontainers:\n- name: a\n  image: x'), [], ['psa-labels']);
    expect(outcomes(localhost.objects).filter((o) => o.startsWith('seccomp'))).toEqual([]);

    const annotated = fix(deployment('d', 'containers:\n- name: a\n  image: x', 'web', 'seccomp.security.alpha.kubernetes.io/pod: unconfined'), [], ['psa-labels']);
    expect(podSpec(annotated.text).securityContext).toBeUndefined();
    expect(outcomes(annotated.objects)).toContain(
      'seccomp-runtime-default skipped: the pod carries the deprecated seccomp annotation seccomp.security.alpha.kubernetes.io/pod; the API server rejects a field that disagrees with it: replace it by hand',
    );
  });
});

describe('opt-in fixes', () => {
  it('run only when included', () => {
    const input = deployment('d', 'containers:\n- name: a\n  image: x');
    const spec = podSpec(fix(input).text);
    expect(spec.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false });
    expect(spec.automountServiceAccountToken).toBeUndefined();
  });

  it('drop-capabilities adds ALL to an existing drop list and keeps add', () => {
    const input = deployment('d', 'containers:\n- name: a\n  image: x\n  securityContext:\n    capabilities:\n      add: [NET_BIND_SERVICE]\n      drop:\n      - NET_RAW\n- name: b\n  image: x');
    const { text, objects } = fix(input, ['drop-capabilities'], ['psa-labels', 'seccomp-runtime-default', 'no-privilege-escalation']);
    const cs = podSpec(text).containers;
    expect(cs[0].securityContext.capabilities).toEqual({ add: ['NET_BIND_SERVICE'], drop: ['NET_RAW', 'ALL'] });
    expect(cs[1].securityContext).toEqual({ capabilities: { drop: ['ALL'] } });
    expect(outcomes(objects)).toEqual(['drop-capabilities applied: container "a" (keeps add: NET_BIND_SERVICE)', 'drop-capabilities applied: container "b"']);
    expect(expectOnlyInserted(input, text)).toEqual([
      '            - ALL\n',
      '        securityContext:\n',
      '          capabilities:\n',
      '            drop:\n',
      '            - ALL\n',
    ]);
  });

  it('run-as-non-root skips pods where the pod or a container runs as root on purpose', () => {
    const only = ['run-as-non-root'];
    const off = ['psa-labels', 'seccomp-runtime-default', 'no-privilege-escalation'];
    const ok = fix(deployment('d', 'containers:\n- name: a\n  image: x'), only, off);
    expect(podSpec(ok.text).securityContext).toEqual({ runAsNonRoot: true });

    const podRoot = fix(deployment('d', 'securityContext: {runAsUser: 0}\ncontainers:\n- name: a\n  image: x'), only, off);
    expect(podSpec(podRoot.text).securityContext).toEqual({ runAsUser: 0 });
    expect(outcomes(podRoot.objects)).toEqual(['run-as-non-root skipped: the pod sets runAsUser: 0 (root) explicitly; left as chosen']);

    const containerRoot = fix(deployment('d', 'containers:\n- name: a\n  image: x\n  securityContext: {runAsUser: 0}\n- name: b\n  image: x'), only, off);
    expect(podSpec(containerRoot.text).securityContext).toBeUndefined();
    expect(outcomes(containerRoot.objects)).toEqual(['run-as-non-root skipped: container "a" sets runAsUser: 0 or runAsNonRoot: false explicitly; left as chosen']);

    const explicitFalse = fix(deployment('d', 'securityContext:\n  runAsNonRoot: false\ncontainers:\n- name: a\n  image: x'), only, off);
    expect(podSpec(explicitFalse.text).securityContext).toEqual({ runAsNonRoot: false });
    expect(outcomes(explicitFalse.objects)).toEqual(['run-as-non-root skipped: the pod sets runAsNonRoot: false explicitly; left as chosen']);
  });

  it('no-token-automount sets the pod field, keeps an explicit true, and leaves ServiceAccounts alone', () => {
    const sa = 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app, namespace: web}\n';
    const input = `${sa}---\n${deployment('d', 'containers:\n- name: a\n  image: x')}---\n${deployment('e', 'automountServiceAccountToken: true\ncontainers:\n- name: a\n  image: x')}`;
    const { text, objects } = fix(input, ['no-token-automount'], ['psa-labels', 'seccomp-runtime-default', 'no-privilege-escalation']);
    expect(text.startsWith(sa)).toBe(true);
    expect(outcomes(objects)).toEqual(['no-token-automount applied: pod', 'no-token-automount skipped: the pod sets automountServiceAccountToken: true explicitly; left as chosen']);
  });

  it('readonly-rootfs sets true per container and keeps an explicit false', () => {
    const input = deployment('d', 'containers:\n- name: a\n  image: x\n  securityContext: {readOnlyRootFilesystem: false}\n- name: b\n  image: x');
    const { text, objects } = fix(input, ['readonly-rootfs'], ['psa-labels', 'seccomp-runtime-default', 'no-privilege-escalation']);
    expect(podSpec(text).containers.map((c: any) => c.securityContext)).toEqual([{ readOnlyRootFilesystem: false }, { readOnlyRootFilesystem: true }]);
    expect(outcomes(objects)).toEqual(['readonly-rootfs skipped: container "a" sets readOnlyRootFilesystem: false explicitly; left as chosen', 'readonly-rootfs applied: container "b"']);
  });
});

describe('psa-labels', () => {
  const plain = 'containers:\n- name: a\n  image: x';
  const hostPath = 'containers:\n- name: a\n  image: x\nvolumes:\n- name: h\n  hostPath: {path: /var/log}';
  const labels = (text: string, name: string): Record<string, string> =>
    text
      .split(/^---$/m)
      .map((d) => parse(d))
      .find((o) => o?.kind === 'Namespace' && o.metadata.name === name)?.metadata.labels ?? {};

  it('sets enforce at the level the workloads pass after the other fixes: restricted with --include all, baseline without', () => {
    const input = `${namespace('web', 'team: web')}---\n${deployment('d', plain)}`;
    const all = fix(input, ['all']);
    expect(labels(all.text, 'web')).toEqual({ team: 'web', 'pod-security.kubernetes.io/enforce': 'restricted' });
    expect(outcomes(all.objects, 'Namespace web')).toEqual(['psa-labels applied: enforce: restricted (its 1 workload passes restricted)']);

    const defaults = fix(input);
    expect(labels(defaults.text, 'web')).toEqual({
      team: 'web',
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
    });
    expect(outcomes(defaults.objects, 'Namespace web')).toEqual([
      'psa-labels applied: enforce: baseline (Deployment/d passes only baseline)',
      'psa-labels applied: warn and audit: restricted (enforce is baseline)',
    ]);
  });

  it('looks at workloads in every file of the input', () => {
    const { out } = fix({ 'ns.yaml': namespace('web'), 'app.yaml': deployment('d', hostPath) });
    expect(labels(out['ns.yaml']!, 'web')['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  it('gives a namespace without workloads baseline and says why', () => {
    const { text, objects } = fix(namespace('empty'));
    expect(labels(text, 'empty')['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(outcomes(objects)[0]).toBe('psa-labels applied: enforce: baseline (no workloads in the input run there, so what will run is not known)');
  });

  it('never lowers or replaces a stricter or equal enforce label, leaves -version and warn labels alone', () => {
    const ns = namespace('web', 'pod-security.kubernetes.io/enforce: restricted\npod-security.kubernetes.io/enforce-version: v1.30\npod-security.kubernetes.io/warn: baseline');
    const { text, objects } = fix(`${ns}---\n${deployment('d', hostPath)}`);
    expect(text.startsWith(`${ns}---\n`)).toBe(true);
    expect(outcomes(objects, 'Namespace web')).toEqual(['psa-labels skipped: keeps enforce: restricted, stricter than privileged (Deployment/d passes only privileged); never lowered']);

    const equal = namespace('web', 'pod-security.kubernetes.io/enforce: baseline\npod-security.kubernetes.io/warn: baseline\npod-security.kubernetes.io/audit: privileged');
    expect(fix(`${equal}---\n${deployment('d', plain)}`).text.startsWith(`${equal}---\n`)).toBe(true);
  });

  it('raises a weaker label only when the workloads pass, and never on a namespace without workloads', () => {
    const ns = namespace('web', 'pod-security.kubernetes.io/enforce: "privileged"  # for now\npod-security.kubernetes.io/enforce-version: v1.29');
    const { out, objects } = fix({ 'ns.yaml': ns, 'app.yaml': deployment('d', plain) }, ['all']);
    expect(expectOnlyInserted(ns, out['ns.yaml']!, ['    pod-security.kubernetes.io/enforce: "privileged"  # for now'])).toEqual(['    pod-security.kubernetes.io/enforce: "restricted"  # for now\n']);
    expect(outcomes(objects, 'Namespace web')).toEqual(['psa-labels applied: enforce: privileged raised to restricted (its 1 workload passes restricted)']);

    const held = `${namespace('web', 'pod-security.kubernetes.io/enforce: privileged')}---\n${deployment('d', hostPath)}`;
    expect(labels(fix(held).text, 'web')['pod-security.kubernetes.io/enforce']).toBe('privileged');

    const empty = namespace('tools', 'pod-security.kubernetes.io/enforce: privileged');
    const r = fix(empty);
    expect(labels(r.text, 'tools')).toEqual({
      'pod-security.kubernetes.io/enforce': 'privileged',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
    });
    expect(outcomes(r.objects)[0]).toBe('psa-labels skipped: keeps enforce: privileged: no workloads in the input run there to show baseline is safe');
  });

  it('judges workloads at the enforce-version the namespace pins', () => {
    // restricted at v1.18 had no seccomp or capabilities checks: the default fixes are enough.
    const input = `${namespace('web', 'pod-security.kubernetes.io/enforce-version: v1.18')}---\n${deployment('d', 'securityContext: {runAsNonRoot: true}\n' + plain)}`;
    expect(labels(fix(input).text, 'web')['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('never touches kube-system, kube-public or kube-node-lease', () => {
    const input = ['kube-system', 'kube-public', 'kube-node-lease'].map((n) => namespace(n)).join('---\n');
    const { text, objects } = fix(`${input}---\n${deployment('d', hostPath, 'kube-system')}`);
    expect(text.startsWith(input)).toBe(true);
    expect(outcomes(objects).filter((o) => o.startsWith('psa'))).toEqual([
      'psa-labels skipped: kube-system is a system namespace: never labelled',
      'psa-labels skipped: kube-public is a system namespace: never labelled',
      'psa-labels skipped: kube-node-lease is a system namespace: never labelled',
    ]);
  });
});

describe('objects fix leaves for a person', () => {
  it('edits nothing shared through YAML anchors, aliases or merge keys, says so, and fixes the rest of the object', () => {
    const input = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: a, namespace: web}
  spec:
    containers:
    - name: a
      image: x
      securityContext: &sc {runAsUser: 1000}
- apiVersion: v1
  kind: Pod
  metadata: {name: b, namespace: web}
  spec:
    containers:
    - name: b
      image: x
      securityContext: *sc
    - <<: {image: y}
      name: c
`;
    const { text, objects } = fix(input, [], ['psa-labels']);
    const items = parse(text).items;
    expect(items.map((i: any) => i.spec.securityContext)).toEqual([{ seccompProfile: { type: 'RuntimeDefault' } }, { seccompProfile: { type: 'RuntimeDefault' } }]);
    expect(items.map((i: any) => i.spec.containers.map((c: any) => c.securityContext))).toEqual([[{ runAsUser: 1000 }], [{ runAsUser: 1000 }, undefined]]);
    expect(outcomes(objects)).toEqual([
      'no-privilege-escalation skipped: cannot edit the text here: items[0].spec.containers[0].securityContext has a YAML anchor (&sc) other objects may refer to',
      'seccomp-runtime-default applied: pod',
      'no-privilege-escalation skipped: cannot edit the text here: items[1].spec.containers[0].securityContext is a YAML alias',
      'no-privilege-escalation skipped: cannot edit the text here: items[1].spec.containers[1] uses a YAML merge key (<<)',
      'seccomp-runtime-default applied: pod',
    ]);
  });

  it('fixes an object whose anchors are elsewhere (labels shared with the selector)', () => {
    const input = deployment('d', 'containers:\n- name: a\n  image: x').replace('matchLabels: {app: d}', 'matchLabels: &l {app: d}').replace('labels: {app: d}', 'labels: *l');
    expect(input).toContain('labels: *l');
    const { text } = fix(input, [], ['psa-labels']);
    expect(podSpec(text).containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false });
  });

  it('reports a field it cannot edit and goes on with the rest', () => {
    const input = deployment('d', 'containers:\n- name: a\n  image: x\n  securityContext: "oops"\n- name: b\n  image: x');
    const { text, objects } = fix(input, [], ['psa-labels']);
    expect(podSpec(text).containers[1].securityContext).toEqual({ allowPrivilegeEscalation: false });
    expect(outcomes(objects)).toContain('no-privilege-escalation skipped: cannot edit the text here: spec.template.spec.containers[0].securityContext is a string, not a mapping');
  });
});

describe('idempotence', () => {
  const fixtures: Record<string, string> = {};
  for (const dir of ['examples/insecure-shop', 'examples/hardened-shop', 'test/fixtures/inputs']) {
    for (const f of readdirSync(join(ROOT, dir))) if (/\.(ya?ml|json)$/.test(f) && !f.startsWith('malformed')) fixtures[`${dir}/${f}`] = readFileSync(join(ROOT, dir, f), 'utf8');
  }
  fixtures['crlf.yaml'] = deployment('d', 'containers:\n- name: a\n  image: x').replace(/\n/g, '\r\n');
  fixtures['flow.yaml'] = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: x}]}';
  fixtures['pretty.json'] = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'x' }] } }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }] }, null, 4);

  for (const [name, text] of Object.entries(fixtures)) {
    it(`a second run changes nothing: ${name}`, () => {
      for (const include of [[], ['all']]) {
        const once = fix({ [name]: text }, include).text;
        const twice = fix({ [name]: once }, include);
        expect(twice.text).toBe(once);
        expect(twice.objects.flatMap((o) => o.outcomes).filter((x) => x.status === 'applied')).toEqual([]);
      }
    });
  }

  it('the whole example shop, all files as one input, is stable after one run', () => {
    const dir = join(ROOT, 'examples/insecure-shop');
    const files = Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
    const once = fix(files, ['all']).out;
    expect(fix(once, ['all']).out).toEqual(once);
  });
});
