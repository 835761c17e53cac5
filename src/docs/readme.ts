/** The README's generated sections: the demo's real output and the checks table. */
import { CHECKS } from '../checks/index.js';
import { main } from '../cli/main.js';
import { Readable } from 'node:stream';
import { checksTable, replaceSection } from './catalogue.js';

/** The demo section: the command and the first lines of what it really prints. */
export async function demoSection(root: string, lines = 22): Promise<string> {
  let out = '';
  await main(['scan', 'examples/insecure-shop'], {
    stdout: { write: (s: string) => (out += s), isTTY: false },
    stderr: { write: () => true },
    stdin: Readable.from([]),
    cwd: root,
    env: {},
  });
  const shown = out.split('\n').slice(0, lines);
  return ['```console', '$ kubeladder scan examples/insecure-shop', ...shown, '...', '```'].join('\n');
}

export async function renderReadme(readme: string, root: string): Promise<string> {
  let text = replaceSection(readme, 'demo', await demoSection(root));
  text = replaceSection(text, 'checks', checksTable(CHECKS, 'docs/checks.md'));
  return text;
}
