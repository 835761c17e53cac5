import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { EditError, Planner } from '../../src/fix/edit.js';
import { PARSE_OPTIONS } from '../../src/fix/source.js';
import { edit, expectOnlyInserted } from './helpers.js';

const APE = ['spec', 'containers', 0, 'securityContext', 'allowPrivilegeEscalation'];

describe('text edits: block mappings', () => {
  it('inserts after the last entry at its indentation; comments, quoting and blank lines stay byte-identical', () => {
    const before = [
      '# a pod',
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: "p"}   # flow metadata',
      'spec:',
      '  containers:',
      "    - name: 'app'   # the app",
      '      image: "nginx:1.27"',
      '',
      '      # about the command',
      '      command: [nginx, -g, "daemon off;"]',
      '    - name: side',
      '      image: busybox',
      '  # the end of the spec',
      '',
    ].join('\n');
    const after = edit(before, [
      { op: 'set', path: APE, value: false },
      { op: 'set', path: ['spec', 'containers', 1, 'securityContext', 'readOnlyRootFilesystem'], value: true },
      { op: 'set', path: ['spec', 'securityContext', 'seccompProfile', 'type'], value: 'RuntimeDefault' },
    ]);
    expect(expectOnlyInserted(before, after)).toEqual([
      '      securityContext:\n',
      '        allowPrivilegeEscalation: false\n',
      '      securityContext:\n',
      '        readOnlyRootFilesystem: true\n',
      '  securityContext:\n',
      '    seccompProfile:\n',
      '      type: RuntimeDefault\n',
    ]);
    // The pod's and the last container's insertions meet after one line: the container's go first.
    expect(after).toContain(
      '      image: busybox\n      securityContext:\n        readOnlyRootFilesystem: true\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n  # the end of the spec\n',
    );
  });

  it('merges changes under one missing parent into one nested block, in the order they came', () => {
    const before = 'kind: Pod\nspec:\n  containers:\n  - name: a\n    image: x\n';
    const after = edit(before, [
      { op: 'set', path: APE, value: false },
      { op: 'set', path: ['spec', 'containers', 0, 'securityContext', 'capabilities', 'drop'], value: ['ALL'] },
      { op: 'set', path: ['spec', 'containers', 0, 'securityContext', 'readOnlyRootFilesystem'], value: true },
    ]);
    expect(after).toBe(
      'kind: Pod\nspec:\n  containers:\n  - name: a\n    image: x\n    securityContext:\n      allowPrivilegeEscalation: false\n      capabilities:\n        drop:\n        - ALL\n      readOnlyRootFilesystem: true\n',
    );
  });

  it('follows the document: 4-space steps and sequences indented under their key', () => {
    const before = 'kind: Pod\nspec:\n    containers:\n        -   name: a\n            image: x\n';
    const after = edit(before, [{ op: 'set', path: ['spec', 'containers', 0, 'securityContext', 'capabilities', 'drop'], value: ['ALL'] }]);
    expect(expectOnlyInserted(before, after)).toEqual([
      '            securityContext:\n',
      '                capabilities:\n',
      '                    drop:\n',
      '                        - ALL\n',
    ]);
  });

  it('inserts after a block scalar without changing it', () => {
    const before = 'kind: Pod\nspec:\n  containers:\n  - name: a\n    args:\n    - |\n      echo hi\n\n      echo bye\n    script: |+\n      keep\n\n';
    const after = edit(before, [{ op: 'set', path: APE, value: false }]);
    expectOnlyInserted(before, after);
    const [d] = parseAllDocuments(after, PARSE_OPTIONS);
    expect(d!.toJS().spec.containers[0]).toEqual({ name: 'a', args: ['echo hi\n\necho bye\n'], script: 'keep\n\n', securityContext: { allowPrivilegeEscalation: false } });
  });

  it('replaces only the value token of an existing scalar, keeping its comment and quoting', () => {
    const before = [
      'kind: Pod',
      'spec:',
      '  containers:',
      '  - name: a',
      '    securityContext:',
      '      allowPrivilegeEscalation: true    # needed? nobody knows',
      '      privileged: false',
      'metadata:',
      '  labels:',
      "    pod-security.kubernetes.io/enforce: 'privileged'",
      '',
    ].join('\n');
    const after = edit(before, [
      { op: 'set', path: APE, value: false },
      { op: 'set', path: ['metadata', 'labels', 'pod-security.kubernetes.io/enforce'], value: 'baseline' },
    ]);
    const added = expectOnlyInserted(before, after, ['      allowPrivilegeEscalation: true    # needed? nobody knows', "    pod-security.kubernetes.io/enforce: 'privileged'"]);
    expect(added).toEqual(['      allowPrivilegeEscalation: false    # needed? nobody knows\n', "    pod-security.kubernetes.io/enforce: 'baseline'\n"]);
  });

  it('fills empty and null values (`key:`, `~`, `null`) with a nested block', () => {
    const before = 'kind: Pod\nspec:\n  securityContext: ~\n  containers:\n  - name: a\n    securityContext:\n  - name: b\n    securityContext: null   # unset\n';
    const after = edit(before, [
      { op: 'set', path: ['spec', 'securityContext', 'runAsNonRoot'], value: true },
      { op: 'set', path: APE, value: false },
      { op: 'set', path: ['spec', 'containers', 1, 'securityContext', 'allowPrivilegeEscalation'], value: false },
    ]);
    expect(after).toBe(
      'kind: Pod\nspec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n  - name: a\n    securityContext:\n      allowPrivilegeEscalation: false\n  - name: b\n    securityContext:   # unset\n      allowPrivilegeEscalation: false\n',
    );
  });

  it('gives an empty value a scalar, spaced from a comment after it', () => {
    const before = 'kind: Pod\nspec:\n  automountServiceAccountToken:   # decide later\n  hostNetwork:\n';
    const after = edit(before, [
      { op: 'set', path: ['spec', 'automountServiceAccountToken'], value: false },
      { op: 'set', path: ['spec', 'hostNetwork'], value: false },
    ]);
    expect(after).toBe('kind: Pod\nspec:\n  automountServiceAccountToken:   false # decide later\n  hostNetwork: false\n');
  });

  it('follows the quoting of sibling values for new strings', () => {
    const before = 'kind: Namespace\nmetadata:\n  name: "shop"\n  labels:\n    team: "shop"\n    tier: "web"\n';
    const after = edit(before, [{ op: 'set', path: ['metadata', 'labels', 'pod-security.kubernetes.io/enforce'], value: 'baseline' }]);
    expect(expectOnlyInserted(before, after)).toEqual(['    pod-security.kubernetes.io/enforce: "baseline"\n']);
  });
});

