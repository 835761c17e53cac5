/**
 * Pod Security Standards engine: the verdicts of the API server's PodSecurity admission plugin
 * (k8s.io/pod-security-admission/policy), re-implemented in TypeScript, one module per check
 * under checks/.
 *
 * Each check has versioned implementations (the newest whose minimum version is <= the evaluated
 * version applies); restricted checks may override baseline checks (from the restricted check's
 * first version on). `latest` evaluates every version (upstream clamps it to the registry's
 * newest minimum version, v1.37 here; a pinned version above that behaves the same).
 *
 * Verified verdict-for-verdict against a kube-apiserver v1.37.2 by
 * test/cluster/pss-oracle.slow.test.ts. Note the API server copies the deprecated AppArmor (and
 * seccomp) annotations into the securityContext fields before admission; this engine evaluates
 * the object as given, which gives the same verdict but can word the AppArmor message differently.
 */
import { allowPrivilegeEscalation } from './checks/allow-privilege-escalation.js';
import { appArmorProfile } from './checks/apparmor.js';
import { capabilitiesBaseline, capabilitiesRestricted } from './checks/capabilities.js';
import { hostNamespaces } from './checks/host-namespaces.js';
import { hostPathVolumes } from './checks/host-path-volumes.js';
import { hostPorts } from './checks/host-ports.js';
import { hostProbesAndHostLifecycle } from './checks/host-probes.js';
import { privileged } from './checks/privileged.js';
import { procMount, procMountRelaxed } from './checks/proc-mount.js';
import { restrictedVolumes } from './checks/restricted-volumes.js';
import { runAsNonRoot, runAsUser } from './checks/run-as.js';
import { seccompBaseline, seccompBaselineAnnotations, seccompRestricted } from './checks/seccomp.js';
import { SELINUX_TYPES_1_0, SELINUX_TYPES_1_31, seLinuxOptions } from './checks/selinux.js';
import { SYSCTLS_1_0, SYSCTLS_1_27, SYSCTLS_1_29, SYSCTLS_1_32, SYSCTLS_1_37, sysctls } from './checks/sysctls.js';
import { windowsHostProcess } from './checks/windows-host-process.js';
import { containersOf, relaxedForUserNamespaces, skipWindows } from './helpers.js';
import { touchesOf } from './touches.js';
import type { CheckFn, CheckResult, Ctx, Obj, PssCheck, PssFinding, PssLevel, PssMeta, PssResult, PssVersion, PssViolation, VersionedCheck } from './types.js';

export type { PssCheck, PssFinding, PssLevel, PssMeta, PssResult, PssVersion, PssViolation } from './types.js';

export const CHECKS: readonly PssCheck[] = [
  { id: 'hostNamespaces', level: 'baseline', versions: [{ min: 0, fn: hostNamespaces }] },
  { id: 'privileged', level: 'baseline', versions: [{ min: 0, fn: privileged }] },
  { id: 'capabilities_baseline', level: 'baseline', versions: [{ min: 0, fn: capabilitiesBaseline }] },
  { id: 'hostPathVolumes', level: 'baseline', versions: [{ min: 0, fn: hostPathVolumes }] },
  { id: 'hostPorts', level: 'baseline', versions: [{ min: 0, fn: hostPorts }] },
  { id: 'appArmorProfile', level: 'baseline', versions: [{ min: 0, fn: appArmorProfile }] },
  {
    id: 'seLinuxOptions',
    level: 'baseline',
    versions: [
      { min: 0, fn: seLinuxOptions(SELINUX_TYPES_1_0) },
      { min: 31, fn: seLinuxOptions(SELINUX_TYPES_1_31) },
    ],
  },
  {
    id: 'procMount',
    level: 'baseline',
    versions: [
      { min: 0, fn: procMount },
      { min: 35, fn: procMountRelaxed },
    ],
  },
  {
    id: 'seccompProfile_baseline',
    level: 'baseline',
    versions: [
      { min: 0, fn: seccompBaselineAnnotations },
      { min: 19, fn: seccompBaseline },
    ],
  },
  {
    id: 'sysctls',
    level: 'baseline',
    versions: [
      { min: 0, fn: sysctls(SYSCTLS_1_0) },
      { min: 27, fn: sysctls(SYSCTLS_1_27) },
      { min: 29, fn: sysctls(SYSCTLS_1_29) },
      { min: 32, fn: sysctls(SYSCTLS_1_32) },
      { min: 37, fn: sysctls(SYSCTLS_1_37) },
    ],
  },
  { id: 'windowsHostProcess', level: 'baseline', versions: [{ min: 0, fn: windowsHostProcess }] },
  { id: 'hostProbesAndHostLifecycle', level: 'baseline', versions: [{ min: 34, fn: hostProbesAndHostLifecycle }] },
  // restricted
  { id: 'restrictedVolumes', level: 'restricted', versions: [{ min: 0, fn: restrictedVolumes, overrides: ['hostPathVolumes'] }] },
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    versions: [
      { min: 8, fn: allowPrivilegeEscalation },
      { min: 25, fn: skipWindows(allowPrivilegeEscalation) },
    ],
  },
  {
    id: 'runAsNonRoot',
    level: 'restricted',
    versions: [
      { min: 0, fn: runAsNonRoot },
      { min: 35, fn: relaxedForUserNamespaces(runAsNonRoot) },
    ],
  },
  {
    id: 'runAsUser',
    level: 'restricted',
    versions: [
      { min: 23, fn: runAsUser },
      { min: 35, fn: relaxedForUserNamespaces(runAsUser) },
    ],
  },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    versions: [
      { min: 19, fn: seccompRestricted, overrides: ['seccompProfile_baseline'] },
      { min: 25, fn: skipWindows(seccompRestricted), overrides: ['seccompProfile_baseline'] },
    ],
  },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    versions: [
      { min: 22, fn: capabilitiesRestricted, overrides: ['capabilities_baseline'] },
      { min: 25, fn: skipWindows(capabilitiesRestricted), overrides: ['capabilities_baseline'] },
    ],
  },
  { id: 'procMount_restricted', level: 'restricted', versions: [{ min: 35, fn: procMount, overrides: ['procMount'] }] },
];

