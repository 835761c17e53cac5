// Realistic AdmissionReviews for the webhook benchmark: CREATE of a Pod a Deployment's
// ReplicaSet made (ownerReferences, pod-template-hash, generateName), two containers (an app and
// a sidecar) with probes, resources, securityContext, env, volume mounts, and the volumes a
// cluster adds (projected service account token, ConfigMap, Secret, emptyDir). About 4 KB each (compact JSON).
// Seeded (bench/lib.mjs mulberry32), so every machine sends the same bodies.
//
// Variants rotate: most pods are hardened (admitted by the bench's policy, which enforces every
// pod check and PSS restricted); one in `DENIED_EVERY` drops some of that hardening (runs as
// root, privilege escalation allowed, no seccomp profile), so the deny path and its longer
// answers are exercised too.
import { mulberry32 } from '../lib.mjs';

export const DENIED_EVERY = 4;
/** The apps; each pod runs as the ServiceAccount named after its app (the cluster phase creates them). */

export const APPS = ['checkout', 'cart', 'payments', 'catalogue', 'search', 'orders', 'shipping', 'accounts'];
const TEAMS = ['shop', 'platform', 'data', 'growth'];
const hex = (rnd, n) => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join('');
const alnum = (rnd, n) => Array.from({ length: n }, () => 'bcdfghjklmnpqrstvwxz2456789'[Math.floor(rnd() * 27)]).join('');
const uuid = (rnd) => `${hex(rnd, 8)}-${hex(rnd, 4)}-4${hex(rnd, 3)}-a${hex(rnd, 3)}-${hex(rnd, 12)}`;

/** A hardened container's securityContext; `weak` leaves out what the restricted profile needs. */
function securityContext(weak) {
  if (weak) return { allowPrivilegeEscalation: true, runAsUser: 0, capabilities: { add: ['NET_BIND_SERVICE'] } };
  return { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, capabilities: { drop: ['ALL'] } };
}

/** The Pod of variant `i` (namespace `ns`), as the ReplicaSet controller would create it. */
export function pod(i, ns = 'shop', seed = 1) {
  const rnd = mulberry32(seed * 7919 + i);
  const app = APPS[i % APPS.length];
  const team = TEAMS[i % TEAMS.length];
  const weak = i % DENIED_EVERY === DENIED_EVERY - 1;
  const hash = alnum(rnd, 10);
  const name = `${app}-${hash}-${alnum(rnd, 5)}`;
  const digest = `sha256:${hex(rnd, 64)}`;
  const version = `1.${Math.floor(rnd() * 40)}.${Math.floor(rnd() * 10)}`;
  const port = 8080 + (i % 4);
  const probe = (path, delay) => ({ httpGet: { path, port, scheme: 'HTTP' }, initialDelaySeconds: delay, periodSeconds: 10, timeoutSeconds: 2, successThreshold: 1, failureThreshold: 3 });
  const cpu = [100, 200, 250, 500][i % 4];
  const mem = [128, 256, 512][i % 3];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${app}-${hash}-`,
      name,
      namespace: ns,
      labels: {
        app: app,
        'app.kubernetes.io/name': app,
        'app.kubernetes.io/instance': `${app}-prod`,
        'app.kubernetes.io/version': version,
        'app.kubernetes.io/part-of': 'shop',
        'app.kubernetes.io/managed-by': 'helm',
        team,
        'pod-template-hash': hash,
      },
      annotations: {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(9090),
      },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app}-${hash}`, uid: uuid(rnd), controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      serviceAccountName: app,
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      securityContext: weak ? { fsGroup: 10001 } : { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: app,
          image: `registry.example.com/${team}/${app}@${digest}`,
          imagePullPolicy: 'IfNotPresent',
          args: ['--listen', `:${port}`, '--metrics', ':9090', '--log-format', 'json'],
          ports: [
            { name: 'http', containerPort: port, protocol: 'TCP' },
            { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
          ],
          env: [
            { name: 'APP_ENV', value: 'production' },
            { name: 'LOG_LEVEL', value: ['info', 'warn', 'debug'][i % 3] },
            { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
            { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
            { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: `${app}-db`, key: 'url' } } },
            { name: 'CACHE_HOST', valueFrom: { configMapKeyRef: { name: `${app}-config`, key: 'cache.host' } } },
          ],
          resources: { requests: { cpu: `${cpu}m`, memory: `${mem}Mi` }, limits: { cpu: `${cpu * 2}m`, memory: `${mem}Mi` } },
          livenessProbe: probe('/healthz', 10),
          readinessProbe: probe('/readyz', 5),
          securityContext: securityContext(weak),
          volumeMounts: [
            { name: 'config', mountPath: '/etc/app', readOnly: true },
            { name: 'tls', mountPath: '/etc/tls', readOnly: true },
            { name: 'tmp', mountPath: '/tmp' },
            { name: 'token', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
          ],
        },
        {
          name: 'envoy',
          image: `docker.io/envoyproxy/envoy@sha256:${hex(rnd, 64)}`,
          imagePullPolicy: 'IfNotPresent',
          args: ['-c', '/etc/envoy/envoy.yaml', '--log-level', 'warn'],
          ports: [{ name: 'https', containerPort: 8443, protocol: 'TCP' }],
          env: [{ name: 'ENVOY_UID', value: '10001' }],
          resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
          livenessProbe: { tcpSocket: { port: 8443 }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 },
          readinessProbe: { httpGet: { path: '/ready', port: 9901, scheme: 'HTTP' }, periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 3 },
          securityContext: securityContext(false),
          volumeMounts: [
            { name: 'envoy', mountPath: '/etc/envoy', readOnly: true },
            { name: 'tls', mountPath: '/etc/tls', readOnly: true },
          ],
        },
      ],
      volumes: [
        { name: 'config', configMap: { name: `${app}-config`, defaultMode: 420 } },
        { name: 'envoy', configMap: { name: `${app}-envoy`, defaultMode: 420 } },
        { name: 'tls', secret: { secretName: `${app}-tls`, defaultMode: 288 } },
        { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
        {
          name: 'token',
          projected: {
            defaultMode: 420,
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            ],
          },
        },
      ],
    },
  };
}

/** The AdmissionReview (v1) the API server posts for creating pod `i`. */
export function review(i, ns = 'shop', seed = 1) {
  const rnd = mulberry32(seed * 104729 + i);
  const object = pod(i, ns, seed);
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: uuid(rnd),
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      name: object.metadata.name,
      namespace: ns,
      operation: 'CREATE',
      userInfo: {
        username: 'system:serviceaccount:kube-system:replicaset-controller',
        uid: uuid(rnd),
        groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
      },
      object,
      oldObject: null,
      dryRun: false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
    },
  };
}

/** `count` review bodies (compact JSON, one per variant). */
export function reviewBodies(count, seed = 1) {
  return Array.from({ length: count }, (_, i) => JSON.stringify(review(i, TEAMS[i % TEAMS.length], seed)));
}
