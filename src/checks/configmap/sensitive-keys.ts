import { defineCheck, type Violation } from '../../core/check.js';
import { formatPath } from '../../core/path.js';
import { nonSecretValue, secretWordOf } from '../../engines/secrets/names.js';

export default defineCheck({
  id: 'configmap/sensitive-keys',
  rung: 2,
  severity: 'medium',
  title: 'Secret-looking key in a ConfigMap',
  rationale:
    'ConfigMaps are for configuration anyone may read: they are not encrypted at rest, RBAC roles hand out `get configmaps` freely (the built-in view role does), and they show in `kubectl describe`. A key named like a password, token or private key (by the same word rule as pod/literal-secret-env: DB_PASSWORD, api-token, tls.key, credentials.json, id_rsa, .htpasswd) with a value in `data` or `binaryData` puts that secret in plain sight. Values under such a name that are a switch (true, false), an absolute file path (`/etc/tls/tls.key` names a file, it does not hold a key) or only `${VAR}`/`$(VAR)` references are not secrets. Values are never printed.',
  remediation: 'Move the value to a Secret (mounted as a file or read through `secretKeyRef`), keep only non-secret settings in the ConfigMap, and rotate the secret, since it has been readable.',
  references: [
    { title: 'Kubernetes: ConfigMaps (not for confidential data)', url: 'https://kubernetes.io/docs/concepts/configuration/configmap/' },
    { title: 'Kubernetes: good practices for Secrets', url: 'https://kubernetes.io/docs/concepts/security/secrets-good-practices/' },
  ],
  needs: { kinds: ['ConfigMap'] },
  kinds: ['ConfigMap'],
  examples: {
    bad: `apiVersion: v1
kind: ConfigMap
metadata: {name: api-config, namespace: shop}
data:
  LOG_LEVEL: info
  STRIPE_API_KEY: sk_test_not_a_real_key
`,
    good: `apiVersion: v1
kind: ConfigMap
metadata: {name: api-config, namespace: shop}
data:
  LOG_LEVEL: info
  STRIPE_API_KEY_FILE: /etc/stripe/api-key
`,
  },
  evaluate: (r) => {
    if (r.group !== '') return [];
    const out: Violation[] = [];
    for (const field of ['data', 'binaryData'] as const) {
      const map = r.obj[field];
      if (typeof map !== 'object' || map === null || Array.isArray(map)) continue;
      for (const [key, value] of Object.entries(map as Record<string, unknown>)) {
        if (typeof value !== 'string' && typeof value !== 'number') continue;
        const text = String(value);
        if (text.trim() === '') continue;
        // binaryData is base64 of arbitrary bytes: no value there is plainly harmless.
        if (field === 'data' && nonSecretValue(text) !== undefined) continue;
        const word = secretWordOf(key);
        if (!word) continue;
        out.push({
          path: formatPath([field, key]),
          message: `ConfigMap key "${key}" (${field}) is named like a secret (${word}) and holds a value that anyone who can read ConfigMaps in namespace "${r.namespace ?? ''}" can read`,
          remediation: `Move "${key}" into a Secret and mount or reference it from there; rotate the value, since it has been readable.`,
        });
      }
    }
    return out;
  },
});
