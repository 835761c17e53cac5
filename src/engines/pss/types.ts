/** The shapes the Pod Security Standards engine shares between its checks. */
import type { Touches } from './touches.js';

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

/** A violation with the offending fields, relative to the pod (`spec.hostNetwork`, `metadata.annotations`). */
export interface PssFinding extends PssViolation {
  fields: string[];
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Obj = Record<string, any>;

export interface PssMeta {
  annotations?: Record<string, string> | undefined;
}

/** A container with where it sits, so a failure can name its field. */
export interface ContainerAt {
  c: Obj;
  /** `spec.containers[0]`, built only when a check fails. */
  readonly list: 'initContainers' | 'containers' | 'ephemeralContainers';
  readonly index: number;
}

export interface Ctx {
  meta: PssMeta;
  spec: Obj;
  /** Every container (init, regular, ephemeral), in the plugin's visiting order. */
  containers: ContainerAt[];
  /** Which risky fields any container sets (touches.ts): the checks' fast path. */
  touches: Touches;
}

export interface CheckResult {
  allowed: boolean;
  reason?: string;
  detail?: string;
  /** The offending fields, relative to the pod (`spec.containers[0].securityContext.privileged`). */
  fields?: string[];
}

export type CheckFn = (ctx: Ctx) => CheckResult;

export interface VersionedCheck {
  /** Minor version of 1.x from which this implementation applies. */
  min: number;
  fn: CheckFn;
  /** Baseline check ids this (restricted) version overrides. */
  overrides?: string[];
}

export interface PssCheck {
  /** The plugin's check id, e.g. `hostNamespaces`. */
  id: string;
  level: PssLevel;
  versions: VersionedCheck[];
}