/** The plugin's evaluation (and message) order: baseline checks, then restricted, each by ID. */
const ORDERED_CHECKS: readonly PssCheck[] = [...CHECKS].sort((a, b) =>
  a.level !== b.level ? (a.level === 'baseline' ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
);

/** The newest minor version any check knows about; `latest` evaluates at least this. */
export const LATEST_KNOWN_MINOR = Math.max(...CHECKS.flatMap((c) => c.versions.map((v) => v.min)));

const parsedVersions = new Map<string, number>();

export function parseVersion(version: PssVersion): number {
  if (version === 'latest') return Number.MAX_SAFE_INTEGER;
  const cached = parsedVersions.get(version);
  if (cached !== undefined) return cached;
  const m = /^v1\.(0|[1-9][0-9]*)$/.exec(version);
  if (!m) throw new Error(`invalid Pod Security Standards version ${JSON.stringify(version)} (want "latest" or "v1.N")`);
  const minor = Number(m[1]);
  if (parsedVersions.size < 1000) parsedVersions.set(version, minor);
  return minor;
}

function applicable(check: PssCheck, minor: number): VersionedCheck | undefined {
  let chosen: VersionedCheck | undefined;
  for (const v of check.versions) if (v.min <= minor && (!chosen || v.min >= chosen.min)) chosen = v;
  return chosen;
}

type Plan = ReadonlyArray<{ id: string; fn: CheckFn }>;

/** The checks one level at one version runs, overridden ones removed; cached per level and version. */
const plans: Record<PssLevel, Map<number, Plan>> = { baseline: new Map(), restricted: new Map() };

function planFor(level: PssLevel, minor: number): Plan {
  let plan = plans[level].get(minor);
  if (plan) return plan;
  const selected: Array<{ id: string; fn: CheckFn }> = [];
  const overridden = new Set<string>();
  for (const check of ORDERED_CHECKS) {
    if (level === 'baseline' && check.level === 'restricted') continue;
    const v = applicable(check, minor);
    if (!v) continue;
    for (const o of v.overrides ?? []) overridden.add(o);
    selected.push({ id: check.id, fn: v.fn });
  }
  plan = selected.filter((s) => !overridden.has(s.id));
  plans[level].set(minor, plan);
  return plan;
}

const CHECKS_BY_ID = new Map(CHECKS.map((c) => [c.id, c]));

/**
 * A scan asks about one pod spec once per control: the containers and their touches are worked
 * out once per spec object (the spec must not change between the questions, as in a scan).
 */
const contexts = new WeakMap<Obj, Ctx>();

function cachedContext(meta: PssMeta | undefined, spec: Obj): Ctx {
  const have = contexts.get(spec);
  if (have && have.meta === (meta ?? have.meta)) return have;
  const ctx = contextOf(meta, spec);
  contexts.set(spec, ctx);
  return ctx;
}

function contextOf(meta: PssMeta | undefined, spec: Obj | undefined): Ctx {
  const s = spec ?? {};
  const containers = containersOf(s);
  return { meta: meta ?? {}, spec: s, containers, touches: touchesOf(containers) };
}

/**
 * Every violation of a level at a version, with the offending fields relative to the pod
 * (`spec.containers[0].securityContext.privileged`, `metadata.annotations`).
 */
export function findPssViolations(meta: PssMeta | undefined, spec: Obj, level: PssLevel, version: PssVersion): PssFinding[] {
  const ctx = contextOf(meta, spec);
  const out: PssFinding[] = [];
  for (const { id, fn } of planFor(level, parseVersion(version))) {
    const r = fn(ctx);
    if (!r.allowed) out.push({ check: id, message: messageOf(id, r), fields: r.fields ?? [] });
  }
  return out;
}

/**
 * Evaluates a pod spec (and its metadata's annotations) against a Pod Security Standards level
 * at a version, as the PodSecurity admission plugin does.
 */
export function evaluatePodSpec(meta: PssMeta | undefined, spec: Obj, level: PssLevel, version: PssVersion): PssResult {
  const ctx = contextOf(meta, spec);
  const violations: PssViolation[] = [];
  for (const { id, fn } of planFor(level, parseVersion(version))) {
    const r = fn(ctx);
    if (!r.allowed) violations.push({ check: id, message: messageOf(id, r) });
  }
  return { allowed: violations.length === 0, violations };
}

function messageOf(id: string, r: CheckResult): string {
  return r.detail ? `${r.reason} (${r.detail})` : (r.reason ?? id);
}

/**
 * One check of the plugin at a version, as a scan check asks it: undefined when the check
 * passes or does not exist at that version.
 */
export function runPssCheck(id: string, meta: PssMeta | undefined, spec: Obj, version: PssVersion): PssFinding | undefined {
  const check = CHECKS_BY_ID.get(id);
  if (!check) throw new Error(`unknown Pod Security Standards check ${JSON.stringify(id)}`);
  const v = applicable(check, parseVersion(version));
  if (!v) return undefined;
  const r = v.fn(cachedContext(meta, spec));
  return r.allowed ? undefined : { check: id, message: messageOf(id, r), fields: r.fields ?? [] };
}
