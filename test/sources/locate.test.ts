import { describe, expect, it } from 'vitest';
import { parsePath } from '../../src/core/path.js';
import { locate, type SourceDocument } from '../../src/sources/locate.js';

function at(text: string, path: string, format: 'yaml' | 'json' = 'yaml', startLine = 1): { line: number; column: number; exact: boolean } {
  const doc: SourceDocument = { file: 'x.yaml', text, startLine, format };
  return locate(doc, parsePath(path));
}

const DEPLOYMENT = `# leading comment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  annotations:
    "kubeladder.io/exempt": pod/privileged
spec:
  template:
    spec:
      containers:
      - name: init-like
        image: a:1
        command:
        - sh
        - -c
        - |
          image: not-a-key
          echo done
      - name: api
        image: "nginx:latest"   # trailing comment
        securityContext:

          privileged: true
      volumes:
        - name: tmp
          emptyDir: {}
`;

describe('locate in block YAML', () => {
  it('finds keys, list items and nested fields on their own lines', () => {
    expect(at(DEPLOYMENT, 'kind')).toEqual({ line: 3, column: 1, exact: true });
    expect(at(DEPLOYMENT, 'spec.template.spec.containers[0].image')).toMatchObject({ line: 13, exact: true });
    expect(at(DEPLOYMENT, 'spec.template.spec.containers[1]')).toMatchObject({ line: 20, column: 7, exact: true });
    expect(at(DEPLOYMENT, 'spec.template.spec.containers[1].image')).toMatchObject({ line: 21, column: 9, exact: true });
    expect(at(DEPLOYMENT, 'spec.template.spec.containers[1].securityContext.privileged')).toMatchObject({ line: 24, exact: true });
    expect(at(DEPLOYMENT, 'spec.template.spec.volumes[0].emptyDir')).toMatchObject({ line: 27, exact: true });
  });

  it('is not fooled by key-like text inside a block scalar', () => {
    expect(at(DEPLOYMENT, 'spec.template.spec.containers[0].command[2]')).toMatchObject({ line: 17, exact: true });
    // `image: not-a-key` sits in the block scalar, deeper than the container's keys.
    expect(at(DEPLOYMENT, 'spec.template.spec.containers[0].image').line).toBe(13);
  });

  it('finds quoted keys', () => {
    expect(at(DEPLOYMENT, 'metadata.annotations["kubeladder.io/exempt"]')).toMatchObject({ line: 7, exact: true });
  });

  it('points a missing field at its nearest existing ancestor', () => {
    expect(at(DEPLOYMENT, 'spec.template.spec.automountServiceAccountToken')).toMatchObject({ line: 10, exact: false });
    expect(at(DEPLOYMENT, 'spec.template.spec.containers[5].image')).toMatchObject({ line: 11, exact: false });
    expect(at(DEPLOYMENT, 'spec.template.spec.containers[1].securityContext.capabilities.drop')).toMatchObject({ line: 22, exact: false });
  });

  it('adds the document offset in the file', () => {
    expect(at('kind: Pod\nspec:\n  x: 1\n', 'spec.x', 'yaml', 41)).toMatchObject({ line: 43, exact: true });
  });

  it('handles sequences indented under their key and nested sequences', () => {
    const text = 'a:\n  - - x\n    - y\n  - z\nb:\n- 1\n- 2\n';
    expect(at(text, 'a[0][1]')).toMatchObject({ line: 3, exact: true });
    expect(at(text, 'a[1]')).toMatchObject({ line: 4, exact: true });
    expect(at(text, 'b[1]')).toMatchObject({ line: 7, exact: true });
  });

  it('treats a key with a null value as existing', () => {
    expect(at('a:\nb: 1\n', 'a')).toMatchObject({ line: 1, exact: true });
    expect(at('a:\nb: 1\n', 'a.c')).toMatchObject({ line: 1, exact: false });
  });

  it('falls back to an exact parser for flow collections, anchors and aliases', () => {
    const flow = 'kind: Pod\nspec: {containers: [{name: c, image: x}, {name: d,\n  image: y}]}\n';
    expect(at(flow, 'spec.containers[1].image')).toMatchObject({ line: 3, column: 3, exact: true });
    const anchors = 'base: &b\n  image: x\nspec:\n  one: *b\n  two:\n    image: y\n';
    expect(at(anchors, 'spec.two.image')).toMatchObject({ line: 6, exact: true });
  });
});

describe('locate in JSON', () => {
  const json = `{
  "kind": "List",
  "items": [
    {"kind": "Pod", "spec": {"containers": [{"name": "a", "image": "x:latest"}]}},
    {
      "kind": "Pod",
      "spec": {
        "containers": [
          {"name": "b\\"q", "image": "y"},
          {"name": "c", "image": "z"}
        ]
      }
    }
  ]
}`;
  it('walks objects and arrays to the key', () => {
    expect(at(json, 'items[0].spec.containers[0].image', 'json')).toMatchObject({ line: 4, exact: true });
    expect(at(json, 'items[1].spec.containers[1].image', 'json')).toMatchObject({ line: 10, column: 25, exact: true });
    expect(at(json, 'items[1].spec.hostNetwork', 'json')).toMatchObject({ line: 7, exact: false });
  });
});
