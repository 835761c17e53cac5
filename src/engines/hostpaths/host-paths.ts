/**
 * hostPath volumes of a pod spec, with their paths as the node resolves them: normalised
 * (`//`, `/./`, `..`, trailing slashes) and with `/var/run` read as `/run`, which it is a
 * symlink to on every current distribution.
 */
import { posix } from 'node:path';
import { joinPath } from '../../core/path.js';
import { containersOf, describeContainer, type PodSpecAt } from '../workloads/pod-specs.js';

export interface HostPathVolume {
  /** The volume's name (`#3` when it has none). */
  name: string;
  /** The path as written. */
  path: string;
  /** The path as the node resolves it: normalised, `/var/run` read as `/run`. */
  canonical: string;
  /** Path of `hostPath.path` within the object. */
  fieldPath: string;
  /** The containers that mount it (init, regular and ephemeral), and whether every one of them mounts it read-only. */
  mountedBy: string[];
  readOnlyEverywhere: boolean;
}

/** `/var/run//docker.sock/` -> `/run/docker.sock`; relative paths are read from `/`. */
export function canonicalHostPath(path: string): string {
  let p = posix.normalize(`/${path.trim()}`);
  if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  if (p === '/var/run' || p.startsWith('/var/run/')) p = `/run${p.slice('/var/run'.length)}`;
  return p;
}

/** True when `ancestor` is `path` itself or a directory above it (both canonical). */
export function containsPath(ancestor: string, path: string): boolean {
  return ancestor === path || ancestor === '/' || path.startsWith(`${ancestor}/`);
}

/** The hostPath volumes of a pod spec that name a path. */
export function hostPathVolumes(pod: PodSpecAt): HostPathVolume[] {
  const volumes = pod.spec.volumes;
  if (!Array.isArray(volumes)) return [];
  const containers = containersOf(pod);
  const out: HostPathVolume[] = [];
  volumes.forEach((v: unknown, i: number) => {
    if (typeof v !== 'object' || v === null) return;
    const vol = v as { name?: unknown; hostPath?: { path?: unknown } };
    const path = vol.hostPath?.path;
    if (typeof path !== 'string' || path.trim() === '') return;
    const name = typeof vol.name === 'string' ? vol.name : `#${i}`;
    const mounts = containers.flatMap((c) => {
      const ms = Array.isArray(c.container.volumeMounts) ? (c.container.volumeMounts as Array<{ name?: unknown; readOnly?: unknown }>) : [];
      return ms.filter((m) => m?.name === name).map((m) => ({ who: describeContainer(c), readOnly: m.readOnly === true }));
    });
    out.push({
      name,
      path,
      canonical: canonicalHostPath(path),
      fieldPath: joinPath(pod.path, `volumes[${i}].hostPath.path`),
      mountedBy: [...new Set(mounts.map((m) => m.who))],
      readOnlyEverywhere: mounts.length > 0 && mounts.every((m) => m.readOnly),
    });
  });
  return out;
}
