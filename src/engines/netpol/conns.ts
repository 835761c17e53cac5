/**
 * Sets of connections (protocol and destination port) that a policy rule, or a pair of
 * endpoints, allows: for each of TCP, UDP and SCTP a sorted list of disjoint port ranges. Kept
 * apart from the policy logic so unions and intersections are plain data operations.
 *
 * The text form follows np-guard/netpol-analyzer's connection strings (its connlist test
 * outputs, e.g. `SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535` and `TCP 8080,9090`): protocols in
 * alphabetical order, each followed by its comma-separated ports and ranges, and `All Connections`
 * for everything.
 */

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** Alphabetical, the order connection strings list them in. */
export const PROTOCOLS: readonly Protocol[] = ['SCTP', 'TCP', 'UDP'];

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

export type PortRanges = ReadonlyArray<readonly [number, number]>;

export type ConnSet = Readonly<Record<Protocol, PortRanges>>;

const FULL: PortRanges = [[MIN_PORT, MAX_PORT]];

export const NO_CONNS: ConnSet = Object.freeze({ TCP: [], UDP: [], SCTP: [] });
export const ALL_CONNS: ConnSet = Object.freeze({ TCP: FULL, UDP: FULL, SCTP: FULL });

export function isProtocol(p: unknown): p is Protocol {
  return p === 'TCP' || p === 'UDP' || p === 'SCTP';
}

/** The connections of one protocol on ports `from..to`. */
export function portConns(protocol: Protocol, from = MIN_PORT, to = MAX_PORT): ConnSet {
  const r: [number, number][] = from <= to ? [[Math.max(from, MIN_PORT), Math.min(to, MAX_PORT)]] : [];
  return { ...NO_CONNS, [protocol]: r };
}

function unionRanges(a: PortRanges, b: PortRanges): PortRanges {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const all = [...a, ...b].sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [s, e] of all) {
    const last = out[out.length - 1];
    if (last && s <= last[1] + 1) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

function intersectRanges(a: PortRanges, b: PortRanges): PortRanges {
  if (a === FULL) return b;
  if (b === FULL) return a;
  const out: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i]![0], b[j]![0]);
    const e = Math.min(a[i]![1], b[j]![1]);
    if (s <= e) out.push([s, e]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

export function unionConns(a: ConnSet, b: ConnSet): ConnSet {
  if (a === ALL_CONNS || b === NO_CONNS) return a;
  if (b === ALL_CONNS || a === NO_CONNS) return b;
  return { TCP: unionRanges(a.TCP, b.TCP), UDP: unionRanges(a.UDP, b.UDP), SCTP: unionRanges(a.SCTP, b.SCTP) };
}

export function intersectConns(a: ConnSet, b: ConnSet): ConnSet {
  if (a === ALL_CONNS || b === NO_CONNS) return b;
  if (b === ALL_CONNS || a === NO_CONNS) return a;
  return { TCP: intersectRanges(a.TCP, b.TCP), UDP: intersectRanges(a.UDP, b.UDP), SCTP: intersectRanges(a.SCTP, b.SCTP) };
}

export function isEmptyConns(c: ConnSet): boolean {
  return c.TCP.length === 0 && c.UDP.length === 0 && c.SCTP.length === 0;
}

function isFull(r: PortRanges): boolean {
  return r.length === 1 && r[0]![0] <= MIN_PORT && r[0]![1] >= MAX_PORT;
}

export function isAllConns(c: ConnSet): boolean {
  return isFull(c.TCP) && isFull(c.UDP) && isFull(c.SCTP);
}

export function connsContain(c: ConnSet, protocol: Protocol, port: number): boolean {
  return c[protocol].some(([s, e]) => s <= port && port <= e);
}

/** `All Connections`, `TCP 80,UDP 53`, `TCP 80-90,443`; empty string for no connection. */
export function formatConns(c: ConnSet): string {
  if (isAllConns(c)) return 'All Connections';
  const parts: string[] = [];
  for (const p of PROTOCOLS) {
    const r = c[p];
    if (r.length === 0) continue;
    parts.push(`${p} ${r.map(([s, e]) => (s === e ? String(s) : `${s}-${e}`)).join(',')}`);
  }
  return parts.join(',');
}

function subtractRanges(a: PortRanges, b: PortRanges): PortRanges {
  if (b.length === 0) return a;
  const out: [number, number][] = [];
  for (const [s0, e] of a) {
    let s = s0;
    for (const [bs, be] of b) {
      if (be < s || bs > e) continue;
      if (bs > s) out.push([s, bs - 1]);
      s = Math.max(s, be + 1);
      if (s > e) break;
    }
    if (s <= e) out.push([s, e]);
  }
  return out;
}

/** The connections of `a` that are not in `b`. */
export function subtractConns(a: ConnSet, b: ConnSet): ConnSet {
  if (b === NO_CONNS || a === NO_CONNS) return a;
  return { TCP: subtractRanges(a.TCP, b.TCP), UDP: subtractRanges(a.UDP, b.UDP), SCTP: subtractRanges(a.SCTP, b.SCTP) };
}

/**
 * The inverse of {@link formatConns}: `All Connections`, `TCP 80,UDP 53`, `TCP 1-79,81-65535`;
 * undefined for anything else. Lets consumers of a connection list's text compare port sets.
 */
export function parseConns(text: string): ConnSet | undefined {
  if (text === 'All Connections') return ALL_CONNS;
  const out: Record<Protocol, [number, number][]> = { TCP: [], UDP: [], SCTP: [] };
  let protocol: Protocol | undefined;
  for (const token of text.split(',')) {
    const m = /^(?:(TCP|UDP|SCTP) )?(\d{1,5})(?:-(\d{1,5}))?$/.exec(token);
    if (!m) return undefined;
    if (m[1]) protocol = m[1] as Protocol;
    if (!protocol) return undefined;
    const from = Number(m[2]);
    const to = m[3] === undefined ? from : Number(m[3]);
    if (from < MIN_PORT || to > MAX_PORT || from > to) return undefined;
    out[protocol].push([from, to]);
  }
  let c: ConnSet = NO_CONNS;
  for (const p of PROTOCOLS) for (const [from, to] of out[p]) c = unionConns(c, portConns(p, from, to));
  return c;
}
