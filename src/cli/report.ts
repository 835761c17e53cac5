import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { NoInputError, UsageError, formatProblem } from '../core/errors.js';
import { RESULTS_API_VERSION, mergeDocuments, type ResultsDocument } from '../core/results.js';
import { VERSION } from '../version.js';
import type { Io } from './io.js';
import { addOutputOptions, emit, type OutputOptions } from './output.js';

export function reportCommand(io: Io, done: (code: number) => void): Command {
  const cmd = new Command('report')
    .summary('merge results documents into one ladder')
    .description('Merge results documents written with `--format json` by scan (and node and expose) into one ladder, in any format.')
    .argument('<files...>', 'results documents (- reads stdin)');
  addOutputOptions(cmd);
  return cmd.action(async (files: string[], opts: OutputOptions) => done(await runReport(files, opts, io)));
}

export async function runReport(files: string[], opts: OutputOptions, io: Io): Promise<number> {
  if (files.length === 0) throw new UsageError('report: give one or more results documents');
  const docs: ResultsDocument[] = [];
  for (const f of files) {
    try {
      const text = f === '-' ? await readAll(io.stdin) : readFileSync(resolve(io.cwd, f), 'utf8');
      docs.push(validate(JSON.parse(text), f));
    } catch (e) {
      const msg = e instanceof SyntaxError ? `invalid JSON: ${e.message}` : (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
      io.stderr.write(`${formatProblem({ file: f, message: msg })}\n`);
    }
  }
  if (docs.length === 0) throw new NoInputError('report: no results document could be read');
  return emit(mergeDocuments(docs, VERSION, opts), opts, io, 'report');
}

function validate(v: unknown, file: string): ResultsDocument {
  const d = v as Partial<ResultsDocument>;
  if (d?.apiVersion !== RESULTS_API_VERSION || d.kind !== 'Results') {
    throw new Error(`not a kubeladder results document (want apiVersion ${RESULTS_API_VERSION}, kind Results; write one with --format json)`);
  }
  if (!Array.isArray(d.checks) || !Array.isArray(d.results)) throw new Error(`${file}: results document without checks or results`);
  return d as ResultsDocument;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let s = '';
  for await (const chunk of stream as AsyncIterable<Buffer | string>) s += chunk.toString();
  return s;
}
