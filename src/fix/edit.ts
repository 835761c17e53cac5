/**
 * Minimal text edits on YAML and JSON documents: `kubeladder fix` never re-serialises a
 * document. It finds nodes with the `yaml` library's source ranges and inserts (or replaces)
 * only the text a change needs, in the document's own indentation, sequence style, quoting and
 * line endings, so every untouched line stays byte-identical.
 *
 * A {@link Planner} collects the changes of one document (`set` a value at a path, `append` an
 * item to a list), merging changes that need the same missing parent into one nested block;
 * {@link Planner.edits} turns them into text edits and {@link applyEdits} applies the edits of a
 * whole file back to front.
 */
import { isAlias, isCollection, isMap, isScalar, isSeq, type Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';

export type Segment = string | number;
export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

export type Change = { op: 'set'; path: Segment[]; value: Json } | { op: 'append'; path: Segment[]; value: Json };

export interface TextEdit {
  start: number;
  end: number;
  text: string;
  /** Depth of the node edited: at one offset, deeper nodes' insertions come first. */
  depth: number;
}

/** A change that cannot be made by a text edit (an alias on the path, a scalar where a map should be). */
export class EditError extends Error {}

type Quote = 'plain' | 'double' | 'single';

interface MapInsert {
  map: YAMLMap;
  depth: number;
  entries: Record<string, Json>;
}

interface NullFill {
  pair: Pair;
  /** The parent map of the pair. */
  map: YAMLMap;
  value: Scalar;
  depth: number;
  fill: Json;
}

interface SeqAppend {
  seq: YAMLSeq;
  depth: number;
  items: Json[];
}

interface Replace {
  scalar: Scalar;
  depth: number;
  value: Json;
}

/** How a document is written: its line ending, indentation step and sequence style. */
export interface DocStyle {
  eol: string;
  /** Columns a nested block mapping is indented by. */
  step: number;
  /** Columns a block sequence's `-` is indented by under its key (0: `- item` at the key's column). */
  seqIndent: number;
}

const YAML11_WORDS = /^(?:y|n|yes|no|on|off|true|false|null|~|)$/i;

/** Collects the changes of one document and plans their text edits. */
export class Planner {
  private readonly inserts = new Map<YAMLMap, MapInsert>();
  private readonly fills = new Map<Pair, NullFill>();
  private readonly appends = new Map<YAMLSeq, SeqAppend>();
  private readonly replaces = new Map<Scalar, Replace>();
  readonly style: DocStyle;

  constructor(
    private readonly text: string,
    private readonly doc: Document,
    style?: Partial<DocStyle>,
  ) {
    this.style = { ...detectStyle(text, doc), ...style };
  }

  /** True when nothing has been changed. */
  get empty(): boolean {
    return this.inserts.size + this.fills.size + this.appends.size + this.replaces.size === 0;
  }

  /**
   * Adds a change, or throws an {@link EditError} without recording anything when the change
   * cannot be made as a text edit.
   */
  add(change: Change): void {
    const { path } = change;
    if (path.length === 0) throw new EditError('empty path');
    let node: unknown = this.doc.contents;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      const last = i === path.length - 1;
      const where = pathText(path.slice(0, i + 1));
      checkShared(node, path.slice(0, i));
      if (typeof seg === 'number') {
        if (!isSeq(node) || seg >= node.items.length || last) throw new EditError(`${where} is not an item of a list`);
        node = node.items[seg];
        continue;
      }
      if (!isMap(node)) throw new EditError(`${pathText(path.slice(0, i))} is not a mapping`);
      const pair = node.items.find((p) => keyOf(p) === seg);
      const rest = path.slice(i + 1);
      if (!pair) {
        this.insert(node, i, [seg, ...rest], change);
        return;
      }
      const value = pair.value as unknown;
      checkShared(value, path.slice(0, i + 1));
      const isNull = value === null || value === undefined || (isScalar(value) && value.value === null);
      if (isNull) {
        if (!isScalar(value)) throw new EditError(`${where} has no value node`);
        this.fill(node, pair, value, i + 1, rest, change);
        return;
      }
      if (last) {
        if (change.op === 'append') {
          if (!isSeq(value)) throw new EditError(`${where} is not a list`);
          let a = this.appends.get(value);
          if (!a) this.appends.set(value, (a = { seq: value, depth: i + 1, items: [] }));
          a.items.push(change.value);
          return;
        }
        if (!isScalar(value)) throw new EditError(`${where} is a ${isSeq(value) ? 'list' : 'mapping'}, not a value`);
        if (!isScalarJson(change.value)) throw new EditError(`${where} is a value, not a ${Array.isArray(change.value) ? 'list' : 'mapping'}`);
        this.replaces.set(value, { scalar: value, depth: i + 1, value: change.value });
        return;
      }
      if (!isCollection(value)) throw new EditError(`${where} is a ${typeof (value as Scalar).value}, not a ${typeof path[i + 1] === 'number' ? 'list' : 'mapping'}`);
      node = value;
    }
  }

  private insert(map: YAMLMap, depth: number, segs: Segment[], change: Change): void {
    if (segs.some((s) => typeof s === 'number')) throw new EditError(`${pathText(segs)}: cannot create list items`);
    let ins = this.inserts.get(map);
    const entries = ins?.entries ?? {};
    setNested(entries, segs as string[], change);
    if (!ins) this.inserts.set(map, (ins = { map, depth, entries }));
  }

  private fill(map: YAMLMap, pair: Pair, value: Scalar, depth: number, rest: Segment[], change: Change): void {
    if (rest.some((s) => typeof s === 'number')) throw new EditError(`${pathText(rest)}: cannot create list items`);
    const existing = this.fills.get(pair);
    if (rest.length === 0) {
      if (existing) throw new EditError('conflicting changes');
      const fill = change.op === 'append' ? [change.value] : change.value;
      this.fills.set(pair, { pair, map, value, depth, fill });
      return;
    }
    const fill = existing?.fill ?? {};
    if (typeof fill !== 'object' || fill === null || Array.isArray(fill)) throw new EditError('conflicting changes');
    setNested(fill, rest as string[], change);
    if (!existing) this.fills.set(pair, { pair, map, value, depth, fill });
  }

  /** The text edits for every change added, in no particular order. */
  edits(): TextEdit[] {
    const out: TextEdit[] = [];
    for (const r of this.replaces.values()) out.push(this.replaceEdit(r));
    for (const f of this.fills.values()) out.push(...this.fillEdits(f));
    for (const a of this.appends.values()) out.push(this.appendEdit(a));
    for (const i of this.inserts.values()) out.push(this.insertEdit(i));
    return out;
  }

  private replaceEdit({ scalar, depth, value }: Replace): TextEdit {
    const [start, end] = rangeOf(scalar);
    const quote: Quote = scalar.type === 'QUOTE_DOUBLE' ? 'double' : scalar.type === 'QUOTE_SINGLE' ? 'single' : 'plain';
    return { start, end, text: scalarText(value as string | number | boolean | null, typeof value === 'string' ? quote : 'plain'), depth };
  }

  private fillEdits({ pair, map, value, depth, fill }: NullFill): TextEdit[] {
    const [start, end] = rangeOf(value);
    if (map.flow || isScalarJson(fill)) {
      const json = map.flow ? this.isJsonMap(map) : false;
      const t = isScalarJson(fill) ? scalarText(fill, json ? 'double' : 'plain') : inlineText(fill, json);
      if (start < end) return [{ start, end, text: t, depth }];
      // `key:` with nothing after it: a space before the value, and one before a comment after it.
      const before = /[ \t]/.test(this.text[start - 1] ?? '') ? '' : ' ';
      const after = this.text[start] === '#' ? ' ' : '';
      return [{ start, end, text: `${before}${t}${after}`, depth }];
    }
    const keyCol = columnOf(this.text, rangeOf(pair.key as Node)[0]);
    const edits: TextEdit[] = [];
    if (end > start) {
      let s = start;
      while (s > 0 && (this.text[s - 1] === ' ' || this.text[s - 1] === '\t')) s--;
      edits.push({ start: s, end, text: '', depth });
    }
    const at = lineEndAfter(this.text, end);
    const lines = blockValueLines(fill, keyCol, this.style, 'plain');
    edits.push(insertLines(at, lines, this.style.eol, depth));
    return edits;
  }

  private appendEdit({ seq, depth, items }: SeqAppend): TextEdit {
    const first = seq.items[0] as Node | undefined;
    const quote: Quote = first && isScalar(first) ? quoteOf(first) : 'plain';
    if (seq.flow) {
      const [open] = rangeOf(seq);
      const json = this.isJsonDoc();
      const q: Quote = json ? 'double' : quote;
      const texts = items.map((it) => (isScalarJson(it) ? scalarText(it, q) : inlineText(it, json)));
      if (!first) return { start: open + 1, end: open + 1, text: texts.join(', '), depth };
      const lastEnd = rangeOf(seq.items[seq.items.length - 1] as Node)[1];
      const firstStart = rangeOf(first)[0];
      if (this.text.slice(open, firstStart).includes('\n')) {
        const pad = ' '.repeat(columnOf(this.text, firstStart));
        return { start: lastEnd, end: lastEnd, text: texts.map((t) => `,${this.style.eol}${pad}${t}`).join(''), depth };
      }
      return { start: lastEnd, end: lastEnd, text: texts.map((t) => `, ${t}`).join(''), depth };
    }
    const dashCol = columnOf(this.text, rangeOf(seq)[0]);
    const lines = items.flatMap((it) => seqItemLines(it, dashCol, this.style, quote));
    return insertLines(lineEndAfter(this.text, rangeOf(seq)[1]), lines, this.style.eol, depth);
  }

  private insertEdit({ map, depth, entries }: MapInsert): TextEdit {
    if (map.flow) return this.flowInsertEdit(map, depth, entries);
    const firstKey = map.items[0]?.key as Node | undefined;
    if (!firstKey) throw new EditError('empty block mapping');
    const col = columnOf(this.text, rangeOf(firstKey)[0]);
    const quote = siblingQuote(map);
    const lines = Object.entries(entries).flatMap(([k, v]) => entryLines(k, v, col, this.style, quote));
    return insertLines(lineEndAfter(this.text, rangeOf(map)[1]), lines, this.style.eol, depth);
  }

  private flowInsertEdit(map: YAMLMap, depth: number, entries: Record<string, Json>): TextEdit {
    const json = this.isJsonMap(map);
    const [open] = rangeOf(map);
    const items = Object.entries(entries);
    if (map.items.length === 0) {
      return { start: open + 1, end: open + 1, text: items.map(([k, v]) => `${keyText(k, json)}: ${inlineText(v, json)}`).join(', '), depth };
    }
    const lastPair = map.items[map.items.length - 1]!;
    const lastNode = (lastPair.value ?? lastPair.key) as Node;
    const lastEnd = rangeOf(lastNode)[1];
    const firstStart = rangeOf(map.items[0]!.key as Node)[0];
    if (this.text.slice(open, firstStart).includes('\n')) {
      // One entry a line (pretty-printed JSON): the new entries likewise.
      const col = columnOf(this.text, firstStart);
      const unit = Math.max(1, col - indentOfLine(this.text, open));
      const pad = ' '.repeat(col);
      const text = items.map(([k, v]) => `,${this.style.eol}${pad}${keyText(k, json)}: ${prettyText(v, json, col, unit, this.style.eol)}`).join('');
      return { start: lastEnd, end: lastEnd, text, depth };
    }
    return { start: lastEnd, end: lastEnd, text: items.map(([k, v]) => `, ${keyText(k, json)}: ${inlineText(v, json)}`).join(''), depth };
  }

  /** JSON style (double-quoted keys) for a flow mapping: its own first key's, or the document's. */
  private isJsonMap(map: YAMLMap): boolean {
    const k = map.items[0]?.key;
    if (k && isScalar(k)) return k.type === 'QUOTE_DOUBLE';
    return this.isJsonDoc();
  }

  private isJsonDoc(): boolean {
    const root = this.doc.contents;
    if (!isMap(root) || !root.flow) return false;
    const k = root.items[0]?.key;
    return !!k && isScalar(k) && k.type === 'QUOTE_DOUBLE';
  }
}

