/**
 * Finds the line and column of a field path inside one YAML or JSON document, lazily:
 * only findings need positions, and parsing every document with a position-keeping
 * parser costs several times more than the scan itself. Block-style YAML (what people
 * and kubectl write) and JSON are walked directly on the text; anything else (flow
 * collections, aliases, tags) falls back to the `yaml` library for that document only.
 */
import { createRequire } from 'node:module';
import type { LineCounter, Node as YamlNode } from 'yaml';
import type { Segment } from '../core/path.js';

// The yaml library takes ~30 ms to import and only the fallback needs it.
const require = createRequire(import.meta.url);

export interface SourcePosition {
  /** 1-based line in the file. */
  line: number;
  /** 1-based column. */
  column: number;
  /** False when the path does not exist and the position is its nearest ancestor's. */
  exact: boolean;
}

export interface SourceDocument {
  file: string;
  text: string;
  /** 1-based line of `text`'s first line in the file. */
  startLine: number;
  format: 'yaml' | 'json';
}

interface Pos {
  line: number;
  col: number;
}

class Unsupported extends Error {}

/**
 * Recently used locators (a document's split lines). Bounded: documents live as long as the
 * scan, and keeping every one's lines would double the memory of a large scan.
 */
const cache = new Map<SourceDocument, Locator>();
const CACHE_SIZE = 512;

export function locate(doc: SourceDocument, path: readonly Segment[]): SourcePosition {
  let loc = cache.get(doc);
  if (!loc) {
    loc = new Locator(doc);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(doc, loc);
  }
  return loc.find(path);
}

class Locator {
  private lines?: string[];
  private lineStarts?: number[];
  private fallback?: FallbackLocator;

  constructor(private readonly doc: SourceDocument) {}

  find(path: readonly Segment[]): SourcePosition {
    if (!this.fallback) {
      try {
        const p = this.doc.format === 'json' ? this.walkJson(path) : this.walkYaml(path);
        return { line: this.doc.startLine + p.pos.line, column: p.pos.col + 1, exact: p.exact };
      } catch (e) {
        if (!(e instanceof Unsupported)) throw e;
        this.fallback = new FallbackLocator(this.doc.text);
      }
    }
    const p = this.fallback.find(path);
    return { line: this.doc.startLine + p.pos.line, column: p.pos.col + 1, exact: p.exact };
  }

  // ---- block YAML ----

  private walkYaml(path: readonly Segment[]): { pos: Pos; exact: boolean } {
    const lines = (this.lines ??= this.doc.text.split('\n'));
    const root = firstContent(lines, 0);
    if (!root) return { pos: { line: 0, col: 0 }, exact: false };
    let node: Pos = root;
    let at: Pos = root;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      const next: { at: Pos; value?: Pos } | undefined = typeof seg === 'number' ? seqItem(lines, node, seg) : mapKey(lines, node, seg);
      if (!next) return { pos: at, exact: false };
      at = next.at;
      // A key whose value is null exists; only the last segment may stop there.
      if (!next.value) return { pos: at, exact: i === path.length - 1 };
      node = next.value;
    }
    return { pos: at, exact: true };
  }

  // ---- JSON ----

  private walkJson(path: readonly Segment[]): { pos: Pos; exact: boolean } {
    const t = this.doc.text;
    let off = skipWs(t, 0);
    let at = off;
    for (const seg of path) {
      const next = typeof seg === 'number' ? jsonItem(t, off, seg) : jsonKey(t, off, seg);
      if (next === undefined) return { pos: this.offsetToPos(at), exact: false };
      at = next.at;
      off = next.value;
    }
    return { pos: this.offsetToPos(at), exact: true };
  }

  private offsetToPos(off: number): Pos {
    const starts = (this.lineStarts ??= lineStarts(this.doc.text));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= off) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, col: off - starts[lo]! };
  }
}

function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

function indentOf(line: string): number {
  let i = 0;
  while (line.charCodeAt(i) === 32) i++;
  return i;
}

function isContent(line: string, from = indentOf(line)): boolean {
  const c = line[from];
  return c !== undefined && c !== '#' && c !== '\r';
}

function firstContent(lines: string[], from: number): Pos | undefined {
  for (let l = from; l < lines.length; l++) {
    const line = lines[l]!;
    const ind = indentOf(line);
    if (line[ind] === '\t') throw new Unsupported();
    if (isContent(line, ind)) return { line: l, col: ind };
  }
  return undefined;
}

/** Where the value that starts at column `col` of line `line` begins, or undefined when null. */
function valueStart(lines: string[], line: number, col: number, ownerIndent: number, inSeq: boolean): Pos | undefined {
  const text = lines[line]!;
  let c = col;
  while (text.charCodeAt(c) === 32) c++;
  // Anchors and tags before a value: skip the token (aliases are resolved by the fallback).
  while (text[c] === '&' || text[c] === '!') {
    while (c < text.length && text[c] !== ' ') c++;
    while (text.charCodeAt(c) === 32) c++;
  }
  if (text[c] === '*' || text[c] === '?') throw new Unsupported();
  if (isContent(text, c)) return { line, col: c };
  const next = firstContent(lines, line + 1);
  if (!next) return undefined;
  const startsSeq = lines[next.line]![next.col] === '-';
  // A block sequence may sit at its key's indentation; anything else must be deeper.
  if (next.col > ownerIndent || (!inSeq && next.col === ownerIndent && startsSeq)) return next;
  return undefined;
}

