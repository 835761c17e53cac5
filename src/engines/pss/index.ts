/**
 * Pod Security Standards engine: the verdicts of the API server's PodSecurity admission plugin
 * (k8s.io/pod-security-admission/policy), re-implemented in TypeScript.
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

export type PssLevel = 'baseline' | 'restricted';
export type PssVersion = 'latest' | `v1.${number}`;

export interface PssViolation {
  check: string;
  message: string;
}

export interface PssResult {
  allowed: boolean;
  violations: PssViolation[];
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

export interface PssMeta {
  annotations?: Record<string, string> | undefined;
}

interface CheckResult {
  allowed: boolean;
  reason?: string;
  detail?: string;
}

interface Ctx {
  meta: PssMeta;
  spec: Obj;
}

type CheckFn = (ctx: Ctx) => CheckResult;

interface VersionedCheck {
  min: number; // minor version of 1.x
  fn: CheckFn;
  /** Baseline check ids this (restricted) version overrides. */
  overrides?: string[];
}

interface Check {
  id: string;
  level: PssLevel;
  versions: VersionedCheck[];
}

const OK: CheckResult = { allowed: true };

// ---------------------------------------------------------------------------------------------
// Helpers (the plugin's pluralize / joinQuote / visitContainers)

function pluralize(singular: string, plural: string, n: number): string {
  return n === 1 ? singular : plural;
}

/** As the plugin's joinQuote: plain quotes around each item, no escaping. */
function joinQuote(items: readonly string[]): string {
  return items.map((s) => `"${s}"`).join(', ');
}

function containersOf(spec: Obj): Obj[] {
  const out: Obj[] = [];
  for (const key of ['initContainers', 'containers', 'ephemeralContainers']) {
    const list = spec[key];
    if (Array.isArray(list)) for (const c of list) if (c && typeof c === 'object') out.push(c as Obj);
  }
  return out;
}

function nameOf(c: Obj): string {
  return typeof c.name === 'string' ? c.name : '';
}

function sc(o: Obj | undefined): Obj | undefined {
  const s = o?.securityContext;
  return s && typeof s === 'object' ? (s as Obj) : undefined;
}

function podSc(spec: Obj): Obj | undefined {
  return sc(spec);
}

function isWindows(spec: Obj): boolean {
  return spec.os?.name === 'windows';
}

/** Pods in a user namespace (`hostUsers: false`) get relaxed checks from 1.35 on. */
function relaxForUserNamespacePod(ctx: Ctx): boolean {
  return ctx.spec.hostUsers === false;
}

function relaxedForUserNamespaces(fn: CheckFn): CheckFn {
  return (ctx) => (relaxForUserNamespacePod(ctx) ? OK : fn(ctx));
}

function uniqSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

function fail(reason: string, detail: string): CheckResult {
  return { allowed: false, reason, detail };
}

/** Windows pods skip the restricted checks that do not apply to Windows (1.25+). */
function skipWindows(fn: CheckFn): CheckFn {
  return (ctx) => (isWindows(ctx.spec) ? OK : fn(ctx));
}

// ---------------------------------------------------------------------------------------------
// Baseline checks

const hostNamespaces: CheckFn = ({ spec }) => {
  const bad: string[] = [];
  if (spec.hostNetwork === true) bad.push('hostNetwork=true');
  if (spec.hostPID === true) bad.push('hostPID=true');
  if (spec.hostIPC === true) bad.push('hostIPC=true');
  return bad.length ? fail('host namespaces', bad.join(', ')) : OK;
};

const privileged: CheckFn = ({ spec }) => {
  const bad = containersOf(spec)
    .filter((c) => sc(c)?.privileged === true)
    .map(nameOf);
  return bad.length
    ? fail('privileged', `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not set securityContext.privileged=true`)
    : OK;
};

const BASELINE_CAPS = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

function addedCaps(c: Obj): string[] {
  const add = sc(c)?.capabilities?.add;
  return Array.isArray(add) ? add.map(String) : [];
}

const capabilitiesBaseline: CheckFn = ({ spec }) => {
  const bad: string[] = [];
  const caps: string[] = [];
  for (const c of containersOf(spec)) {
    let found = false;
    for (const cap of addedCaps(c)) {
      if (!BASELINE_CAPS.has(cap)) {
        found = true;
        caps.push(cap);
      }
    }
    if (found) bad.push(nameOf(c));
  }
  return bad.length
    ? fail(
        'non-default capabilities',
        `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not include ${joinQuote(uniqSorted(caps))} in securityContext.capabilities.add`,
      )
    : OK;
};

