/**
 * sshd's `Match` criteria, evaluated as OpenSSH's servconf.c match_cfg_line and match.c do, so the
 * engine can tell which Match blocks apply to a connection. Patterns are comma lists of `*`/`?`
 * wildcards; a `!pattern` that matches vetoes the whole list, and a list matches only when some
 * non-negated pattern matches (so `User !root` alone matches nobody, as in sshd). User, Group and
 * RDomain compare case-sensitively, Host case-insensitively; Address and LocalAddress also accept
 * CIDR entries (`10.0.0.0/8`, `2001:db8::/32`); LocalPort is a single port number.
 * A criterion whose connection field the caller did not give is treated as not matching.
 */
import { parseCIDR, parseIP, rangeContains } from '../netpol/ip.js';

export interface MatchContext {
  user: string;
  host: string;
  addr: string;
  laddr?: string;
  lport?: number;
  rdomain?: string;
  /** The user's groups (primary and supplementary), for `Match Group`. */
  groups?: readonly string[];
}

export interface MatchCriterion {
  /** Lower-case criterion name: user, group, host, localaddress, localport, address, rdomain, all. */
  name: string;
  /** The pattern list as written (absent for `all`). */
  pattern?: string;
}

export const MATCH_CRITERIA = ['all', 'user', 'group', 'host', 'localaddress', 'localport', 'address', 'rdomain'] as const;

/** OpenSSH match.c match_pattern: `*` any run, `?` any one character, the rest literal. */
export function matchPattern(s: string, pattern: string): boolean {
  // Iterative wildcard match with backtracking to the last `*`.
  let si = 0;
  let pi = 0;
  let star = -1;
  let mark = 0;
  while (si < s.length) {
    if (pi < pattern.length && (pattern[pi] === '?' || pattern[pi] === s[si])) {
      si++;
      pi++;
    } else if (pi < pattern.length && pattern[pi] === '*') {
      star = pi++;
      mark = si;
    } else if (star !== -1) {
      pi = star + 1;
      si = ++mark;
    } else {
      return false;
    }
  }
  while (pi < pattern.length && pattern[pi] === '*') pi++;
  return pi === pattern.length;
}

/** match.c match_pattern_list: 1 positive match, -1 a negated pattern matched, 0 neither. */
export function matchPatternList(s: string, list: string, lower = false): -1 | 0 | 1 {
  let positive = false;
  for (let sub of list.split(',')) {
    const neg = sub.startsWith('!');
    if (neg) sub = sub.slice(1);
    if (lower) sub = sub.toLowerCase();
    if (matchPattern(s, sub)) {
      if (neg) return -1;
      positive = true;
    }
  }
  return positive ? 1 : 0;
}

/** match.c addr_match_list: entries are CIDRs, plain addresses or wildcard patterns. */
export function addrMatchList(addr: string, list: string): -2 | -1 | 0 | 1 {
  const a = parseIP(addr);
  if (!a) return 0;
  let ret: -2 | -1 | 0 | 1 = 0;
  for (let entry of list.split(',')) {
    const neg = entry.startsWith('!');
    if (neg) entry = entry.slice(1);
    if (entry === '') return -2;
    let hit: boolean;
    if (entry.includes('/')) {
      const c = parseCIDR(entry);
      if (!c) return -2;
      hit = c.family === a.family && rangeContains(c, a);
    } else {
      const e = parseIP(entry);
      hit = e ? e.family === a.family && e.value === a.value : matchPattern(addr, entry);
    }
    if (hit) {
      if (neg) return -1;
      ret = 1;
    }
  }
  return ret;
}

function groupsMatch(groups: readonly string[], list: string): boolean {
  // ga_match_pattern_list: any negated hit vetoes; otherwise some positive hit is needed.
  let positive = false;
  for (const g of groups) {
    const r = matchPatternList(g, list);
    if (r === -1) return false;
    if (r === 1) positive = true;
  }
  return positive;
}

/** Whether every criterion of a Match line holds for the connection (criteria are ANDed). */
export function criteriaMatch(criteria: readonly MatchCriterion[], ctx: MatchContext): boolean {
  for (const c of criteria) {
    const p = c.pattern ?? '';
    switch (c.name) {
      case 'all':
        break;
      case 'user':
        if (matchPatternList(ctx.user, p) !== 1) return false;
        break;
      case 'group':
        if (!ctx.groups || !groupsMatch(ctx.groups, p)) return false;
        break;
      case 'host':
        if (matchPatternList(ctx.host.toLowerCase(), p, true) !== 1) return false;
        break;
      case 'address':
        if (addrMatchList(ctx.addr, p) !== 1) return false;
        break;
      case 'localaddress':
        if (ctx.laddr === undefined || addrMatchList(ctx.laddr, p) !== 1) return false;
        break;
      case 'localport':
        if (ctx.lport === undefined || !/^\d+$/.test(p) || Number(p) !== ctx.lport) return false;
        break;
      case 'rdomain':
        if (ctx.rdomain === undefined || matchPatternList(ctx.rdomain, p) !== 1) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
