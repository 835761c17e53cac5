/** The shape of a fix: a name, whether it runs by default, what it may break, and what it does. */
import type { Inventory } from '../core/inventory.js';
import type { Resource } from '../core/resource.js';
import type { PodSpecAt } from '../engines/workloads/pod-specs.js';
import type { Segment } from './edit.js';
import type { ObjectPatch } from './patch.js';

/** A Pod or a workload's pod template. */
export interface PodTarget {
  resource: Resource;
  patch: ObjectPatch;
  pod: PodSpecAt;
  /** Path of the pod spec within the object (`spec.template.spec`). */
  podPath: Segment[];
  /** `spec.os.name: windows`: Linux-only securityContext fields are forbidden there. */
  windows: boolean;
}

export interface NamespaceTarget {
  resource: Resource;
  patch: ObjectPatch;
}

interface FixInfo {
  name: string;
  /** Opt-in fixes run only when named with --include. */
  optIn: boolean;
  /** What it writes, in a line. */
  summary: string;
  /** What it may break. */
  mayBreak: string;
}

export interface PodFix extends FixInfo {
  scope: 'pod';
  apply(t: PodTarget): void;
}

export interface NamespaceFix extends FixInfo {
  scope: 'namespace';
  /**
   * Runs after every pod fix, with the inventory as the pod fixes left it. `unread` names the
   * inputs that could not be read: their workloads are missing from the inventory.
   */
  apply(targets: NamespaceTarget[], inventory: Inventory, unread: readonly string[]): void;
}

export type Fix = PodFix | NamespaceFix;
