#!/usr/bin/env node
// Generates a realistic manifest corpus for the scan benchmark: Deployments with full pod
// specs (securityContext, resources, probes, env, ports; about 760 bytes each), a Service for
// each, RBAC for every fifth and a default-deny NetworkPolicy in most namespaces. Block style,
// with the small maps and lists in flow style as people write them by hand; the fields the
// checks report on stay in block style. Deterministic (seeded), so every run and every machine
// times the same bytes: 10,000 Deployments come to 24,380 objects and 10.2 MB (9.8 MiB).
//
// Some objects fail checks on purpose: ~30% of pods keep their service-account token
// (automountServiceAccountToken: true or unset), ~6% run a privileged container, ~10% use
// a :latest image, and every tenth namespace has no default-deny policy.
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
  const privileged = insecure && r() < 0.2;
  // Insecure pods either ask for the token or say nothing (and so get it by default).
  const automount = insecure ? (i % 2 ? '      automountServiceAccountToken: true\n' : '') : '      automountServiceAccountToken: false\n';
  // A third leave replicas at its default (1); half run as the namespace's default service account.
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: ${ns}
  labels: {app: ${app}}
spec:
${i % 3 ? `  replicas: ${1 + (i % 3)}\n` : ''}  selector:
    matchLabels: {app: ${app}}
  template:
    metadata:
      labels: {app: ${app}}
    spec:
${r() < 0.5 ? `      serviceAccountName: ${app}\n` : ''}${automount}      securityContext: {runAsNonRoot: true}
      containers:
      - name: main
        image: ghcr.io/acme/${app}:${tag}
        ports: [{name: http, containerPort: 8080}]
        env: [{name: LOG_LEVEL, value: ${i % 4 ? 'info' : 'debug'}}]
        resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 256Mi}}
        readinessProbe: {httpGet: {path: /ready, port: http}}
        securityContext:
${privileged ? '          privileged: true\n' : ''}          allowPrivilegeEscalation: ${insecure}
          capabilities: {drop: [ALL]}
`;
}

function service(i, ns) {
  return `apiVersion: v1
kind: Service
metadata:
  name: app-${i}
  namespace: ${ns}
spec:
  selector: {app: app-${i}}
  ports: [{name: http, port: 80, targetPort: http}]
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
subjects: [{kind: ServiceAccount, name: app-${i}}]
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
 * and a default-deny policy in most namespaces) to `file`; resolves to the object count
 * once flushed. */
export function generate(file, deployments, { seed = 42 } = {}) {
  mkdirSync(dirname(file), { recursive: true });
  const r = rng(seed);
  const out = createWriteStream(file);
  const namespaces = Math.max(1, Math.round(deployments / 50));
  let objects = 0;
  for (let n = 0; n < namespaces; n++) {
    const ns = `team-${n}`;
    out.write(`---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n`);
    objects++;
    if (n % 10 !== 0) {
      out.write(`---\n${networkPolicy(ns)}`);
      objects++;
    }
  }
  // Written in batches: one write per object would spend most of the time in the stream.
  let batch = '';
  for (let i = 0; i < deployments; i++) {
    const ns = `team-${i % namespaces}`;
    batch += `---\n${deployment(i, ns, r)}---\n${service(i, ns)}`;
    objects += 2;
    if (i % 5 === 0) {
      batch += `---\n${rbac(i, ns)}`;
      objects += 2;
    }
    if (batch.length > 1 << 20) {
      out.write(batch);
      batch = '';
    }
  }
  out.write(batch);
  return new Promise((resolve, reject) => {
    out.on('error', reject);
    out.end(() => resolve(objects));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file = 'bench/corpus/10k.yaml', count = '10000'] = process.argv.slice(2);
  const objects = await generate(file, Number(count));
  console.log(`wrote ${file} (${objects} objects)`);
}
