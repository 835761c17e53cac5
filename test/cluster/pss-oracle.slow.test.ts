/**
 * Oracle test of the Pod Security Standards engine (src/engines/pss): a seeded generator makes a
 * few hundred pods mixing compliant and violating fields; each is submitted with server-side dry
 * run to namespaces of a REAL kube-apiserver enforcing baseline/restricted at several versions,
 * and kubeladder's allowed/denied must equal the API server's (201 vs 403 "violates PodSecurity").
 * Pods the API server rejects as invalid (422) are not comparable and are counted apart.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { evaluatePodSpec, type PssLevel, type PssVersion } from '../../src/engines/pss/index.js';
import { eventually, startCluster, type Cluster } from '../helpers/cluster.js';
import { chance, mulberry32, pick, type Rand } from '../helpers/random.js';

const SEED = 0x5eed_4;
const POD_COUNT = 300;
const CONCURRENCY = 8;
const LEVELS: PssLevel[] = ['baseline', 'restricted'];
const VERSIONS: PssVersion[] = ['v1.18', 'v1.22', 'v1.24', 'v1.25', 'v1.28', 'v1.30', 'v1.31', 'v1.34', 'v1.35', 'v1.36', 'latest'];

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster();
});

afterAll(async () => {
  await cluster?.stop();
});

// ---------------------------------------------------------------------------------------------
// Seeded generator

function genSecurityContext(r: Rand, forPod: boolean): Record<string, unknown> | undefined {
  if (chance(r, 0.15)) return undefined;
  const s: Record<string, unknown> = {};
  if (chance(r, 0.5)) s.runAsNonRoot = chance(r, 0.75);
  if (chance(r, 0.3)) s.runAsUser = pick(r, [0, 1000, 65534]);
  if (chance(r, 0.5)) {
    const type = pick(r, ['RuntimeDefault', 'RuntimeDefault', 'Localhost', 'Unconfined']);
    s.seccompProfile = type === 'Localhost' ? { type, localhostProfile: 'profiles/audit.json' } : { type };
  }
  if (chance(r, 0.08)) s.seLinuxOptions = pick(r, [{ type: 'container_t' }, { type: 'spc_t' }, { user: 'system_u' }, { type: 'container_engine_t' }, { level: 's0:c1,c2' }]);
  if (chance(r, 0.08)) s.appArmorProfile = pick(r, [{ type: 'RuntimeDefault' }, { type: 'Unconfined' }, { type: 'Localhost', localhostProfile: 'k8s-apparmor' }]);
  if (forPod) {
    if (chance(r, 0.15))
      s.sysctls = [
        {
          name: pick(r, [
            'kernel.shm_rmid_forced',
            'net.ipv4.ip_local_reserved_ports',
            'net.ipv4.tcp_keepalive_time',
            'net.ipv4.tcp_rmem',
            'kernel.msgmax',
            'net.ipv4.tcp_notsent_lowat',
            'net.ipv4.ip_unprivileged_port_start',
          ]),
          value: '1',
        },
      ];
  } else {
    if (chance(r, 0.08)) s.privileged = chance(r, 0.6);
    if (chance(r, 0.6)) s.allowPrivilegeEscalation = chance(r, 0.2);
    if (s.privileged === true) delete s.allowPrivilegeEscalation; // privileged + APE=false is invalid
    if (chance(r, 0.55)) {
      const caps: Record<string, unknown> = {};
      if (chance(r, 0.8)) caps.drop = pick(r, [['ALL'], ['ALL'], ['NET_RAW'], []]);
      if (chance(r, 0.3)) caps.add = [pick(r, ['NET_BIND_SERVICE', 'NET_BIND_SERVICE', 'CHOWN', 'SYS_ADMIN', 'NET_RAW'])];
      s.capabilities = caps;
    }
    if (chance(r, 0.1)) s.procMount = pick(r, ['Default', 'Unmasked']);
  }
  return s;
}

function genContainer(r: Rand, name: string, init: boolean): Record<string, unknown> {
  const c: Record<string, unknown> = { name, image: 'registry.example/app:1' };
  const s = genSecurityContext(r, false);
  if (s) c.securityContext = s;
  if (chance(r, 0.12)) c.ports = [{ containerPort: 8080, hostPort: pick(r, [0, 8080, 9090]) }];
  if (!init && chance(r, 0.06)) c.livenessProbe = { httpGet: { port: 8080, path: '/', ...(chance(r, 0.5) ? { host: '10.0.0.1' } : {}) } };
  return c;
}

function genPod(r: Rand, i: number): { metadata: Record<string, any>; spec: Record<string, any> } {
  const metadata: Record<string, any> = { name: `p${i}` };
  const spec: Record<string, any> = {};
  const n = 1 + Math.floor(r() * 2);
  spec.containers = Array.from({ length: n }, (_, k) => genContainer(r, `c${k}`, false));
  if (chance(r, 0.3)) spec.initContainers = [genContainer(r, 'i0', true)];
  const ps = genSecurityContext(r, true);
  if (ps) spec.securityContext = ps;
  if (chance(r, 0.05)) spec.hostNetwork = true;
  if (chance(r, 0.05)) spec.hostPID = true;
  if (chance(r, 0.05)) spec.hostIPC = true;
  if (chance(r, 0.15) && !spec.hostNetwork && !spec.hostPID && !spec.hostIPC) spec.hostUsers = false;
  if (chance(r, 0.3)) {
    spec.volumes = [
      pick(r, [
        { name: 'v', emptyDir: {} },
        { name: 'v', configMap: { name: 'cm' } },
        { name: 'v', secret: { secretName: 's' } },
        { name: 'v', hostPath: { path: '/var/log' } },
        { name: 'v', nfs: { server: 'nfs.example', path: '/x' } },
        { name: 'v', persistentVolumeClaim: { claimName: 'pvc' } },
        { name: 'v', image: { reference: 'registry.example/data:1' } },
      ]),
    ];
  }
  const annotations: Record<string, string> = {};
  if (chance(r, 0.06)) annotations['seccomp.security.alpha.kubernetes.io/pod'] = pick(r, ['runtime/default', 'unconfined']);
  if (chance(r, 0.06)) annotations['container.apparmor.security.beta.kubernetes.io/c0'] = pick(r, ['runtime/default', 'unconfined']);
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  return { metadata, spec };
}

/** Hand-written pods on the version edges, on top of the random ones. */
function edgePods(): Array<{ metadata: Record<string, any>; spec: Record<string, any> }> {
  const good = () => ({
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } as Record<string, any>,
  });
  const restricted = (extra: Record<string, any> = {}, c: Record<string, any> = {}) => ({
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{ name: 'c0', image: 'registry.example/app:1', ...good(), ...c }],
    ...extra,
  });
  const withSc = (sc: Record<string, any>) => ({ securityContext: { ...good().securityContext, ...sc } });
  const specs: Array<Record<string, any>> = [
    restricted(),
    restricted({ hostUsers: false }, withSc({ procMount: 'Unmasked' })),
    restricted({ hostUsers: false, securityContext: { runAsNonRoot: false, runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } } }),
    restricted({ hostUsers: false, securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }),
    restricted({}, { livenessProbe: { tcpSocket: { port: 8080, host: '10.0.0.1' } } }),
    restricted({}, { lifecycle: { preStop: { httpGet: { port: 8080, host: 'example.com' } } } }),
    restricted({}, withSc({ seLinuxOptions: { type: 'container_engine_t' } })),
    restricted({}, withSc({ runAsUser: 0 })),
    restricted({}, withSc({ capabilities: { drop: ['ALL'], add: ['CHOWN'] } })),
    restricted({}, withSc({ capabilities: {} })),
    restricted({ volumes: [{ name: 'v', image: { reference: 'registry.example/data:1' } }] }),
    restricted({ os: { name: 'windows' }, securityContext: { runAsNonRoot: true } }, { securityContext: {} }),
    restricted({ os: { name: 'windows' }, securityContext: {} }, { securityContext: {} }),
    restricted({ initContainers: [{ name: 'i0', image: 'registry.example/app:1', restartPolicy: 'Always' }] }),
    ...[
      'net.ipv4.ip_local_reserved_ports',
      'net.ipv4.tcp_fin_timeout',
      'net.ipv4.tcp_wmem',
      'net.ipv4.tcp_slow_start_after_idle',
      'kernel.shm_rmid_forced',
    ].map((name) => restricted({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name, value: '1' }] } })),
  ];
  return specs.map((spec, i) => ({ metadata: { name: `edge${i}` }, spec }));
}