function volumes(spec: Obj): Obj[] {
  return Array.isArray(spec.volumes) ? (spec.volumes as Obj[]).filter((v) => v && typeof v === 'object') : [];
}

const hostPathVolumes: CheckFn = ({ spec }) => {
  const bad = volumes(spec)
    .filter((v) => v.hostPath != null)
    .map((v) => String(v.name ?? ''));
  return bad.length ? fail('hostPath volumes', `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)}`) : OK;
};

const hostPorts: CheckFn = ({ spec }) => {
  const bad: string[] = [];
  const ports: string[] = [];
  for (const c of containersOf(spec)) {
    let found = false;
    for (const p of Array.isArray(c.ports) ? (c.ports as Obj[]) : []) {
      if (typeof p?.hostPort === 'number' && p.hostPort !== 0) {
        found = true;
        ports.push(String(p.hostPort));
      }
    }
    if (found) bad.push(nameOf(c));
  }
  const uniq = [...new Set(ports)];
  return bad.length
    ? fail(
        'hostPort',
        `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', uniq.length)} ${uniq.join(', ')}`,
      )
    : OK;
};

const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/**
 * appArmorProfile (1.0, amended in place upstream in 1.30): the securityContext.appArmorProfile
 * fields (pod and every container) and the deprecated container.apparmor annotations.
 */
const appArmorProfile: CheckFn = (ctx) => {
  const badSetters: string[] = [];
  const badValues = new Set<string>();
  const allowedType = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';
  const pp = podSc(ctx.spec)?.appArmorProfile;
  if (pp && typeof pp === 'object' && !allowedType(pp.type)) {
    badSetters.push('pod');
    badValues.add(String(pp.type ?? ''));
  }
  const badContainers: string[] = [];
  for (const c of containersOf(ctx.spec)) {
    const cp = sc(c)?.appArmorProfile;
    if (cp && typeof cp === 'object' && !allowedType(cp.type)) {
      badContainers.push(nameOf(c));
      badValues.add(String(cp.type ?? ''));
    }
  }
  if (badContainers.length) badSetters.push(`${pluralize('container', 'containers', badContainers.length)} ${joinQuote(badContainers)}`);
  const badAnnotations: string[] = [];
  for (const [k, v] of Object.entries(ctx.meta.annotations ?? {})) {
    if (!k.startsWith(APPARMOR_PREFIX)) continue;
    if (v === '' || v === 'runtime/default' || v.startsWith('localhost/')) continue;
    badAnnotations.push(`${k}=${JSON.stringify(v)}`);
  }
  badAnnotations.sort();
  const badValueList = [...[...badValues].sort(), ...badAnnotations];
  if (badAnnotations.length) badSetters.push(pluralize('annotation', 'annotations', badAnnotations.length));
  if (!badSetters.length) return OK;
  return fail(
    pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', badValueList.length),
    `${badSetters.join(' and ')} must not set AppArmor profile type to ${joinQuote(badValueList)}`,
  );
};

function seLinux(types: Set<string>): CheckFn {
  return ({ spec }) => {
    const badTypes: string[] = [];
    let badUser = false;
    let badRole = false;
    const setters: string[] = [];
    const examine = (o: any): boolean => {
      if (!o || typeof o !== 'object') return false;
      let bad = false;
      const t = o.type ?? '';
      if (!types.has(t)) {
        badTypes.push(String(t));
        bad = true;
      }
      if ((o.user ?? '') !== '') {
        badUser = true;
        bad = true;
      }
      if ((o.role ?? '') !== '') {
        badRole = true;
        bad = true;
      }
      return bad;
    };
    let podBad = false;
    if (examine(podSc(spec)?.seLinuxOptions)) podBad = true;
    const badContainers: string[] = [];
    for (const c of containersOf(spec)) if (examine(sc(c)?.seLinuxOptions)) badContainers.push(nameOf(c));
    if (!podBad && badContainers.length === 0) return OK;
    if (podBad) setters.push('pod');
    if (badContainers.length) setters.push(`${pluralize('container', 'containers', badContainers.length)} ${joinQuote(badContainers)}`);
    const what: string[] = [];
    const bt = uniqSorted(badTypes);
    if (bt.length) what.push(`${pluralize('type', 'types', bt.length)} ${joinQuote(bt)}`);
    if (badUser) what.push('user may not be set');
    if (badRole) what.push('role may not be set');
    return fail('seLinuxOptions', `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${what.join('; ')}`);
  };
}

const SELINUX_1_0 = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const SELINUX_1_31 = new Set([...SELINUX_1_0, 'container_engine_t']);

