import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { ResultsDocument } from '../../src/core/results.js';
import { junit } from '../../src/reporters/junit.js';
import { HOSTILE, ctxOf, mixedDoc, scanDoc } from './helpers.js';
import { descendants, parseXml, type XmlElement } from './xml.js';

function render(doc: ResultsDocument): { xml: string; root: XmlElement } {
  const xml = junit(ctxOf(doc));
  return { xml, root: parseXml(xml) };
}

const children = (el: XmlElement, name: string): XmlElement[] => el.children.filter((c) => c.name === name);
const num = (el: XmlElement, attr: string): number => Number(el.attrs[attr]);
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;

describe('junit reporter', () => {
  it('writes well-formed XML, even from hostile text', async () => {
    const { xml } = render(await mixedDoc());
    expect(() => parseXml(xml)).not.toThrow();
    expect(xml).not.toContain('</script><script>');
    expect(xml).not.toContain('\u0001');
    // The reader is strict, so passing it means something.
    for (const bad of ['<a><b></a>', '<a x="1 & 2"/>', '<a x=1/>', '<a>x</a><b/>', '<a>1 < 2</a>']) expect(() => parseXml(bad)).toThrow();
  });

  it.skipIf(!hasXmllint)('passes xmllint (scripts/install-xmllint.sh installs it)', async () => {
    const lint = spawnSync('xmllint', ['--noout', '-'], { input: render(await mixedDoc()).xml, encoding: 'utf8' });
    expect(lint.stderr).toBe('');
    expect(lint.status).toBe(0);
  });

  it('has one suite per check and counts that add up', async () => {
    const doc = await mixedDoc();
    const { root } = render(doc);
    expect(root.name).toBe('testsuites');
    const suites = children(root, 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual(doc.checks.map((c) => c.id));
    for (const s of suites) {
      const cases = children(s, 'testcase');
      expect(num(s, 'tests')).toBe(cases.length);
      expect(num(s, 'failures')).toBe(cases.filter((c) => children(c, 'failure').length).length);
      expect(num(s, 'skipped')).toBe(cases.filter((c) => children(c, 'skipped').length).length);
      expect(num(s, 'errors')).toBe(0);
    }
    for (const attr of ['tests', 'failures', 'skipped']) expect(num(root, attr)).toBe(suites.reduce((n, s) => n + num(s, attr), 0));
    expect(num(root, 'failures')).toBe(doc.summary.counts.fail);
    expect(num(root, 'skipped')).toBe(doc.summary.counts.exempt + doc.summary.counts['not-assessed']);
  });

  it('reports a failure with severity, message, fix and place', async () => {
    const { root } = render(await mixedDoc());
    const privileged = children(root, 'testsuite').find((s) => s.attrs.name === 'pod/privileged')!;
    const failing = children(privileged, 'testcase').find((c) => children(c, 'failure').length)!;
    expect(failing.attrs).toMatchObject({ classname: 'Deployment/shop/web', name: 'spec.template.spec.containers[0].securityContext.privileged', line: '21' });
    const failure = children(failing, 'failure')[0]!;
    expect(failure.attrs).toEqual({ message: 'container "web" runs privileged', type: 'critical' });
    expect(failure.text).toContain('fix: Set `privileged: false`');
    expect(failure.text).toContain('at test/reporters/fixtures/shop.yaml:21');
    const skipped = children(privileged, 'testcase').flatMap((c) => children(c, 'skipped'));
    expect(skipped.map((s) => s.attrs.message)).toEqual(['exempt: annotation kubeladder.io/exempt: break-glass pod | removed after the incident']);
  });

  it('round-trips hostile text through escaping, newlines included', async () => {
    const { root } = render(await mixedDoc());
    const failures = descendants(root, 'failure');
    const hostile = failures.find((f) => f.attrs.message!.startsWith('bad '))!;
    expect(hostile.attrs.message).toBe(HOSTILE.replace('\u0001', '\uFFFD'));
    expect(descendants(root, 'testcase').find((c) => c.attrs.classname === 'ServiceAccount/evil/x"<y>')!.attrs.name).toBe('metadata.annotations["a|b"]');
  });

  it('skips not-assessed checks with their reason, and names live objects by Kind/namespace/name', async () => {
    const { root } = render(await mixedDoc());
    const expose = children(root, 'testsuite').find((s) => s.attrs.name === 'expose/node-port')!;
    expect(descendants(expose, 'skipped')[0]!.attrs.message).toBe('not assessed: needs network probes (kubeladder expose)');
    const live = descendants(root, 'testcase').find((c) => c.attrs.classname === 'ClusterRole/too-much')!;
    expect(live.attrs.file).toBeUndefined();
  });

  it('stands one "N objects pass" case for passes the document does not list', async () => {
    const { root } = render(await scanDoc([]));
    const names = (id: string): string[] => children(children(root, 'testsuite').find((s) => s.attrs.name === id)!, 'testcase').map((c) => c.attrs.name!);
    expect(names('image/latest-tag')).toContain('3 objects pass');
    expect(names('netpol/namespace-default-deny')).toEqual(expect.arrayContaining(['1 object passes', '1 object exempt (--show-exempt lists them)']));
    expect(descendants(root, 'testcase').filter((c) => !c.children.length)).toHaveLength(4);
  });
});
