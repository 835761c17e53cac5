/**
 * Runs one check over manifest text, in the spirit of ESLint's RuleTester: the verdicts and
 * messages a check gives, without the rest of the pipeline. A fixture may set the cluster's
 * version with a first line `# kubeladder: --kubernetes-version v1.37.2`, have its objects taken
 * as a cluster read with `--input cluster`, and give `--apiserver-address IP[:PORT]` (repeatable).
 * Those last two describe the input itself, so they hold even when options are passed in (a
 * check's examples carry them that way).
 */
import { Readable } from 'node:stream';
import type { Check } from '../../src/core/check.js';
import { runChecks } from '../../src/core/runner.js';
import type { Result } from '../../src/core/types.js';
import { parseDeprecatedRequests } from '../../src/engines/versions/deprecated-requests.js';
import { parseApiserverAddress } from '../../src/engines/network-platform/apiserver.js';
import { readManifests } from '../../src/sources/files.js';

export interface TesterOptions {
  kubernetesVersion?: string;
  targetVersion?: string;
  today?: string;
  /** The API server's /metrics text; a fixture gives it as `# metrics: <line>` lines. */
  apiserverMetrics?: string;
  /** `cluster`: the objects are a cluster read, not manifests. */
  input?: 'cluster';
  apiserverAddresses?: string[];
}

const DIRECTIVE = /^# kubeladder:((?: --[a-z-]+ \S+)+)\s*$/m;

/** Options from a fixture's `# kubeladder: --flag value ...` line. */
export function fixtureOptions(yaml: string): TesterOptions {
  const opts: TesterOptions = {};
  const metrics = [...yaml.matchAll(/^# metrics: (.*)$/gm)].map((x) => x[1]);
  if (metrics.length) opts.apiserverMetrics = `${metrics.join('\n')}\n`;
  const m = DIRECTIVE.exec(yaml);
  if (!m) return opts;
  const words = m[1]!.trim().split(/\s+/);
  for (let i = 0; i < words.length; i += 2) {
    if (words[i] === '--kubernetes-version') opts.kubernetesVersion = words[i + 1];
    else if (words[i] === '--target-version') opts.targetVersion = words[i + 1];
    else if (words[i] === '--today') opts.today = words[i + 1];
    else if (words[i] === '--input' && words[i + 1] === 'cluster') opts.input = 'cluster';
    else if (words[i] === '--apiserver-address') opts.apiserverAddresses = [...(opts.apiserverAddresses ?? []), words[i + 1]!];
  }
  return opts;
}

export async function runCheck(check: Check, yaml: string, opts: TesterOptions = fixtureOptions(yaml)): Promise<Result[]> {
  const read = await readManifests(['-'], { stdin: Readable.from([yaml]) });
  if (read.problems.some((p) => !p.warning)) throw new Error(`bad fixture: ${read.problems.map((p) => p.message).join('; ')}`);
  if (opts.kubernetesVersion) read.inventory.kubernetesVersion = opts.kubernetesVersion;
  if (opts.targetVersion) read.inventory.targetVersion = opts.targetVersion;
  if (opts.apiserverMetrics !== undefined) read.inventory.deprecatedApiRequests = parseDeprecatedRequests(opts.apiserverMetrics);
  const own = fixtureOptions(yaml);
  if ((opts.input ?? own.input) === 'cluster') {
    read.inventory.inputs.delete('manifests');
    read.inventory.inputs.add('cluster');
  }
  const addresses = opts.apiserverAddresses ?? own.apiserverAddresses;
  if (addresses) read.inventory.apiserverAddresses = addresses.map(parseApiserverAddress);
  return runChecks([check], read.inventory, { today: opts.today }).results;
}

export async function failuresOf(check: Check, yaml: string, opts?: TesterOptions): Promise<Result[]> {
  return (await runCheck(check, yaml, opts)).filter((r) => r.status === 'fail');
}
