#!/usr/bin/env node
// Generates a realistic manifest corpus for the scan benchmark: Deployments with full
// pod specs, Services, RBAC and NetworkPolicies spread over namespaces. Deterministic
// (seeded), so every run and every machine times the same bytes.
import { mkdirSync, createWriteStream } from 'node:fs';
import { dirname } from 'node:path';

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function deployment(i, ns, r) {
  const app = `app-${i}`;
  const insecure = r() < 0.3;
  const tag = r() < 0.1 ? 'latest' : `1.${i % 40}.${i % 7}`;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${app}
    team: team-${i % 13}
spec:
  replicas: ${1 + (i % 3)}
  selector:
    matchLabels:
      app.kubernetes.io/name: ${app}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${app}
    spec:
      serviceAccountName: ${r() < 0.5 ? app : 'default'}
      automountServiceAccountToken: ${insecure ? 'true' : 'false'}
      securityContext:
        runAsNonRoot: true
        runAsUser: ${10000 + (i % 1000)}
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: ${app}
          image: registry.example.com/shop/${app}:${tag}
          ports:
            - {name: http, containerPort: 8080}
          env:
            - {name: APP_NAME, value: ${app}}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: 500m, memory: 256Mi}
          readinessProbe:
            httpGet: {path: /ready, port: http}
          securityContext:
            privileged: ${insecure && r() < 0.2 ? 'true' : 'false'}
            allowPrivilegeEscalation: ${insecure ? 'true' : 'false'}
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
`;
}

function service(i, ns) {
  return `apiVersion: v1
kind: Service
metadata:
  name: app-${i}
  namespace: ${ns}
spec:
  selector:
    app.kubernetes.io/name: app-${i}
  ports:
    - name: http
      port: 80
      targetPort: http
`;
}

function rbac(i, ns) {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: app-${i}
  namespace: ${ns}
rules:
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: app-${i}
  namespace: ${ns}
subjects:
  - kind: ServiceAccount
    name: app-${i}
    namespace: ${ns}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: app-${i}
`;
}

function networkPolicy(ns) {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: ${ns}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`;
}

/** Writes `deployments` Deployments (plus a Service per Deployment, RBAC for every fifth
 * and a default-deny policy in most namespaces) to `file`; resolves when flushed. */
export function generate(file, deployments, { seed = 42 } = {}) {
  mkdirSync(dirname(file), { recursive: true });
  const r = rng(seed);
  const out = createWriteStream(file);
  const namespaces = Math.max(1, Math.round(deployments / 50));
  for (let n = 0; n < namespaces; n++) {
    const ns = `team-${n}`;
    out.write(`---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n`);
    if (n % 10 !== 0) out.write(`---\n${networkPolicy(ns)}`);
  }
  for (let i = 0; i < deployments; i++) {
    const ns = `team-${i % namespaces}`;
    out.write(`---\n${deployment(i, ns, r)}`);
    out.write(`---\n${service(i, ns)}`);
    if (i % 5 === 0) out.write(`---\n${rbac(i, ns)}`);
  }
  return new Promise((resolve, reject) => {
    out.on('error', reject);
    out.end(resolve);
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file = 'bench/corpus/10k.yaml', count = '10000'] = process.argv.slice(2);
  await generate(file, Number(count));
  console.log(`wrote ${file}`);
}
