/**
 * sshd's effective configuration for one connection, resolved as OpenSSH does, so checks can
 * judge what a login would really get rather than what one line says.
 *
 * OpenSSH reads the configuration twice (servconf.c):
 * 1. At startup with no connection: global lines (and lines of `Match All` blocks, which match
 *    even then) set options, and for ordinary keywords the FIRST value obtained wins
 *    (`if (*intptr == -1) *intptr = value`).
 * 2. Per connection (parse_server_match_config): only lines in Match blocks whose criteria match
 *    the connection are applied, into a fresh option set, again first value wins; every option
 *    that pass set then replaces the startup value (copy_set_server_options).
 * An Include inside a Match block reads its file in that block's state; when the block does
 * not apply, Match blocks inside the included file never apply either (SSHCFG_NEVERMATCH).
 * So a keyword's value is its first line among the matching Match blocks, else its first global
 * line, else the compiled-in default. Cumulative keywords (AllowUsers, DenyUsers, AllowGroups,
 * DenyGroups, AcceptEnv, HostKey, Port, ...) collect every active line instead, and the
 * matching blocks' collection, when not empty, replaces the global one.
 * Keywords not allowed in a Match block are taken from the global section only (sshd refuses to
 * start when such a line sits in a Match block; parse.ts reports that as an error).
 */
import { KEYWORDS, type KeywordInfo } from './keywords.js';
import { criteriaMatch, type MatchContext } from './match.js';
import type { Directive, Location, MatchBlock, ParsedConfig } from './parse.js';

export type { MatchContext } from './match.js';

export interface EffectiveValue {
  keyword: string;
  /** Single-valued keywords: the words of the winning line joined by one space. */
  value: string;
  /** Cumulative keywords: every word of every contributing line; else the winning line's words. */
  values: string[];
  /** The lines that set it; empty when it is sshd's default. */
  sources: Location[];
  /** The Match block that supplied it, null for the global section or the default. */
  block: MatchBlock | null;
  isDefault: boolean;
}

export type EffectiveConfig = Map<string, EffectiveValue>;

function info(keyword: string): KeywordInfo {
  return KEYWORDS[keyword] ?? { match: true, cumulative: false };
}

/** Active at startup: global lines, and `Match All` blocks not nested under a non-matching one. */
function startupActive(block: MatchBlock | null): boolean {
  for (let b = block; b !== null; b = b.site) {
    if (!(b.criteria.length === 1 && b.criteria[0]!.name === 'all')) return false;
  }
  return true;
}

function resolve(keyword: string, global: Directive[], matched: Directive[]): EffectiveValue {
  const ki = info(keyword);
  if (ki.cumulative) {
    const from = matched.length > 0 ? matched : global;
    if (from.length > 0) {
      return {
        keyword,
        value: from.flatMap((d) => d.args).join(' '),
        values: from.flatMap((d) => d.args),
        sources: from.map(({ file, line }) => ({ file, line })),
        block: matched.length > 0 ? matched[0]!.block : null,
        isDefault: false,
      };
    }
  } else {
    const d = matched[0] ?? global[0];
    if (d) {
      return {
        keyword,
        value: d.args.join(' '),
        values: [...d.args],
        sources: [{ file: d.file, line: d.line }],
        block: matched[0] ? d.block : null,
        isDefault: false,
      };
    }
  }
  const def = ki.default;
  const values = def === undefined ? [] : typeof def === 'string' ? def.split(' ') : [...def];
  return { keyword, value: values.join(' '), values, sources: [], block: null, isDefault: true };
}

/**
 * The value of every keyword (set ones and those with a known default) for a connection; with no
 * context, the startup (global) configuration that applies before any Match block.
 */
