import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { readManifestsFor } from './manifests.js';
import { SYSTEM_NAMESPACES } from '../engines/kinds.js';
import type { Io } from './io.js';
import { inClusterCommand } from './generate-in-cluster.js';

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

export function generateCommand(io: Io, done: (code: number) => void): Command {
  const gen = new Command('generate').summary('write manifests that fix what scans find').description('Write manifests: default-deny NetworkPolicies (more generators come with their features).');
  gen
    .command('netpol-default-deny')
    .summary('a default-deny NetworkPolicy per namespace')
    .description(
      'Write a default-deny NetworkPolicy (ingress and egress) for each namespace given with --namespace, or for every namespace found in PATHs (system namespaces excluded).',
    )
    .argument('[paths...]', 'manifests whose namespaces get a policy')
    .option('-n, --namespace <ns>', 'namespace to write a policy for (repeatable)', (v: string, p: string[] | undefined) => [...(p ?? []), v])
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .action(async (paths: string[], opts: { namespace?: string[]; output?: string }) => {
      let namespaces = opts.namespace ?? [];
      if (namespaces.length === 0) {
        if (paths.length === 0) throw new UsageError('generate netpol-default-deny: give --namespace NS or manifests to take namespaces from');
        const read = await readManifestsFor('generate', paths, io);
        namespaces = read.inventory.namespaces().map((n) => n.name).filter((n) => !SYSTEM_NAMESPACES.includes(n));
      }
      const out = [...new Set(namespaces)].map(defaultDenyPolicy).join('---\n');
      if (opts.output) writeFileSync(resolve(io.cwd, opts.output), out);
      else io.stdout.write(out);
      done(0);
    });
  gen.addCommand(inClusterCommand(io, done));
  return gen;
}
