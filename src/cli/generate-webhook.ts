/**
 * `kubeladder generate webhook`: the manifests of the admission webhook (`kubeladder webhook
 * serve`): its namespace, a Deployment of two replicas behind a Service, the TLS it serves with
 * (a Secret from `generate webhook-certs`, or cert-manager), and the Validating and Mutating
 * webhook configurations that send it pods and pod templates.
 *
 * Plain commented YAML, like `generate in-cluster`: one file to review. The webhook
 * configurations carry every field that keeps a security webhook from locking the cluster out
 * (kube-system and its own namespace excluded, a short timeout) and say what failurePolicy means
 * and how to recover.
 */
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { parseAllDocuments, stringify } from 'yaml';
import { UsageError } from '../core/errors.js';
import { EXEMPT_ANNOTATION, EXEMPT_REASON_ANNOTATION } from '../core/exemptions.js';
import { VERSION } from '../version.js';
import { DEFAULT_IMAGE, RUN_AS } from './generate-in-cluster.js';
import { defaultDenyPolicy } from './generate.js';
import type { Io } from './io.js';
import { doc, flow, indented, objectHead, parseNamespaceOption, parsePinnedImage } from './manifest-text.js';
import { serviceDnsNames } from './webhook-certs.js';

export const WEBHOOK_NAME = 'kubeladder-webhook';
/** The webhook configurations' name, as the recovery step deletes them. */
export const CONFIG_NAME = 'kubeladder';
export const TLS_SECRET = `${WEBHOOK_NAME}-tls`;
export const POLICY_CONFIGMAP = `${WEBHOOK_NAME}-policy`;
const PORT = 8443;
const TLS_DIR = '/etc/kubeladder/tls';
const POLICY_DIR = '/etc/kubeladder/policy';

export type FailurePolicy = 'Fail' | 'Ignore';

export interface WebhookTls {
  caCert: string;
  cert: string;
  key: string;
}

export interface WebhookOptions {
  namespace: string;
  image: string;
  failurePolicy: FailurePolicy;
  /** The policy file's text and the name it was given by, or none for the server's default policy. */
  policy?: { file: string; text: string };
  /** From --certs DIR, or cert-manager. */
  tls: { kind: 'certs'; dir: string; certs: WebhookTls } | { kind: 'cert-manager' };
}

const LABELS = ['app.kubernetes.io/name: kubeladder', 'app.kubernetes.io/component: webhook'];
const head = (apiVersion: string, kind: string, name: string, namespace?: string): string[] => objectHead(apiVersion, kind, name, namespace, LABELS);

