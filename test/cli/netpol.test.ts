/**
 * `kubeladder netpol reach`, `explain` and `diff` over a small shop: two namespaces, a default
 * deny, rules with named ports, ipBlocks with except, a host-network DaemonSet and an invalid policy.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/core/resource.js';
import { ENDPOINT_KINDS } from '../../src/engines/netpol/workloads.js';
import { writeSnapshot } from '../../src/sources/cluster/snapshot.js';
import { binary, cli } from '../helpers/cli.js';

const APP = `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: shop}}
---
apiVersion: v1
kind: Namespace
metadata: {name: payments, labels: {team: payments}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: web:1, ports: [{name: http, containerPort: 80}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: api:1, ports: [{name: http, containerPort: 8080}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ledger, namespace: payments}
spec:
  selector: {matchLabels: {app: ledger}}
  template:
    metadata: {labels: {app: ledger}}
    spec:
      containers: [{name: ledger, image: ledger:1, ports: [{name: pg, containerPort: 5432}]}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-agent, namespace: shop}
spec:
  selector: {matchLabels: {app: node-agent}}
  template:
    metadata: {labels: {app: node-agent}}
    spec:
      hostNetwork: true
      containers: [{name: agent, image: agent:1}]
`;

const POLICIES = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-egress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress:
    - to: [{podSelector: {matchLabels: {app: api}}}]
      ports: [{port: http}]
    - to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]
      ports: [{port: 443}]
    - ports: [{port: 53, protocol: UDP}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-ingress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: web}}}]
      ports: [{port: http}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-egress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Egress]
  egress:
    - to: [{namespaceSelector: {matchLabels: {team: payments}}, podSelector: {matchLabels: {app: ledger}}}]
      ports: [{port: pg}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ledger-ingress, namespace: payments}
spec:
  podSelector: {matchLabels: {app: ledger}}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {team: shop}}, podSelector: {matchLabels: {app: api}}}]
      ports: [{port: 5432}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: broken, namespace: payments}
spec:
  podSelector: {}
  ingress:
    - ports: [{port: 70000}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-ingress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
    - from: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]
      ports: [{port: http}]
`;

/** NEW: web loses its DNS egress rule, ingress to web excepts 192.168.0.0/16 too, ledger may call api. */
const NEW_POLICIES = POLICIES.replace('    - ports: [{port: 53, protocol: UDP}]\n', '')
  .replace('except: [10.0.0.0/8]}}]\n      ports: [{port: http}]', 'except: [10.0.0.0/8, 192.168.0.0/16]}}]\n      ports: [{port: http}]')
  .replace(
    '    - from: [{podSelector: {matchLabels: {app: web}}}]\n      ports: [{port: http}]',
    '    - from: [{podSelector: {matchLabels: {app: web}}}, {namespaceSelector: {matchLabels: {team: payments}}}]\n      ports: [{port: http}]',
  );

const LIST = [
  '0.0.0.0-9.255.255.255 => shop/web[Deployment] : TCP 80',
  '11.0.0.0-255.255.255.255 => shop/web[Deployment] : TCP 80',
  'payments/ledger[Deployment] => 0.0.0.0-9.255.255.255 : All Connections',
  'payments/ledger[Deployment] => 10.0.0.0-10.255.255.255 : All Connections',
  'payments/ledger[Deployment] => 11.0.0.0-255.255.255.255 : All Connections',
  'shop/api[Deployment] => payments/ledger[Deployment] : TCP 5432',
  'shop/web[Deployment] => 0.0.0.0-9.255.255.255 : TCP 443,UDP 53',
  'shop/web[Deployment] => 10.0.0.0-10.255.255.255 : UDP 53',
  'shop/web[Deployment] => 11.0.0.0-255.255.255.255 : TCP 443,UDP 53',
  'shop/web[Deployment] => shop/api[Deployment] : TCP 8080',
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kl-netpol-'));
  for (const [sub, policies] of [['old', POLICIES], ['new', NEW_POLICIES]] as const) {
    mkdirSync(join(dir, sub));
    writeFileSync(join(dir, sub, 'app.yaml'), APP);
    writeFileSync(join(dir, sub, 'policies.yaml'), policies);
  }
  // The second document is cut off mid-mapping: reported at its line, the first still read.
  writeFileSync(join(dir, 'broken.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: shop}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: bad\n  namespace: [shop\n');
});

