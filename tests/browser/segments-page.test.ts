import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApi, type TestApi } from '../api/harness.ts';
import { dossierSpec, VOLUME_NAME, volumeDocuments } from '../fixtures/volumes/dossier-volumes.ts';
import { buildTextVolume, type BuiltVolume } from '../fixtures/volumes/text-volume.ts';
import { launchChromium, saveScreenshot } from './browser.ts';

/**
 * Issue 11 in the browser: an officer uploads a bound volume (cover, 目录 and four documents of a generated
 * acceptance dossier in one PDF), reads each document with its page range, merges one into the one before it and
 * splits it again at its first page, and the report follows each time from the cached extractions.
 */

type Range = BuiltVolume['ranges'][number];
const span = (first: number, last: number) => (first === last ? `第 ${first} 页` : `第 ${first}–${last} 页`);

describe('when an officer corrects how a bound volume is split, in the browser', () => {
  let api: TestApi;
  let browser: Browser;
  let page: Page;
  let officer: string;
  let dir: string;
  let volume: BuiltVolume;
  let ranges: Range[];
  let satisfiedBefore: string[];

  const dossierId = () => new URL(page.url()).searchParams.get('id')!;
  const record = async () => (await api.app.inject({ url: `/api/v1/dossiers/${dossierId()}`, headers: bearer(officer) })).json() as { status: string; result: { rechecks?: number } };
  const satisfiedRows = () => page.locator('#satisfied tbody tr td:first-child').allTextContents();
  const segmentRanges = () => page.locator('#segments [data-segment]').evaluateAll((els) => els.map((e) => e.getAttribute('data-segment')));

  beforeAll(async () => {
    api = await startTestApi({ processConcurrency: 1 });
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
    api.ctx.setListenUrl(base);
    officer = await api.token('officer', { jurisdiction: 'municipal-template', name: '王审核' });
    // 立项批复, 建设方案, 概算 and 方案评审意见, bound behind a cover and a 目录 as a text-layer 汇编.
    volume = await buildTextVolume(volumeDocuments(dossierSpec('gen-mt-acceptance-complete')).slice(0, 4), { title: '项目验收资料汇编', toc: true });
    ranges = volume.ranges;
    dir = await mkdtemp(join(tmpdir(), 'segments-ui-'));
    await writeFile(join(dir, VOLUME_NAME), volume.bytes);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN' });
    await page.goto(`${base}/ui/index.html#token=${officer}`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('uploads the volume and lists each bound document with its page range and type', async () => {
    await page.waitForSelector('#upload-form');
    await page.check('input[name="stage"][value="acceptance"]');
    await page.setInputFiles('#archive', join(dir, VOLUME_NAME));
    await page.click('#submit');
    await page.waitForURL(/\/ui\/report\.html\?id=/, { timeout: 170_000 });
    await page.waitForSelector('#segments', { timeout: 60_000 });
    expect(ranges.length).toBe(4);
    const shown = await segmentRanges();
    for (const r of ranges) expect(shown).toContain(`${r.firstPage}-${r.lastPage}`);
    // The cover and 目录 are shown as such, in front of the first document.
    expect(shown[0]).toBe(`1-${ranges[0]!.firstPage - 1}`);
    expect(await page.textContent(`#segments [data-segment="1-${ranges[0]!.firstPage - 1}"]`)).toContain('封面、目录等');
    const approval = await page.textContent(`#segments [data-segment="${ranges[0]!.firstPage}-${ranges[0]!.lastPage}"]`);
    // Type, then why the volume was cut there: the 目录 entry that names the 批复.
    expect(approval).toMatch(new RegExp(`^${span(ranges[0]!.firstPage, ranges[0]!.lastPage)}：项目审批文件（目录「[^」]*批复」）`));
  });

  it('names the volume and the page range on a row a bound document satisfies', async () => {
    satisfiedBefore = await satisfiedRows();
    expect(satisfiedBefore.length).toBeGreaterThan(0);
    const r = ranges[0]!;
    expect(await page.textContent('#satisfied')).toContain(`${VOLUME_NAME}，${span(r.firstPage, r.lastPage)}`);
  });

  it('merges a document into the one before it from the keyboard, re-checked without reading the file again', async () => {
    const [first, second] = [ranges[0]!, ranges[1]!];
    const rechecks = (await record()).result.rechecks ?? 0;
    const merge = page.getByRole('button', { name: `将${span(second.firstPage, second.lastPage)}与上一份（${span(first.firstPage, first.lastPage)}）合并` });
    await merge.focus();
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/files/pages') && r.request().method() === 'PUT'), page.keyboard.press('Enter')]);
    // 200 with the report: re-evaluated in the request from the cached extractions (a re-read would be 202, queued).
    expect(response.status()).toBe(200);
    expect(await response.json()).toHaveProperty('report');
    await expect.poll(() => page.textContent('[data-testid="recheck-notice"]')).toContain('与上一份合并');
    const shown = await segmentRanges();
    expect(shown).toContain(`${first.firstPage}-${second.lastPage}`);
    expect(shown).not.toContain(`${second.firstPage}-${second.lastPage}`);
    expect(await page.textContent(`#segments [data-segment="${first.firstPage}-${second.lastPage}"]`)).toContain('人工调整');
    expect(await page.textContent('#segments')).toContain('已人工调整分段');
    // No row cites the document that no longer stands alone.
    expect(await page.textContent('#satisfied')).not.toContain(`${VOLUME_NAME}，${span(second.firstPage, second.lastPage)}`);
    const after = await record();
    expect(after.status).toBe('done');
    expect(after.result.rechecks).toBe(rechecks + 1);
  });

  it('splits the merged document again at a page typed in, and the rows come back', async () => {
    const [first, second] = [ranges[0]!, ranges[1]!];
    const input = page.getByLabel(`“${VOLUME_NAME}”${span(first.firstPage, second.lastPage)}从第几页起拆分`);
    await input.fill(String(second.firstPage));
    await input.focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('拆分');
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/files/pages') && r.request().method() === 'PUT'), page.keyboard.press('Enter')]);
    expect(response.status()).toBe(200);
    await expect.poll(() => page.textContent('[data-testid="recheck-notice"]')).toContain(`从第 ${second.firstPage} 页起拆分`);
    const shown = await segmentRanges();
    for (const r of ranges) expect(shown).toContain(`${r.firstPage}-${r.lastPage}`);
    expect(await satisfiedRows()).toEqual(satisfiedBefore);
    expect(await page.textContent('#satisfied')).toContain(`${VOLUME_NAME}，${span(second.firstPage, second.lastPage)}`);
    await page.locator('#segments').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'screenshot-segments.png');
  });

  it('goes back to the automatic split when the officer withdraws the change', async () => {
    await page.getByRole('button', { name: '恢复自动分段' }).click();
    await expect.poll(() => page.textContent('[data-testid="recheck-notice"]')).toContain('恢复');
    expect(await page.textContent('#segments')).not.toContain('人工调整');
    expect(await satisfiedRows()).toEqual(satisfiedBefore);
  });
});
