/**
 * A small client for the API server: credentials from kubeconfig or the pod's service account
 * (through @kubernetes/client-node, which knows every auth method), plain JSON over node:https,
 * bounded retries, and typed errors for what the scan must report.
 */
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions, type RequestOptions } from 'node:https';
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

/** The content type of a server-side apply patch (the body may be JSON, which is YAML). */
export const APPLY_PATCH = 'application/apply-patch+yaml';

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
  get(path: string, accept = 'application/json'): Promise<unknown> {
    return this.request('GET', path, { accept });
  }

  /**
   * Sends a request and returns the JSON body of a 2xx answer; other answers below 500 (but 429)
   * throw ApiError. Only idempotent requests are retried on network errors, 429 and 5xx: GET,
   * HEAD, PUT, DELETE, and server-side apply (an apply patch says the whole intended state, so
   * sending it twice gives the same object). A POST or another PATCH is sent once.
   */
  async request(method: string, path: string, opts: { body?: unknown; contentType?: string; accept?: string } = {}): Promise<unknown> {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const contentType = opts.contentType ?? 'application/json';
    const idempotent = ['GET', 'HEAD', 'PUT', 'DELETE'].includes(method) || (method === 'PATCH' && contentType === APPLY_PATCH);
    const attempts = idempotent ? this.attempts : 1;
    let last = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const r = await this.once(method, path, opts.accept ?? 'application/json', payload, contentType);
        if (r.status >= 200 && r.status < 300) return r.body;
        const msg = statusMessage(r.body) ?? `HTTP ${r.status}`;
        if (r.status !== 429 && r.status < 500) throw new ApiError(r.status, msg);
        last = `${path}: ${msg}`;
      } catch (e) {
        if (e instanceof ApiError) throw e;
        last = `${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
      }
      if (attempt < attempts) await sleep(250 * 2 ** (attempt - 1));
    }
    const tries = attempts === 1 ? 'not retried: not idempotent' : `after ${attempts} attempts`;
    throw new UnreachableError(`cannot reach the API server at ${this.server} (${last}, ${tries})`);
  }

  private once(method: string, path: string, accept: string, payload: string | undefined, contentType: string): Promise<ApiResponse> {
    const url = new URL(path, this.server);
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    const headers: Record<string, string | number> = { Accept: accept, 'User-Agent': 'kubeladder' };
    if (payload !== undefined) {
      headers['Content-Type'] = contentType;
      headers['Content-Length'] = Buffer.byteLength(payload);
    }
    return new Promise((resolve, reject) => {
      const req = send(url, { ...this.base, method, headers: { ...(this.base.headers ?? {}), ...headers } }, (res) => {
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
      });
      req.setTimeout(this.timeoutMs, () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end(payload);
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
  // client-node's agent opens a new TLS connection per request; a scan makes dozens. Proxy
  // agents (another class) are left as they are.
  if (base.agent instanceof HttpsAgent && base.agent.constructor === HttpsAgent) {
    base.agent = new HttpsAgent({ ...(base.agent as HttpsAgent & { options: AgentOptions }).options, keepAlive: true });
  }
  return new ClusterClient(cluster.server, base, opts.timeoutMs ?? 30_000, opts.attempts ?? 3);
}
