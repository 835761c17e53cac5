/** Snapshot files: a cluster's listing, gzipped JSON, scanned later with the same results. */
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { ClusterSnapshot } from './read.js';

const API_VERSION = 'kubeladder.io/v1';

interface SnapshotFile extends ClusterSnapshot {
  apiVersion: typeof API_VERSION;
  kind: 'Snapshot';
  /** The kinds that were listed: a check that needs another kind is not assessed from this file. */
  kinds: string[];
}

export function writeSnapshot(path: string, snap: ClusterSnapshot, kinds: readonly string[]): void {
  const file: SnapshotFile = { apiVersion: API_VERSION, kind: 'Snapshot', kinds: [...kinds], ...snap };
  writeFileSync(path, gzipSync(JSON.stringify(file)));
}

export class SnapshotError extends Error {
  readonly exitCode = 2;
}

export function readSnapshot(path: string, display = path): ClusterSnapshot & { kinds: string[] } {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (e) {
    throw new SnapshotError(`${display}: cannot read snapshot: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let file: Partial<SnapshotFile>;
  try {
    file = JSON.parse(gunzipSync(data).toString('utf8')) as Partial<SnapshotFile>;
  } catch {
    throw new SnapshotError(`${display}: not a kubeladder snapshot (write one with \`kubeladder snapshot --cluster -o FILE\`)`);
  }
  if (file.apiVersion !== API_VERSION || file.kind !== 'Snapshot' || !Array.isArray(file.objects) || !Array.isArray(file.kinds)) {
    throw new SnapshotError(`${display}: not a kubeladder snapshot (apiVersion ${API_VERSION}, kind Snapshot expected)`);
  }
  const unreadable = { ...(file.unreadable ?? {}) };
  const snap: ClusterSnapshot & { kinds: string[] } = { serverVersion: file.serverVersion, objects: file.objects, unreadable, kinds: file.kinds };
  if (Array.isArray(file.deprecatedApiRequests)) snap.deprecatedApiRequests = file.deprecatedApiRequests;
  if (file.scope && typeof file.scope === 'object') snap.scope = file.scope;
  return snap;
}
