import { describe, expect, it } from 'vitest';
import { buildDocument } from '../../src/core/results.js';
import type { Result } from '../../src/core/types.js';
import { cell, code, markdown } from '../../src/reporters/markdown.js';
import { ctxOf, mixedDoc } from './helpers.js';

/** The cells of a table row: split on pipes not escaped with a backslash. */
function cells(line: string): string[] {
  return line.slice(1, -1).split(/(?<!\\)\|/);
}

function section(md: string, heading: string): string {
  const start = md.indexOf(heading);
  expect(start, `no "${heading}"`).toBeGreaterThanOrEqual(0);
  const next = md.indexOf('\n### ', start + heading.length);
  return md.slice(start, next < 0 ? undefined : next);
}

describe('markdown reporter', () => {
  it('opens with the rung reached and the ladder as a table', async () => {
    const md = markdown(ctxOf(await mixedDoc()));
    expect(md.split('\n')[0]).toBe('## kubeladder scan: rung 1 of 5 reached');
    const ladder = md.split('\n').filter((l) => /^\| [1-5] \|/.test(l));
    expect(ladder.map((l) => cells(l).map((c) => c.trim()).slice(0, 4))).toEqual([
      ['1', 'The machine', '✅ passed', '0'],
      ['2', 'In the cluster', '❌ failed', '5'],
      ['3', 'From outside', '⚪ not assessed', '0'],
      ['4', 'People', '⚪ not assessed', '0'],
      ['5', 'Detection', '⚪ not assessed', '0'],
    ]);
    expect(ladder[2]).toContain('needs the CIS node checks');
  });

  it('says what blocks each failed rung', async () => {
    const md = markdown(ctxOf(await mixedDoc()));
    const blocks = section(md, '### What blocks rung 2 (In the cluster): 5 blockers');
    expect(blocks).toContain('- **critical** `pod/privileged` Deployment/shop/web at `spec.template.spec.containers[0].securityContext.privileged`');
    expect(blocks.split('\n').filter((l) => l.startsWith('- '))).toHaveLength(5);
  });

  it('groups findings by rung, then severity, worst first', async () => {
    const md = markdown(ctxOf(await mixedDoc()));
    const findings = section(md, '### Findings');
    const order = [...findings.matchAll(/^\*\*(\w+)\*\* \((\d+)\)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(order).toEqual(['critical 1', 'high 4', 'medium 2']);
    const rows = findings.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Severity'));
    expect(rows.map((r) => cells(r)[0]!.trim())).toEqual(['critical', 'high', 'high', 'high', 'high', 'medium', 'medium']);
    expect(rows[0]).toBe(
      '| critical | `pod/privileged` | Deployment/shop/web | test/reporters/fixtures/shop.yaml:21 | `spec.template.spec.containers[0].securityContext.privileged` | container "web" runs privileged | Set `privileged: false` and grant only the capabilities it needs under `capabilities.add`. |',
    );
  });

  it('keeps every table row intact whatever the text holds', async () => {
    const md = markdown(ctxOf(await mixedDoc()));
    const lines = md.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i]!.startsWith('|---') && !lines[i]!.startsWith('|---:')) continue;
      const width = cells(lines[i]!).length;
      for (let j = i + 1; lines[j]?.startsWith('|'); j++) expect(cells(lines[j]!), lines[j]).toHaveLength(width);
    }
    const hostile = lines.find((l) => l.includes('bad '))!;
    expect(hostile).toContain('| bad \\</script\\>\\<script\\>alert(1)\\</script\\> \\| pipe<br>newline &amp; "quotes" \uFFFD \\<\\!-- \\]\\]\\> |');
    expect(md).not.toContain('<script>');
  });

  it('lists exemptions, what was not assessed, notes and input problems', async () => {
    const md = markdown(ctxOf(await mixedDoc()));
    expect(section(md, '### Exempt')).toContain('| `pod/privileged` | Pod/shop/debug | test/reporters/fixtures/shop.yaml:36 | annotation kubeladder.io/exempt: break-glass pod \\| removed after the incident |');
    expect(section(md, '### Not assessed')).toContain('- `expose/node-port`: needs network probes (kubeladder expose)');
    expect(section(md, '### Notes')).toContain('- ServiceAccount evil/x"\\<y\\> is assumed \\| absent');
    expect(section(md, '### Input problems (1)')).toContain('- broken\\|file.yaml:3: bad \\<yaml\\> &amp; worse');
    expect(md).toContain('<details><summary>10 passing results</summary>');
  });

  it('counts rather than lists findings past the row budget, so a PR comment stays under its limit', () => {
    const results: Result[] = Array.from({ length: 400 }, (_, i) => ({
      check: 'pod/privileged',
      rung: 2,
      severity: 'critical',
      status: 'fail',
      object: { apiVersion: 'v1', kind: 'Pod', namespace: 'ns', name: `pod-${String(i).padStart(3, '0')}` },
      path: 'spec.containers[0].securityContext.privileged',
      message: 'container "c" runs privileged',
    }));
    const doc = buildDocument({ version: '0.1.0', source: 'scan', files: 1, objects: 400, results, checks: [{ id: 'pod/privileged', rung: 2, severity: 'critical', title: 'Privileged container', counts: { fail: 400, pass: 0, exempt: 0, 'not-assessed': 0 } }] });
    const md = markdown(ctxOf(doc));
    expect(md.length).toBeLessThan(65_536);
    expect(md).toContain('_250 more critical findings not listed;');
    expect(md).toContain('- … and 390 more in the findings below');
  });

  it('escapes cells and code spans', () => {
    expect(cell('a|b\nc*d*')).toBe('a\\|b<br>c\\*d\\*');
    expect(cell('run `x` | y', true)).toBe('run `x` \\| y');
    expect(code('a`b|c')).toBe('`` a`b\\|c ``');
  });
});
