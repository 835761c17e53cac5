/**
 * Oracle: the engine's effective values against OpenSSH's own `sshd -T -C ...` over 200 seeded
 * random configurations (Match blocks, Includes of conf.d globs from global and Match positions,
 * duplicated keywords, comments, mixed case, `key=value` forms, quoting, aliases).
 *
 * Normalisation (both sides through normaliseValue): `sshd -T` prints keywords lower-case and
 * values in canonical form — PermitRootLogin without-password/prohibit-password both print as
 * `without-password`, AllowTcpForwarding `all` prints `yes`, LogLevel prints upper-case with
 * DEBUG1 as DEBUG, times print in seconds, multistate words lower-case. Cumulative keywords
 * (AllowUsers) print one line per value and are compared as the ordered list.
 * scripts/install-openssh.sh installs sshd (Debian's openssh-server); `sshd -T` needs the
 * privilege-separation directory /run/sshd, which the setup creates when missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { effectiveConfig, normaliseValue } from '../../../src/engines/sshd/effective.js';
import { dirSource, parseSshdConfig } from '../../../src/engines/sshd/parse.js';
import type { MatchContext } from '../../../src/engines/sshd/match.js';
import { mulberry32 } from '../../helpers/random.js';

const SSHD = '/usr/sbin/sshd';
const hasSshd = existsSync(SSHD);

const rng = mulberry32;

const YESNO = ['yes', 'no', 'Yes', 'NO'];
/** Keywords compared, with the values the generator writes (all allowed inside Match). */
const VALUES: Record<string, string[]> = {
  PermitRootLogin: ['yes', 'no', 'prohibit-password', 'without-password', 'forced-commands-only'],
  PasswordAuthentication: YESNO,
  KbdInteractiveAuthentication: YESNO,
  PermitEmptyPasswords: YESNO,
  MaxAuthTries: ['1', '3', '6', '10'],
  X11Forwarding: YESNO,
  AllowTcpForwarding: ['yes', 'no', 'local', 'remote', 'all'],
  AllowAgentForwarding: YESNO,
  PubkeyAuthentication: YESNO,
  PermitTunnel: ['yes', 'no', 'point-to-point', 'ethernet'],
  GatewayPorts: ['yes', 'no', 'clientspecified'],
  HostbasedAuthentication: YESNO,
  ClientAliveInterval: ['0', '30', '5m', '1h30m'],
  LogLevel: ['QUIET', 'INFO', 'verbose', 'DEBUG', 'DEBUG1', 'debug3'],
  AllowUsers: ['alice', 'root nobody', 'al*', 'bob'],
};
/** Global-only keywords, written only in the main file's global section. */
const GLOBAL_VALUES: Record<string, string[]> = {
  PermitUserEnvironment: YESNO,
  LoginGraceTime: ['30', '2m', '0'],
};
const COMPARED = [...Object.keys(VALUES), ...Object.keys(GLOBAL_VALUES)].map((k) => k.toLowerCase());

const USERS = ['root', 'nobody', 'alice'];
const GROUPS: Record<string, string[]> = { root: ['root'], nobody: ['nogroup'], alice: [] };
const HOSTS = ['web1.example.com', 'db.internal', 'laptop'];
const ADDRS = ['10.1.2.3', '192.168.0.5', '172.16.9.9', '2001:db8::7'];
const LADDRS = ['10.0.0.1', '192.168.0.1'];
const LPORTS = [22, 2222];

