import type { Inventory } from './inventory.js';
import type { Resource } from './resource.js';
import type { CheckMeta, ObjectRef } from './types.js';

/** One thing wrong with a subject. */
export interface Violation {
  /** Field path relative to the object, e.g. `spec.template.spec.containers[0].image`. */
  path?: string;
  message: string;
  /** What to write instead, specific to this finding (the check's remediation otherwise). */
  remediation?: string;
}

/** A check's verdict on one subject: no violations means it passes. */
export interface Evaluation {
  /** The object judged, or a reference to one the input lacks; no ref for facts about the whole cluster. */
  subject: Resource | { ref?: ObjectRef; note?: string };
  violations: Violation[];
}

export interface CheckContext {
  inventory: Inventory;
  /** Today as YYYY-MM-DD (end-of-life dates, expiries). */
  today: string;
}

/** A check of single objects of some kinds. */
export interface ObjectCheck extends CheckMeta {
  kinds: readonly string[];
  /** Objects of those kinds that the check skips entirely (no result at all), e.g. pods a controller owns. */
  appliesTo?(resource: Resource, ctx: CheckContext): boolean;
  evaluate(resource: Resource, ctx: CheckContext): Violation[];
}

/** A check across the whole inventory (namespaces without a policy, say). */
export interface InventoryCheck extends CheckMeta {
  evaluateAll(ctx: CheckContext): Evaluation[];
}

export type Check = ObjectCheck | InventoryCheck;

export function isObjectCheck(c: Check): c is ObjectCheck {
  return 'kinds' in c;
}

/** Identity helper that gives check files full type checking of their literal. */
export function defineCheck<T extends Check>(check: T): T {
  return check;
}