const run = (...args: string[]) => cli(['netpol', ...args], { cwd: dir });
const reach = (...args: string[]) => run('reach', 'old', ...args);
const explainIt = (...args: string[]) => run('explain', 'old', ...args);

describe('netpol reach', () => {
  it("lists every allowed connection in netpol-analyzer's txt format", async () => {
    const r = await reach();
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(LIST.map((l) => `${l}\n`).join(''));
  });

  it('names the invalid policy and the host-network workload on stderr, one line each, and goes on', async () => {
    const r = await reach();
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'old/policies.yaml:49: warning: NetworkPolicy payments/broken is invalid and left out: spec.ingress[0].ports[0].port: 70000 must be a port number between 1 and 65535 or a port name',
      'old/app.yaml:39: warning: shop/node-agent[DaemonSet] uses the host network: NetworkPolicy leaves its connections undefined, so they are not listed',
    ]);
    expect(r.stdout).not.toContain('node-agent');
  });

  it('reads -f files and directories, and stdin', async () => {
    const f = await run('reach', '-f', 'old/app.yaml', '-f', 'old/policies.yaml');
    expect(f.stdout).toBe(LIST.map((l) => `${l}\n`).join(''));
    const stdin = await cli(['netpol', 'reach', '-'], { cwd: dir, stdin: `${APP}---\n${POLICIES}` });
    expect(stdin.stdout).toBe(f.stdout);
  });

  it('--format csv: a src,dst,conn header, fields quoted as encoding/csv quotes them', async () => {
    const r = await reach('--format', 'csv');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('src,dst,conn');
    expect(lines).toHaveLength(LIST.length + 1);
    expect(lines).toContain('shop/web[Deployment],0.0.0.0-9.255.255.255,"TCP 443,UDP 53"');
    expect(lines).toContain('shop/web[Deployment],shop/api[Deployment],TCP 8080');
  });

  it('--format md: a markdown table', async () => {
    const r = await reach('--format', 'md');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual(['| src | dst | conn |', '|-----|-----|------|']);
    expect(lines).toContain('| shop/api[Deployment] | payments/ledger[Deployment] | TCP 5432 |');
    expect(lines).toHaveLength(LIST.length + 2);
  });

  it('--format json: an array of {src, dst, conn}', async () => {
    const r = await reach('--format', 'json');
    const rows = JSON.parse(r.stdout) as Array<{ src: string; dst: string; conn: string }>;
    expect(rows.map((c) => `${c.src} => ${c.dst} : ${c.conn}`)).toEqual(LIST);
    expect(Object.keys(rows[0]!)).toEqual(['src', 'dst', 'conn']);
  });

  it('--format dot: namespaces as clusters, ranges apart, edges labelled; Graphviz renders it', async () => {
    const r = await reach('--format', 'dot');
    expect(r.code).toBe(0);
    const dot = r.stdout;
    expect(dot.startsWith('digraph {\n')).toBe(true);
    expect(dot).toContain('\tsubgraph cluster_shop {\n\t\t"shop/api[Deployment]" [label="api[Deployment]" color="blue" fontcolor="blue"]\n\t\t"shop/web[Deployment]" [label="web[Deployment]" color="blue" fontcolor="blue"]\n\t\tlabel="shop"\n\t}\n');
    expect(dot).toContain('\tsubgraph cluster_payments {');
    expect(dot).toContain('\t"10.0.0.0-10.255.255.255" [label="10.0.0.0-10.255.255.255" color="red2" fontcolor="red2"]\n');
    expect(dot).toContain('\t"shop/web[Deployment]" -> "0.0.0.0-9.255.255.255" [label="TCP 443,UDP 53" color="gold2" fontcolor="darkgreen"]\n');
    expect(dot).not.toContain('node-agent');
    const svg = execFileSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8' });
    expect(svg).toContain('<svg');
    expect(svg).toContain('web[Deployment]');
  });

  it('--from and --to keep one workload, one kind, a namespace or the range holding an address', async () => {
    const lines = async (...args: string[]) => (await reach(...args)).stdout.trimEnd().split('\n');
    expect(await lines('--from', 'shop/web', '--to', 'shop/api')).toEqual(['shop/web[Deployment] => shop/api[Deployment] : TCP 8080']);
    expect(await lines('--from', 'shop/web[Deployment]', '--to', 'shop/api[Deployment]')).toEqual(['shop/web[Deployment] => shop/api[Deployment] : TCP 8080']);
    expect(await lines('--to', 'payments/*')).toEqual(['shop/api[Deployment] => payments/ledger[Deployment] : TCP 5432']);
    expect(await lines('--from', 'shop/*', '--to', 'shop/*')).toEqual(['shop/web[Deployment] => shop/api[Deployment] : TCP 8080']);
    expect(await lines('--to', '10.1.2.3')).toEqual(['payments/ledger[Deployment] => 10.0.0.0-10.255.255.255 : All Connections', 'shop/web[Deployment] => 10.0.0.0-10.255.255.255 : UDP 53']);
    expect(await lines('--from', '8.8.8.8')).toEqual(['0.0.0.0-9.255.255.255 => shop/web[Deployment] : TCP 80']);
  });

  it('--port keeps the connections that include it, TCP unless told', async () => {
    const lines = async (...args: string[]) => (await reach(...args)).stdout.trimEnd().split('\n');
    expect(await lines('--from', 'shop/web', '--port', '53/udp')).toEqual(LIST.filter((l) => l.startsWith('shop/web') && l.includes('UDP 53')));
    expect(await lines('--port', '53')).toEqual(LIST.filter((l) => l.includes('All Connections')));
    expect(await lines('--port', '8080/TCP')).toEqual([...LIST.filter((l) => l.includes('All Connections')), 'shop/web[Deployment] => shop/api[Deployment] : TCP 8080']);
    const none = await reach('--to', 'shop/api', '--port', '9090');
    expect([none.code, none.stdout]).toEqual([0, '']);
  });

  it.each([
    [['--port', '70000'], '--port: "70000" is not PORT[/PROTOCOL]'],
    [['--port', '80/ICMP'], '--port: "80/ICMP" is not PORT[/PROTOCOL]'],
    [['--port', 'http'], '--port: "http" is not PORT[/PROTOCOL]'],
    [['--from', 'shop/nope'], '--from: no workload "shop/nope" in the input'],
    [['--to', 'nowhere/*'], '--to: no namespace "nowhere" in the input'],
    [['--to', 'web'], '--to: "web" is not ns/name, ns/name[Kind], ns/* or an IP address'],
    [['--format', 'yaml'], '--format: "yaml" is not one of txt, json, csv, md, dot'],
  ])('rejects %j in one line (exit 2)', async (args, message) => {
    const r = await run('reach', 'old', ...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('kubeladder:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
  });

  it('reports an unreadable file at its line and lists the rest', async () => {
    const r = await run('reach', 'broken.yaml', 'old', '--from', 'shop/web', '--to', 'shop/api');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^broken\.yaml:8: invalid YAML: [^\n]+\n/m);
    expect(r.stdout).toBe('shop/web[Deployment] => shop/api[Deployment] : TCP 8080\n');
  });

  it('reads a snapshot, and refuses one taken without NetworkPolicies', async () => {
    const objects = loadAll(`${APP}---\n${POLICIES}`) as KubeObject[];
    writeSnapshot(join(dir, 'snap.json.gz'), { objects, unreadable: {} }, ['NetworkPolicy', 'Namespace', ...ENDPOINT_KINDS]);
    const r = await run('reach', '--snapshot', 'snap.json.gz');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(LIST.map((l) => `${l}\n`).join(''));
    expect(r.stderr).toContain('warning: NetworkPolicy payments/broken is invalid');
    writeSnapshot(join(dir, 'old-snap.json.gz'), { objects, unreadable: {} }, ['Namespace', 'Pod']);
    const old = await run('reach', '--snapshot', 'old-snap.json.gz');
    expect(old.code).toBe(2);
    expect(old.stderr).toContain('the snapshot old-snap.json.gz holds no NetworkPolicy');
  });

  it('runs as the built binary', () => {
    const r = binary(['netpol', 'reach', 'old', '--to', 'payments/ledger'], { cwd: dir });
    expect([r.code, r.stdout]).toEqual([0, 'shop/api[Deployment] => payments/ledger[Deployment] : TCP 5432\n']);
  });

  it('asks for exactly one input', async () => {
    const none = await run('reach');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('netpol reach: no input');
    const two = await run('reach', 'old', '--cluster');
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('one at a time');
    const missing = await run('reach', 'absent.yaml');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('absent.yaml');
  });
});

