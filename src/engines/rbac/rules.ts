/**
 * Does one PolicyRule allow one request: the API server's RuleAllows and its helpers
 * (k8s.io/kubernetes plugin/pkg/auth/authorizer/rbac/rbac.go, pkg/apis/rbac/v1/evaluation_helpers.go),
 * comparison for comparison. Every match is exact and case-sensitive; `*` is special only where
 * the Go code makes it so.
 */
import { isNonResource, type PolicyRule, type Request } from './types.js';

const ALL = '*';

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  for (const v of rule.verbs) if (v === ALL || v === verb) return true;
  return false;
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  for (const g of rule.apiGroups ?? []) if (g === ALL || g === group) return true;
  return false;
}

/**
 * `combined` is `resource` or `resource/subresource`. A rule's `*` matches every resource and
 * subresource; `*\/sub` matches any resource's `sub` subresource; anything else must equal the
 * combined name, so `pods` does not match `pods/exec` and `pods/*` matches only a literal
 * subresource named `*`.
 */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === ALL || r === combined) return true;
    if (subresource !== '' && r === `*/${subresource}`) return true;
  }
  return false;
}

/**
 * An empty list allows every name; otherwise the request's name must be in it, so a request
 * without a name (list, create, watch...) is allowed only by a list holding the empty string.
 */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  if (names.length === 0) return true;
  return names.includes(name);
}

/** `*` matches every path; a rule URL ending in `*` is a prefix (all its trailing `*` removed); otherwise exact. */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === ALL || u === path) return true;
    if (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))) return true;
  }
  return false;
}

/**
 * A resource request is checked against verbs, apiGroups, resources and resourceNames only, a
 * non-resource request against verbs and nonResourceURLs only: the other fields of the rule are
 * ignored, as upstream ignores them.
 */
export function ruleAllows(rule: PolicyRule, request: Request): boolean {
  if (isNonResource(request)) return verbMatches(rule, request.verb) && nonResourceURLMatches(rule, request.path);
  const sub = request.subresource ?? '';
  const combined = sub ? `${request.resource}/${sub}` : request.resource;
  return (
    verbMatches(rule, request.verb) &&
    apiGroupMatches(rule, request.apiGroup) &&
    resourceMatches(rule, combined, sub) &&
    resourceNameMatches(rule, request.name ?? '')
  );
}
