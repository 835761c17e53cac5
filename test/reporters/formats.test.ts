import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPORTERS } from '../../src/reporters/index.js';
import { renderedText } from '../../src/reporters/types.js';
import { binary } from '../helpers/cli.js';
import { SECRET_VALUES, SHOP, ctxOf, mixedDoc } from './helpers.js';

const NEW_FORMATS = ['sarif', 'junit', 'markdown', 'html', 'policyreport'] as const;

describe('output formats', () => {
  it('are all registered', () => {
    expect(Object.keys(REPORTERS)).toEqual(expect.arrayContaining([...NEW_FORMATS]));
  });

  it.each(NEW_FORMATS)('%s: the built binary writes it, exits 1 on the critical finding, and the same bytes every run', (format) => {
    const args = ['scan', SHOP, '--format', format, '--show-passed', '--show-exempt'];
    const first = binary(args);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(1);
    expect(first.stdout.length).toBeGreaterThan(500);
    expect(binary(args).stdout).toBe(first.stdout);
    const out = join(mkdtempSync(join(tmpdir(), 'kubeladder-fmt-')), `report.${format}`);
    expect(binary([...args, '-o', out]).stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(first.stdout);
  });

  it.each(NEW_FORMATS)('%s: never prints Secret data', async (format) => {
    const text = renderedText(REPORTERS[format](ctxOf(await mixedDoc())));
    for (const secret of SECRET_VALUES) expect(text).not.toContain(secret);
  });
});
