import { describe, expect, it } from 'vitest';
import { computeLadder, emptyCounts, type CheckSummary } from '../../src/core/ladder.js';
import type { Rung, Severity, StatusCounts } from '../../src/core/types.js';

function check(rung: Rung, severity: Severity, counts: Partial<StatusCounts>): CheckSummary {
  return { id: `x/c${rung}${severity}${JSON.stringify(counts).length}`, rung, severity, title: 't', counts: { ...emptyCounts(), ...counts } };
}

describe('computeLadder', () => {
  it('passes a rung whose every assessed check passes', () => {
    const l = computeLadder([check(1, 'high', { pass: 3 }), check(2, 'critical', { pass: 1 })]);
    expect(l.rungs.map((r) => r.status)).toEqual(['passed', 'passed', 'not-assessed', 'not-assessed', 'not-assessed']);
    expect(l.rung).toBe(2);
  });

  it('fails a rung on a high or critical failure, counting blockers', () => {
    const l = computeLadder([check(1, 'high', { pass: 3, fail: 2 }), check(1, 'critical', { fail: 1 })]);
    expect(l.rungs[0]).toMatchObject({ status: 'failed', blockers: 3 });
    expect(l.rung).toBe(0);
  });

  it('treats medium and lower failures as advice that does not block', () => {
    const l = computeLadder([check(1, 'medium', { fail: 4 }), check(1, 'high', { pass: 1 })]);
    expect(l.rungs[0]).toMatchObject({ status: 'passed', blockers: 0 });
    expect(l.rung).toBe(1);
  });

  it('is partial when something was not assessed and nothing blocks', () => {
    const l = computeLadder([check(1, 'high', { pass: 1 }), check(1, 'high', { 'not-assessed': 1 })]);
    expect(l.rungs[0]).toMatchObject({ status: 'partial' });
    expect(l.rungs[0]!.hint).toBeDefined();
    expect(l.rung).toBe(0);
  });

  it('is not assessed when nothing could run, and failed beats not assessed', () => {
    expect(computeLadder([check(1, 'high', { 'not-assessed': 2 })]).rungs[0]!.status).toBe('not-assessed');
    expect(computeLadder([check(1, 'high', { 'not-assessed': 2, fail: 1 })]).rungs[0]!.status).toBe('failed');
    expect(computeLadder([]).rungs.every((r) => r.status === 'not-assessed')).toBe(true);
  });

  it('counts exempt results as assessed and not failing', () => {
    expect(computeLadder([check(1, 'critical', { exempt: 2 })]).rungs[0]!.status).toBe('passed');
  });

  it('stops at the first rung that did not pass', () => {
    const l = computeLadder([check(1, 'high', { pass: 1 }), check(3, 'high', { pass: 1 })]);
    expect(l.rung).toBe(1);
  });
});
