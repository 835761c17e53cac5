/** The plugin's small helpers (pluralize, joinQuote, visitContainers) and our field paths. */
import type { CheckFn, CheckResult, ContainerAt, Ctx, Obj } from './types.js';

export const OK: CheckResult = { allowed: true };

export function pluralize(singular: string, plural: string, n: number): string {
  return n === 1 ? singular : plural;
}

/** As the plugin's joinQuote: plain quotes around each item, no escaping. */
export function joinQuote(items: readonly string[]): string {
  let out = '';
  for (let i = 0; i < items.length; i++) out += i === 0 ? `"${items[i]}"` : `, "${items[i]}"`;
  return out;
}

const LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

export function containersOf(spec: Obj): ContainerAt[] {
  const out: ContainerAt[] = [];
  for (const list of LISTS) {
    const items = spec[list];
    if (!Array.isArray(items)) continue;
    for (let index = 0; index < items.length; index++) {
      const c = items[index];
      if (c && typeof c === 'object') out.push({ c: c as Obj, list, index });
    }
  }
  return out;
}

/** `spec.containers[0]` plus an optional suffix. */
export function containerField(at: ContainerAt, suffix?: string): string {
  const base = `spec.${at.list}[${at.index}]`;
  return suffix ? `${base}.${suffix}` : base;
}

export function nameOf(at: ContainerAt): string {
  return typeof at.c.name === 'string' ? at.c.name : '';
}

export function sc(o: Obj | undefined): Obj | undefined {
  const s = o?.securityContext;
  return s && typeof s === 'object' ? (s as Obj) : undefined;
}

export function isWindows(spec: Obj): boolean {
  return spec.os?.name === 'windows';
}

export function uniqSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

export function fail(reason: string, detail: string, fields: string[]): CheckResult {
  return { allowed: false, reason, detail, fields };
}

/** Pods in a user namespace (`hostUsers: false`) get relaxed checks from 1.35 on. */
export function relaxedForUserNamespaces(fn: CheckFn): CheckFn {
  return (ctx: Ctx) => (ctx.spec.hostUsers === false ? OK : fn(ctx));
}

/** Windows pods skip the restricted checks that do not apply to Windows (1.25+). */
export function skipWindows(fn: CheckFn): CheckFn {
  return (ctx: Ctx) => (isWindows(ctx.spec) ? OK : fn(ctx));
}

/** `pod` and/or `containers "a", "b"`, as the plugin lists who set a forbidden value. */
export function setters(pod: boolean, containers: readonly string[]): string[] {
  const out: string[] = [];
  if (pod) out.push('pod');
  if (containers.length) out.push(`${pluralize('container', 'containers', containers.length)} ${joinQuote(containers)}`);
  return out;
}

export function volumes(spec: Obj): Array<{ v: Obj; index: number }> {
  const list = spec.volumes;
  if (!Array.isArray(list)) return [];
  const out: Array<{ v: Obj; index: number }> = [];
  list.forEach((v, index) => {
    if (v && typeof v === 'object') out.push({ v: v as Obj, index });
  });
  return out;
}