const procMount_1_0: CheckFn = ({ spec }) => {
  const bad: string[] = [];
  const types: string[] = [];
  for (const c of containersOf(spec)) {
    const pm = sc(c)?.procMount;
    if (pm === undefined || pm === null) continue;
    if (pm !== 'Default') {
      bad.push(nameOf(c));
      types.push(String(pm));
    }
  }
  return bad.length
    ? fail(
        'procMount',
        `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not set securityContext.procMount to ${joinQuote(uniqSorted(types))}`,
      )
    : OK;
};

const procMount_1_35_baseline: CheckFn = relaxedForUserNamespaces(procMount_1_0);

const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

const seccompBaseline_1_0: CheckFn = (ctx) => {
  const bad: string[] = [];
  const ann = ctx.meta.annotations ?? {};
  if (ann[SECCOMP_POD_ANNOTATION] === 'unconfined') bad.push(`${SECCOMP_POD_ANNOTATION}="unconfined"`);
  for (const c of containersOf(ctx.spec)) {
    const k = SECCOMP_CONTAINER_PREFIX + nameOf(c);
    if (ann[k] === 'unconfined') bad.push(`${k}="unconfined"`);
  }
  return bad.length ? fail('seccompProfile', `forbidden ${pluralize('annotation', 'annotations', bad.length)} ${bad.join(', ')}`) : OK;
};

const seccompBaseline_1_19: CheckFn = ({ spec }) => {
  const setters: string[] = [];
  if (podSc(spec)?.seccompProfile?.type === 'Unconfined') setters.push('pod');
  const bad = containersOf(spec)
    .filter((c) => sc(c)?.seccompProfile?.type === 'Unconfined')
    .map(nameOf);
  if (bad.length) setters.push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)}`);
  return setters.length ? fail('seccompProfile', `${setters.join(' and ')} must not set securityContext.seccompProfile.type to "Unconfined"`) : OK;
};

const SYSCTLS_1_0 = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
];
const SYSCTLS_1_27 = [...SYSCTLS_1_0, 'net.ipv4.ip_local_reserved_ports'];
const SYSCTLS_1_29 = [
  ...SYSCTLS_1_27,
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
const SYSCTLS_1_32 = [...SYSCTLS_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
const SYSCTLS_1_37 = [...SYSCTLS_1_32, 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'];

function sysctls(allowedList: string[]): CheckFn {
  const allowed = new Set(allowedList);
  return ({ spec }) => {
    const list = podSc(spec)?.sysctls;
    const bad: string[] = [];
    if (Array.isArray(list)) for (const s of list) if (!allowed.has(String(s?.name))) bad.push(String(s?.name));
    return bad.length ? fail('forbidden sysctls', bad.join(', ')) : OK;
  };
}

const windowsHostProcess: CheckFn = ({ spec }) => {
  const setters: string[] = [];
  if (podSc(spec)?.windowsOptions?.hostProcess === true) setters.push('pod');
  const bad = containersOf(spec)
    .filter((c) => sc(c)?.windowsOptions?.hostProcess === true)
    .map(nameOf);
  if (bad.length) setters.push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)}`);
  return setters.length ? fail('hostProcess', `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`) : OK;
};

const hostProbesAndHostLifecycle: CheckFn = ({ spec }) => {
  const bad: string[] = [];
  const hosts = new Set<string>();
  const hostsOf = (h: any): string[] => {
    if (!h || typeof h !== 'object') return [];
    const out: string[] = [];
    if (h.httpGet?.host) out.push(String(h.httpGet.host));
    if (h.tcpSocket?.host) out.push(String(h.tcpSocket.host));
    return out;
  };
  for (const c of containersOf(spec)) {
    const found = [
      ...hostsOf(c.livenessProbe),
      ...hostsOf(c.readinessProbe),
      ...hostsOf(c.startupProbe),
      ...hostsOf(c.lifecycle?.postStart),
      ...hostsOf(c.lifecycle?.preStop),
    ];
    if (found.length) {
      if (!bad.includes(nameOf(c))) bad.push(nameOf(c));
      for (const h of found) hosts.add(h);
    }
  }
  if (!bad.length) return OK;
  const names = uniqSorted(bad);
  const hs = uniqSorted(hosts);
  return fail(
    'probe or lifecycle host',
    `${pluralize('container', 'containers', names.length)} ${joinQuote(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', hs.length)} ${joinQuote(hs)}`,
  );
};

// ---------------------------------------------------------------------------------------------
// Restricted checks

// `image` was added to the 1.0 function in place (Kubernetes 1.33), so it applies at every version.
const ALLOWED_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret']);

