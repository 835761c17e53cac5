/**
 * Label selectors as Kubernetes evaluates them (metav1.LabelSelector, through apimachinery's
 * LabelSelectorAsSelector): matchLabels and matchExpressions are ANDed; an empty selector `{}`
 * selects everything, a null one nothing; an invalid one (an unknown operator, In/NotIn without
 * values, Exists/DoesNotExist with values) is an error, and selects nothing here.
 *
 * Some objects give `{}` another meaning (a policy/v1beta1 PodDisruptionBudget's selects no
 * pods): their checks decide that before asking this module.
 */

export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

export type ParsedSelector =
  /** `requirements` empty: selects every set of labels. */
  | { kind: 'requirements'; requirements: Requirement[] }
  /** A null selector: selects nothing. */
  | { kind: 'nothing' }
  | { kind: 'invalid'; error: string };

const OPERATORS: readonly Operator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** Label keys and values are strings; a scalar that YAML typed otherwise compares as its text. */
function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function parseSelector(sel: unknown): ParsedSelector {
  if (sel === undefined || sel === null) return { kind: 'nothing' };
  if (typeof sel !== 'object' || Array.isArray(sel)) return { kind: 'invalid', error: 'a label selector must be an object' };
  const { matchLabels, matchExpressions } = sel as { matchLabels?: unknown; matchExpressions?: unknown };
  const requirements: Requirement[] = [];
  if (matchLabels !== undefined && matchLabels !== null) {
    if (typeof matchLabels !== 'object' || Array.isArray(matchLabels)) return { kind: 'invalid', error: 'matchLabels must be a map' };
    for (const [key, value] of Object.entries(matchLabels)) {
      const v = text(value);
      if (v === undefined) return { kind: 'invalid', error: `matchLabels["${key}"] is not a string` };
      // A matchLabels entry is the requirement `key In (value)`.
      requirements.push({ key, operator: 'In', values: [v] });
    }
  }
  if (matchExpressions !== undefined && matchExpressions !== null) {
    if (!Array.isArray(matchExpressions)) return { kind: 'invalid', error: 'matchExpressions must be a list' };
    for (const [i, e] of matchExpressions.entries()) {
      const expr = (typeof e === 'object' && e !== null ? e : {}) as { key?: unknown; operator?: unknown; values?: unknown };
      const key = text(expr.key);
      if (!key) return { kind: 'invalid', error: `matchExpressions[${i}] has no key` };
      const operator = OPERATORS.find((o) => o === expr.operator);
      if (!operator) return { kind: 'invalid', error: `matchExpressions[${i}]: "${String(expr.operator)}" is not a valid label selector operator` };
      const raw = expr.values === undefined || expr.values === null ? [] : expr.values;
      if (!Array.isArray(raw)) return { kind: 'invalid', error: `matchExpressions[${i}].values must be a list` };
      const values: string[] = [];
      for (const v of raw) {
        const t = text(v);
        if (t === undefined) return { kind: 'invalid', error: `matchExpressions[${i}].values holds a non-string` };
        values.push(t);
      }
      if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
        return { kind: 'invalid', error: `matchExpressions[${i}]: ${operator} needs at least one value` };
      }
      if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
        return { kind: 'invalid', error: `matchExpressions[${i}]: ${operator} takes no values` };
      }
      requirements.push({ key, operator, values });
    }
  }
  return { kind: 'requirements', requirements };
}

export function requirementMatches(req: Requirement, labels: Readonly<Record<string, unknown>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  const value = has ? text(labels[req.key]) : undefined;
  switch (req.operator) {
    case 'In':
      return value !== undefined && req.values.includes(value);
    case 'NotIn':
      // A pod without the label is not in the set, so NotIn selects it.
      return value === undefined || !req.values.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

/** Whether `sel` selects an object with these labels: `{}` selects all, null and invalid selectors none. */
export function selectorMatches(sel: unknown, labels: Readonly<Record<string, unknown>> | undefined): boolean {
  const parsed = parseSelector(sel);
  if (parsed.kind !== 'requirements') return false;
  const ls = labels ?? {};
  return parsed.requirements.every((r) => requirementMatches(r, ls));
}

/** True for a selector with no requirement at all (`{}`, or empty matchLabels and matchExpressions). */
export function isEmptySelector(sel: unknown): boolean {
  const parsed = parseSelector(sel);
  return parsed.kind === 'requirements' && parsed.requirements.length === 0;
}
