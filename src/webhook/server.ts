/**
 * The admission webhook's HTTPS server: /validate and /mutate take AdmissionReviews, /healthz
 * and /readyz answer probes, /metrics serves Prometheus metrics (prom-client, on a registry of
 * its own). The serving certificate is reloaded when its files change (cert-manager and
 * Secret volume updates swap them), without dropping connections; a bad new pair is logged
 * once and the old one kept.
 *
 * Timeouts: the API server keeps idle connections to webhooks for 90 s; a Node server that
 * closes them sooner races the API server's next request and it sees EOF. So keep-alive lasts
 * 120 s and the header timeout is above it; a whole request is bounded at 130 s.
 */
import { watch, readFileSync, type FSWatcher } from 'node:fs';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import tls from 'node:tls';
import { Counter, Histogram, Registry } from 'prom-client';
import { UNTRUSTED_LABEL } from '../engines/workloads/untrusted.js';
import { decide, type Decision } from './decide.js';
import type { WebhookPolicy } from './policy.js';
import { BadReview, buildResponse, MAX_BODY_BYTES, parseReview, type Endpoint } from './review.js';

export const KEEP_ALIVE_TIMEOUT_MS = 120_000;
export const HEADERS_TIMEOUT_MS = 121_000;
export const REQUEST_TIMEOUT_MS = 130_000;

export interface ServerOptions {
  policy: WebhookPolicy;
  certFile: string;
  keyFile: string;
  port: number;
  address: string;
  /** One line per call, no newline (default: stderr). */
  log?: (line: string) => void;
  /** Debounce of certificate reloads after a file change (default 250 ms). */
  reloadDelayMs?: number;
}

export interface WebhookServer {
  server: https.Server;
  port: number;
  registry: Registry;
  /** Re-reads the certificate and key now; false (old pair kept) when they do not load. */
  reloadCertificate(): boolean;
  close(): Promise<void>;
}

