/**
 * `generate webhook-certs` and `generate webhook`: the certificates chain and name the Service,
 * the manifests parse, the webhook configurations carry every field that keeps a security webhook
 * from locking the cluster out, and kubeladder's own scan of the output finds nothing to fail.
 */
import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:https';
import { request } from 'node:https';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE } from '../../src/cli/generate-in-cluster.js';
import { ipBytes } from '../../src/cli/webhook-certs.js';
import type { ResultsDocument } from '../../src/core/results.js';
import { cli } from '../helpers/cli.js';

let dir: string;
const certsOf = (sub: string) => ({
  ca: readFileSync(join(dir, sub, 'ca.crt'), 'utf8'),
  cert: readFileSync(join(dir, sub, 'tls.crt'), 'utf8'),
  key: readFileSync(join(dir, sub, 'tls.key'), 'utf8'),
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubeladder-webhook-'));
  const r = await cli(['generate', 'webhook-certs', '--out-dir', 'certs', '--ip', '127.0.0.1', '--ip', '::1'], { cwd: dir });
  expect(r.code).toBe(0);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('wrote ca.crt, tls.crt and tls.key (0600) to certs');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function objects(text: string): any[] {
  const docs = parseAllDocuments(text);
  for (const d of docs) expect(d.errors).toEqual([]);
  return docs.map((d) => d.toJS());
}

const of = (objs: any[], kind: string, name?: string): any => objs.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));