// ---------------------------------------------------------------------------------------------


async function pool<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

describe('PSS engine agrees with the PodSecurity admission plugin', () => {
  test('seeded random pods, dry-run against baseline/restricted namespaces at several versions', async () => {
    const namespaces: Array<{ ns: string; level: PssLevel; version: PssVersion }> = [];
    for (const level of LEVELS)
      for (const version of VERSIONS) {
        const ns = `pss-${level}-${version.replace('.', '-')}`;
        const r = await cluster.request('POST', '/api/v1/namespaces', {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: {
            name: ns,
            labels: { 'pod-security.kubernetes.io/enforce': level, 'pod-security.kubernetes.io/enforce-version': version },
          },
        });
        expect(r.status, r.text).toBe(201);
        namespaces.push({ ns, level, version });
      }
    for (const { ns } of namespaces)
      await eventually(`ServiceAccount ${ns}/default`, async () =>
        (await cluster.request('GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status === 200 ? true : undefined,
      );

    const rand = mulberry32(SEED);
    const pods = [...edgePods(), ...Array.from({ length: POD_COUNT }, (_, i) => genPod(rand, i))];
    const jobs = pods.flatMap((pod) => namespaces.map((n) => ({ pod, ...n })));

    let compared = 0;
    let invalid = 0;
    let allowedCount = 0;
    const validPods = new Set<string>();
    const mismatches: string[] = [];
    const invalidEdges = new Map<string, string>();
    let deniedBoth = 0;
    let sameMessages = 0;
    let appArmorSynced = 0;
    const messageDiffs: string[] = [];
    const t0 = Date.now();
    await pool(jobs, CONCURRENCY, async ({ pod, ns, level, version }) => {
      const res = await cluster.request('POST', `/api/v1/namespaces/${ns}/pods?dryRun=All`, { apiVersion: 'v1', kind: 'Pod', ...pod });
      if (res.status === 422) {
        invalid++;
        if (pod.metadata.name.startsWith('edge')) invalidEdges.set(pod.metadata.name, String(res.body?.message).slice(0, 200));
        return;
      }
      let serverAllowed: boolean;
      if (res.status === 201) serverAllowed = true;
      else if (res.status === 403 && String(res.body?.message).includes('violates PodSecurity')) serverAllowed = false;
      else throw new Error(`unexpected ${res.status} for ${JSON.stringify(pod)}: ${res.text.slice(0, 500)}`);
      compared++;
      validPods.add(pod.metadata.name);
      if (serverAllowed) allowedCount++;
      const ours = evaluatePodSpec(pod.metadata, pod.spec, level, version);
      if (!serverAllowed && !ours.allowed) {
        // Message shape: informational only (the verdict is what must agree).
        const serverList = String(res.body.message).replace(/^.*?violates PodSecurity "[^"]+": /, '');
        const oursList = ours.violations.map((v) => v.message);
        if (oursList.every((m) => serverList.includes(m))) sameMessages++;
        // Known difference: the API server copies a container.apparmor annotation into the
        // container's appArmorProfile field before admission, so its message names both.
        else if (serverList.includes('annotation must not set AppArmor')) appArmorSynced++;
        else if (messageDiffs.length < 10) messageDiffs.push(`server: ${serverList}\n  ours: ${oursList.join(', ')}`);
        deniedBoth++;
      }
      if (ours.allowed !== serverAllowed) {
        mismatches.push(
          [
            `${level}:${version} server=${serverAllowed ? 'allowed' : 'denied'} kubeladder=${ours.allowed ? 'allowed' : 'denied'}`,
            `  pod: ${JSON.stringify(pod)}`,
            `  server: ${serverAllowed ? '201' : res.body.message}`,
            `  ours: ${ours.violations.map((v) => v.message).join(', ') || '(none)'}`,
          ].join('\n'),
        );
      }
    });
    console.info(
      `PSS oracle: ${validPods.size} valid pods of ${pods.length}, ${compared} verdicts compared (${allowedCount} allowed by the server), ${invalid} requests rejected as invalid, ${mismatches.length} disagreements, ${Date.now() - t0} ms`,
    );
    console.info(`PSS oracle messages: ${sameMessages} of ${deniedBoth} denials have every kubeladder message verbatim in the server's; ${appArmorSynced} differ only by the AppArmor annotation-to-field copy`);
    for (const [name, msg] of invalidEdges) console.warn(`edge pod ${name} is invalid: ${msg}`);
    if (messageDiffs.length) console.info(messageDiffs.join('\n'));
    if (mismatches.length) console.error(mismatches.slice(0, 30).join('\n\n'));
    expect(validPods.size).toBeGreaterThan(POD_COUNT / 2);
    expect(allowedCount).toBeGreaterThan(0);
    expect(compared - allowedCount).toBeGreaterThan(0);
    expect(mismatches.length).toBe(0);
  }, 120_000);
});
