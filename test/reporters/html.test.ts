import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { html } from '../../src/reporters/html.js';
import { HOSTILE, ctxOf, mixedDoc, scanDoc } from './helpers.js';

const SCREENSHOT = '/tmp/kubeladder-report.png';

function between(s: string, open: string, close: string): string {
  const start = s.indexOf(open);
  expect(start, open).toBeGreaterThanOrEqual(0);
  return s.slice(start + open.length, s.indexOf(close, start + open.length));
}

describe('html reporter, as text', () => {
  it('loads nothing: no src, no stylesheet links, no @import or url(), and a CSP that forbids loads', async () => {
    const page = html(ctxOf(await mixedDoc()));
    expect(page).not.toMatch(/\ssrc\s*=/i);
    expect(page).not.toMatch(/<link\b/i);
    expect(page).not.toMatch(/@import|url\(/i);
    expect(page).not.toMatch(/<(iframe|img|object|embed|video|audio|source)\b/i);
    // Outside the data, no address at all; the references' links are built from it and never fetched.
    const data = between(page, '<script type="application/json" id="kubeladder-data">', '</script>');
    expect(page.replace(data, '')).not.toMatch(/https?:\/\//);
    expect(page).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;/);
  });

  it('allows exactly its own inline style and script in the CSP', async () => {
    const page = html(ctxOf(await mixedDoc()));
    const hash = (s: string): string => `sha256-${createHash('sha256').update(s).digest('base64')}`;
    const csp = between(page, 'http-equiv="Content-Security-Policy" content="', '"');
    expect(csp).toContain(hash(between(page, '<style>', '</style>')));
    expect(csp).toContain(hash(between(page, '<script>', '</script>')));
  });

  it('embeds the results as JSON that no result text can break out of', async () => {
    const page = html(ctxOf(await mixedDoc()));
    expect(page).not.toContain('</script><script>alert(1)');
    expect(page.match(/<script\b/g)).toHaveLength(2);
    expect(page.match(/<\/script>/g)).toHaveLength(2);
    const data = JSON.parse(between(page, '<script type="application/json" id="kubeladder-data">', '</script>')) as { results: Array<{ message: string; subject: string }> };
    expect(data.results.map((r) => r.message)).toContain(HOSTILE);
    expect(data.results.map((r) => r.subject)).toContain('ServiceAccount/evil/x"<y>');
    expect(page).toContain('ServiceAccount/evil/x&quot;&lt;y&gt;');
    expect(page).toContain('<li>ServiceAccount evil/x&quot;&lt;y&gt; is assumed | absent</li>');
  });

  it('draws five rungs and marks the one reached', async () => {
    const page = html(ctxOf(await mixedDoc()));
    expect([...page.matchAll(/<div class="rung ([^"]+)" role="listitem" data-rung="(\d)"/g)].map((m) => `${m[2]} ${m[1]}`)).toEqual([
      '5 st-not-assessed',
      '4 st-not-assessed',
      '3 st-not-assessed',
      '2 st-failed',
      '1 st-passed reached',
    ]);
    expect(page).toContain('<span class="reached-num" id="rung-reached">1</span>');
    expect(html(ctxOf(await scanDoc()))).toContain('<div class="ground reached">');
  });

  it('is deterministic', async () => {
    expect(html(ctxOf(await mixedDoc()))).toBe(html(ctxOf(await mixedDoc())));
  });
});

const CHROMIUM = [process.env.CHROMIUM_PATH, ...['chromium', 'chromium-browser'].map(which)].find((p): p is string => !!p && existsSync(p));

function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

if (!CHROMIUM) console.warn('html reporter browser test skipped: no chromium binary (run scripts/install-chromium.sh as root, or set CHROMIUM_PATH)');

describe.skipIf(!CHROMIUM)('html reporter, in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM!, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the ladder and filters the table, fetching nothing', async () => {
    const doc = await mixedDoc();
    const file = join(mkdtempSync(join(tmpdir(), 'kubeladder-html-')), 'report.html');
    writeFileSync(file, html(ctxOf(doc)));
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('dialog', (d) => problems.push(`dialog: ${d.message()}`));
    await page.route('**/*', (route) => {
      const url = route.request().url();
      requests.push(url);
      return url.startsWith('file:') ? route.continue() : route.abort();
    });
    await page.goto(pathToFileURL(file).href);

    expect(await page.textContent('#rung-reached')).toBe('1');
    expect(await page.getAttribute('.ladder .reached', 'data-rung')).toBe('1');
    expect(await page.getAttribute('.ladder [data-rung="2"]', 'data-status')).toBe('failed');

    const visible = (): Promise<number> => page.locator('#results tbody tr:not([hidden]):not(#empty)').count();
    expect(await visible()).toBe(doc.results.length);
    await page.selectOption('#f-severity', 'critical');
    expect(await visible()).toBe(doc.results.filter((r) => r.severity === 'critical').length);
    await page.selectOption('#f-status', 'fail');
    expect(await visible()).toBe(doc.results.filter((r) => r.severity === 'critical' && r.status === 'fail').length);
    await page.selectOption('#f-severity', 'high');
    await page.selectOption('#f-namespace', '-');
    expect(await visible()).toBe(doc.results.filter((r) => r.severity === 'high' && r.status === 'fail' && !r.object?.namespace).length);
    await page.selectOption('#f-namespace', 'evil');
    expect(await page.textContent('#results tbody tr:not([hidden]) td:nth-child(6)')).toContain('</script><script>alert(1)</script>');
    await page.selectOption('#f-rung', '1');
    expect(await visible()).toBe(0);
    expect(await page.isVisible('#empty')).toBe(true);
    for (const id of ['#f-rung', '#f-severity', '#f-namespace', '#f-status']) await page.selectOption(id, '');
    await page.fill('#f-text', 'kube-system');
    expect(await visible()).toBe(doc.results.filter((r) => r.object?.namespace === 'kube-system' || r.object?.name === 'kube-system').length);
    await page.fill('#f-text', '');
    const why = page.locator('#results tbody details').first();
    await why.locator('summary').click();
    expect(await why.locator('p').textContent()).toMatch(/root on the node/);

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
