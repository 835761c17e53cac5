import { describe, expect, it } from 'vitest';
import { binary } from '../helpers/cli.js';

describe('the built binary', () => {
  it('prints its version', () => {
    const r = binary(['version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(binary(['-V']).stdout).toBe(r.stdout);
  });

  it('exits 2 on an unknown command', () => {
    const r = binary(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command');
  });
});
