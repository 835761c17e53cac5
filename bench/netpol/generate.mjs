// The NetworkPolicy benchmark's synthetic cluster, in memory: 5,000 pods in 200 namespaces with
// 1,000 NetworkPolicies (the issue's figures), seeded so every machine builds the same. Pods come
// as replicas of 1,000 workloads (app and tier labels, named container ports); kube-system runs
// the DNS pods. Nine namespaces in ten have a default deny and a DNS egress rule (as hardened
// clusters do); the rest of the policies admit other namespaces to the API tier, open the database
// tier to the API tier on a named port, and let web tiers reach or be reached from ipBlocks with
// excepts, cut from a pool of ranges so the external space splits into a few dozen pieces.

import { mulberry32 } from '../lib.mjs';

export const SIZES = { pods: 5_000, namespaces: 200, policies: 1_000 };

const TIERS = ['web', 'api', 'db', 'cache', 'worker'];
const PORTS = {
  web: [{ name: 'http', containerPort: 8080 }],
  api: [{ name: 'http', containerPort: 8080 }, { name: 'grpc', containerPort: 9090 }],
  db: [{ name: 'db', containerPort: 5432 }],
  cache: [{ name: 'db', containerPort: 6379 }],
  worker: [{ name: 'metrics', containerPort: 9100 }],
};
/** ipBlocks (with their excepts) the policies draw from. */
const BLOCKS = [
  { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] },
  { cidr: '10.0.0.0/8', except: ['10.96.0.0/12'] },
  { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] },
  { cidr: '198.51.100.0/24' },
  { cidr: '172.16.0.0/12', except: ['172.20.0.0/16', '172.21.5.0/24'] },
  { cidr: '192.0.2.0/24', except: ['192.0.2.64/26'] },
  { cidr: '100.64.0.0/10', except: ['100.100.0.0/16'] },
  { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] },
];

const np = (name, namespace, spec) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });

/** Kubernetes objects (plain JSON) of the synthetic cluster. */
export function generateCluster(seed = 1, sizes = SIZES) {
  const r = mulberry32(seed);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const ns = (i) => (i === 0 ? 'kube-system' : `team-${String(i).padStart(3, '0')}`);
  const objects = [];
  for (let i = 0; i < sizes.namespaces; i++) {
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns(i), labels: { team: `t${i % 40}`, env: pick(['prod', 'staging', 'dev']) } } });
  }
  // Five workloads of five replicas per namespace; kube-system's first is CoreDNS.
  const perNs = sizes.pods / sizes.namespaces;
  for (let p = 0; p < sizes.pods; p++) {
    const n = Math.floor(p / perNs);
    const w = Math.floor((p % perNs) / 5);
    const dns = n === 0 && w === 0;
    const tier = TIERS[w % TIERS.length];
    const labels = dns ? { 'k8s-app': 'kube-dns' } : { app: `${ns(n)}-app-${w}`, tier };
    const ports = dns ? [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53 }] : PORTS[tier];
    objects.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `${dns ? 'coredns' : `app-${w}`}-${p % 5}`, namespace: ns(n), labels },
      spec: { containers: [{ name: 'main', image: 'registry.example.com/app:1.0.0', ports }] },
    });
  }
  const policies = [];
  const denied = [];
  for (let i = 1; i < sizes.namespaces; i++) if (i % 10 !== 0) denied.push(i);
  for (const i of denied) {
    policies.push(np('default-deny', ns(i), { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
    policies.push(
      np('allow-dns', ns(i), {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 'dns-tcp' }] }],
      }),
    );
  }
  let k = 0;
  while (policies.length < sizes.policies) {
    const i = 1 + Math.floor(r() * (sizes.namespaces - 1));
    const namespace = ns(i);
    const kind = k++ % 4;
    if (kind === 0) {
      // Allow from namespace: the API tier admits another team's namespaces, and egress there.
      const team = `t${Math.floor(r() * 40)}`;
      policies.push(np(`api-from-${team}-${k}`, namespace, { podSelector: { matchLabels: { tier: 'api' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team } } }], ports: [{ port: 'http' }] }] }));
    } else if (kind === 1) {
      // Named ports: the database tier open to the API tier of its namespace.
      policies.push(
        np(`db-from-api-${k}`, namespace, {
          podSelector: { matchLabels: { tier: pick(['db', 'cache']) } },
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'api' } } }], ports: [{ port: 'db' }] }],
        }),
      );
    } else if (kind === 2) {
      // The API tier may call the database tier (egress side of kind 1), in this or an env's namespaces.
      policies.push(
        np(`api-egress-${k}`, namespace, {
          podSelector: { matchLabels: { tier: 'api' } },
          policyTypes: ['Egress'],
          egress: [{ to: [{ podSelector: { matchLabels: { tier: 'db' } } }, { namespaceSelector: { matchLabels: { env: pick(['prod', 'staging']) } }, podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['db', 'cache'] }] } }], ports: [{ port: 'db' }] }],
        }),
      );
    } else {
      // ipBlocks with except: web tiers reach the internet (or are reached from a partner range).
      const block = pick(BLOCKS);
      const ipBlock = block.except ? { cidr: block.cidr, except: block.except } : { cidr: block.cidr };
      const egress = r() < 0.6;
      policies.push(
        np(`web-${egress ? 'egress' : 'ingress'}-${k}`, namespace, {
          podSelector: { matchLabels: { tier: 'web' } },
          policyTypes: [egress ? 'Egress' : 'Ingress'],
          ...(egress ? { egress: [{ to: [{ ipBlock }], ports: [{ port: 443 }, { port: 80 }] }] } : { ingress: [{ from: [{ ipBlock }], ports: [{ port: 'http' }] }] }),
        }),
      );
    }
  }
  return [...objects, ...policies];
}
