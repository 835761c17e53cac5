/** The CLI shell: one try/catch maps typed errors to exit codes; commands never call process.exit. */
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { checksCommand, explainCommand } from './catalogue.js';
import { fixCommand } from './fix.js';
import { generateCommand } from './generate.js';
import { processIo, type Io } from './io.js';
import { netpolCommand } from './netpol.js';
import { pssCommand } from './pss.js';
import { rbacCommand } from './rbac.js';
import { reportCommand } from './report.js';
import { scanCommand } from './scan.js';
import { snapshotCommand } from './snapshot.js';
import { webhookCommand } from './webhook.js';

export function buildProgram(io: Io, done: (code: number) => void): Command {
  const program = new Command('kubeladder')
    .description('Which rung of the Kubernetes security ladder does your cluster stand on? Scan, fix and enforce.')
    .option('-V', 'print the version')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    .showSuggestionAfterError(true);
  program.on('option:V', () => {
    io.stdout.write(`${VERSION}\n`);
    done(0);
  });
  const subcommands = [
    scanCommand(io, done),
    snapshotCommand(io, done),
    fixCommand(io, done),
    reportCommand(io, done),
    checksCommand(io, done),
    explainCommand(io, done),
    generateCommand(io, done),
    pssCommand(io, done),
    rbacCommand(io, done),
    netpolCommand(io, done),
    webhookCommand(io, done),
    new Command('version').summary("print kubeladder's version").action(() => {
      io.stdout.write(`${VERSION}\n`);
      done(0);
    }),
  ];
  for (const c of subcommands) program.addCommand(c);
  for (const c of program.commands) inheritOutput(c, io);
  return program;
}

function inheritOutput(cmd: Command, io: Io): void {
  cmd.configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) }).exitOverride();
  for (const sub of cmd.commands) inheritOutput(sub, io);
}

/** Runs kubeladder with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let code: number | undefined;
  const program = buildProgram(io, (c) => {
    code ??= c;
  });
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 2;
    }
    await program.parseAsync(argv, { from: 'user' });
    return code ?? 0;
  } catch (e) {
    if (code !== undefined) return code;
    if (e instanceof CommanderError) {
      // Help and version are successes; everything else commander rejects is a usage error.
      return e.exitCode === 0 ? 0 : 2;
    }
    const exitCode = (e as { exitCode?: unknown }).exitCode;
    io.stderr.write(`kubeladder: ${(e as Error).message}\n`);
    if (typeof exitCode === 'number') return exitCode;
    io.stderr.write(`${(e as Error).stack ?? ''}\n`);
    return 70;
  }
}
