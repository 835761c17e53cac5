/**
 * Runs one check over manifest text, in the spirit of ESLint's RuleTester: the verdicts and
 * messages a check gives, without the rest of the pipeline.
 */
import { Readable } from 'node:stream';
import type { Check } from '../../src/core/check.js';
import { runChecks } from '../../src/core/runner.js';
import type { Result } from '../../src/core/types.js';
import { readManifests } from '../../src/sources/files.js';

export async function runCheck(check: Check, yaml: string): Promise<Result[]> {
  const read = await readManifests(['-'], { stdin: Readable.from([yaml]) });
  if (read.problems.some((p) => !p.warning)) throw new Error(`bad fixture: ${read.problems.map((p) => p.message).join('; ')}`);
  return runChecks([check], read.inventory).results;
}

export async function failuresOf(check: Check, yaml: string): Promise<Result[]> {
  return (await runCheck(check, yaml)).filter((r) => r.status === 'fail');
}
