import { describe, expect, it } from 'vitest';
import { isEmptySelector, parseSelector, selectorMatches } from '../../src/engines/labels/selector.js';

const pod = { app: 'web', tier: 'frontend' };

describe('label selectors', () => {
  it('selects everything with an empty selector and nothing with a null one', () => {
    expect(selectorMatches({}, pod)).toBe(true);
    expect(selectorMatches({}, undefined)).toBe(true);
    expect(selectorMatches({ matchLabels: {}, matchExpressions: [] }, pod)).toBe(true);
    expect(selectorMatches({ matchLabels: null }, pod)).toBe(true);
    expect(selectorMatches(undefined, pod)).toBe(false);
    expect(selectorMatches(null, pod)).toBe(false);
    expect(isEmptySelector({})).toBe(true);
    expect(isEmptySelector(undefined)).toBe(false);
    expect(isEmptySelector({ matchLabels: { app: 'web' } })).toBe(false);
  });

  it('ANDs matchLabels, which need the label with that exact value', () => {
    expect(selectorMatches({ matchLabels: { app: 'web' } }, pod)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'web', tier: 'frontend' } }, pod)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'web', tier: 'backend' } }, pod)).toBe(false);
    expect(selectorMatches({ matchLabels: { track: 'stable' } }, pod)).toBe(false);
    expect(selectorMatches({ matchLabels: { app: '' } }, pod)).toBe(false);
    expect(selectorMatches({ matchLabels: { app: '' } }, { app: '' })).toBe(true);
  });

  it('evaluates In, NotIn, Exists and DoesNotExist', () => {
    const sel = (key: string, operator: string, values?: string[]) => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });
    expect(selectorMatches(sel('tier', 'In', ['frontend', 'edge']), pod)).toBe(true);
    expect(selectorMatches(sel('tier', 'In', ['backend']), pod)).toBe(false);
    expect(selectorMatches(sel('track', 'In', ['stable']), pod)).toBe(false);
    expect(selectorMatches(sel('tier', 'NotIn', ['backend']), pod)).toBe(true);
    expect(selectorMatches(sel('tier', 'NotIn', ['frontend']), pod)).toBe(false);
    // A pod without the label is not in the set.
    expect(selectorMatches(sel('track', 'NotIn', ['canary']), pod)).toBe(true);
    expect(selectorMatches(sel('app', 'Exists'), pod)).toBe(true);
    expect(selectorMatches(sel('track', 'Exists'), pod)).toBe(false);
    expect(selectorMatches(sel('track', 'DoesNotExist'), pod)).toBe(true);
    expect(selectorMatches(sel('app', 'DoesNotExist'), pod)).toBe(false);
    // An empty value still exists.
    expect(selectorMatches(sel('empty', 'Exists'), { empty: '' })).toBe(true);
    expect(selectorMatches(sel('empty', 'DoesNotExist'), { empty: '' })).toBe(false);
  });

  it('ANDs matchLabels with every expression', () => {
    const sel = {
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['frontend'] },
        { key: 'track', operator: 'DoesNotExist' },
      ],
    };
    expect(selectorMatches(sel, pod)).toBe(true);
    expect(selectorMatches(sel, { ...pod, track: 'canary' })).toBe(false);
    expect(selectorMatches(sel, { tier: 'frontend' })).toBe(false);
  });

  it('treats invalid selectors as errors that select nothing', () => {
    const invalid = [
      { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] },
      { matchExpressions: [{ key: 'app', operator: 'NotIn' }] },
      { matchExpressions: [{ key: 'app', operator: 'Exists', values: ['web'] }] },
      { matchExpressions: [{ key: 'app', operator: 'DoesNotExist', values: ['web'] }] },
      { matchExpressions: [{ key: 'app', operator: 'in', values: ['web'] }] },
      { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['web'] }] },
      { matchExpressions: [{ operator: 'Exists' }] },
      { matchExpressions: { key: 'app', operator: 'Exists' } },
      { matchLabels: ['app'] },
      'app=web',
    ];
    for (const sel of invalid) {
      expect(parseSelector(sel).kind, JSON.stringify(sel)).toBe('invalid');
      expect(selectorMatches(sel, pod), JSON.stringify(sel)).toBe(false);
    }
    // NotIn on a label the pod lacks would select it, were the selector valid.
    expect(selectorMatches({ matchExpressions: [{ key: 'x', operator: 'NotIn', values: [] }] }, pod)).toBe(false);
  });

  it('compares scalars that YAML typed as numbers or booleans as their text', () => {
    expect(selectorMatches({ matchLabels: { version: 2 } }, { version: '2' })).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'v', operator: 'In', values: [1, 2] }] }, { v: '2' })).toBe(true);
  });
});
