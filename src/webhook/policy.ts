/**
 * The admission webhook's policy file: which kubeladder checks enforce, warn or only audit,
 * which safe mutations to apply, and who is exempt. Validated with zod; every error names the
 * file, the line and the key (`policy.yaml:7: rules.1.mode: ...`).
 *
 *   apiVersion: kubeladder.io/v1
 *   kind: WebhookPolicy
 *   rules:
 *     - check: pod/privileged        # a kubeladder pod check id (or a glob of them, `pod/host-*`)
 *       mode: enforce                # enforce (deny) | warn (API warning) | audit (audit annotation + log)
 *     - pss: {level: baseline, version: latest}   # also `check: pss` with `level:`/`version:` beside it
 *       mode: enforce
 *     - images: {allow: ["registry.example.com/**", "ghcr.io/acme/*"], requireDigest: true}
 *       mode: enforce
 *   mutations: [seccompRuntimeDefault, noPrivilegeEscalation, noServiceAccountToken, dropAllCapabilities, runAsNonRoot]
 *   sandbox: {runtimeClassName: gvisor, mode: enforce}   # for workloads labelled kubeladder.io/untrusted=true
 *   exemptions:
 *     namespaces: [kube-system]                     # globs
 *     usernames: ["system:serviceaccount:argocd:*"] # globs on userInfo.username
 *     groups: ["system:masters"]                    # globs on userInfo.groups
 *     serviceAccounts: ["ops/*"]                    # namespace/name globs of a requesting service account
 *
 * Image globs match `registry/repository` (picomatch: `*` stays within one path segment, `**`
 * crosses them); a short name is also tried as the runtime reads it (`nginx` is
 * `docker.io/library/nginx`). `mode` defaults to enforce.
 */
