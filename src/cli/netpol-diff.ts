/**
 * What one connection list allows that another does not, both ways: the lines of
 * `kubeladder netpol diff`. A connection whose port set changed is written as the ports it
 * loses (`removed`) and the ports it gains (`added`), never as a whole old and new line, so every
 * line of the output is a connection that really opened or closed.
 *
 * Each list cuts the external address space at its own ipBlock boundaries, so the same addresses
 * may be named by different ranges on either side (NEW adds `except: [10.1.0.0/16]`, and
 * `0.0.0.0-255.255.255.255` becomes three ranges). Both sides are therefore cut at every boundary
 * of either before comparing, and neighbouring pieces with the same change are joined again: a
 * range appears in the output only where something about it changed.
 */
import { isEmptyConns, NO_CONNS, parseConns, subtractConns, formatConns, type ConnSet } from '../engines/netpol/conns.js';
import type { Connection } from '../engines/netpol/connlist.js';
import { formatRange, parseRange, type Family, type IPRange } from '../engines/netpol/ip.js';
import type { DiffLine } from './netpol-output.js';

/** One end of a connection: a workload's name, or an external range. */
type End = { name: string } | { range: IPRange };

const rangeKey = (r: IPRange) => `${r.family}:${r.start}-${r.end}`;

function endOf(peer: string): End {
  const range = parseRange(peer);
  return range ? { range } : { name: peer };
}

/** Every range of both lists, cut at every boundary either list has. */
function pieceCutter(ends: readonly End[]): (r: IPRange) => IPRange[] {
  const cuts = new Map<Family, bigint[]>();
  for (const e of ends) {
    if (!('range' in e)) continue;
    const list = cuts.get(e.range.family) ?? [];
    list.push(e.range.start, e.range.end + 1n);
    cuts.set(e.range.family, list);
  }
  const sorted = new Map([...cuts].map(([f, l]) => [f, [...new Set(l)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))]));
  return (r) => {
    const inside = (sorted.get(r.family) ?? []).filter((c) => c > r.start && c <= r.end);
    const starts = [r.start, ...inside];
    return starts.map((start, i) => ({ family: r.family, start, end: i + 1 < starts.length ? starts[i + 1]! - 1n : r.end }));
  };
}

/** `src\0dst` (ranges as keys) -> connections, with each range cut into pieces. */
function expand(list: readonly Connection[], cut: (r: IPRange) => IPRange[], ranges: Map<string, IPRange>): Map<string, ConnSet> {
  const out = new Map<string, ConnSet>();
  for (const c of list) {
    const conns = parseConns(c.conns);
    if (!conns) throw new Error(`connection list: cannot read "${c.conns}"`);
    const sides = [c.src, c.dst].map((peer) => {
      const e = endOf(peer);
      if ('name' in e) return [e.name];
      return cut(e.range).map((p) => {
        const k = rangeKey(p);
        ranges.set(k, p);
        return k;
      });
    });
    for (const s of sides[0]!) for (const d of sides[1]!) out.set(`${s}\u0000${d}`, conns);
  }
  return out;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function diffConnections(before: readonly Connection[], after: readonly Connection[]): DiffLine[] {
  const cut = pieceCutter([...before, ...after].flatMap((c) => [endOf(c.src), endOf(c.dst)]));
  const ranges = new Map<string, IPRange>();
  const old = expand(before, cut, ranges);
  const now = expand(after, cut, ranges);
  // Changes with the same workload end, direction and ports are joined over neighbouring pieces.
  const groups = new Map<string, { line: Omit<DiffLine, 'src' | 'dst'>; fixed: string; rangeAt: 'src' | 'dst' | undefined; pieces: IPRange[] }>();
  const lines: DiffLine[] = [];
  const record = (change: DiffLine['change'], key: string, conns: ConnSet) => {
    if (isEmptyConns(conns)) return;
    const [s, d] = key.split('\u0000') as [string, string];
    const conn = formatConns(conns);
    const rs = ranges.get(s);
    const rd = ranges.get(d);
    if (!rs && !rd) {
      lines.push({ change, src: s, dst: d, conn });
      return;
    }
    // Connection lists never join two ranges; the range end is the one to merge along.
    const rangeAt = rs ? 'src' : 'dst';
    const fixed = rs ? d : s;
    const g = `${change}\u0000${rangeAt}\u0000${fixed}\u0000${conn}`;
    const group = groups.get(g) ?? { line: { change, conn }, fixed, rangeAt, pieces: [] };
    group.pieces.push((rs ?? rd)!);
    groups.set(g, group);
  };
  for (const key of new Set([...old.keys(), ...now.keys()])) {
    const o = old.get(key) ?? NO_CONNS;
    const n = now.get(key) ?? NO_CONNS;
    record('removed', key, subtractConns(o, n));
    record('added', key, subtractConns(n, o));
  }
  for (const { line, fixed, rangeAt, pieces } of groups.values()) {
    pieces.sort((a, b) => a.family - b.family || (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    const joined: IPRange[] = [];
    for (const p of pieces) {
      const last = joined[joined.length - 1];
      if (last && last.family === p.family && last.end + 1n === p.start) last.end = p.end;
      else joined.push({ ...p });
    }
    for (const r of joined) lines.push(rangeAt === 'src' ? { ...line, src: formatRange(r), dst: fixed } : { ...line, src: fixed, dst: formatRange(r) });
  }
  // As connection lists sort: by source, then destination; what closes before what opens.
  return lines
    .sort((a, b) => byText(a.src, b.src) || byText(a.dst, b.dst) || byText(b.change, a.change))
    .map(({ change, src, dst, conn }) => ({ change, src, dst, conn }));
}
