import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { cli } from '../helpers/cli.js';

describe('checks and explain', () => {
  it('lists every check with rung, severity and title', async () => {
    const r = await cli(['checks']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+RUNG\s+SEVERITY\s+TITLE$/);
    expect(lines).toHaveLength(CHECKS.length + 1);
    expect(r.stdout).toMatch(/pod\/privileged\s+2\s+critical\s+Privileged container/);
    const json = JSON.parse((await cli(['checks', '--format', 'json'])).stdout) as Array<{ id: string; needs: unknown }>;
    expect(json.map((c) => c.id).sort()).toEqual(CHECKS.map((c) => c.id).sort());
  });

  it('explains a check: rationale, fix, a bad and a good example, references', async () => {
    const r = await cli(['explain', 'pod/privileged']);
    expect(r.code).toBe(0);
    for (const heading of ['Why it matters', 'How to fix it', 'Bad', 'Good', 'References']) expect(r.stdout).toContain(`\n${heading}\n`);
    expect(r.stdout).toContain('privileged: true');
    expect(r.stdout).toContain('CIS 5.2.2');
  });

  it('suggests near ids for an unknown one', async () => {
    const r = await cli(['explain', 'privileged']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean pod/privileged?');
  });
});
