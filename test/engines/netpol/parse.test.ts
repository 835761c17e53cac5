import { describe, expect, it } from 'vitest';
import { isPortName, parseNetworkPolicy } from '../../../src/engines/netpol/parse.js';
import { model, np, pod } from './fixtures.js';

const spec = (s: Record<string, unknown>) => np('shop/p', s);
const from = (...peers: unknown[]) => ({ podSelector: {}, ingress: [{ from: peers }] });
const ports = (...ps: unknown[]) => ({ podSelector: {}, ingress: [{ ports: ps }] });

describe('policyTypes defaulting', () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['nothing written', {}, ['Ingress']],
    ['ingress rules only', { ingress: [{}] }, ['Ingress']],
    ['egress rules', { egress: [{}] }, ['Ingress', 'Egress']],
    ['`egress: []`', { egress: [] }, ['Ingress']],
    ['`egress: null`', { egress: null }, ['Ingress']],
    ['`policyTypes: []` defaults too', { policyTypes: [], egress: [{}] }, ['Ingress', 'Egress']],
    ['explicit Egress only', { policyTypes: ['Egress'] }, ['Egress']],
    ['explicit Ingress with egress rules', { policyTypes: ['Ingress'], egress: [{}] }, ['Ingress']],
    ['explicit both, no rules', { policyTypes: ['Ingress', 'Egress'] }, ['Ingress', 'Egress']],
  ];
  for (const [name, s, want] of cases) {
    it(name, () => expect(parseNetworkPolicy(spec(s)).policy?.types).toEqual(want));
  }
});

describe('normalisation', () => {
  it('applies defaults: TCP, `any` peers and ports, namespace of the object or the fallback', () => {
    const r = parseNetworkPolicy(
      { kind: 'NetworkPolicy', metadata: { name: 'p' }, spec: { ingress: [null, { from: [], ports: [] }, { ports: [{ port: 80 }, null, { protocol: 'UDP' }, { port: 'web', protocol: 'SCTP' }, { port: 1, endPort: 5 }] }] } },
      'fallback',
    );
    expect(r.policy).toMatchObject({
      namespace: 'fallback',
      id: 'fallback/p',
      podSelector: [],
      ingress: [
        { index: 0, peers: 'any', ports: 'any' },
        { index: 1, peers: 'any', ports: 'any' },
        {
          index: 2,
          peers: 'any',
          ports: [
            { kind: 'range', protocol: 'TCP', from: 80, to: 80 },
            { kind: 'all', protocol: 'TCP' },
            { kind: 'all', protocol: 'UDP' },
            { kind: 'named', protocol: 'SCTP', name: 'web' },
            { kind: 'range', protocol: 'TCP', from: 1, to: 5 },
          ],
        },
      ],
      egress: [],
    });
  });

  it('turns an ipBlock into ranges with the excepts cut out, masking host bits', () => {
    const p = parseNetworkPolicy(spec(from({ ipBlock: { cidr: '10.0.0.7/8', except: ['10.0.0.0/9'] } }))).policy!;
    const peer = (p.ingress[0]!.peers as { kind: string; ranges: { start: bigint; end: bigint }[] }[])[0]!;
    expect(peer.kind).toBe('ipBlock');
    expect(peer.ranges).toEqual([{ family: 4, start: 0x0a800000n, end: 0x0affffffn }]);
  });

  it('keeps podSelector and namespaceSelector of one peer together', () => {
    const p = parseNetworkPolicy(spec(from({ podSelector: { matchLabels: { a: 'b' } }, namespaceSelector: {} }))).policy!;
    expect(p.ingress[0]!.peers).toEqual([{ kind: 'pods', path: 'spec.ingress[0].from[0]', namespaceSelector: [], podSelector: [{ key: 'a', operator: 'In', values: ['b'] }] }]);
  });
});

