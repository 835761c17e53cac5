import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import netpol from '../../src/checks/netpol/namespace-default-deny.js';
import privileged from '../../src/checks/pod/privileged.js';
import { runChecks } from '../../src/core/runner.js';
import { readManifests } from '../../src/sources/files.js';

const PODS = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop}
spec: {containers: [{name: c, image: "x:1", securityContext: {privileged: true}}]}
`;

describe('runChecks with kinds the source could not read', () => {
  it('judges the readable kinds and marks only the unreadable part not assessed', async () => {
    const read = await readManifests(['-'], { stdin: Readable.from([PODS]) });
    read.inventory.unreadableKinds.set('Deployment', 'forbidden');
    const { results, checks } = runChecks([privileged], read.inventory);
    expect(results.map((r) => `${r.status} ${r.object?.name ?? r.reason}`)).toEqual(['fail p', 'not-assessed could not read Deployment: forbidden']);
    expect(checks[0]!.counts).toMatchObject({ fail: 1, 'not-assessed': 1 });
  });

  it('does not assess at all a check whose context kind is unreadable', async () => {
    const read = await readManifests(['-'], { stdin: Readable.from([PODS]) });
    read.inventory.unreadableKinds.set('NetworkPolicy', 'forbidden');
    const { results } = runChecks([netpol], read.inventory);
    // Without the policies every namespace would look undefended: no verdict rather than a false one.
    expect(results.map((r) => `${r.status} ${r.reason}`)).toEqual(['not-assessed could not read NetworkPolicy: forbidden']);
  });
});