function setNested(target: Record<string, Json>, segs: string[], change: Change): void {
  let t = target;
  for (let i = 0; i < segs.length - 1; i++) {
    const s = segs[i]!;
    let next = t[s];
    if (next === undefined) t[s] = next = {};
    if (typeof next !== 'object' || next === null || Array.isArray(next)) throw new EditError('conflicting changes');
    t = next;
  }
  const key = segs[segs.length - 1]!;
  if (change.op === 'append') {
    const list = t[key];
    if (list === undefined) t[key] = [change.value];
    else if (Array.isArray(list)) list.push(change.value);
    else throw new EditError('conflicting changes');
  } else {
    if (t[key] !== undefined && typeof t[key] === 'object' && t[key] !== null) throw new EditError('conflicting changes');
    t[key] = change.value;
  }
}

function keyOf(p: Pair): unknown {
  const k = p.key as unknown;
  return isScalar(k) ? k.value : k;
}

function pathText(path: readonly Segment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('') || 'the document';
}

function rangeOf(n: Node): [number, number] {
  const r = n.range;
  if (!r) throw new EditError('node without a source range');
  return [r[0], r[1]];
}

function isScalarJson(v: Json): v is string | number | boolean | null {
  return v === null || typeof v !== 'object';
}

/** 0-based column of an offset. */
export function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

