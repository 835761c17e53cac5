#!/usr/bin/env node
// Regenerates docs/checks.md and docs/cli.md from the built code (run `npm run build` first).
import { writeFileSync } from 'node:fs';
import { CHECKS } from '../dist/checks/index.js';
import { catalogueMarkdown } from '../dist/docs/catalogue.js';
import { cliHelpMarkdown } from '../dist/docs/cli-help.js';

const root = new URL('..', import.meta.url);
writeFileSync(new URL('docs/checks.md', root), catalogueMarkdown(CHECKS));
writeFileSync(new URL('docs/cli.md', root), cliHelpMarkdown());
console.log('wrote docs/checks.md and docs/cli.md');
