import { describe, expect, it } from 'vitest';
import { explain, type Verdict } from '../../../src/engines/netpol/evaluate.js';
import { findPod, type ModelOptions } from '../../../src/engines/netpol/model.js';
import type { Endpoint, PodEndpoint } from '../../../src/engines/netpol/types.js';
import { model, np, ns, pod } from './fixtures.js';

/*
 * One small world for every case: namespace `a` (team=a, env=prod), `b` (team=b, env=dev), `c`
 * (no labels of its own). a/db serves named ports pg (TCP 5432), dns (UDP 53), stats (SCTP 9000).
 */
const NAMESPACES = [ns('a', { team: 'a', env: 'prod' }), ns('b', { team: 'b', env: 'dev' }), ns('c')];
const PODS: PodEndpoint[] = [
  pod('a/web', { app: 'web' }, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }]),
  pod('a/db', { app: 'db' }, [
    { name: 'pg', containerPort: 5432, protocol: 'TCP' },
    { name: 'dns', containerPort: 53, protocol: 'UDP' },
    { name: 'stats', containerPort: 9000, protocol: 'SCTP' },
  ]),
  pod('b/client', { app: 'client' }),
  pod('b/web', { app: 'web' }, [{ name: 'http', containerPort: 80, protocol: 'TCP' }]),
  pod('c/x', { app: 'x' }),
  pod('a/known', { app: 'known' }, [], { ips: ['10.1.2.3'] }),
  pod('a/node-agent', { app: 'agent' }, [], { hostNetwork: true }),
];

type Conn = [src: string, dst: string, port: number, protocol?: string];
interface Case {
  name: string;
  policies: unknown[];
  conns: [Conn, Verdict][];
  options?: ModelOptions;
}

const ing = (ref: string, podSelector: unknown, ingress?: unknown, extra: Record<string, unknown> = {}) =>
  np(ref, { podSelector, ...(ingress === undefined ? {} : { ingress }), ...extra });
const egr = (ref: string, podSelector: unknown, egress: unknown, extra: Record<string, unknown> = {}) =>
  np(ref, { podSelector, egress, policyTypes: ['Egress'], ...extra });
const DB = { matchLabels: { app: 'db' } };

