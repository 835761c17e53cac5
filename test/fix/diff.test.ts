import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/fix/diff.js';
import { runFixes, selectFixes } from '../../src/fix/index.js';
import { redactSecrets } from '../../src/fix/redact.js';
import { parseFixFile } from '../../src/fix/source.js';

function fixed(text: string): { text: string; edits: Parameters<typeof unifiedDiff>[3] } {
  const file = parseFixFile({ display: 'x.yaml', path: 'x.yaml' }, text, 'default').file!;
  const f = runFixes([file], selectFixes(['all'])).files[0]!;
  return { text: f.text, edits: f.edits };
}

describe('the dry-run diff', () => {
  it('diffs a large file region by region with exactly the hunks of a whole-file diff', () => {
    const docs: string[] = [];
    for (let i = 0; i < 120; i++) {
      const padding = Array.from({ length: i % 7 }, (_, k) => `  k${k}: v`).join('\n');
      docs.push(
        `apiVersion: ${i % 3 ? 'apps/v1' : 'v1'}\nkind: ${i % 3 ? 'Deployment' : 'ConfigMap'}\nmetadata:\n  name: d${i}\n${
          i % 3
            ? `spec:\n  template:\n    spec:\n      containers:\n      - name: a\n        image: x\n      - name: b\n        image: y${i % 2 ? '\n        securityContext: {privileged: true}' : ''}\n`
            : `data:\n  a: b\n${padding}${padding ? '\n' : ''}`
        }`,
      );
    }
    const before = docs.join('---\n').replace(/\n$/, '');
    const after = fixed(before);
    expect(before.split('\n').length).toBeGreaterThan(1000);
    const whole = unifiedDiff('x.yaml', before, after.text, after.edits, Infinity);
    const regions = unifiedDiff('x.yaml', before, after.text, after.edits, 0);
    expect(regions).toBe(whole);
    expect(whole).toMatch(/^--- a\/x\.yaml\n\+\+\+ b\/x\.yaml\n@@ /);
    expect(whole).toContain('\\ No newline at end of file');
  });

  it("redacts Secrets' values line for line, keeping the text's lines where they are", () => {
    const text = 'kind: SecretList\napiVersion: v1\nitems:\n- metadata:\n    name: s\n    annotations: {last-applied: "{\\"data\\": 1}"}\n  data:\n    a: c2VjcmV0\n  stringData:\n    b: |\n      one\n      two\n    c: plain\n---\nkind: ConfigMap\ndata:\n  a: visible\n';
    const out = redactSecrets(text);
    expect(out.split('\n')).toHaveLength(text.split('\n').length);
    expect(out).toBe(
      'kind: SecretList\napiVersion: v1\nitems:\n- metadata:\n    name: s\n    annotations: <redacted>\n  data:\n    a: <redacted>\n  stringData:\n    b: <redacted>\n      <redacted>\n      <redacted>\n    c: <redacted>\n---\nkind: ConfigMap\ndata:\n  a: visible\n',
    );
  });
});
