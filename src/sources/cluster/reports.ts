/**
 * Writes a scan's PolicyReports into the cluster (`scan --cluster --write-reports`): installs the
 * wgpolicyk8s.io CRDs when they are absent, applies each report by server-side apply, and
 * deletes kubeladder's own reports that this run no longer writes, within the run's scope only.
 */
import { readFileSync } from 'node:fs';
import { MANAGED_BY, POLICY_REPORT_API_VERSION, type PolicyReportObject } from '../../reporters/policyreport.js';
import { APPLY_PATCH, ApiError, type ClusterClient } from './client.js';
import { pool } from './read.js';

/** What this run owns: a sharded or `-n` scan must not delete reports it did not rewrite. */
export interface ReportScope {
  /** Whether this run writes the ClusterPolicyReport (and may delete stale cluster reports). */
  cluster: boolean;
  /** Whether this run covers the namespace (and may delete kubeladder's stale reports there). */
  namespace(ns: string): boolean;
}

export interface WriteOutcome {
  /** `namespace/name` of each PolicyReport applied, and the ClusterPolicyReport's name. */
  written: string[];
  /** Reports deleted as stale, the same way. */
  deleted: string[];
  /** CRDs this run created. */
  installed: string[];
  /** What could not be written or deleted, one message each. */
  failures: string[];
}

export interface WriteOptions {
  /** How long to wait for a CRD this run created to be Established; default 30 s. */
  establishTimeoutMs?: number;
  concurrency?: number;
}

/** The field manager of every apply: `kubectl get polr -o yaml --show-managed-fields` shows it. */
export const FIELD_MANAGER = 'kubeladder';
/** The CRDs, as files under deploy/crds/ (shipped with the package and the image). */
export const REPORT_CRDS = ['wgpolicyk8s.io_policyreports.yaml', 'wgpolicyk8s.io_clusterpolicyreports.yaml'] as const;
export const REPORT_CRD_NAMES = ['policyreports.wgpolicyk8s.io', 'clusterpolicyreports.wgpolicyk8s.io'] as const;

const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const GROUP_PATH = `/apis/${POLICY_REPORT_API_VERSION}`;
const SELECTOR = Object.entries(MANAGED_BY).map(([k, v]) => `${k}=${v}`).join(',');

/** A failure that stops the whole write (the CRDs cannot be read or installed). */
export class ReportWriteError extends Error {}

/** The CRD objects kubeladder installs, parsed from deploy/crds/. */
export async function reportCrds(): Promise<Array<{ metadata: { name: string } } & Record<string, unknown>>> {
  const { parse } = await import('yaml');
  return REPORT_CRDS.map((f) => parse(readFileSync(new URL(`../../../deploy/crds/${f}`, import.meta.url), 'utf8')) as { metadata: { name: string } });
}

export async function writeReports(client: ClusterClient, reports: readonly PolicyReportObject[], scope: ReportScope, opts: WriteOptions = {}): Promise<WriteOutcome> {
  const out: WriteOutcome = { written: [], deleted: [], installed: [], failures: [] };
  out.installed = await ensureCrds(client, opts.establishTimeoutMs ?? 30_000);
  const mine = reports.filter((r) => (r.kind === 'ClusterPolicyReport' ? scope.cluster : scope.namespace(r.metadata.namespace!)));
  const keys = new Set(mine.map(keyOf));
  await pool(mine, opts.concurrency ?? 4, async (r) => {
    try {
      await client.request('PATCH', `${pathOf(r.kind, r.metadata.namespace, r.metadata.name)}?fieldManager=${FIELD_MANAGER}&force=true`, { body: r, contentType: APPLY_PATCH });
      out.written.push(keyOf(r));
    } catch (e) {
      out.failures.push(`${keyOf(r)}: ${describe(e)}`);
    }
  });
  // Stale: kubeladder's reports this run covers but did not write (a namespace with no results
  // left, a report from an older naming). Another shard's or another -n run's are left alone.
  for (const kind of ['PolicyReport', 'ClusterPolicyReport'] as const) {
    if (kind === 'ClusterPolicyReport' && !scope.cluster) continue;
    let existing: Array<{ metadata: { name: string; namespace?: string } }>;
    try {
      existing = await listAll(client, `${GROUP_PATH}/${kind === 'PolicyReport' ? 'policyreports' : 'clusterpolicyreports'}`);
    } catch (e) {
      out.failures.push(`listing ${kind}s: ${describe(e)}`);
      continue;
    }
    const stale = existing.filter((o) => !keys.has(keyOf({ kind, metadata: o.metadata })) && (kind === 'ClusterPolicyReport' || scope.namespace(o.metadata.namespace ?? '')));
    await pool(stale, opts.concurrency ?? 4, async (o) => {
      const key = keyOf({ kind, metadata: o.metadata });
      try {
        await client.request('DELETE', pathOf(kind, o.metadata.namespace, o.metadata.name));
        out.deleted.push(key);
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return;
        out.failures.push(`deleting ${key}: ${describe(e)}`);
      }
    });
  }
  out.written.sort();
  out.deleted.sort();
  return out;
}

