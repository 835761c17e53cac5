import { defineCheck, type Violation } from '../../core/check.js';
import { selectorMatches } from '../../engines/labels/selector.js';
import { coverage, coverageText, failurePolicyOf, isAdmissionV1, webhookDisplay, webhookEntries, WEBHOOK_KINDS } from '../admission-support.js';

const NAME_LABEL = 'kubernetes.io/metadata.name';

export default defineCheck({
  id: 'admission/webhook-no-system-exclusion',
  rung: 2,
  severity: 'high',
  title: 'Admission webhook on pods does not exclude kube-system',
  rationale:
    "A webhook with `failurePolicy: Fail` (the v1 default) rejects every request it covers while its server is down. If it covers pods in kube-system, an outage of the webhook stops the cluster's own components from being recreated: a CoreDNS, CNI or kube-proxy pod that restarts is rejected, and if the webhook's own pods are covered too, nothing can bring it back: the cluster locks itself out until someone deletes the webhook configuration. The namespaceSelector is the way out: a selector that does not match kube-system keeps it out of the webhook's reach (the API server never sends it requests about webhook configurations, so those can always be deleted). kube-system's labels are taken from the input when it has the Namespace, otherwise it is assumed to carry only its `kubernetes.io/metadata.name` label. Judged for webhooks that cover pods or every resource.",
  remediation:
    'Add to the webhook\'s `namespaceSelector.matchExpressions` the requirement `{key: kubernetes.io/metadata.name, operator: NotIn, values: [kube-system, <the webhook\'s own namespace>]}`; `failurePolicy: Ignore` avoids the lockout too, but makes the webhook optional (admission/webhook-failure-policy-ignore).',
  references: [
    { title: 'Kubernetes: admission webhook good practices (avoiding operating on kube-system)', url: 'https://kubernetes.io/docs/concepts/cluster-administration/admission-webhooks-good-practices/#avoiding-operating-on-the-kube-system-namespace' },
    { title: 'Kubernetes: dynamic admission control (matching requests: namespaceSelector)', url: 'https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#matching-requests-namespaceselector' },
  ],
  needs: { kinds: [...WEBHOOK_KINDS, 'Namespace'] },
  kinds: WEBHOOK_KINDS,
  appliesTo: isAdmissionV1,
  examples: {
    bad: `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: pod-policy}
webhooks:
  - name: pods.policy.example.com
    admissionReviewVersions: [v1]
    sideEffects: None
    clientConfig:
      service: {name: pod-policy, namespace: pod-policy, path: /validate}
    rules:
      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [pods]}
`,
    good: `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: pod-policy}
webhooks:
  - name: pods.policy.example.com
    admissionReviewVersions: [v1]
    sideEffects: None
    clientConfig:
      service: {name: pod-policy, namespace: pod-policy, path: /validate}
    rules:
      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [pods]}
    namespaceSelector:
      matchExpressions:
        - {key: kubernetes.io/metadata.name, operator: NotIn, values: [kube-system, pod-policy]}
`,
  },
  evaluate: (r, { inventory }) => {
    const ns = inventory.find('', 'Namespace', undefined, 'kube-system');
    const labels = { ...(ns?.labels ?? {}), [NAME_LABEL]: 'kube-system' };
    const out: Violation[] = [];
    for (const e of webhookEntries(r)) {
      if (failurePolicyOf(e.hook) !== 'Fail') continue;
      const c = coverage(e.hook);
      if (!c.everything && !c.pods) continue;
      // An unset namespaceSelector is `{}`: every namespace.
      const selector = e.hook.namespaceSelector ?? {};
      if (!selectorMatches(selector, labels)) continue;
      const set = e.hook.namespaceSelector === undefined || e.hook.namespaceSelector === null ? 'none set' : ns ? 'it matches kube-system as the input defines it' : 'it matches kube-system, taken to carry only its kubernetes.io/metadata.name label';
      const own = (e.hook.clientConfig as { service?: { namespace?: unknown } } | undefined)?.service?.namespace;
      const values = ['kube-system', ...(typeof own === 'string' && own !== 'kube-system' ? [own] : [])];
      out.push({
        path: e.path('namespaceSelector'),
        message: `${webhookDisplay(r, e)} covers ${coverageText(c)} with failurePolicy Fail and its namespaceSelector does not exclude kube-system (${set}): while the webhook is down no kube-system pod (DNS, CNI, kube-proxy) can be recreated, and the cluster can lock itself out`,
        remediation: `Add \`{key: ${NAME_LABEL}, operator: NotIn, values: [${values.join(', ')}]}\` to \`${e.path('namespaceSelector.matchExpressions')}\`.`,
      });
    }
    return out;
  },
});