function metricsOf(registry: Registry) {
  return {
    requests: new Counter({ name: 'kubeladder_webhook_requests_total', help: 'HTTP requests by endpoint and status code', labelNames: ['endpoint', 'code'], registers: [registry] }),
    decisions: new Counter({ name: 'kubeladder_webhook_decisions_total', help: 'Findings of admission decisions by check and mode', labelNames: ['check', 'mode'], registers: [registry] }),
    latency: new Histogram({
      name: 'kubeladder_webhook_request_duration_seconds',
      help: 'Time to answer a request, by endpoint',
      labelNames: ['endpoint'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
  };
}

export async function startServer(opts: ServerOptions): Promise<WebhookServer> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const registry = new Registry();
  const m = metricsOf(registry);
  let pair = { cert: readFileSync(opts.certFile), key: readFileSync(opts.keyFile) };
  const server = https.createServer({ cert: pair.cert, key: pair.key, requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: HEADERS_TIMEOUT_MS, keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;

  const reloadCertificate = (): boolean => {
    try {
      const next = { cert: readFileSync(opts.certFile), key: readFileSync(opts.keyFile) };
      if (next.cert.equals(pair.cert) && next.key.equals(pair.key)) return true;
      tls.createSecureContext(next); // throws on a bad or mismatched pair
      server.setSecureContext(next);
      pair = next;
      log(JSON.stringify({ time: new Date().toISOString(), msg: 'serving certificate reloaded' }));
      return true;
    } catch (e) {
      log(JSON.stringify({ time: new Date().toISOString(), msg: 'serving certificate reload failed, keeping the old one', error: (e as Error).message.split('\n')[0] }));
      return false;
    }
  };
  // Watch the directories: Secret volumes replace files by swapping a symlink, which a watch on the file misses.
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  for (const dir of new Set([dirname(opts.certFile), dirname(opts.keyFile)])) {
    try {
      const w = watch(dir, () => {
        clearTimeout(timer);
        timer = setTimeout(reloadCertificate, opts.reloadDelayMs ?? 250);
      });
      w.on('error', () => undefined);
      watchers.push(w);
    } catch (e) {
      log(JSON.stringify({ time: new Date().toISOString(), msg: `cannot watch ${dir}; certificate changes need a restart`, error: (e as Error).message }));
    }
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    const path = (req.url ?? '/').split('?')[0]!;
    // /validate-untrusted: the webhook registered for namespaces labelled kubeladder.io/untrusted=true.
    const untrusted = path === '/validate-untrusted';
    const endpoint = untrusted ? 'validate' : ['/validate', '/mutate', '/healthz', '/readyz', '/metrics'].includes(path) ? path.slice(1) : 'other';
    const send = (code: number, body: string, type = 'text/plain; charset=utf-8', close = false): void => {
      if (res.headersSent) return;
      const headers: Record<string, string | number> = { 'content-type': type, 'content-length': Buffer.byteLength(body) };
      if (close) headers.connection = 'close';
      res.writeHead(code, headers);
      res.end(body);
      m.requests.inc({ endpoint, code: String(code) });
      m.latency.observe({ endpoint }, Number(process.hrtime.bigint() - started) / 1e9);
    };
    if (endpoint === 'healthz' || endpoint === 'readyz') return send(200, 'ok\n');
    if (endpoint === 'metrics') {
      registry.metrics().then(
        (text) => send(200, text, registry.contentType),
        (e: Error) => send(500, `${e.message}\n`),
      );
      return;
    }
    if (endpoint === 'other') return send(404, 'not found: use /validate, /validate-untrusted, /mutate, /healthz, /readyz or /metrics\n');
    if (req.method !== 'POST') return send(405, 'use POST\n');
    const declared = Number(req.headers['content-length']);
    const tooLarge = (): void => {
      send(413, `request body above ${MAX_BODY_BYTES} bytes\n`, undefined, true);
      // Stop reading: the connection closes once the answer is out.
      req.pause();
      res.on('finish', () => req.socket.destroySoon());
    };
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    let aborted = false;
    req.on('data', (c: Buffer) => {
      if (aborted) return;
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        aborted = true;
        chunks.length = 0;
        return tooLarge();
      }
      chunks.push(c);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      if (aborted) return;
      handleReview(endpoint as Endpoint, Buffer.concat(chunks), send, started, untrusted);
    });
  });

  const handleReview = (endpoint: Endpoint, body: Buffer, send: (code: number, body: string, type?: string) => void, started: bigint, untrusted: boolean): void => {
    let review;
    try {
      review = parseReview(body);
    } catch (e) {
      if (e instanceof BadReview) return send(400, `${e.message}\n`);
      return send(500, 'internal error\n');
    }
    const req = review.request;
    let decision: Decision;
    try {
      decision = decide(opts.policy, req, untrusted ? { namespaceLabels: { [UNTRUSTED_LABEL]: 'true' } } : {});
    } catch (e) {
      // decide() catches what the checks throw; this is a bug, and the answer is still well-formed.
      decision = { allowed: false, status: { code: 500, message: `kubeladder could not judge the object: ${(e as Error).message}` }, warnings: [], audit: [], findings: [] };
    }
    if (endpoint === 'validate') for (const f of decision.findings) m.decisions.inc({ check: f.check, mode: f.mode });
    send(200, JSON.stringify(buildResponse(req.uid, decision, endpoint)), 'application/json');
    // One line per decision: who, what and the verdict; never the object (a Secret's data, say).
    const meta = (req.object as { metadata?: { name?: unknown } } | undefined)?.metadata;
    log(
      JSON.stringify({
        time: new Date().toISOString(),
        endpoint,
        uid: req.uid,
        operation: req.operation,
        kind: req.kind?.kind,
        subResource: req.subResource || undefined,
        namespace: req.namespace,
        name: req.name || (typeof meta?.name === 'string' ? meta.name : undefined),
        user: req.userInfo?.username,
        dryRun: req.dryRun === true,
        allowed: endpoint === 'validate' ? decision.allowed : true,
        skipped: decision.skipped,
        findings: endpoint === 'validate' ? decision.findings.map((f) => `${f.mode}:${f.check}`) : undefined,
        patchOps: endpoint === 'mutate' ? (decision.patch?.length ?? 0) : undefined,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
      }),
    );
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    server,
    port,
    registry,
    reloadCertificate,
    close: async () => {
      clearTimeout(timer);
      for (const w of watchers) w.close();
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
