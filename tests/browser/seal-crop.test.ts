import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from './browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedDossier, startTestApi, textDossierZip, type TestApi } from '../api/harness.ts';
import { renderSealPage } from '../fixtures/seals/generate.ts';

/**
 * The report page in a real browser shows each seal found on a scanned approval: the seal's crop beside the text
 * read from it, so the officer sees at a glance what the machine read.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ISSUER = '青禾市数据资源管理局';

describe('the report page shows the seals found on a scan', () => {
  let api: TestApi;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`找不到 Chromium：${CHROMIUM}（Chromium not found; set CHROMIUM_PATH）`);
    const approval = await renderSealPage({
      letterhead: '青禾市数据资源管理局文件',
      lines: ['关于青禾市智慧档案管理系统建设项目的批复', '青禾市档案馆：', '经研究，同意该项目按照批复的建设内容和投资规模组织实施。', '特此批复。', '', '                                青禾市数据资源管理局', '                                二〇二三年六月十八日'],
      textTopMm: 60,
      seals: [{ spec: { shape: 'round', rimText: ISSUER, star: true, sizeMm: 40, rotateDeg: 8, ink: 'strong' }, xMm: 140, yMm: 82 }],
      heightMm: 130,
      format: 'jpeg',
      seed: 21,
    });
    api = await startTestApi({ processConcurrency: 1 });
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
    api.ctx.setListenUrl(base);
    const unit = await api.token('unit', { unit: '青禾市档案馆', name: '档案馆经办人' });
    const id = await checkedDossier(api, unit, { zip: textDossierZip([{ name: '立项批复.jpg', data: approval.image, utf8Flag: true }]), facts: { filingStep: 'approval' } });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN' });
    await page.goto(`${base}/ui/report.html?id=${id}#token=${unit}`);
    await page.waitForSelector('[data-testid="verdict"]');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('lists the seal with its crop, drawn by the browser, beside the text read from it and the page', async () => {
    const card = page.locator('#seals');
    expect(await card.locator('h2').textContent()).toBe('印章（1）');
    const crop = card.locator('img');
    expect(await crop.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await crop.getAttribute('alt')).toBe('印章图像');
    // The image decoded: a broken data URL would leave it with no natural size.
    expect(await crop.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const row = await card.locator('tbody tr').textContent();
    expect(row).toContain('立项批复.jpg');
    expect(row).toContain('第1页');
    expect(row).toContain('圆形（有五角星）印章');
    // Whatever the OCR made of the rim, the officer sees it beside the crop (or that it could not be read).
    const readText = await card.locator('tbody tr td').nth(1).textContent();
    expect(readText!.length).toBeGreaterThan(0);
  });
});
