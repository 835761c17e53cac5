import { describe, expect, test } from 'vitest';
import { evaluatePodSpec, parseVersion, type PssLevel, type PssVersion } from '../../src/engines/pss/index.js';

/** A pod that passes restricted at every version. */
function restrictedPod(): Record<string, any> {
  return {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'c',
        image: 'app:1',
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      },
    ],
  };
}

const withC = (sc: Record<string, unknown>) => (p: Record<string, any>) => {
  p.containers[0].securityContext = { ...p.containers[0].securityContext, ...sc };
};
const withPodSc = (sc: Record<string, unknown>) => (p: Record<string, any>) => {
  p.securityContext = { ...p.securityContext, ...sc };
};
const withSpec = (extra: Record<string, unknown>) => (p: Record<string, any>) => Object.assign(p, extra);

interface Case {
  name: string;
  mutate: (p: Record<string, any>) => void;
  annotations?: Record<string, string>;
  level: PssLevel;
  version: PssVersion;
  /** Expected failing check ids (empty: allowed). */
  checks: string[];
  message?: string;
}

const cases: Case[] = [
  { name: 'compliant pod passes restricted', mutate: () => {}, level: 'restricted', version: 'latest', checks: [] },
  { name: 'compliant pod passes baseline', mutate: () => {}, level: 'baseline', version: 'v1.0', checks: [] },
  // hostNamespaces
  {
    name: 'hostNetwork + hostPID',
    mutate: withSpec({ hostNetwork: true, hostPID: true }),
    level: 'baseline',
    version: 'latest',
    checks: ['hostNamespaces'],
    message: 'host namespaces (hostNetwork=true, hostPID=true)',
  },
  { name: 'hostIPC', mutate: withSpec({ hostIPC: true }), level: 'baseline', version: 'v1.22', checks: ['hostNamespaces'] },
  { name: 'hostNetwork=false', mutate: withSpec({ hostNetwork: false }), level: 'baseline', version: 'latest', checks: [] },
  // privileged
  {
    name: 'privileged container',
    mutate: withC({ privileged: true }),
    level: 'baseline',
    version: 'latest',
    checks: ['privileged'],
    message: 'privileged (container "c" must not set securityContext.privileged=true)',
  },
  {
    name: 'privileged init containers (plural)',
    mutate: (p) => {
      p.initContainers = [
        { name: 'i1', securityContext: { privileged: true } },
        { name: 'i2', securityContext: { privileged: true } },
      ];
    },
    level: 'baseline',
    version: 'latest',
    checks: ['privileged'],
    message: 'privileged (containers "i1", "i2" must not set securityContext.privileged=true)',
  },
  {
    name: 'privileged ephemeral container',
    mutate: (p) => {
      p.ephemeralContainers = [{ name: 'e', securityContext: { privileged: true } }];
    },
    level: 'baseline',
    version: 'latest',
    checks: ['privileged'],
  },
  // capabilities_baseline
  {
    name: 'baseline allows CHOWN',
    mutate: withC({ capabilities: { add: ['CHOWN'] } }),
    level: 'baseline',
    version: 'latest',
    checks: [],
  },
  {
    name: 'baseline forbids NET_RAW and SYS_ADMIN',
    mutate: withC({ capabilities: { add: ['SYS_ADMIN', 'NET_RAW'] } }),
    level: 'baseline',
    version: 'latest',
    checks: ['capabilities_baseline'],
    message: 'non-default capabilities (container "c" must not include "NET_RAW", "SYS_ADMIN" in securityContext.capabilities.add)',
  },
  // hostPathVolumes / restrictedVolumes
  {
    name: 'hostPath volume at baseline',
    mutate: withSpec({ volumes: [{ name: 'h', hostPath: { path: '/' } }] }),
    level: 'baseline',
    version: 'latest',
    checks: ['hostPathVolumes'],
    message: 'hostPath volumes (volume "h")',
  },
  {
    name: 'hostPath volume at restricted reported by restrictedVolumes only',
    mutate: withSpec({ volumes: [{ name: 'h', hostPath: { path: '/' } }] }),
    level: 'restricted',
    version: 'latest',
    checks: ['restrictedVolumes'],
    message: 'restricted volume types (volume "h" uses restricted volume type "hostPath")',
  },
  {
    name: 'nfs allowed at baseline, not restricted',
    mutate: withSpec({ volumes: [{ name: 'n', nfs: { server: 's', path: '/' } }] }),
    level: 'baseline',
    version: 'latest',
    checks: [],
  },
  {
    name: 'nfs at restricted',
    mutate: withSpec({ volumes: [{ name: 'n', nfs: { server: 's', path: '/' } }] }),
    level: 'restricted',
    version: 'v1.22',
    checks: ['restrictedVolumes'],
  },
  {
    name: 'allowed restricted volume types (image included at every version)',
    mutate: withSpec({
      volumes: [
        { name: 'a', configMap: { name: 'x' } },
        { name: 'b', secret: { secretName: 'x' } },
        { name: 'c', emptyDir: {} },
        { name: 'd', persistentVolumeClaim: { claimName: 'x' } },
        { name: 'e', projected: { sources: [] } },
        { name: 'f', downwardAPI: {} },
        { name: 'g', csi: { driver: 'x' } },
        { name: 'h', ephemeral: { volumeClaimTemplate: {} } },
        { name: 'i', image: { reference: 'x:1' } },
      ],
    }),
    level: 'restricted',
    version: 'v1.25',
    checks: [],
  },
  // hostPorts
  {
    name: 'hostPort',
    mutate: (p) => {
      p.containers[0].ports = [{ containerPort: 80, hostPort: 8080 }];
    },
    level: 'baseline',
    version: 'latest',
    checks: ['hostPorts'],
    message: 'hostPort (container "c" uses hostPort 8080)',
  },
  {
    name: 'hostPort 0 is fine',
    mutate: (p) => {
      p.containers[0].ports = [{ containerPort: 80, hostPort: 0 }];
    },
    level: 'baseline',
    version: 'latest',
    checks: [],
  },
  // appArmorProfile
  {
    name: 'AppArmor unconfined annotation',
    mutate: () => {},
    annotations: { 'container.apparmor.security.beta.kubernetes.io/c': 'unconfined' },
    level: 'baseline',
    version: 'v1.22',
    checks: ['appArmorProfile'],
    message:
      'forbidden AppArmor profile (annotation must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/c="unconfined"")',
  },
  {
    name: 'AppArmor runtime/default and localhost/ annotations',
    mutate: () => {},
    annotations: {
      'container.apparmor.security.beta.kubernetes.io/c': 'runtime/default',
      'container.apparmor.security.beta.kubernetes.io/d': 'localhost/x',
    },
    level: 'baseline',
    version: 'latest',
    checks: [],
  },
  {
    name: 'AppArmor Unconfined field checked even at old versions',
    mutate: withC({ appArmorProfile: { type: 'Unconfined' } }),
    level: 'baseline',
    version: 'v1.18',
    checks: ['appArmorProfile'],
    message: 'forbidden AppArmor profile (container "c" must not set AppArmor profile type to "Unconfined")',
  },
  {
    name: 'AppArmor pod-level Localhost field',
    mutate: withPodSc({ appArmorProfile: { type: 'Localhost', localhostProfile: 'p' } }),
    level: 'baseline',
    version: 'latest',
    checks: [],
  },
  // seLinuxOptions
  {
    name: 'SELinux spc_t',
    mutate: withC({ seLinuxOptions: { type: 'spc_t' } }),
    level: 'baseline',
    version: 'latest',
    checks: ['seLinuxOptions'],
    message: 'seLinuxOptions (container "c" set forbidden securityContext.seLinuxOptions: type "spc_t")',
  },
  {
    name: 'SELinux pod user',
    mutate: withPodSc({ seLinuxOptions: { user: 'system_u' } }),
    level: 'baseline',
    version: 'latest',
    checks: ['seLinuxOptions'],
    message: 'seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: user may not be set)',
  },
  {
    name: 'SELinux level only is fine',
    mutate: withC({ seLinuxOptions: { level: 's0:c1,c2' } }),
    level: 'baseline',
    version: 'latest',
    checks: [],
  },
  { name: 'container_engine_t before 1.31', mutate: withC({ seLinuxOptions: { type: 'container_engine_t' } }), level: 'baseline', version: 'v1.30', checks: ['seLinuxOptions'] },
  { name: 'container_engine_t from 1.31', mutate: withC({ seLinuxOptions: { type: 'container_engine_t' } }), level: 'baseline', version: 'v1.31', checks: [] },
  // procMount
  {
    name: 'procMount Unmasked',
    mutate: withC({ procMount: 'Unmasked' }),
    level: 'baseline',
    version: 'v1.34',
    checks: ['procMount'],
    message: 'procMount (container "c" must not set securityContext.procMount to "Unmasked")',
  },
  { name: 'procMount Default', mutate: withC({ procMount: 'Default' }), level: 'baseline', version: 'latest', checks: [] },
  {
    name: 'procMount Unmasked with hostUsers=false before 1.35',
    mutate: (p) => {
      withC({ procMount: 'Unmasked' })(p);
      p.hostUsers = false;
    },
    level: 'baseline',
    version: 'v1.34',
    checks: ['procMount'],
  },
  {
    name: 'procMount Unmasked with hostUsers=false relaxed at baseline 1.35',
    mutate: (p) => {
      withC({ procMount: 'Unmasked' })(p);
      p.hostUsers = false;
    },
    level: 'baseline',
    version: 'v1.35',
    checks: [],
  },
  {
    name: 'procMount Unmasked with hostUsers=false still forbidden at restricted 1.35',
    mutate: (p) => {
      withC({ procMount: 'Unmasked' })(p);
      p.hostUsers = false;
    },
    level: 'restricted',
    version: 'latest',
    checks: ['procMount_restricted'],
  },
  // seccompProfile_baseline
  {
    name: 'seccomp unconfined pod annotation before 1.19',
    mutate: () => {},
    annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' },
    level: 'baseline',
    version: 'v1.18',
    checks: ['seccompProfile_baseline'],
  },
  {
    name: 'seccomp unconfined container annotation before 1.19',
    mutate: () => {},
    annotations: { 'container.seccomp.security.alpha.kubernetes.io/c': 'unconfined' },
    level: 'baseline',
    version: 'v1.18',
    checks: ['seccompProfile_baseline'],
  },
  {
    name: 'seccomp annotation ignored from 1.19 (fields instead)',
    mutate: () => {},
    annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' },
    level: 'baseline',
    version: 'v1.19',
    checks: [],
  },
  { name: 'seccomp Unconfined field ignored before 1.19', mutate: withC({ seccompProfile: { type: 'Unconfined' } }), level: 'baseline', version: 'v1.18', checks: [] },
  {
    name: 'seccomp Unconfined field from 1.19',
    mutate: withC({ seccompProfile: { type: 'Unconfined' } }),
    level: 'baseline',
    version: 'v1.19',
    checks: ['seccompProfile_baseline'],
    message: 'seccompProfile (container "c" must not set securityContext.seccompProfile.type to "Unconfined")',
  },
  // sysctls
  { name: 'safe sysctl', mutate: withPodSc({ sysctls: [{ name: 'net.ipv4.tcp_syncookies', value: '1' }] }), level: 'baseline', version: 'v1.0', checks: [] },
  {
    name: 'unsafe sysctl',
    mutate: withPodSc({ sysctls: [{ name: 'kernel.msgmax', value: '1' }] }),
    level: 'baseline',
    version: 'latest',
    checks: ['sysctls'],
    message: 'forbidden sysctls (kernel.msgmax)',
  },
  { name: 'ip_local_reserved_ports before 1.27', mutate: withPodSc({ sysctls: [{ name: 'net.ipv4.ip_local_reserved_ports', value: '1' }] }), level: 'baseline', version: 'v1.26', checks: ['sysctls'] },
  { name: 'ip_local_reserved_ports from 1.27', mutate: withPodSc({ sysctls: [{ name: 'net.ipv4.ip_local_reserved_ports', value: '1' }] }), level: 'baseline', version: 'v1.27', checks: [] },
  { name: 'tcp_keepalive_time before 1.29', mutate: withPodSc({ sysctls: [{ name: 'net.ipv4.tcp_keepalive_time', value: '1' }] }), level: 'baseline', version: 'v1.28', checks: ['sysctls'] },
  { name: 'tcp_keepalive_time from 1.29', mutate: withPodSc({ sysctls: [{ name: 'net.ipv4.tcp_keepalive_time', value: '1' }] }), level: 'baseline', version: 'v1.29', checks: [] },
  { name: 'tcp_rmem before 1.32', mutate: withPodSc({ sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '1' }] }), level: 'baseline', version: 'v1.31', checks: ['sysctls'] },
  { name: 'tcp_wmem from 1.32', mutate: withPodSc({ sysctls: [{ name: 'net.ipv4.tcp_wmem', value: '1' }] }), level: 'baseline', version: 'v1.32', checks: [] },
  { name: 'tcp_notsent_lowat before 1.37', mutate: withPodSc({ sysctls: [{ name: 'net.ipv4.tcp_notsent_lowat', value: '1' }] }), level: 'baseline', version: 'v1.36', checks: ['sysctls'] },
  { name: 'tcp_notsent_lowat at latest', mutate: withPodSc({ sysctls: [{ name: 'net.ipv4.tcp_notsent_lowat', value: '1' }] }), level: 'baseline', version: 'latest', checks: [] },
  // windowsHostProcess
  {
    name: 'hostProcess',
    mutate: withPodSc({ windowsOptions: { hostProcess: true } }),
    level: 'baseline',
    version: 'latest',
    checks: ['windowsHostProcess'],
    message: 'hostProcess (pod must not set securityContext.windowsOptions.hostProcess=true)',
  },
  // hostProbesAndHostLifecycle
  {
    name: 'probe host before 1.34',
    mutate: (p) => {
      p.containers[0].livenessProbe = { httpGet: { port: 80, host: '10.0.0.1' } };
    },
    level: 'baseline',
    version: 'v1.33',
    checks: [],
  },
  {
    name: 'probe host from 1.34',
    mutate: (p) => {
      p.containers[0].livenessProbe = { httpGet: { port: 80, host: '10.0.0.1' } };
    },
    level: 'baseline',
    version: 'v1.34',
    checks: ['hostProbesAndHostLifecycle'],
    message: 'probe or lifecycle host (container "c" uses probe or lifecycle host "10.0.0.1")',
  },
  {
    name: 'lifecycle tcpSocket host',
    mutate: (p) => {
      p.containers[0].lifecycle = { preStop: { tcpSocket: { port: 80, host: 'example.com' } } };
    },
    level: 'baseline',
    version: 'latest',
    checks: ['hostProbesAndHostLifecycle'],
  },
  // allowPrivilegeEscalation
  {
    name: 'allowPrivilegeEscalation unset',
    mutate: (p) => {
      delete p.containers[0].securityContext.allowPrivilegeEscalation;
    },
    level: 'restricted',
    version: 'latest',
    checks: ['allowPrivilegeEscalation'],
    message: 'allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false)',
  },
  {
    name: 'allowPrivilegeEscalation unset before 1.8',
    mutate: (p) => {
      delete p.containers[0].securityContext.allowPrivilegeEscalation;
    },
    level: 'restricted',
    version: 'v1.7',
    checks: [],
  },
  // runAsNonRoot
  {
    name: 'runAsNonRoot unset anywhere',
    mutate: (p) => {
      delete p.securityContext.runAsNonRoot;
    },
    level: 'restricted',
    version: 'latest',
    checks: ['runAsNonRoot'],
    message: 'runAsNonRoot != true (pod or container "c" must set securityContext.runAsNonRoot=true)',
  },
  {
    name: 'runAsNonRoot set per container only',
    mutate: (p) => {
      delete p.securityContext.runAsNonRoot;
      withC({ runAsNonRoot: true })(p);
    },
    level: 'restricted',
    version: 'latest',
    checks: [],
  },
  {
    name: 'container overrides pod runAsNonRoot=true with false',
    mutate: withC({ runAsNonRoot: false }),
    level: 'restricted',
    version: 'latest',
    checks: ['runAsNonRoot'],
    message: 'runAsNonRoot != true (container "c" must not set securityContext.runAsNonRoot=false)',
  },
  {
    name: 'runAsNonRoot=false with hostUsers=false before 1.35',
    mutate: (p) => {
      withPodSc({ runAsNonRoot: false })(p);
      p.hostUsers = false;
    },
    level: 'restricted',
    version: 'v1.34',
    checks: ['runAsNonRoot'],
  },
  {
    name: 'runAsNonRoot=false with hostUsers=false relaxed from 1.35',
    mutate: (p) => {
      withPodSc({ runAsNonRoot: false })(p);
      p.hostUsers = false;
    },
    level: 'restricted',
    version: 'v1.35',
    checks: [],
  },
  // runAsUser
  { name: 'runAsUser=0 before 1.23', mutate: withC({ runAsUser: 0 }), level: 'restricted', version: 'v1.22', checks: [] },
  {
    name: 'runAsUser=0 from 1.23',
    mutate: withC({ runAsUser: 0 }),
    level: 'restricted',
    version: 'v1.23',
    checks: ['runAsUser'],
    message: 'runAsUser=0 (container "c" must not set runAsUser=0)',
  },
  { name: 'pod runAsUser=0', mutate: withPodSc({ runAsUser: 0 }), level: 'restricted', version: 'latest', checks: ['runAsUser'] },
  { name: 'runAsUser=1000', mutate: withC({ runAsUser: 1000 }), level: 'restricted', version: 'latest', checks: [] },
  {
    name: 'runAsUser=0 with hostUsers=false relaxed from 1.35',
    mutate: (p) => {
      withPodSc({ runAsUser: 0 })(p);
      p.hostUsers = false;
    },
    level: 'restricted',
    version: 'latest',
    checks: [],
  },
  // seccompProfile_restricted
  {
    name: 'seccomp unset everywhere',
    mutate: (p) => {
      delete p.securityContext.seccompProfile;
    },
    level: 'restricted',
    version: 'latest',
    checks: ['seccompProfile_restricted'],
    message: 'seccompProfile (pod or container "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
  },
  {
    name: 'seccomp unset everywhere before 1.19',
    mutate: (p) => {
      delete p.securityContext.seccompProfile;
    },
    level: 'restricted',
    version: 'v1.18',
    checks: [],
  },
  {
    name: 'seccomp set per container (Localhost)',
    mutate: (p) => {
      delete p.securityContext.seccompProfile;
      withC({ seccompProfile: { type: 'Localhost', localhostProfile: 'x.json' } })(p);
    },
    level: 'restricted',
    version: 'latest',
    checks: [],
  },
  {
    name: 'container Unconfined overrides pod RuntimeDefault',
    mutate: withC({ seccompProfile: { type: 'Unconfined' } }),
    level: 'restricted',
    version: 'latest',
    checks: ['seccompProfile_restricted'],
    message: 'seccompProfile (container "c" must not set securityContext.seccompProfile.type to "Unconfined")',
  },
  // capabilities_restricted
  {
    name: 'no drop ALL',
    mutate: withC({ capabilities: {} }),
    level: 'restricted',
    version: 'latest',
    checks: ['capabilities_restricted'],
    message: 'unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"])',
  },
  { name: 'no drop ALL before 1.22', mutate: withC({ capabilities: {} }), level: 'restricted', version: 'v1.21', checks: [] },
  { name: 'add NET_BIND_SERVICE', mutate: withC({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } }), level: 'restricted', version: 'latest', checks: [] },
  {
    name: 'add CHOWN at restricted (baseline-allowed)',
    mutate: withC({ capabilities: { drop: ['ALL'], add: ['CHOWN'] } }),
    level: 'restricted',
    version: 'latest',
    checks: ['capabilities_restricted'],
    message: 'unrestricted capabilities (container "c" must not include "CHOWN" in securityContext.capabilities.add)',
  },
  {
    name: 'add SYS_ADMIN before 1.22 is caught by capabilities_baseline',
    mutate: withC({ capabilities: { add: ['SYS_ADMIN'] } }),
    level: 'restricted',
    version: 'v1.21',
    checks: ['capabilities_baseline'],
  },
  // Windows pods
  {
    name: 'windows pod skips APE, seccomp and capabilities from 1.25',
    mutate: (p) => {
      p.os = { name: 'windows' };
      delete p.securityContext.seccompProfile;
      p.containers[0].securityContext = {};
    },
    level: 'restricted',
    version: 'v1.25',
    checks: [],
  },
  {
    name: 'windows pod before 1.25 still checked',
    mutate: (p) => {
      p.os = { name: 'windows' };
      delete p.securityContext.seccompProfile;
      p.containers[0].securityContext = {};
    },
    level: 'restricted',
    version: 'v1.24',
    checks: ['allowPrivilegeEscalation', 'capabilities_restricted', 'seccompProfile_restricted'],
  },
  {
    name: 'windows pod still needs runAsNonRoot',
    mutate: (p) => {
      p.os = { name: 'windows' };
      delete p.securityContext.runAsNonRoot;
    },
    level: 'restricted',
    version: 'latest',
    checks: ['runAsNonRoot'],
  },
  // init containers count at restricted
  {
    name: 'init container without restricted settings',
    mutate: (p) => {
      p.initContainers = [{ name: 'i', image: 'x' }];
    },
    level: 'restricted',
    version: 'latest',
    checks: ['allowPrivilegeEscalation', 'capabilities_restricted'],
  },
  // baseline ignores restricted checks
  {
    name: 'baseline ignores restricted-only problems',
    mutate: (p) => {
      p.securityContext = {};
      p.containers[0].securityContext = { runAsUser: 0 };
    },
    level: 'baseline',
    version: 'latest',
    checks: [],
  },
];

