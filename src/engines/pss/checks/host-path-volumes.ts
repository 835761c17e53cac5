/** hostPathVolumes (baseline, 1.0): no hostPath volumes. */
import { fail, joinQuote, OK, pluralize, volumes } from '../helpers.js';
import type { CheckFn } from '../types.js';

export const hostPathVolumes: CheckFn = ({ spec }) => {
  if (!Array.isArray(spec.volumes) || !spec.volumes.some((v) => v?.hostPath != null)) return OK;
  const bad = volumes(spec).filter(({ v }) => v.hostPath != null);
  if (!bad.length) return OK;
  const names = bad.map(({ v }) => String(v.name ?? ''));
  return fail('hostPath volumes', `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)}`, bad.map(({ index }) => `spec.volumes[${index}].hostPath`));
};
