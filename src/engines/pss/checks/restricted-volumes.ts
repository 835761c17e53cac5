/**
 * restrictedVolumes (restricted, 1.0, overrides hostPathVolumes): only the volume types that
 * cannot reach the node. `image` was added to the 1.0 list in place (Kubernetes 1.33), so it
 * applies at every version.
 */
import { fail, joinQuote, OK, pluralize, uniqSorted, volumes } from '../helpers.js';
import type { CheckFn, Obj } from '../types.js';

const ALLOWED_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret']);

/** A volume naming exactly allowed sources (and at least one); allocation-free. */
function allowedVolume(v: unknown): boolean {
  if (!v || typeof v !== 'object') return true;
  let sources = 0;
  for (const k in v as Obj) {
    if (k === 'name' || (v as Obj)[k] == null) continue;
    if (!ALLOWED_VOLUME_TYPES.has(k)) return false;
    sources++;
  }
  return sources > 0;
}

export const restrictedVolumes: CheckFn = ({ spec }) => {
  if (!Array.isArray(spec.volumes) || spec.volumes.every(allowedVolume)) return OK;
  const bad: string[] = [];
  const types: string[] = [];
  const fields: string[] = [];
  for (const { v, index } of volumes(spec)) {
    const sources = Object.keys(v).filter((k) => k !== 'name' && v[k] != null);
    const forbidden = sources.filter((k) => !ALLOWED_VOLUME_TYPES.has(k));
    if (forbidden.length || sources.length === 0) {
      bad.push(String(v.name ?? ''));
      types.push(...(forbidden.length ? forbidden : ['unknown']));
      fields.push(forbidden.length ? `spec.volumes[${index}].${forbidden[0]}` : `spec.volumes[${index}]`);
    }
  }
  if (!bad.length) return OK;
  const t = uniqSorted(types);
  return fail(
    'restricted volume types',
    `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} restricted ${pluralize('volume type', 'volume types', t.length)} ${joinQuote(t)}`,
    fields,
  );
};
