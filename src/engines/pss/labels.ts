/** The Pod Security Admission labels of a Namespace, read as the admission plugin reads them. */
import type { Resource } from '../../core/resource.js';

export const PSA_LEVELS = ['privileged', 'baseline', 'restricted'] as const;
export type PsaLevel = (typeof PSA_LEVELS)[number];
export const PSA_MODES = ['enforce', 'audit', 'warn'] as const;
export type PsaMode = (typeof PSA_MODES)[number];

export const PSA_LABEL_PREFIX = 'pod-security.kubernetes.io/';

export interface PsaModeLabels {
  /** The label's value as written (may be invalid). */
  level?: string;
  /** The `-version` label as written (`latest` when absent, as the plugin defaults it). */
  version?: string;
}

export type PsaLabels = Record<PsaMode, PsaModeLabels>;

export function isPsaLevel(v: unknown): v is PsaLevel {
  return typeof v === 'string' && (PSA_LEVELS as readonly string[]).includes(v);
}

/** A valid policy version label: `latest` or `v1.N`. */
export function isPsaVersion(v: unknown): boolean {
  return typeof v === 'string' && (v === 'latest' || /^v1\.(0|[1-9][0-9]*)$/.test(v));
}

export function psaLabelsOf(labels: Record<string, string> | undefined): PsaLabels {
  const l = labels ?? {};
  const out = {} as PsaLabels;
  for (const mode of PSA_MODES) {
    const entry: PsaModeLabels = {};
    const level = l[`${PSA_LABEL_PREFIX}${mode}`];
    const version = l[`${PSA_LABEL_PREFIX}${mode}-version`];
    if (level !== undefined) entry.level = level;
    if (version !== undefined) entry.version = version;
    out[mode] = entry;
  }
  return out;
}

export function namespacePsaLabels(ns: Resource | undefined): PsaLabels {
  return psaLabelsOf(ns?.labels);
}
