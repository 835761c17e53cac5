/**
 * Reads sshd_config text into directives that remember their file, line and governing Match
 * block, the way OpenSSH's servconf.c reads it, so effective.ts can resolve values per connection.
 *
 * - Lines: the keyword ends at whitespace or one `=` (`Key=Value`, `Key = Value`); the rest is
 *   split into words with `"`/`'` quoting and backslash escapes; a word starting with `#` ends the
 *   line. Keywords are case-insensitive and aliases are folded (keywords.ts).
 * - `Include`: each argument is a glob; relative paths are taken under /etc/ssh (sshd's SSHDIR);
 *   matches are read in lexical order. An included file starts in the Match state of the Include
 *   line; a `Match` inside it lasts until the next `Match` in that file or its end, and after the
 *   Include line the including file's state resumes (servconf.c restores `*activep`). Nesting is
 *   limited to 16 levels, as SERVCONF_MAX_DEPTH.
 * - `Match`: criteria User, Group, Host, LocalAddress, LocalPort, Address, RDomain (each with one
 *   pattern list) or All alone; the block lasts until the next Match (or end of file).
 * Files are read through an injected ConfigSource rooted at a directory, never the real /etc.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { canonicalKeyword, KEYWORDS } from './keywords.js';
import { MATCH_CRITERIA, matchPattern, type MatchCriterion } from './match.js';

export interface Location {
  file: string;
  line: number;
}

export interface MatchBlock extends Location {
  /** Index in ParsedConfig.blocks (file order of processing). */
  index: number;
  criteria: MatchCriterion[];
  /** The Match line's arguments as written, e.g. `User alice Address 10.0.0.0/8`. */
  text: string;
  /** The Match state at the Include line that brought this block's file in (null: global). */
  site: MatchBlock | null;
}

export interface Directive extends Location {
  /** Canonical lower-case keyword. */
  keyword: string;
  /** The keyword as written. */
  name: string;
  args: string[];
  /** The Match block this line belongs to, null for the global section. */
  block: MatchBlock | null;
}

export interface ConfigError extends Location {
  message: string;
}

export interface ParsedConfig {
  directives: Directive[];
  blocks: MatchBlock[];
  errors: ConfigError[];
  /** Every file read, in reading order. */
  files: string[];
}

/** Where configuration files come from: absolute sshd paths, resolved by the source. */
export interface ConfigSource {
  readFile(path: string): string | undefined;
  /** Absolute paths matching a glob pattern, in any order (the parser sorts them). */
  glob(pattern: string): string[];
}

const SSHDIR = '/etc/ssh';
const MAX_DEPTH = 16;

/** servconf.c strdelim for the keyword: up to whitespace, a quote or `=`; skips one `=`. */
function splitKeyword(line: string): { keyword: string; rest: string } {
  const s = line.replace(/^[ \t\r\n]+/, '');
  const m = /^[^ \t\r\n"=]*/.exec(s)!;
  let rest = s.slice(m[0].length).replace(/^[ \t\r\n]+/, '');
  if (rest.startsWith('=')) rest = rest.slice(1).replace(/^[ \t\r\n]+/, '');
  return { keyword: m[0], rest };
}

/** misc.c argv_split with terminate_on_comment: undefined on unbalanced quotes. */
export function splitArgs(s: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /[ \t\r\n]/.test(s[i]!)) i++;
    if (i >= s.length) break;
    if (s[i] === '#') break;
    let word = '';
    let quote = '';
    for (; i < s.length; i++) {
      const c = s[i]!;
      if (quote === '' && /[ \t\r\n]/.test(c)) break;
      if (c === '\\' && i + 1 < s.length) {
        const n = s[i + 1]!;
        if (n === '\\' || n === '"' || n === "'" || (quote === '' && n === ' ')) {
          word += n;
          i++;
          continue;
        }
        word += c;
        continue;
      }
      if (quote !== '' && c === quote) {
        quote = '';
        continue;
      }
      if (quote === '' && (c === '"' || c === "'")) {
        quote = c;
        continue;
      }
      word += c;
    }
    if (quote !== '') return undefined;
    out.push(word);
  }
  return out;
}

function parseCriteria(args: string[]): MatchCriterion[] | string {
  if (args.length === 0) return 'Match needs criteria';
  const out: MatchCriterion[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i]!.toLowerCase();
    if (!(MATCH_CRITERIA as readonly string[]).includes(name)) return `unsupported Match attribute ${args[i]}`;
    if (name === 'all') {
      if (args.length !== 1) return "'all' cannot be combined with other Match attributes";
      out.push({ name });
      continue;
    }
    const pattern = args[++i];
    if (pattern === undefined || pattern === '') return `Match ${args[i - 1]} needs an argument`;
    out.push({ name, pattern });
  }
  return out;
}

