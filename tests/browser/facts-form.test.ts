import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedDossier, type TestApi } from '../api/harness.ts';
import { DOCS, launchChromium, startBrowserApi } from './browser.ts';

/**
 * The report page's one facts form in a real browser: every fact once, the value read from the documents in its input
 * with its source beside it, the 需确认 rows pointing to it; an officer declares a fact with the keyboard only,
 * re-checks, and finds the declaration prefilled after a reload. Screenshot docs/screenshot-facts-form.png.
 */

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

describe('when an officer declares a fact in the one facts form', () => {
  let api: TestApi;
  let browser: Browser;
  let page: Page;
  let reportUrl: string;

  beforeAll(async () => {
    const started = await startBrowserApi();
    api = started.api;
    const base = started.base;
    const officer = await api.token('officer', { jurisdiction: 'yiyang', name: '李审核' });
    const id = await checkedDossier(api, officer, { city: 'yiyang' });
    browser = await launchChromium();
    // axe-core is injected as a script tag, which the page's CSP (script-src 'self') would block.
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN', bypassCSP: true });
    await page.goto(`${base}/ui/index.html#token=${officer}`);
    await page.waitForSelector('#upload-form');
    reportUrl = `${base}/ui/report.html?id=${id}`;
    await page.goto(reportUrl);
    await page.waitForSelector('#facts form');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('shows each fact once, labelled, the value read from the documents in its input with where it was read', async () => {
    const names = await page.locator('#facts [data-fact]').evaluateAll((els) => els.map((e) => e.getAttribute('data-fact')));
    expect(names.length).toBeGreaterThan(1);
    expect(new Set(names).size).toBe(names.length);
    // The 需确认 rows have no inputs of their own; their links lead to the form's controls.
    expect(await page.locator('#confirm input, #confirm select').count()).toBe(0);
    for (const target of await page.locator('#confirm a.to-fact').evaluateAll((els) => els.map((e) => e.getAttribute('data-to-fact')))) expect(names).toContain(target);
    // Every control has its label (checkbox groups are labelled box by box).
    const unlabelled = await page.locator('#facts input[data-fact], #facts select[data-fact]').evaluateAll((els) => els.filter((e) => !document.querySelector(`label[for="${e.id}"]`)).map((e) => e.id));
    expect(unlabelled).toEqual([]);

    expect(await page.inputValue('#fact-totalInvestmentWan')).toBe('80');
    const field = page.locator('.field.fact', { has: page.locator('#fact-totalInvestmentWan') });
    expect(await field.locator('label').innerText()).toBe('项目总投资（万元）');
    expect(await field.locator('small.id').innerText()).toBe('totalInvestmentWan');
    expect(await field.locator('.fact-source').innerText()).toMatch(/^从《项目立项申报表》第1页读出：「.*80.*」$/);
  });

  it('declares a fact with the keyboard, re-checks without uploading again, and finds it prefilled after a reload', async () => {
    await page.focus('#fact-sharingExempt');
    expect(await page.inputValue('#fact-sharingExempt')).toBe('');
    await page.keyboard.press('ArrowDown');
    const declared = await page.inputValue('#fact-sharingExempt');
    expect(declared).not.toBe('');
    // Tab to the submit button: the form is submitted the way a keyboard user would.
    for (let i = 0; i < 40 && (await page.evaluate(() => document.activeElement?.id)) !== 'recheck-facts'; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('recheck-facts');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="recheck-notice"]');
    expect(await page.textContent('[data-testid="recheck-notice"]')).toContain('无需重新提取文件');

    await page.reload();
    await page.waitForSelector('#facts form');
    expect(await page.inputValue('#fact-sharingExempt')).toBe(declared);
    const field = page.locator('.field.fact', { has: page.locator('#fact-sharingExempt') });
    expect(await field.locator('.fact-source').innerText()).toBe('已声明');
    // The value read from the documents is still shown as read, not turned into a declaration.
    expect(await page.inputValue('#fact-totalInvestmentWan')).toBe('80');
    expect(await page.locator('.field.fact', { has: page.locator('#fact-totalInvestmentWan') }).locator('.fact-source.derived').count()).toBe(1);
  });

  for (const width of [1280, 390]) {
    it(`at ${width} px the form stays in its card and passes axe-core`, async () => {
      await page.setViewportSize({ width, height: 900 });
      await page.reload();
      await page.waitForSelector('#facts form');
      await page.waitForLoadState('networkidle');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBe(0);
      await page.addScriptTag({ path: AXE });
      const violations = (await page.evaluate(
        async () =>
          (await (window as unknown as { axe: { run: (c: unknown) => Promise<{ violations: Array<{ id: string; impact: string | null }> }> } }).axe.run({ include: [['#facts'], ['#confirm']] })).violations,
      )) as Array<{ id: string; impact: string | null }>;
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
      if (width === 1280) {
        // The form's card alone: the whole report page is docs/screenshot-report.png.
        const shot = await page.locator('#facts').screenshot();
        await sharp(shot).png({ palette: true, quality: 90, compressionLevel: 9 }).toFile(join(DOCS, 'screenshot-facts-form.png'));
      }
    }, 120_000);
  }
});
