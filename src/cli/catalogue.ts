import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { CHECKS, findCheck } from '../checks/index.js';
import { UsageError } from '../core/errors.js';
import { catalogueJson, catalogueMarkdown, catalogueText, explainText } from '../docs/catalogue.js';
import type { Io } from './io.js';

const FORMATS = { text: catalogueText, json: catalogueJson, markdown: catalogueMarkdown };

export function checksCommand(io: Io, done: (code: number) => void): Command {
  return new Command('checks')
    .summary('list every check')
    .description('List every check with its rung, default severity and title (markdown is docs/checks.md).')
    .option('--format <name>', 'text, json or markdown', 'text')
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .action((opts: { format: string; output?: string }) => {
      const render = FORMATS[opts.format as keyof typeof FORMATS];
      if (!render) throw new UsageError(`--format: "${opts.format}" is not one of text, json, markdown`);
      const out = render(CHECKS);
      if (opts.output) writeFileSync(resolve(io.cwd, opts.output), out);
      else io.stdout.write(out);
      done(0);
    });
}

export function explainCommand(io: Io, done: (code: number) => void): Command {
  return new Command('explain')
    .summary('explain a check: why, how to fix, examples')
    .description('Print a check\'s rationale, remediation, references and a failing and a passing example.')
    .argument('<id>', 'check id, e.g. pod/privileged')
    .action((id: string) => {
      const c = findCheck(id);
      if (!c) {
        const near = CHECKS.filter((k) => k.id.includes(id) || id.includes(k.id.split('/')[1]!)).map((k) => k.id);
        throw new UsageError(`explain: unknown check "${id}"${near.length ? `; did you mean ${near.join(', ')}?` : ' (see `kubeladder checks`)'}`);
      }
      io.stdout.write(explainText(c));
      done(0);
    });
}