/** Parses sshd_config starting at `path` (default /etc/ssh/sshd_config). */
export function parseSshdConfig(source: ConfigSource, path = `${SSHDIR}/sshd_config`): ParsedConfig {
  const result: ParsedConfig = { directives: [], blocks: [], errors: [], files: [] };
  const text = source.readFile(path);
  if (text === undefined) {
    result.errors.push({ file: path, line: 0, message: 'cannot read file' });
    return result;
  }
  parseFile(source, path, text, null, 0, result);
  return result;
}

function parseFile(
  source: ConfigSource,
  file: string,
  text: string,
  site: MatchBlock | null,
  depth: number,
  out: ParsedConfig,
): void {
  out.files.push(file);
  let block: MatchBlock | null = site;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = n + 1;
    const raw = lines[n]!.replace(/[ \t\r\n\f]+$/, '');
    const { keyword: name, rest } = splitKeyword(raw);
    if (name === '' || name.startsWith('#')) continue;
    const err = (message: string) => out.errors.push({ file, line, message });
    if (rest === '') {
      err(`no argument after keyword "${name}"`);
      continue;
    }
    const args = splitArgs(rest);
    if (args === undefined) {
      err('invalid quotes');
      continue;
    }
    const keyword = canonicalKeyword(name);
    if (keyword === 'match') {
      const criteria = parseCriteria(args);
      if (typeof criteria === 'string') {
        err(criteria);
        continue;
      }
      block = { index: out.blocks.length, criteria, text: args.join(' '), file, line, site };
      out.blocks.push(block);
      continue;
    }
    const info = KEYWORDS[keyword];
    if (!info) err(`unknown keyword "${name}"`);
    else if (block !== null && !info.match) err(`directive "${name}" is not allowed within a Match block`);
    if (keyword === 'include') {
      if (depth + 1 > MAX_DEPTH) {
        err('Include nested too deeply');
        continue;
      }
      for (const arg of args) {
        const pattern = arg.startsWith('/') ? arg : `${SSHDIR}/${arg}`;
        const paths = /[*?]/.test(pattern) ? [...source.glob(pattern)].sort(byteOrder) : [pattern];
        for (const p of paths) {
          const t = source.readFile(p);
          if (t === undefined) continue; // sshd ignores an Include that matches nothing
          parseFile(source, p, t, block, depth + 1, out);
        }
      }
      continue;
    }
    out.directives.push({ keyword, name, args, file, line, block });
  }
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Files under `root` standing for the node's `/`: `/etc/ssh/x` reads `root/etc/ssh/x`. */
export function dirSource(root: string): ConfigSource {
  const under = (p: string) => join(root, p);
  return {
    readFile(p) {
      try {
        const full = under(p);
        if (!statSync(full).isFile()) return undefined;
        return readFileSync(full, 'utf8');
      } catch {
        return undefined;
      }
    },
    glob(pattern) {
      return globWith(pattern, (dir) => {
        try {
          return readdirSync(under(dir));
        } catch {
          return undefined;
        }
      });
    },
  };
}

/** An in-memory tree of absolute paths to contents, for tests and callers with files in hand. */
export function memorySource(files: Readonly<Record<string, string>>): ConfigSource {
  return {
    readFile: (p) => files[posix.normalize(p)],
    glob(pattern) {
      return globWith(pattern, (dir) => {
        const prefix = dir === '/' ? '/' : `${dir}/`;
        const names = new Set<string>();
        for (const f of Object.keys(files)) if (f.startsWith(prefix)) names.add(f.slice(prefix.length).split('/')[0]!);
        return names.size ? [...names] : undefined;
      });
    },
  };
}

/**
 * glob(3) over path components with `*` and `?` (not crossing `/`; a leading `.` must be
 * matched literally). Bracket expressions are not supported and match literally.
 */
function globWith(pattern: string, list: (dir: string) => string[] | undefined): string[] {
  const parts = posix.normalize(pattern).split('/').filter((p) => p !== '');
  let paths = ['/'];
  for (const part of parts) {
    const next: string[] = [];
    for (const dir of paths) {
      if (!/[*?]/.test(part)) {
        next.push(posix.join(dir, part));
        continue;
      }
      for (const name of list(dir) ?? []) {
        if (name.startsWith('.') && !part.startsWith('.')) continue;
        if (matchPattern(name, part)) next.push(posix.join(dir, name));
      }
    }
    paths = next;
  }
  return paths;
}
