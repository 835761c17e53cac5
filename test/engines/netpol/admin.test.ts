import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseAdminPolicy } from '../../../src/engines/netpol/admin.js';
import { connectionList } from '../../../src/engines/netpol/connlist.js';
import { explain, type Verdict } from '../../../src/engines/netpol/evaluate.js';
import { findPod, modelFromResources } from '../../../src/engines/netpol/model.js';
import type { Endpoint, PodEndpoint } from '../../../src/engines/netpol/types.js';
import { readManifests } from '../../../src/sources/files.js';
import { model, np, ns, pod } from './fixtures.js';

const anp = (name: string, priority: number, spec: Record<string, unknown>) => ({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name }, spec: { priority, ...spec } });
const banp = (spec: Record<string, unknown>, name = 'default') => ({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name }, spec });
const nsSel = (name: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });
const ALL_NS = { namespaces: {} };

const NAMESPACES = [ns('a', { tier: 'app' }), ns('b', { tier: 'app' }), ns('sys', { tier: 'system' })];
const PODS: PodEndpoint[] = [
  pod('a/web', { app: 'web' }, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'dns', containerPort: 53, protocol: 'UDP' }]),
  pod('a/db', { app: 'db' }),
  pod('b/client', { app: 'client' }),
  pod('sys/mon', { app: 'mon' }),
  pod('a/host', { app: 'host' }, [], { hostNetwork: true }),
];