const CASES: Case[] = [
  // policyTypes defaulting
  {
    name: 'no policyTypes and no egress: isolates Ingress only',
    policies: [np('a/p', { podSelector: DB })],
    conns: [[['a/web', 'a/db', 5432], 'denied'], [['a/db', 'c/x', 1], 'allowed']],
  },
  {
    name: 'no policyTypes with egress rules: isolates Ingress and Egress',
    policies: [np('a/p', { podSelector: DB, egress: [{ to: [{ podSelector: { matchLabels: { app: 'web' } } }] }] })],
    conns: [[['a/db', 'a/web', 8080], 'allowed'], [['a/db', 'c/x', 1], 'denied'], [['a/web', 'a/db', 5432], 'denied']],
  },
  {
    name: 'no policyTypes with `egress: []`: Ingress only',
    policies: [np('a/p', { podSelector: DB, egress: [] })],
    conns: [[['a/db', 'c/x', 1], 'allowed'], [['a/web', 'a/db', 5432], 'denied']],
  },
  {
    name: 'explicit policyTypes [Egress] leaves ingress open even with ingress rules written',
    policies: [np('a/p', { podSelector: DB, policyTypes: ['Egress'], ingress: [{ from: [{ podSelector: {} }] }] })],
    conns: [[['c/x', 'a/db', 5432], 'allowed'], [['a/db', 'a/web', 8080], 'denied']],
  },
  {
    name: 'explicit policyTypes [Ingress] ignores egress rules',
    policies: [np('a/p', { podSelector: DB, policyTypes: ['Ingress'], ingress: [{}], egress: [{ to: [{ podSelector: {} }] }] })],
    conns: [[['a/db', 'c/x', 1], 'allowed'], [['c/x', 'a/db', 1], 'allowed']],
  },
  {
    name: 'explicit policyTypes [Ingress, Egress] with no rules isolates both',
    policies: [np('a/p', { podSelector: DB, policyTypes: ['Ingress', 'Egress'] })],
    conns: [[['a/db', 'a/web', 8080], 'denied'], [['a/web', 'a/db', 5432], 'denied'], [['a/web', 'c/x', 1], 'allowed']],
  },
  // isolation
  {
    name: 'no policy: everything allowed',
    policies: [],
    conns: [[['a/web', 'a/db', 5432], 'allowed'], [['c/x', 'b/web', 80, 'UDP'], 'allowed'], [['a/db', '8.8.8.8', 53, 'UDP'], 'allowed']],
  },
  {
    name: 'podSelector {} isolates every pod of its namespace, and only of its namespace',
    policies: [ing('a/deny', {})],
    conns: [[['b/client', 'a/web', 8080], 'denied'], [['b/client', 'a/db', 5432], 'denied'], [['a/web', 'b/web', 80], 'allowed'], [['c/x', 'b/web', 80], 'allowed']],
  },
  {
    name: 'a missing podSelector selects every pod of the namespace',
    policies: [np('a/deny', {})],
    conns: [[['b/client', 'a/web', 8080], 'denied'], [['b/client', 'b/web', 80], 'allowed']],
  },
  {
    name: 'a pod the selector does not select stays open',
    policies: [ing('a/p', DB)],
    conns: [[['b/client', 'a/web', 8080], 'allowed'], [['b/client', 'a/db', 5432], 'denied']],
  },
  {
    name: 'isolation is per direction: egress isolation does not close ingress',
    policies: [egr('a/p', DB, [])],
    conns: [[['b/client', 'a/db', 5432], 'allowed'], [['a/db', 'b/client', 1], 'denied']],
  },
  {
    name: 'a connection needs egress at the source and ingress at the destination',
    policies: [egr('b/out', {}, [{ to: [{ namespaceSelector: {} }] }]), ing('a/in', DB, [{ from: [{ namespaceSelector: { matchLabels: { team: 'c' } } }] }])],
    conns: [[['b/client', 'a/db', 5432], 'denied'], [['b/client', 'a/web', 8080], 'allowed'], [['b/client', '1.1.1.1', 443], 'denied']],
  },
  // additivity
  {
    name: 'policies are additive: the union of their allows',
    policies: [
      ing('a/one', DB, [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }] }]),
      ing('a/two', DB, [{ from: [{ namespaceSelector: { matchLabels: { team: 'b' } } }], ports: [{ port: 53, protocol: 'UDP' }] }]),
      ing('a/deny', {}),
    ],
    conns: [[['a/web', 'a/db', 5432], 'allowed'], [['b/client', 'a/db', 53, 'UDP'], 'allowed'], [['b/client', 'a/db', 5432], 'denied'], [['a/web', 'a/db', 53, 'UDP'], 'denied']],
  },
  // rules
  {
    name: 'Ingress type with `ingress` missing allows no ingress',
    policies: [np('a/p', { podSelector: DB, policyTypes: ['Ingress'] })],
    conns: [[['a/web', 'a/db', 5432], 'denied'], [['1.2.3.4', 'a/db', 5432], 'denied']],
  },
  {
    name: '`ingress: []` allows no ingress',
    policies: [ing('a/p', DB, [])],
    conns: [[['a/web', 'a/db', 5432], 'denied']],
  },
  {
    name: 'a rule `{}` allows everything: pods of any namespace and any IP, any port',
    policies: [ing('a/p', DB, [{}])],
    conns: [[['c/x', 'a/db', 1, 'SCTP'], 'allowed'], [['203.0.113.9', 'a/db', 5432], 'allowed'], [['2001:db8::1', 'a/db', 5432], 'allowed']],
  },
  {
    name: '`from: []` matches every source; ports still apply',
    policies: [ing('a/p', DB, [{ from: [], ports: [{ port: 5432 }] }])],
    conns: [[['c/x', 'a/db', 5432], 'allowed'], [['8.8.8.8', 'a/db', 5432], 'allowed'], [['c/x', 'a/db', 5433], 'denied']],
  },
  {
    name: '`ports: []` and missing ports match every port and protocol',
    policies: [ing('a/p', DB, [{ from: [{ podSelector: {} }], ports: [] }])],
    conns: [[['a/web', 'a/db', 1, 'UDP'], 'allowed'], [['a/web', 'a/db', 65535, 'SCTP'], 'allowed'], [['b/client', 'a/db', 1], 'denied']],
  },
  {
    name: 'egress `to` missing matches every destination, IPs included',
    policies: [egr('a/p', DB, [{ ports: [{ port: 443 }] }])],
    conns: [[['a/db', '1.1.1.1', 443], 'allowed'], [['a/db', 'b/web', 443], 'allowed'], [['a/db', 'b/web', 80], 'denied']],
  },
  // peers
  {
    name: 'podSelector alone picks pods of the policy namespace only',
    policies: [ing('a/p', DB, [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }])],
    conns: [[['a/web', 'a/db', 5432], 'allowed'], [['b/web', 'a/db', 5432], 'denied'], [['8.8.8.8', 'a/db', 5432], 'denied']],
  },
  {
    name: 'podSelector {} alone picks every pod of the policy namespace',
    policies: [ing('a/p', DB, [{ from: [{ podSelector: {} }] }])],
    conns: [[['a/web', 'a/db', 5432], 'allowed'], [['b/client', 'a/db', 5432], 'denied']],
  },
  {
    name: 'namespaceSelector alone picks all pods of matching namespaces',
    policies: [ing('a/p', DB, [{ from: [{ namespaceSelector: { matchLabels: { env: 'dev' } } }] }])],
    conns: [[['b/client', 'a/db', 5432], 'allowed'], [['b/web', 'a/db', 5432], 'allowed'], [['a/web', 'a/db', 5432], 'denied'], [['c/x', 'a/db', 5432], 'denied']],
  },
  {
    name: 'namespaceSelector {} picks pods of all namespaces, but no IP',
    policies: [ing('a/p', DB, [{ from: [{ namespaceSelector: {} }] }])],
    conns: [[['c/x', 'a/db', 5432], 'allowed'], [['a/web', 'a/db', 5432], 'allowed'], [['10.0.0.1', 'a/db', 5432], 'denied']],
  },
  {
    name: 'namespaceSelector and podSelector in one peer are ANDed',
    policies: [ing('a/p', DB, [{ from: [{ namespaceSelector: { matchLabels: { team: 'b' } }, podSelector: { matchLabels: { app: 'web' } } }] }])],
    conns: [[['b/web', 'a/db', 5432], 'allowed'], [['b/client', 'a/db', 5432], 'denied'], [['a/web', 'a/db', 5432], 'denied']],
  },
  {
    name: 'separate peers are ORed',
    policies: [ing('a/p', DB, [{ from: [{ namespaceSelector: { matchLabels: { team: 'b' } } }, { podSelector: { matchLabels: { app: 'web' } } }] }])],
    conns: [[['b/client', 'a/db', 5432], 'allowed'], [['a/web', 'a/db', 5432], 'allowed'], [['c/x', 'a/db', 5432], 'denied']],
  },
  {
    name: 'matchExpressions in selectors (NotIn selects pods without the label)',
    policies: [ing('a/p', DB, [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] } }] }])],
    conns: [[['b/client', 'a/db', 5432], 'allowed'], [['c/x', 'a/db', 5432], 'allowed'], [['a/web', 'a/db', 5432], 'denied']],
  },
  {
    name: 'every namespace carries kubernetes.io/metadata.name',
    policies: [ing('a/p', DB, [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'c' } } }] }])],
    conns: [[['c/x', 'a/db', 5432], 'allowed'], [['b/client', 'a/db', 5432], 'denied']],
  },
  {
    name: 'a namespace known only from its pods still carries its name label',
    policies: [ing('a/p', DB, [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ghost' } } }] }])],
    conns: [[['ghost/p', 'a/db', 5432], 'allowed']],
  },
  {
    name: 'ipBlock with except (IPv4)',
    policies: [ing('a/p', DB, [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }])],
    conns: [[['10.2.3.4', 'a/db', 5432], 'allowed'], [['10.1.3.4', 'a/db', 5432], 'denied'], [['11.0.0.1', 'a/db', 5432], 'denied']],
  },
  {
    name: 'ipBlock with except (IPv6)',
    policies: [egr('a/p', DB, [{ to: [{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:ff::/48'] } }] }])],
    conns: [[['a/db', '2001:db8:1::5', 443], 'allowed'], [['a/db', '2001:db8:ff::5', 443], 'denied'], [['a/db', '10.0.0.1', 443], 'denied']],
  },
  {
    name: 'ipBlock 0.0.0.0/0 matches no IPv6 address',
    policies: [egr('a/p', DB, [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }])],
    conns: [[['a/db', '192.0.2.1', 1], 'allowed'], [['a/db', '::1', 1], 'denied']],
  },
  {
    name: 'by default ipBlocks do not match pods, even pods with known IPs',
    policies: [ing('a/p', DB, [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }])],
    conns: [[['a/known', 'a/db', 5432], 'denied'], [['10.1.2.3', 'a/db', 5432], 'allowed']],
  },
  {
    name: 'with ipBlocksMatchPodIPs, ipBlocks match pods with known IPs only',
    options: { ipBlocksMatchPodIPs: true },
    policies: [ing('a/p', DB, [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }]), egr('a/q', { matchLabels: { app: 'web' } }, [{ to: [{ ipBlock: { cidr: '10.1.0.0/16' } }] }])],
    conns: [[['a/known', 'a/db', 5432], 'allowed'], [['a/web', 'a/db', 5432], 'denied'], [['a/web', 'a/known', 1], 'allowed'], [['a/web', 'a/db', 1], 'denied']],
  },
  // ports
  {
    name: 'protocol defaults to TCP',
    policies: [ing('a/p', DB, [{ ports: [{ port: 53 }] }])],
    conns: [[['a/web', 'a/db', 53], 'allowed'], [['a/web', 'a/db', 53, 'UDP'], 'denied']],
  },
  {
    name: 'UDP and SCTP ports',
    policies: [ing('a/p', DB, [{ ports: [{ port: 53, protocol: 'UDP' }, { port: 9000, protocol: 'SCTP' }] }])],
    conns: [[['a/web', 'a/db', 53, 'UDP'], 'allowed'], [['a/web', 'a/db', 9000, 'SCTP'], 'allowed'], [['a/web', 'a/db', 9000], 'denied'], [['a/web', 'a/db', 53], 'denied']],
  },
  {
    name: 'endPort makes a range port..endPort',
    policies: [ing('a/p', DB, [{ ports: [{ port: 8000, endPort: 8010 }] }])],
    conns: [[['a/web', 'a/db', 8000], 'allowed'], [['a/web', 'a/db', 8010], 'allowed'], [['a/web', 'a/db', 8011], 'denied'], [['a/web', 'a/db', 7999], 'denied'], [['a/web', 'a/db', 8005, 'UDP'], 'denied']],
  },
  {
    name: 'a port entry with only a protocol matches every port of that protocol',
    policies: [ing('a/p', DB, [{ ports: [{ protocol: 'UDP' }] }])],
    conns: [[['a/web', 'a/db', 1, 'UDP'], 'allowed'], [['a/web', 'a/db', 65535, 'UDP'], 'allowed'], [['a/web', 'a/db', 1], 'denied']],
  },
  {
    name: 'an empty port entry `{}` means every TCP port',
    policies: [ing('a/p', DB, [{ ports: [{}] }])],
    conns: [[['a/web', 'a/db', 12345], 'allowed'], [['a/web', 'a/db', 53, 'UDP'], 'denied']],
  },
  {
    name: 'named ports resolve on the destination pod, name and protocol both',
    policies: [ing('a/p', DB, [{ ports: [{ port: 'pg' }, { port: 'dns', protocol: 'UDP' }, { port: 'stats' }] }])],
    conns: [[['a/web', 'a/db', 5432], 'allowed'], [['a/web', 'a/db', 53, 'UDP'], 'allowed'], [['a/web', 'a/db', 9000, 'SCTP'], 'denied'], [['a/web', 'a/db', 9000], 'denied'], [['a/web', 'a/db', 5433], 'denied']],
  },
  {
    name: 'a named port the destination pod does not define allows nothing',
    policies: [ing('a/p', {}, [{ ports: [{ port: 'pg' }] }])],
    conns: [[['a/db', 'a/web', 5432], 'denied'], [['a/db', 'a/web', 8080], 'denied'], [['a/web', 'a/db', 5432], 'allowed']],
  },
  {
    name: 'egress named ports resolve on the destination pod, not the source',
    policies: [egr('a/p', { matchLabels: { app: 'web' } }, [{ ports: [{ port: 'pg' }, { port: 'http' }] }])],
    conns: [[['a/web', 'a/db', 5432], 'allowed'], [['a/web', 'b/web', 80], 'allowed'], [['a/web', 'b/web', 8080], 'denied'], [['a/web', 'c/x', 8080], 'denied']],
  },
  {
    name: 'an egress named port to an IP address matches nothing',
    policies: [egr('a/p', DB, [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 'pg' }] }])],
    conns: [[['a/db', '1.2.3.4', 5432], 'denied']],
  },
  // invalid policies are left out, not guessed at
  {
    name: 'an invalid policy does not isolate anything',
    policies: [ing('a/bad', {}, [{ from: [{}] }])],
    conns: [[['c/x', 'a/db', 5432], 'allowed']],
  },
  // host network
  {
    name: 'host-network pods: undefined, never denied, whichever end',
    policies: [ing('a/deny', {}), egr('a/deny-out', {}, [])],
    conns: [[['a/node-agent', 'a/db', 5432], 'undefined'], [['a/web', 'a/node-agent', 10250], 'undefined'], [['a/node-agent', '1.1.1.1', 53, 'UDP'], 'undefined']],
  },
];

function endpoint(m: ReturnType<typeof model>, ref: string): Endpoint {
  if (!ref.includes('/')) return { ip: ref };
  return findPod(m, ref) ?? pod(ref);
}

describe('NetworkPolicy connection verdicts', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const m = model(PODS, c.policies, NAMESPACES, c.options);
      const got = c.conns.map(([[s, d, port, proto]]) => `${s} -> ${d} ${proto ?? 'TCP'}/${port}: ${explain(m, endpoint(m, s), endpoint(m, d), port, proto).verdict}`);
      const want = c.conns.map(([[s, d, port, proto], v]) => `${s} -> ${d} ${proto ?? 'TCP'}/${port}: ${v}`);
      expect(got).toEqual(want);
    });
  }
});

