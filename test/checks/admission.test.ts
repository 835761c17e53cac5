/** The admission webhook checks: one finding per webhook entry, at `webhooks[i].<field>`, with messages that say what breaks. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import apiserverPlugins from '../../src/checks/admission/apiserver-admission-plugins.js';
import failurePolicyIgnore from '../../src/checks/admission/webhook-failure-policy-ignore.js';
import noSystemExclusion from '../../src/checks/admission/webhook-no-system-exclusion.js';
import reviewVersions from '../../src/checks/admission/webhook-review-versions.js';
import sideEffects from '../../src/checks/admission/webhook-side-effects.js';
import timeout from '../../src/checks/admission/webhook-timeout.js';
import url from '../../src/checks/admission/webhook-url.js';
import { failuresOf, runCheck } from '../helpers/check-tester.js';
import { ROOT } from '../helpers/cli.js';

const fixture = (id: string, file: string): string => readFileSync(join(ROOT, 'test/checks', id, file), 'utf8');

/** A v1 webhook configuration with one entry, its fields given as YAML lines. */
const hook = (kind: string, fields: string[]): string =>
  `apiVersion: admissionregistration.k8s.io/v1
kind: ${kind}
metadata: {name: policy}
webhooks:
  - name: pods.example.com
    clientConfig:
      service: {name: policy, namespace: policy, path: /validate}
${fields.map((f) => `    ${f}`).join('\n')}
`;

const POD_RULE = 'rules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [pods]}]';

describe('admission/webhook-failure-policy-ignore', () => {
  it('reports a webhook on pod templates that fails open, at its failurePolicy', async () => {
    const [f, ...rest] = await failuresOf(failurePolicyIgnore, fixture('admission/webhook-failure-policy-ignore', 'failure.templates.yaml'));
    expect(rest).toEqual([]);
    expect(f!.path).toBe('webhooks[0].failurePolicy');
    expect(f!.severity).toBe('medium');
    expect(f!.message).toBe(
      'MutatingWebhookConfiguration sidecar-policy, webhook "templates.policy.example.com" judges pod templates (deployments, jobs, ...) but has failurePolicy Ignore: whenever it is down, slow or unreachable the API server admits them unchecked, so its policy can be bypassed by waiting for (or causing) an outage',
    );
    expect(f!.remediation).toBe('Set `webhooks[0].failurePolicy: Fail`, with at least two replicas and a PodDisruptionBudget behind it and kube-system excluded by its namespaceSelector.');
  });

  it('judges each entry on its own: only the wildcard one fails', async () => {
    const f = await failuresOf(failurePolicyIgnore, fixture('admission/webhook-failure-policy-ignore', 'failure.wildcard.yaml'));
    expect(f.map((r) => r.path)).toEqual(['webhooks[1].failurePolicy']);
    expect(f[0]!.message).toContain('webhook "all.example.com" judges every resource but has failurePolicy Ignore');
  });

  it('leaves alone the v1 default (Fail), Ignore on pod deletes and on other kinds, and cluster-scoped rules', async () => {
    expect(await failuresOf(failurePolicyIgnore, hook('ValidatingWebhookConfiguration', [POD_RULE]))).toEqual([]);
    expect(await failuresOf(failurePolicyIgnore, hook('ValidatingWebhookConfiguration', ['failurePolicy: Ignore', 'rules: [{apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*"], scope: Cluster}]']))).toEqual([]);
    expect(await failuresOf(failurePolicyIgnore, hook('ValidatingWebhookConfiguration', ['failurePolicy: Ignore', 'rules: [{apiGroups: ["*"], apiVersions: ["*"], operations: [CREATE], resources: [pods/exec]}]']))).toHaveLength(1);
  });
});

