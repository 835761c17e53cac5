import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliHelpMarkdown } from '../src/docs/cli-help.js';
import { ROOT } from './helpers/cli.js';

describe('generated docs', () => {
  it('docs/cli.md is every command\'s --help, up to date (npm run docs)', () => {
    expect(readFileSync(join(ROOT, 'docs/cli.md'), 'utf8')).toBe(cliHelpMarkdown());
  });
});
