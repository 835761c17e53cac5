/**
 * Whether a failing result is exempt: by an annotation on the object, by a config rule, or by
 * the default exemption of the system namespaces from namespace-level policy checks. Exempt
 * results are kept and counted with their reason; an expired rule no longer exempts and says so.
 */
import picomatch from 'picomatch';
import type { Config, ExemptionRule } from './config.js';
import type { CheckMeta, ObjectRef } from './types.js';

export const EXEMPT_ANNOTATION = 'kubeladder.io/exempt';
export const EXEMPT_REASON_ANNOTATION = 'kubeladder.io/exempt-reason';

export type ExemptionVerdict = { exempt: true; reason: string } | { exempt: false; expired?: string };

export class Exemptions {
  private readonly matchers: Array<{ rule: ExemptionRule; test: (ref: ObjectRef) => boolean }>;

  constructor(
    private readonly config: Config,
    /** Today as YYYY-MM-DD: rules that expire before it no longer apply. */
    private readonly today: string,
  ) {
    this.matchers = config.exemptions.map((rule) => {
      const kind = glob(rule.kind);
      const ns = glob(rule.namespace);
      const name = glob(rule.name);
      return { rule, test: (ref) => kind(ref.kind) && ns(ref.namespace ?? '') && name(ref.name) };
    });
  }

  verdict(check: CheckMeta, ref: ObjectRef | undefined, annotations: Record<string, string> | undefined): ExemptionVerdict {
    const listed = annotations?.[EXEMPT_ANNOTATION];
    if (listed !== undefined && listed.split(',').some((id) => id.trim() === check.id || id.trim() === '*')) {
      const why = annotations?.[EXEMPT_REASON_ANNOTATION];
      return { exempt: true, reason: `annotation ${EXEMPT_ANNOTATION}: ${why ?? `no reason given (set ${EXEMPT_REASON_ANNOTATION})`}` };
    }
    let expired: string | undefined;
    if (ref) {
      for (const { rule, test } of this.matchers) {
        if (!rule.checks.includes(check.id) && !rule.checks.includes('*')) continue;
        if (!test(ref)) continue;
        const where = rule.file ? ` (${rule.file}:${rule.line})` : '';
        if (rule.expires && rule.expires < this.today) {
          expired ??= `exemption expired on ${rule.expires}${where}: ${rule.reason}`;
          continue;
        }
        return { exempt: true, reason: `config${where}: ${rule.reason}` };
      }
      const ns = ref.kind === 'Namespace' ? ref.name : ref.namespace;
      if (check.namespacePolicy && ns !== undefined && this.config.systemNamespaces.includes(ns)) {
        return { exempt: true, reason: `default exemption: ${ns} is a system namespace (change systemNamespaces in .kubeladder.yaml)` };
      }
    }
    return expired ? { exempt: false, expired } : { exempt: false };
  }
}

function glob(pattern: string | undefined): (s: string) => boolean {
  return pattern === undefined ? () => true : picomatch(pattern, { dot: true });
}
