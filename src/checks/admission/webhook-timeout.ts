import { defineCheck, type Violation } from '../../core/check.js';
import { isAdmissionV1, webhookDisplay, webhookEntries, WEBHOOK_KINDS } from '../admission-support.js';

const LIMIT = 10;

export default defineCheck({
  id: 'admission/webhook-timeout',
  rung: 2,
  severity: 'low',
  title: 'Admission webhook timeout above 10 seconds',
  rationale:
    "timeoutSeconds is how long the API server waits for the webhook on every request it covers (1 to 30, default 10 in admissionregistration.k8s.io/v1). A slow or hanging webhook with a long timeout holds each of those requests, and the API server's capacity with them, for that long, and since webhooks run one after another, long timeouts add up past the clients' own deadlines: requests fail slowly instead of quickly. The good-practice guide recommends a small timeout, well below 10 seconds.",
  remediation: 'Set `timeoutSeconds` to 10 or less (5 is usual for a policy webhook) and make the webhook answer within it.',
  references: [
    { title: 'Kubernetes: dynamic admission control (timeouts)', url: 'https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#timeouts' },
    { title: 'Kubernetes: admission webhook good practices (set a small request timeout)', url: 'https://kubernetes.io/docs/concepts/cluster-administration/admission-webhooks-good-practices/#set-a-small-request-timeout-using-a-policy' },
  ],
  needs: { kinds: WEBHOOK_KINDS },
  kinds: WEBHOOK_KINDS,
  appliesTo: isAdmissionV1,
  examples: {
    bad: `apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: defaults}
webhooks:
  - name: defaults.example.com
    admissionReviewVersions: [v1]
    sideEffects: None
    timeoutSeconds: 30
    clientConfig:
      service: {name: defaults, namespace: defaults, path: /mutate}
`,
    good: `apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: defaults}
webhooks:
  - name: defaults.example.com
    admissionReviewVersions: [v1]
    sideEffects: None
    timeoutSeconds: 5
    clientConfig:
      service: {name: defaults, namespace: defaults, path: /mutate}
`,
  },
  evaluate: (r) => {
    const out: Violation[] = [];
    for (const e of webhookEntries(r)) {
      const t = e.hook.timeoutSeconds;
      if (typeof t !== 'number' || t <= LIMIT) continue;
      out.push({
        path: e.path('timeoutSeconds'),
        message: `${webhookDisplay(r, e)} has timeoutSeconds ${t}: while the webhook is slow or down, every request it covers waits ${t}s before failing (or being admitted), above the ${LIMIT}s default`,
        remediation: `Set \`${e.path('timeoutSeconds')}: 5\` (at most ${LIMIT}).`,
      });
    }
    return out;
  },
});
