/**
 * The API versions an object was written in. A manifest says it in `apiVersion`; a live server
 * answers in whatever version it is asked, so there the versions the writers used are in
 * managedFields and in kubectl's last-applied-configuration annotation.
 */
import type { Resource } from '../../core/resource.js';
import { deprecationOf, type DeprecatedApi } from './deprecated-apis.js';
import { compareMinor, newestRelease, parseVersion, type Version } from './releases.js';

export interface WrittenVersion {
  apiVersion: string;
  /** Field path where it is recorded. */
  path: string;
  /** Who wrote it that way (a field manager), when known. */
  writer?: string;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export function writtenVersions(r: Resource): WrittenVersion[] {
  if (r.origin.file !== undefined) return [{ apiVersion: r.apiVersion, path: 'apiVersion' }];
  const out: WrittenVersion[] = [];
  const fields = r.obj.metadata?.managedFields;
  if (Array.isArray(fields)) {
    fields.forEach((f: { apiVersion?: unknown; manager?: unknown }, i) => {
      if (typeof f?.apiVersion === 'string') out.push({ apiVersion: f.apiVersion, path: `metadata.managedFields[${i}].apiVersion`, writer: typeof f.manager === 'string' ? f.manager : undefined });
    });
  }
  const applied = r.annotations[LAST_APPLIED];
  if (applied) {
    try {
      const v = (JSON.parse(applied) as { apiVersion?: unknown }).apiVersion;
      if (typeof v === 'string') out.push({ apiVersion: v, path: `metadata.annotations["${LAST_APPLIED}"]`, writer: 'kubectl apply' });
    } catch {
      // A hand-edited annotation that is not JSON says nothing about versions.
    }
  }
  return out;
}

/** The release to judge API versions against: the upgrade target, else the cluster's, else the newest known. */
export function judgedRelease(kubernetesVersion: string | undefined, targetVersion: string | undefined): { version: Version; why: string } {
  const target = targetVersion ? parseVersion(targetVersion) : undefined;
  if (target) return { version: target, why: `the upgrade target ${targetVersion}` };
  const current = kubernetesVersion ? parseVersion(kubernetesVersion) : undefined;
  if (current) return { version: current, why: `the cluster's ${kubernetesVersion}` };
  return { version: parseVersion(newestRelease().minor)!, why: `Kubernetes ${newestRelease().minor}` };
}

/** True when release `minor` ("1.22") is at or before `v`. */
export function reached(minor: string, v: Version): boolean {
  return compareMinor(parseVersion(minor)!, v) <= 0;
}

export interface DeprecatedWrite {
  written: WrittenVersion;
  api: DeprecatedApi;
  /** Whether the judged release no longer serves it (else it is only deprecated there). */
  removed: boolean;
  /** Whether the judged release has deprecated it. */
  deprecated: boolean;
  /** What the verdict was judged against, for messages. */
  judgedAgainst: string;
}

/** Every version `r` was written in that the deprecation table lists, judged against the right release. */
export function deprecatedWrites(r: Resource, kubernetesVersion: string | undefined, targetVersion: string | undefined): DeprecatedWrite[] {
  const judged = judgedRelease(kubernetesVersion, targetVersion);
  return writtenVersions(r).flatMap((written) => {
    const api = deprecationOf(written.apiVersion, r.kind);
    if (!api) return [];
    return [{ written, api, removed: reached(api.removedIn, judged.version), deprecated: reached(api.deprecatedIn, judged.version), judgedAgainst: judged.why }];
  });
}