describe('text edits: sequences', () => {
  it('appends to a block list in its own style and quoting, and to a flow list inside its brackets', () => {
    const before = [
      'kind: Pod',
      'spec:',
      '  containers:',
      '  - name: a',
      '    securityContext:',
      '      capabilities:',
      '        drop:',
      '          - "NET_RAW"   # raw sockets',
      '        add: ["NET_BIND_SERVICE"]',
      '  - name: b',
      '    securityContext:',
      "      capabilities: {drop: ['NET_RAW'], add: [CHOWN]}",
      '  - name: c',
      '    securityContext:',
      '      capabilities: {drop: []}',
      '',
    ].join('\n');
    const drop = (i: number): (string | number)[] => ['spec', 'containers', i, 'securityContext', 'capabilities', 'drop'];
    const after = edit(before, [
      { op: 'append', path: drop(0), value: 'ALL' },
      { op: 'append', path: drop(1), value: 'ALL' },
      { op: 'append', path: drop(2), value: 'ALL' },
    ]);
    const added = expectOnlyInserted(before, after, ["      capabilities: {drop: ['NET_RAW'], add: [CHOWN]}", '      capabilities: {drop: []}']);
    expect(added).toEqual(['          - "ALL"\n', "      capabilities: {drop: ['NET_RAW', 'ALL'], add: [CHOWN]}\n", '      capabilities: {drop: [ALL]}\n']);
  });
});

