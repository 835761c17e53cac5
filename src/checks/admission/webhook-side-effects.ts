import { defineCheck, type Violation } from '../../core/check.js';
import { isAdmissionV1, webhookDisplay, webhookEntries, WEBHOOK_KINDS } from '../admission-support.js';

const SAFE = ['None', 'NoneOnDryRun'];

export default defineCheck({
  id: 'admission/webhook-side-effects',
  rung: 2,
  severity: 'low',
  title: 'Admission webhook does not declare sideEffects None',
  rationale:
    "sideEffects tells the API server whether calling the webhook changes anything besides the object under review. Only `None` and `NoneOnDryRun` promise that it does not; admissionregistration.k8s.io/v1 requires one of them and rejects the object otherwise (`Some` and `Unknown` are v1beta1 values). A webhook that may have side effects breaks dry runs (`kubectl apply --dry-run=server` and `kubectl diff` are rejected on what it covers) and changes state out of band on requests that a later admission step rejects.",
  remediation: 'Set `sideEffects: None` (or `NoneOnDryRun` if the webhook suppresses its side effects on requests with `dryRun: true`), and move any side effect out of the webhook, into a controller.',
  references: [
    { title: 'Kubernetes: dynamic admission control (side effects)', url: 'https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#side-effects' },
  ],
  needs: { kinds: WEBHOOK_KINDS },
  kinds: WEBHOOK_KINDS,
  appliesTo: isAdmissionV1,
  examples: {
    bad: `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: audit-hook}
webhooks:
  - name: audit.example.com
    admissionReviewVersions: [v1]
    sideEffects: Some
    clientConfig:
      service: {name: audit-hook, namespace: audit, path: /validate}
`,
    good: `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: audit-hook}
webhooks:
  - name: audit.example.com
    admissionReviewVersions: [v1]
    sideEffects: NoneOnDryRun
    clientConfig:
      service: {name: audit-hook, namespace: audit, path: /validate}
`,
  },
  evaluate: (r) => {
    const out: Violation[] = [];
    for (const e of webhookEntries(r)) {
      const s = e.hook.sideEffects;
      if (typeof s === 'string' && SAFE.includes(s)) continue;
      const what = s === undefined || s === null ? 'does not set sideEffects' : `has sideEffects ${JSON.stringify(s)}`;
      out.push({
        path: e.path('sideEffects'),
        message: `${webhookDisplay(r, e)} ${what}: admissionregistration.k8s.io/v1 accepts only None or NoneOnDryRun, so the API server rejects this object, and a webhook with side effects breaks dry runs of what it covers`,
        remediation: `Set \`${e.path('sideEffects')}: None\` (or NoneOnDryRun), keeping side effects out of the webhook.`,
      });
    }
    return out;
  },
});
