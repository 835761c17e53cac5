import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliHelpMarkdown } from '../src/docs/cli-help.js';
import { renderReadme } from '../src/docs/readme.js';
import { ROOT } from './helpers/cli.js';

describe('generated docs (npm run docs regenerates them)', () => {
  it("docs/cli.md is every command's --help", () => {
    expect(readFileSync(join(ROOT, 'docs/cli.md'), 'utf8')).toBe(cliHelpMarkdown());
  });

  it("the README's demo output and checks table are current", async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toBe(await renderReadme(readme, ROOT));
  });
});