import { readFileSync } from 'node:fs';
import picomatch from 'picomatch';
import { LineCounter, parseDocument, stringify, type Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { CHECKS } from '../checks/index.js';
import { isObjectCheck, type ObjectCheck } from '../core/check.js';
import { POD_KINDS } from '../engines/workloads/pod-specs.js';
import { isPsaVersion } from '../engines/pss/labels.js';
import { RBAC_KINDS } from '../engines/rbac/inventory-model.js';
import type { PssLevel, PssVersion } from '../engines/pss/index.js';

export const MODES = ['enforce', 'warn', 'audit'] as const;
export type Mode = (typeof MODES)[number];

export const MUTATIONS = ['seccompRuntimeDefault', 'noPrivilegeEscalation', 'noServiceAccountToken', 'dropAllCapabilities', 'runAsNonRoot'] as const;
export type MutationName = (typeof MUTATIONS)[number];

export type Rule =
  | { check: string; mode: Mode }
  | { pss: { level: PssLevel; version: PssVersion }; mode: Mode }
  | { images: { allow?: string[]; requireDigest?: boolean }; mode: Mode };

export interface Exemptions {
  namespaces: string[];
  usernames: string[];
  groups: string[];
  serviceAccounts: string[];
}

export interface WebhookPolicy {
  apiVersion: 'kubeladder.io/v1';
  kind: 'WebhookPolicy';
  rules: Rule[];
  mutations: MutationName[];
  sandbox?: { runtimeClassName: string; mode: Mode };
  exemptions: Exemptions;
}

/**
 * The checks a `check:` rule may name: object checks that judge Pods or pod templates from the
 * object itself. Those that need RBAC bindings for a verdict (rbac/pod-blast-radius) are not
 * among them: a webhook sees one object, never the bindings, and would always pass them.
 */
export const POD_CHECKS: readonly ObjectCheck[] = CHECKS.filter(
  (c): c is ObjectCheck => isObjectCheck(c) && c.kinds.some((k) => POD_KINDS.includes(k)) && !(c.needs.kinds ?? []).some((k) => (RBAC_KINDS as readonly string[]).includes(k)),
);

/** The pod checks a `check:` value selects (an id, or a glob of ids). */
export function checksFor(id: string): ObjectCheck[] {
  if (!/[*?[\]{}!]/.test(id)) return POD_CHECKS.filter((c) => c.id === id);
  const m = picomatch(id);
  return POD_CHECKS.filter((c) => m(c.id));
}

export const DEFAULT_POLICY: WebhookPolicy = {
  apiVersion: 'kubeladder.io/v1',
  kind: 'WebhookPolicy',
  rules: [
    { pss: { level: 'baseline', version: 'latest' }, mode: 'enforce' },
    { pss: { level: 'restricted', version: 'latest' }, mode: 'warn' },
  ],
  mutations: ['seccompRuntimeDefault', 'noPrivilegeEscalation'],
  exemptions: { namespaces: ['kube-system'], usernames: [], groups: [], serviceAccounts: [] },
};

export class PolicyError extends Error {
  readonly exitCode = 2;
}

const mode = z.enum(MODES).default('enforce');
const pssSpec = z
  .object({
    level: z.enum(['baseline', 'restricted']),
    version: z
      .string()
      .refine((v) => isPsaVersion(v), 'must be "latest" or "v1.N"')
      .default('latest'),
  })
  .strict();
const globList = z.array(z.string().min(1));

const schema = z
  .object({
    apiVersion: z.literal('kubeladder.io/v1'),
    kind: z.literal('WebhookPolicy'),
    rules: z
      .array(
        z.union([
          z.object({ check: z.literal('pss'), level: z.enum(['baseline', 'restricted']), version: z.string().refine((v) => isPsaVersion(v), 'must be "latest" or "v1.N"').default('latest'), mode }).strict(),
          z.object({ check: z.string().min(1), mode }).strict(),
          z.object({ pss: pssSpec, mode }).strict(),
          z.object({ images: z.object({ allow: globList.optional(), requireDigest: z.boolean().optional() }).strict(), mode }).strict(),
        ]),
      )
      .default([]),
    mutations: z.array(z.enum(MUTATIONS)).default([]),
    sandbox: z.object({ runtimeClassName: z.string().min(1), mode }).strict().optional(),
    exemptions: z
      .object({
        namespaces: globList.default([]),
        usernames: globList.default([]),
        groups: globList.default([]),
        serviceAccounts: z.array(z.string().regex(/^[^/]+\/[^/]+$/, 'must be namespace/name (globs allowed)')).default([]),
      })
      .strict()
      .default({ namespaces: [], usernames: [], groups: [], serviceAccounts: [] }),
  })
  .strict();

/** Parses and validates a policy's text; `file` is the name errors give. */
export function parsePolicy(text: string, file: string): WebhookPolicy {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  const lineOf = (path: readonly PropertyKey[]): number => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as (string | number)[], true) as YamlNode | undefined;
      const off = node?.range?.[0];
      if (off !== undefined) return counter.linePos(off).line;
    }
    return 1;
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new PolicyError(`${file}:${counter.linePos(e.pos[0]).line}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  const raw: unknown = doc.toJS() ?? {};
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    // A union reports "invalid input": name the branch the rule was meant to be, by its keys.
    let issue = parsed.error.issues[0]!;
    if (issue.code === 'invalid_union') {
      const branch = unionBranch(issue, raw, issue.path);
      if (branch) issue = { ...branch, path: [...issue.path, ...branch.path] };
    }
    // An unknown key is named (and its line given) as the key itself.
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
    const key = path.map(String).join('.') || '(top level)';
    const msg = issue.code === 'unrecognized_keys' ? `unknown key${issue.keys.length > 1 ? `s ${issue.keys.map((k) => `"${k}"`).join(', ')}` : ''}` : issue.message;
    throw new PolicyError(`${file}:${lineOf(path)}: ${key}: ${msg}`);
  }
  const data = parsed.data;
  const rules: Rule[] = data.rules.map((r, i) => {
    if ('check' in r && r.check === 'pss' && 'level' in r) return { pss: { level: r.level, version: r.version as PssVersion }, mode: r.mode };
    if ('check' in r) {
      if (checksFor(r.check).length === 0) {
        throw new PolicyError(`${file}:${lineOf(['rules', i, 'check'])}: rules.${i}.check: "${r.check}" is no kubeladder pod check (see \`kubeladder checks\`; or use pss with level/version)`);
      }
      return { check: r.check, mode: r.mode };
    }
    if ('pss' in r) return { pss: { level: r.pss.level, version: r.pss.version as PssVersion }, mode: r.mode };
    return { images: r.images, mode: r.mode };
  });
  const out: WebhookPolicy = { apiVersion: data.apiVersion, kind: data.kind, rules, mutations: [...new Set(data.mutations)], exemptions: data.exemptions };
  if (data.sandbox) out.sandbox = data.sandbox;
  return out;
}

type Issue = z.core.$ZodIssue;

/** The most telling issue of a failed union: that of the branch whose key the rule has. */
function unionBranch(issue: Issue, raw: unknown, path: readonly PropertyKey[]): Issue | undefined {
  if (issue.code !== 'invalid_union') return undefined;
  let node: unknown = raw;
  for (const p of path) node = (node as Record<PropertyKey, unknown> | undefined)?.[p];
  if (typeof node !== 'object' || node === null) return { code: 'custom', path: [], message: 'must be a rule: {check: ID, mode} or {pss: {level, version}, mode} or {images: {...}, mode}', input: node } as Issue;
  const keys = Object.keys(node);
  const order = keys.includes('level') || (node as { check?: unknown }).check === 'pss' ? [0] : keys.includes('check') ? [1] : keys.includes('pss') ? [2] : keys.includes('images') ? [3] : [];
  for (const i of order) {
    const errs = issue.errors[i];
    if (errs && errs.length > 0) return errs[0];
  }
  return { code: 'custom', path: [], message: 'must be a rule with one of check, pss or images', input: node } as Issue;
}

export function loadPolicy(path: string, display = path): WebhookPolicy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new PolicyError(`${display}: cannot read policy: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parsePolicy(text, display);
}

/** The policy as YAML, every default written out. */
export function formatPolicy(p: WebhookPolicy): string {
  return stringify(p, { lineWidth: 0 });
}