function indentOfLine(text: string, offset: number): number {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  let i = start;
  while (text[i] === ' ') i++;
  return i - start;
}

/** Where lines go after the line holding `offset`: the next line's start, or the end of a file without a final newline. */
function lineEndAfter(text: string, offset: number): { at: number; eof: boolean } {
  if (offset > 0 && text[offset - 1] === '\n') return { at: offset, eof: false };
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? { at: text.length, eof: true } : { at: nl + 1, eof: false };
}

function insertLines({ at, eof }: { at: number; eof: boolean }, lines: string[], eol: string, depth: number): TextEdit {
  const body = lines.join(eol);
  return { start: at, end: at, text: eof ? `${eol}${body}` : `${body}${eol}`, depth };
}

function quoteOf(s: Scalar): Quote {
  return s.type === 'QUOTE_DOUBLE' ? 'double' : s.type === 'QUOTE_SINGLE' ? 'single' : 'plain';
}

/** The quoting a block mapping's string values use: new values follow it. */
function siblingQuote(map: YAMLMap): Quote {
  const quotes = new Set<Quote>();
  for (const p of map.items) {
    const v = p.value as unknown;
    if (isScalar(v) && typeof v.value === 'string') quotes.add(quoteOf(v));
  }
  return quotes.size === 1 ? [...quotes][0]! : 'plain';
}

