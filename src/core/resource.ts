import type { Segment } from './path.js';
import { parsePath } from './path.js';
import type { ObjectRef } from './types.js';
import { locate, type SourceDocument } from '../sources/locate.js';

/** A Kubernetes object as read from any source. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata?: {
    name?: string;
    generateName?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

/** Where an object came from: a document in a file, or a live/rendered source without lines. */
export interface Origin {
  /** Display path of the file (`-` for stdin); unset for live objects, which have no file. */
  file?: string;
  doc?: SourceDocument;
  /** Path of the object inside its document (`items[3]` for a List item). */
  basePath: readonly Segment[];
  /** 1-based line of the object's start. */
  line?: number;
}

export class Resource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** Undefined for cluster-scoped objects. */
  readonly namespace: string | undefined;

  constructor(
    readonly obj: KubeObject,
    readonly origin: Origin,
    namespace: string | undefined,
  ) {
    this.apiVersion = obj.apiVersion;
    this.kind = obj.kind;
    this.name = obj.metadata?.name ?? (obj.metadata?.generateName ? `${obj.metadata.generateName}*` : '<unnamed>');
    this.namespace = namespace;
  }

  private cachedRef?: Readonly<ObjectRef>;

  /** One frozen object per resource: every result about it shares it (a large scan has millions). */
  get ref(): ObjectRef {
    if (this.cachedRef) return this.cachedRef;
    const r: ObjectRef = { apiVersion: this.apiVersion, kind: this.kind, name: this.name };
    if (this.namespace !== undefined) r.namespace = this.namespace;
    return (this.cachedRef = Object.freeze(r));
  }

  get group(): string {
    const slash = this.apiVersion.indexOf('/');
    return slash === -1 ? '' : this.apiVersion.slice(0, slash);
  }

  get labels(): Record<string, string> {
    return this.obj.metadata?.labels ?? {};
  }

  get annotations(): Record<string, string> {
    return this.obj.metadata?.annotations ?? {};
  }

  /** `Kind namespace/name`, as people read it. */
  get display(): string {
    return `${this.kind} ${this.namespace ? `${this.namespace}/` : ''}${this.name}`;
  }

  /** The line (and column) of a field of this object, or of its nearest existing ancestor. */
  position(path: string | undefined): { line?: number; column?: number } {
    const { doc, basePath, line } = this.origin;
    if (!doc) return line ? { line } : {};
    const p = locate(doc, [...basePath, ...(path ? parsePath(path) : [])]);
    return { line: p.line, column: p.column };
  }
}
