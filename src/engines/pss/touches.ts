/**
 * One pass over a pod's containers that notes which risky fields any of them sets. Most pods set
 * none, so each check first asks this index and returns at once; only a pod that touches a field
 * pays for the check's full walk and message. (Walking every container once per check was the
 * engine's main cost.)
 */
import { BASELINE_CAPS } from './checks/capabilities.js';
import type { ContainerAt, Obj } from './types.js';

export interface Touches {
  hostPort: boolean;
  privileged: boolean;
  seLinux: boolean;
  procMount: boolean;
  appArmor: boolean;
  probeHost: boolean;
  seccompUnconfined: boolean;
  hostProcess: boolean;
  runAsUserZero: boolean;
  runAsNonRootFalse: boolean;
  /** Some container does not set allowPrivilegeEscalation: false. */
  escalates: boolean;
  /** Some container adds a capability outside the runtime defaults. */
  addsNonDefaultCap: boolean;
  /** Some container adds a capability other than NET_BIND_SERVICE. */
  addsOtherThanBind: boolean;
  /** Some container does not drop ALL. */
  keepsCaps: boolean;
}

function hasHost(h: unknown): boolean {
  if (!h || typeof h !== 'object') return false;
  const o = h as Obj;
  return !!(o.httpGet?.host || o.tcpSocket?.host);
}

export function touchesOf(containers: readonly ContainerAt[]): Touches {
  const t: Touches = {
    hostPort: false,
    privileged: false,
    seLinux: false,
    procMount: false,
    appArmor: false,
    probeHost: false,
    seccompUnconfined: false,
    hostProcess: false,
    runAsUserZero: false,
    runAsNonRootFalse: false,
    escalates: false,
    addsNonDefaultCap: false,
    addsOtherThanBind: false,
    keepsCaps: false,
  };
  for (const { c } of containers) {
    const ports = c.ports;
    if (Array.isArray(ports)) for (const p of ports) if (typeof p?.hostPort === 'number' && p.hostPort !== 0) t.hostPort = true;
    if (hasHost(c.livenessProbe) || hasHost(c.readinessProbe) || hasHost(c.startupProbe)) t.probeHost = true;
    const l = c.lifecycle;
    if (l && typeof l === 'object' && (hasHost(l.postStart) || hasHost(l.preStop))) t.probeHost = true;
    const raw = c.securityContext;
    const s: Obj | undefined = raw && typeof raw === 'object' ? (raw as Obj) : undefined;
    if (!s) {
      t.escalates = true;
      t.keepsCaps = true;
      continue;
    }
    if (s.privileged === true) t.privileged = true;
    if (s.seLinuxOptions) t.seLinux = true;
    if (s.procMount != null) t.procMount = true;
    if (s.appArmorProfile) t.appArmor = true;
    if (s.seccompProfile?.type === 'Unconfined') t.seccompUnconfined = true;
    if (s.windowsOptions?.hostProcess === true) t.hostProcess = true;
    if (s.runAsUser === 0) t.runAsUserZero = true;
    if (s.runAsNonRoot === false) t.runAsNonRootFalse = true;
    if (s.allowPrivilegeEscalation !== false) t.escalates = true;
    const caps = s.capabilities;
    const drop = caps?.drop;
    if (!Array.isArray(drop) || !drop.includes('ALL')) t.keepsCaps = true;
    const add = caps?.add;
    if (Array.isArray(add)) {
      for (const cap of add) {
        const name = String(cap);
        if (name !== 'NET_BIND_SERVICE') t.addsOtherThanBind = true;
        if (!BASELINE_CAPS.has(name)) t.addsNonDefaultCap = true;
      }
    }
  }
  return t;
}
