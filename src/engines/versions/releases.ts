/** Kubernetes releases, their support windows (release-table.ts), and version arithmetic. */
import { RELEASE_TABLE, RELEASES_UPDATED } from './release-table.js';

export interface Release {
  minor: string;
  released: string;
  endOfLife: string;
  latestPatch: string;
}

export const RELEASES: readonly Release[] = RELEASE_TABLE;

/** Said wherever a verdict rests on the table's age. */
export const RELEASES_UPDATED_NOTE = `release table updated ${RELEASES_UPDATED}; refresh with scripts/update-k8s-releases.mjs`;

export interface Version {
  major: number;
  minor: number;
  patch?: number;
}

/** `v1.36.4`, `1.36`, `v1.36.4-eks-1234` (vendor suffixes ignored). */
export function parseVersion(v: string): Version | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(v.trim());
  if (!m) return undefined;
  const out: Version = { major: Number(m[1]), minor: Number(m[2]) };
  if (m[3] !== undefined) out.patch = Number(m[3]);
  return out;
}

export function minorOf(v: Version): string {
  return `${v.major}.${v.minor}`;
}

export function releaseOf(v: Version): Release | undefined {
  return RELEASES.find((r) => r.minor === minorOf(v));
}

/** The newest release the table knows. */
export function newestRelease(): Release {
  return RELEASES[RELEASES.length - 1]!;
}

/** Negative when a < b, by major then minor. */
export function compareMinor(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor;
}
