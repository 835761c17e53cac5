/**
 * The files `kubeladder fix` rewrites: which inputs are files it may edit (directories walked as
 * the scanner walks them; Helm charts and Kustomize directories named and left alone), and each
 * file parsed into documents with source ranges and the Kubernetes objects in them.
 */
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { isMap, isSeq, LineCounter, parseAllDocuments, type Document, type Node, type YAMLMap } from 'yaml';
import type { InputProblem } from '../core/errors.js';
import { Resource, type KubeObject } from '../core/resource.js';
import { CLUSTER_SCOPED_KINDS, NAMESPACED_KINDS } from '../engines/kinds.js';
import { DEFAULT_MAX_DOCUMENT_BYTES } from '../sources/files.js';
import { walkDirectory } from '../sources/walk.js';
import { Planner, type Segment } from './edit.js';

/** A file to fix: a path on disk, or stdin (`-`). */
export interface FixInput {
  display: string;
  /** Absolute path; undefined for stdin. */
  path?: string;
}

export interface Enumerated {
  files: FixInput[];
  /** One line each: inputs that cannot be fixed in place (Helm charts, Kustomize directories). */
  notices: string[];
  /** Those inputs' directories. */
  unrendered: string[];
  problems: InputProblem[];
  /** Top-level directories walked (they count as read, as the scanner counts them). */
  directories: number;
}

/** The files the inputs name, directories walked as the scanner walks them (src/sources/walk.ts). */
export function enumerateInputs(inputs: readonly string[], cwd: string): Enumerated {
  const out: Enumerated = { files: [], notices: [], unrendered: [], problems: [], directories: 0 };
  const walk = (display: string, path: string): void => {
    for (const item of walkDirectory(display, path)) {
      if (item.kind === 'kustomize') {
        out.unrendered.push(item.display);
        out.notices.push(`${item.display}: a Kustomize directory cannot be fixed in place; run fix on the directories of its resources (bases), patches stay yours to edit; skipped`);
      } else if (item.kind === 'helm') {
        out.unrendered.push(item.display);
        out.notices.push(`${item.display}: a Helm chart cannot be fixed in place (its templates are not plain YAML); set securityContext in its values or templates; skipped`);
      } else if (item.kind === 'unreadable') out.problems.push({ file: item.display, message: item.message });
      else if (item.kind === 'directory') {
        if (item.display === display) out.directories++;
      } else add({ display: item.display, path: item.path });
    }
  };
  const seen = new Set<string>();
  const add = (f: FixInput): void => {
    // A file named twice (or inside a directory also named) is fixed once.
    const key = f.path ?? '-';
    if (!seen.has(key)) out.files.push(f);
    seen.add(key);
  };
  for (const input of inputs) {
    if (input === '-') {
      add({ display: '-' });
      continue;
    }
    const path = isAbsolute(input) ? input : join(cwd, input);
    let st;
    try {
      st = statSync(path);
    } catch (e) {
      out.problems.push({ file: input, message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message });
      continue;
    }
    if (st.isDirectory()) walk(input, path);
    else add({ display: input, path });
  }
  return out;
}

/** One YAML document of a file, with its planned edits. */
export interface FixDocument {
  doc: Document.Parsed;
  /** The document as data; fixes change it as they plan their edits. */
  value: unknown;
  planner: Planner;
}

/** A Kubernetes object of a file. */
export interface FixObject {
  resource: Resource;
  document: FixDocument;
  /** Path of the object within its document (`items[2]` in a List). */
  basePath: Segment[];
  node: YAMLMap;
  /** 1-based line of the object's start. */
  line: number;
}

export interface FixFile {
  input: FixInput;
  text: string;
  documents: FixDocument[];
  objects: FixObject[];
}