describe('netpol explain', () => {
  it('allows through a named port, naming the rule at each end', async () => {
    const r = await explainIt('--from', 'shop/web', '--to', 'shop/api', '--port', 'http');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'allowed\n' +
        '  egress at shop/web[Deployment]: allowed by NetworkPolicy shop/web-egress egress rule 0 (isolated by NetworkPolicy shop/default-deny, NetworkPolicy shop/web-egress)\n' +
        '  ingress at shop/api[Deployment]: allowed by NetworkPolicy shop/api-ingress ingress rule 0 (isolated by NetworkPolicy shop/default-deny, NetworkPolicy shop/api-ingress)\n',
    );
    // The name resolves at the destination: 8080 there, so the same answer by number.
    expect((await explainIt('--from', 'shop/web', '--to', 'shop/api[Deployment]', '--port', '8080/TCP')).stdout).toBe(r.stdout);
    // web's own port named http is 80: not what the rule allows at api.
    expect((await explainIt('--from', 'shop/web', '--to', 'shop/api', '--port', '80')).code).toBe(1);
  });

  it('denies (exit 1) naming the policies that isolate the pod', async () => {
    const r = await explainIt('--from', 'shop/api', '--to', 'shop/web', '--port', '80');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      'denied\n' +
        '  egress at shop/api[Deployment]: denied: isolated by NetworkPolicy shop/default-deny, NetworkPolicy shop/api-egress and no rule allows it\n' +
        '  ingress at shop/web[Deployment]: denied: isolated by NetworkPolicy shop/default-deny, NetworkPolicy shop/web-ingress and no rule allows it\n',
    );
  });

  it('says when a pod is not isolated, and when an end is an address', async () => {
    const out = await explainIt('--from', 'payments/ledger', '--to', '10.1.2.3', '--port', '5432');
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(
      'allowed\n' +
        '  egress at payments/ledger[Deployment]: allowed: not isolated (no NetworkPolicy selects it for egress)\n' +
        '  ingress at 10.1.2.3: not governed by NetworkPolicy (an address, not a pod)\n',
    );
    const except = await explainIt('--from', '10.1.2.3', '--to', 'shop/web', '--port', '80');
    expect(except.code).toBe(1);
    expect(except.stdout.split('\n')[0]).toBe('denied');
    expect((await explainIt('--from', '192.168.1.1', '--to', 'shop/web', '--port', 'http')).code).toBe(0);
  });

  it('a host-network end is undefined (exit 1)', async () => {
    const r = await explainIt('--from', 'shop/node-agent', '--to', 'shop/web', '--port', '80');
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe('undefined (host network)');
    expect(r.stdout).toContain('shop/node-agent[DaemonSet] uses the host network');
  });

  it("--format json prints the engine's explanation", async () => {
    const r = await explainIt('--from', 'shop/web', '--to', 'shop/api', '--port', 'http', '--format', 'json');
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout) as { verdict: string; egress: { allowedBy: unknown[] }; ingress: { isolatedBy: string[]; allowedBy: unknown[] }; reason: string };
    expect(e.verdict).toBe('allowed');
    expect(e.egress.allowedBy).toEqual([{ policy: 'shop/web-egress', ruleIndex: 0 }]);
    expect(e.ingress.isolatedBy).toEqual(['shop/default-deny', 'shop/api-ingress']);
    expect(e.reason).toContain('TCP 8080 from shop/web[Deployment] to shop/api[Deployment] is allowed');
  });

  it.each([
    [['--from', 'shop/nope', '--to', 'shop/api', '--port', '80'], '--from: no workload "shop/nope" in the input'],
    [['--from', 'shop/web', '--to', 'shop/api[StatefulSet]', '--port', '80'], '--to: no workload "shop/api[StatefulSet]" in the input'],
    [['--from', 'shop/web', '--to', 'shop/api', '--port', 'grpc'], '--port: shop/api[Deployment] has no container port named "grpc"'],
    [['--from', 'shop/web', '--to', 'shop/api', '--port', '0'], '--port: "0" is not PORT[/PROTOCOL]'],
    [['--from', 'web', '--to', 'shop/api', '--port', '80'], '--from: "web" is not ns/name, ns/name[Kind] or an IP address'],
    [['--from', 'shop/web', '--to', 'shop/api'], "required option '--port <port>' not specified"],
  ])('rejects %j (exit 2)', async (args, message) => {
    const r = await explainIt(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });
});

