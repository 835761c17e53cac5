/** The registry cannot drift: every check file is registered, documented and has fixtures that pass and fail. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { catalogueMarkdown } from '../../src/docs/catalogue.js';
import { isObjectCheck } from '../../src/core/check.js';
import { RUNGS, SEVERITIES } from '../../src/core/types.js';
import { RELEASES_UPDATED } from '../../src/engines/versions/release-table.js';
import { runCheck } from '../helpers/check-tester.js';
import { ROOT } from '../helpers/cli.js';

const CHECKS_DIR = join(ROOT, 'src/checks');
/** The examples are written for the release table's day, so they keep their verdicts as time passes. */
const TODAY = RELEASES_UPDATED;

function checkFiles(dir = CHECKS_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? checkFiles(join(dir, e.name)) : e.name.endsWith('.ts') && dir !== CHECKS_DIR ? [relative(CHECKS_DIR, join(dir, e.name)).replace(/\.ts$/, '')] : [],
  );
}

/** Fixtures by convention: test/checks/<id>/success.*.yaml pass, failure.*.yaml fail. */
function fixtures(id: string, kind: 'success' | 'failure'): string[] {
  const dir = join(ROOT, 'test/checks', id);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${kind}.`) && /\.ya?ml$/.test(f))
    .map((f) => join(dir, f));
}

describe('check registry', () => {
  it('lists every file under src/checks, with id equal to its path, sorted', () => {
    const ids = CHECKS.map((c) => c.id);
    expect(ids).toEqual([...checkFiles()].sort());
    expect(ids).toEqual([...ids].sort());
  });

  it.each(CHECKS.map((c) => [c.id, c]))('%s has complete metadata', (_id, c) => {
    expect(RUNGS).toContain(c.rung);
    expect(SEVERITIES).toContain(c.severity);
    expect(c.id).toMatch(/^[a-z0-9-]+\/[a-z0-9.-]+$/);
    expect(c.title.length).toBeGreaterThan(5);
    expect(c.rationale.length).toBeGreaterThan(40);
    expect(c.remediation.length).toBeGreaterThan(20);
    expect(c.references.length).toBeGreaterThan(0);
    expect(c.needs.kinds?.length || c.needs.inputs?.length).toBeTruthy();
    if (isObjectCheck(c)) for (const k of c.kinds) expect(c.needs.kinds).toContain(k);
  });

  it.each(CHECKS.map((c) => [c.id, c]))('%s fails its bad example and passes its good one', async (_id, c) => {
    const { kubernetesVersion: versions, apiserverMetrics: metrics } = c.examples;
    const bad = await runCheck(c, c.examples.bad, { kubernetesVersion: versions?.bad, apiserverMetrics: metrics?.bad, today: TODAY });
    expect(bad.some((r) => r.status === 'fail'), 'bad example fails').toBe(true);
    const good = await runCheck(c, c.examples.good, { kubernetesVersion: versions?.good, apiserverMetrics: metrics?.good, today: TODAY });
    expect(good.filter((r) => r.status === 'fail')).toEqual([]);
    expect(good.some((r) => r.status === 'pass'), 'good example passes').toBe(true);
  });

  it.each(CHECKS.map((c) => [c.id, c]))('%s passes its success fixtures and fails its failure fixtures', async (id, c) => {
    expect(fixtures(id, 'success').length + fixtures(id, 'failure').length, `fixtures under test/checks/${id}/`).toBeGreaterThan(0);
    for (const f of fixtures(id, 'success')) {
      const r = await runCheck(c, readFileSync(f, 'utf8'));
      expect(r.filter((x) => x.status === 'fail'), f).toEqual([]);
    }
    for (const f of fixtures(id, 'failure')) {
      const r = await runCheck(c, readFileSync(f, 'utf8'));
      expect(r.some((x) => x.status === 'fail'), f).toBe(true);
    }
  });

  it('docs/checks.md is generated from the metadata and up to date (npm run docs)', () => {
    expect(readFileSync(join(ROOT, 'docs/checks.md'), 'utf8')).toBe(catalogueMarkdown(CHECKS));
  });
});
