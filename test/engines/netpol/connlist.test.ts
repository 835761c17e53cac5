import { describe, expect, it } from 'vitest';
import { connectionList, formatConnList } from '../../../src/engines/netpol/connlist.js';
import { ALL_CONNS, formatConns, intersectConns, isEmptyConns, NO_CONNS, unionConns, type ConnSet } from '../../../src/engines/netpol/conns.js';
import { combineTiers } from '../../../src/engines/netpol/admin.js';
import { appliedAdminRules, explain } from '../../../src/engines/netpol/evaluate.js';
import { formatRange, parseIP, splitSpace } from '../../../src/engines/netpol/ip.js';
import { policySelects, ruleConns, ruleMatchesPeer, type PeerEndpoint } from '../../../src/engines/netpol/match.js';
import { labelsOfNamespace, type NetpolModel } from '../../../src/engines/netpol/model.js';
import { endpointName, type PodEndpoint } from '../../../src/engines/netpol/types.js';
import { chance, mulberry32, pick, type Rand } from '../../helpers/random.js';
import { model, np, ns, pod } from './fixtures.js';

const dep = (ref: string, labels: Record<string, string> = {}, ports: PodEndpoint['ports'] = [], extra: Partial<PodEndpoint> = {}) => ({ ...pod(ref, labels, ports, extra), kind: 'Deployment' });