describe('explanations', () => {
  it('names the isolating policies and the allowing rules', () => {
    const m = model(PODS, [ing('a/deny', {}), ing('a/web-to-db', DB, [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }] }, { from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'pg' }] }])], NAMESPACES);
    const r = explain(m, findPod(m, 'a/web')!, findPod(m, 'a/db')!, 5432);
    expect(r.verdict).toBe('allowed');
    expect(r.egress).toMatchObject({ governed: true, isolated: false, allowed: true });
    expect(r.ingress).toEqual({ governed: true, isolated: true, isolatedBy: ['a/deny', 'a/web-to-db'], allowedBy: [{ policy: 'a/web-to-db', ruleIndex: 1 }], allowed: true });
    expect(r.reason).toContain('a/web-to-db ingress[1]');
    const denied = explain(m, findPod(m, 'a/web')!, findPod(m, 'a/db')!, 5433);
    expect(denied.verdict).toBe('denied');
    expect(denied.reason).toMatch(/isolated by a\/deny, a\/web-to-db and no rule allows it/);
  });

  it('marks a host-network connection undefined with neither side isolated', () => {
    const m = model(PODS, [ing('a/deny', {})], NAMESPACES);
    const r = explain(m, findPod(m, 'a/web')!, findPod(m, 'a/node-agent')!, 80);
    expect(r).toMatchObject({ verdict: 'undefined', ingress: { isolated: false }, egress: { isolated: false } });
    expect(r.reason).toContain('host network');
  });

  it('treats an address as ungoverned and refuses a malformed one', () => {
    const m = model(PODS, [egr('a/p', DB, [])], NAMESPACES);
    const r = explain(m, { ip: '1.2.3.4' }, findPod(m, 'a/db')!, 80);
    expect(r.egress.governed).toBe(false);
    expect(r.verdict).toBe('allowed');
    expect(() => explain(m, { ip: 'nope' }, findPod(m, 'a/db')!, 80)).toThrow(/not an IP/);
    expect(() => explain(m, findPod(m, 'a/db')!, findPod(m, 'a/web')!, 80, 'ICMP')).toThrow(/ICMP/);
    expect(() => explain(m, findPod(m, 'a/db')!, findPod(m, 'a/web')!, 0)).toThrow(/not a port number/);
  });
});
