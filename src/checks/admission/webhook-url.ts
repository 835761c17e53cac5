import { defineCheck, type Violation } from '../../core/check.js';
import { isAdmissionV1, webhookDisplay, webhookEntries, WEBHOOK_KINDS } from '../admission-support.js';

function parts(url: string): { host: string; path: string } {
  try {
    const u = new URL(url);
    return { host: u.host || url, path: u.pathname || '/' };
  } catch {
    return { host: url, path: '/' };
  }
}

export default defineCheck({
  id: 'admission/webhook-url',
  rung: 2,
  severity: 'medium',
  title: 'Admission webhook called by URL, not through a Service',
  rationale:
    "`clientConfig.url` makes the API server send every request the webhook covers (the full objects, Secrets too if it covers them) to whatever host the URL names, usually outside the cluster: past the Service network and the NetworkPolicies that guard it, through DNS that decides where it goes, and to a server the cluster's owners may not run. Its availability then rests on that path too, which matters with failurePolicy Fail. `clientConfig.service` keeps the traffic to a Service in the cluster, authenticated by the caBundle.",
  remediation: 'Run the webhook server in the cluster and point `clientConfig.service` (namespace, name, path, port) at its Service instead of `clientConfig.url`; if it must stay outside, make sure the URL is HTTPS to a host you control and keep caBundle pinned to its CA.',
  references: [
    { title: 'Kubernetes: dynamic admission control (contacting the webhook: URL and service reference)', url: 'https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#contacting-the-webhook' },
  ],
  needs: { kinds: WEBHOOK_KINDS },
  kinds: WEBHOOK_KINDS,
  appliesTo: isAdmissionV1,
  examples: {
    bad: `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: saas-policy}
webhooks:
  - name: policy.saas.example.com
    admissionReviewVersions: [v1]
    sideEffects: None
    clientConfig:
      url: https://policy.saas.example.com/validate
`,
    good: `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: saas-policy}
webhooks:
  - name: policy.saas.example.com
    admissionReviewVersions: [v1]
    sideEffects: None
    clientConfig:
      service: {name: policy, namespace: policy, path: /validate, port: 443}
`,
  },
  // The message names the host only: a URL may carry credentials in its user info or query.
  evaluate: (r) => {
    const out: Violation[] = [];
    for (const e of webhookEntries(r)) {
      const url = (e.hook.clientConfig as { url?: unknown } | undefined)?.url;
      if (typeof url !== 'string' || url === '') continue;
      out.push({
        path: e.path('clientConfig.url'),
        message: `${webhookDisplay(r, e)} is called by URL at host ${parts(url).host}: the API server sends every request it covers there rather than to a Service in the cluster, so that traffic leaves the Service network and the webhook depends on that host`,
        remediation: `Replace \`${e.path('clientConfig.url')}\` with \`clientConfig.service: {namespace: <ns>, name: <service>, path: ${parts(url).path}, port: 443}\` pointing at the webhook server run in the cluster.`,
      });
    }
    return out;
  },
});