describe('netpol diff', () => {
  const CHANGES = [
    '- 192.168.0.0-192.168.255.255 => shop/web[Deployment] : TCP 80',
    '+ payments/ledger[Deployment] => shop/api[Deployment] : TCP 8080',
    // Each side cuts the address space its own way; the ranges that lost UDP 53 join up again.
    '- shop/web[Deployment] => 0.0.0.0-255.255.255.255 : UDP 53',
  ];

  it('prints what NEW opens (+) and closes (-), exit 1', async () => {
    const r = await run('diff', 'old', 'new');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(CHANGES.map((l) => `${l}\n`).join(''));
  });

  it('a changed port set shows the ports lost and the ports gained', async () => {
    writeFileSync(join(dir, 'ports.yaml'), `${APP}---\n${POLICIES.replace('ports: [{port: 443}]', 'ports: [{port: 8443}, {port: 53, protocol: UDP}]')}`);
    const d = await run('diff', 'old', 'ports.yaml');
    expect(d.code).toBe(1);
    expect(d.stdout).toBe(
      [
        '- shop/web[Deployment] => 0.0.0.0-9.255.255.255 : TCP 443',
        '+ shop/web[Deployment] => 0.0.0.0-9.255.255.255 : TCP 8443',
        '- shop/web[Deployment] => 11.0.0.0-255.255.255.255 : TCP 443',
        '+ shop/web[Deployment] => 11.0.0.0-255.255.255.255 : TCP 8443',
      ]
        .map((l) => `${l}\n`)
        .join(''),
    );
  });

  it('exit 0 and nothing printed when nothing changed', async () => {
    const r = await run('diff', 'old', 'old/');
    expect([r.code, r.stdout]).toEqual([0, '']);
  });

  it('--format json and md', async () => {
    const json = await run('diff', 'old', 'new', '--format', 'json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual([
      { change: 'removed', src: '192.168.0.0-192.168.255.255', dst: 'shop/web[Deployment]', conn: 'TCP 80' },
      { change: 'added', src: 'payments/ledger[Deployment]', dst: 'shop/api[Deployment]', conn: 'TCP 8080' },
      { change: 'removed', src: 'shop/web[Deployment]', dst: '0.0.0.0-255.255.255.255', conn: 'UDP 53' },
    ]);
    const md = await run('diff', 'old', 'new', '--format', 'md');
    expect(md.stdout.split('\n').slice(0, 3)).toEqual(['| diff-type | src | dst | conn |', '|-----------|-----|-----|------|', '| removed | 192.168.0.0-192.168.255.255 | shop/web[Deployment] | TCP 80 |']);
  });

  it('exit 2 on input it cannot read or a bad format', async () => {
    const missing = await run('diff', 'old', 'absent');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('absent');
    expect((await run('diff', 'old', 'new', '--format', 'dot')).code).toBe(2);
    expect((await run('diff', 'old')).code).toBe(2);
  });
});
