import { describe, expect, it } from 'vitest';
import { ALL_CONNS, formatConns, intersectConns, isAllConns, NO_CONNS, portConns, unionConns } from '../../../src/engines/netpol/conns.js';
import { formatAddress, formatRange, parseCIDR, parseIP, splitSpace, subtractRanges } from '../../../src/engines/netpol/ip.js';

describe('IP parsing', () => {
  it.each([
    ['10.1.2.3', '10.1.2.3'],
    ['010.001.002.003', '10.1.2.3'],
    ['::', '::'],
    ['::1', '::1'],
    ['2001:DB8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['1:0:3:4:5:6:7:8', '1:0:3:4:5:6:7:8'],
    ['::ffff:1.2.3.4', '::ffff:102:304'],
  ])('%s reads back as %s', (text, canonical) => expect(formatAddress(parseIP(text)!)).toBe(canonical));

  it.each(['256.0.0.1', '1.2.3', '1.2.3.4.5', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::8', 'g::1', '', '1.2.3.4::'])('refuses %j', (text) => expect(parseIP(text)).toBeUndefined());

  it('reads CIDRs of both families and masks host bits', () => {
    expect(formatRange(parseCIDR('10.1.2.3/16')!)).toBe('10.1.0.0-10.1.255.255');
    expect(formatRange(parseCIDR('0.0.0.0/0')!)).toBe('0.0.0.0-255.255.255.255');
    expect(formatRange(parseCIDR('1.2.3.4/32')!)).toBe('1.2.3.4-1.2.3.4');
    expect(formatRange(parseCIDR('2001:db8::/32')!)).toBe('2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff');
    expect(parseCIDR('10.0.0.0/33')).toBeUndefined();
    expect(parseCIDR('::/129')).toBeUndefined();
    expect(parseCIDR('10.0.0.0')).toBeUndefined();
    expect(parseCIDR('10.0.0.0/')).toBeUndefined();
  });

  it('subtracts excepts and splits the space at every boundary', () => {
    const cidr = parseCIDR('10.0.0.0/8')!;
    const parts = subtractRanges(cidr, [parseCIDR('10.1.0.0/16')!, parseCIDR('10.255.0.0/16')!]);
    expect(parts.map(formatRange)).toEqual(['10.0.0.0-10.0.255.255', '10.2.0.0-10.254.255.255']);
    expect(splitSpace(4, parts).map(formatRange)).toEqual(['0.0.0.0-9.255.255.255', '10.0.0.0-10.0.255.255', '10.1.0.0-10.1.255.255', '10.2.0.0-10.254.255.255', '10.255.0.0-255.255.255.255']);
    expect(splitSpace(4, []).map(formatRange)).toEqual(['0.0.0.0-255.255.255.255']);
    expect(splitSpace(6, [parseCIDR('::/1')!]).map(formatRange)).toEqual(['::-7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '8000::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff']);
  });
});

describe('connection sets', () => {
  it('formats as netpol-analyzer does', () => {
    expect(formatConns(ALL_CONNS)).toBe('All Connections');
    expect(formatConns(unionConns(portConns('UDP', 53, 53), portConns('TCP', 80, 80)))).toBe('TCP 80,UDP 53');
    expect(formatConns(unionConns(portConns('TCP', 80, 90), portConns('TCP', 443, 443)))).toBe('TCP 80-90,443');
    expect(formatConns(unionConns(portConns('TCP', 80, 90), portConns('TCP', 91, 95)))).toBe('TCP 80-95');
    const allButTcp80 = unionConns(unionConns(portConns('UDP'), portConns('SCTP')), unionConns(portConns('TCP', 1, 79), portConns('TCP', 81, 65535)));
    expect(formatConns(allButTcp80)).toBe('SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535');
    expect(formatConns(NO_CONNS)).toBe('');
  });

  it('intersects and recognises the full set', () => {
    expect(formatConns(intersectConns(portConns('TCP', 1, 100), unionConns(portConns('TCP', 50, 200), portConns('UDP'))))).toBe('TCP 50-100');
    expect(isAllConns(unionConns(unionConns(portConns('TCP'), portConns('UDP')), portConns('SCTP')))).toBe(true);
    expect(formatConns(intersectConns(ALL_CONNS, portConns('SCTP', 9, 9)))).toBe('SCTP 9');
  });
});