function gen(r: () => number, dir: string): void {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const chance = (p: number) => r() < p;
  const spell = (kw: string) => pick([kw, kw.toLowerCase(), kw.toUpperCase(), kw]);
  const line = (kw: string, value: string) => {
    const name = kw === 'KbdInteractiveAuthentication' && chance(0.2) ? 'ChallengeResponseAuthentication' : kw;
    const v = chance(0.15) && !value.includes(' ') ? `"${value}"` : value;
    const sep = pick([' ', ' ', '=', ' = ', '\t', '= ', ' =']);
    const indent = pick(['', '', '  ', '\t']);
    const tail = chance(0.15) ? '   # trailing comment' : '';
    return `${indent}${spell(name)}${sep}${v}${tail}`;
  };
  const lines = (n: number, global = false) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      if (chance(0.15)) out.push(pick(['# a comment', '', '   ', '#PermitRootLogin yes']));
      if (global && chance(0.15)) {
        const kw = pick(Object.keys(GLOBAL_VALUES));
        out.push(line(kw, pick(GLOBAL_VALUES[kw]!)));
      } else {
        const kw = pick(Object.keys(VALUES));
        out.push(line(kw, pick(VALUES[kw]!)));
      }
    }
    return out;
  };
  const pattern = (xs: readonly string[]) => {
    const parts: string[] = [];
    const n = 1 + Math.floor(r() * 3);
    for (let i = 0; i < n; i++) {
      let p = pick(xs);
      if (chance(0.3)) p = p.slice(0, 1 + Math.floor(r() * p.length)) + '*';
      if (chance(0.15)) p = p.replace(/.$/, '?');
      if (chance(0.25)) p = `!${p}`;
      parts.push(p);
    }
    return parts.join(',');
  };
  const criteria = () => {
    if (chance(0.1)) return pick(['all', 'All']);
    const c: string[] = [];
    const n = 1 + Math.floor(r() * 2);
    for (let i = 0; i < n; i++) {
      switch (pick(['User', 'User', 'Group', 'Host', 'Address', 'Address', 'LocalAddress', 'LocalPort'])) {
        case 'User': c.push(`${spell('User')} ${pattern(USERS)}`); break;
        case 'Group': c.push(`Group ${pattern(['root', 'nogroup', 'staff'])}`); break;
        case 'Host': c.push(`Host ${pattern(HOSTS)}`); break;
        case 'Address': c.push(`Address ${pick(['10.0.0.0/8', '192.168.0.0/16', '!10.1.2.3,10.0.0.0/8', '172.16.*', '2001:db8::/32', '10.1.2.3', '!192.168.0.0/16,*'])}`); break;
        case 'LocalAddress': c.push(`LocalAddress ${pick(['10.0.0.1', '192.168.0.0/24', '!10.0.0.1,*'])}`); break;
        case 'LocalPort': c.push(`LocalPort ${pick(LPORTS)}`); break;
      }
    }
    return c.join(' ');
  };
  const matchBlocks = (n: number) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(`${spell('Match')} ${criteria()}`, ...lines(Math.floor(r() * 4)));
    return out;
  };
  mkdirSync(join(dir, 'conf.d'));
  mkdirSync(join(dir, 'm.d'));
  for (let i = 0, n = Math.floor(r() * 4); i < n; i++) {
    const body = [...lines(Math.floor(r() * 4)), ...(chance(0.2) ? [`Include ${dir}/m.d/*.conf`] : []), ...(chance(0.3) ? matchBlocks(1) : [])];
    writeFileSync(join(dir, 'conf.d', `${pick(['10', '50', '05', '99', 'a', 'B'])}-${i}.conf`), body.join('\n') + '\n');
  }
  for (let i = 0, n = Math.floor(r() * 3); i < n; i++) {
    const body = [...lines(1 + Math.floor(r() * 3)), ...(chance(0.3) ? matchBlocks(1) : [])];
    writeFileSync(join(dir, 'm.d', `${i}.conf`), body.join('\n') + '\n');
  }
  const main: string[] = [`HostKey ${dir}/hostkey`, ...lines(Math.floor(r() * 5), true)];
  if (chance(0.7)) main.push(`Include ${dir}/conf.d/*.conf`);
  main.push(...lines(Math.floor(r() * 4), true));
  for (let i = 0, n = Math.floor(r() * 4); i < n; i++) {
    main.push(`Match ${criteria()}`, ...lines(Math.floor(r() * 4)));
    if (chance(0.3)) main.push(`  Include ${dir}/m.d/*.conf`);
    main.push(...lines(Math.floor(r() * 2)));
  }
  writeFileSync(join(dir, 'sshd_config'), main.join('\n') + '\n');
}

function sshdT(file: string, ctx: MatchContext): Map<string, string[]> {
  const spec = `user=${ctx.user},host=${ctx.host},addr=${ctx.addr},laddr=${ctx.laddr},lport=${ctx.lport}`;
  const out = execFileSync(SSHD, ['-T', '-f', file, '-C', spec], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const m = new Map<string, string[]>();
  for (const l of out.split('\n')) {
    const i = l.indexOf(' ');
    if (i <= 0) continue;
    const k = l.slice(0, i);
    m.set(k, [...(m.get(k) ?? []), l.slice(i + 1)]);
  }
  return m;
}

describe('sshd effective configuration against sshd -T', () => {
  const base = mkdtempSync(join(tmpdir(), 'sshd-oracle-'));
  afterAll(() => { if (!process.env.SSHD_ORACLE_KEEP) rmSync(base, { recursive: true, force: true }); });

  it.skipIf(!hasSshd)('agrees on 200 random configs (scripts/install-openssh.sh installs sshd)', () => {
    if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(base, 'key')]);
    const r = rng(Number(process.env.SSHD_ORACLE_SEED ?? 20261127));
    let contexts = 0;
    let compared = 0;
    let fromMatch = 0;
    const disagreements: string[] = [];
    for (let n = 0; n < 200; n++) {
      const dir = join(base, `c${n}`);
      mkdirSync(dir);
      execFileSync('cp', [join(base, 'key'), join(dir, 'hostkey')]);
      gen(r, dir);
      const parsed = parseSshdConfig(dirSource('/'), join(dir, 'sshd_config'));
      expect(parsed.errors, `config ${n}`).toEqual([]);
      for (let c = 0; c < 4; c++) {
        const user = USERS[Math.floor(r() * USERS.length)]!;
        const ctx: MatchContext = {
          user,
          groups: GROUPS[user],
          host: HOSTS[Math.floor(r() * HOSTS.length)]!,
          addr: ADDRS[Math.floor(r() * ADDRS.length)]!,
          laddr: LADDRS[Math.floor(r() * LADDRS.length)]!,
          lport: LPORTS[Math.floor(r() * LPORTS.length)]!,
        };
        contexts++;
        const theirs = sshdT(join(dir, 'sshd_config'), ctx);
        const mine = effectiveConfig(parsed, ctx);
        for (const kw of COMPARED) {
          compared++;
          const m = mine.get(kw);
          if (m?.block) fromMatch++;
          const mineV = kw === 'allowusers' ? (m?.values ?? []).join(',') : normaliseValue(kw, m?.value ?? '');
          const t = theirs.get(kw) ?? [];
          const theirV = kw === 'allowusers' ? t.join(',') : normaliseValue(kw, t[0] ?? '');
          if (mineV !== theirV) disagreements.push(`config ${n} ${JSON.stringify(ctx)} ${kw}: mine=${mineV} sshd=${theirV}`);
        }
      }
    }
    console.log(`sshd oracle: 200 configs, ${contexts} contexts, ${COMPARED.length} keywords, ${compared} comparisons (${fromMatch} values set by a Match block), ${disagreements.length} disagreements`);
    if (disagreements.length) console.log(disagreements.slice(0, 20).join('\n'));
    expect(disagreements).toEqual([]);
  });
});
