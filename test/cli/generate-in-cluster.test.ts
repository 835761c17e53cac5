/**
 * `generate in-cluster`: the RBAC is derived from the checks' needs and grants nothing else, the
 * CronJob's pod meets the restricted Pod Security Standard, --shards makes an Indexed Job, and
 * kubeladder's own scan of the output finds nothing but the documented exemption.
 */
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { neededKinds } from '../../src/cli/cluster.js';
import { DEFAULT_IMAGE, inClusterManifests, parseInClusterOptions } from '../../src/cli/generate-in-cluster.js';
import { defineCheck, type Check } from '../../src/core/check.js';
import type { ResultsDocument } from '../../src/core/results.js';
import { resourceType } from '../../src/engines/kinds.js';
import { VERSION } from '../../src/version.js';
import { cli } from '../helpers/cli.js';

interface Rule {
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
  verbs: string[];
}

function objects(text: string): any[] {
  const docs = parseAllDocuments(text);
  for (const d of docs) expect(d.errors).toEqual([]);
  return docs.map((d) => d.toJS());
}

async function generate(args: string[] = []): Promise<{ text: string; objs: any[] }> {
  const r = await cli(['generate', 'in-cluster', ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return { text: r.stdout, objs: objects(r.stdout) };
}

const of = (objs: any[], kind: string, name?: string): any => objs.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));

/** `group/resource` for every get+list rule (the read rules). */
function readable(rules: Rule[]): string[] {
  return rules.filter((r) => r.verbs.join() === 'get,list' && !r.resourceNames).flatMap((r) => r.resources.map((res) => `${r.apiGroups[0]}/${res}`)).sort();
}

function expectedReadable(checks: readonly Check[], secrets: boolean): string[] {
  return neededKinds(checks)
    .map(resourceType)
    .filter((t) => t !== undefined && (secrets || t.kind !== 'Secret'))
    .map((t) => `${t!.group}/${t!.resource}`)
    .sort();
}

const fakeCheck = (id: string, kinds: string[]): Check =>
  defineCheck({
    id,
    rung: 2,
    severity: 'low',
    title: id,
    rationale: '',
    remediation: '',
    references: [],
    needs: { kinds },
    kinds,
    evaluate: () => [],
  });

