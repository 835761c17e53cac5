import { defineCheck, type Violation } from '../../core/check.js';
import { isAdmissionV1, webhookDisplay, webhookEntries, WEBHOOK_KINDS } from '../admission-support.js';

export default defineCheck({
  id: 'admission/webhook-review-versions',
  rung: 2,
  severity: 'low',
  title: 'Admission webhook accepts AdmissionReview v1beta1 or not v1',
  rationale:
    "admissionReviewVersions lists the AdmissionReview versions the webhook understands, in order of preference; the API server sends the first one it supports. v1 has been served since Kubernetes 1.16 and v1beta1 is deprecated: a webhook that still lists v1beta1 runs on old, less tested code paths (its patch and response fields differ), and one without v1 depends on the API server still speaking v1beta1. admissionregistration.k8s.io/v1 requires the field.",
  remediation: 'Set `admissionReviewVersions: [v1]` once the webhook server answers v1 AdmissionReviews (every maintained webhook does).',
  references: [
    { title: 'Kubernetes: dynamic admission control (request and response versions)', url: 'https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#request' },
  ],
  needs: { kinds: WEBHOOK_KINDS },
  kinds: WEBHOOK_KINDS,
  appliesTo: isAdmissionV1,
  examples: {
    bad: `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: legacy}
webhooks:
  - name: legacy.example.com
    admissionReviewVersions: [v1beta1, v1]
    sideEffects: None
    clientConfig:
      service: {name: legacy, namespace: legacy, path: /validate}
`,
    good: `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: legacy}
webhooks:
  - name: legacy.example.com
    admissionReviewVersions: [v1]
    sideEffects: None
    clientConfig:
      service: {name: legacy, namespace: legacy, path: /validate}
`,
  },
  evaluate: (r) => {
    const out: Violation[] = [];
    for (const e of webhookEntries(r)) {
      const raw = e.hook.admissionReviewVersions;
      const versions = Array.isArray(raw) ? raw.map(String) : [];
      const old = versions.includes('v1beta1');
      const v1 = versions.includes('v1');
      if (v1 && !old) continue;
      const problems = [
        ...(old ? [versions[0] === 'v1beta1' ? 'the API server sends the deprecated v1beta1 first' : 'it still accepts the deprecated v1beta1'] : []),
        ...(!v1 ? ['v1 is missing'] : []),
      ];
      const what =
        versions.length === 0
          ? 'does not set admissionReviewVersions (required in admissionregistration.k8s.io/v1)'
          : `has admissionReviewVersions [${versions.join(', ')}]: ${problems.join(', and ')}`;
      out.push({ path: e.path('admissionReviewVersions'), message: `${webhookDisplay(r, e)} ${what}`, remediation: `Set \`${e.path('admissionReviewVersions')}: [v1]\`.` });
    }
    return out;
  },
});
