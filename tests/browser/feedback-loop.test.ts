import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPdf } from '../../extractors/pdf/index.ts';
import { ensureDossier, standardDossiers } from '../fixtures/dossiers/build.ts';
import type { TestApi } from '../api/harness.ts';
import { contextWith } from '../pdf/recording-ocr.ts';
import { writeZip } from '../helpers/zip-writer.ts';
import { launchChromium, startBrowserApi } from './browser.ts';

/**
 * Issue 12 end to end in a real browser, embedded mode with the SQLite records: an officer uploads a changde filing
 * dossier that lacks its 可行性研究报告 and 技术方案, generates the 一次性告知书 (the PDF read back and pinned by its
 * text; its layout was compared by eye once), makes a 补正 link; the unit opens the link without an account and sends
 * the two files; the officer sees round 2 with what changed, 材料齐全, the 收齐 date and the deadline of 常德 第十一条,
 * and the audit log has every step.
 */

const MISSING = ['2.可行性研究报告.pdf', '5.技术方案.pdf'];

describe('the unit’s feedback loop, from the notice to 材料齐全', () => {
  let api: TestApi;
  let browser: Browser;
  let officerPage: Page;
  let base: string;
  let officer: string;
  let folder: string;
  let upload: string;
  let dossierId: string;

  beforeAll(async () => {
    const spec = standardDossiers().find((s) => s.id === 'gen-changde-filing-complete');
    if (!spec) throw new Error('standard dossier gen-changde-filing-complete is gone: pick another complete changde filing dossier');
    folder = (await ensureDossier(spec)).inputPath;
    const names = (await readdir(folder)).filter((n) => n !== 'Thumbs.db');
    expect(names).toEqual(expect.arrayContaining(MISSING));
    const entries = await Promise.all(names.filter((n) => !MISSING.includes(n)).map(async (n) => ({ name: n, data: await readFile(join(folder, n)), utf8Flag: true })));
    upload = join(await mkdtemp(join(tmpdir(), 'feedback-loop-')), '智慧停车诱导系统申报材料.zip');
    await writeFile(upload, writeZip(entries));

    ({ api, base } = await startBrowserApi());
    officer = await api.token('officer', { jurisdiction: 'changde', name: '李审核' });
    browser = await launchChromium();
    officerPage = await browser.newPage({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN' });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  const apiGet = async (path: string) => (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${officer}` } })).json();

  it('the officer uploads the incomplete dossier and reads 需补正 with the two missing items', async () => {
    await officerPage.goto(`${base}/ui/index.html#token=${officer}`);
    await officerPage.waitForSelector('#upload-form');
    await officerPage.check('input[name="stage"][value="filing"]');
    await officerPage.setInputFiles('#archive', upload);
    await officerPage.click('#submit');
    await officerPage.waitForURL(/\/ui\/report\.html\?id=/, { timeout: 170_000 });
    await officerPage.waitForSelector('[data-testid="verdict"]', { timeout: 60_000 });
    dossierId = new URL(officerPage.url()).searchParams.get('id')!;
    expect(await officerPage.textContent('[data-testid="verdict"]')).toMatch(/^需补正（2 项必须补正/);
    const missing = await officerPage.textContent('#missing');
    expect(missing).toContain('CD-F02');
    expect(missing).toContain('CD-F05');
    // Not complete yet: the clock of 第十一条 runs from 收齐 and has not started.
    expect(await officerPage.textContent('[data-testid="clock"]')).toContain('尚未开始');
  });

  it('generates the 一次性告知书, whose PDF lists exactly what to supply with the articles', async () => {
    await officerPage.getByLabel('发文机关').fill('常德市数据资源管理局');
    await officerPage.getByLabel('文号').fill('常数据补〔2026〕12号');
    await officerPage.getByLabel('补正期限').fill('2026-12-18');
    await officerPage.getByRole('button', { name: '生成 PDF 告知书' }).click();
    const link = officerPage.locator('[data-testid="notice-download"]');
    await expect.poll(() => link.count(), { timeout: 60_000 }).toBe(1);
    const pdf = Buffer.from(await (await fetch(`${base}${await link.getAttribute('href')}`, { headers: { authorization: `Bearer ${officer}` } })).arrayBuffer());
    const text = (await extractPdf({ bytes: pdf, path: 'notice.pdf', kind: 'pdf' }, contextWith({ recognize: async () => ({ text: '', confidence: 0 }), close: async () => undefined } as never)))
      .pages.map((p) => p.text)
      .join('\n')
      .replace(/\s+/g, '');
    // The PDF reader folds full-width brackets and colons to ASCII, as it does for every document.
    const fold = (piece: string) => piece.replace(/（/g, '(').replace(/）/g, ')').replace(/：/g, ':');
    for (const piece of ['常德市数据资源管理局', '常数据补〔2026〕12号', '一次性告知书', '必须补正的材料（共2项）', '1.可行性研究报告', '2.技术方案', '《常德市电子政务工程建设管理办法》第六条', '请于2026年12月18日前']) {
      expect(text, piece).toContain(fold(piece));
    }
  });

  it('the unit opens its 补正 link without an account and sends the two files; round 2 is 材料齐全', async () => {
    await officerPage.getByRole('button', { name: '生成补正上传链接' }).click();
    const linkInput = officerPage.locator('.share input');
    await expect.poll(() => linkInput.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const shareUrl = await linkInput.first().inputValue();
    expect(shareUrl).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);

    const unitPage = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await unitPage.goto(shareUrl);
    await unitPage.waitForSelector('[data-testid="verdict"]');
    await unitPage.getByLabel('选择补充或替换的文件').setInputFiles(MISSING.map((n) => join(folder, n)));
    await unitPage.getByRole('button', { name: '提交补正' }).click();
    await expect.poll(() => unitPage.textContent('[data-testid="round-diff"]').catch(() => ''), { timeout: 120_000 }).toContain('第 2 轮补正');
    expect(await unitPage.textContent('[data-testid="verdict"]')).toMatch(/^材料齐全/);
  });

  it('the officer sees round 2 with what changed, 材料齐全, the 收齐 date and the deadline', async () => {
    await officerPage.reload();
    await officerPage.waitForSelector('[data-testid="verdict"]');
    expect(await officerPage.textContent('[data-testid="verdict"]')).toMatch(/^材料齐全/);
    const diff = await officerPage.textContent('[data-testid="round-diff"]');
    expect(diff).toContain('第 2 轮补正');
    expect(diff).toMatch(/新满足（2）：.*CD-F02.*CD-F05|新满足（2）：.*CD-F05.*CD-F02/);
    for (const name of MISSING) expect(diff).toContain(name);
    const clock = await officerPage.textContent('[data-testid="clock"]');
    expect(clock).toMatch(/办理时限（技术方案评审，第十一条第一款）：自\d{4}年\d{1,2}月\d{1,2}日收齐材料起20日内，截止\d{4}年\d{1,2}月\d{1,2}日，还剩\d+日/);
    const view = await apiGet(`/api/v1/dossiers/${dossierId}`);
    expect(view.clocks[0]).toMatchObject({ state: 'running', dayKind: 'calendar' });
  });

  it('the audit log shows each step, who and when', async () => {
    const { available, entries } = await apiGet(`/api/v1/dossiers/${dossierId}/audit`);
    expect(available).toBe(true);
    const steps = entries.map((e: { action: string; actor: string }) => `${e.action}:${e.actor}`);
    for (const step of ['uploaded:李审核', 'viewed:李审核', 'notice_generated:李审核', 'shared:李审核', 'supplemented:分享链接']) expect(steps).toContain(step);
    expect(steps.indexOf('notice_generated:李审核')).toBeLessThan(steps.indexOf('supplemented:分享链接'));
    const times = entries.map((e: { at: string }) => e.at);
    expect(times).toEqual([...times].sort());
  });
});
