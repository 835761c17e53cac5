import { NoInputError, formatProblem } from '../core/errors.js';
import { readManifests, type ReadOutput } from '../sources/files.js';
import type { Io } from './io.js';

/** Reads manifests for a command: each problem on stderr, exit 2 when nothing could be read. */
export async function readManifestsFor(command: string, paths: readonly string[], io: Io, defaultNamespace?: string): Promise<ReadOutput> {
  const read = await readManifests(paths, { cwd: io.cwd, stdin: io.stdin, defaultNamespace });
  for (const p of read.problems) io.stderr.write(`${formatProblem(p)}\n`);
  if (read.readable === 0) throw new NoInputError(`${command}: no input could be read`);
  return read;
}
