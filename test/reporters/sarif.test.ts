import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { artifactUri, sarif } from '../../src/reporters/sarif.js';
import { FIXTURES, ctxOf, mixedDoc, scanDoc } from './helpers.js';

interface Log {
  runs: Array<{
    tool: { driver: { name: string; version: string; informationUri: string; rules: Array<Record<string, any>> } };
    invocations: Array<{ toolExecutionNotifications: Array<Record<string, any>> }>;
    results: Array<Record<string, any>>;
    properties: { rungReached: number };
  }>;
}

// The official OASIS schema (Documents/CommitteeSpecifications/2.1.0 in oasis-tcs/sarif-spec).
const schema = JSON.parse(readFileSync(`${FIXTURES}sarif-schema-2.1.0.json`, 'utf8')) as object;
const ajv = new Ajv({ allErrors: true });
// ajv-formats is CommonJS: under NodeNext its function is the default's default.
formats.default(ajv);
const validate = ajv.compile(schema);

async function render(): Promise<{ text: string; log: Log }> {
  const text = sarif(ctxOf(await mixedDoc()));
  return { text, log: JSON.parse(text) as Log };
}

describe('sarif reporter', () => {
  it('validates against the SARIF 2.1.0 schema', async () => {
    const { log } = await render();
    expect(validate(log), ajv.errorsText(validate.errors)).toBe(true);
    const broken = structuredClone(log) as any;
    broken.runs[0].results[0].level = 'critical';
    expect(validate(broken)).toBe(false);
    expect(validate(JSON.parse(sarif(ctxOf(await scanDoc([])))))).toBe(true);
  });

  it('describes one rule per check with GitHub security severity, tags and help', async () => {
    const { log } = await render();
    const doc = await mixedDoc();
    const rules = log.runs[0]!.tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual(doc.checks.map((c) => c.id));
    const privileged = rules.find((r) => r.id === 'pod/privileged')!;
    expect(privileged).toMatchObject({
      name: 'PodPrivileged',
      shortDescription: { text: 'Privileged container' },
      helpUri: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
      defaultConfiguration: { level: 'error' },
      properties: { 'security-severity': '9.5' },
    });
    expect(privileged.fullDescription.text).toMatch(/root on the node/);
    expect(privileged.help.text).toMatch(/^Remove `securityContext.privileged: true`/);
    expect(privileged.help.markdown).toContain('[Pod Security Standards: Privileged Containers](https://kubernetes.io/');
    expect(privileged.properties.tags).toEqual(expect.arrayContaining(['security', 'rung-2', 'cis-5.2.2']));
    expect(rules.find((r) => r.id === 'pod/automount-service-account-token')!.properties['security-severity']).toBe('5.5');
    // A check from another version: the title from the document, the docs anchor as help.
    const foreign = rules.find((r) => r.id === 'rbac/future-check')!;
    expect(foreign.shortDescription.text).toBe('A check from a newer kubeladder');
    expect(foreign.helpUri).toBe('https://github.com/kubeladder/kubeladder/blob/main/docs/checks.md#rbacfuture-check');
    expect(rules.find((r) => r.id === 'node/ssh-password-auth')!.properties.tags).toContain('rung-1');
    expect(log.runs[0]!.tool.driver).toMatchObject({ name: 'kubeladder', version: '0.1.0' });
  });

  it('reports failures by severity level, exemptions as suppressions, and leaves passes out', async () => {
    const { log } = await render();
    const doc = await mixedDoc();
    const results = log.runs[0]!.results;
    expect(results).toHaveLength(doc.summary.counts.fail + doc.summary.counts.exempt);
    const levels = Object.fromEntries(results.filter((r) => !r.suppressions).map((r) => [`${r.ruleId} ${r.message.text}`, r.level]));
    expect(Object.entries(levels).filter(([k]) => k.startsWith('pod/privileged')).map(([, v]) => v)).toEqual(['error']);
    expect(Object.entries(levels).filter(([k]) => k.startsWith('pod/automount')).map(([, v]) => v)).toEqual(['warning', 'warning']);
    const suppressed = results.filter((r) => r.suppressions);
    expect(suppressed.map((r) => r.ruleId).sort()).toEqual(['netpol/namespace-default-deny', 'pod/privileged']);
    expect(suppressed.find((r) => r.ruleId === 'pod/privileged')!.suppressions).toEqual([
      { kind: 'external', state: 'accepted', justification: 'annotation kubeladder.io/exempt: break-glass pod | removed after the incident' },
    ]);
    for (const r of results) expect(log.runs[0]!.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
  });

  it('turns not-assessed checks into tool notifications, not alerts', async () => {
    const { log } = await render();
    const index = (await mixedDoc()).checks.findIndex((c) => c.id === 'expose/node-port');
    expect(log.runs[0]!.results.some((r) => r.ruleId === 'expose/node-port')).toBe(false);
    expect(log.runs[0]!.invocations[0]!.toolExecutionNotifications).toEqual([
      { level: 'warning', message: { text: 'expose/node-port not assessed: needs network probes (kubeladder expose)' }, associatedRule: { id: 'expose/node-port', index } },
    ]);
    expect(log.runs[0]!.properties.rungReached).toBe(1);
  });

  it('points at file, line and column, or at the object when there is no file', async () => {
    const { log } = await render();
    const results = log.runs[0]!.results;
    const web = results.find((r) => r.ruleId === 'pod/privileged' && !r.suppressions)!;
    expect(web.locations).toEqual([
      {
        physicalLocation: { artifactLocation: { uri: 'test/reporters/fixtures/shop.yaml' }, region: { startLine: 21, startColumn: 13 } },
        logicalLocations: [{ fullyQualifiedName: 'Deployment/shop/web', name: 'web', kind: 'resource' }],
      },
    ]);
    expect(web.message.text).toBe('Deployment/shop/web at spec.template.spec.containers[0].securityContext.privileged: container "web" runs privileged');
    const live = results.find((r) => r.message.text.startsWith('ClusterRole/too-much'))!;
    expect(live.locations).toEqual([{ logicalLocations: [{ fullyQualifiedName: 'ClusterRole/too-much', name: 'too-much', kind: 'resource' }] }]);
    expect(live.message.text).toContain('at rules[0].verbs');
  });

  it('fingerprints the check, object and field, not the line', async () => {
    const doc = await mixedDoc();
    const moved = structuredClone(doc);
    for (const r of moved.results) if (r.line) r.line += 7;
    const prints = (d: typeof doc): string[] => (JSON.parse(sarif(ctxOf(d))) as Log).runs[0]!.results.map((r) => r.partialFingerprints['kubeladder/v1']);
    const before = prints(doc);
    expect(prints(moved)).toEqual(before);
    expect(new Set(before).size).toBe(before.length);
    expect(before[0]).toMatch(/^[0-9a-f]{32}$/);
  });

  it('is byte-for-byte deterministic', async () => {
    expect((await render()).text).toBe((await render()).text);
    expect((await render()).text).not.toMatch(/Time|timestamp/i);
  });

  it('keeps relative URIs relative with forward slashes, and makes absolute paths file URIs', () => {
    expect(artifactUri('./deploy/app.yaml')).toBe('deploy/app.yaml');
    expect(artifactUri('deploy\\win\\app.yaml')).toBe('deploy/win/app.yaml');
    expect(artifactUri('my charts/a#b.yaml')).toBe('my%20charts/a%23b.yaml');
    expect(artifactUri('/srv/manifests/app.yaml')).toBe('file:///srv/manifests/app.yaml');
  });
});
