import { defineCheck, type Violation } from '../../core/check.js';
import { coverage, coverageText, isAdmissionV1, webhookDisplay, webhookEntries, WEBHOOK_KINDS, WRITES } from '../admission-support.js';

export default defineCheck({
  id: 'admission/webhook-failure-policy-ignore',
  rung: 2,
  severity: 'medium',
  title: 'Admission webhook on pods fails open (failurePolicy Ignore)',
  rationale:
    "With `failurePolicy: Ignore` the API server admits a request unchecked whenever the webhook cannot answer: it is down, overloaded, slower than its timeout, or its certificate has expired. For a webhook that enforces a pod security policy that makes the policy optional: whoever can make the webhook slow or unreachable (or just waits for an outage) gets any pod admitted, and nothing records that it was skipped. admissionregistration.k8s.io/v1 defaults to Fail, so Ignore is a choice someone wrote down. Judged for webhooks whose rules send them pods or pod templates on create or update.",
  remediation:
    'Set `failurePolicy: Fail` on the webhook, run its server with at least two replicas, a PodDisruptionBudget and readiness probes, and make the lockout that Fail risks impossible: exclude kube-system and the webhook\'s own namespace with its namespaceSelector (see admission/webhook-no-system-exclusion). Keep Ignore only for a webhook that enforces nothing, with an exemption that says so.',
  references: [
    { title: 'Kubernetes: dynamic admission control (failure policy)', url: 'https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#failure-policy' },
    { title: 'Kubernetes: admission webhook good practices (availability)', url: 'https://kubernetes.io/docs/concepts/cluster-administration/admission-webhooks-good-practices/' },
  ],
  needs: { kinds: WEBHOOK_KINDS },
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
    failurePolicy: Ignore
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
    failurePolicy: Fail
    clientConfig:
      service: {name: pod-policy, namespace: pod-policy, path: /validate}
    rules:
      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [pods]}
    namespaceSelector:
      matchExpressions:
        - {key: kubernetes.io/metadata.name, operator: NotIn, values: [kube-system, pod-policy]}
`,
  },
  evaluate: (r) => {
    const out: Violation[] = [];
    for (const e of webhookEntries(r)) {
      if (e.hook.failurePolicy !== 'Ignore') continue;
      const c = coverage(e.hook, WRITES);
      if (!c.everything && !c.pods && !c.templates) continue;
      out.push({
        path: e.path('failurePolicy'),
        message: `${webhookDisplay(r, e)} judges ${coverageText(c)} but has failurePolicy Ignore: whenever it is down, slow or unreachable the API server admits them unchecked, so its policy can be bypassed by waiting for (or causing) an outage`,
        remediation: `Set \`${e.path('failurePolicy')}: Fail\`, with at least two replicas and a PodDisruptionBudget behind it and kube-system excluded by its namespaceSelector.`,
      });
    }
    return out;
  },
});
