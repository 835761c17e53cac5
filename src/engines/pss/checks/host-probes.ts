/**
 * hostProbesAndHostLifecycle (baseline, 1.34): probes and lifecycle handlers must not set
 * httpGet.host or tcpSocket.host (which let a pod make the kubelet connect anywhere).
 */
import { containerField, fail, joinQuote, nameOf, OK, pluralize, uniqSorted } from '../helpers.js';
import type { CheckFn, Obj } from '../types.js';

const HANDLERS = ['livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle.postStart', 'lifecycle.preStop'] as const;

function handler(c: Obj, path: string): Obj | undefined {
  const h = path.startsWith('lifecycle.') ? c.lifecycle?.[path.slice('lifecycle.'.length)] : c[path];
  return h && typeof h === 'object' ? (h as Obj) : undefined;
}

export const hostProbesAndHostLifecycle: CheckFn = ({ containers, touches }) => {
  if (!touches.probeHost) return OK;
  const bad: string[] = [];
  const hosts = new Set<string>();
  const fields: string[] = [];
  for (const at of containers) {
    let found = false;
    for (const path of HANDLERS) {
      const h = handler(at.c, path);
      if (!h) continue;
      for (const kind of ['httpGet', 'tcpSocket'] as const) {
        if (h[kind]?.host) {
          found = true;
          hosts.add(String(h[kind].host));
          fields.push(containerField(at, `${path}.${kind}.host`));
        }
      }
    }
    if (found && !bad.includes(nameOf(at))) bad.push(nameOf(at));
  }
  if (!bad.length) return OK;
  const names = uniqSorted(bad);
  const hs = uniqSorted(hosts);
  return fail(
    'probe or lifecycle host',
    `${pluralize('container', 'containers', names.length)} ${joinQuote(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', hs.length)} ${joinQuote(hs)}`,
    fields,
  );
};