type Conn = [src: string, dst: string, port: number, protocol?: string];
const CASES: { name: string; policies: unknown[]; conns: [Conn, Verdict][] }[] = [
  {
    name: 'an ANP Deny overrides a NetworkPolicy allow',
    policies: [anp('deny-b', 10, { subject: { namespaces: nsSel('a') }, ingress: [{ action: 'Deny', from: [{ namespaces: nsSel('b') }] }] }), np('a/allow', { podSelector: {}, ingress: [{}] })],
    conns: [[['b/client', 'a/web', 8080], 'denied'], [['sys/mon', 'a/web', 8080], 'allowed']],
  },
  {
    name: 'an ANP Allow overrides NetworkPolicy isolation',
    policies: [anp('allow-mon', 10, { subject: { namespaces: {} }, ingress: [{ action: 'Allow', from: [{ namespaces: nsSel('sys') }] }] }), np('a/deny', { podSelector: {} })],
    conns: [[['sys/mon', 'a/web', 8080], 'allowed'], [['b/client', 'a/web', 8080], 'denied']],
  },
  {
    name: 'lower priority numbers win',
    policies: [anp('deny', 20, { subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [ALL_NS] }] }), anp('allow', 10, { subject: { namespaces: {} }, ingress: [{ action: 'Allow', from: [{ namespaces: nsSel('b') }] }] })],
    conns: [[['b/client', 'a/web', 80], 'allowed'], [['sys/mon', 'a/web', 80], 'denied']],
  },
  {
    name: 'within one ANP the first matching rule wins',
    policies: [anp('p', 5, { subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: nsSel('b') }] }, { action: 'Allow', from: [ALL_NS] }, { action: 'Deny', from: [ALL_NS] }] })],
    conns: [[['b/client', 'a/web', 80], 'denied'], [['sys/mon', 'a/web', 80], 'allowed']],
  },
  {
    name: 'Pass skips lower ANPs and hands over to NetworkPolicy when it isolates',
    policies: [
      anp('pass', 1, { subject: { namespaces: nsSel('a') }, ingress: [{ action: 'Pass', from: [{ namespaces: nsSel('b') }] }] }),
      anp('deny-all', 2, { subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [ALL_NS] }] }),
      np('a/web-from-b', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: nsSel('b') }], ports: [{ port: 8080 }] }] }),
    ],
    conns: [[['b/client', 'a/web', 8080], 'allowed'], [['b/client', 'a/web', 9090], 'denied'], [['b/client', 'a/db', 1], 'allowed'], [['sys/mon', 'a/db', 1], 'denied']],
  },
  {
    name: 'what no ANP decides goes to the BANP when no NetworkPolicy isolates the pod',
    policies: [banp({ subject: { namespaces: {} }, ingress: [{ action: 'Allow', from: [{ namespaces: nsSel('sys') }] }, { action: 'Deny', from: [ALL_NS] }] }), np('a/db-open', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ namespaceSelector: nsSel('b') }] }] })],
    conns: [[['sys/mon', 'a/web', 1], 'allowed'], [['b/client', 'a/web', 1], 'denied'], [['b/client', 'a/db', 1], 'allowed'], [['sys/mon', 'a/db', 1], 'denied'], [['1.2.3.4', 'a/web', 1], 'allowed']],
  },
  {
    name: 'no rule in any tier: allowed',
    policies: [anp('other', 1, { subject: { namespaces: nsSel('sys') }, ingress: [{ action: 'Deny', from: [ALL_NS] }] })],
    conns: [[['b/client', 'a/web', 1], 'allowed'], [['b/client', 'sys/mon', 1], 'denied']],
  },
  {
    name: 'subject by pods: namespace AND pod selector',
    policies: [anp('p', 1, { subject: { pods: { namespaceSelector: { matchLabels: { tier: 'app' } }, podSelector: { matchLabels: { app: 'db' } } } }, ingress: [{ action: 'Deny', from: [ALL_NS] }] })],
    conns: [[['b/client', 'a/db', 1], 'denied'], [['b/client', 'a/web', 1], 'allowed']],
  },
  {
    name: 'peers by pods: namespace AND pod selector',
    policies: [anp('p', 1, { subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [{ pods: { namespaceSelector: nsSel('a'), podSelector: { matchLabels: { app: 'db' } } } }] }] })],
    conns: [[['b/client', 'a/db', 1], 'denied'], [['b/client', 'a/web', 1], 'allowed']],
  },
  {
    name: 'ports decide per connection: portNumber, portRange, namedPort (any protocol)',
    policies: [
      anp('p', 1, {
        subject: { namespaces: nsSel('a') },
        ingress: [
          { action: 'Deny', from: [ALL_NS], ports: [{ portNumber: { protocol: 'TCP', port: 80 } }, { portRange: { protocol: 'UDP', start: 1000, end: 2000 } }, { namedPort: 'dns' }] },
          { action: 'Allow', from: [ALL_NS] },
        ],
      }),
      np('a/deny', { podSelector: {} }),
    ],
    conns: [[['b/client', 'a/web', 80], 'denied'], [['b/client', 'a/web', 81], 'allowed'], [['b/client', 'a/web', 1500, 'UDP'], 'denied'], [['b/client', 'a/web', 1500], 'allowed'], [['b/client', 'a/web', 53, 'UDP'], 'denied'], [['b/client', 'a/web', 53], 'allowed'], [['b/client', 'a/db', 53, 'UDP'], 'allowed']],
  },
  {
    name: 'egress networks match external addresses, not pods',
    policies: [anp('p', 1, { subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [{ networks: ['10.0.0.0/8', 'fd00::/8'] }] }] })],
    conns: [[['a/web', '10.1.1.1', 443], 'denied'], [['a/web', 'fd00::1', 443], 'denied'], [['a/web', '11.1.1.1', 443], 'allowed'], [['a/web', 'b/client', 443], 'allowed']],
  },
  {
    name: 'nodes and domainNames peers match nothing in this model',
    policies: [anp('p', 1, { subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [{ nodes: {} }] }, { action: 'Deny', to: [{ domainNames: ['*.example.com'] }] }] })],
    conns: [[['a/web', '10.1.1.1', 443], 'allowed'], [['a/web', 'b/client', 443], 'allowed']],
  },
  {
    name: 'host-network pods stay undefined',
    policies: [anp('p', 1, { subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [ALL_NS] }] })],
    conns: [[['a/host', 'a/web', 1], 'undefined'], [['a/web', 'a/host', 1], 'undefined']],
  },
];

function endpoint(m: ReturnType<typeof model>, ref: string): Endpoint {
  return ref.includes('/') ? findPod(m, ref)! : { ip: ref };
}

