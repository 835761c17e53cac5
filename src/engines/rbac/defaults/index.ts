/**
 * The RBAC objects kube-apiserver creates at startup (its `rbac/bootstrap-roles` post-start
 * hook): cluster-admin, admin/edit/view and their `system:aggregate-to-*` contributors,
 * system:basic-user, system:discovery, system:public-info-viewer, system:node*, the
 * system:controller:* roles, their ClusterRoleBindings, and the Roles/RoleBindings in
 * kube-system and kube-public. Every one is labelled `kubernetes.io/bootstrapping: rbac-defaults`.
 * The RBAC engine adds them when the scanned manifests do not contain them.
 *
 * One file per Kubernetes minor, `v<major>.<minor>.json` beside this module: a `List` of
 * rbac.authorization.k8s.io/v1 objects, one per line, made by scripts/update-rbac-defaults.sh
 * from upstream's bootstrappolicy package: the pinned minor's at the release pinned in
 * tools/test-cluster/go.mod (test/cluster/rbac-defaults.slow.test.ts checks it against that API
 * server), each older minor's at the newest patch release of that minor
 * (`scripts/update-rbac-defaults.sh v1.34.12`). tsconfig.json's
 * `include` lists the JSON files under src/, so `tsc` copies them to dist/ beside the compiled
 * module, which is how they reach the npm package and the image (both ship dist/, not src/).
 *
 * As created, before kube-controller-manager runs: the aggregated ClusterRoles (those with an
 * `aggregationRule`: admin, edit, view) have no rules of their own; their rules are the union of
 * the rules of the ClusterRoles their selectors match, which the consumer computes as for any
 * aggregated role. Rules that upstream adds only behind a feature gate are those of the gates'
 * defaults for the release.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { KubeObject } from '../../../core/resource.js';
import { compareMinor, parseVersion, type Version } from '../../versions/releases.js';

/** The kinds the files hold, all `rbac.authorization.k8s.io/v1`. */
export const RBAC_DEFAULT_KINDS = ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'] as const;
/** The label every default object carries. */
export const BOOTSTRAPPING_LABEL = { key: 'kubernetes.io/bootstrapping', value: 'rbac-defaults' } as const;

export interface RbacDefaults {
  /** The minor version of the file used, e.g. `v1.37`. */
  version: string;
  /** Fresh objects on each call: the caller may change them. */
  objects: KubeObject[];
}

const DIR = new URL('./', import.meta.url);
const FILE_RE = /^v(\d+)\.(\d+)\.json$/;
const RBAC_API_VERSION = 'rbac.authorization.k8s.io/v1';

let available: Array<{ version: string; v: Version }> | undefined;
const texts = new Map<string, string>();

/** The minors there is a file for, oldest first (`v1.37`, ...). */
export function rbacDefaultVersions(): string[] {
  return versions().map((x) => x.version);
}

function versions(): Array<{ version: string; v: Version }> {
  if (available) return available;
  let names: string[];
  try {
    names = readdirSync(DIR);
  } catch (e) {
    throw new Error(`cannot read the default RBAC objects' directory ${DIR.pathname}: ${(e as Error).message}`);
  }
  const found = names.flatMap((n) => {
    const m = FILE_RE.exec(n);
    return m ? [{ version: `v${m[1]}.${m[2]}`, v: { major: Number(m[1]), minor: Number(m[2]) } }] : [];
  });
  if (found.length === 0) {
    throw new Error(`no default RBAC objects (v<major>.<minor>.json) in ${DIR.pathname}: run scripts/update-rbac-defaults.sh, and build with tsc so they are copied to dist/`);
  }
  return (available = found.sort((a, b) => compareMinor(a.v, b.v)));
}

/**
 * The default RBAC objects for a cluster's Kubernetes version (`v1.36.4`, `1.36`,
 * `v1.36.4-eks-1234`): those of its minor when there is a file for it, else those of the newest
 * minor there is (also for no version, or one that cannot be parsed). `version` says which.
 */
export function defaultRbacObjects(kubernetesVersion?: string): RbacDefaults {
  const all = versions();
  const want = kubernetesVersion === undefined ? undefined : parseVersion(kubernetesVersion);
  const chosen = (want && all.find((x) => compareMinor(x.v, want) === 0)) ?? all[all.length - 1]!;
  return { version: chosen.version, objects: load(chosen.version) };
}

function load(version: string): KubeObject[] {
  const file = new URL(`${version}.json`, DIR);
  let text = texts.get(version);
  if (text === undefined) {
    text = readFileSync(file, 'utf8');
    texts.set(version, text);
  }
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file.pathname}: not JSON: ${(e as Error).message}`);
  }
  const items = (list as { kind?: unknown; items?: unknown } | null)?.items;
  if ((list as { kind?: unknown } | null)?.kind !== 'List' || !Array.isArray(items)) {
    throw new Error(`${file.pathname}: not a List of objects`);
  }
  for (const [i, o] of items.entries()) {
    const obj = o as Partial<KubeObject> | null;
    if (obj?.apiVersion !== RBAC_API_VERSION || !(RBAC_DEFAULT_KINDS as readonly unknown[]).includes(obj.kind) || typeof obj.metadata?.name !== 'string') {
      throw new Error(`${file.pathname}: items[${i}] is not an ${RBAC_API_VERSION} ${RBAC_DEFAULT_KINDS.join('/')} with a name`);
    }
  }
  return items as KubeObject[];
}
