import { closeSync, mkdtempSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binary, cli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'kl-bad-'));
const GOOD = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok, namespace: shop}\n';

describe('bad input', () => {
  it('skips a binary file with a one-line error and scans the rest', async () => {
    const bin = join(dir, 'image.yaml');
    writeFileSync(bin, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    const good = join(dir, 'good.yaml');
    writeFileSync(good, GOOD);
    const r = await cli(['scan', bin, good, '--fail-on', 'none']);
    expect(r.stderr).toBe(`${bin}: binary file (contains NUL bytes), not a manifest; skipped\n`);
    expect(r.code).toBe(0);
    expect((await cli(['scan', bin])).code).toBe(2);
  });

  it('refuses a YAML alias bomb with a clear message, in bounded time', async () => {
    const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: lol, namespace: shop}', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const p = String.fromCharCode(96 + i);
      lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${p}`).join(',')}]`);
    }
    const bomb = join(dir, 'bomb.yaml');
    writeFileSync(bomb, `${lines.join('\n')}\n---\n${GOOD}`);
    const t0 = Date.now();
    const r = await cli(['scan', bomb, '--format', 'json', '--fail-on', 'none']);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.stderr).toMatch(/bomb\.yaml:1: YAML aliases expand to more than 1,000,000 nodes \(an alias bomb\?\); document skipped/);
    expect(JSON.parse(r.stdout).inputs.objects).toBe(1);
  });

  it('reads a 200 MB file in bounded memory: the oversized document is skipped, the next one read', () => {
    const big = join(dir, 'big.yaml');
    const fd = openSync(big, 'w');
    writeSync(fd, GOOD.replace('name: ok', 'name: before'));
    writeSync(fd, '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: huge, namespace: shop}\ndata:\n');
    const line = `  k: ${'v'.repeat(1000)}\n`;
    const block = line.repeat(1024);
    for (let i = 0; i < 200; i++) writeSync(fd, block);
    writeSync(fd, `---\n${GOOD.replace('name: ok', 'name: after')}`);
    closeSync(fd);
    // A 256 MB heap cannot hold the file: the scan must stream it.
    const r = binary(['scan', big, '--format', 'json', '--fail-on', 'none'], { env: { NODE_OPTIONS: '--max-old-space-size=256' } });
    expect(r.stderr).toBe(`${big}: document larger than 64 MiB; skipped\n`.replace(big, `${big}:5`));
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.inputs.objects).toBe(2);
    expect(doc.problems).toEqual([{ file: big, line: 5, message: 'document larger than 64 MiB; skipped' }]);
  });

  it('reports a file that cannot be read, by name', async () => {
    const r = await cli(['scan', join(dir, 'missing.yaml'), '-f', join(dir, 'good.yaml'), '--fail-on', 'none']);
    expect(r.stderr).toContain('missing.yaml: no such file or directory');
    expect(r.code).toBe(0);
  });
});

describe('secrets in bad input', () => {
  it('never echoes file content in an error, so a broken Secret does not leak', async () => {
    const f = join(dir, 'secret.yaml');
    writeFileSync(f, 'apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: shop}\ndata:\n  password: c3VwZXJzZWNyZXQ=\n  token: "eyJhbGciOiJSUzI1NiJ9\n  : [\n');
    const r = await cli(['scan', f, '--format', 'json', '--fail-on', 'none']);
    expect(r.stderr).toMatch(/secret\.yaml:\d+: invalid YAML: /);
    expect(r.stderr + r.stdout).not.toMatch(/c3VwZXJzZWNyZXQ=|eyJhbGci/);
    const j = join(dir, 'secret.json');
    writeFileSync(j, '{"apiVersion": "v1", "kind": "Secret", "data": {"password": "c3VwZXJzZWNyZXQ="},, }');
    const rj = await cli(['scan', j, '--fail-on', 'none']);
    expect(rj.stderr).toMatch(/secret\.json:1: invalid JSON: /);
    expect(rj.stderr).not.toContain('c3VwZXJzZWNyZXQ=');
  });
});