describe('AdminNetworkPolicy and BaselineAdminNetworkPolicy verdicts', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const m = model(PODS, c.policies, NAMESPACES);
      expect(m.invalid).toEqual([]);
      const got = c.conns.map(([[s, d, port, proto]]) => `${s} -> ${d} ${proto ?? 'TCP'}/${port}: ${explain(m, endpoint(m, s), endpoint(m, d), port, proto).verdict}`);
      expect(got).toEqual(c.conns.map(([[s, d, port, proto], v]) => `${s} -> ${d} ${proto ?? 'TCP'}/${port}: ${v}`));
    });
  }

  it('says which tier and rule decided', () => {
    const m = model(PODS, [anp('pass', 1, { subject: { namespaces: {} }, ingress: [{ action: 'Pass', from: [{ namespaces: nsSel('b') }] }, { action: 'Deny', from: [ALL_NS] }] }), banp({ subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [ALL_NS] }] })], NAMESPACES);
    const r = explain(m, findPod(m, 'b/client')!, findPod(m, 'a/web')!, 80);
    expect(r.verdict).toBe('denied');
    expect(r.ingress.decidedBy).toEqual({ tier: 'BaselineAdminNetworkPolicy', policy: 'BANP/default', ruleIndex: 0, action: 'Deny' });
    const r2 = explain(m, findPod(m, 'sys/mon')!, findPod(m, 'a/web')!, 80);
    expect(r2.ingress.decidedBy).toEqual({ tier: 'AdminNetworkPolicy', policy: 'ANP/pass', ruleIndex: 1, action: 'Deny' });
    expect(r2.reason).toContain('denied by ANP/pass ingress[1] (Deny)');
    expect(explain(m, findPod(m, 'a/web')!, findPod(m, 'b/client')!, 80).egress.decidedBy).toEqual({ tier: 'default' });
  });

  it('warns about ANPs sharing a priority', () => {
    const m = model(PODS, [anp('x', 3, { subject: { namespaces: {} } }), anp('y', 3, { subject: { namespaces: {} } })], NAMESPACES);
    expect(m.warnings).toEqual(['AdminNetworkPolicies x and y share priority 3: which applies first is undefined (evaluated here by name)']);
  });

  it('applies the tiers in the connection list too', () => {
    const m = model(
      [pod('a/x', { app: 'x' }), pod('b/y', { app: 'y' })],
      [anp('p', 1, { subject: { namespaces: nsSel('a') }, egress: [{ action: 'Allow', to: [{ networks: ['8.8.8.8/32'] }], ports: [{ portNumber: { protocol: 'UDP', port: 53 } }] }, { action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }] }), banp({ subject: { namespaces: nsSel('b') }, ingress: [{ action: 'Deny', from: [{ namespaces: nsSel('a') }] }] })],
    );
    expect(connectionList(m).lines).toEqual([
      '0.0.0.0-8.8.8.7 => a/x[Pod] : All Connections',
      '0.0.0.0-8.8.8.7 => b/y[Pod] : All Connections',
      '8.8.8.8-8.8.8.8 => a/x[Pod] : All Connections',
      '8.8.8.8-8.8.8.8 => b/y[Pod] : All Connections',
      '8.8.8.9-255.255.255.255 => a/x[Pod] : All Connections',
      '8.8.8.9-255.255.255.255 => b/y[Pod] : All Connections',
      'a/x[Pod] => 8.8.8.8-8.8.8.8 : UDP 53',
      'b/y[Pod] => 0.0.0.0-8.8.8.7 : All Connections',
      'b/y[Pod] => 8.8.8.8-8.8.8.8 : All Connections',
      'b/y[Pod] => 8.8.8.9-255.255.255.255 : All Connections',
      'b/y[Pod] => a/x[Pod] : All Connections',
    ]);
  });
});

