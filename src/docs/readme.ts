/** The README's generated sections: real output of real commands, and the checks table. */
import { CHECKS } from '../checks/index.js';
import { main } from '../cli/main.js';
import { Readable } from 'node:stream';
import { checksTable, replaceSection } from './catalogue.js';

/** Runs kubeladder in-process as a user would from the repository root; stdout and exit code. */
async function run(root: string, argv: string[]): Promise<{ out: string; code: number }> {
  let out = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (out += s), isTTY: false },
    stderr: { write: () => true },
    stdin: Readable.from([]),
    cwd: root,
    env: {},
  });
  return { out, code };
}

/** The demo section: the command and the first lines of what it really prints. */
export async function demoSection(root: string, lines = 22): Promise<string> {
  const { out } = await run(root, ['scan', 'examples/insecure-shop']);
  const shown = out.split('\n').slice(0, lines);
  return ['```console', '$ kubeladder scan examples/insecure-shop', ...shown, '...', '```'].join('\n');
}

/** Commands and their whole output, with `$ echo $?` after one that exits non-zero. */
export async function consoleSection(root: string, commands: readonly string[][]): Promise<string> {
  const parts = ['```console'];
  for (const argv of commands) {
    const { out, code } = await run(root, argv);
    parts.push(`$ kubeladder ${argv.join(' ')}`, out.trimEnd());
    if (code !== 0) parts.push('$ echo $?', String(code));
  }
  parts.push('```');
  return parts.join('\n');
}

export async function renderReadme(readme: string, root: string): Promise<string> {
  let text = replaceSection(readme, 'demo', await demoSection(root));
  text = replaceSection(text, 'checks', checksTable(CHECKS, 'docs/checks.md'));
  text = replaceSection(text, 'pss-check', await consoleSection(root, [['pss', 'check', '--level', 'baseline', 'examples/hardened-shop']]));
  text = replaceSection(
    text,
    'pss-namespaces',
    await consoleSection(root, [
      ['pss', 'namespaces', 'examples/insecure-shop'],
      ['generate', 'psa-labels', 'examples/hardened-shop', '--format', 'kubectl'],
    ]),
  );
  text = replaceSection(text, 'fix', await consoleSection(root, [['fix', '--dry-run', 'examples/insecure-shop/database.yaml']]));
  text = replaceSection(
    text,
    'rbac',
    await consoleSection(root, [
      ['rbac', 'can-i', 'list', 'secrets', '--as', 'system:serviceaccount:monitoring:prometheus', '-n', 'shop', '-f', 'examples/insecure-shop', '--explain'],
      ['rbac', 'can-i', 'delete', 'pods', '--as', 'system:serviceaccount:shop:worker', '-n', 'shop', '-f', 'examples/insecure-shop'],
      ['rbac', 'who-can', 'create', 'pods', '--subresource', 'exec', '-n', 'shop', '-f', 'examples/insecure-shop'],
      ['rbac', 'who-can', 'get', 'secrets', '-n', 'shop', '-f', 'examples/insecure-shop', '--format', 'csv'],
      ['scan', 'examples/insecure-shop', '--check', 'rbac/workload-token-theft', '--check', 'rbac/pod-blast-radius', '--fail-on', 'none'],
    ]),
  );
  text = replaceSection(
    text,
    'netpol',
    await consoleSection(root, [
      ['netpol', 'explain', 'examples/hardened-shop', '--from', 'shop/frontend', '--to', 'shop/api', '--port', '8080'],
      ['netpol', 'explain', 'examples/insecure-shop', '--from', 'shop/worker', '--to', 'shop/postgres', '--port', '5432'],
      ['netpol', 'reach', 'examples/hardened-shop', '--to', 'shop/*'],
      ['generate', 'netpol-allow-dns', '--namespace', 'shop'],
    ]),
  );
  text = replaceSection(
    text,
    'webhook',
    await consoleSection(root, [
      ['webhook', 'test', '--policy', 'examples/webhook/policy.yaml', 'examples/hardened-shop/frontend.yaml'],
      ['webhook', 'test', 'examples/insecure-shop/worker.yaml'],
    ]),
  );
  return text;
}
