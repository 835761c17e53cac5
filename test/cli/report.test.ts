import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import type { ResultsDocument } from '../../src/core/results.js';
import { cli, ROOT } from '../helpers/cli.js';

const F = 'test/fixtures/inputs';
const validate = new Ajv().compile(JSON.parse(readFileSync(join(ROOT, 'schema/results.v1.json'), 'utf8')));

describe('report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kl-report-'));

  it('merges results documents into one ladder with summed counts', async () => {
    const a = await cli(['scan', `${F}/good.yaml`, '--format', 'json', '-o', join(dir, 'a.json')]);
    const b = await cli(['scan', `${F}/privileged.yaml`, '--format', 'json', '-o', join(dir, 'b.json'), '--fail-on', 'none']);
    expect([a.code, b.code]).toEqual([0, 0]);
    const r = await cli(['report', join(dir, 'a.json'), join(dir, 'b.json'), '--format', 'json']);
    expect(r.code).toBe(1);
    const merged = JSON.parse(r.stdout) as ResultsDocument;
    expect(validate(merged)).toBe(true);
    const docA = JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8')) as ResultsDocument;
    const docB = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8')) as ResultsDocument;
    expect(merged.summary.counts.pass).toBe(docA.summary.counts.pass + docB.summary.counts.pass);
    expect(merged.summary.counts.fail).toBe(docB.summary.counts.fail);
    expect(merged.inputs.files).toBe(2);
    expect(merged.ladder.rungs[1]).toMatchObject({ status: 'failed', blockers: docB.ladder.rungs[1]!.blockers });
    expect(merged.results).toEqual(docB.results);
  });

  it('renders the merged ladder as text', async () => {
    const r = await cli(['report', join(dir, 'b.json'), '--fail-on', 'none']);
    expect(r.stdout).toContain('kubeladder report:');
    expect(r.stdout).toContain('Rung reached: 0 of 5');
    expect(r.code).toBe(0);
  });

  it('names a file that is not a results document and goes on', async () => {
    writeFileSync(join(dir, 'junk.json'), '{"hello": 1}');
    writeFileSync(join(dir, 'broken.json'), '{');
    const r = await cli(['report', join(dir, 'junk.json'), join(dir, 'broken.json'), join(dir, 'a.json')]);
    expect(r.stderr).toContain('junk.json: not a kubeladder results document');
    expect(r.stderr).toContain('broken.json: invalid JSON');
    expect(r.code).toBe(0);
    expect((await cli(['report', join(dir, 'junk.json')])).code).toBe(2);
  });
});

describe('mergeDocuments', () => {
  it('counts a check one document could not assess and another did as assessed', async () => {
    const { buildDocument, mergeDocuments } = await import('../../src/core/results.js');
    const counts = (c: Partial<Record<'fail' | 'pass' | 'not-assessed' | 'exempt', number>>) => ({ fail: 0, pass: 0, 'not-assessed': 0, exempt: 0, ...c });
    const gap = { check: 'node/ssh-password-auth', rung: 1 as const, severity: 'high' as const, status: 'not-assessed' as const, message: 'not assessed', reason: 'needs a node' };
    const scan = buildDocument({ version: 'x', source: 'scan', files: 1, objects: 1, results: [gap], checks: [{ id: gap.check, rung: 1, severity: 'high', title: 't', counts: counts({ 'not-assessed': 1 }) }] });
    const node = buildDocument({ version: 'x', source: 'node', files: 0, objects: 0, results: [], checks: [{ id: gap.check, rung: 1, severity: 'high', title: 't', counts: counts({ pass: 2 }) }] });
    const merged = mergeDocuments([scan, node], 'x');
    expect(merged.checks[0]!.counts).toEqual(counts({ pass: 2 }));
    expect(merged.results).toEqual([]);
    expect(merged.ladder.rungs[0]!.status).toBe('passed');
    // Not assessed by both: one gap, not two.
    const twice = mergeDocuments([scan, scan], 'x');
    expect(twice.checks[0]!.counts).toEqual(counts({ 'not-assessed': 1 }));
    expect(twice.results).toHaveLength(1);
  });
});
