import { pssControlCheck } from '../pss-control.js';

export default pssControlCheck({
  id: 'pod/windows-host-process',
  pssCheck: 'windowsHostProcess',
  level: 'baseline',
  rung: 2,
  severity: 'critical',
  title: 'Windows HostProcess container',
  rationale:
    'A Windows HostProcess container runs directly on the Windows node as a host process, with the node\'s network and filesystem and, by default, as SYSTEM: it is the Windows equivalent of a privileged container, and Pod Security baseline forbids it.',
  remediation: 'Remove `windowsOptions.hostProcess: true`; node agents that need it (exporters, CNI installers) run in a namespace of their own at the privileged level, with an exemption that gives the reason.',
  references: [
    { title: 'Pod Security Standards: HostProcess', url: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline', pss: 'HostProcess' },
    { title: 'CIS Kubernetes Benchmark 5.2.11', cis: '5.2.11' },
  ],
  examples: {
    bad: `apiVersion: v1
kind: Pod
metadata: {name: exporter, namespace: monitoring}
spec:
  os: {name: windows}
  hostNetwork: true
  securityContext:
    windowsOptions: {hostProcess: true}
  containers:
    - {name: exporter, image: "registry.example.com/windows-exporter:0.30.0"}
`,
    good: `apiVersion: v1
kind: Pod
metadata: {name: exporter, namespace: monitoring}
spec:
  os: {name: windows}
  containers:
    - {name: exporter, image: "registry.example.com/windows-exporter:0.30.0"}
`,
  },
});
