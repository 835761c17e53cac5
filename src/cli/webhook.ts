/**
 * `kubeladder webhook ...`: kubeladder's checks as a Kubernetes admission webhook. `serve` runs
 * the HTTPS server (src/webhook/server.ts) until SIGINT or SIGTERM; `check-policy` validates a
 * policy file and prints it with every default written out; `test` shows what the webhook would
 * decide for manifests, offline.
 */
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { UsageError } from '../core/errors.js';
import type { Io } from './io.js';
import { DEFAULT_POLICY, formatPolicy, loadPolicy, PolicyError } from '../webhook/policy.js';
import { startServer } from '../webhook/server.js';
import { decide } from '../webhook/decide.js';
import { POD_KINDS } from '../engines/workloads/pod-specs.js';
import { readManifestsFor } from './manifests.js';

interface ServeOptions {
  policy?: string;
  tlsCert?: string;
  tlsKey?: string;
  port: number;
  address: string;
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number, 0-65535');
  return n;
}

function readPolicy(file: string, io: Io) {
  try {
    return loadPolicy(resolve(io.cwd, file), file);
  } catch (e) {
    if (e instanceof PolicyError) throw new UsageError(e.message);
    throw e;
  }
}

export function webhookCommand(io: Io, done: (code: number) => void): Command {
  const cmd = new Command('webhook').summary("an admission webhook that enforces kubeladder's checks");
  cmd
    .command('serve')
    .summary('serve /validate and /mutate over HTTPS')
    .option('--policy <file>', 'a WebhookPolicy file (default: enforce PSS baseline, warn on restricted)')
    .option('--tls-cert <file>', 'serving certificate (PEM); reloaded when it changes')
    .option('--tls-key <file>', 'serving key (PEM)')
    .option('--port <n>', 'port to listen on', parsePort, 8443)
    .option('--address <ip>', 'address to listen on', '0.0.0.0')
    .action(async (opts: ServeOptions) => {
      if (!opts.tlsCert || !opts.tlsKey) throw new UsageError('webhook serve: --tls-cert and --tls-key are required (the API server calls webhooks over HTTPS only)');
      const policy = opts.policy !== undefined ? readPolicy(opts.policy, io) : DEFAULT_POLICY;
      let srv;
      try {
        srv = await startServer({ policy, certFile: resolve(io.cwd, opts.tlsCert), keyFile: resolve(io.cwd, opts.tlsKey), port: opts.port, address: opts.address, log: (l) => io.stderr.write(`${l}\n`) });
      } catch (e) {
        throw new UsageError(`webhook serve: ${(e as Error).message}`);
      }
      io.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), msg: `listening on https://${opts.address}:${srv.port}` })}\n`);
      await new Promise<void>((resolveStop) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void srv.close().then(resolveStop);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      done(0);
    });
  cmd
    .command('test')
    .summary('what the webhook would decide for manifests, offline')
    .description(
      'Judge each Pod and pod-template object in the manifests as the webhook would judge its CREATE (by a user with no exemption): ' +
        'DENIED with the enforced findings, WARNED with the warnings, or ALLOWED, and the JSON Patch the mutating webhook would apply. Exit 1 when any object is denied.',
    )
    .argument('<paths...>', 'manifest files or directories (- reads stdin)')
    .option('--policy <file>', 'a WebhookPolicy file (default: enforce PSS baseline, warn on restricted)')
    .action(async (paths: string[], opts: { policy?: string }) => {
      const policy = opts.policy !== undefined ? readPolicy(opts.policy, io) : DEFAULT_POLICY;
      const read = await readManifestsFor('webhook test', paths, io);
      let denied = 0;
      for (const r of read.inventory.resources) {
        if (!POD_KINDS.includes(r.kind)) continue;
        const where = r.origin.file !== undefined ? `  ${r.origin.file}${r.origin.line ? `:${r.origin.line}` : ''}` : '';
        const d = decide(policy, { uid: 'offline', kind: { kind: r.kind }, namespace: r.namespace, operation: 'CREATE', userInfo: { username: 'kubeladder:offline', groups: ['system:authenticated'] }, object: r.obj });
        if (!d.allowed) denied++;
        io.stdout.write(`${d.allowed ? (d.warnings.length ? 'WARNED' : 'ALLOWED') : 'DENIED'}  ${r.display}${where}\n`);
        if (d.status) io.stdout.write(`  ${d.status.message}\n`);
        for (const w of d.warnings) io.stdout.write(`  warning: ${w}\n`);
        for (const op of d.patch ?? []) io.stdout.write(`  patch: ${JSON.stringify(op)}\n`);
      }
      done(denied > 0 ? 1 : 0);
    });
  cmd
    .command('check-policy')
    .summary('validate a WebhookPolicy file and print it normalised')
    .argument('<file>', 'the policy file')
    .action((file: string) => {
      io.stdout.write(formatPolicy(readPolicy(file, io)));
      done(0);
    });
  return cmd;
}
