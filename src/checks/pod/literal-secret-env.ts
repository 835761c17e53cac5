import { defineCheck, type Violation } from '../../core/check.js';
import { joinPath } from '../../core/path.js';
import { nonSecretValue, secretWordOf } from '../../engines/secrets/names.js';
import { POD_KINDS, WORKLOAD_SCOPE, containersOf, describeContainer, podSpecOf } from '../../engines/workloads/pod-specs.js';

export default defineCheck({
  id: 'pod/literal-secret-env',
  rung: 2,
  severity: 'high',
  title: 'Secret written as a literal env value',
  rationale:
    'An env value written in the manifest sits in plain text in git, in every rendered chart, in the API server and etcd, and in the output of `kubectl get -o yaml` for anyone who can read the workload, with none of the access control, encryption at rest or rotation a Secret gets. A name is taken for a secret\'s when a word of it (split on `_`, `-`, `.` and camelCase) is PASSWORD, PASSWD, PASSPHRASE, SECRET, TOKEN, APIKEY, CREDENTIAL(S), CREDS or KEY anywhere, or PASS, PWD, AUTH, AUTHORIZATION or PRIVATE as its last word; KEY after CACHE, SORT, PARTITION, PUBLIC and the like is a lookup key, and a later word such as FILE, PATH, NAME, ID, URL, PREFIX, TTL, HEADER or ENABLED means the entry only names or describes the secret (DB_PASSWORD_FILE, AWS_ACCESS_KEY_ID, CACHE_KEY_PREFIX). Values that are a switch (true, false), an absolute file path or only `$(VAR)`/`${VAR}` references are not secrets. Values are never printed.',
  remediation: 'Move the value into a Secret and read it with `valueFrom.secretKeyRef` (or mount the Secret as a file); rotate it, since it has been in plain text.',
  references: [
    { title: 'Kubernetes: using Secrets as environment variables', url: 'https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables' },
    { title: 'Kubernetes: good practices for Secrets', url: 'https://kubernetes.io/docs/concepts/security/secrets-good-practices/' },
  ],
  needs: { kinds: POD_KINDS },
  ...WORKLOAD_SCOPE,
  examples: {
    bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: registry.example.com/shop/api:1.9.0
          env:
            - name: DB_PASSWORD
              value: hunter2
`,
    good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: registry.example.com/shop/api:1.9.0
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {name: db-credentials, key: password}
`,
  },
  evaluate: (r) => {
    const pod = podSpecOf(r);
    if (!pod) return [];
    const out: Violation[] = [];
    for (const c of containersOf(pod)) {
      const env = c.container.env;
      if (!Array.isArray(env)) continue;
      env.forEach((e: unknown, i: number) => {
        if (typeof e !== 'object' || e === null) return;
        const { name, value } = e as { name?: unknown; value?: unknown };
        if (typeof name !== 'string') return;
        // An unquoted number in YAML is a literal too (the API server rejects it, but it was written down).
        if (typeof value !== 'string' && typeof value !== 'number') return;
        const text = String(value);
        if (text === '' || nonSecretValue(text) !== undefined) return;
        const word = secretWordOf(name);
        if (!word) return;
        out.push({
          path: joinPath(c.path, `env[${i}].value`),
          message: `${describeContainer(c)} sets ${name} to a literal value, and its name says it holds a secret (${word}); the value is in plain text wherever the manifest is`,
          remediation: `Put the value in a Secret and use \`valueFrom.secretKeyRef\` for ${name}; rotate it, since it has been in plain text.`,
        });
      });
    }
    return out;
  },
});
