/**
 * Reads manifests from files, directories (recursively), stdin, Kustomize directories and Helm
 * charts into an inventory. Each problem names the file and line and the rest goes on.
 */
import { createReadStream, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { InputProblem } from '../core/errors.js';
import { Inventory } from '../core/inventory.js';
import { Resource } from '../core/resource.js';
import { CLUSTER_SCOPED_KINDS, NAMESPACED_KINDS } from '../engines/kinds.js';
import { locate, type SourceDocument } from './locate.js';
import { parseDocument } from './parse.js';
import { RenderError, renderHelm, renderKustomize } from './render.js';
import { DocumentSplitter } from './split.js';
import { walkDirectory } from './walk.js';

export interface ReadOptions {
  /** Namespace for namespaced objects that name none (as `kubectl apply` would use). */
  defaultNamespace?: string;
  /** Largest single document read, in characters; larger ones are skipped with an error. */
  maxDocumentBytes?: number;
  stdin?: NodeJS.ReadableStream;
  cwd?: string;
}

export interface ReadOutput {
  inventory: Inventory;
  problems: InputProblem[];
  /** Files (and rendered directories, and stdin) that were read. */
  files: number;
  /** Inputs that yielded at least one object or were empty but readable. */
  readable: number;
}

export const DEFAULT_MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;
const CHUNK = 1024 * 1024;

export async function readManifests(inputs: readonly string[], opts: ReadOptions = {}): Promise<ReadOutput> {
  const reader = new ManifestReader(opts);
  for (const input of inputs) await reader.input(input);
  return reader.finish();
}

class ManifestReader {
  readonly inventory = new Inventory(['manifests']);
  readonly problems: InputProblem[] = [];
  files = 0;
  readable = 0;
  private namespaceAssumed = false;
  private readonly maxDoc: number;
  private readonly defaultNamespace: string;

  constructor(private readonly opts: ReadOptions) {
    this.maxDoc = opts.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
    this.defaultNamespace = opts.defaultNamespace ?? 'default';
  }

  async input(input: string): Promise<void> {
    if (input === '-') return this.stream('-', this.opts.stdin ?? process.stdin, 'yaml');
    const path = this.resolve(input);
    let st;
    try {
      st = statSync(path);
    } catch (e) {
      this.problems.push({ file: input, message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message });
      return;
    }
    if (st.isDirectory()) return this.directory(input, path);
    return this.file(input, path);
  }

  private resolve(p: string): string {
    return this.opts.cwd && !isAbsolute(p) ? join(this.opts.cwd, p) : p;
  }

  private async directory(display: string, path: string): Promise<void> {
    for (const item of walkDirectory(display, path)) {
      if (item.kind === 'kustomize') await this.rendered(item.display, () => renderKustomize(item.path), () => join(item.display, item.kustomization));
      else if (item.kind === 'helm') await this.rendered(item.display, () => renderHelm(item.path), (source) => helmSource(item.display, source));
      else if (item.kind === 'unreadable') this.problems.push({ file: item.display, message: item.message });
      else if (item.kind === 'directory') {
        if (item.display === display) this.readable++;
      } else await this.file(item.display, item.path);
    }
  }

  private async file(display: string, path: string): Promise<void> {
    const format = /\.json$/i.test(display) ? 'json' : 'yaml';
    await this.stream(display, createReadStream(path, { highWaterMark: CHUNK }), format);
  }

  private async stream(display: string, stream: NodeJS.ReadableStream, format: 'yaml' | 'json'): Promise<void> {
    this.files++;
    const splitter = new DocumentSplitter(this.maxDoc);
    const decoder = new StringDecoder('utf8');
    let first = true;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer | string>) {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        if (first) {
          first = false;
          if (buf.subarray(0, 8192).includes(0)) {
            this.problems.push({ file: display, message: 'binary file (contains NUL bytes), not a manifest; skipped' });
            (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
            return;
          }
          if (display === '-' && /^\s*[[{]/.test(buf.subarray(0, 64).toString())) format = 'json';
        }
        for (const d of splitter.push(decoder.write(buf))) this.document(display, d, format);
      }
      for (const d of splitter.push(decoder.end())) this.document(display, d, format);
      for (const d of splitter.end()) this.document(display, d, format);
      this.readable++;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      this.problems.push({ file: display, message: code === 'ENOENT' ? 'no such file or directory' : `cannot read: ${code ?? (e as Error).message}` });
    }
  }

  private async rendered(display: string, render: () => Promise<string>, fileOf: (source: string | undefined) => string): Promise<void> {
    this.files++;
    let out: string;
    try {
      out = await render();
    } catch (e) {
      this.problems.push({ file: display, message: e instanceof RenderError ? e.message.replace(/^.*?: /, '') : String(e) });
      return;
    }
    this.readable++;
    const splitter = new DocumentSplitter(this.maxDoc);
    for (const d of [...splitter.push(out), ...splitter.end()]) {
      const source = /^# Source: (.+)$/m.exec(d.text)?.[1];
      this.document(display, d, 'yaml', fileOf(source));
    }
  }

  private document(display: string, d: { text: string; startLine: number; tooLarge?: boolean }, format: 'yaml' | 'json', renderedFrom?: string): void {
    if (d.tooLarge) {
      this.problems.push({ file: display, line: d.startLine, message: `document larger than ${Math.round(this.maxDoc / 1048576)} MiB; skipped` });
      return;
    }
    const { objects, problems } = parseDocument(d.text, format);
    const file = renderedFrom ?? display;
    for (const p of problems) {
      this.problems.push({ file, line: renderedFrom ? undefined : d.startLine + (p.lineOffset ?? 0), message: p.message });
    }
    // Rendered output has no lines of the user's files to point at.
    const doc: SourceDocument | undefined = renderedFrom ? undefined : { file: display, text: d.text, startLine: d.startLine, format };
    for (const { obj, basePath } of objects) {
      // A List item starts inside its document: find its line (documents' own starts are known).
      const line = !doc ? undefined : basePath.length ? locate(doc, basePath).line : firstContentLine(d);
      this.inventory.add(new Resource(obj, { file, doc, basePath, line }, this.namespaceOf(obj.kind, obj.metadata?.namespace)));
    }
  }

  private namespaceOf(kind: string, ns: unknown): string | undefined {
    if (CLUSTER_SCOPED_KINDS.has(kind)) return undefined;
    if (typeof ns === 'string' && ns) return ns;
    if (!NAMESPACED_KINDS.has(kind)) return undefined;
    if (!this.namespaceAssumed) {
      this.namespaceAssumed = true;
      this.inventory.notes.push(`objects that name no namespace are taken to be in "${this.defaultNamespace}" (set --namespace to change)`);
    }
    return this.defaultNamespace;
  }

  finish(): ReadOutput {
    for (const { resource, first } of this.inventory.duplicates) {
      this.problems.push({
        file: resource.origin.file ?? '?',
        line: resource.origin.line,
        warning: true,
        message: `duplicate ${resource.display} (first at ${first.origin.file}${first.origin.line ? `:${first.origin.line}` : ''}); both are checked`,
      });
    }
    return { inventory: this.inventory, problems: this.problems, files: this.files, readable: this.readable };
  }
}

function firstContentLine(d: { text: string; startLine: number }): number {
  const m = /^[ \t]*[^#\s]/m.exec(d.text);
  if (!m) return d.startLine;
  let n = 0;
  for (let i = d.text.indexOf('\n'); i !== -1 && i < m.index; i = d.text.indexOf('\n', i + 1)) n++;
  return d.startLine + n;
}

/** `# Source: chart/templates/x.yaml` names the template inside the chart directory. */
function helmSource(display: string, source: string | undefined): string {
  if (!source) return display;
  const inChart = source.split('/').slice(1).join('/');
  return join(display, inChart);
}