describe('admission/webhook-no-system-exclusion', () => {
  it('reports a Fail webhook on pods without a namespaceSelector, naming the exact requirement to add', async () => {
    const [f, ...rest] = await failuresOf(noSystemExclusion, fixture('admission/webhook-no-system-exclusion', 'failure.no-selector.yaml'));
    expect(rest).toEqual([]);
    expect(f!.path).toBe('webhooks[0].namespaceSelector');
    expect(f!.severity).toBe('high');
    expect(f!.message).toBe(
      'ValidatingWebhookConfiguration pod-policy, webhook "pods.policy.example.com" covers pods with failurePolicy Fail and its namespaceSelector does not exclude kube-system (none set): while the webhook is down no kube-system pod (DNS, CNI, kube-proxy) can be recreated, and the cluster can lock itself out',
    );
    expect(f!.remediation).toBe('Add `{key: kubernetes.io/metadata.name, operator: NotIn, values: [kube-system, pod-policy]}` to `webhooks[0].namespaceSelector.matchExpressions`.');
  });

  it("evaluates the selector against kube-system's labels from the input, or its name label alone", async () => {
    const f = await failuresOf(noSystemExclusion, fixture('admission/webhook-no-system-exclusion', 'failure.kube-system-labelled.yaml'));
    expect(f.map((r) => r.path)).toEqual(['webhooks[0].namespaceSelector']);
    expect(f[0]!.message).toContain('covers every resource with failurePolicy Fail and its namespaceSelector does not exclude kube-system (it matches kube-system as the input defines it)');
    const optIn = hook('ValidatingWebhookConfiguration', [POD_RULE, 'namespaceSelector: {matchLabels: {policy: enforced}}']);
    expect(await failuresOf(noSystemExclusion, optIn)).toEqual([]);
    const optOut = hook('ValidatingWebhookConfiguration', [POD_RULE, 'namespaceSelector: {matchExpressions: [{key: policy, operator: DoesNotExist}]}']);
    expect((await failuresOf(noSystemExclusion, optOut))[0]!.message).toContain('(it matches kube-system, taken to carry only its kubernetes.io/metadata.name label)');
    // Ignore cannot lock the cluster out.
    expect(await failuresOf(noSystemExclusion, hook('ValidatingWebhookConfiguration', [POD_RULE, 'failurePolicy: Ignore']))).toEqual([]);
  });
});

describe('admission/webhook-timeout', () => {
  it('reports timeoutSeconds above 10 only', async () => {
    const f = await failuresOf(timeout, fixture('admission/webhook-timeout', 'failure.thirty.yaml'));
    expect(f.map((r) => [r.path, r.severity])).toEqual([['webhooks[1].timeoutSeconds', 'low']]);
    expect(f[0]!.message).toBe(
      'ValidatingWebhookConfiguration slow, webhook "slow.example.com" has timeoutSeconds 30: while the webhook is slow or down, every request it covers waits 30s before failing (or being admitted), above the 10s default',
    );
    expect(f[0]!.remediation).toBe('Set `webhooks[1].timeoutSeconds: 5` (at most 10).');
  });
});

describe('admission/webhook-side-effects', () => {
  it('reports Unknown, Some and an unset sideEffects', async () => {
    const f = await failuresOf(sideEffects, fixture('admission/webhook-side-effects', 'failure.unknown-and-unset.yaml'));
    expect(f.map((r) => r.path)).toEqual(['webhooks[0].sideEffects', 'webhooks[1].sideEffects']);
    expect(f[0]!.message).toBe(
      'MutatingWebhookConfiguration old-style, webhook "unknown.example.com" has sideEffects "Unknown": admissionregistration.k8s.io/v1 accepts only None or NoneOnDryRun, so the API server rejects this object, and a webhook with side effects breaks dry runs of what it covers',
    );
    expect(f[1]!.message).toContain('webhook "unset.example.com" does not set sideEffects:');
    expect(await failuresOf(sideEffects, hook('ValidatingWebhookConfiguration', ['sideEffects: Some']))).toHaveLength(1);
  });

  it('skips v1beta1 objects, which had other rules and defaults', async () => {
    const r = await runCheck(sideEffects, fixture('admission/webhook-side-effects', 'success.none.yaml'));
    expect(r.map((x) => `${x.status} ${x.object?.name}`)).toEqual(['pass fine']);
  });
});

