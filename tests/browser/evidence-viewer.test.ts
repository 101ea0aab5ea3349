import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedDossier, startTestApi, textDossierZip, type TestApi } from '../api/harness.ts';
import { ensurePdfFixtures, SCANNED_PAGE_TEXT } from '../fixtures/pdf/generate.ts';
import { renderScan } from '../fixtures/scan/render.ts';
import { latinWords } from '../helpers/latin-words.ts';
import { sharedPath } from '../helpers/shared-data.ts';
import sharp from 'sharp';
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

/**
 * The same for a scanned picture: the viewer shows the image with the quoted line framed where OCR read it, the
 * frame staying on that line at 1280 and at 390 px, scrolled into view, captioned in Chinese. The scan is generated,
 * so where its lines are is known: we drew them.
 */
describe('when the quote is on a scanned image', () => {
  // renderScan at 150 dpi: 25 mm margins, 12 pt text, 1.5 line spacing; each line's top at margin + i × line height.
  const dpi = 150;
  const margin = Math.round((25 / 25.4) * dpi);
  const fontPx = (12 / 72) * dpi;
  const lineHeight = fontPx * 1.5;
  const SCAN_LINES = ['关于青禾市数字档案馆建设项目立项的请示', '项目名称：青禾市数字档案馆建设项目', '建设单位：青禾市档案馆', '项目总投资：80万元', '特此请示，请予审批。'];
  const IMAGE_NAME = '立项请示扫描件.png';
  const SCANNED_PDF_NAME = '立项请示-扫描件.pdf';
  let api: TestApi;
  let browser: Browser;
  let context: BrowserContext;
  let viewer: Page;
  let base: string;
  let officer: string;
  let id: string;
  let quote: string;
  let viewUrl: string;
  let scan: { width: number; height: number };
  /** The drawn line the quote comes from, as fractions of the image. */
  let expected: { left: number; top: number; width: number; height: number };

  beforeAll(async () => {
    const png = await renderScan(SCAN_LINES.join('\n'), { dpi, heightMm: 110 });
    const meta = await sharp(png).metadata();
    scan = { width: meta.width!, height: meta.height! };
    api = await startTestApi({ processConcurrency: 1 });
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
    api.ctx.setListenUrl(base);
    officer = await api.token('officer', { jurisdiction: 'municipal-template', name: '王审核' });
    const scannedPdf = await readFile((await ensurePdfFixtures()).scanned);
    id = await checkedDossier(api, officer, {
      zip: textDossierZip([
        { name: `材料/${IMAGE_NAME}`, data: png, utf8Flag: true },
        { name: `材料/${SCANNED_PDF_NAME}`, data: scannedPdf, utf8Flag: true },
      ]),
    });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'UTC' });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  /**
   * Where the drawn line a quote comes from lies, as fractions of the page. The quote is OCR's reading of that line (a
   * character or two may be misread): the line sharing most of its characters.
   */
  function drawnLine(lines: readonly string[], quote: string, page: { dpi: number; width: number; height: number }) {
    const shared = (l: string) => Array.from(normalise(quote)).filter((c) => l.includes(c)).length / Array.from(normalise(quote)).length;
    const line = lines.reduce((best, l, i) => (shared(l) > shared(lines[best]!) ? i : best), 0);
    expect(shared(lines[line]!), `引文「${quote}」应出自扫描件中画出的某一行`).toBeGreaterThan(0.8);
    const at = Math.round((25 / 25.4) * page.dpi);
    const size = (12 / 72) * page.dpi;
    const chars = Array.from(lines[line]!).length;
    return { left: at / page.width, top: (at + line * size * 1.5) / page.height, width: (chars * size) / page.width, height: size / page.height };
  }

  /** The frame's place on the shown image, as fractions of the image's shown size. */
  async function frameOnImage(page: Page): Promise<{ left: number; top: number; width: number; height: number }> {
    return page.evaluate(() => {
      const image = document.querySelector('img.scan')!.getBoundingClientRect();
      const frame = document.querySelector('[data-testid="image-region"]')!.getBoundingClientRect();
      return { left: (frame.left - image.left) / image.width, top: (frame.top - image.top) / image.height, width: frame.width / image.width, height: frame.height / image.height };
    });
  }

  function overlapShare(a: { left: number; top: number; width: number; height: number }, b: typeof a): number {
    const w = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
    const h = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
    return w > 0 && h > 0 ? (w * h) / (b.width * b.height) : 0;
  }

  it('opens from the report with the quoted line framed on the image', async () => {
    const report = await context.newPage();
    await report.goto(`${base}/ui/index.html#token=${officer}`);
    await report.waitForSelector('#upload-form');
    await report.goto(`${base}/ui/report.html?id=${id}`);
    const json = (await (await context.request.get(`${base}/api/v1/dossiers/${id}/report`, { headers: { authorization: `Bearer ${officer}` } })).json()) as { files: Array<{ path: string }> };
    const index = json.files.findIndex((f) => f.path.endsWith(IMAGE_NAME));
    expect(index, '报告应列出扫描件').toBeGreaterThanOrEqual(0);
    const link = report.locator(`a.quote-link[href*="/files/${index}/view?"]`).first();
    await link.waitFor();
    const url = new URL((await link.getAttribute('href'))!, base);
    quote = url.searchParams.get('q')!;
    viewUrl = url.pathname + url.search;
    expected = drawnLine(SCAN_LINES, quote, { dpi, ...scan });

    [viewer] = await Promise.all([context.waitForEvent('page'), link.click()]);
    await viewer.waitForSelector('[data-testid="image-region"]');
    expect(await viewer.locator('h1').innerText()).toContain('第 1 页');
    expect(await viewer.locator('[data-testid="region-note"]').innerText()).toBe('已标出引文所在位置');
    expect(await viewer.locator('[data-testid="image-region"]').first().getAttribute('aria-label')).toMatch(/^引文所在位置/);
    // Most of the drawn line lies inside the frame, and the frame is about one line high, not the whole page.
    const frame = await frameOnImage(viewer);
    expect(overlapShare(frame, expected)).toBeGreaterThan(0.7);
    expect(frame.height).toBeLessThan(2.5 * expected.height);
    await report.close();
  }, 180_000);

  it('answers the same place as JSON (…/region), in the pixels of the image', async () => {
    const response = await context.request.get(`${base}${viewUrl.replace('/view?', '/region?')}`, { headers: { authorization: `Bearer ${officer}` } });
    expect(response.status()).toBe(200);
    const body = (await response.json()) as { status: string; page: number; located: { image: { width: number; height: number }; regions: Array<{ x: number; y: number; width: number; height: number }> } };
    expect(body).toMatchObject({ status: 'located', page: 1, located: { image: scan } });
    const [first] = body.located.regions;
    const region = { left: first!.x / scan.width, top: first!.y / scan.height, width: first!.width / scan.width, height: first!.height / scan.height };
    expect(overlapShare(region, expected)).toBeGreaterThan(0.7);
    const openapi = (await (await context.request.get(`${base}/docs/json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toContain('/api/v1/dossiers/{id}/files/{n}/region');
  }, 60_000);

  for (const width of [1280, 390]) {
    it(`at ${width} px the frame stays on the line, in view, in Chinese, axe-core clean, without sideways scroll`, async () => {
      await viewer.setViewportSize({ width, height: 700 });
      await viewer.reload();
      await viewer.waitForSelector('[data-testid="image-region"]');
      await viewer.waitForFunction(() => (document.querySelector('img.scan') as HTMLImageElement | null)?.complete === true);
      expect(overlapShare(await frameOnImage(viewer), expected)).toBeGreaterThan(0.7);
      const inView = await viewer.evaluate(() => {
        const r = document.querySelector('[data-testid="image-region"]')!.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight;
      });
      expect(inView).toBe(true);
      const overflow = await viewer.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBe(0);
      const text = await viewer.evaluate(() => document.body.textContent ?? '');
      expect(latinWords(text, [IMAGE_NAME])).toEqual([]);
      await viewer.evaluate(AXE_SOURCE);
      const violations = (await viewer.evaluate(async () => (await (window as unknown as { axe: { run: (d: Document) => Promise<{ violations: Array<{ id: string; impact: string | null }> }> } }).axe.run(document)).violations)) as Array<{ id: string; impact: string | null }>;
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
      if (width === 1280) await saveScreenshot(viewer, 'screenshot-evidence-image.png');
    }, 120_000);
  }

  it('frames the quote on a scanned PDF page too, over the page pdf.js draws', async () => {
    const report = await context.newPage();
    await report.setViewportSize({ width: 1280, height: 900 });
    await report.goto(`${base}/ui/report.html?id=${id}`);
    const json = (await (await context.request.get(`${base}/api/v1/dossiers/${id}/report`, { headers: { authorization: `Bearer ${officer}` } })).json()) as { files: Array<{ path: string }> };
    const index = json.files.findIndex((f) => f.path.endsWith(SCANNED_PDF_NAME));
    expect(index, '报告应列出扫描的 PDF').toBeGreaterThanOrEqual(0);
    const link = report.locator(`a.quote-link[href*="/files/${index}/view?"]`).first();
    await link.waitFor();
    const pdfQuote = new URL((await link.getAttribute('href'))!, base).searchParams.get('q')!;
    // renderScan drew the scan at 200 dpi on A4 (1654×2339) and the PDF shows it over the whole page.
    const line = drawnLine(SCANNED_PAGE_TEXT.split('\n'), pdfQuote, { dpi: 200, width: 1654, height: 2339 });
    const [pdfViewer] = await Promise.all([context.waitForEvent('page'), link.click()]);
    await pdfViewer.waitForSelector('.text-layer .region[data-testid="highlight"]', { timeout: 60_000 });
    expect(await pdfViewer.locator('#match-note').innerText()).toContain('已标出引文所在位置');
    const frame = await pdfViewer.evaluate(() => {
      const page = document.querySelector('#page-box canvas')!.getBoundingClientRect();
      const mark = document.querySelector('.text-layer .region')!.getBoundingClientRect();
      return { left: (mark.left - page.left) / page.width, top: (mark.top - page.top) / page.height, width: mark.width / page.width, height: mark.height / page.height };
    });
    expect(overlapShare(frame, line)).toBeGreaterThan(0.7);
    expect(frame.height).toBeLessThan(2.5 * line.height);
    await pdfViewer.close();
    await report.close();
  }, 180_000);

  it('says so in Chinese when the quote is not on the image, and marks nothing', async () => {
    const page = await context.newPage();
    await page.goto(`${base}/ui/index.html#token=${officer}`);
    const url = new URL(viewUrl, base);
    url.searchParams.set('q', '竣工验收报告的结论');
    await page.goto(url.toString());
    expect(await page.locator('[data-testid="region-note"]').innerText()).toBe('未能在图像上定位引文，请查看整页');
    expect(await page.locator('[data-testid="image-region"]').count()).toBe(0);
    await page.close();
  }, 60_000);
});
