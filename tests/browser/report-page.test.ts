import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedDossier, startTestApi, textDossierZip, type TestApi } from '../api/harness.ts';
import { sharedPath } from '../helpers/shared-data.ts';
import { CHROMIUM, launchChromium } from './browser.ts';

/**
 * The web UI in a real browser: Debian's chromium driven by playwright-core (no browser download). An officer
 * uploads the small municipal-template sample, watches the progress bar, reads the report, declares a fact,
 * re-checks, and opens a file. The report page is saved as docs/screenshot-report.png for the README.
 */

const SAMPLE = sharedPath('samples', 'dossiers', 'sample-05-mt-filing', 'dossier.zip');
const SCREENSHOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshot-report.png');

describe('when an officer checks a dossier in the browser', () => {
  let api: TestApi;
  let browser: Browser;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`找不到 Chromium：${CHROMIUM}（Chromium not found; Debian: apt-get install -y chromium, which .ci/run does; or set CHROMIUM_PATH）`);
    }
    api = await startTestApi({ processConcurrency: 1 });
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
    api.ctx.setListenUrl(base);
    const token = await api.token('officer', { jurisdiction: 'municipal-template', name: '王审核' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN' });
    await page.goto(`${base}/ui/index.html#token=${token}`);
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('signs in from the link and shows the upload form with the jurisdiction fixed', async () => {
    await page.waitForSelector('#upload-form');
    expect(await page.textContent('#who')).toContain('王审核');
    expect(await page.locator('#city').inputValue()).toBe('municipal-template');
    expect(await page.locator('#city').isDisabled()).toBe(true);
  });

  it('asks exactly the facts that the chosen stage needs', async () => {
    await page.check('input[name="stage"][value="filing"]');
    await page.waitForSelector('#fact-filingStep');
    const asked = await page.locator('#facts [data-fact]').evaluateAll((els) => els.map((e) => e.getAttribute('data-fact')));
    expect(asked).toEqual(['filingStep']);
  });

  it('uploads the archive and shows progress until the report opens', async () => {
    await page.setInputFiles('#archive', SAMPLE);
    expect(await page.textContent('#picked')).toContain('dossier.zip');
    await page.click('#submit');
    await page.waitForSelector('[data-testid="progress"]');
    await page.waitForURL(/\/ui\/report\.html\?id=/, { timeout: 170_000 });
    await page.waitForSelector('[data-testid="verdict"]', { timeout: 30_000 });
  });

  it('shows the verdict and the missing item with its article and what to submit', async () => {
    expect(await page.textContent('[data-testid="verdict"]')).toMatch(/^需补正（\d+ 项必须补正/);
    const missing = page.locator('#missing [data-row="MT-F03"]');
    await expect.poll(() => missing.count()).toBe(1);
    const text = await missing.textContent();
    expect(text).toContain('项目需求分析报告');
    expect(text).toContain('依据：三(二)1');
    expect(text).toContain('应提交：《项目需求分析报告》');
    expect(await page.textContent('#files')).toContain('项目立项申报表.pdf');
    await mkdir(dirname(SCREENSHOT), { recursive: true });
    // A palette PNG keeps the committed picture small (flat UI colours survive quantisation).
    await sharp(await page.screenshot({ fullPage: true })).png({ palette: true, quality: 90, compressionLevel: 9 }).toFile(SCREENSHOT);
  });

  it('re-checks with a declared fact, without uploading again', async () => {
    expect(await page.textContent('#satisfied')).toContain('MT-F04');
    await page.selectOption('#fact-filingStep', 'plan');
    await page.click('#recheck-facts');
    await page.waitForSelector('[data-testid="recheck-notice"]');
    expect(await page.textContent('[data-testid="recheck-notice"]')).toContain('申报步骤');
    // At the plan step the approval-step rows (MT-F04 专家论证意见) no longer apply.
    expect(await page.textContent('#satisfied')).not.toContain('MT-F04');
    expect(await page.textContent('.summary .meta')).toContain('计划申报');
  });

  it('opens a file of the dossier from the file table', async () => {
    const link = page.locator('#files a.file-link', { hasText: '项目立项申报表.pdf' });
    const [response] = await Promise.all([
      page.context().waitForEvent('response', (r) => /\/api\/v1\/dossiers\/[^/]+\/files\/\d+$/.test(r.url())),
      link.click(),
    ]);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
  });

  it('lets the officer correct a file’s type from the keyboard, and the row it satisfies follows at once', async () => {
    expect(await page.textContent('#missing')).toContain('MT-F03');
    // The picker is labelled, has the classifier's type preselected and is reached and saved without a mouse.
    const picker = page.getByLabel('“项目建议书.pdf”的材料类型');
    expect(await picker.inputValue()).toBe('feasibility_report');
    await picker.focus();
    await picker.selectOption('requirements_analysis');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('保存');
    await page.keyboard.press('Enter');
    // The re-check runs the checklist again on the server: on a loaded machine it takes longer than poll's default
    // second, and the page re-renders when it lands (a form filled before that would be emptied).
    await expect.poll(() => page.textContent('[data-testid="recheck-notice"]'), { timeout: 60_000 }).toContain('已将“项目建议书.pdf”改为需求分析报告');
    expect(await page.textContent('#satisfied')).toContain('MT-F03');
    expect(await page.textContent('#missing')).not.toContain('MT-F03');
    const row = page.locator('#files tr', { has: page.locator('[data-type-path="项目建议书.pdf"]') });
    expect(await row.locator('[data-testid="corrected"]').textContent()).toBe('已人工指定类型');
    expect(await row.textContent()).toMatch(/王审核，\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
    expect(await page.getByLabel('“项目建议书.pdf”的材料类型').inputValue()).toBe('requirements_analysis');
  });

  it('makes the 一次性告知书 from the report page, fields filled from the keyboard, and lists it for download', async () => {
    await page.getByLabel('文号').fill('青数据补〔2026〕7号');
    await page.getByLabel('补正期限').fill('2026-10-09');
    await page.getByLabel('经办人').fill('王审核');
    expect(await page.getByLabel('文号').inputValue()).toBe('青数据补〔2026〕7号');
    await page.getByRole('button', { name: '生成 PDF 告知书' }).click();
    const link = page.locator('[data-testid="notice-download"]');
    // Generating the PDF parses the shipped CJK font: allow it a while on a loaded machine.
    await expect.poll(() => link.count(), { timeout: 60_000 }).toBe(1);
    expect(await link.textContent()).toMatch(/^一次性告知书.*\.pdf$/);
    const head = await page.evaluate(async (href) => {
      const response = await fetch(href);
      const bytes = new Uint8Array(await response.arrayBuffer());
      return { status: response.status, type: response.headers.get('content-type'), magic: String.fromCharCode(...bytes.slice(0, 5)) };
    }, (await link.getAttribute('href'))!);
    expect(head).toEqual({ status: 200, type: 'application/pdf', magic: '%PDF-' });
    await expect.poll(() => page.locator('[data-testid="notices"] li').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.textContent('[data-testid="notices"]')).toContain('青数据补〔2026〕7号');
  });
});

describe('when a unit supplements its dossier from the report page', () => {
  let api: TestApi;
  let browser: Browser;
  let page: Page;
  let base: string;
  let files: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`找不到 Chromium：${CHROMIUM}（Chromium not found; set CHROMIUM_PATH）`);
    api = await startTestApi({ processConcurrency: 1 });
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
    api.ctx.setListenUrl(base);
    const unit = await api.token('unit', { unit: '青禾市档案馆', name: '档案馆经办人' });
    const id = await checkedDossier(api, unit, { zip: textDossierZip(), facts: { filingStep: 'approval' } });
    files = await mkdtemp(join(tmpdir(), 'supplement-ui-'));
    await writeFile(join(files, '需求分析报告.txt'), '青禾市智慧档案管理系统建设项目需求分析报告\n第一章 需求概述\n本报告分析档案管理业务需求。\n');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN' });
    await page.goto(`${base}/ui/report.html?id=${id}#token=${unit}`);
    await page.waitForSelector('[data-testid="verdict"]');
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('adds the missing file as round 2 from the keyboard and sees what changed', async () => {
    expect(await page.textContent('#missing')).toContain('MT-F03');
    // The picker is labelled; the file is chosen, then the button is reached with Tab and pressed with Enter.
    await page.getByLabel('选择补充或替换的文件').setInputFiles(join(files, '需求分析报告.txt'));
    await page.getByLabel('选择补充或替换的文件').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('submit-round');
    await page.keyboard.press('Enter');
    const card = page.locator('[data-testid="round-diff"]');
    await expect.poll(() => card.count(), { timeout: 60_000 }).toBe(1);
    expect(await card.textContent()).toContain('第 2 轮补正');
    expect(await card.textContent()).toContain('新增文件：需求分析报告.txt');
    expect(await card.textContent()).toMatch(/新满足（\d+）：[^；]*MT-F03/);
    expect(await page.textContent('#missing')).not.toContain('MT-F03');
    expect(await page.textContent('#files')).toContain('需求分析报告.txt');
  });

  it('a share link made for 补正 opens a page without an account that sends the next round', async () => {
    const id = new URL(page.url()).searchParams.get('id')!;
    const unit = await api.token('unit', { unit: '青禾市档案馆' });
    const link = (await api.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/share`, headers: { authorization: `Bearer ${unit}` }, payload: { allowSupplement: true } })).json();
    await writeFile(join(files, '项目立项申报表.txt'), '项目立项申报表\n项目名称：青禾市智慧档案管理系统建设项目\n建设单位：青禾市档案馆\n项目总投资（万元）：85\n');
    const shared = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await shared.goto(link.url);
    await shared.waitForSelector('[data-testid="verdict"]');
    expect(await shared.textContent('[data-testid="round-diff"]')).toContain('第 2 轮补正');
    await shared.getByLabel('选择补充或替换的文件').setInputFiles(join(files, '项目立项申报表.txt'));
    await shared.getByRole('button', { name: '提交补正' }).click();
    await expect.poll(() => shared.textContent('[data-testid="round-diff"]').catch(() => ''), { timeout: 60_000 }).toContain('第 3 轮补正');
    expect(await shared.textContent('[data-testid="round-diff"]')).toContain('替换文件：项目立项申报表.txt');
  });
});
