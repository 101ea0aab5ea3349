import { createRequire } from 'node:module';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, textDossierZip, type TestApi } from '../api/harness.ts';
import { latinWords } from '../helpers/latin-words.ts';
import { writeZip } from '../helpers/zip-writer.ts';
import { launchChromium, saveScreenshot, startBrowserApi } from './browser.ts';

/**
 * Issue 15, batch pre-screening in the browser: an officer picks two archives, downloads the facts sheet the page
 * offers for them, fills one row each, uploads it with the batch, and each dossier is checked with its own facts; a
 * dossier of another city is flagged on its row. The summary then fits at 1280 and 390 px without a column read one
 * character a line, reads in Chinese and passes axe-core.
 */

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

describe('when an officer pre-screens a batch with a facts sheet', () => {
  let api: TestApi;
  let browser: Browser;
  let page: Page;
  let base: string;
  let officer: string;
  let work: string;

  beforeAll(async () => {
    ({ api, base } = await startBrowserApi());
    officer = await api.token('officer', { jurisdiction: 'municipal-template', name: '王审核' });
    work = await mkdtemp(join(tmpdir(), 'batch-browser-'));
    await writeFile(join(work, '甲项目.zip'), textDossierZip());
    await writeFile(
      join(work, '常德的项目.zip'),
      writeZip([
        { name: '项目立项申报表.txt', data: '项目立项申报表\n项目名称：武陵区数字档案馆建设项目\n建设单位：常德市档案馆\n', utf8Flag: true },
        { name: '可研批复.txt', data: '常德市发展和改革委员会\n关于武陵区数字档案馆建设项目可行性研究报告的批复\n', utf8Flag: true },
      ]),
    );
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'UTC', bypassCSP: true, acceptDownloads: true });
    page = await context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('downloads the sheet for the picked archives, uploads it filled, and checks each dossier with its own row', async () => {
    await page.goto(`${base}/ui/batch.html#token=${officer}`);
    await page.waitForSelector('#archives');
    await page.selectOption('#stage', 'filing');
    await page.setInputFiles('#archives', [join(work, '甲项目.zip'), join(work, '常德的项目.zip')]);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#facts-template-xlsx')]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await download.path())!);
    const sheet = workbook.getWorksheet('项目事实')!;
    expect([sheet.getCell('A1').value, sheet.getCell('B1').value, sheet.getCell('B2').value]).toEqual(['材料包', '申报步骤', 'filingStep']);
    expect([sheet.getCell('A3').value, sheet.getCell('A4').value]).toEqual(['甲项目.zip', '常德的项目.zip']);
    sheet.getCell('B3').value = '立项审批';
    sheet.getCell('B4').value = '计划申报';
    const filled = join(work, '填好的事实表.xlsx');
    await workbook.xlsx.writeFile(filled);
    await page.setInputFiles('#facts-sheet', filled);
    await page.click('button[type="submit"]');
    await page.waitForFunction(() => document.querySelector('#table')?.textContent?.includes('全部完成'), null, { timeout: 120_000 });

    const batchId = new URL(page.url()).searchParams.get('id')!;
    const batch = (await api.app.inject({ url: `/api/v1/batches/${batchId}`, headers: bearer(officer) })).json() as { rows: Array<{ dossier: string; dossierId: string }> };
    const step = async (name: string) => {
      const row = batch.rows.find((r) => r.dossier === name)!;
      return (await api.app.inject({ url: `/api/v1/dossiers/${row.dossierId}/report`, headers: bearer(officer) })).json().facts.filingStep?.value;
    };
    expect(await step('甲项目.zip')).toBe('approval');
    expect(await step('常德的项目.zip')).toBe('plan');
    // the other city's dossier is flagged on its row, not checked silently
    const flagged = page.locator('#summary tbody tr', { hasText: '常德的项目.zip' });
    expect(await flagged.locator('.verdict-cell').innerText()).toContain('需确认：材料似乎属于常德市');
  }, 180_000);

  for (const width of [1280, 390]) {
    it(`at ${width} px the summary fits, no column reads one character a line, Chinese only, axe-core clean`, async () => {
      await page.setViewportSize({ width, height: 900 });
      await page.reload();
      await page.waitForSelector('#summary tbody tr');
      await page.waitForLoadState('networkidle');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBe(0);
      // A cell whose text has several characters but whose box is narrower than two of them reads one a line.
      const squeezed = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('#summary th, #summary td')]
          .filter((cell) => cell.offsetParent !== null && (cell.innerText.trim().length ?? 0) >= 2)
          .filter((cell) => cell.clientWidth - 8 < 2 * parseFloat(getComputedStyle(cell).fontSize))
          .map((cell) => `${cell.getAttribute('data-label') ?? cell.innerText}：${cell.clientWidth} 像素`),
      );
      expect(squeezed).toEqual([]);
      const text = await page.evaluate(() => document.body.innerText);
      expect(latinWords(text, ['甲项目.zip', '常德的项目.zip'])).toEqual([]);
      await page.addScriptTag({ path: AXE });
      const violations = (await page.evaluate(async () => (await (window as unknown as { axe: { run: (d: Document) => Promise<{ violations: Array<{ id: string; impact: string | null }> }> } }).axe.run(document)).violations)) as Array<{ id: string; impact: string | null }>;
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
      await saveScreenshot(page, `screenshot-batch-${width}.png`);
    }, 120_000);
  }
});
