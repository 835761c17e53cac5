/**
 * Reading the RBAC fields of an object as written. Lenient where YAML is (a scalar typed as a
 * number or boolean compares as its text, as selectors treat labels); anything else malformed is
 * dropped, which grants nothing, as an object the API server would refuse grants nothing.
 */
import type { PolicyRule } from './types.js';

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function strings(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: string[] = [];
  for (const e of v) {
    const t = text(e);
    if (t !== undefined) out.push(t);
  }
  return out;
}

export function parseRule(raw: unknown): PolicyRule | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  const rule: PolicyRule = { verbs: strings(r.verbs) ?? [] };
  // Only fields that are present, so a rule reads back as written.
  const apiGroups = strings(r.apiGroups);
  const resources = strings(r.resources);
  const resourceNames = strings(r.resourceNames);
  const nonResourceURLs = strings(r.nonResourceURLs);
  if (apiGroups) rule.apiGroups = apiGroups;
  if (resources) rule.resources = resources;
  if (resourceNames) rule.resourceNames = resourceNames;
  if (nonResourceURLs) rule.nonResourceURLs = nonResourceURLs;
  return rule;
}

export function parseRules(raw: unknown): PolicyRule[] {
  if (!Array.isArray(raw)) return [];
  const out: PolicyRule[] = [];
  for (const e of raw) {
    const r = parseRule(e);
    if (r) out.push(r);
  }
  return out;
}

/** A binding's roleRef: kind and name as written ('' when absent). */
export function parseRoleRef(raw: unknown): { kind: string; name: string } {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as { kind?: unknown; name?: unknown };
  return { kind: text(r.kind) ?? '', name: text(r.name) ?? '' };
}

/**
 * Identity of a rule for the aggregation controller's de-duplication (apimachinery's
 * Semantic.DeepEqual): every list compared in order, an absent list equal to an empty one.
 */
export function ruleKey(r: PolicyRule): string {
  return JSON.stringify([r.verbs, r.apiGroups ?? [], r.resources ?? [], r.resourceNames ?? [], r.nonResourceURLs ?? []]);
}

/** Go's string order (bytes of UTF-8, i.e. code points), which sorts the controller's roles. */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (0xD800-0xDFFF) are code points above 0xFFFF: they sort after 0xE000-0xFFFF.
    const hx = x >= 0xd800 && x <= 0xdfff ? x + 0x10000 : x;
    const hy = y >= 0xd800 && y <= 0xdfff ? y + 0x10000 : y;
    return hx - hy;
  }
  return a.length - b.length;
}
