import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPatch } from '../../src/webhook/mutate.js';
import { startServer, type WebhookServer } from '../../src/webhook/server.js';
import { plainSpec, pod, policy, privilegedSpec, request } from './fixtures.js';
import { makeCa, makeServing, type Ca } from './pki.js';

interface Reply {
  status: number;
  body: string;
  serial: string;
  socket: TLSSocket;
  headers: Record<string, string | string[] | undefined>;
}

let dir: string;
let ca: Ca;
let certDir: string;
let srv: WebhookServer;
const logs: string[] = [];

function writePair(pair: { cert: string; key: string }): void {
  // As a Secret volume does: new files, then an atomic swap.
  writeFileSync(join(certDir, 'tls.crt.tmp'), pair.cert);
  writeFileSync(join(certDir, 'tls.key.tmp'), pair.key);
  renameSync(join(certDir, 'tls.key.tmp'), join(certDir, 'tls.key'));
  renameSync(join(certDir, 'tls.crt.tmp'), join(certDir, 'tls.crt'));
}

function call(path: string, opts: { method?: string; body?: string | Buffer; agent?: https.Agent | false; headers?: Record<string, string | number> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: '127.0.0.1', port: srv.port, path, method: opts.method ?? (opts.body !== undefined ? 'POST' : 'GET'), ca: ca.pem, agent: opts.agent ?? false, headers: { 'content-type': 'application/json', ...opts.headers } },
      (res) => {
        const socket = res.socket as TLSSocket;
        const serial = socket.getPeerCertificate().serialNumber;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, serial, socket, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const reviewOf = (req: unknown) => JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: req });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kl-webhook-'));
  ca = makeCa(dir);
  certDir = join(dir, 'certs');
  mkdirSync(certDir);
  writePair(makeServing(ca, '1001'));
  srv = await startServer({
    policy: policy('rules:\n  - check: pod/privileged\n  - pss: {level: restricted}\n    mode: warn\nmutations: [seccompRuntimeDefault, noPrivilegeEscalation]\nsandbox: {runtimeClassName: gvisor}\n'),
    certFile: join(certDir, 'tls.crt'),
    keyFile: join(certDir, 'tls.key'),
    port: 0,
    address: '127.0.0.1',
    log: (l) => logs.push(l),
    reloadDelayMs: 50,
  });
}, 30_000);