describe('connection list format', () => {
  it('lists everything between workloads and the whole IPv4 space when nothing is isolated', () => {
    // The shape of netpol-analyzer's docs/connlist_output.md example (its ingress-controller lines aside).
    const m = model([dep('helloworld/hello-world'), dep('ingressworld/ingress-world'), dep('routeworld/route-world')], []);
    expect(formatConnList(connectionList(m))).toBe(`0.0.0.0-255.255.255.255 => helloworld/hello-world[Deployment] : All Connections
0.0.0.0-255.255.255.255 => ingressworld/ingress-world[Deployment] : All Connections
0.0.0.0-255.255.255.255 => routeworld/route-world[Deployment] : All Connections
helloworld/hello-world[Deployment] => 0.0.0.0-255.255.255.255 : All Connections
helloworld/hello-world[Deployment] => ingressworld/ingress-world[Deployment] : All Connections
helloworld/hello-world[Deployment] => routeworld/route-world[Deployment] : All Connections
ingressworld/ingress-world[Deployment] => 0.0.0.0-255.255.255.255 : All Connections
ingressworld/ingress-world[Deployment] => helloworld/hello-world[Deployment] : All Connections
ingressworld/ingress-world[Deployment] => routeworld/route-world[Deployment] : All Connections
routeworld/route-world[Deployment] => 0.0.0.0-255.255.255.255 : All Connections
routeworld/route-world[Deployment] => helloworld/hello-world[Deployment] : All Connections
routeworld/route-world[Deployment] => ingressworld/ingress-world[Deployment] : All Connections
`);
  });

  it('cuts the external space at every ipBlock boundary and sorts by source, then destination', () => {
    const m = model(
      [dep('ns1/pod1', { app: 'a' }), dep('ns2/pod1', { app: 'b' })],
      [
        np('ns1/p', {
          podSelector: {},
          policyTypes: ['Ingress', 'Egress'],
          ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 80 }] }],
          egress: [{ to: [{ namespaceSelector: {} }] }, { to: [{ ipBlock: { cidr: '8.8.8.8/32' } }], ports: [{ port: 53, protocol: 'UDP' }] }],
        }),
      ],
    );
    expect(connectionList(m).lines).toEqual([
      '0.0.0.0-8.8.8.7 => ns2/pod1[Deployment] : All Connections',
      '10.0.0.0-10.0.255.255 => ns1/pod1[Deployment] : TCP 80',
      '10.0.0.0-10.0.255.255 => ns2/pod1[Deployment] : All Connections',
      '10.1.0.0-10.1.255.255 => ns2/pod1[Deployment] : All Connections',
      '10.2.0.0-10.255.255.255 => ns1/pod1[Deployment] : TCP 80',
      '10.2.0.0-10.255.255.255 => ns2/pod1[Deployment] : All Connections',
      '11.0.0.0-255.255.255.255 => ns2/pod1[Deployment] : All Connections',
      '8.8.8.8-8.8.8.8 => ns2/pod1[Deployment] : All Connections',
      '8.8.8.9-9.255.255.255 => ns2/pod1[Deployment] : All Connections',
      'ns1/pod1[Deployment] => 8.8.8.8-8.8.8.8 : UDP 53',
      'ns1/pod1[Deployment] => ns2/pod1[Deployment] : All Connections',
      'ns2/pod1[Deployment] => 0.0.0.0-8.8.8.7 : All Connections',
      'ns2/pod1[Deployment] => 10.0.0.0-10.0.255.255 : All Connections',
      'ns2/pod1[Deployment] => 10.1.0.0-10.1.255.255 : All Connections',
      'ns2/pod1[Deployment] => 10.2.0.0-10.255.255.255 : All Connections',
      'ns2/pod1[Deployment] => 11.0.0.0-255.255.255.255 : All Connections',
      'ns2/pod1[Deployment] => 8.8.8.8-8.8.8.8 : All Connections',
      'ns2/pod1[Deployment] => 8.8.8.9-9.255.255.255 : All Connections',
    ]);
  });

  it('writes ports as protocol-sorted ranges, omits self-connections, sets host-network pods aside', () => {
    const m = model(
      [dep('x/a', { app: 'a' }), dep('x/b', { app: 'a' }, [{ name: 'web', containerPort: 8080, protocol: 'TCP' }]), dep('x/node', { app: 'a' }, [], { hostNetwork: true })],
      [
        np('x/p', {
          podSelector: {},
          policyTypes: ['Ingress', 'Egress'],
          ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 'web' }, { port: 53, protocol: 'UDP' }, { port: 80, endPort: 90 }, { port: 443 }, { protocol: 'SCTP' }] }],
          egress: [{}],
        }),
      ],
    );
    const list = connectionList(m);
    expect(list.hostNetwork).toEqual(['x/node[Deployment]']);
    expect(list.lines.filter((l) => !/^\d/.test(l) && !/=> \d/.test(l))).toEqual([
      'x/a[Deployment] => x/b[Deployment] : SCTP 1-65535,TCP 80-90,443,8080,UDP 53',
      'x/b[Deployment] => x/a[Deployment] : SCTP 1-65535,TCP 80-90,443,UDP 53',
    ]);
    expect(list.lines).toContain('x/a[Deployment] => 0.0.0.0-255.255.255.255 : All Connections');
    expect(list.lines.some((l) => l.startsWith('0.0.0.0'))).toBe(false);
  });

  it('lists IPv6 ranges only when some ipBlock is IPv6', () => {
    const m = model([dep('x/a', { app: 'a' })], [np('x/p', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: 'fd00::/8' } }] }] })]);
    expect(connectionList(m).lines).toEqual([
      '0.0.0.0-255.255.255.255 => x/a[Deployment] : All Connections',
      '::-fcff:ffff:ffff:ffff:ffff:ffff:ffff:ffff => x/a[Deployment] : All Connections',
      'fd00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff => x/a[Deployment] : All Connections',
      'fe00::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff => x/a[Deployment] : All Connections',
      'x/a[Deployment] => fd00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff : All Connections',
    ]);
    expect(connectionList(m, { ipv6: 'never' }).lines).toEqual(['0.0.0.0-255.255.255.255 => x/a[Deployment] : All Connections']);
  });

  it('leaves invalid policies out', () => {
    const m = model([dep('x/a'), dep('x/b')], [np('x/bad', { podSelector: {}, ingress: [{ ports: [{ port: 'http', endPort: 9 }] }] })]);
    expect(m.invalid).toHaveLength(1);
    expect(connectionList(m).lines).toContain('x/a[Deployment] => x/b[Deployment] : All Connections');
  });
});

