#!/usr/bin/env node
// Regenerates docs/checks.md, docs/cli.md and the README's generated sections from the built
// code (npm run docs builds first). A test fails when any of them is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHECKS } from '../dist/checks/index.js';
import { catalogueMarkdown } from '../dist/docs/catalogue.js';
import { cliHelpMarkdown } from '../dist/docs/cli-help.js';
import { renderReadme } from '../dist/docs/readme.js';

const root = new URL('..', import.meta.url);
writeFileSync(new URL('docs/checks.md', root), catalogueMarkdown(CHECKS));
writeFileSync(new URL('docs/cli.md', root), cliHelpMarkdown());
const readme = new URL('README.md', root);
writeFileSync(readme, await renderReadme(readFileSync(readme, 'utf8'), fileURLToPath(root)));
console.log('wrote docs/checks.md, docs/cli.md and README.md');
