import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/sources/parse.js';

describe('parseDocument', () => {
  it('reads YAML 1.1 booleans and octals as the API server does', () => {
    const { objects } = parseDocument('apiVersion: v1\nkind: Pod\na: yes\nb: off\nc: "yes"\nd: 0644\ne: True\nf: 08\n', 'yaml');
    expect(objects[0]!.obj).toMatchObject({ a: true, b: false, c: 'yes', d: 420, e: true });
  });

  it('flattens List kinds, inheriting kind and apiVersion for typed lists', () => {
    const list = parseDocument('apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: a}}\n- {apiVersion: v1, kind: Service, metadata: {name: b}}\n', 'yaml');
    expect(list.objects.map((o) => [o.obj.kind, o.basePath])).toEqual([
      ['Pod', ['items', 0]],
      ['Service', ['items', 1]],
    ]);
    const typed = parseDocument('{"apiVersion":"v1","kind":"PodList","items":[{"metadata":{"name":"a"}}]}', 'json');
    expect(typed.objects[0]!.obj).toMatchObject({ apiVersion: 'v1', kind: 'Pod' });
  });

  it('reports syntax errors with the line inside the document', () => {
    const r = parseDocument('apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n', 'yaml');
    expect(r.objects).toEqual([]);
    expect(r.problems[0]!.message).toMatch(/^invalid YAML: /);
    expect(r.problems[0]!.lineOffset).toBeGreaterThanOrEqual(3);
    const j = parseDocument('{\n  "kind": "Pod",\n  "apiVersion": "v1",,\n}', 'json');
    expect(j.problems[0]).toMatchObject({ lineOffset: 2 });
    expect(j.problems[0]!.message).toMatch(/^invalid JSON/);
  });

  it('refuses objects without kind or apiVersion, and non-mappings', () => {
    expect(parseDocument('metadata: {name: x}\n', 'yaml').problems[0]!.message).toBe('not a Kubernetes object: no apiVersion or kind');
    expect(parseDocument('kind: Pod\n', 'yaml').problems[0]!.message).toBe('not a Kubernetes object: no apiVersion');
    expect(parseDocument('- a\n- b\n', 'yaml').problems[0]!.message).toMatch(/is a list, not a mapping/);
    expect(parseDocument('just text\n', 'yaml').problems[0]!.message).toMatch(/is a string, not a mapping/);
  });

  it('reads a .json file that is really YAML, as kubectl does', () => {
    const r = parseDocument('{"kind": "Pod", "apiVersion": v1}', 'json');
    expect(r.objects[0]!.obj).toMatchObject({ kind: 'Pod', apiVersion: 'v1' });
  });

  it('keeps unknown kinds and custom resources', () => {
    const r = parseDocument('apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n', 'yaml');
    expect(r.objects).toHaveLength(1);
    expect(r.problems).toEqual([]);
  });

  it('refuses an alias bomb quickly', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const bomb = `apiVersion: v1\nkind: ConfigMap\n${lines.join('\n')}\n`;
    const t0 = performance.now();
    const r = parseDocument(bomb, 'yaml');
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(r.objects).toEqual([]);
    expect(r.problems[0]!.message).toMatch(/alias bomb/);
  });

  it('accepts ordinary anchors and merge keys', () => {
    const r = parseDocument('apiVersion: v1\nkind: ConfigMap\nbase: &b {x: 1}\ndata:\n  <<: *b\n  z: "2"\n', 'yaml');
    expect(r.objects[0]!.obj.data).toEqual({ x: 1, z: "2" });
  });
});