/** The connections from `src` to `dst` computed pair by pair, straight from the matching primitives. */
function naiveConns(m: NetpolModel, src: PodEndpoint | { ip: string }, dst: PodEndpoint | { ip: string }): ConnSet {
  const asPeer = (e: PodEndpoint | { ip: string }): PeerEndpoint => ('ip' in e ? { addr: parseIP(e.ip)! } : { pod: e, nsLabels: labelsOfNamespace(m, e.namespace) });
  const side = (self: PodEndpoint, d: 'Ingress' | 'Egress', other: PeerEndpoint, dstPod: PodEndpoint | undefined): ConnSet => {
    const pols = m.policies.filter((p) => p.types.includes(d) && policySelects(p, self));
    let np: ConnSet | undefined;
    if (pols.length > 0) {
      np = NO_CONNS;
      for (const p of pols) for (const r of d === 'Ingress' ? p.ingress : p.egress) if (ruleMatchesPeer(r, p.namespace, other, m.options.ipBlocksMatchPodIPs)) np = unionConns(np, ruleConns(r, dstPod));
    }
    const { anp, banp } = appliedAdminRules(m, d, self, other, dstPod);
    return combineTiers(anp, np, banp);
  };
  const dstPod = 'ip' in dst ? undefined : dst;
  const egress = 'ip' in src ? ALL_CONNS : side(src, 'Egress', asPeer(dst), dstPod);
  const ingress = dstPod ? side(dstPod, 'Ingress', asPeer(src), dstPod) : ALL_CONNS;
  return intersectConns(egress, ingress);
}

