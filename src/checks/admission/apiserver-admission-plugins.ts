import { defineCheck, type Violation } from '../../core/check.js';
import type { Resource } from '../../core/resource.js';
import { containersOf, podSpecOf } from '../../engines/workloads/pod-specs.js';

/** The API server's flag values, from its container's command and args (`--flag=v` or `--flag v`). */
function flagValues(r: Resource, flag: string): { values: string[]; path: string } | undefined {
  const pod = podSpecOf(r);
  if (!pod) return undefined;
  for (const c of containersOf(pod)) {
    for (const field of ['command', 'args'] as const) {
      const list: unknown[] = Array.isArray(c.container[field]) ? (c.container[field] as unknown[]) : [];
      for (let i = 0; i < list.length; i++) {
        const a = list[i];
        if (typeof a !== 'string') continue;
        const value = a.startsWith(`${flag}=`) ? a.slice(flag.length + 1) : a === flag && typeof list[i + 1] === 'string' ? (list[i + 1] as string) : undefined;
        if (value !== undefined) return { values: value.split(',').map((v) => v.trim()).filter(Boolean), path: `${c.path}.${field}[${i}]` };
      }
    }
  }
  return undefined;
}

/** A kube-apiserver static (or mirror) pod: kube-system, labelled or running kube-apiserver. */
function isApiServer(r: Resource): boolean {
  if (r.namespace !== 'kube-system') return false;
  if (r.labels.component === 'kube-apiserver') return true;
  const pod = podSpecOf(r);
  return !!pod && containersOf(pod).some((c) => Array.isArray(c.container.command) && c.container.command.some((x) => typeof x === 'string' && /(^|\/)kube-apiserver$/.test(x)));
}

export default defineCheck({
  id: 'admission/apiserver-admission-plugins',
  rung: 2,
  severity: 'high',
  title: 'API server admission plugins weaken the cluster',
  rationale:
    "The API server's admission plugins are the last gate before an object is stored. NodeRestriction (not on by default; kubeadm turns it on) limits each kubelet to its own Node and the pods bound to it: without it a stolen kubelet credential may relabel any node and edit any pod, and so steer workloads onto a node it controls. PodSecurity (on by default since 1.25) enforces the namespaces' Pod Security Standards labels: disabling it makes every `pod-security.kubernetes.io/enforce` label decoration. AlwaysAdmit admits everything and was removed as a plugin for good reason. Judged from the kube-apiserver static pod manifest (kubeadm's /etc/kubernetes/manifests/kube-apiserver.yaml, or its mirror pod on a live scan).",
  remediation: 'In the kube-apiserver manifest, add NodeRestriction to `--enable-admission-plugins`, take PodSecurity out of `--disable-admission-plugins`, and take AlwaysAdmit out of `--enable-admission-plugins`.',
  references: [
    { title: 'Kubernetes: admission controllers (which plugins to enable)', url: 'https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#is-there-a-recommended-set-of-admission-controllers-to-use' },
    { title: 'CIS Kubernetes Benchmark 1.2.9, 1.2.15 (AlwaysAdmit, NodeRestriction)', cis: '1.2.15' },
  ],
  needs: { kinds: ['Pod'] },
  kinds: ['Pod'],
  appliesTo: isApiServer,
  examples: {
    bad: `apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
  labels: {component: kube-apiserver, tier: control-plane}
spec:
  hostNetwork: true
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.37.2
      command:
        - kube-apiserver
        - --enable-admission-plugins=AlwaysAdmit
        - --disable-admission-plugins=PodSecurity
`,
    good: `apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
  labels: {component: kube-apiserver, tier: control-plane}
spec:
  hostNetwork: true
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.37.2
      command:
        - kube-apiserver
        - --enable-admission-plugins=NodeRestriction
`,
  },
  evaluate: (r) => {
    const enabled = flagValues(r, '--enable-admission-plugins');
    const disabled = flagValues(r, '--disable-admission-plugins');
    const out: Violation[] = [];
    if (!enabled?.values.includes('NodeRestriction')) {
      const v: Violation = {
        message: `NodeRestriction is not in --enable-admission-plugins${enabled ? ` (${enabled.values.join(',') || 'empty'})` : ' (not set)'}: a kubelet's credential may change any Node and any pod, not only its own`,
        remediation: `Add NodeRestriction to --enable-admission-plugins${enabled ? ` (--enable-admission-plugins=${[...enabled.values, 'NodeRestriction'].join(',')})` : ' (--enable-admission-plugins=NodeRestriction)'}.`,
      };
      if (enabled) v.path = enabled.path;
      out.push(v);
    }
    if (enabled?.values.includes('AlwaysAdmit')) {
      out.push({ path: enabled.path, message: 'AlwaysAdmit is in --enable-admission-plugins: every request is admitted whatever the other plugins say', remediation: 'Remove AlwaysAdmit from --enable-admission-plugins.' });
    }
    if (disabled?.values.includes('PodSecurity')) {
      out.push({ path: disabled.path, message: "PodSecurity is in --disable-admission-plugins: the namespaces' pod-security.kubernetes.io/enforce labels are not enforced", remediation: 'Remove PodSecurity from --disable-admission-plugins.' });
    }
    return out;
  },
});