function plainSafe(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_./-]*$/.test(s) && !YAML11_WORDS.test(s);
}

export function scalarText(v: string | number | boolean | null, quote: Quote): string {
  if (typeof v !== 'string') return String(v);
  if (quote === 'single' && !/[\n\\]/.test(v)) return `'${v.replace(/'/g, "''")}'`;
  if (quote === 'plain' && plainSafe(v)) return v;
  return JSON.stringify(v);
}

function keyText(k: string, json: boolean): string {
  return json || !plainSafe(k) ? JSON.stringify(k) : k;
}

function inlineText(v: Json, json: boolean): string {
  if (isScalarJson(v)) return scalarText(v, json ? 'double' : 'plain');
  if (Array.isArray(v)) return `[${v.map((x) => inlineText(x, json)).join(', ')}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${keyText(k, json)}: ${inlineText(x, json)}`)
    .join(', ')}}`;
}

/** A value in pretty-printed JSON style whose key starts at column `col`. */
function prettyText(v: Json, json: boolean, col: number, unit: number, eol: string): string {
  if (isScalarJson(v)) return scalarText(v, json ? 'double' : 'plain');
  const inner = ' '.repeat(col + unit);
  const close = ' '.repeat(col);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[${eol}${v.map((x) => `${inner}${prettyText(x, json, col + unit, unit, eol)}`).join(`,${eol}`)}${eol}${close}]`;
  }
  const entries = Object.entries(v);
  if (entries.length === 0) return '{}';
  return `{${eol}${entries.map(([k, x]) => `${inner}${keyText(k, json)}: ${prettyText(x, json, col + unit, unit, eol)}`).join(`,${eol}`)}${eol}${close}}`;
}

/** `key: value` (or `key:` and a nested block) at column `col`. */
function entryLines(key: string, value: Json, col: number, style: DocStyle, quote: Quote): string[] {
  const pad = ' '.repeat(col);
  const k = keyText(key, false);
  if (isScalarJson(value)) return [`${pad}${k}: ${scalarText(value, quote)}`];
  if (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0) return [`${pad}${k}: ${inlineText(value, false)}`];
  return [`${pad}${k}:`, ...blockValueLines(value, col, style, quote)];
}

