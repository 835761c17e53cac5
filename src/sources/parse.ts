/**
 * Turns one split document into Kubernetes objects: YAML with the YAML 1.1 booleans the API
 * server's own decoder accepts (`privileged: yes` is true to Kubernetes, so it is to us),
 * JSON through JSON.parse, `List` kinds flattened into their items, and alias bombs refused.
 */
import yaml from 'js-yaml';
import type { KubeObject } from '../core/resource.js';
import type { Segment } from '../core/path.js';

export interface ParsedObject {
  obj: KubeObject;
  basePath: Segment[];
}

export interface ParseProblem {
  /** Line relative to the document's first line (0-based), when known. */
  lineOffset?: number;
  message: string;
}

const TYPES = (yaml as unknown as { types: Record<'int' | 'float' | 'merge', yaml.Type> }).types;

/** YAML 1.1 booleans, as sigs.k8s.io/yaml resolves them: `privileged: yes` is true to Kubernetes. */
const YAML11_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const YAML11_BOOL = new Set([...YAML11_TRUE, 'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const yaml11Bool = new yaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  // Every plain scalar (keys too) is offered to each implicit type: reject most on length first.
  resolve: (data: string | null) => data !== null && data.length <= 5 && YAML11_BOOL.has(data),
  construct: (data: string) => YAML11_TRUE.has(data),
});

/** YAML 1.1 octal (`defaultMode: 0644` is 420 to Kubernetes); everything else as YAML 1.2. */
const OCTAL = /^[-+]?0[0-7_]+$/;
const coreInt = TYPES.int as yaml.Type & { resolve(d: string): boolean; construct(d: string): number };
const yaml11Int = new yaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && maybeNumber(data) && (OCTAL.test(data) || coreInt.resolve(data)),
  construct: (data: string) => (OCTAL.test(data) ? parseInt(data.replace(/_/g, ''), 8) : coreInt.construct(data)),
});

/** Integers start with a digit or a sign (then a digit, `.` or `_` for the others). */
function maybeNumber(data: string): boolean {
  const c = data.charCodeAt(0);
  return (c >= 48 && c <= 57) || c === 43 || c === 45;
}

/** YAML 1.2 floats, with the same first-character gate (`.5`, `.inf` and `.nan` start with a dot). */
const coreFloat = TYPES.float as yaml.Type & { resolve(d: string): boolean; construct(d: string): number; represent: unknown; defaultStyle: string };
const float = new yaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && (maybeNumber(data) || data.charCodeAt(0) === 46) && coreFloat.resolve(data),
  construct: (data: string) => coreFloat.construct(data),
  predicate: (coreFloat as unknown as { predicate: (o: unknown) => boolean }).predicate,
  represent: coreFloat.represent as never,
  defaultStyle: coreFloat.defaultStyle,
});

const SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [yaml11Bool, yaml11Int, float, TYPES.merge] });

/** Expanded nodes beyond which a document is an alias bomb (Kubernetes' decoder refuses these too). */
const MAX_EXPANDED_NODES = 1_000_000;

export function parseDocument(text: string, format: 'yaml' | 'json'): { objects: ParsedObject[]; problems: ParseProblem[] } {
  let value: unknown;
  try {
    value = format === 'json' ? parseJson(text) : yaml.load(text, { schema: SCHEMA });
  } catch (e) {
    return { objects: [], problems: [syntaxProblem(e, format)] };
  }
  if (value === null || value === undefined) return { objects: [], problems: [] };
  if (format === 'yaml' && text.includes('*') && expandedSize(value) > MAX_EXPANDED_NODES) {
    return {
      objects: [],
      problems: [{ message: `YAML aliases expand to more than ${MAX_EXPANDED_NODES.toLocaleString('en')} nodes (an alias bomb?); document skipped` }],
    };
  }
  return toObjects(value, []);
}

/**
 * JSON.parse first, for speed; on failure read it as YAML, as kubectl does (a `.json` file with
 * an unquoted value still applies), and report the YAML parser's line when that fails too.
 */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return yaml.load(text, { schema: SCHEMA });
  }
}

function syntaxProblem(e: unknown, format: 'yaml' | 'json'): ParseProblem {
  const what = format === 'json' ? 'invalid JSON' : 'invalid YAML';
  if (e instanceof yaml.YAMLException) return { lineOffset: e.mark?.line, message: `${what}: ${e.reason}` };
  return { message: `${what}: ${(e as Error).message}` };
}

/** Nodes a value expands to when aliases are copied out; shared subtrees are counted once per use. */
function expandedSize(root: unknown): number {
  const memo = new Map<object, number>();
  const size = (v: unknown): number => {
    if (v === null || typeof v !== 'object') return 1;
    const known = memo.get(v);
    if (known !== undefined) return known;
    let n = 1;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      n += size(child);
      if (n > MAX_EXPANDED_NODES) break;
    }
    memo.set(v, n);
    return n;
  };
  return size(root);
}

function toObjects(value: unknown, basePath: Segment[], inherited?: { apiVersion: string; kind: string }): { objects: ParsedObject[]; problems: ParseProblem[] } {
  const objects: ParsedObject[] = [];
  const problems: ParseProblem[] = [];
  const where = basePath.length ? ` (${basePath.join('.')})` : '';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push({ message: `not a Kubernetes object: the document${where} is a ${Array.isArray(value) ? 'list' : typeof value}, not a mapping` });
    return { objects, problems };
  }
  const o = value as Record<string, unknown>;
  if (inherited && o.kind === undefined && o.apiVersion === undefined) {
    o.apiVersion = inherited.apiVersion;
    o.kind = inherited.kind;
  }
  if (typeof o.kind !== 'string' || typeof o.apiVersion !== 'string' || !o.kind || !o.apiVersion) {
    const missing = [typeof o.apiVersion === 'string' && o.apiVersion ? '' : 'apiVersion', typeof o.kind === 'string' && o.kind ? '' : 'kind'].filter(Boolean);
    problems.push({ message: `not a Kubernetes object${where}: no ${missing.join(' or ')}` });
    return { objects, problems };
  }
  if (o.kind.endsWith('List') && Array.isArray(o.items)) {
    const itemKind = o.kind === 'List' ? undefined : { apiVersion: o.apiVersion, kind: o.kind.slice(0, -4) };
    o.items.forEach((item, i) => {
      const r = toObjects(item, [...basePath, 'items', i], itemKind);
      objects.push(...r.objects);
      problems.push(...r.problems);
    });
    return { objects, problems };
  }
  if (o.metadata !== undefined && (typeof o.metadata !== 'object' || o.metadata === null || Array.isArray(o.metadata))) {
    problems.push({ message: `${o.kind}${where}: metadata is not a mapping` });
    return { objects, problems };
  }
  objects.push({ obj: o as KubeObject, basePath });
  return { objects, problems };
}