export function effectiveConfig(parsed: ParsedConfig, context?: MatchContext): EffectiveConfig {
  const global = new Map<string, Directive[]>();
  const matched = new Map<string, Directive[]>();
  const push = (m: Map<string, Directive[]>, d: Directive) => {
    const list = m.get(d.keyword);
    if (list) list.push(d);
    else m.set(d.keyword, [d]);
  };
  const matches = new Map<MatchBlock, boolean>();
  const blockMatches = (b: MatchBlock): boolean => {
    let r = matches.get(b);
    if (r === undefined) {
      // An Include inside a Match block that does not apply reads its file with
      // SSHCFG_NEVERMATCH: Match blocks in it never apply either.
      r = context !== undefined && criteriaMatch(b.criteria, context) && (b.site === null || blockMatches(b.site));
      matches.set(b, r);
    }
    return r;
  };
  for (const d of parsed.directives) {
    const ki = info(d.keyword);
    if (startupActive(d.block) && (d.block === null || ki.match)) push(global, d);
    if (d.block !== null && ki.match && blockMatches(d.block)) push(matched, d);
  }
  const out: EffectiveConfig = new Map();
  const keys = new Set([...Object.keys(KEYWORDS).filter((k) => KEYWORDS[k]!.default !== undefined), ...global.keys(), ...matched.keys()]);
  for (const k of [...keys].sort()) out.set(k, resolve(k, global.get(k) ?? [], matched.get(k) ?? []));
  return out;
}

/** One keyword's effective value for a connection (or at startup without a context). */
export function effectiveValue(parsed: ParsedConfig, keyword: string, context?: MatchContext): EffectiveValue {
  return effectiveConfig(parsed, context).get(keyword.toLowerCase()) ?? resolve(keyword.toLowerCase(), [], []);
}

export interface WorstValue extends EffectiveValue {
  /** Where the worst value applies: 'global' or the Match block's line. */
  context: 'global' | MatchBlock;
}

/**
 * The worst value of a keyword over the global context and every Match block: for each block,
 * the value a connection matching it gets from it (its first line for the keyword), else the
 * global value. `compare(a, b) > 0` means `a` is worse than `b`; ties keep the earlier context.
 */
export function worstOverContexts(parsed: ParsedConfig, keyword: string, compare: (a: string, b: string) => number): WorstValue {
  const kw = keyword.toLowerCase();
  const globalValue = effectiveValue(parsed, kw);
  let worst: WorstValue = { ...globalValue, context: 'global' };
  if (!info(kw).match) return worst;
  for (const b of parsed.blocks) {
    const lines = parsed.directives.filter((d) => d.block === b && d.keyword === kw);
    if (lines.length === 0) continue;
    const v = resolve(kw, [], lines);
    if (compare(v.value, worst.value) > 0) worst = { ...v, context: b };
  }
  return worst;
}

const TIME_UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** misc.c convtime: `90`, `1m30s`, `2h` → seconds; undefined when malformed. */
export function parseTime(s: string): number | undefined {
  const re = /(\d+)([smhdw]?)/giy;
  let total = 0;
  let at = 0;
  if (s === '') return undefined;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * TIME_UNITS[m[2]!.toLowerCase()]!;
    at = re.lastIndex;
  }
  return at === s.length ? total : undefined;
}

/**
 * A value in the form `sshd -T` prints it, for comparing: keyword-specific aliases folded
 * (PermitRootLogin without-password → prohibit-password, AllowTcpForwarding all → yes,
 * LogLevel DEBUG1 → DEBUG), multistate words lower-cased (sshd parses them case-insensitively),
 * times in seconds, LogLevel upper-case.
 */
export function normaliseValue(keyword: string, value: string): string {
  const kw = keyword.toLowerCase();
  const v = value.trim();
  switch (kw) {
    case 'permitrootlogin': {
      const l = v.toLowerCase();
      return l === 'without-password' ? 'prohibit-password' : l;
    }
    case 'allowtcpforwarding': {
      const l = v.toLowerCase();
      return l === 'all' ? 'yes' : l;
    }
    case 'loglevel': {
      const u = v.toUpperCase();
      return u === 'DEBUG1' ? 'DEBUG' : u === 'SILENT' ? 'QUIET' : u;
    }
    case 'clientaliveinterval':
    case 'logingracetime': {
      const t = parseTime(v);
      return t === undefined ? v : String(t);
    }
    case 'maxauthtries':
    case 'maxsessions':
    case 'clientalivecountmax':
      return /^\d+$/.test(v) ? String(Number(v)) : v;
    default:
      return /^(yes|no|point-to-point|ethernet|clientspecified|local|remote|forced-commands-only|prohibit-password)$/i.test(v)
        ? v.toLowerCase()
        : v;
  }
}