const restrictedVolumes: CheckFn = ({ spec }) => {
  const bad: string[] = [];
  const types: string[] = [];
  for (const v of volumes(spec)) {
    const sources = Object.keys(v).filter((k) => k !== 'name' && v[k] != null);
    const forbidden = sources.filter((k) => !ALLOWED_VOLUME_TYPES.has(k));
    if (forbidden.length || sources.length === 0) {
      bad.push(String(v.name ?? ''));
      types.push(...(forbidden.length ? forbidden : ['unknown']));
    }
  }
  if (!bad.length) return OK;
  const t = uniqSorted(types);
  return fail(
    'restricted volume types',
    `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} restricted ${pluralize('volume type', 'volume types', t.length)} ${joinQuote(t)}`,
  );
};

const allowPrivilegeEscalation: CheckFn = ({ spec }) => {
  const bad = containersOf(spec)
    .filter((c) => sc(c)?.allowPrivilegeEscalation !== false)
    .map(nameOf);
  return bad.length
    ? fail(
        'allowPrivilegeEscalation != false',
        `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must set securityContext.allowPrivilegeEscalation=false`,
      )
    : OK;
};

const runAsNonRoot: CheckFn = ({ spec }) => {
  const badSetters: string[] = [];
  let podTrue = false;
  const p = podSc(spec)?.runAsNonRoot;
  if (p === false) badSetters.push('pod');
  else if (p === true) podTrue = true;
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of containersOf(spec)) {
    const v = sc(c)?.runAsNonRoot;
    if (v === true || v === false) {
      if (v === false) explicit.push(nameOf(c));
    } else if (!podTrue) implicit.push(nameOf(c));
  }
  if (explicit.length) badSetters.push(`${pluralize('container', 'containers', explicit.length)} ${joinQuote(explicit)}`);
  if (badSetters.length) return fail('runAsNonRoot != true', `${badSetters.join(' and ')} must not set securityContext.runAsNonRoot=false`);
  if (implicit.length)
    return fail(
      'runAsNonRoot != true',
      `pod or ${pluralize('container', 'containers', implicit.length)} ${joinQuote(implicit)} must set securityContext.runAsNonRoot=true`,
    );
  return OK;
};

const runAsUser: CheckFn = ({ spec }) => {
  const badSetters: string[] = [];
  if (podSc(spec)?.runAsUser === 0) badSetters.push('pod');
  const bad = containersOf(spec)
    .filter((c) => sc(c)?.runAsUser === 0)
    .map(nameOf);
  if (bad.length) badSetters.push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)}`);
  return badSetters.length ? fail('runAsUser=0', `${badSetters.join(' and ')} must not set runAsUser=0`) : OK;
};

const seccompRestricted_1_19: CheckFn = ({ spec }) => {
  const valid = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';
  const badSetters: string[] = [];
  const podType = podSc(spec)?.seccompProfile?.type;
  let podOk = false;
  if (podType !== undefined && podType !== null) {
    if (valid(podType)) podOk = true;
    else badSetters.push('pod');
  }
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of containersOf(spec)) {
    const t = sc(c)?.seccompProfile?.type;
    if (t !== undefined && t !== null) {
      if (!valid(t)) explicit.push(nameOf(c));
    } else if (!podOk) implicit.push(nameOf(c));
  }
  if (explicit.length) badSetters.push(`${pluralize('container', 'containers', explicit.length)} ${joinQuote(explicit)}`);
  if (badSetters.length)
    return fail('seccompProfile', `${badSetters.join(' and ')} must not set securityContext.seccompProfile.type to "Unconfined"`);
  if (implicit.length)
    return fail(
      'seccompProfile',
      `pod or ${pluralize('container', 'containers', implicit.length)} ${joinQuote(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
    );
  return OK;
};

const capabilitiesRestricted: CheckFn = ({ spec }) => {
  const missingDrop: string[] = [];
  const badAdd: string[] = [];
  const caps: string[] = [];
  for (const c of containersOf(spec)) {
    const drop = sc(c)?.capabilities?.drop;
    if (!(Array.isArray(drop) && drop.includes('ALL'))) missingDrop.push(nameOf(c));
    let found = false;
    for (const cap of addedCaps(c)) {
      if (cap !== 'NET_BIND_SERVICE') {
        found = true;
        caps.push(cap);
      }
    }
    if (found) badAdd.push(nameOf(c));
  }
  const details: string[] = [];
  if (missingDrop.length)
    details.push(`${pluralize('container', 'containers', missingDrop.length)} ${joinQuote(missingDrop)} must set securityContext.capabilities.drop=["ALL"]`);
  if (badAdd.length)
    details.push(
      `${pluralize('container', 'containers', badAdd.length)} ${joinQuote(badAdd)} must not include ${joinQuote(uniqSorted(caps))} in securityContext.capabilities.add`,
    );
  return details.length ? fail('unrestricted capabilities', details.join('; ')) : OK;
};