describe('text edits: flow mappings and JSON', () => {
  it('inserts `, key: value` inside a one-line flow mapping, and into an empty one', () => {
    const before = 'kind: Pod\nspec:\n  containers:\n  - {name: a, image: x, securityContext: {}}\n  - {name: b, image: y}   # b\n';
    const after = edit(before, [
      { op: 'set', path: APE, value: false },
      { op: 'set', path: ['spec', 'containers', 1, 'securityContext', 'capabilities', 'drop'], value: ['ALL'] },
    ]);
    expect(after).toBe(
      'kind: Pod\nspec:\n  containers:\n  - {name: a, image: x, securityContext: {allowPrivilegeEscalation: false}}\n  - {name: b, image: y, securityContext: {capabilities: {drop: [ALL]}}}   # b\n',
    );
  });

  it('writes pretty-printed JSON one entry a line at its own indentation', () => {
    const before = [
      '{',
      '    "kind": "Pod",',
      '    "spec": {',
      '        "containers": [',
      '            {',
      '                "name": "a",',
      '                "securityContext": {"runAsUser": 1000}',
      '            }',
      '        ]',
      '    }',
      '}',
      '',
    ].join('\n');
    const after = edit(before, [
      { op: 'set', path: APE, value: false },
      { op: 'set', path: ['spec', 'securityContext', 'seccompProfile', 'type'], value: 'RuntimeDefault' },
    ]);
    expect(after).toBe(
      [
        '{',
        '    "kind": "Pod",',
        '    "spec": {',
        '        "containers": [',
        '            {',
        '                "name": "a",',
        '                "securityContext": {"runAsUser": 1000, "allowPrivilegeEscalation": false}',
        '            }',
        '        ],',
        '        "securityContext": {',
        '            "seccompProfile": {',
        '                "type": "RuntimeDefault"',
        '            }',
        '        }',
        '    }',
        '}',
        '',
      ].join('\n'),
    );
    expect(JSON.parse(after).spec.securityContext.seccompProfile.type).toBe('RuntimeDefault');
  });

  it('writes minified JSON inline, and it stays JSON', () => {
    const before = '{"kind":"Pod","spec":{"containers":[{"name":"a"}]}}';
    const after = edit(before, [{ op: 'set', path: APE, value: false }]);
    expect(after).toBe('{"kind":"Pod","spec":{"containers":[{"name":"a", "securityContext": {"allowPrivilegeEscalation": false}}]}}');
    expect(JSON.parse(after).spec.containers[0].securityContext.allowPrivilegeEscalation).toBe(false);
  });
});

describe('text edits: line endings, file ends, documents', () => {
  it('keeps CRLF: inserted lines end in CRLF and untouched lines are byte-identical', () => {
    const before = 'kind: Pod\r\nspec:\r\n  containers:\r\n  - name: a\r\n    image: x\r\n  - name: b\r\n';
    const after = edit(before, [{ op: 'set', path: APE, value: false }]);
    expect(expectOnlyInserted(before, after)).toEqual(['    securityContext:\r\n', '      allowPrivilegeEscalation: false\r\n']);
    expect(after.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('inserts after the last line of a file without a final newline, and leaves it without one', () => {
    const before = 'kind: Pod\nspec:\n  containers:\n  - name: a\n    image: x';
    const after = edit(before, [
      { op: 'set', path: APE, value: false },
      { op: 'set', path: ['spec', 'automountServiceAccountToken'], value: false },
    ]);
    expect(after).toBe('kind: Pod\nspec:\n  containers:\n  - name: a\n    image: x\n    securityContext:\n      allowPrivilegeEscalation: false\n  automountServiceAccountToken: false');
    expectOnlyInserted(before, after);
  });

  it('edits the right document of a multi-document file, before its `---` or `...`', () => {
    const before = '# first\nkind: ConfigMap\ndata: {a: b}\n---\nkind: Pod\nspec:\n  containers:\n  - name: a\n...\n---\nkind: Pod\nspec: {}\n';
    const after = edit(before, [{ op: 'set', path: APE, value: false }], 1);
    expect(after).toBe('# first\nkind: ConfigMap\ndata: {a: b}\n---\nkind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext:\n      allowPrivilegeEscalation: false\n...\n---\nkind: Pod\nspec: {}\n');
  });

  it('keeps a byte-order mark', () => {
    const before = '\uFEFFkind: Pod\nspec:\n  hostNetwork: false\n';
    const after = edit(before, [{ op: 'set', path: ['spec', 'automountServiceAccountToken'], value: false }]);
    expect(after).toBe('\uFEFFkind: Pod\nspec:\n  hostNetwork: false\n  automountServiceAccountToken: false\n');
  });
});

describe('text edits it refuses', () => {
  const refuse = (text: string, path: (string | number)[]): string => {
    const [d] = parseAllDocuments(text, PARSE_OPTIONS);
    const p = new Planner(text, d!);
    let message = '';
    try {
      p.add({ op: 'set', path, value: false });
    } catch (e) {
      expect(e).toBeInstanceOf(EditError);
      message = (e as Error).message;
    }
    expect(p.empty).toBe(true);
    return message;
  };

  it('does not edit through an alias, a scalar or a list where a mapping should be', () => {
    expect(refuse('base: &sc {privileged: false}\nspec:\n  containers:\n  - securityContext: *sc\n', ['spec', 'containers', 0, 'securityContext', 'x'])).toMatch(/alias/);
    expect(refuse('spec:\n  containers:\n  - securityContext: oops\n', ['spec', 'containers', 0, 'securityContext', 'x'])).toMatch(/not a mapping/);
    expect(refuse('spec:\n  containers: {}\n', ['spec', 'containers', 0, 'x'])).toMatch(/not an item/);
    expect(refuse('spec:\n  x: [1]\n', ['spec', 'x'])).toMatch(/list, not a value/);
  });
});