/** Creates the CRDs that are absent and waits, bounded, until the API server serves them; returns what it created. */
async function ensureCrds(client: ClusterClient, timeoutMs: number): Promise<string[]> {
  const installed: string[] = [];
  for (const crd of await reportCrds()) {
    const name = crd.metadata.name;
    let current: unknown;
    try {
      current = await client.get(`${CRD_PATH}/${name}`);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) throw new ReportWriteError(`cannot read the CRD ${name}: ${describe(e)}`);
      try {
        current = await client.request('POST', CRD_PATH, { body: crd });
        installed.push(name);
      } catch (e2) {
        // Another shard created it meanwhile: wait for it like for ours.
        if (!(e2 instanceof ApiError && e2.status === 409)) throw new ReportWriteError(`cannot create the CRD ${name}: ${describe(e2)}`);
      }
    }
    const deadline = Date.now() + timeoutMs;
    while (!established(current)) {
      if (Date.now() > deadline) throw new ReportWriteError(`the CRD ${name} is not Established after ${Math.round(timeoutMs / 1000)} s`);
      await new Promise((r) => setTimeout(r, 200));
      try {
        current = await client.get(`${CRD_PATH}/${name}`);
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) throw new ReportWriteError(`cannot read the CRD ${name}: ${describe(e)}`);
      }
    }
  }
  return installed;
}

function established(crd: unknown): boolean {
  const conditions = (crd as { status?: { conditions?: Array<{ type?: string; status?: string }> } } | undefined)?.status?.conditions ?? [];
  return conditions.some((c) => c.type === 'Established' && c.status === 'True');
}

async function listAll(client: ClusterClient, path: string): Promise<Array<{ metadata: { name: string; namespace?: string } }>> {
  const items: Array<{ metadata: { name: string; namespace?: string } }> = [];
  let cont = '';
  do {
    const page = (await client.get(`${path}?labelSelector=${encodeURIComponent(SELECTOR)}&limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`)) as {
      items?: Array<{ metadata: { name: string; namespace?: string } }>;
      metadata?: { continue?: string };
    };
    items.push(...(page.items ?? []));
    cont = page.metadata?.continue ?? '';
  } while (cont);
  return items;
}

function pathOf(kind: PolicyReportObject['kind'], namespace: string | undefined, name: string): string {
  const enc = encodeURIComponent;
  return kind === 'PolicyReport' ? `${GROUP_PATH}/namespaces/${enc(namespace ?? '')}/policyreports/${enc(name)}` : `${GROUP_PATH}/clusterpolicyreports/${enc(name)}`;
}

function keyOf(r: { kind: string; metadata: { name: string; namespace?: string } }): string {
  return r.kind === 'PolicyReport' ? `${r.metadata.namespace}/${r.metadata.name}` : r.metadata.name;
}

function describe(e: unknown): string {
  if (e instanceof ApiError) return e.status === 403 ? `forbidden: ${e.message}` : `HTTP ${e.status}: ${e.message}`;
  if (e instanceof Error && 'exitCode' in e) return e.message;
  throw e;
}
