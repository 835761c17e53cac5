/**
 * The webhook's judgement of one admission request, with no I/O: which rules of the policy the
 * object fails (through the same checks and PSS engine a scan runs), whether that denies it,
 * which warnings and audit entries it earns, and the mutation patch.
 *
 * Judged: Pods, the `pods/ephemeralcontainers` subresource (the whole pod, ephemeral containers
 * included) and every pod-template kind, on CREATE and UPDATE. Everything else is allowed
 * untouched. An UPDATE of a Pod whose spec did not change (labels, annotations, finalizers) is
 * allowed without judging, as PodSecurity admission does: a pod admitted before the policy must
 * stay manageable. Dry-run requests are judged exactly like real ones (the webhook has no side
 * effects).
 *
 * Untrusted workloads (`kubeladder.io/untrusted: "true"`) are recognised by the object's own
 * labels (and its pod or job template's). The namespace's label would need a Namespace lookup
 * through the API, which this webhook does not do: label the workloads, or select such
 * namespaces in the webhook configuration.
 */
import picomatch from 'picomatch';
import { Inventory } from '../core/inventory.js';
import { Resource, type KubeObject } from '../core/resource.js';
import { runChecks } from '../core/runner.js';
import { findPssViolations } from '../engines/pss/index.js';
import { parseImage } from '../engines/images/reference.js';
import { containersOf, describeContainer, podSpecOf, POD_KINDS } from '../engines/workloads/pod-specs.js';
import { untrustedReason } from '../engines/workloads/untrusted.js';
import { mutations as mutationsFor, type JsonPatchOp } from './mutate.js';
import type { ObjectCheck } from '../core/check.js';
import type { Result } from '../core/types.js';
import { checksFor, type Mode, type Rule, type WebhookPolicy } from './policy.js';

export interface AdmissionRequest {
  uid: string;
  kind?: { group?: string; version?: string; kind?: string };
  resource?: { group?: string; version?: string; resource?: string };
  subResource?: string;
  name?: string;
  namespace?: string;
  operation?: string;
  userInfo?: { username?: string; uid?: string; groups?: string[] };
  object?: unknown;
  oldObject?: unknown;
  dryRun?: boolean;
}

export interface Finding {
  /** `pod/privileged`, `pss/baseline`, `images`, `sandbox`. */
  check: string;
  mode: Mode;
  message: string;
  fix?: string;
}

export interface Decision {
  allowed: boolean;
  status?: { code: number; message: string };
  warnings: string[];
  patch?: JsonPatchOp[];
  audit: Array<{ check: string; message: string }>;
  /** Every finding, for the decision log and metrics. */
  findings: Finding[];
  /** Why the request was not judged (exempt, not a pod kind...), for the log. */
  skipped?: string;
}

const ALLOW = (skipped: string): Decision => ({ allowed: true, warnings: [], audit: [], findings: [], skipped });

/**
 * What the webhook knows beyond the request. An AdmissionReview does not carry the namespace's
 * labels; the API server matches them against a webhook's namespaceSelector, so `generate
 * webhook` registers a second webhook for namespaces labelled `kubeladder.io/untrusted=true`
 * whose path (`/validate-untrusted`) says so.
 */
export interface DecideOptions {
  namespaceLabels?: Readonly<Record<string, string>>;
}

