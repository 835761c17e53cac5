import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { readManifestsFor } from './manifests.js';
import { SYSTEM_NAMESPACES } from '../engines/kinds.js';
import type { Io } from './io.js';
import { inClusterCommand } from './generate-in-cluster.js';
import { webhookCommand } from './generate-webhook.js';
import { webhookCertsCommand } from './webhook-certs.js';
import { stringify } from 'yaml';
import { proposePsaLabels, type PsaProposal } from '../engines/pss/proposals.js';
import { parsePssVersion } from './pss.js';

/** The seed's default deny: every pod selected, both directions isolated, no rule allowing anything. */
export function defaultDenyPolicy(namespace: string): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: ${namespace}
spec:
  podSelector: {}
  policyTypes:
    - Ingress
    - Egress
`;
}

/**
 * The companion of a default deny: every pod of the namespace may send DNS queries (UDP and TCP
 * 53) to cluster DNS, kube-system's pods labelled k8s-app=kube-dns, and nowhere else. The
 * namespace and pod selectors sit in one peer, so both must match.
 */
export function allowDnsPolicy(namespace: string): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns
  namespace: ${namespace}
spec:
  podSelector: {}
  policyTypes:
    - Egress
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - protocol: UDP
          port: 53
        - protocol: TCP
          port: 53
`;
}

/** A generator that writes one NetworkPolicy per namespace, named with --namespace or found in PATHs. */
function perNamespacePolicyCommand(io: Io, done: (code: number) => void, name: string, summary: string, what: string, policy: (namespace: string) => string): Command {
  return new Command(name)
    .summary(summary)
    .description(`Write ${what} for each namespace given with --namespace, or for every namespace found in PATHs (system namespaces excluded).`)
    .argument('[paths...]', 'manifests whose namespaces get a policy')
    .option('-n, --namespace <ns>', 'namespace to write a policy for (repeatable)', (v: string, p: string[] | undefined) => [...(p ?? []), v])
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .action(async (paths: string[], opts: { namespace?: string[]; output?: string }) => {
      let namespaces = opts.namespace ?? [];
      if (namespaces.length === 0) {
        if (paths.length === 0) throw new UsageError(`generate ${name}: give --namespace NS or manifests to take namespaces from`);
        const read = await readManifestsFor('generate', paths, io);
        namespaces = read.inventory.namespaces().map((n) => n.name).filter((n) => !SYSTEM_NAMESPACES.includes(n));
      }
      const out = [...new Set(namespaces)].map(policy).join('---\n');
      if (opts.output) writeFileSync(resolve(io.cwd, opts.output), out);
      else io.stdout.write(out);
      done(0);
    });
}

export function generateCommand(io: Io, done: (code: number) => void): Command {
  const gen = new Command('generate')
    .summary('write manifests that fix what scans find')
    .description('Write manifests: default-deny and allow-DNS NetworkPolicies, Pod Security Admission labels, in-cluster scan setups.');
  gen.addCommand(perNamespacePolicyCommand(io, done, 'netpol-default-deny', 'a default-deny NetworkPolicy per namespace', 'a default-deny NetworkPolicy (ingress and egress)', defaultDenyPolicy));
  gen.addCommand(
    perNamespacePolicyCommand(
      io,
      done,
      'netpol-allow-dns',
      'an allow-DNS egress NetworkPolicy per namespace, the companion of a default deny',
      'an egress NetworkPolicy "allow-dns" that lets every pod of the namespace reach cluster DNS (UDP and TCP 53 to kube-system pods labelled k8s-app=kube-dns), the usual companion of a default deny,',
      allowDnsPolicy,
    ),
  );
  gen.addCommand(psaLabelsCommand(io, done));
  gen.addCommand(inClusterCommand(io, done));
  gen.addCommand(webhookCommand(io, done));
  gen.addCommand(webhookCertsCommand(io, done));
  return gen;
}

function shellWord(s: string): string {
  return /^[A-Za-z0-9._\/=:-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function renderPsaLabels(proposals: readonly PsaProposal[], format: 'yaml' | 'kubectl'): string {
  const comments = (p: PsaProposal) => p.reasons.map((r) => `# ${r}\n`).join('');
  if (format === 'kubectl') {
    return proposals
      .map((p) => `${comments(p)}kubectl label namespace ${shellWord(p.namespace)} ${Object.entries(p.labels).map(([k, v]) => shellWord(`${k}=${v}`)).join(' ')} --overwrite\n`)
      .join('');
  }
  return proposals.map((p) => `${comments(p)}${stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: p.namespace, labels: p.labels } })}`).join('---\n');
}

function psaLabelsCommand(io: Io, done: (code: number) => void): Command {
  return new Command('psa-labels')
    .summary('Pod Security Admission labels each namespace can enforce today')
    .description(
      'Propose, for every namespace found in PATHs (kube-system, kube-public and kube-node-lease left out), the strictest Pod Security Admission level its workloads in the input already pass, ' +
        'as enforce labels (with warn and audit at restricted while below restricted; no enforce-version, so the policy tracks the cluster). ' +
        'A namespace without workloads in the input gets baseline, the safe default. ' +
        'The default output is Namespace patches for `kubectl apply --server-side -f`; --format kubectl prints `kubectl label` commands.',
    )
    .argument('<paths...>', 'manifests to read (- reads stdin)')
    .option('--exclude <ns>', 'leave this namespace out (repeatable)', (v: string, p: string[] | undefined) => [...(p ?? []), v])
    .option('--version <version>', "the policy version to judge the workloads by, latest or v1.N: your cluster's minor version (e.g. v1.30)", 'latest')
    .option('--format <name>', 'yaml (Namespace patches) or kubectl (`kubectl label` commands)', 'yaml')
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .action(async (paths: string[], opts: { exclude?: string[]; version: string; format: string; output?: string }) => {
      const version = parsePssVersion(opts.version);
      if (opts.format !== 'yaml' && opts.format !== 'kubectl') throw new UsageError(`--format: "${opts.format}" is not one of yaml, kubectl`);
      const read = await readManifestsFor('generate psa-labels', paths, io);
      const proposals = proposePsaLabels(read.inventory, version, new Set(opts.exclude ?? []));
      if (proposals.length === 0) io.stderr.write('generate psa-labels: no namespaces in the input (system and excluded ones left out)\n');
      const out = renderPsaLabels(proposals, opts.format);
      if (opts.output !== undefined && opts.output !== '-') writeFileSync(resolve(io.cwd, opts.output), out);
      else io.stdout.write(out);
      done(0);
    });
}