describe('invalid policies are reported with the field path', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['a peer with no selector and no ipBlock', from({ podSelector: {} }, {}), /^spec\.ingress\[0\]\.from\[1\]: must specify a peer/],
    ['a null peer', { podSelector: {}, egress: [{ to: [null] }] }, /^spec\.egress\[0\]\.to\[0\]: must specify a peer/],
    ['ipBlock beside podSelector', from({ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }), /^spec\.ingress\[0\]\.from\[0\]: may not specify both ipBlock and another peer/],
    ['ipBlock beside namespaceSelector', from({ ipBlock: { cidr: '10.0.0.0/8' }, namespaceSelector: {} }), /from\[0\]: may not specify both/],
    ['endPort without port', ports({ endPort: 90 }), /^spec\.ingress\[0\]\.ports\[0\]\.endPort: may not be set without port/],
    ['endPort with a named port', ports({ port: 'http', endPort: 90 }), /ports\[0\]\.endPort: may not be set with a named port/],
    ['endPort below port', ports({ port: 90, endPort: 80 }), /ports\[0\]\.endPort: 80 must be greater than or equal to port 90/],
    ['endPort out of range', ports({ port: 90, endPort: 70000 }), /ports\[0\]\.endPort: 70000/],
    ['port 0', ports({ port: 0 }), /ports\[0\]\.port: 0 must be a port number/],
    ['port above 65535', ports({ port: 65536 }), /ports\[0\]\.port: 65536/],
    ['a port name that is not IANA_SVC_NAME', ports({ port: 'Has_Upper' }), /ports\[0\]\.port: "Has_Upper" is neither/],
    ['a numeric string port', ports({ port: '80' }), /ports\[0\]\.port: "80" is neither/],
    ['an unknown protocol', ports({ port: 80, protocol: 'ICMP' }), /ports\[0\]\.protocol: "ICMP" is not a supported protocol/],
    ['a lower-case protocol', ports({ port: 80, protocol: 'tcp' }), /protocol: "tcp"/],
    ['an invalid CIDR', from({ ipBlock: { cidr: '10.0.0.0/33' } }), /^spec\.ingress\[0\]\.from\[0\]\.ipBlock\.cidr: "10\.0\.0\.0\/33" is not a valid CIDR/],
    ['a bare IP as CIDR', from({ ipBlock: { cidr: '10.0.0.1' } }), /ipBlock\.cidr: "10\.0\.0\.1" is not a valid CIDR/],
    ['a missing cidr', from({ ipBlock: {} }), /ipBlock\.cidr: is required/],
    ['an except outside the cidr', from({ ipBlock: { cidr: '10.0.0.0/8', except: ['11.0.0.0/16'] } }), /ipBlock\.except\[0\]: "11\.0\.0\.0\/16" must be a strict subset/],
    ['an except equal to the cidr', from({ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/8'] } }), /except\[0\]: .* strict subset/],
    ['an except of the other family', from({ ipBlock: { cidr: '10.0.0.0/8', except: ['fd00::/64'] } }), /except\[0\]: .* strict subset/],
    ['an invalid except', from({ ipBlock: { cidr: 'fd00::/8', except: ['fd00::/129'] } }), /except\[0\]: "fd00::\/129" is not a valid CIDR/],
    ['an invalid policy podSelector', { podSelector: { matchExpressions: [{ key: 'a', operator: 'Is' }] } }, /^spec\.podSelector: invalid label selector/],
    ['an invalid peer podSelector', from({ podSelector: { matchExpressions: [{ key: 'a', operator: 'In' }] } }), /^spec\.ingress\[0\]\.from\[0\]\.podSelector: invalid label selector: .*needs at least one value/],
    ['an invalid namespaceSelector', { podSelector: {}, egress: [{ to: [{ namespaceSelector: { matchLabels: 'x' } }] }] }, /^spec\.egress\[0\]\.to\[0\]\.namespaceSelector: invalid label selector/],
    ['an unknown policyType', { policyTypes: ['Ingress', 'Sideways'] }, /^spec\.policyTypes\[1\]: "Sideways" is not Ingress or Egress/],
    ['rules that are not a list', { ingress: { from: [] } }, /^spec\.ingress: must be a list/],
  ];
  for (const [name, s, want] of cases) {
    it(name, () => {
      const r = parseNetworkPolicy(spec(s));
      expect(r.policy).toBeUndefined();
      expect(r.errors?.join('\n')).toMatch(want);
    });
  }

  it('collects every error, and the model lists the policy with a one-line reason', () => {
    const bad = spec({ ingress: [{ from: [{}], ports: [{ port: 'x', endPort: 3 }] }] });
    const m = model([pod('shop/a')], [bad, spec({})]);
    expect(m.policies).toHaveLength(1);
    expect(m.invalid).toEqual([
      {
        kind: 'NetworkPolicy',
        namespace: 'shop',
        name: 'p',
        errors: ['spec.ingress[0].from[0]: must specify a peer (podSelector, namespaceSelector or ipBlock)', 'spec.ingress[0].ports[0].endPort: may not be set with a named port'],
        reason: 'spec.ingress[0].from[0]: must specify a peer (podSelector, namespaceSelector or ipBlock); spec.ingress[0].ports[0].endPort: may not be set with a named port',
      },
    ]);
  });

  it('refuses an object that is not a NetworkPolicy', () => {
    expect(parseNetworkPolicy({ kind: 'Pod', metadata: { name: 'x' } }).errors).toEqual(['kind: "Pod" is not NetworkPolicy']);
  });
});

describe('port names', () => {
  it.each([
    ['http', true],
    ['h2c-web', true],
    ['a1', true],
    ['123', false],
    ['-http', false],
    ['http-', false],
    ['ht--tp', false],
    ['Http', false],
    ['sixteen-chars-xx', false],
  ])('%s: %s', (name, ok) => expect(isPortName(name)).toBe(ok));
});