/** Reads a file's bytes as text, or says why it cannot be fixed. */
export function readInput(input: FixInput, bytes: Buffer): { text?: string; problem?: InputProblem } {
  if (bytes.subarray(0, 8192).includes(0)) return { problem: { file: input.display, message: 'binary file (contains NUL bytes), not a manifest; skipped' } };
  if (bytes.length > DEFAULT_MAX_DOCUMENT_BYTES) return { problem: { file: input.display, message: `larger than ${Math.round(DEFAULT_MAX_DOCUMENT_BYTES / 1048576)} MiB; skipped` } };
  const text = bytes.toString('utf8');
  // Rewriting must give back every byte not edited: refuse what does not round-trip.
  if (!Buffer.from(text, 'utf8').equals(bytes)) return { problem: { file: input.display, message: 'not valid UTF-8; skipped' } };
  return { text };
}

export function readFileInput(input: FixInput): { text?: string; problem?: InputProblem } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(input.path!);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { problem: { file: input.display, message: code === 'ENOENT' ? 'no such file or directory' : `cannot read: ${code ?? (e as Error).message}` } };
  }
  return readInput(input, bytes);
}

/** Kubernetes reads YAML 1.1 (`privileged: yes` is true); so does fix. */
export const PARSE_OPTIONS = { version: '1.1', uniqueKeys: true } as const;

/**
 * Parses a file's documents and finds its Kubernetes objects. A file with a syntax error anywhere
 * is not fixed at all (a one-line problem with its line): its document boundaries cannot be trusted.
 */
export function parseFixFile(input: FixInput, text: string, defaultNamespace: string): { file?: FixFile; problem?: InputProblem } {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter });
  const file: FixFile = { input, text, documents: [], objects: [] };
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      const line = err.linePos?.[0]?.line;
      return { problem: { file: input.display, line, message: `invalid YAML: ${oneLine(err.message)}; file not fixed` } };
    }
    if (doc.contents === null) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      return { problem: { file: input.display, line: lineCounter.linePos(doc.range[0]).line, message: `${oneLine((e as Error).message)}; file not fixed` } };
    }
    const document: FixDocument = { doc, value, planner: new Planner(text, doc) };
    file.documents.push(document);
    for (const { obj, node, basePath } of objectsOf(value, doc.contents as Node, [])) {
      const start = node.range?.[0] ?? doc.range[0];
      const resource = new Resource(obj, { file: input.display, basePath, line: lineCounter.linePos(start).line }, namespaceOf(obj, defaultNamespace));
      file.objects.push({ resource, document, basePath, node, line: lineCounter.linePos(start).line });
    }
  }
  return { file };
}

/** A parser message as one line, without the source excerpt (which could be a Secret's data). */
function oneLine(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '').trim();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The objects of a document: itself, or the items of a `List` (a typed `PodList`'s items inherit its kind). */
function objectsOf(value: unknown, node: Node, basePath: Segment[]): Array<{ obj: KubeObject; node: YAMLMap; basePath: Segment[] }> {
  if (!isObject(value) || !isMap(node)) return [];
  const { kind, apiVersion } = value;
  if (typeof kind !== 'string' || typeof apiVersion !== 'string' || !kind || !apiVersion) return [];
  if (kind.endsWith('List') && Array.isArray(value.items)) {
    const items = node.get('items', true);
    if (!isSeq(items)) return [];
    return value.items.flatMap((item, i) => {
      const itemNode = items.items[i] as Node | undefined;
      if (!itemNode || !isObject(item)) return [];
      // A typed list's items may leave out kind and apiVersion: read them with the list's (the data stays as written).
      const inherited = kind !== 'List' && item.kind === undefined && item.apiVersion === undefined ? { ...item, apiVersion, kind: kind.slice(0, -4) } : item;
      return objectsOf(inherited, itemNode, [...basePath, 'items', i]);
    });
  }
  if (value.metadata !== undefined && !isObject(value.metadata)) return [];
  return [{ obj: value as KubeObject, node, basePath }];
}

/** As the scanner: namespaced kinds that name no namespace are in the default namespace. */
function namespaceOf(obj: KubeObject, defaultNamespace: string): string | undefined {
  if (CLUSTER_SCOPED_KINDS.has(obj.kind)) return undefined;
  const ns = obj.metadata?.namespace;
  if (typeof ns === 'string' && ns) return ns;
  return NAMESPACED_KINDS.has(obj.kind) ? defaultNamespace : undefined;
}
