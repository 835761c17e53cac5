/** The options every reporting command shares: --format, --output, --fail-on, --show-*. */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { CHECKS } from '../checks/index.js';
import { atLeast, isSeverity } from '../core/severity.js';
import type { ResultsDocument } from '../core/results.js';
import type { Severity } from '../core/types.js';
import { REPORTERS, isFormat, type FormatName } from '../reporters/index.js';
import type { Rendered } from '../reporters/types.js';
import type { Io } from './io.js';

export interface OutputOptions {
  format?: string;
  output?: string;
  failOn?: string;
  showPassed?: boolean;
  showExempt?: boolean;
}

export function addOutputOptions(cmd: Command): Command {
  return cmd
    .option('--format <name>', `output format: ${Object.keys(REPORTERS).join(', ')}`, 'text')
    .option('-o, --output <file>', 'write the report to FILE instead of stdout')
    .option('--fail-on <severity>', 'exit 1 when a failure is at or above this severity (critical, high, medium, low, info, none)', 'high')
    .option('--show-passed', 'list passing results too')
    .option('--show-exempt', 'list exempted results too');
}

export function parseFailOn(v: string | undefined): Severity | 'none' {
  const s = v ?? 'high';
  if (s === 'none' || isSeverity(s)) return s;
  throw new UsageError(`--fail-on: "${s}" is not one of critical, high, medium, low, info, none`);
}

export function parseFormat(v: string | undefined): FormatName {
  const f = v ?? 'text';
  if (!isFormat(f)) throw new UsageError(`--format: "${f}" is not one of ${Object.keys(REPORTERS).join(', ')}`);
  return f;
}

/** Renders and writes the report; returns 1 when a failure is at or above --fail-on, else 0. */
export function emit(doc: ResultsDocument, opts: OutputOptions, io: Io, command: string): number {
  const format = parseFormat(opts.format);
  const failOn = parseFailOn(opts.failOn);
  const toFile = opts.output !== undefined && opts.output !== '-';
  const color = !toFile && format === 'text' && wantsColor(io);
  const catalogue = new Map(CHECKS.map((c) => [c.id, c]));
  const rendered = REPORTERS[format]({ doc, catalogue, color, command });
  if (toFile) writeRendered(resolve(io.cwd, opts.output!), rendered);
  else if (typeof rendered === 'string') io.stdout.write(rendered);
  else for (const piece of batched(rendered)) io.stdout.write(piece);
  if (failOn === 'none') return 0;
  return doc.checks.some((c) => c.counts.fail > 0 && atLeast(c.severity, failOn)) ? 1 : 0;
}

function writeRendered(path: string, rendered: Rendered): void {
  if (typeof rendered === 'string') return writeFileSync(path, rendered);
  const fd = openSync(path, 'w');
  try {
    for (const piece of batched(rendered)) writeSync(fd, piece);
  } finally {
    closeSync(fd);
  }
}

/** Pieces joined into writes of about 1 MiB: few syscalls, no giant string. */
function* batched(pieces: Iterable<string>): Generator<string> {
  let buf: string[] = [];
  let size = 0;
  for (const p of pieces) {
    buf.push(p);
    size += p.length;
    if (size >= 1 << 20) {
      yield buf.join('');
      buf = [];
      size = 0;
    }
  }
  if (buf.length) yield buf.join('');
}

function wantsColor(io: Io): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.stdout.isTTY === true;
}
