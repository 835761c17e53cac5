import { pssControlCheck } from '../pss-control.js';

export default pssControlCheck({
  id: 'pod/apparmor',
  pssCheck: 'appArmorProfile',
  level: 'baseline',
  rung: 2,
  severity: 'high',
  title: 'AppArmor disabled',
  rationale:
    'On nodes with AppArmor, the runtime\'s default profile blocks mounts, raw access to /proc and /sys and other escape routes. An `Unconfined` profile (field or the deprecated annotation) removes that layer; Pod Security baseline allows only RuntimeDefault or a Localhost profile.',
  remediation: 'Remove the `Unconfined` AppArmor profile: set `securityContext.appArmorProfile.type: RuntimeDefault` (or a Localhost profile) and drop the `container.apparmor.security.beta.kubernetes.io/*: unconfined` annotations.',
  references: [
    { title: 'Pod Security Standards: AppArmor', url: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline', pss: 'AppArmor' },
    { title: 'Kubernetes: restrict a container\'s access with AppArmor', url: 'https://kubernetes.io/docs/tutorials/security/apparmor/' },
  ],
  examples: {
    bad: `apiVersion: v1
kind: Pod
metadata: {name: builder, namespace: ci}
spec:
  containers:
    - name: builder
      image: registry.example.com/builder:1.0.0
      securityContext:
        appArmorProfile: {type: Unconfined}
`,
    good: `apiVersion: v1
kind: Pod
metadata: {name: builder, namespace: ci}
spec:
  containers:
    - name: builder
      image: registry.example.com/builder:1.0.0
      securityContext:
        appArmorProfile: {type: RuntimeDefault}
`,
  },
});
