/** Unit tests for the sshd engine: Include, Match, first-value-wins, negation, CIDR, worst value. */
import { describe, expect, it } from 'vitest';
import { effectiveConfig, effectiveValue, normaliseValue, parseTime, worstOverContexts } from '../../../src/engines/sshd/effective.js';
import { addrMatchList, matchPatternList } from '../../../src/engines/sshd/match.js';
import { memorySource, parseSshdConfig, splitArgs } from '../../../src/engines/sshd/parse.js';

const ctx = { user: 'alice', host: 'web1.example.com', addr: '10.1.2.3', laddr: '10.0.0.1', lport: 22, groups: ['staff'] };
const parse = (files: Record<string, string>) => parseSshdConfig(memorySource(files));
const main = (text: string) => parse({ '/etc/ssh/sshd_config': text });

describe('sshd_config parsing', () => {
  it('reads key value, key=value, quotes, comments and mixed case', () => {
    const p = main('# comment\n  PERMITROOTLOGIN=no\nPasswordAuthentication = "yes"  # trailing\nbanner "/etc/my banner"\n\n');
    expect(p.errors).toEqual([]);
    expect(p.directives.map((d) => [d.keyword, d.args, d.line])).toEqual([
      ['permitrootlogin', ['no'], 2],
      ['passwordauthentication', ['yes'], 3],
      ['banner', ['/etc/my banner'], 4],
    ]);
    expect(splitArgs(`a "b c" 'd' #e`)).toEqual(['a', 'b c', 'd']);
    expect(splitArgs('"open')).toBeUndefined();
  });

  it('reports unknown keywords, missing arguments and global-only keywords inside Match', () => {
    const p = main('Bogus yes\nPermitRootLogin\nMatch User x\n UsePAM yes\nMatch Frobnicate y\n');
    expect(p.errors.map((e) => e.line)).toEqual([1, 2, 4, 5]);
  });

  it('follows Include globs in lexical order, relative to /etc/ssh', () => {
    const p = parse({
      '/etc/ssh/sshd_config': 'Include sshd_config.d/*.conf\nPermitRootLogin yes\n',
      '/etc/ssh/sshd_config.d/50-b.conf': 'PermitRootLogin no\n',
      '/etc/ssh/sshd_config.d/10-a.conf': 'PermitRootLogin forced-commands-only\n',
      '/etc/ssh/sshd_config.d/README': 'not included\n',
    });
    expect(p.files).toEqual(['/etc/ssh/sshd_config', '/etc/ssh/sshd_config.d/10-a.conf', '/etc/ssh/sshd_config.d/50-b.conf']);
    const v = effectiveValue(p, 'PermitRootLogin', ctx);
    expect(v.value).toBe('forced-commands-only');
    expect(v.sources).toEqual([{ file: '/etc/ssh/sshd_config.d/10-a.conf', line: 1 }]);
  });

  it('applies an Include inside a Match block within that block, and resumes after it', () => {
    const p = parse({
      '/etc/ssh/sshd_config': 'Match User bob\n  Include /etc/ssh/bob.conf\n  X11Forwarding yes\n',
      '/etc/ssh/bob.conf': 'PermitRootLogin yes\nMatch User alice\nPasswordAuthentication no\n',
    });
    expect(p.errors).toEqual([]);
    expect(effectiveValue(p, 'PermitRootLogin', { ...ctx, user: 'bob' }).value).toBe('yes');
    expect(effectiveValue(p, 'PermitRootLogin', ctx).isDefault).toBe(true);
    // The Match inside bob.conf ends with that file: X11Forwarding belongs to `Match User bob` again.
    expect(effectiveValue(p, 'X11Forwarding', { ...ctx, user: 'bob' }).value).toBe('yes');
    expect(effectiveValue(p, 'X11Forwarding', ctx).value).toBe('no');
    // Its Match never applies, because the including block does not apply (SSHCFG_NEVERMATCH).
    expect(effectiveValue(p, 'PasswordAuthentication', ctx).value).toBe('yes');
  });
});