describe('evaluatePodSpec', () => {
  test.each(cases)('$name ($level:$version)', (c) => {
    const pod = restrictedPod();
    c.mutate(pod);
    const r = evaluatePodSpec({ annotations: c.annotations }, pod, c.level, c.version);
    expect(r.violations.map((v) => v.check).sort()).toEqual([...c.checks].sort());
    expect(r.allowed).toBe(c.checks.length === 0);
    if (c.message) expect(r.violations.map((v) => v.message)).toContain(c.message);
  });

  test('violations come in the plugin order: baseline by id, then restricted by id', () => {
    const pod = restrictedPod();
    pod.hostPID = true;
    pod.securityContext = {};
    pod.containers[0].securityContext = { privileged: true };
    const r = evaluatePodSpec({}, pod, 'restricted', 'latest');
    expect(r.violations.map((v) => v.check)).toEqual([
      'hostNamespaces',
      'privileged',
      'allowPrivilegeEscalation',
      'capabilities_restricted',
      'runAsNonRoot',
      'seccompProfile_restricted',
    ]);
  });

  test('versions', () => {
    expect(parseVersion('latest')).toBeGreaterThan(100);
    expect(parseVersion('v1.25')).toBe(25);
    expect(() => parseVersion('1.25' as PssVersion)).toThrow(/invalid/);
  });
});
