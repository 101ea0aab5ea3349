import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedDossier, startTestApi, type TestApi } from '../api/harness.ts';
import { latinWords } from '../helpers/latin-words.ts';
import { sharedPath } from '../helpers/shared-data.ts';
import { launchChromium, saveScreenshot } from './browser.ts';

/**
 * Issue 15: evidence opens where it is. From the report page an officer clicks a quote; the viewer opens the PDF at
 * the cited page (pdf.js from our own address, under the API's CSP) with the quote's text marked; it reads in
 * Chinese, passes axe-core and does not scroll sideways at 390 px. Screenshot docs/screenshot-evidence.png.
 */

const SAMPLE = sharedPath('samples', 'dossiers', 'sample-05-mt-filing', 'dossier.zip');
// Evaluated through the DevTools protocol, so the page's CSP (no inline script) stays on for pdf.js.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const normalise = (s: string) => s.replace(/\s+/g, '');

describe('when an officer opens a quote of the report', () => {
  let api: TestApi;
  let browser: Browser;
  let context: BrowserContext;
  let report: Page;
  let viewer: Page;
  let base: string;
  let officer: string;
  let id: string;
  let quote: string;

  beforeAll(async () => {
    api = await startTestApi({ processConcurrency: 1 });
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
    api.ctx.setListenUrl(base);
    officer = await api.token('officer', { jurisdiction: 'municipal-template', name: '王审核' });
    id = await checkedDossier(api, officer, { zip: await readFile(SAMPLE) });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'UTC' });
    report = await context.newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('opens the viewer at the cited page with the quote marked on it', async () => {
    await report.goto(`${base}/ui/index.html#token=${officer}`);
    await report.waitForSelector('#upload-form');
    await report.goto(`${base}/ui/report.html?id=${id}`);
    const link = report.locator('a.quote-link[href*="/view?page="]').first();
    await link.waitFor();
    const href = (await link.getAttribute('href'))!;
    const url = new URL(href, base);
    const page = Number(url.searchParams.get('page'));
    quote = url.searchParams.get('q')!;
    expect(page).toBeGreaterThan(0);
    [viewer] = await Promise.all([context.waitForEvent('page'), link.click()]);
    await viewer.waitForSelector('[data-testid="highlight"]', { timeout: 60_000 });
    expect(await viewer.locator('h1').innerText()).toContain(`第 ${page} 页`);
    const marked = normalise((await viewer.locator('.text-layer .hl').allInnerTexts()).join(''));
    // The marked spans carry the quote (its leading part at least, when the extraction clipped it).
    expect(marked).toContain(normalise(quote).slice(0, Math.min(8, normalise(quote).length)));
    expect(await viewer.locator('[data-testid="quote"]').innerText()).toContain(quote.replace(/\s+/g, ' ').trim().slice(0, 8));
  }, 180_000);

  for (const width of [1280, 390]) {
    it(`at ${width} px it reads in Chinese, passes axe-core and does not scroll sideways`, async () => {
      await viewer.setViewportSize({ width, height: 900 });
      await viewer.reload();
      await viewer.waitForSelector('[data-testid="highlight"]', { timeout: 60_000 });
      const overflow = await viewer.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBe(0);
      const name = (await viewer.locator('h1').innerText()).split(' · ')[0]!.trim();
      // Our words, not the document's: the page's own text (an e-mail address in it) lies in the text layer.
      const ours = await viewer.evaluate(() => {
        const copy = document.body.cloneNode(true) as HTMLElement;
        copy.querySelectorAll('.text-layer').forEach((layer) => layer.remove());
        return copy.textContent ?? '';
      });
      expect(ours).toContain('第');
      expect(latinWords(ours, [name])).toEqual([]);
      await viewer.evaluate(AXE_SOURCE);
      const violations = (await viewer.evaluate(async () => (await (window as unknown as { axe: { run: (d: Document) => Promise<{ violations: Array<{ id: string; impact: string | null }> }> } }).axe.run(document)).violations)) as Array<{ id: string; impact: string | null }>;
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
      if (width === 1280) await saveScreenshot(viewer, 'screenshot-evidence.png');
    }, 120_000);
  }

  it('batch page: the file pickers are Chinese buttons, the native English picker text is not shown', async () => {
    await report.goto(`${base}/ui/batch.html`);
    await report.waitForSelector('#archives');
    for (const picker of ['#archives', '#facts-sheet']) {
      const label = report.locator(`label.button-like:has(${picker})`);
      expect(await label.innerText()).toMatch(/^选择/);
      expect(await report.locator(picker).evaluate((el) => getComputedStyle(el).opacity)).toBe('0');
    }
    expect(await report.locator('#archives-picked').innerText()).toBe('尚未选择文件');
  }, 60_000);
});