describe('admin policy validation', () => {
  const subject = { namespaces: {} };
  const cases: [string, unknown, RegExp][] = [
    ['priority above 1000', anp('p', 1001, { subject }), /^spec\.priority: 1001 must be an integer from 0 to 1000/],
    ['no subject', anp('p', 1, {}), /^spec\.subject: is required/],
    ['a subject with both selectors', anp('p', 1, { subject: { namespaces: {}, pods: { namespaceSelector: {}, podSelector: {} } } }), /^spec\.subject: must set exactly one of namespaces, pods/],
    ['an unknown action', anp('p', 1, { subject, ingress: [{ action: 'Drop', from: [ALL_NS] }] }), /^spec\.ingress\[0\]\.action: "Drop" is not one of Allow, Deny, Pass/],
    ['Pass in a BANP', banp({ subject, egress: [{ action: 'Pass', to: [ALL_NS] }] }), /^spec\.egress\[0\]\.action: "Pass" is not one of Allow, Deny/],
    ['a BANP not named default', banp({ subject }, 'other'), /^metadata\.name: a BaselineAdminNetworkPolicy must be named "default"/],
    ['a rule without peers', anp('p', 1, { subject, ingress: [{ action: 'Deny', from: [] }] }), /^spec\.ingress\[0\]\.from: must hold at least one peer/],
    ['a peer with two kinds', anp('p', 1, { subject, ingress: [{ action: 'Deny', from: [{ namespaces: {}, pods: { namespaceSelector: {}, podSelector: {} } }] }] }), /^spec\.ingress\[0\]\.from\[0\]: must set exactly one of namespaces, pods/],
    ['networks in an ingress peer', anp('p', 1, { subject, ingress: [{ action: 'Deny', from: [{ networks: ['10.0.0.0/8'] }] }] }), /from\[0\]: must set exactly one of namespaces, pods/],
    ['an invalid network', anp('p', 1, { subject, egress: [{ action: 'Deny', to: [{ networks: ['10.0.0.0/40'] }] }] }), /^spec\.egress\[0\]\.to\[0\]\.networks\[0\]: "10\.0\.0\.0\/40" is not a valid CIDR/],
    ['a port entry with two kinds', anp('p', 1, { subject, egress: [{ action: 'Deny', to: [ALL_NS], ports: [{ namedPort: 'x', portNumber: { port: 1 } }] }] }), /ports\[0\]: must set exactly one of portNumber, namedPort, portRange/],
    ['a port range with start >= end', anp('p', 1, { subject, egress: [{ action: 'Deny', to: [ALL_NS], ports: [{ portRange: { start: 90, end: 90 } }] }] }), /ports\[0\]\.portRange: start 90 must be less than end 90/],
    ['an unknown protocol', anp('p', 1, { subject, egress: [{ action: 'Deny', to: [ALL_NS], ports: [{ portNumber: { protocol: 'ICMP', port: 1 } }] }] }), /ports\[0\]: protocol "ICMP" is not TCP, UDP or SCTP/],
    ['an invalid selector', anp('p', 1, { subject: { namespaces: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] } } }), /^spec\.subject\.namespaces: invalid label selector/],
  ];
  for (const [name, obj, want] of cases) {
    it(name, () => {
      const r = parseAdminPolicy(obj);
      expect(r.policy).toBeUndefined();
      expect(r.errors?.join('\n')).toMatch(want);
    });
  }

  it('lists invalid admin policies in the model, cluster-scoped', () => {
    const m = model([], [anp('bad', -1, { subject })]);
    expect(m.invalid).toEqual([{ kind: 'AdminNetworkPolicy', namespace: '', name: 'bad', errors: ['spec.priority: -1 must be an integer from 0 to 1000'], reason: 'spec.priority: -1 must be an integer from 0 to 1000' }]);
  });
});

describe('a whole scenario from manifests', () => {
  // The shape of netpol-analyzer's anp_banp_blog_demo: a Pass for monitoring into "internal"
  // namespaces, a BANP denying other namespaces into them, a NetworkPolicy letting monitoring in.
  const YAML = `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {security: internal}}
---
apiVersion: v1
kind: Namespace
metadata: {name: billing, labels: {security: internal}}
---
apiVersion: v1
kind: Namespace
metadata: {name: watch}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: ledger, namespace: billing}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: watch}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-watch, namespace: shop}
spec:
  podSelector:
  policyTypes: [Ingress]
  ingress:
  - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: watch}}}]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {matchLabels: {security: internal}}}
  ingress: [{name: deny-namespaces, action: Deny, from: [{namespaces: {}}]}]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: allow-watch}
spec:
  priority: 9
  subject: {namespaces: {}}
  ingress: [{action: Allow, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: watch}}}]}]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: pass-watch}
spec:
  priority: 7
  subject: {namespaces: {matchLabels: {security: internal}}}
  ingress: [{action: Pass, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: watch}}}]}]
`;

  it('lists what the three tiers together allow', async () => {
    const read = await readManifests(['-'], { stdin: Readable.from([YAML]) });
    const m = modelFromResources(read.inventory.resources);
    expect(m.invalid).toEqual([]);
    expect(m.admin.map((p) => p.id)).toEqual(['ANP/pass-watch', 'ANP/allow-watch', 'BANP/default']);
    expect(connectionList(m).lines).toEqual([
      '0.0.0.0-255.255.255.255 => billing/ledger[Pod] : All Connections',
      '0.0.0.0-255.255.255.255 => watch/agent[Pod] : All Connections',
      'billing/ledger[Pod] => 0.0.0.0-255.255.255.255 : All Connections',
      'billing/ledger[Pod] => watch/agent[Pod] : All Connections',
      'shop/web[Pod] => 0.0.0.0-255.255.255.255 : All Connections',
      'shop/web[Pod] => watch/agent[Pod] : All Connections',
      'watch/agent[Pod] => 0.0.0.0-255.255.255.255 : All Connections',
      'watch/agent[Pod] => shop/web[Pod] : All Connections',
    ]);
  });
});
