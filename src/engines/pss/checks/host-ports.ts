/** hostPorts (baseline, 1.0): no container port may set a non-zero hostPort. */
import { containerField, fail, joinQuote, nameOf, OK, pluralize } from '../helpers.js';
import type { CheckFn, Obj } from '../types.js';

export const hostPorts: CheckFn = ({ containers, touches }) => {
  if (!touches.hostPort) return OK;
  const bad: string[] = [];
  const ports: string[] = [];
  const fields: string[] = [];
  for (const at of containers) {
    let found = false;
    const list = at.c.ports;
    if (!Array.isArray(list)) continue;
    for (let i = 0; i < list.length; i++) {
      const p = list[i] as Obj | null | undefined;
      if (typeof p?.hostPort === 'number' && p.hostPort !== 0) {
        found = true;
        ports.push(String(p.hostPort));
        fields.push(containerField(at, `ports[${i}].hostPort`));
      }
    }
    if (found) bad.push(nameOf(at));
  }
  if (!bad.length) return OK;
  const uniq = [...new Set(ports)];
  return fail(
    'hostPort',
    `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', uniq.length)} ${uniq.join(', ')}`,
    fields,
  );
};