afterAll(async () => {
  await srv?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('webhook server over HTTPS', () => {
  it('sets the timeouts the API server needs', () => {
    expect(srv.server.keepAliveTimeout).toBeGreaterThan(90_000);
    expect(srv.server.headersTimeout).toBeGreaterThan(srv.server.keepAliveTimeout);
    expect(srv.server.requestTimeout).toBeGreaterThanOrEqual(srv.server.headersTimeout);
  });

  it('answers probes', async () => {
    expect(await call('/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
    expect(await call('/readyz')).toMatchObject({ status: 200, body: 'ok\n' });
    expect((await call('/nope')).status).toBe(404);
    expect((await call('/validate')).status).toBe(405);
  });

  it('denies a privileged pod on /validate', async () => {
    const r = await call('/validate', { body: reviewOf(request(pod('web', privilegedSpec()), { uid: 'deny-1' })) });
    expect(r.status).toBe(200);
    const res = JSON.parse(r.body);
    expect(res).toMatchObject({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'deny-1', allowed: false, status: { code: 403 } } });
    expect(res.response.status.message).toMatch(/^kubeladder denied Pod shop\/web: pod\/privileged: container "api" runs privileged/);
  });

  it('on /validate-untrusted (namespaces labelled kubeladder.io/untrusted=true) requires the sandbox for every pod', async () => {
    const plain = reviewOf(request(pod('web', plainSpec()), { uid: 'u-1' }));
    expect(JSON.parse((await call('/validate', { body: plain })).body).response.allowed).toBe(true);
    const r = JSON.parse((await call('/validate-untrusted', { body: plain })).body).response;
    expect(r).toMatchObject({ uid: 'u-1', allowed: false, status: { code: 403 } });
    expect(r.status.message).toContain('sandbox: untrusted workload (its namespace "shop" is labelled kubeladder.io/untrusted: "true") sets no runtimeClassName');
    const sandboxed = reviewOf(request(pod('web', { runtimeClassName: 'gvisor', ...plainSpec() }), { uid: 'u-2' }));
    expect(JSON.parse((await call('/validate-untrusted', { body: sandboxed })).body).response.allowed).toBe(true);
  });

  it('patches a plain pod on /mutate', async () => {
    const obj = pod('web', plainSpec());
    const r = await call('/mutate', { body: reviewOf(request(obj, { uid: 'mut-1' })) });
    const res = JSON.parse(r.body).response;
    expect(res).toMatchObject({ uid: 'mut-1', allowed: true, patchType: 'JSONPatch' });
    const patched = applyPatch(obj, JSON.parse(Buffer.from(res.patch, 'base64').toString())) as { spec: { securityContext: unknown; containers: Array<{ securityContext: unknown }> } };
    expect(patched.spec.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    expect(patched.spec.containers[0]!.securityContext).toEqual({ allowPrivilegeEscalation: false });
  });

  it('logs one JSON line per decision, never the object', async () => {
    logs.length = 0;
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: 'c3VwZXItc2VjcmV0' } };
    await call('/validate', { body: reviewOf(request(secret, { uid: 'sec-1' })) });
    await call('/validate', { body: reviewOf(request(pod('web', { ...privilegedSpec(), containers: [{ name: 'api', image: 'x', env: [{ name: 'PASSWORD', value: 'hunter2' }], securityContext: { privileged: true } }] }), { uid: 'pod-1' })) });
    expect(logs).toHaveLength(2);
    const [a, b] = logs.map((l) => JSON.parse(l));
    expect(a).toMatchObject({ endpoint: 'validate', uid: 'sec-1', kind: 'Secret', allowed: true, skipped: 'kind Secret' });
    expect(b).toMatchObject({ uid: 'pod-1', kind: 'Pod', namespace: 'shop', name: 'web', user: 'alice', allowed: false, dryRun: false });
    expect(b.findings).toContain('enforce:pod/privileged');
    expect(logs.join('\n')).not.toMatch(/c3VwZXItc2VjcmV0|hunter2/);
  });

  it('answers 400 to bad reviews, in one line', async () => {
    for (const [body, message] of [
      ['{not json', /^malformed JSON: /],
      [JSON.stringify({ apiVersion: 'admission.k8s.io/v1beta1', kind: 'AdmissionReview', request: { uid: 'x' } }), /^apiVersion "admission\.k8s\.io\/v1beta1" is not/],
      [JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'Pod', request: { uid: 'x' } }), /^kind "Pod" is not AdmissionReview/],
      [JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: {} }), /^request\.uid is missing/],
    ] as const) {
      const r = await call('/validate', { body });
      expect(r.status).toBe(400);
      expect(r.body).toMatch(message);
      expect(r.body.trim().split('\n')).toHaveLength(1);
    }
  });

  it('answers a well-formed deny for an object it cannot judge', async () => {
    const r = await call('/validate', { body: reviewOf(request(pod('web', plainSpec()), { uid: 'odd-1', object: { kind: 'Pod', metadata: { name: 'web' }, spec: 'x' } })) });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).response).toMatchObject({ uid: 'odd-1', allowed: false, status: { message: expect.stringContaining('could not be judged') } });
  });

  it('refuses a body above 3 MiB with 413, by its declared length, without reading it', async () => {
    const started = Date.now();
    const r = await new Promise<number>((resolve, reject) => {
      const req = https.request({ host: '127.0.0.1', port: srv.port, path: '/validate', method: 'POST', ca: ca.pem, agent: false, headers: { 'content-length': 4 * 1024 * 1024 } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{"apiVersion":'); // and never the rest
    });
    expect(r).toBe(413);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses a chunked body once it passes 3 MiB', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 10, 0x20);
    const r = await new Promise<number>((resolve, reject) => {
      const req = https.request({ host: '127.0.0.1', port: srv.port, path: '/validate', method: 'POST', ca: ca.pem, agent: false, headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => undefined); // the server may close before all is sent
      req.end(big);
      setTimeout(() => reject(new Error('no answer')), 10_000).unref();
    });
    expect(r).toBe(413);
  });

  it('serves many requests over one keep-alive connection', async () => {
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: ca.pem });
    try {
      const sockets = new Set<TLSSocket>();
      for (let i = 0; i < 20; i++) {
        const r = await call(i % 2 ? '/validate' : '/mutate', { agent, body: reviewOf(request(pod(`p${i}`, plainSpec()), { uid: `ka-${i}` })) });
        expect(r.status).toBe(200);
        expect(JSON.parse(r.body).response.uid).toBe(`ka-${i}`);
        expect(r.headers.connection).not.toBe('close');
        sockets.add(r.socket);
      }
      expect(sockets.size).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it('counts requests and decisions on /metrics', async () => {
    const text = (await call('/metrics')).body;
    expect(text).toMatch(/^kubeladder_webhook_requests_total\{endpoint="validate",code="200"\} \d+$/m);
    expect(text).toMatch(/^kubeladder_webhook_requests_total\{endpoint="validate",code="400"\} 4$/m);
    expect(text).toMatch(/^kubeladder_webhook_requests_total\{endpoint="validate",code="413"\} 2$/m);
    expect(text).toMatch(/^kubeladder_webhook_requests_total\{endpoint="healthz",code="200"\} 1$/m);
    expect(text).toMatch(/^kubeladder_webhook_decisions_total\{check="pod\/privileged",mode="enforce"\} 2$/m);
    expect(text).toMatch(/^kubeladder_webhook_decisions_total\{check="pss\/restricted",mode="warn"\} \d+$/m);
    expect(text).toMatch(/^kubeladder_webhook_request_duration_seconds_count\{endpoint="mutate"\} \d+$/m);
  });

  it('reloads a rotated certificate for new connections; open keep-alive connections keep working', async () => {
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: ca.pem });
    try {
      const before = await call('/healthz', { agent });
      expect(before.serial).toBe('1001');
      writePair(makeServing(ca, '2002', 'rotated'));
      let seen = '';
      for (let i = 0; i < 100 && seen !== '2002'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        seen = (await call('/healthz')).serial;
      }
      expect(seen).toBe('2002');
      const after = await call('/validate', { agent, body: reviewOf(request(pod('web', privilegedSpec()), { uid: 'old-conn' })) });
      expect(after.socket).toBe(before.socket);
      expect(after.serial).toBe('1001');
      expect(JSON.parse(after.body).response).toMatchObject({ uid: 'old-conn', allowed: false });
      expect(logs.some((l) => l.includes('serving certificate reloaded'))).toBe(true);
    } finally {
      agent.destroy();
    }
  });

  it('keeps the old certificate when the new files do not load, and says so once', async () => {
    logs.length = 0;
    writeFileSync(join(certDir, 'tls.crt'), 'not a certificate');
    expect(srv.reloadCertificate()).toBe(false);
    expect(logs.filter((l) => l.includes('reload failed'))).toHaveLength(1);
    expect(JSON.parse(logs[0]!)).toMatchObject({ msg: 'serving certificate reload failed, keeping the old one' });
    expect((await call('/healthz')).serial).toBe('2002');
  });
});