const procMount_restricted: CheckFn = procMount_1_0;

// ---------------------------------------------------------------------------------------------
// Registry

export const CHECKS: readonly Check[] = [
  { id: 'hostNamespaces', level: 'baseline', versions: [{ min: 0, fn: hostNamespaces }] },
  { id: 'privileged', level: 'baseline', versions: [{ min: 0, fn: privileged }] },
  { id: 'capabilities_baseline', level: 'baseline', versions: [{ min: 0, fn: capabilitiesBaseline }] },
  { id: 'hostPathVolumes', level: 'baseline', versions: [{ min: 0, fn: hostPathVolumes }] },
  { id: 'hostPorts', level: 'baseline', versions: [{ min: 0, fn: hostPorts }] },
  {
    id: 'appArmorProfile',
    level: 'baseline',
    versions: [{ min: 0, fn: appArmorProfile }],
  },
  {
    id: 'seLinuxOptions',
    level: 'baseline',
    versions: [
      { min: 0, fn: seLinux(SELINUX_1_0) },
      { min: 31, fn: seLinux(SELINUX_1_31) },
    ],
  },
  {
    id: 'procMount',
    level: 'baseline',
    versions: [
      { min: 0, fn: procMount_1_0 },
      { min: 35, fn: procMount_1_35_baseline },
    ],
  },
  {
    id: 'seccompProfile_baseline',
    level: 'baseline',
    versions: [
      { min: 0, fn: seccompBaseline_1_0 },
      { min: 19, fn: seccompBaseline_1_19 },
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
      { min: 19, fn: seccompRestricted_1_19, overrides: ['seccompProfile_baseline'] },
      { min: 25, fn: skipWindows(seccompRestricted_1_19), overrides: ['seccompProfile_baseline'] },
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
  { id: 'procMount_restricted', level: 'restricted', versions: [{ min: 35, fn: procMount_restricted, overrides: ['procMount'] }] },
];

/** The plugin's evaluation (and message) order: baseline checks, then restricted, each by ID. */
const ORDERED_CHECKS: readonly Check[] = [...CHECKS].sort((a, b) =>
  a.level !== b.level ? (a.level === 'baseline' ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
);

/** The newest minor version any check knows about; `latest` evaluates at least this. */
export const LATEST_KNOWN_MINOR = Math.max(...CHECKS.flatMap((c) => c.versions.map((v) => v.min)));

export function parseVersion(version: PssVersion): number {
  if (version === 'latest') return Number.MAX_SAFE_INTEGER;
  const m = /^v1\.(\d+)$/.exec(version);
  if (!m) throw new Error(`invalid Pod Security Standards version ${JSON.stringify(version)} (want "latest" or "v1.N")`);
  return Number(m[1]);
}

function applicable(check: Check, minor: number): VersionedCheck | undefined {
  let chosen: VersionedCheck | undefined;
  for (const v of check.versions) if (v.min <= minor && (!chosen || v.min >= chosen.min)) chosen = v;
  return chosen;
}

/**
 * Evaluates a pod spec (and its metadata's annotations) against a Pod Security Standards level
 * at a version, as the PodSecurity admission plugin does.
 */
export function evaluatePodSpec(
  meta: PssMeta | undefined,
  spec: Obj,
  level: PssLevel,
  version: PssVersion,
): PssResult {
  const minor = parseVersion(version);
  const ctx: Ctx = { meta: meta ?? {}, spec: spec ?? {} };
  const selected: Array<{ id: string; fn: CheckFn }> = [];
  const overridden = new Set<string>();
  for (const check of ORDERED_CHECKS) {
    if (level === 'baseline' && check.level === 'restricted') continue;
    const v = applicable(check, minor);
    if (!v) continue;
    for (const o of v.overrides ?? []) overridden.add(o);
    selected.push({ id: check.id, fn: v.fn });
  }
  const violations: PssViolation[] = [];
  for (const { id, fn } of selected) {
    if (overridden.has(id)) continue;
    const r = fn(ctx);
    if (!r.allowed) violations.push({ check: id, message: r.detail ? `${r.reason} (${r.detail})` : (r.reason ?? id) });
  }
  return { allowed: violations.length === 0, violations };
}
