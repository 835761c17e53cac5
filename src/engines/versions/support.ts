/** What Kubernetes' support and skew policies say about a version. */
import { RELEASES, RELEASES_UPDATED_NOTE, compareMinor, minorOf, parseVersion, releaseOf, type Version } from './releases.js';

export type SupportVerdict =
  | { supported: true; note?: string }
  | { supported: false; reason: string };

/** Whether a minor release still gets patches on `today` (YYYY-MM-DD). */
export function support(version: string, today: string): SupportVerdict {
  const v = parseVersion(version);
  if (!v) return { supported: false, reason: `"${version}" is not a Kubernetes version` };
  const rel = releaseOf(v);
  if (rel) {
    return rel.endOfLife < today
      ? { supported: false, reason: `Kubernetes ${minorOf(v)} reached end of life on ${rel.endOfLife}` }
      : { supported: true, note: `Kubernetes ${minorOf(v)} is supported until ${rel.endOfLife}` };
  }
  const oldest = parseVersion(RELEASES[0]!.minor)!;
  if (compareMinor(v, oldest) < 0) return { supported: false, reason: `Kubernetes ${minorOf(v)} is older than ${RELEASES[0]!.minor}, whose support ended on ${RELEASES[0]!.endOfLife}` };
  return { supported: true, note: `Kubernetes ${minorOf(v)} is newer than kubeladder's release table (${RELEASES_UPDATED_NOTE})` };
}

/** How many patches `version` is behind the newest patch of its minor, with that patch. */
export function patchesBehind(version: string): { behind: number; latest: string } | undefined {
  const v = parseVersion(version);
  const rel = v && releaseOf(v);
  if (!v || !rel || v.patch === undefined) return undefined;
  const latest = parseVersion(rel.latestPatch)!;
  return { behind: Math.max(0, (latest.patch ?? 0) - v.patch), latest: rel.latestPatch };
}

/** The kubelet may be up to this many minors older than the API server (since 1.28; 2 before). */
export function maxKubeletSkew(apiServer: Version): number {
  return compareMinor(apiServer, { major: 1, minor: 28 }) >= 0 ? 3 : 2;
}