describe('effective values', () => {
  it('keeps the first value in the global section and in Match blocks', () => {
    const p = main(
      'PasswordAuthentication no\npasswordauthentication yes\nMatch Address 10.0.0.0/8\n PasswordAuthentication yes\n PasswordAuthentication no\nMatch User alice\n PasswordAuthentication no\n',
    );
    expect(effectiveValue(p, 'PasswordAuthentication').value).toBe('no');
    const v = effectiveValue(p, 'PasswordAuthentication', ctx);
    expect(v.value).toBe('yes');
    expect(v.sources).toEqual([{ file: '/etc/ssh/sshd_config', line: 4 }]);
    expect(v.block?.text).toBe('Address 10.0.0.0/8');
  });

  it('lets a matching Match block override a global value, and Match All apply everywhere', () => {
    const p = main('MaxAuthTries 3\nMatch User alice\n MaxAuthTries 10\nMatch all\n PermitTTY no\n');
    expect(effectiveValue(p, 'MaxAuthTries', ctx).value).toBe('10');
    expect(effectiveValue(p, 'MaxAuthTries', { ...ctx, user: 'bob' }).value).toBe('3');
    expect(effectiveValue(p, 'PermitTTY').value).toBe('no');
  });

  it('accumulates AllowUsers lines, and Match blocks replace the global list', () => {
    const p = main('AllowUsers a b\nAllowUsers c\nMatch User alice\n AllowUsers m\nMatch all\n AllowUsers z\n');
    expect(effectiveValue(p, 'AllowUsers', { ...ctx, user: 'bob' }).values).toEqual(['z']);
    expect(effectiveValue(p, 'AllowUsers', ctx).values).toEqual(['m', 'z']);
    expect(effectiveValue(main('AllowUsers a b\nAllowUsers c\n'), 'AllowUsers', ctx).values).toEqual(['a', 'b', 'c']);
  });

  it('uses OpenSSH defaults for unset keywords and folds aliases', () => {
    const e = effectiveConfig(main('ChallengeResponseAuthentication no\n'), ctx);
    expect(e.get('permitrootlogin')?.value).toBe('prohibit-password');
    expect(e.get('passwordauthentication')?.value).toBe('yes');
    expect(e.get('maxauthtries')?.value).toBe('6');
    expect(e.get('x11forwarding')?.value).toBe('no');
    expect(e.get('kbdinteractiveauthentication')?.value).toBe('no');
    expect(e.get('permitrootlogin')?.isDefault).toBe(true);
  });

  it('normalises values the way sshd -T prints them', () => {
    expect(normaliseValue('PermitRootLogin', 'without-password')).toBe('prohibit-password');
    expect(normaliseValue('AllowTcpForwarding', 'all')).toBe('yes');
    expect(normaliseValue('LogLevel', 'debug1')).toBe('DEBUG');
    expect(normaliseValue('ClientAliveInterval', '1h30m')).toBe('5400');
    expect(parseTime('1x')).toBeUndefined();
  });

  it('finds the worst value over every Match context', () => {
    const rank = ['no', 'forced-commands-only', 'prohibit-password', 'without-password', 'yes'];
    const cmp = (a: string, b: string) => rank.indexOf(normaliseValue('permitrootlogin', a)) - rank.indexOf(normaliseValue('permitrootlogin', b));
    const p = main('PermitRootLogin no\nMatch Address 192.168.0.0/16\n PermitRootLogin yes\nMatch User admin\n PermitRootLogin prohibit-password\n');
    const w = worstOverContexts(p, 'PermitRootLogin', cmp);
    expect(w.value).toBe('yes');
    expect(w.sources).toEqual([{ file: '/etc/ssh/sshd_config', line: 3 }]);
    expect(w.context !== 'global' && w.context.line).toBe(2);
    expect(worstOverContexts(main('PermitRootLogin no\n'), 'PermitRootLogin', cmp).context).toBe('global');
  });
});

describe('Match criteria', () => {
  it('needs a positive pattern: a negation alone matches nobody', () => {
    expect(matchPatternList('alice', '!root')).toBe(0);
    expect(matchPatternList('root', '!root,*')).toBe(-1);
    expect(matchPatternList('alice', '!root,*')).toBe(1);
    expect(matchPatternList('alice', 'al?ce')).toBe(1);
    const p = main('Match User !root\n PermitRootLogin yes\nMatch User *,!bob\n X11Forwarding yes\n');
    expect(effectiveValue(p, 'PermitRootLogin', ctx).isDefault).toBe(true);
    expect(effectiveValue(p, 'X11Forwarding', ctx).value).toBe('yes');
    expect(effectiveValue(p, 'X11Forwarding', { ...ctx, user: 'bob' }).value).toBe('no');
  });

  it('matches Address and LocalAddress by CIDR, address or wildcard, with negation', () => {
    expect(addrMatchList('10.1.2.3', '10.0.0.0/8')).toBe(1);
    expect(addrMatchList('10.1.2.3', '!10.1.2.3,10.0.0.0/8')).toBe(-1);
    expect(addrMatchList('2001:db8::7', '2001:db8::/32')).toBe(1);
    expect(addrMatchList('2001:db8::7', '10.0.0.0/8')).toBe(0);
    expect(addrMatchList('172.16.9.9', '172.16.*')).toBe(1);
    const p = main('Match LocalAddress 10.0.0.0/24 LocalPort 22\n AllowTcpForwarding no\n');
    expect(effectiveValue(p, 'AllowTcpForwarding', ctx).value).toBe('no');
    expect(effectiveValue(p, 'AllowTcpForwarding', { ...ctx, lport: 2222 }).value).toBe('yes');
  });

  it('matches Host case-insensitively, Group from the context, RDomain when given', () => {
    const p = main('Match Host *.EXAMPLE.com Group staff\n GatewayPorts yes\nMatch RDomain vrf*\n PermitTunnel yes\n');
    expect(effectiveValue(p, 'GatewayPorts', ctx).value).toBe('yes');
    expect(effectiveValue(p, 'GatewayPorts', { ...ctx, groups: ['users'] }).value).toBe('no');
    expect(effectiveValue(p, 'PermitTunnel', ctx).value).toBe('no');
    expect(effectiveValue(p, 'PermitTunnel', { ...ctx, rdomain: 'vrf1' }).value).toBe('yes');
  });
});
