/**
 * IP addresses and CIDR ranges for NetworkPolicy ipBlocks, IPv4 and IPv6 alike.
 *
 * Written by hand with BigInt (one number type for both families) because no small, well-kept
 * library does CIDR-with-except range algebra for both families: `ip-address` sits in
 * node_modules only as a transitive dependency and parses, but does not subtract or split ranges.
 *
 * Parsing follows what the API server accepts for `ipBlock.cidr` (netutils.ParseCIDRSloppy):
 * host bits may be set (they are masked off), IPv4 octets may carry leading zeros (read as decimal).
 */

export type Family = 4 | 6;

export interface Address {
  family: Family;
  value: bigint;
}

/** An inclusive range of addresses of one family. */
export interface IPRange {
  family: Family;
  start: bigint;
  end: bigint;
}

export interface Cidr extends IPRange {
  prefix: number;
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 };
const MAX: Record<Family, bigint> = { 4: (1n << 32n) - 1n, 6: (1n << 128n) - 1n };

function parseIPv4(s: string): bigint | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  let v = 0n;
  for (let i = 1; i <= 4; i++) {
    const n = Number(m[i]);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseGroups(part: string): number[] | undefined {
  if (part === '') return [];
  const out: number[] = [];
  const groups = part.split(':');
  for (const [i, g] of groups.entries()) {
    if (i === groups.length - 1 && g.includes('.')) {
      const v4 = parseIPv4(g);
      if (v4 === undefined) return undefined;
      out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    out.push(parseInt(g, 16));
  }
  return out;
}

function parseIPv6(s: string): bigint | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const head = parseGroups(halves[0]!);
    const tail = parseGroups(halves[1]!);
    if (!head || !tail || head.length + tail.length > 7) return undefined;
    // An embedded IPv4 tail may only end the address.
    if (halves[0]!.includes('.')) return undefined;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = parseGroups(s);
    if (!all || all.length !== 8) return undefined;
    groups = all;
  }
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(g);
  return v;
}

export function parseIP(s: string): Address | undefined {
  if (typeof s !== 'string') return undefined;
  if (s.includes(':')) {
    const v = parseIPv6(s);
    return v === undefined ? undefined : { family: 6, value: v };
  }
  const v = parseIPv4(s);
  return v === undefined ? undefined : { family: 4, value: v };
}

/** `10.0.0.0/8` or `2001:db8::/32`; host bits are masked off, as the API server does. */
export function parseCIDR(s: string): Cidr | undefined {
  if (typeof s !== 'string') return undefined;
  const slash = s.indexOf('/');
  if (slash === -1) return undefined;
  const addr = parseIP(s.slice(0, slash));
  const bits = s.slice(slash + 1);
  if (!addr || !/^\d{1,3}$/.test(bits)) return undefined;
  const prefix = Number(bits);
  const width = BITS[addr.family];
  if (prefix > width) return undefined;
  const hostBits = BigInt(width - prefix);
  const start = (addr.value >> hostBits) << hostBits;
  const end = start + (1n << hostBits) - 1n;
  return { family: addr.family, start, end, prefix };
}

export function fullSpace(family: Family): IPRange {
  return { family, start: 0n, end: MAX[family] };
}

export function rangeContains(r: IPRange, a: Address): boolean {
  return r.family === a.family && r.start <= a.value && a.value <= r.end;
}

/** `inner` lies inside `outer`. */
export function rangeWithin(inner: IPRange, outer: IPRange): boolean {
  return inner.family === outer.family && outer.start <= inner.start && inner.end <= outer.end;
}

/** `base` minus every range of `minus`, as sorted disjoint ranges. */
export function subtractRanges(base: IPRange, minus: readonly IPRange[]): IPRange[] {
  let parts: IPRange[] = [base];
  for (const m of minus) {
    if (m.family !== base.family) continue;
    const next: IPRange[] = [];
    for (const p of parts) {
      if (m.end < p.start || m.start > p.end) {
        next.push(p);
        continue;
      }
      if (m.start > p.start) next.push({ family: p.family, start: p.start, end: m.start - 1n });
      if (m.end < p.end) next.push({ family: p.family, start: m.end + 1n, end: p.end });
    }
    parts = next;
  }
  return parts;
}

/**
 * The whole address space of `family` cut at every boundary of `ranges`: the smallest set of
 * contiguous ranges inside which no given range starts or ends, so every address of a piece is
 * inside exactly the same given ranges.
 */
export function splitSpace(family: Family, ranges: readonly IPRange[]): IPRange[] {
  const cuts = new Set<bigint>([0n]);
  for (const r of ranges) {
    if (r.family !== family) continue;
    cuts.add(r.start);
    if (r.end < MAX[family]) cuts.add(r.end + 1n);
  }
  const starts = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return starts.map((start, i) => ({ family, start, end: i + 1 < starts.length ? starts[i + 1]! - 1n : MAX[family] }));
}

function formatIPv6(v: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  // RFC 5952: the longest run (two or more) of zero groups becomes `::`, the first on a tie.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best === -1) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

export function formatAddress(a: Address): string {
  if (a.family === 6) return formatIPv6(a.value);
  const v = a.value;
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');
}

/** `a.b.c.d-e.f.g.h`, as netpol-analyzer names external address ranges. */
export function formatRange(r: IPRange): string {
  return `${formatAddress({ family: r.family, value: r.start })}-${formatAddress({ family: r.family, value: r.end })}`;
}

/** The inverse of {@link formatRange}: `a.b.c.d-e.f.g.h` (or two IPv6 addresses); undefined otherwise. */
export function parseRange(s: string): IPRange | undefined {
  const dash = s.indexOf('-');
  if (dash === -1) return undefined;
  const start = parseIP(s.slice(0, dash));
  const end = parseIP(s.slice(dash + 1));
  if (!start || !end || start.family !== end.family || start.value > end.value) return undefined;
  return { family: start.family, start: start.value, end: end.value };
}
