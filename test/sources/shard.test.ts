/**
 * `scan --shard i/n`: which shard owns what. n shards together report on every object exactly
 * once, the same results as one unsharded scan.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { parseShard, shardChecks } from '../../src/cli/cluster.js';
import { runChecks } from '../../src/core/runner.js';
import type { Result } from '../../src/core/types.js';
import { chooseStrategy, fnv1a32, inShard, shardOf } from '../../src/sources/cluster/read.js';
import { readManifests } from '../../src/sources/files.js';
import { cli, ROOT } from '../helpers/cli.js';

const key = (r: Result): string => JSON.stringify([r.check, r.status, r.object, r.path, r.message]);

describe('shard assignment', () => {
  it('hashes names with 32-bit FNV-1a over their UTF-8 bytes', () => {
    // The reference vectors of the FNV specification.
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    expect(fnv1a32('é')).toBe(fnv1a32('\u00e9'));
    expect(shardOf('kube-system', 3)).toBe(fnv1a32('kube-system') % 3);
  });

  it('gives every object to exactly one shard: by namespace, a Namespace by its name, cluster-scoped ones to shard 0', () => {
    const refs = [
      { kind: 'Deployment', namespace: 'shop', name: 'web' },
      { kind: 'Namespace', name: 'shop' },
      { kind: 'Namespace', name: 'monitoring' },
      { kind: 'ClusterRole', name: 'admin' },
      { kind: 'Node', name: 'node-1' },
    ];
    for (const count of [1, 2, 3, 7]) {
      for (const ref of refs) {
        const owners = Array.from({ length: count }, (_, index) => index).filter((index) => inShard({ index, count }, ref));
        expect(owners, `${ref.kind}/${ref.name} of ${count}`).toHaveLength(1);
      }
      expect(inShard({ index: shardOf('shop', count), count }, refs[0]!)).toBe(true);
      expect(inShard({ index: shardOf('shop', count), count }, refs[1]!)).toBe(true);
      expect(inShard({ index: 0, count }, refs[3]!)).toBe(true);
    }
    expect(inShard(undefined, refs[3]!)).toBe(true);
  });

  it('spreads namespaces evenly', () => {
    const names = Array.from({ length: 3000 }, (_, i) => `team-${i}`);
    for (const count of [2, 3, 8]) {
      const sizes = new Array<number>(count).fill(0);
      for (const n of names) sizes[shardOf(n, count)]!++;
      for (const s of sizes) expect(Math.abs(s - names.length / count) / (names.length / count)).toBeLessThan(0.1);
    }
  });

  it('n sharded runs report what one unsharded run does, each result once', async () => {
    const read = await readManifests(['examples/insecure-shop', 'examples/hardened-shop'], { cwd: ROOT, stdin: Readable.from([]) });
    // A known version: the version checks then state facts about no object, which shard 0 reports.
    read.inventory.kubernetesVersion = 'v1.30.2';
    const all = runChecks(CHECKS, read.inventory, { today: '2026-01-01' });
    expect(new Set(all.results.map((r) => r.object?.namespace)).size).toBeGreaterThan(2);
    expect(all.results.some((r) => r.object === undefined && r.status !== 'not-assessed')).toBe(true);
    expect(all.results.some((r) => r.object !== undefined && r.object.namespace === undefined && r.object.kind !== 'Namespace')).toBe(true);
    for (const count of [2, 3, 5]) {
      const runs = Array.from({ length: count }, (_, index) => runChecks(shardChecks(CHECKS, { index, count }), read.inventory, { today: '2026-01-01' }));
      // What a shard could not assess, each shard says (and shard 0 writes it to the cluster report).
      const assessed = (rs: Result[]): string[] => rs.filter((r) => r.status !== 'not-assessed').map(key).sort();
      const notAssessed = (rs: Result[]): string[] => rs.filter((r) => r.status === 'not-assessed').map(key).sort();
      expect(assessed(runs.flatMap((r) => r.results))).toEqual(assessed(all.results));
      for (const r of runs) expect(notAssessed(r.results)).toEqual(notAssessed(all.results));
      for (const c of all.checks) {
        for (const status of ['fail', 'pass', 'exempt'] as const) {
          expect(runs.reduce((n, r) => n + r.checks.find((x) => x.id === c.id)!.counts[status], 0), `${c.id} ${status}`).toBe(c.counts[status]);
        }
      }
    }
  });

  it('reads cluster-wide lists unless the namespaces are deep and the shards many (the measured crossover)', () => {
    // bench/cluster/shard-read.mjs on the test cluster, 17 namespaced kinds: 400 namespaces of 2
    // pods read fastest cluster-wide at every n; 20 namespaces of 400 pods at n = 2 only.
    const wide = { namespaces: 400, pods: 800, kinds: 17 };
    const deep = { namespaces: 20, pods: 8000, kinds: 17 };
    expect([2, 4, 8].map((count) => chooseStrategy({ ...wide, count }))).toEqual(['filter', 'filter', 'filter']);
    expect([2, 4, 8].map((count) => chooseStrategy({ ...deep, count }))).toEqual(['filter', 'per-namespace', 'per-namespace']);
    expect(chooseStrategy({ ...deep, count: 8, pods: undefined })).toBe('filter');
    expect(chooseStrategy({ ...deep, count: 1 })).toBe('filter');
  });

  it('parses --shard i/n and rejects the rest, and needs --cluster', async () => {
    expect(parseShard('0/1')).toEqual({ index: 0, count: 1 });
    expect(parseShard(' 2/3 ')).toEqual({ index: 2, count: 3 });
    for (const bad of ['3/3', '0/0', '-1/2', '1', 'a/b', '$(KUBELADDER_SHARD)']) expect(() => parseShard(bad), bad).toThrow(/--shard: .* is not i\/n/);
    const r = await cli(['scan', 'examples/insecure-shop', '--shard', '0/2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('kubeladder: scan: --shard needs --cluster\n');
    const w = await cli(['scan', 'examples/insecure-shop', '--write-reports']);
    expect(w.code).toBe(2);
    expect(w.stderr).toBe('kubeladder: scan: --write-reports needs --cluster\n');
    const bad = await cli(['scan', '--cluster', '--shard', '$(KUBELADDER_SHARD)']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--shard: "$(KUBELADDER_SHARD)" is not i/n');
  });
});