async function generate(args: string[]): Promise<{ text: string; objs: any[] }> {
  const r = await cli(['generate', 'webhook', ...args], { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return { text: r.stdout, objs: objects(r.stdout) };
}

async function scan(text: string): Promise<ResultsDocument> {
  const r = await cli(['scan', '-', '--format', 'json', '--show-exempt', '--show-passed', '--fail-on', 'info'], { stdin: text });
  const doc = JSON.parse(r.stdout) as ResultsDocument;
  expect(doc.results.filter((x) => x.status === 'fail')).toEqual([]);
  expect(r.code).toBe(0);
  return doc;
}

describe('generate webhook-certs', () => {
  it('writes a CA and a P-256 serving certificate it signed, for the Service names and --ip addresses', () => {
    const { ca, cert, key } = certsOf('certs');
    const caX = new X509Certificate(ca);
    const leaf = new X509Certificate(cert);
    expect(caX.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(caX)).toBe(true);
    expect(leaf.verify(caX.publicKey)).toBe(true);
    expect(caX.verify(caX.publicKey)).toBe(true);
    expect(leaf.publicKey.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
    expect(leaf.checkHost('kubeladder-webhook.kubeladder-webhook.svc')).toBe('kubeladder-webhook.kubeladder-webhook.svc');
    expect(leaf.checkHost('kubeladder-webhook.kubeladder-webhook.svc.cluster.local')).toBeDefined();
    expect(leaf.checkHost('other.kubeladder-webhook.svc')).toBeUndefined();
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.checkIP('::1')).toBeDefined();
    expect(leaf.checkIP('10.0.0.1')).toBeUndefined();
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    const days = (new Date(leaf.validTo).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(364);
    expect(days).toBeLessThan(366);
    // The key is the certificate's, and only its owner may read it.
    expect(createPrivateKey(key).export({ format: 'jwk' }).x).toBe(leaf.publicKey.export({ format: 'jwk' }).x);
    expect(statSync(join(dir, 'certs', 'tls.key')).mode & 0o777).toBe(0o600);
  });

  it('serves TLS that a client trusting only ca.crt accepts', async () => {
    const { ca, cert, key } = certsOf('certs');
    const server = createServer({ cert, key }, (_req, res) => res.end('ok'));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as { port: number }).port;
    try {
      const body = await new Promise<string>((done, fail) => {
        const req = request({ host: '127.0.0.1', port, path: '/healthz', ca, servername: 'kubeladder-webhook.kubeladder-webhook.svc' }, (res) => {
          let b = '';
          res.on('data', (c) => (b += c));
          res.on('end', () => done(b));
        });
        req.on('error', fail);
        req.end();
      });
      expect(body).toBe('ok');
    } finally {
      server.close();
    }
  });

  it('takes --namespace, --service and --days, and tightens an existing key file to 0600', async () => {
    writeFileSync(join(dir, 'loose.key'), 'x', { mode: 0o644 });
    const r = await cli(['generate', 'webhook-certs', '--out-dir', 'other', '--namespace', 'policy', '--service', 'guard', '--days', '30'], { cwd: dir });
    expect(r.code).toBe(0);
    const leaf = new X509Certificate(certsOf('other').cert);
    expect(leaf.checkHost('guard.policy.svc')).toBeDefined();
    expect(leaf.checkHost('kubeladder-webhook.kubeladder-webhook.svc')).toBeUndefined();
    expect(leaf.checkIP('127.0.0.1')).toBeUndefined();
    expect((new Date(leaf.validTo).getTime() - Date.now()) / 86_400_000).toBeLessThan(31);
    writeFileSync(join(dir, 'other', 'tls.key'), 'x', { mode: 0o644 });
    await cli(['generate', 'webhook-certs', '--out-dir', 'other', '--namespace', 'policy', '--service', 'guard'], { cwd: dir });
    expect(statSync(join(dir, 'other', 'tls.key')).mode & 0o777).toBe(0o600);
  });

  it('encodes IPv4 and IPv6 addresses', () => {
    expect([...ipBytes('10.1.2.3')]).toEqual([10, 1, 2, 3]);
    expect(ipBytes('::1').toString('hex')).toBe('00000000000000000000000000000001');
    expect(ipBytes('2001:db8::a:b').toString('hex')).toBe('20010db80000000000000000000a000b');
    expect(ipBytes('::ffff:10.1.2.3').toString('hex')).toBe('00000000000000000000ffff0a010203');
    expect(ipBytes('fe80:0:0:0:1:2:3:4').toString('hex')).toBe('fe800000000000000001000200030004');
  });
});

describe('generate webhook', () => {
  it('writes the namespace, accounts, policy, TLS Secret, Deployment, PDB, Service, NetworkPolicies and webhook configurations', async () => {
    const { text, objs } = await generate(['--certs', 'certs']);
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/kubeladder-webhook',
      'ServiceAccount/default',
      'ServiceAccount/kubeladder-webhook',
      'ConfigMap/kubeladder-webhook-policy',
      'Secret/kubeladder-webhook-tls',
      'Deployment/kubeladder-webhook',
      'PodDisruptionBudget/kubeladder-webhook',
      'Service/kubeladder-webhook',
      'NetworkPolicy/default-deny',
      'NetworkPolicy/kubeladder-webhook-ingress',
      'ValidatingWebhookConfiguration/kubeladder',
      'MutatingWebhookConfiguration/kubeladder',
    ]);
    expect(text.split('\n')[0]).toContain('`kubeladder generate webhook --certs certs`');
    expect(of(objs, 'Namespace').metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted' });
    for (const sa of objs.filter((o) => o.kind === 'ServiceAccount')) expect(sa.automountServiceAccountToken).toBe(false);
    expect(objs.filter((o) => o.metadata.namespace !== undefined).every((o) => o.metadata.namespace === 'kubeladder-webhook')).toBe(true);
    // No --policy: the ConfigMap says so, and the server is not pointed at it.
    expect(of(objs, 'ConfigMap').data['policy.yaml']).toMatch(/^# No --policy was given: `kubeladder webhook serve` runs without --policy, on its default policy/);
    expect(of(objs, 'Deployment').spec.template.spec.containers[0].args).toEqual(['webhook', 'serve', '--tls-cert', '/etc/kubeladder/tls/tls.crt', '--tls-key', '/etc/kubeladder/tls/tls.key']);
    const { ca, cert, key } = certsOf('certs');
    const secret = of(objs, 'Secret');
    expect(secret.type).toBe('kubernetes.io/tls');
    const decoded = Object.fromEntries(Object.entries(secret.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
    expect(decoded).toEqual({ 'ca.crt': ca, 'tls.crt': cert, 'tls.key': key });
    expect(text).toContain('This file now holds a private key: keep it out of');
  });

  it('runs two restricted replicas spread over nodes, probed over HTTPS, with the TLS Secret mounted read-only', async () => {
    const { objs } = await generate(['--certs', 'certs']);
    const d = of(objs, 'Deployment');
    expect(d.spec.replicas).toBe(2);
    const pod = d.spec.template.spec;
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm).toEqual({
      topologyKey: 'kubernetes.io/hostname',
      labelSelector: { matchLabels: d.spec.selector.matchLabels },
    });
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('kubeladder-webhook');
    const [c, ...others] = pod.containers;
    expect(others).toEqual([]);
    expect(c.image).toBe(DEFAULT_IMAGE);
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(c.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(c.resources.limits).toMatchObject({ memory: expect.any(String) });
    expect(c.ports).toEqual([{ name: 'https', containerPort: 8443, protocol: 'TCP' }]);
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'https', scheme: 'HTTPS' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'https', scheme: 'HTTPS' });
    expect(c.volumeMounts).toContainEqual({ name: 'tls', mountPath: '/etc/kubeladder/tls', readOnly: true });
    expect(pod.volumes).toContainEqual({ name: 'tls', secret: { secretName: 'kubeladder-webhook-tls', defaultMode: 0o440 } });
    expect(of(objs, 'PodDisruptionBudget').spec).toEqual({ minAvailable: 1, selector: { matchLabels: d.spec.selector.matchLabels } });
    const svc = of(objs, 'Service').spec;
    expect(svc.selector).toEqual(d.spec.selector.matchLabels);
    expect(svc.ports).toEqual([{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }]);
    expect(of(objs, 'NetworkPolicy', 'kubeladder-webhook-ingress').spec.ingress).toEqual([{ ports: [{ protocol: 'TCP', port: 8443 }] }]);
  });

  it('fills the webhook configurations with the CA that signed tls.crt and every safety field', async () => {
    const { text, objs } = await generate(['--certs', 'certs']);
    const leaf = new X509Certificate(certsOf('certs').cert);
    for (const kind of ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']) {
      const config = of(objs, kind, 'kubeladder');
      expect(config.apiVersion).toBe('admissionregistration.k8s.io/v1');
      // Validating: one webhook for ordinary namespaces, one for those labelled kubeladder.io/untrusted=true
      // (the AdmissionReview carries no namespace labels; the path tells the server). Mutating: one.
      const mutating = kind.startsWith('Mutating');
      expect(config.webhooks.map((x: any) => x.name)).toEqual(mutating ? ['mutate.kubeladder.io'] : ['validate.kubeladder.io', 'validate-untrusted.kubeladder.io']);
      if (!mutating) {
        const untrusted = config.webhooks[1];
        expect(untrusted.clientConfig.service.path).toBe('/validate-untrusted');
        expect(untrusted.namespaceSelector.matchExpressions).toEqual([
          { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'kubeladder-webhook'] },
          { key: 'kubeladder.io/untrusted', operator: 'In', values: ['true'] },
        ]);
        expect(untrusted.rules).toEqual(config.webhooks[0].rules);
      }
      const w = config.webhooks[0];
      const ca = new X509Certificate(Buffer.from(w.clientConfig.caBundle, 'base64').toString());
      expect(leaf.verify(ca.publicKey)).toBe(true);
      expect(leaf.checkIssued(ca)).toBe(true);
      expect(w.clientConfig.service).toEqual({ name: 'kubeladder-webhook', namespace: 'kubeladder-webhook', path: kind.startsWith('Mutating') ? '/mutate' : '/validate', port: 443 });
      expect(leaf.checkHost(`${w.clientConfig.service.name}.${w.clientConfig.service.namespace}.svc`)).toBeDefined();
      expect(w).toMatchObject({ sideEffects: 'None', admissionReviewVersions: ['v1'], matchPolicy: 'Equivalent', timeoutSeconds: 5, failurePolicy: 'Fail' });
      expect(w.reinvocationPolicy).toBe(kind.startsWith('Mutating') ? 'IfNeeded' : undefined);
      expect(w.namespaceSelector).toEqual({
        matchExpressions: [
          { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'kubeladder-webhook'] },
          ...(mutating ? [] : [{ key: 'kubeladder.io/untrusted', operator: 'NotIn', values: ['true'] }]),
        ],
      });
      const covered = w.rules.flatMap((r: any) => r.resources.map((res: string) => `${r.apiGroups[0]}/${res} ${r.operations.join(',')}`)).sort();
      expect(covered).toEqual(
        [
          '/pods CREATE,UPDATE',
          '/pods/ephemeralcontainers UPDATE',
          '/replicationcontrollers CREATE,UPDATE',
          '/podtemplates CREATE,UPDATE',
          'apps/deployments CREATE,UPDATE',
          'apps/statefulsets CREATE,UPDATE',
          'apps/daemonsets CREATE,UPDATE',
          'apps/replicasets CREATE,UPDATE',
          'batch/jobs CREATE,UPDATE',
          'batch/cronjobs CREATE,UPDATE',
        ].sort(),
      );
      expect(w.name).toMatch(/^(validate|mutate)\.kubeladder\.io$/);
    }
    expect(text).toContain('#   kubectl delete validatingwebhookconfiguration kubeladder; kubectl delete mutatingwebhookconfiguration kubeladder');
    expect(text).toContain('#   Fail: the request is rejected.');
    expect(text).toContain('#   Ignore: the request is admitted unchecked');
  });

  it("passes kubeladder's own checks, the admission checks included, with documented exemptions only", async () => {
    const { text } = await generate(['--certs', 'certs']);
    const doc = await scan(text);
    const exempt = doc.results.filter((r) => r.status === 'exempt');
    expect(exempt.map((r) => `${r.check} ${r.object?.kind}/${r.object?.name}`).sort()).toEqual([
      'image/digest-pinning Deployment/kubeladder-webhook',
      'mesh/mutual-tls Namespace/kubeladder-webhook',
      'netpol/dns-egress-blocked Namespace/kubeladder-webhook',
    ]);
    for (const r of exempt) expect(r.reason).toMatch(/^annotation kubeladder\.io\/exempt: \S/);
    const admission = doc.results.filter((r) => r.check.startsWith('admission/'));
    expect(new Set(admission.map((r) => r.check)).size).toBe(6);
    expect(admission.every((r) => r.status === 'pass')).toBe(true);
    // Pinned by digest: the image needs no exemption.
    const pinned = await generate(['--certs', 'certs', '--image', `ghcr.io/kubeladder/kubeladder:0.1.0@sha256:${'a'.repeat(64)}`]);
    expect((await scan(pinned.text)).results.filter((r) => r.status === 'exempt').map((r) => r.check).sort()).toEqual(['mesh/mutual-tls', 'netpol/dns-egress-blocked']);
  });

  it('with --policy puts the file in the ConfigMap and points the server at it; --failure-policy Ignore is exempt with its reason', async () => {
    const policy = 'rules:\n  - id: no-privileged\n    deny: privileged\n';
    writeFileSync(join(dir, 'policy.yaml'), policy);
    expect((await cli(['generate', 'webhook-certs', '--out-dir', 'guard-certs', '--namespace', 'guard'], { cwd: dir })).code).toBe(0);
    const { objs, text } = await generate(['--policy', 'policy.yaml', '--certs', 'guard-certs', '--namespace', 'guard', '--failure-policy', 'Ignore']);
    expect(of(objs, 'ConfigMap').data).toEqual({ 'policy.yaml': policy });
    const c = of(objs, 'Deployment').spec.template.spec.containers[0];
    expect(c.args.slice(-2)).toEqual(['--policy', '/etc/kubeladder/policy/policy.yaml']);
    // A changed policy changes the pod template, so applying it rolls the pods.
    expect(of(objs, 'Deployment').spec.template.metadata.annotations['kubeladder.io/policy-sha256']).toBe(createHash('sha256').update(policy).digest('hex'));
    expect(c.volumeMounts).toContainEqual({ name: 'policy', mountPath: '/etc/kubeladder/policy', readOnly: true });
    expect(text.split('\n')[0]).toContain('`kubeladder generate webhook --policy policy.yaml --namespace guard --failure-policy Ignore --certs guard-certs`');
    const v = of(objs, 'ValidatingWebhookConfiguration').webhooks[0];
    expect(v.failurePolicy).toBe('Ignore');
    expect(v.namespaceSelector.matchExpressions[0].values).toEqual(['kube-system', 'guard']);
    const doc = await scan(text);
    const ignored = doc.results.filter((r) => r.check === 'admission/webhook-failure-policy-ignore');
    // Both configurations, the validating one's two webhooks included.
    expect(ignored.map((r) => r.status)).toEqual(['exempt', 'exempt', 'exempt']);
    expect(ignored[0]!.reason).toContain('generated with --failure-policy Ignore');
  });

  it('with --cert-manager issues the certificate through a CA issuer and has cainjector fill the caBundle', async () => {
    const { objs, text } = await generate(['--cert-manager']);
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`).filter((k) => /Issuer|Certificate|Secret/.test(k))).toEqual([
      'Issuer/kubeladder-webhook-selfsigned',
      'Certificate/kubeladder-webhook-ca',
      'Issuer/kubeladder-webhook-ca',
      'Certificate/kubeladder-webhook',
    ]);
    const cert = of(objs, 'Certificate', 'kubeladder-webhook').spec;
    expect(cert).toMatchObject({ secretName: 'kubeladder-webhook-tls', dnsNames: ['kubeladder-webhook.kubeladder-webhook.svc', 'kubeladder-webhook.kubeladder-webhook.svc.cluster.local'], issuerRef: { name: 'kubeladder-webhook-ca', kind: 'Issuer' } });
    expect(cert.privateKey).toMatchObject({ algorithm: 'ECDSA', size: 256 });
    expect(of(objs, 'Certificate', 'kubeladder-webhook-ca').spec).toMatchObject({ isCA: true, issuerRef: { name: 'kubeladder-webhook-selfsigned' } });
    for (const kind of ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']) {
      const config = of(objs, kind);
      expect(config.metadata.annotations['cert-manager.io/inject-ca-from']).toBe('kubeladder-webhook/kubeladder-webhook');
      expect(config.webhooks[0].clientConfig.caBundle).toBeUndefined();
      expect(config.webhooks[0]).toMatchObject({ failurePolicy: 'Fail', sideEffects: 'None', timeoutSeconds: 5 });
    }
    expect(text.split('\n')[0]).toContain('`kubeladder generate webhook --cert-manager`');
    expect(text).not.toContain('PRIVATE KEY');
    await scan(text);
  });

  it('rejects bad flags and certificates that do not fit, in one line with exit 2', async () => {
    writeFileSync(join(dir, 'broken.yaml'), 'rules: [a, b\n');
    expect((await cli(['generate', 'webhook-certs', '--out-dir', 'foreign', '--service', 'other'], { cwd: dir })).code).toBe(0);
    for (const [args, msg] of [
      [[], 'give --certs DIR (made by `kubeladder generate webhook-certs`) or --cert-manager'],
      [['--certs', 'certs', '--cert-manager'], 'give either --certs DIR or --cert-manager, not both'],
      [['--cert-manager', '--failure-policy', 'ignore'], '--failure-policy: "ignore" is not one of Fail, Ignore'],
      [['--cert-manager', '--namespace', 'Bad_NS'], '--namespace: "Bad_NS" is not a namespace name'],
      [['--cert-manager', '--namespace', 'kube-system'], '--namespace: the webhook cannot run in kube-system'],
      [['--cert-manager', '--image', 'ghcr.io/kubeladder/kubeladder:latest'], 'must be pinned by a tag other than latest'],
      [['--cert-manager', '--policy', 'missing.yaml'], '--policy: cannot read'],
      [['--cert-manager', '--policy', 'broken.yaml'], '--policy: broken.yaml is not valid YAML'],
      [['--certs', 'nowhere'], '--certs: cannot read'],
      [['--certs', 'certs', '--namespace', 'guard'], '--certs: certs/tls.crt is not valid for kubeladder-webhook.guard.svc; generate it with `kubeladder generate webhook-certs --namespace guard --out-dir certs`'],
      [['--certs', 'foreign'], '--certs: foreign/tls.crt is not valid for kubeladder-webhook.kubeladder-webhook.svc'],
    ] as const) {
      const r = await cli(['generate', 'webhook', ...args], { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(msg);
      expect(r.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
    // A CA that did not sign the certificate, and a key that is not the certificate's.
    const mixed = join(dir, 'mixed');
    expect((await cli(['generate', 'webhook-certs', '--out-dir', 'mixed'], { cwd: dir })).code).toBe(0);
    writeFileSync(join(mixed, 'ca.crt'), certsOf('certs').ca);
    let r = await cli(['generate', 'webhook', '--certs', 'mixed'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('--certs: mixed/tls.crt was not signed by mixed/ca.crt')]);
    // certs' CA and certificate, mixed's own key.
    writeFileSync(join(mixed, 'tls.crt'), certsOf('certs').cert);
    r = await cli(['generate', 'webhook', '--certs', 'mixed'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('--certs: mixed/tls.key is not the key of mixed/tls.crt')]);
    for (const [args, msg] of [
      [['--out-dir', 'x', '--days', '0'], '--days: "0" is not a whole number of days from 1 to 3650'],
      [['--out-dir', 'x', '--days', '1.5'], '--days: "1.5" is not a whole number'],
      [['--out-dir', 'x', '--ip', 'localhost'], '--ip: "localhost" is not an IP address'],
      [['--out-dir', 'x', '--service', 'Web_Hook'], '--service: "Web_Hook" is not a Service name'],
      [[], "required option '--out-dir <dir>' not specified"],
    ] as const) {
      const r = await cli(['generate', 'webhook-certs', ...args], { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(msg);
      expect(r.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});