/** The lines of a nested block value under a key at column `keyCol`. */
function blockValueLines(value: Json, keyCol: number, style: DocStyle, quote: Quote): string[] {
  if (Array.isArray(value)) return value.flatMap((it) => seqItemLines(it, keyCol + style.seqIndent, style, quote));
  if (isScalarJson(value)) throw new EditError('internal: a scalar is not a block');
  return Object.entries(value).flatMap(([k, v]) => entryLines(k, v, keyCol + style.step, style, quote));
}

function seqItemLines(item: Json, dashCol: number, style: DocStyle, quote: Quote): string[] {
  const pad = ' '.repeat(dashCol);
  if (isScalarJson(item)) return [`${pad}- ${scalarText(item, quote)}`];
  const inner = Array.isArray(item) ? [`${' '.repeat(dashCol + 2)}${inlineText(item, false)}`] : Object.entries(item).flatMap(([k, v]) => entryLines(k, v, dashCol + 2, style, quote));
  if (inner.length === 0) return [`${pad}- ${inlineText(item, false)}`];
  return [`${pad}- ${inner[0]!.slice(dashCol + 2)}`, ...inner.slice(1)];
}

/**
 * A document's indentation step and sequence style, from its first block mapping nested in a
 * block mapping and its first block sequence under a key (2 and 2 when it has none).
 */
export function detectStyle(text: string, doc: Document): DocStyle {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let step: number | undefined;
  let seqIndent: number | undefined;
  const walk = (node: unknown): void => {
    if (step !== undefined && seqIndent !== undefined) return;
    if (isMap(node)) {
      for (const p of node.items) {
        const v = p.value as unknown;
        if (!node.flow && isScalar(p.key) && p.key.range) {
          const keyCol = columnOf(text, p.key.range[0]);
          if (step === undefined && isMap(v) && !v.flow && v.items[0]?.key && isScalar(v.items[0].key) && v.items[0].key.range) {
            const d = columnOf(text, v.items[0].key.range[0]) - keyCol;
            if (d > 0) step = d;
          }
          if (seqIndent === undefined && isSeq(v) && !v.flow && v.range) {
            const d = columnOf(text, v.range[0]) - keyCol;
            if (d >= 0) seqIndent = d;
          }
        }
        walk(v);
      }
    } else if (isSeq(node)) {
      for (const it of node.items) walk(it);
    }
  };
  walk(doc.contents);
  return { eol, step: step ?? 2, seqIndent: seqIndent ?? 2 };
}

/** `<<`: the yaml library reads it as a merge key (a symbol) in YAML 1.1. */
function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  const v = key.value;
  return v === '<<' || (typeof v === 'symbol' && v.description === '<<');
}

/**
 * Refuses to edit through a node other nodes may share: an alias, an anchored node (aliases
 * elsewhere would change too), or a mapping with a merge key (`<<`), whose merged entries a new
 * key would override.
 */
function checkShared(node: unknown, path: readonly Segment[]): void {
  if (isAlias(node)) throw new EditError(`${pathText(path)} is a YAML alias`);
  const anchor = (isScalar(node) || isCollection(node)) && node.anchor;
  if (anchor) throw new EditError(`${pathText(path)} has a YAML anchor (&${anchor}) other objects may refer to`);
  if (isMap(node) && node.items.some((p) => isMergeKey(p.key))) throw new EditError(`${pathText(path)} uses a YAML merge key (<<)`);
}

/** Applies non-overlapping edits; insertions at one offset go deepest node first. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const byStart = new Map<number, TextEdit[]>();
  for (const e of edits) {
    let l = byStart.get(e.start);
    if (!l) byStart.set(e.start, (l = []));
    l.push(e);
  }
  const merged: TextEdit[] = [];
  for (const [start, group] of byStart) {
    const replaces = group.filter((e) => e.end > e.start);
    const inserts = group.filter((e) => e.end === e.start).sort((a, b) => b.depth - a.depth);
    if (replaces.length > 1) throw new EditError('overlapping edits');
    const r = replaces[0];
    // An insertion and a replacement at one offset: the insertion goes before the replaced text.
    merged.push({ start, end: r?.end ?? start, text: inserts.map((e) => e.text).join('') + (r?.text ?? ''), depth: 0 });
  }
  // Front to back into pieces: the same as applying them back to front, in one pass.
  merged.sort((a, b) => a.start - b.start);
  const parts: string[] = [];
  let at = 0;
  for (const e of merged) {
    if (e.start < at) throw new EditError('overlapping edits');
    parts.push(text.slice(at, e.start), e.text);
    at = e.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}