function keyMatch(text: string, c: number, key: string): number {
  let end: number;
  if (text[c] === '"' || text[c] === "'") {
    const q = text[c]!;
    const close = text.indexOf(q, c + 1);
    if (close === -1) throw new Unsupported();
    const raw = text.slice(c + 1, close);
    if (q === '"' && raw.includes('\\')) throw new Unsupported();
    if (raw !== key) return -1;
    end = close + 1;
  } else {
    if (!text.startsWith(key, c)) return -1;
    end = c + key.length;
  }
  while (text.charCodeAt(end) === 32) end++;
  if (text[end] !== ':') return -1;
  const after = text[end + 1];
  return after === undefined || after === ' ' || after === '\r' ? end + 1 : -1;
}

function mapKey(lines: string[], node: Pos, key: string): { at: Pos; value?: Pos } | undefined {
  const first = lines[node.line]!;
  if (first[node.col] === '{' || first[node.col] === '[') throw new Unsupported();
  if (first[node.col] === '-' && (first[node.col + 1] === ' ' || first.length === node.col + 1)) return undefined;
  const c = node.col;
  for (let l = node.line; l < lines.length; l++) {
    const text = lines[l]!;
    const ind = l === node.line ? c : indentOf(text);
    if (!isContent(text, ind)) continue;
    if (ind < c) break;
    if (ind > c) continue;
    if (text[c] === '-' && (text[c + 1] === ' ' || text.length === c + 1)) continue;
    if (text[c] === '?') throw new Unsupported();
    const after = keyMatch(text, c, key);
    if (after >= 0) return { at: { line: l, col: c }, value: valueStart(lines, l, after, c, false) };
  }
  return undefined;
}

function seqItem(lines: string[], node: Pos, index: number): { at: Pos; value?: Pos } | undefined {
  const first = lines[node.line]!;
  if (first[node.col] === '[') throw new Unsupported();
  const c = node.col;
  let n = -1;
  for (let l = node.line; l < lines.length; l++) {
    const text = lines[l]!;
    const ind = l === node.line ? c : indentOf(text);
    if (!isContent(text, ind)) continue;
    if (ind < c) break;
    if (ind > c) continue;
    if (text[c] !== '-' || !(text[c + 1] === ' ' || text.length === c + 1 || text[c + 1] === '\r')) break;
    if (++n === index) return { at: { line: l, col: c }, value: valueStart(lines, l, c + 1, c, true) };
  }
  return undefined;
}

function skipWs(t: string, i: number): number {
  while (i < t.length && (t[i] === ' ' || t[i] === '\n' || t[i] === '\r' || t[i] === '\t')) i++;
  return i;
}

function skipString(t: string, i: number): number {
  for (let j = i + 1; j < t.length; j++) {
    if (t[j] === '\\') j++;
    else if (t[j] === '"') return j + 1;
  }
  return t.length;
}

function skipValue(t: string, i: number): number {
  const c = t[i];
  if (c === '"') return skipString(t, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let j = i; j < t.length; j++) {
      const d = t[j];
      if (d === '"') j = skipString(t, j) - 1;
      else if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') {
        if (--depth === 0) return j + 1;
      }
    }
    return t.length;
  }
  let j = i;
  while (j < t.length && !',]} \n\r\t'.includes(t[j]!)) j++;
  return j;
}

function jsonKey(t: string, off: number, key: string): { at: number; value: number } | undefined {
  if (t[off] !== '{') return undefined;
  let i = skipWs(t, off + 1);
  while (i < t.length && t[i] === '"') {
    const end = skipString(t, i);
    const k = JSON.parse(t.slice(i, end)) as string;
    const v = skipWs(t, skipWs(t, end) + 1);
    if (k === key) return { at: i, value: v };
    i = skipWs(t, skipValue(t, v));
    if (t[i] === ',') i = skipWs(t, i + 1);
  }
  return undefined;
}

function jsonItem(t: string, off: number, index: number): { at: number; value: number } | undefined {
  if (t[off] !== '[') return undefined;
  let i = skipWs(t, off + 1);
  for (let n = 0; i < t.length && t[i] !== ']'; n++) {
    if (n === index) return { at: i, value: i };
    i = skipWs(t, skipValue(t, i));
    if (t[i] === ',') i = skipWs(t, i + 1);
  }
  return undefined;
}

/** Exact positions from the `yaml` library, for the documents the fast walker declines. */
class FallbackLocator {
  private readonly root: YamlNode | null;
  private readonly counter: LineCounter;
  private readonly lib = require('yaml') as typeof import('yaml');

  constructor(text: string) {
    this.counter = new this.lib.LineCounter();
    const doc = this.lib.parseDocument(text, { lineCounter: this.counter, uniqueKeys: false });
    this.root = doc.contents as YamlNode | null;
  }

  find(path: readonly Segment[]): { pos: Pos; exact: boolean } {
    let node = this.root;
    let at = node?.range?.[0] ?? 0;
    for (const seg of path) {
      let next: { at: number; value: YamlNode | null } | undefined;
      if (typeof seg === 'number' && this.lib.isSeq(node)) {
        const item = node.items[seg] as YamlNode | undefined;
        if (item) next = { at: item.range?.[0] ?? at, value: item };
      } else if (typeof seg === 'string' && this.lib.isMap(node)) {
        const pair = node.items.find((p) => this.lib.isScalar(p.key) && String(p.key.value) === seg);
        if (pair) next = { at: (pair.key as YamlNode).range?.[0] ?? at, value: pair.value as YamlNode | null };
      }
      if (!next) return { pos: this.pos(at), exact: false };
      at = next.at;
      node = next.value;
    }
    return { pos: this.pos(at), exact: true };
  }

  private pos(offset: number): Pos {
    const p = this.counter.linePos(offset);
    return { line: p.line - 1, col: p.col - 1 };
  }
}