export function decide(policy: WebhookPolicy, req: AdmissionRequest, options: DecideOptions = {}): Decision {
  const kind = req.kind?.kind ?? '';
  const sub = req.subResource ?? '';
  if (req.operation !== 'CREATE' && req.operation !== 'UPDATE') return ALLOW(`operation ${req.operation ?? '(none)'}`);
  if (!POD_KINDS.includes(kind)) return ALLOW(`kind ${kind || '(none)'}`);
  const ephemeral = kind === 'Pod' && sub === 'ephemeralcontainers';
  if (sub !== '' && !ephemeral) return ALLOW(`subresource ${sub}`);
  const exempt = exemption(policy, req);
  if (exempt) return ALLOW(`exempt: ${exempt}`);

  const obj = req.object;
  const display = `${kind} ${req.namespace ? `${req.namespace}/` : ''}${nameOf(obj, req)}`;
  let findings: Finding[];
  let patch: JsonPatchOp[] = [];
  try {
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new Error('the object is not a JSON object');
    const ko = { ...(obj as KubeObject), kind } as KubeObject;
    const r = new Resource(ko, { basePath: [] }, req.namespace || ko.metadata?.namespace);
    const pod = podSpecOf(r);
    if (!pod) throw new Error(`the object has no pod spec where a ${kind} keeps it`);
    if (req.operation === 'UPDATE' && kind === 'Pod' && !ephemeral && sameSpec(obj, req.oldObject)) return ALLOW('pod update that leaves the spec unchanged');
    findings = judge(policy, r, options);
    patch = mutationsFor(ko, policy.mutations, { ephemeralOnly: ephemeral });
  } catch (e) {
    // The checks could not read it: deny when anything enforces, so a malformed object cannot slip by.
    const message = `${display} could not be judged: ${(e as Error).message}`;
    const enforcing = policy.rules.some((r) => r.mode === 'enforce') || policy.sandbox?.mode === 'enforce';
    const finding: Finding = { check: 'unjudgeable', mode: enforcing ? 'enforce' : 'warn', message };
    return enforcing
      ? { allowed: false, status: { code: 400, message: `kubeladder denied ${message}` }, warnings: [], audit: [], findings: [finding] }
      : { allowed: true, warnings: [`kubeladder: ${message}`], audit: [], findings: [finding] };
  }
  const text = (f: Finding): string => `${f.check}: ${f.message}${f.fix ? ` (fix: ${f.fix})` : ''}`;
  const denied = findings.filter((f) => f.mode === 'enforce');
  const d: Decision = {
    allowed: denied.length === 0,
    warnings: findings.filter((f) => f.mode === 'warn').map((f) => `kubeladder: ${text(f)}`),
    audit: findings.filter((f) => f.mode === 'audit').map((f) => ({ check: f.check, message: text(f) })),
    findings,
  };
  if (denied.length > 0) d.status = { code: 403, message: `kubeladder denied ${display}: ${denied.map(text).join('; ')}` };
  // The patch even for a denied object: /mutate runs first, and the mutation may cure what /validate then sees.
  if (patch.length > 0) d.patch = patch;
  return d;
}

function nameOf(obj: unknown, req: AdmissionRequest): string {
  const meta = (obj as { metadata?: { name?: unknown; generateName?: unknown } } | null)?.metadata;
  if (typeof meta?.name === 'string' && meta.name) return meta.name;
  if (req.name) return req.name;
  if (typeof meta?.generateName === 'string' && meta.generateName) return `${meta.generateName}*`;
  return '<unnamed>';
}

function sameSpec(obj: unknown, old: unknown): boolean {
  const spec = (o: unknown): unknown => (o as { spec?: unknown } | null | undefined)?.spec;
  return old !== undefined && old !== null && JSON.stringify(spec(obj)) === JSON.stringify(spec(old));
}

/** Why the request is exempt, or undefined. */
export function exemption(policy: WebhookPolicy, req: AdmissionRequest): string | undefined {
  const ex = policy.exemptions;
  const any = (globs: string[], value: string | undefined): string | undefined =>
    value === undefined ? undefined : globs.find((g) => picomatch.isMatch(value, g, { dot: true }));
  const ns = req.namespace ?? (req.object as KubeObject | undefined)?.metadata?.namespace;
  let g = any(ex.namespaces, ns);
  if (g) return `namespace ${ns} matches ${g}`;
  const user = req.userInfo?.username;
  // Usernames and groups contain colons, never slashes: a glob's `*` spans the whole name part.
  g = any(ex.usernames, user);
  if (g) return `user ${user} matches ${g}`;
  for (const group of req.userInfo?.groups ?? []) {
    g = any(ex.groups, group);
    if (g) return `group ${group} matches ${g}`;
  }
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(user ?? '');
  if (sa) {
    g = any(ex.serviceAccounts, `${sa[1]}/${sa[2]}`);
    if (g) return `service account ${sa[1]}/${sa[2]} matches ${g}`;
  }
  return undefined;
}

/**
 * A policy's `check:` rules resolved once (not per request): the checks each selects, and all
 * of them, each once, in order of first selection, to run together over one inventory.
 */
interface CheckPlan {
  rules: readonly Rule[];
  length: number;
  selected: Map<Rule, ObjectCheck[]>;
  checks: ObjectCheck[];
}
const plans = new WeakMap<WebhookPolicy, CheckPlan>();

function planOf(policy: WebhookPolicy): CheckPlan {
  const have = plans.get(policy);
  if (have && have.rules === policy.rules && have.length === policy.rules.length) return have;
  const selected = new Map<Rule, ObjectCheck[]>();
  const all = new Set<ObjectCheck>();
  for (const rule of policy.rules) {
    if (!('check' in rule)) continue;
    const checks = checksFor(rule.check);
    selected.set(rule, checks);
    for (const c of checks) all.add(c);
  }
  const plan = { rules: policy.rules, length: policy.rules.length, selected, checks: [...all] };
  plans.set(policy, plan);
  return plan;
}

// The scanner's `kubeladder.io/exempt` annotation is the object author's own word: here it would
// let anyone who may create a pod exempt it, so an exempt result counts as a failure. Only the
// policy's exemptions (checked before) apply.
const failed = (s: string): boolean => s === 'fail' || s === 'exempt';

