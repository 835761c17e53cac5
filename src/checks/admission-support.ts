/**
 * What the admission webhook checks share: the webhook entries of a Validating or Mutating
 * webhook configuration (admissionregistration.k8s.io/v1, whose defaults they assume), and
 * what a webhook's rules send it. Not a check itself: the registry only takes files inside an
 * area folder.
 */
import type { Resource } from '../core/resource.js';

export const WEBHOOK_KINDS = ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'] as const;
export const ADMISSION_V1 = 'admissionregistration.k8s.io/v1';

/** Only v1 objects are judged: v1beta1 had other defaults (failurePolicy Ignore) and is no longer served. */
export const isAdmissionV1 = (r: Resource): boolean => r.apiVersion === ADMISSION_V1;

export interface WebhookEntry {
  index: number;
  name: string;
  hook: Record<string, unknown>;
  /** `webhooks[i].field`. */
  path(field: string): string;
}

export function webhookEntries(r: Resource): WebhookEntry[] {
  const list = r.obj.webhooks;
  if (!Array.isArray(list)) return [];
  return list.flatMap((h, index) => {
    if (typeof h !== 'object' || h === null) return [];
    const hook = h as Record<string, unknown>;
    return [{ index, name: typeof hook.name === 'string' ? hook.name : `webhooks[${index}]`, hook, path: (field: string) => `webhooks[${index}]${field ? `.${field}` : ''}` }];
  });
}

/** `ValidatingWebhookConfiguration kyverno, webhook "validate.kyverno.svc"`. */
export const webhookDisplay = (r: Resource, e: WebhookEntry): string => `${r.kind} ${r.name}, webhook "${e.name}"`;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The kinds whose objects carry a pod template, by API group. */
const POD_TEMPLATE_RESOURCES: Readonly<Record<string, readonly string[]>> = {
  '': ['replicationcontrollers', 'podtemplates'],
  apps: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'],
  batch: ['jobs', 'cronjobs'],
};

export interface Coverage {
  /** Pods themselves (`pods`, `pods/*`, `*`). */
  pods: boolean;
  /** Pod templates (deployments, jobs, ...). */
  templates: boolean;
  /** Every resource (`*` in a group `*` or the core group). */
  everything: boolean;
}

function ruleResources(rule: Record<string, unknown>, ops: (o: string[]) => boolean): Array<{ group: string; resource: string }> {
  if (rule.scope === 'Cluster') return []; // pods and their templates are namespaced
  if (!ops(strings(rule.operations))) return [];
  return strings(rule.apiGroups).flatMap((group) => strings(rule.resources).map((resource) => ({ group, resource })));
}

/**
 * What a webhook's rules send it, for operations that `ops` accepts (every operation by default).
 * A rule names groups, resources and operations; `*` matches any, `pods/*` every subresource.
 */
export function coverage(hook: Record<string, unknown>, ops: (o: string[]) => boolean = () => true): Coverage {
  const out: Coverage = { pods: false, templates: false, everything: false };
  const rules = Array.isArray(hook.rules) ? hook.rules.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null) : [];
  for (const rule of rules) {
    for (const { group, resource } of ruleResources(rule, ops)) {
      const anyResource = resource === '*' || resource === '*/*';
      if (anyResource && group === '*') out.everything = true;
      if ((group === '' || group === '*') && (anyResource || resource === 'pods' || resource.startsWith('pods/'))) out.pods = true;
      for (const [g, rs] of Object.entries(POD_TEMPLATE_RESOURCES)) {
        if ((group === g || group === '*') && (anyResource || rs.includes(resource))) out.templates = true;
      }
    }
  }
  return out;
}

/** Operations that create or change an object (what a pod security policy judges). */
export const WRITES = (ops: string[]): boolean => ops.some((o) => o === '*' || o === 'CREATE' || o === 'UPDATE');

/** What a webhook's coverage is, in words: `pods and pod templates`. */
export function coverageText(c: Coverage): string {
  if (c.everything) return 'every resource';
  return [c.pods ? 'pods' : undefined, c.templates ? 'pod templates (deployments, jobs, ...)' : undefined].filter(Boolean).join(' and ');
}

/** failurePolicy as the API server applies it: v1 defaults to Fail. */
export const failurePolicyOf = (hook: Record<string, unknown>): string => (typeof hook.failurePolicy === 'string' ? hook.failurePolicy : 'Fail');