describe('admission/webhook-review-versions', () => {
  it('reports v1beta1 listed (first or not) and v1 missing', async () => {
    const [first] = await failuresOf(reviewVersions, fixture('admission/webhook-review-versions', 'failure.v1beta1-first.yaml'));
    expect(first!.path).toBe('webhooks[0].admissionReviewVersions');
    expect(first!.message).toBe('ValidatingWebhookConfiguration legacy, webhook "legacy.example.com" has admissionReviewVersions [v1beta1, v1]: the API server sends the deprecated v1beta1 first');
    const f = await failuresOf(reviewVersions, fixture('admission/webhook-review-versions', 'failure.no-v1.yaml'));
    expect(f.map((r) => r.message)).toEqual([
      'MutatingWebhookConfiguration legacy, webhook "beta-only.example.com" has admissionReviewVersions [v1beta1]: the API server sends the deprecated v1beta1 first, and v1 is missing',
      'MutatingWebhookConfiguration legacy, webhook "unset.example.com" does not set admissionReviewVersions (required in admissionregistration.k8s.io/v1)',
    ]);
    expect((await failuresOf(reviewVersions, hook('ValidatingWebhookConfiguration', ['admissionReviewVersions: [v1, v1beta1]'])))[0]!.message).toContain(': it still accepts the deprecated v1beta1');
    expect(f[0]!.remediation).toBe('Set `webhooks[0].admissionReviewVersions: [v1]`.');
  });
});

describe('admission/webhook-url', () => {
  it('reports clientConfig.url, naming the host but never credentials or query', async () => {
    const f = await failuresOf(url, fixture('admission/webhook-url', 'failure.external.yaml'));
    expect(f.map((r) => [r.path, r.severity])).toEqual([['webhooks[0].clientConfig.url', 'medium']]);
    expect(f[0]!.message).toBe(
      'ValidatingWebhookConfiguration saas-policy, webhook "policy.saas.example.com" is called by URL at host policy.saas.example.com:8443: the API server sends every request it covers there rather than to a Service in the cluster, so that traffic leaves the Service network and the webhook depends on that host',
    );
    expect(f[0]!.remediation).toBe('Replace `webhooks[0].clientConfig.url` with `clientConfig.service: {namespace: <ns>, name: <service>, path: /validate, port: 443}` pointing at the webhook server run in the cluster.');
    const all = JSON.stringify(f);
    expect(all).not.toContain('hunter2');
    expect(all).not.toContain('token=abc');
  });
});

describe('admission/apiserver-admission-plugins', () => {
  it('names each weakened plugin at the flag that weakens it', async () => {
    const yaml = readFileSync(new URL('./admission/apiserver-admission-plugins/failure.always-admit-podsecurity-off.yaml', import.meta.url), 'utf8');
    const f = await failuresOf(apiserverPlugins, yaml);
    expect(f.map((r) => [r.path, r.message])).toEqual([
      ['spec.containers[0].command[1]', 'NodeRestriction is not in --enable-admission-plugins (AlwaysAdmit): a kubelet\'s credential may change any Node and any pod, not only its own'],
      ['spec.containers[0].command[1]', 'AlwaysAdmit is in --enable-admission-plugins: every request is admitted whatever the other plugins say'],
      ['spec.containers[0].command[3]', "PodSecurity is in --disable-admission-plugins: the namespaces' pod-security.kubernetes.io/enforce labels are not enforced"],
    ]);
    expect(f[0]!.remediation).toBe('Add NodeRestriction to --enable-admission-plugins (--enable-admission-plugins=AlwaysAdmit,NodeRestriction).');
  });
});