/**
 * Every finding of every rule on one object, in rule order. The checks of all `check:` rules
 * run once, together, over one inventory (a check's results do not depend on which others run
 * beside it), and each rule takes the failures of the checks it selects.
 */
function judge(policy: WebhookPolicy, r: Resource, options: DecideOptions): Finding[] {
  const plan = planOf(policy);
  // One inventory for the checks and the sandbox rule alike, the namespace's labels in it when known.
  const inventory = admittedInventory(r, options.namespaceLabels);
  const failures = new Map<string, Result[]>();
  if (plan.checks.length > 0) {
    for (const x of runChecks(plan.checks, inventory, { keep: failed }).results) {
      if (!failed(x.status)) continue;
      const list = failures.get(x.check);
      if (list) list.push(x);
      else failures.set(x.check, [x]);
    }
  }
  const out: Finding[] = [];
  for (const rule of policy.rules) {
    if ('check' in rule) {
      for (const c of plan.selected.get(rule) ?? []) for (const x of failures.get(c.id) ?? []) out.push({ check: x.check, mode: rule.mode, message: x.message, fix: x.remediation });
    } else out.push(...judgeRule(rule, r));
  }
  if (policy.sandbox) out.push(...judgeSandbox(policy.sandbox, r, inventory));
  return out;
}

/** The findings of a `pss:` or `images:` rule (`check:` rules are judged together, in {@link judge}). */
function judgeRule(rule: Exclude<Rule, { check: string }>, r: Resource): Finding[] {
  if ('pss' in rule) {
    const pod = podSpecOf(r)!;
    const { level, version } = rule.pss;
    return findPssViolations(pod.metadata, pod.spec, level, version).map((v) => ({
      check: `pss/${level}`,
      mode: rule.mode,
      message: `${v.message} (Pod Security Standards ${level}, ${version})`,
    }));
  }
  return judgeImages(rule.images, rule.mode, r);
}

function judgeImages(rule: { allow?: string[]; requireDigest?: boolean }, mode: Mode, r: Resource): Finding[] {
  const pod = podSpecOf(r)!;
  const out: Finding[] = [];
  for (const c of containersOf(pod)) {
    const image = c.container.image;
    if (typeof image !== 'string' || image.trim() === '') {
      out.push({ check: 'images', mode, message: `${describeContainer(c)} names no image` });
      continue;
    }
    const ref = parseImage(image);
    const written = `${ref.registry ? `${ref.registry}/` : ''}${ref.repository}`;
    const canonical = `${ref.registry ?? 'docker.io'}/${!ref.registry && !ref.repository.includes('/') ? 'library/' : ''}${ref.repository}`;
    if (rule.allow && !rule.allow.some((g) => picomatch.isMatch(written, g) || picomatch.isMatch(canonical, g))) {
      out.push({ check: 'images', mode, message: `${describeContainer(c)} uses image "${image}" from no allowed registry/repository`, fix: `use an image matching ${rule.allow.join(', ') || '(none allowed)'}` });
    }
    if (rule.requireDigest && !ref.digest) {
      out.push({ check: 'images', mode, message: `${describeContainer(c)} uses image "${image}" without a digest`, fix: 'pin the image by digest (image@sha256:...)' });
    }
  }
  return out;
}

/**
 * The one object being admitted, as the checks see it: an object the API server holds (its
 * defaults applied, e.g. serviceAccount echoing serviceAccountName), hence a cluster input.
 * `namespaceLabels`, when the webhook was told them (see {@link DecideOptions}), stand in for
 * the Namespace object the request does not carry.
 */
function admittedInventory(r: Resource, namespaceLabels?: Readonly<Record<string, string>>): Inventory {
  const inventory = new Inventory(['cluster']);
  inventory.add(r);
  if (namespaceLabels && r.namespace) inventory.add(new Resource({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: r.namespace, labels: { ...namespaceLabels } } }, { basePath: [] }, undefined));
  return inventory;
}

function judgeSandbox(sandbox: { runtimeClassName: string; mode: Mode }, r: Resource, inventory: Inventory): Finding[] {
  const why = untrustedReason(r, inventory);
  if (!why) return [];
  const name = podSpecOf(r)!.spec.runtimeClassName;
  if (name === sandbox.runtimeClassName) return [];
  const message =
    typeof name === 'string' && name
      ? `untrusted workload (${why}) runs under runtimeClassName "${name}", not the sandbox "${sandbox.runtimeClassName}"`
      : `untrusted workload (${why}) sets no runtimeClassName, so its containers share the node's kernel`;
  return [{ check: 'sandbox', mode: sandbox.mode, message, fix: `set runtimeClassName: ${sandbox.runtimeClassName}` }];
}