function randomWorld(r: Rand, options: { ipBlocksMatchPodIPs?: boolean } = {}): NetpolModel {
  const nss = ['n1', 'n2', 'n3'];
  const apps = ['web', 'api', 'db'];
  const namespaces = nss.map((n) => ns(n, chance(r, 0.5) ? { env: pick(r, ['prod', 'dev']) } : {}));
  const pods: PodEndpoint[] = [];
  for (let i = 0; i < 9; i++) {
    const labels: Record<string, string> = { app: pick(r, apps) };
    if (chance(r, 0.4)) labels.tier = pick(r, ['front', 'back']);
    const ports = chance(r, 0.6) ? [{ name: pick(r, ['http', 'metrics']), containerPort: pick(r, [80, 8080, 9090]), protocol: pick(r, ['TCP', 'UDP'] as const) }] : [];
    pods.push(dep(`${pick(r, nss)}/w${i}`, labels, ports, chance(r, 0.3) ? { ips: [pick(r, ['10.0.0.1', '10.1.2.3', '192.168.0.9'])] } : {}));
  }
  const selector = () => (chance(r, 0.3) ? {} : chance(r, 0.5) ? { matchLabels: { app: pick(r, apps) } } : { matchExpressions: [{ key: 'tier', operator: pick(r, ['Exists', 'DoesNotExist']) }] });
  const peer = () => {
    const k = Math.floor(r() * 4);
    if (k === 0) return { podSelector: selector() };
    if (k === 1) return { namespaceSelector: chance(r, 0.5) ? {} : { matchLabels: { env: pick(r, ['prod', 'dev']) } } };
    if (k === 2) return { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': pick(r, nss) } }, podSelector: selector() };
    return { ipBlock: pick(r, [{ cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }, { cidr: '192.168.0.0/16' }, { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] }]) };
  };
  const port = () => pick(r, [{ port: 80 }, { port: 'http' }, { port: 'metrics', protocol: 'UDP' }, { port: 8000, endPort: 9000 }, { protocol: 'UDP' }, {}]);
  const rules = () => Array.from({ length: Math.floor(r() * 3) }, () => ({ ...(chance(r, 0.8) ? { from: Array.from({ length: 1 + Math.floor(r() * 2) }, peer) } : {}), ...(chance(r, 0.7) ? { ports: Array.from({ length: 1 + Math.floor(r() * 2) }, port) } : {}) }));
  const policies = Array.from({ length: 1 + Math.floor(r() * 4) }, (_, i) => {
    const ingress = rules();
    const egress = rules().map(({ from, ...rest }) => ({ ...rest, ...(from ? { to: from } : {}) }));
    const types = pick(r, [undefined, ['Ingress'], ['Egress'], ['Ingress', 'Egress']]);
    return np(`${pick(r, nss)}/p${i}`, { podSelector: selector(), ingress, egress, ...(types ? { policyTypes: types } : {}) });
  });
  const admin: unknown[] = [];
  if (chance(r, 0.5)) {
    const adminPeer = (egress: boolean) => {
      const k = Math.floor(r() * (egress ? 4 : 3));
      if (k === 0) return { namespaces: chance(r, 0.5) ? {} : { matchLabels: { env: pick(r, ['prod', 'dev']) } } };
      if (k === 1) return { pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': pick(r, nss) } }, podSelector: selector() } };
      if (k === 2) return { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': pick(r, nss) } } };
      return { networks: [pick(r, ['10.0.0.0/8', '192.168.0.0/24', '0.0.0.0/0'])] };
    };
    const adminPort = () => pick(r, [{ portNumber: { protocol: 'TCP', port: 80 } }, { namedPort: 'http' }, { portRange: { protocol: 'UDP', start: 8000, end: 9000 } }]);
    const adminRules = (egress: boolean, actions: string[]) =>
      Array.from({ length: Math.floor(r() * 3) }, () => ({
        action: pick(r, actions),
        [egress ? 'to' : 'from']: Array.from({ length: 1 + Math.floor(r() * 2) }, () => adminPeer(egress)),
        ...(chance(r, 0.5) ? { ports: [adminPort()] } : {}),
      }));
    const subject = () => (chance(r, 0.5) ? { namespaces: chance(r, 0.5) ? {} : { matchLabels: { 'kubernetes.io/metadata.name': pick(r, nss) } } } : { pods: { namespaceSelector: {}, podSelector: selector() } });
    for (let i = 0; i < 1 + Math.floor(r() * 2); i++) {
      admin.push({ kind: 'AdminNetworkPolicy', metadata: { name: `anp${i}` }, spec: { priority: i * 10, subject: subject(), ingress: adminRules(false, ['Allow', 'Deny', 'Pass']), egress: adminRules(true, ['Allow', 'Deny', 'Pass']) } });
    }
    if (chance(r, 0.6)) admin.push({ kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec: { subject: subject(), ingress: adminRules(false, ['Allow', 'Deny']), egress: adminRules(true, ['Allow', 'Deny']) } });
  }
  return model(pods, [...policies, ...admin], namespaces, options);
}

describe('connection list agrees with pair-by-pair evaluation', () => {
  for (const ipOpt of [false, true]) {
    it(`on 300 random worlds (ipBlocksMatchPodIPs: ${ipOpt})`, () => {
      const r = mulberry32(ipOpt ? 7 : 42);
      for (let world = 0; world < 300; world++) {
        const m = randomWorld(r, { ipBlocksMatchPodIPs: ipOpt });
        const list = connectionList(m);
        expect(m.invalid, `world ${world}`).toEqual([]);
        const npRanges = m.policies.flatMap((p) => [...p.ingress, ...p.egress]).flatMap((rule) => (rule.peers === 'any' ? [] : rule.peers.flatMap((peer) => (peer.kind === 'ipBlock' ? [...peer.ranges] : []))));
        const adminRanges = m.admin.flatMap((p) => p.egress.flatMap((rule) => rule.peers.flatMap((peer) => (peer.kind === 'networks' ? [...peer.ranges] : []))));
        const pieces = splitSpace(4, [...npRanges, ...adminRanges]);
        const externals = pieces.map((p) => ({ name: formatRange(p), ep: { ip: formatRange(p).split('-')[0]! } }));
        const want: string[] = [];
        const ends = [...m.pods.map((p) => ({ name: endpointName(p), ep: p as PodEndpoint | { ip: string } })), ...externals];
        for (const s of ends) {
          for (const d of ends) {
            if (s.name === d.name || ('ip' in s.ep && 'ip' in d.ep)) continue;
            const c = naiveConns(m, s.ep, d.ep);
            if (!isEmptyConns(c)) want.push(`${s.name} => ${d.name} : ${formatConns(c)}`);
          }
        }
        want.sort((a, b) => {
          const [as, ad] = a.split(' : ')[0]!.split(' => ');
          const [bs, bd] = b.split(' : ')[0]!.split(' => ');
          return as! < bs! ? -1 : as! > bs! ? 1 : ad! < bd! ? -1 : ad! > bd! ? 1 : 0;
        });
        expect(list.lines, `world ${world}`).toEqual(want);
        // And explain() agrees on single ports of the first few pairs.
        for (const s of m.pods.slice(0, 3)) {
          for (const d of m.pods.slice(0, 4)) {
            if (s === d) continue;
            const c = naiveConns(m, s, d);
            for (const [proto, port] of [['TCP', 80], ['UDP', 8080], ['TCP', 8500], ['UDP', 9090]] as const) {
              const allowed = c[proto].some(([a, b]) => a <= port && port <= b);
              expect(explain(m, s, d, port, proto).verdict, `world ${world} ${endpointName(s)} -> ${endpointName(d)} ${proto}/${port}`).toBe(allowed ? 'allowed' : 'denied');
            }
          }
        }
      }
    });
  }
});

describe('scale', () => {
  it('lists 5,000 pods in 200 namespaces under 1,000 policies in well under 5 s', () => {
    const namespaces = Array.from({ length: 200 }, (_, i) => ns(`ns${i}`, { env: i % 2 ? 'prod' : 'dev', team: `t${i % 10}` }));
    namespaces.push(ns('kube-system'));
    const tiers = ['web', 'api', 'db', 'worker', 'cache'];
    const pods: PodEndpoint[] = [dep('kube-system/coredns', { 'k8s-app': 'kube-dns' }, [{ name: 'dns', containerPort: 53, protocol: 'UDP' }])];
    for (let i = 0; i < 5000; i++) {
      const n = i % 200;
      const tier = tiers[Math.floor(i / 200) % 5]!;
      pods.push(dep(`ns${n}/app-${i}`, { app: `app-${i}`, tier }, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }]));
    }
    const policies: unknown[] = [];
    for (let n = 0; n < 200; n++) {
      const at = `ns${n}`;
      policies.push(np(`${at}/default-deny`, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
      policies.push(np(`${at}/dns`, { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }] }] }));
      policies.push(np(`${at}/web`, { podSelector: { matchLabels: { tier: 'web' } }, ingress: [{ from: [{ ipBlock: { cidr: `10.${n}.0.0/16`, except: [`10.${n}.1.0/24`] } }, { namespaceSelector: { matchLabels: { team: `t${n % 10}` } }, podSelector: { matchLabels: { tier: 'web' } } }], ports: [{ port: 'http' }] }] }));
      policies.push(np(`${at}/api`, { podSelector: { matchLabels: { tier: 'api' } }, ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'web' } } }], ports: [{ port: 8080 }] }] }));
      policies.push(np(`${at}/web-out`, { podSelector: { matchLabels: { tier: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['api', 'web'] }] } }, { namespaceSelector: { matchLabels: { team: `t${n % 10}` } } }] }] }));
    }
    const m = model(pods, policies, namespaces);
    expect(m.policies).toHaveLength(1000);
    const t0 = performance.now();
    const list = connectionList(m);
    const ms = performance.now() - t0;
    console.log(`connlist: ${pods.length} pods, ${m.policies.length} policies, ${list.lines.length} lines in ${ms.toFixed(0)} ms`);
    expect(list.lines).toContain('ns0/app-0[Deployment] => kube-system/coredns[Deployment] : UDP 53');
    expect(list.lines).toContain('10.0.0.0-10.0.0.255 => ns0/app-0[Deployment] : TCP 8080');
    expect(ms).toBeLessThan(5000);
  });
});
