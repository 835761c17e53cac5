/**
 * A small client for the API server: credentials from kubeconfig or the pod's service account
 * (through @kubernetes/client-node, which knows every auth method), plain JSON over node:https,
 * bounded retries, and typed errors for what the scan must report.
 */
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { request as httpRequest } from 'node:http';
import { UnreachableError } from '../../core/errors.js';

export interface ConnectOptions {
  kubeconfig?: string;
  context?: string;
  /** Per-request timeout in milliseconds. */
  timeoutMs?: number;
  /** Attempts for a request that fails on the network or with 429/5xx. */
  attempts?: number;
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

/** The API server said no (401, 403, 404): reported per resource type, never a crash. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class ClusterClient {
  constructor(
    readonly server: string,
    private readonly base: RequestOptions,
    private readonly timeoutMs: number,
    private readonly attempts: number,
  ) {}

  /** GETs `path` as JSON; retries network errors, 429 and 5xx, then throws UnreachableError. */
  async get(path: string, accept = 'application/json'): Promise<unknown> {
    let last = '';
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      try {
        const r = await this.once(path, accept);
        if (r.status >= 200 && r.status < 300) return r.body;
        const msg = statusMessage(r.body) ?? `HTTP ${r.status}`;
        if (r.status !== 429 && r.status < 500) throw new ApiError(r.status, msg);
        last = `${path}: ${msg}`;
      } catch (e) {
        if (e instanceof ApiError) throw e;
        last = `${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
      }
      if (attempt < this.attempts) await sleep(250 * 2 ** (attempt - 1));
    }
    throw new UnreachableError(`cannot reach the API server at ${this.server} (${last}, after ${this.attempts} attempts)`);
  }

  private once(path: string, accept: string): Promise<ApiResponse> {
    const url = new URL(path, this.server);
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        { ...this.base, method: 'GET', headers: { ...(this.base.headers ?? {}), Accept: accept, 'User-Agent': 'kubeladder' } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = text;
            try {
              body = JSON.parse(text);
            } catch {
              // Non-JSON bodies (a proxy's error page) stay text.
            }
            resolve({ status: res.statusCode ?? 0, body });
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(this.timeoutMs, () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end();
    });
  }
}

function statusMessage(body: unknown): string | undefined {
  if (typeof body === 'object' && body !== null && 'message' in body) return String((body as { message: unknown }).message);
  return typeof body === 'string' && body ? body.slice(0, 200) : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Loads credentials as kubectl would: --kubeconfig, else KUBECONFIG or ~/.kube/config, else in-cluster. */
export async function connect(opts: ConnectOptions = {}): Promise<ClusterClient> {
  // client-node is large: load it only for commands that talk to a cluster.
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  try {
    if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
    else kc.loadFromDefault();
    if (opts.context) {
      if (!kc.getContexts().some((c) => c.name === opts.context)) throw new Error(`no context "${opts.context}" in the kubeconfig`);
      kc.setCurrentContext(opts.context);
    }
  } catch (e) {
    throw new UnreachableError(`cannot load the kubeconfig${opts.kubeconfig ? ` ${opts.kubeconfig}` : ''}: ${(e as Error).message}`);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new UnreachableError('no cluster: set --kubeconfig or KUBECONFIG, or run inside a pod');
  const base: RequestOptions = {};
  await kc.applyToHTTPSOptions(base);
  return new ClusterClient(cluster.server, base, opts.timeoutMs ?? 30_000, opts.attempts ?? 3);
}