describe('generate in-cluster', () => {
  it('writes a Namespace enforcing restricted, a ServiceAccount, RBAC, two NetworkPolicies and a CronJob', async () => {
    const { text, objs } = await generate();
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/kubeladder',
      'ServiceAccount/default',
      'ServiceAccount/kubeladder-scanner',
      'ClusterRole/kubeladder-scanner',
      'ClusterRoleBinding/kubeladder-scanner',
      'NetworkPolicy/default-deny',
      'NetworkPolicy/kubeladder-scanner-egress',
      'CronJob/kubeladder-scanner',
    ]);
    expect(of(objs, 'Namespace').metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
    });
    expect(text).toMatch(/^# .*\n# Plain manifests, not a Helm chart: /);
    expect(of(objs, 'ClusterRoleBinding')).toMatchObject({
      roleRef: { kind: 'ClusterRole', name: 'kubeladder-scanner' },
      subjects: [{ kind: 'ServiceAccount', name: 'kubeladder-scanner', namespace: 'kubeladder' }],
    });
    for (const sa of objs.filter((o) => o.kind === 'ServiceAccount')) expect(sa.automountServiceAccountToken).toBe(false);
  });

  it("grants get and list on exactly the kinds the checks need, and writes only to its reports", async () => {
    const { objs } = await generate();
    const rules = of(objs, 'ClusterRole').rules as Rule[];
    expect(readable(rules)).toEqual(expectedReadable(CHECKS, false));
    expect(readable(rules)).not.toContain('/secrets');
    const writes = rules.filter((r) => r.verbs.some((v) => !['get', 'list'].includes(v)));
    expect(writes).toEqual([
      { apiGroups: ['wgpolicyk8s.io'], resources: ['policyreports', 'clusterpolicyreports'], verbs: ['get', 'list', 'create', 'update', 'patch', 'delete'] },
      { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['create'] },
    ]);
    const urls = rules.filter((r) => 'nonResourceURLs' in r);
    const metricsReaders = CHECKS.filter((c) => c.needs.inputs?.includes('apiserver-metrics'));
    expect(urls).toEqual(metricsReaders.length > 0 ? [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }] : []);
    for (const r of rules) expect(r.verbs).not.toContain('watch');
    expect(JSON.stringify(rules)).not.toContain('*');
  });

  it('derives the rules from needs.kinds: Secrets only with --read-secrets, CRD get by name unless a check reads CRDs', () => {
    const metrics = { ...fakeCheck('x/metrics', []), needs: { inputs: ['apiserver-metrics' as const] } };
    const checks = [fakeCheck('x/pods', ['Pod']), fakeCheck('x/secrets', ['Secret']), fakeCheck('x/unknown', ['FancyThing']), metrics];
    const opts = parseInClusterOptions({ namespace: 'kubeladder', schedule: '0 */6 * * *', shards: '1' });
    const without = objects(inClusterManifests(opts, checks));
    const withSecrets = objects(inClusterManifests({ ...opts, readSecrets: true }, checks));
    const rulesOf = (objs: any[]): Rule[] => of(objs, 'ClusterRole').rules;
    expect(readable(rulesOf(without))).toEqual(['/namespaces', '/pods']);
    expect(readable(rulesOf(withSecrets))).toEqual(['/namespaces', '/pods', '/secrets']);
    expect(inClusterManifests(opts, checks)).toContain('# No Secrets: x/secrets is not assessed.');
    expect(inClusterManifests({ ...opts, readSecrets: true }, checks)).toContain('RBAC cannot limit `list` to metadata: this role could read their data');
    // A check that reads the API server's metrics adds get on /metrics; without one, no such rule.
    expect(rulesOf(without)).toContainEqual({ nonResourceURLs: ['/metrics'], verbs: ['get'] });
    expect(JSON.stringify(rulesOf(objects(inClusterManifests(opts, checks.slice(0, 3)))))).not.toContain('nonResourceURLs');
    expect(rulesOf(without)).toContainEqual({
      apiGroups: ['apiextensions.k8s.io'],
      resources: ['customresourcedefinitions'],
      resourceNames: ['policyreports.wgpolicyk8s.io', 'clusterpolicyreports.wgpolicyk8s.io'],
      verbs: ['get'],
    });
  });

  it('adds Secrets with --read-secrets when a check reads them', async () => {
    const { objs, text } = await generate(['--read-secrets']);
    expect(readable(of(objs, 'ClusterRole').rules)).toEqual(expectedReadable(CHECKS, true));
    const readers = CHECKS.filter((c) => c.needs.kinds?.includes('Secret'));
    expect(readable(of(objs, 'ClusterRole').rules).includes('/secrets')).toBe(readers.length > 0);
    if (readers.length === 0) expect(text).toContain('# Secrets: no check reads them, so none are granted');
  });

  it('runs the scan in a pod that meets the restricted Pod Security Standard', async () => {
    const { objs } = await generate();
    const cron = of(objs, 'CronJob');
    expect(cron.spec).toMatchObject({ schedule: '0 */6 * * *', concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3 });
    expect(cron.spec.jobTemplate.spec.activeDeadlineSeconds).toBeGreaterThan(0);
    expect(cron.spec.jobTemplate.spec.completionMode).toBeUndefined();
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.serviceAccountName).toBe('kubeladder-scanner');
    expect(pod.automountServiceAccountToken).toBe(true);
    const [c, ...others] = pod.containers;
    expect(others).toEqual([]);
    expect(c.image).toBe(DEFAULT_IMAGE);
    expect(DEFAULT_IMAGE).toBe(`ghcr.io/kubeladder/kubeladder:${VERSION}`);
    expect(c.args).toEqual(['scan', '--cluster', '--write-reports', '--fail-on', 'none']);
    expect(c.env).toBeUndefined();
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(c.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(c.resources.limits).toMatchObject({ memory: expect.any(String) });
    expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
  });

  it('allows the scanner DNS and the API server, and denies the rest, the metadata service included', async () => {
    const { objs } = await generate();
    expect(of(objs, 'NetworkPolicy', 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const egress = of(objs, 'NetworkPolicy', 'kubeladder-scanner-egress').spec;
    expect(egress.podSelector.matchLabels).toEqual(of(objs, 'CronJob').spec.jobTemplate.spec.template.metadata.labels);
    expect(egress.policyTypes).toEqual(['Egress']);
    expect(egress.egress).toEqual([
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
      // Any address but the cloud metadata service's (IPv4 and IPv6).
      {
        to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }, { ipBlock: { cidr: '::/0', except: ['fd00:ec2::254/128'] } }],
        ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }],
      },
    ]);
  });

  it('with --shards N runs an Indexed Job of N pods, each given its shard through $(VAR) expansion', async () => {
    const { objs, text } = await generate(['--shards', '3', '--namespace', 'scanner', '--schedule', '*/30 * * * *', '--image', 'registry.example/kubeladder:9.9.9']);
    const job = of(objs, 'CronJob').spec.jobTemplate.spec;
    expect(job).toMatchObject({ completionMode: 'Indexed', completions: 3, parallelism: 3 });
    const c = job.template.spec.containers[0];
    expect(c.image).toBe('registry.example/kubeladder:9.9.9');
    expect(c.args).toEqual(['scan', '--cluster', '--write-reports', '--fail-on', 'none', '--shard', '$(KUBELADDER_SHARD)']);
    // JOB_COMPLETION_INDEX first, so that KUBELADDER_SHARD can refer to it.
    expect(c.env).toEqual([
      { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
      { name: 'KUBELADDER_SHARD', value: '$(JOB_COMPLETION_INDEX)/3' },
    ]);
    expect(of(objs, 'CronJob').spec.schedule).toBe('*/30 * * * *');
    expect(objs.filter((o) => o.metadata.namespace !== undefined).every((o) => o.metadata.namespace === 'scanner')).toBe(true);
    expect(of(objs, 'ClusterRoleBinding').subjects[0].namespace).toBe('scanner');
    expect(text.split('\n')[0]).toContain("`kubeladder generate in-cluster --namespace scanner --schedule \"*/30 * * * *\" --image registry.example/kubeladder:9.9.9 --shards 3`");
  });

  it('rejects a moving image tag, a bad namespace, schedule or shard count', async () => {
    for (const [args, msg] of [
      [['--image', 'ghcr.io/kubeladder/kubeladder'], '--image: "ghcr.io/kubeladder/kubeladder" must be pinned'],
      [['--image', 'ghcr.io/kubeladder/kubeladder:latest'], 'must be pinned by a tag other than latest'],
      [['--namespace', 'Kube_Ladder'], '--namespace: "Kube_Ladder" is not a namespace name'],
      [['--schedule', 'every hour'], '--schedule: "every hour" is not a cron schedule'],
      [['--shards', '0'], '--shards: "0" is not a whole number'],
      [['--shards', '2.5'], '--shards: "2.5" is not a whole number'],
    ] as const) {
      const r = await cli(['generate', 'in-cluster', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(msg);
    }
    const digest = await cli(['generate', 'in-cluster', '--image', `registry.example/k@sha256:${'a'.repeat(64)}`]);
    expect(digest.code).toBe(0);
  });

  it("passes kubeladder's own checks, the token mount shown as exempt with its reason", async () => {
    for (const args of [[], ['--shards', '4', '--read-secrets']]) {
      const { text } = await generate(args);
      const scan = await cli(['scan', '-', '--format', 'json', '--show-exempt', '--fail-on', 'info'], { stdin: text });
      const doc = JSON.parse(scan.stdout) as ResultsDocument;
      expect(doc.results.filter((r) => r.status === 'fail')).toEqual([]);
      expect(scan.code).toBe(0);
      const exempt = doc.results.filter((r) => r.status === 'exempt');
      // The default image is pinned by release tag; its digest is only known once published.
      expect(exempt.map((r) => `${r.check} ${r.object?.kind}/${r.object?.name}`).sort()).toEqual([
        'image/digest-pinning CronJob/kubeladder-scanner',
        'mesh/mutual-tls Namespace/kubeladder',
        'pod/automount-service-account-token CronJob/kubeladder-scanner',
      ]);
      const image = exempt.find((r) => r.check === 'image/digest-pinning')!;
      expect(image.reason).toMatch(/^annotation kubeladder\.io\/exempt: the scanner calls the Kubernetes API with this token/);
      expect(image.reason).toMatch(/pass --image ghcr\.io\/kubeladder\/kubeladder:TAG@sha256:DIGEST to pin the digest$/);
      // The scanner listens on nothing: no service-to-service traffic for a mesh to authenticate.
      expect(exempt.find((r) => r.check === 'mesh/mutual-tls')!.reason).toMatch(/nothing here listens/);
      expect(doc.summary.counts.exempt).toBe(3);
    }
    // Pinned by digest, nothing but the token (and the mesh, for a namespace where nothing listens) is exempt.
    {
      const { text } = await generate(['--image', `ghcr.io/kubeladder/kubeladder:0.1.0@sha256:${'a'.repeat(64)}`]);
      const scan = await cli(['scan', '-', '--format', 'json', '--show-exempt', '--fail-on', 'info'], { stdin: text });
      const doc = JSON.parse(scan.stdout) as ResultsDocument;
      expect(scan.code).toBe(0);
      expect(doc.results.filter((r) => r.status === 'exempt').map((r) => r.check).sort()).toEqual(['mesh/mutual-tls', 'pod/automount-service-account-token']);
    }
  });
});