/** What the webhooks are sent: pods, their ephemeral containers, and every kind with a pod template. */
export const WEBHOOK_RULES: ReadonlyArray<{ group: string; resources: string[]; operations: string[] }> = [
  { group: '', resources: ['pods'], operations: ['CREATE', 'UPDATE'] },
  { group: '', resources: ['pods/ephemeralcontainers'], operations: ['UPDATE'] },
  { group: '', resources: ['replicationcontrollers', 'podtemplates'], operations: ['CREATE', 'UPDATE'] },
  { group: 'apps', resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'], operations: ['CREATE', 'UPDATE'] },
  { group: 'batch', resources: ['jobs', 'cronjobs'], operations: ['CREATE', 'UPDATE'] },
];

/** The namespaceSelector term that sends namespaces labelled kubeladder.io/untrusted=true to one webhook and the rest to the other. */
const UNTRUSTED_SELECTOR = (operator: 'In' | 'NotIn'): string[] => ['        - key: kubeladder.io/untrusted', `          operator: ${operator}`, '          values: ["true"]'];

function webhookConfiguration(opts: WebhookOptions, kind: 'ValidatingWebhookConfiguration' | 'MutatingWebhookConfiguration'): string {
  const ns = opts.namespace;
  const mutating = kind === 'MutatingWebhookConfiguration';
  const ignore = opts.failurePolicy === 'Ignore';
  const annotations = [
    ...(opts.tls.kind === 'cert-manager' ? [`    cert-manager.io/inject-ca-from: ${ns}/${WEBHOOK_NAME}`] : []),
    ...(ignore
      ? [
          `    ${EXEMPT_ANNOTATION}: admission/webhook-failure-policy-ignore`,
          `    ${EXEMPT_REASON_ANNOTATION}: "generated with --failure-policy Ignore: the operator chose availability over enforcement while the webhook is down"`,
        ]
      : []),
  ];
  const entry = (name: string, path: string, untrustedSelector: string[]): string[] => [
    `  - name: ${name}`,
    '    admissionReviewVersions: [v1]',
    '    # The webhook only answers: it changes nothing outside the object it is sent, so dry runs are safe.',
    '    sideEffects: None',
    '    # What happens when the webhook cannot be reached or errs (it is down, or slower than timeoutSeconds):',
    '    #   Fail: the request is rejected. Nothing escapes the policy, but while every replica is down no',
    '    #     pod or workload can be created or changed outside the excluded namespaces.',
    '    #   Ignore: the request is admitted unchecked: the cluster keeps working and the policy is off.',
    '    # Locked out? Delete the configurations and the API server stops calling the webhook:',
    `    #   kubectl delete validatingwebhookconfiguration ${CONFIG_NAME}; kubectl delete mutatingwebhookconfiguration ${CONFIG_NAME}`,
    `    # then fix the Deployment in ${ns} (its pods are never sent to the webhook) and apply this file again.`,
    `    failurePolicy: ${opts.failurePolicy}`,
    '    # Equivalent: a request to another version or group of the same kind (extensions/v1beta1',
    '    # deployments, say) is converted and sent too, so no old API version slips past.',
    '    matchPolicy: Equivalent',
    '    timeoutSeconds: 5',
    ...(mutating ? ['    # Called again if a later mutating webhook changes the object, so its changes are judged too.', '    reinvocationPolicy: IfNeeded'] : []),
    '    clientConfig:',
    '      service:',
    `        name: ${WEBHOOK_NAME}`,
    `        namespace: ${ns}`,
    `        path: ${path}`,
    '        port: 443',
    ...(opts.tls.kind === 'certs' ? [`      # ca.crt of ${opts.tls.dir}: the CA that signed the webhook's serving certificate.`, `      caBundle: ${Buffer.from(opts.tls.certs.caCert).toString('base64')}`] : []),
    '    rules:',
    ...WEBHOOK_RULES.flatMap((r) => [
      `      - apiGroups: ${flow([r.group])}`,
      '        apiVersions: ["*"]',
      `        operations: ${flow(r.operations)}`,
      `        resources: ${flow(r.resources)}`,
      '        scope: Namespaced',
    ]),
    '    # Never kube-system, nor its own namespace: with failurePolicy Fail and the webhook down, the',
    "    # cluster's own pods and the webhook's could not be recreated, and nothing could bring it back.",
    '    namespaceSelector:',
    '      matchExpressions:',
    '        - key: kubernetes.io/metadata.name',
    '          operator: NotIn',
    `          values: ${flow(['kube-system', ns])}`,
    ...untrustedSelector,
  ];
  return doc([
    ...head('admissionregistration.k8s.io/v1', kind, CONFIG_NAME),
    ...(annotations.length ? ['  annotations:', ...annotations] : []),
    ...(opts.tls.kind === 'cert-manager' ? ["  # cert-manager's cainjector fills in caBundle from the Certificate named above."] : []),
    'webhooks:',
    ...(mutating
      ? entry('mutate.kubeladder.io', '/mutate', [])
      : [
          ...entry('validate.kubeladder.io', '/validate', UNTRUSTED_SELECTOR('NotIn')),
          // The API server knows a namespace's labels, the AdmissionReview does not carry them: a second webhook,
          // for the namespaces labelled kubeladder.io/untrusted=true, tells the server so by its path.
          ...entry('validate-untrusted.kubeladder.io', '/validate-untrusted', UNTRUSTED_SELECTOR('In')),
        ]),
  ]);
}

function certManager(ns: string): string[] {
  const dns = serviceDnsNames(WEBHOOK_NAME, ns);
  return [
    doc([
      '# cert-manager: a self-signed issuer makes a CA; the CA issues the serving certificate, which cert-manager',
      '# renews before it expires. The server reloads the renewed files; the CA (and so the caBundle that',
      '# cainjector copies into the webhook configurations) stays the same across renewals.',
      ...head('cert-manager.io/v1', 'Issuer', `${WEBHOOK_NAME}-selfsigned`, ns),
      'spec:',
      '  selfSigned: {}',
    ]),
    doc([
      ...head('cert-manager.io/v1', 'Certificate', `${WEBHOOK_NAME}-ca`, ns),
      'spec:',
      '  isCA: true',
      `  commonName: kubeladder webhook CA (${WEBHOOK_NAME}.${ns})`,
      `  secretName: ${WEBHOOK_NAME}-ca`,
      '  duration: 43800h # 5 years',
      '  privateKey: {algorithm: ECDSA, size: 256}',
      '  issuerRef:',
      `    name: ${WEBHOOK_NAME}-selfsigned`,
      '    kind: Issuer',
    ]),
    doc([...head('cert-manager.io/v1', 'Issuer', `${WEBHOOK_NAME}-ca`, ns), 'spec:', '  ca:', `    secretName: ${WEBHOOK_NAME}-ca`]),
    doc([
      ...head('cert-manager.io/v1', 'Certificate', WEBHOOK_NAME, ns),
      'spec:',
      `  secretName: ${TLS_SECRET}`,
      `  dnsNames: ${flow(dns)}`,
      '  duration: 2160h # 90 days',
      '  renewBefore: 720h',
      '  privateKey: {algorithm: ECDSA, size: 256, rotationPolicy: Always}',
      '  usages: [server auth, digital signature]',
      '  issuerRef:',
      `    name: ${WEBHOOK_NAME}-ca`,
      '    kind: Issuer',
    ]),
  ];
}

function tlsSecret(ns: string, dir: string, certs: WebhookTls): string {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  return doc([
    `# The serving certificate and key from ${dir}. This file now holds a private key: keep it out of`,
    '# version control, or leave this Secret out and create it from the files instead:',
    `#   kubectl -n ${ns} create secret generic ${TLS_SECRET} --type kubernetes.io/tls --from-file=${join(dir, 'tls.crt')} --from-file=${join(dir, 'tls.key')} --from-file=${join(dir, 'ca.crt')}`,
    ...head('v1', 'Secret', TLS_SECRET, ns),
    'type: kubernetes.io/tls',
    'data:',
    `  ca.crt: ${b64(certs.caCert)}`,
    `  tls.crt: ${b64(certs.cert)}`,
    `  tls.key: ${b64(certs.key)}`,
  ]);
}

function policyConfigMap(opts: WebhookOptions): string {
  const text = opts.policy
    ? opts.policy.text
    : [
        '# No --policy was given: `kubeladder webhook serve` runs without --policy, on its default policy,',
        '# and does not read this file. To use a policy of your own, check it with',
        '# `kubeladder webhook check-policy FILE` and regenerate with `kubeladder generate webhook --policy FILE`.',
        '',
      ].join('\n');
  const data = stringify({ 'policy.yaml': text }, { lineWidth: 0 }).trimEnd().split('\n');
  return doc([
    ...(opts.policy ? [`# The admission policy, from ${opts.policy.file}.`] : ['# The admission policy: none given, so the server runs its default policy.']),
    ...head('v1', 'ConfigMap', POLICY_CONFIGMAP, opts.namespace),
    'data:',
    ...indented(data, 2),
  ]);
}

export function webhookManifests(opts: WebhookOptions): string {
  const ns = opts.namespace;
  const ref = parsePinnedImage(opts.image);
  const digestPinned = ref.digest !== undefined;
  const podAnnotations = digestPinned
    ? []
    : [
        `${EXEMPT_ANNOTATION}: image/digest-pinning`,
        `${EXEMPT_REASON_ANNOTATION}: ${JSON.stringify(`the webhook's image is pinned by release tag; pass --image ${ref.registry ? `${ref.registry}/` : ''}${ref.repository}:TAG@sha256:DIGEST to pin the digest`)}`,
      ];
  const args = ['webhook', 'serve', '--tls-cert', `${TLS_DIR}/tls.crt`, '--tls-key', `${TLS_DIR}/tls.key`, ...(opts.policy ? ['--policy', `${POLICY_DIR}/policy.yaml`] : [])];
  const parts = [
    doc([
      `# The kubeladder admission webhook: \`kubeladder ${['generate', 'webhook', ...cliArgs(opts)].join(' ')}\` (kubeladder ${VERSION}).`,
      '# Plain manifests, not a Helm chart: one file to review and apply (`kubectl apply --server-side -f`).',
      '# Apply it whole: the Deployment must be ready before the webhook configurations at the end take',
      `# effect for failurePolicy ${opts.failurePolicy}. See docs/webhook.md.`,
      ...head('v1', 'Namespace', ns),
      '    pod-security.kubernetes.io/enforce: restricted',
      '    pod-security.kubernetes.io/warn: restricted',
      '    pod-security.kubernetes.io/audit: restricted',
      '  annotations:',
      `    ${EXEMPT_ANNOTATION}: mesh/mutual-tls,netpol/dns-egress-blocked`,
      `    ${EXEMPT_REASON_ANNOTATION}: "the webhook's only client is the API server, which authenticates it by the caBundle's CA over TLS (a mesh sidecar would stand between them); the webhook calls nothing, so it resolves no names and its egress is denied whole"`,
    ]),
    doc([...head('v1', 'ServiceAccount', 'default', ns), "# Nothing here runs as the namespace's default service account: it mounts no token (CIS 5.1.5).", 'automountServiceAccountToken: false']),
    doc([
      ...head('v1', 'ServiceAccount', WEBHOOK_NAME, ns),
      '# The webhook judges the objects it is sent and never calls the API server: no token, no RBAC.',
      'automountServiceAccountToken: false',
    ]),
    policyConfigMap(opts),
    ...(opts.tls.kind === 'certs' ? [tlsSecret(ns, opts.tls.dir, opts.tls.certs)] : certManager(ns)),
    doc([
      ...head('apps/v1', 'Deployment', WEBHOOK_NAME, ns),
      ...(podAnnotations.length ? ['  annotations:', ...indented(podAnnotations, 4)] : []),
      'spec:',
      '  # Two replicas on different nodes: with failurePolicy Fail, a webhook that is down blocks pods.',
      '  replicas: 2',
      '  selector:',
      '    matchLabels:',
      ...indented(LABELS, 6),
      '  template:',
      '    metadata:',
      '      labels:',
      ...indented(LABELS, 8),
      '      annotations:',
      '        # The policy is read when the server starts: a changed policy changes this hash, which rolls the pods.',
      `        kubeladder.io/policy-sha256: ${createHash('sha256').update(opts.policy?.text ?? '').digest('hex')}`,
      ...indented(podAnnotations, 8),
      '    spec:',
      `      serviceAccountName: ${WEBHOOK_NAME}`,
      '      automountServiceAccountToken: false',
      '      # Preferred, not required: a one-node cluster still runs both replicas.',
      '      affinity:',
      '        podAntiAffinity:',
      '          preferredDuringSchedulingIgnoredDuringExecution:',
      '            - weight: 100',
      '              podAffinityTerm:',
      '                topologyKey: kubernetes.io/hostname',
      '                labelSelector:',
      '                  matchLabels:',
      ...indented(LABELS, 20),
      '      securityContext:',
      '        runAsNonRoot: true',
      `        runAsUser: ${RUN_AS}`,
      `        runAsGroup: ${RUN_AS}`,
      '        # The TLS and policy files are mounted 0440 (defaultMode 288: YAML 1.1 and 1.2 read 0440 differently),',
      '        # readable through this group.',
      `        fsGroup: ${RUN_AS}`,
      '        seccompProfile:',
      '          type: RuntimeDefault',
      '      containers:',
      '        - name: webhook',
      `          image: ${opts.image}`,
      '          imagePullPolicy: IfNotPresent',
      `          args: ${flow(args)}`,
      '          ports:',
      `            - {name: https, containerPort: ${PORT}, protocol: TCP}`,
      '          livenessProbe:',
      '            httpGet: {path: /healthz, port: https, scheme: HTTPS}',
      '            periodSeconds: 10',
      '            failureThreshold: 3',
      '          readinessProbe:',
      '            httpGet: {path: /readyz, port: https, scheme: HTTPS}',
      '            periodSeconds: 5',
      '            failureThreshold: 2',
      '          securityContext:',
      '            allowPrivilegeEscalation: false',
      '            readOnlyRootFilesystem: true',
      '            runAsNonRoot: true',
      '            capabilities:',
      '              drop: [ALL]',
      '          resources:',
      '            requests: {cpu: 100m, memory: 128Mi}',
      '            limits: {cpu: "1", memory: 512Mi}',
      '          volumeMounts:',
      '            # Whole directories, not subPath: a rotated certificate reaches the pod, and the server',
      '            # reloads it when its files change.',
      `            - {name: tls, mountPath: ${TLS_DIR}, readOnly: true}`,
      `            - {name: policy, mountPath: ${POLICY_DIR}, readOnly: true}`,
      '            - {name: tmp, mountPath: /tmp}',
      '      volumes:',
      '        - name: tls',
      `          secret: {secretName: ${TLS_SECRET}, defaultMode: 288}`,
      '        - name: policy',
      `          configMap: {name: ${POLICY_CONFIGMAP}, defaultMode: 288}`,
      '        - name: tmp',
      '          emptyDir: {sizeLimit: 16Mi}',
    ]),
    doc([
      ...head('policy/v1', 'PodDisruptionBudget', WEBHOOK_NAME, ns),
      'spec:',
      '  # Node drains take one replica at a time: one always answers the API server.',
      '  minAvailable: 1',
      '  selector:',
      '    matchLabels:',
      ...indented(LABELS, 6),
    ]),
    doc([
      ...head('v1', 'Service', WEBHOOK_NAME, ns),
      'spec:',
      '  type: ClusterIP',
      '  selector:',
      ...indented(LABELS, 4),
      '  ports:',
      '    - {name: https, port: 443, targetPort: https, protocol: TCP}',
    ]),
    defaultDenyPolicy(ns),
    doc([
      ...head('networking.k8s.io/v1', 'NetworkPolicy', `${WEBHOOK_NAME}-ingress`, ns),
      'spec:',
      '  podSelector:',
      '    matchLabels:',
      ...indented(LABELS, 6),
      '  policyTypes: [Ingress]',
      '  ingress:',
      `    # The API server (and a metrics scraper) on ${PORT}, from any address: where the API server's`,
      "    # calls come from depends on the cluster (its nodes' or the control plane's addresses). Narrow it",
      '    # with `from: [{ipBlock: {cidr: <control plane CIDR>}}]` where you can. No egress: the webhook',
      '    # calls nothing.',
      '    - ports:',
      `        - {protocol: TCP, port: ${PORT}}`,
    ]),
    webhookConfiguration(opts, 'ValidatingWebhookConfiguration'),
    webhookConfiguration(opts, 'MutatingWebhookConfiguration'),
  ];
  return parts.join('---\n');
}

/** The flags that differ from the defaults, as the header's command line. */
function cliArgs(opts: WebhookOptions): string[] {
  const out: string[] = [];
  if (opts.policy) out.push('--policy', opts.policy.file);
  if (opts.namespace !== DEFAULT_NAMESPACE) out.push('--namespace', opts.namespace);
  if (opts.image !== DEFAULT_IMAGE) out.push('--image', opts.image);
  if (opts.failurePolicy !== 'Fail') out.push('--failure-policy', opts.failurePolicy);
  out.push(...(opts.tls.kind === 'certs' ? ['--certs', opts.tls.dir] : ['--cert-manager']));
  return out;
}

export const DEFAULT_NAMESPACE = 'kubeladder-webhook';

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${what}: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** ca.crt, tls.crt and tls.key of DIR, checked: the CA signed the certificate, which names the Service and matches the key. */
export function readWebhookCerts(dir: string, shownDir: string, namespace: string, now = new Date()): WebhookTls {
  const certs = { caCert: readText(join(dir, 'ca.crt'), '--certs'), cert: readText(join(dir, 'tls.crt'), '--certs'), key: readText(join(dir, 'tls.key'), '--certs') };
  let ca: X509Certificate;
  let leaf: X509Certificate;
  try {
    ca = new X509Certificate(certs.caCert);
    leaf = new X509Certificate(certs.cert);
  } catch (e) {
    throw new UsageError(`--certs: ${shownDir}/ca.crt or tls.crt is not a PEM certificate (${(e as Error).message})`);
  }
  const host = serviceDnsNames(WEBHOOK_NAME, namespace)[0]!;
  if (!leaf.checkIssued(ca) || !leaf.verify(ca.publicKey)) throw new UsageError(`--certs: ${shownDir}/tls.crt was not signed by ${shownDir}/ca.crt`);
  if (leaf.checkHost(host) === undefined) {
    throw new UsageError(`--certs: ${shownDir}/tls.crt is not valid for ${host}; generate it with \`kubeladder generate webhook-certs --namespace ${namespace} --out-dir ${shownDir}\``);
  }
  if (new Date(leaf.validTo) <= now) throw new UsageError(`--certs: ${shownDir}/tls.crt expired on ${leaf.validTo}`);
  let matches = false;
  try {
    const fromKey = createPrivateKey(certs.key).export({ format: 'jwk' });
    const fromCert = leaf.publicKey.export({ format: 'jwk' });
    matches = fromKey.x === fromCert.x && fromKey.y === fromCert.y && fromKey.n === fromCert.n;
  } catch {
    throw new UsageError(`--certs: ${shownDir}/tls.key is not a PEM private key`);
  }
  if (!matches) throw new UsageError(`--certs: ${shownDir}/tls.key is not the key of ${shownDir}/tls.crt`);
  return certs;
}

export interface RawWebhookOptions {
  policy?: string;
  namespace: string;
  image?: string;
  failurePolicy: string;
  certs?: string;
  certManager?: boolean;
}

export function parseWebhookOptions(raw: RawWebhookOptions, cwd: string): WebhookOptions {
  const namespace = parseNamespaceOption(raw.namespace);
  if (namespace === 'kube-system') throw new UsageError('--namespace: the webhook cannot run in kube-system, which its webhooks exclude');
  const image = raw.image ?? DEFAULT_IMAGE;
  parsePinnedImage(image);
  if (raw.failurePolicy !== 'Fail' && raw.failurePolicy !== 'Ignore') throw new UsageError(`--failure-policy: "${raw.failurePolicy}" is not one of Fail, Ignore`);
  if (raw.certs !== undefined && raw.certManager) throw new UsageError('give either --certs DIR or --cert-manager, not both');
  if (raw.certs === undefined && !raw.certManager) throw new UsageError('give --certs DIR (made by `kubeladder generate webhook-certs`) or --cert-manager');
  let policy: WebhookOptions['policy'];
  if (raw.policy !== undefined) {
    const text = readText(resolve(cwd, raw.policy), '--policy');
    const docs = parseAllDocuments(text);
    const bad = (Array.isArray(docs) ? docs : [docs]).flatMap((d) => d.errors);
    if (bad.length) throw new UsageError(`--policy: ${raw.policy} is not valid YAML: ${bad[0]!.message.split('\n')[0]}`);
    policy = { file: raw.policy, text };
  }
  const tls: WebhookOptions['tls'] = raw.certs !== undefined ? { kind: 'certs', dir: raw.certs, certs: readWebhookCerts(resolve(cwd, raw.certs), raw.certs, namespace) } : { kind: 'cert-manager' };
  return { namespace, image, failurePolicy: raw.failurePolicy, tls, ...(policy ? { policy } : {}) };
}

export function webhookCommand(io: Io, done: (code: number) => void): Command {
  return new Command('webhook')
    .summary('the admission webhook: Deployment, Service, TLS and webhook configurations')
    .description(
      'Write the manifests of the kubeladder admission webhook (`kubeladder webhook serve`): a Namespace enforcing the restricted Pod Security Standard, ServiceAccounts without tokens, a ConfigMap with the policy, a Deployment of two replicas (spread over nodes, restricted security context, HTTPS probes) with a PodDisruptionBudget, a Service, NetworkPolicies, the TLS Secret (from --certs DIR, made by `kubeladder generate webhook-certs`) or cert-manager Issuers and Certificates (--cert-manager), and Validating and Mutating webhook configurations for pods and pod templates that exclude kube-system and their own namespace. See docs/webhook.md.',
    )
    .option('--policy <file>', 'the admission policy (check it with `kubeladder webhook check-policy`); without it the server runs its default policy')
    .option('-n, --namespace <ns>', 'namespace to run in', DEFAULT_NAMESPACE)
    .option('--image <ref>', `webhook image, pinned by a tag or digest (default: ${DEFAULT_IMAGE})`)
    .option('--failure-policy <policy>', 'Fail (reject requests while the webhook is unreachable) or Ignore (admit them unchecked)', 'Fail')
    .option('--certs <dir>', 'directory with ca.crt, tls.crt and tls.key from `kubeladder generate webhook-certs`')
    .option('--cert-manager', 'let cert-manager issue the serving certificate and inject the CA bundle')
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .action((raw: RawWebhookOptions & { output?: string }) => {
      const out = webhookManifests(parseWebhookOptions(raw, io.cwd));
      if (raw.output) writeFileSync(resolve(io.cwd, raw.output), out, { mode: 0o600 });
      else io.stdout.write(out);
      done(0);
    });
}
