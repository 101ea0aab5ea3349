import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type TestApi } from '../api/harness.ts';
import { latinWords } from '../helpers/latin-words.ts';
import { sharedPath } from '../helpers/shared-data.ts';
import { launchChromium, saveScreenshot, startBrowserApi } from './browser.ts';

/**
 * Issue 15 in the browser, on the shared sample dossier 06 (常德 acceptance: an unreadable file, facts nobody
 * declared): an officer uploads it with the keyboard alone, then every page — upload, report, batch, checklists —
 * at 1280 and 390 px wide: no sideways scroll, no English word or internal id standing alone, no serious or critical
 * axe-core violation; a bad share link and an unknown dossier answer a browser with a Chinese page that shows a way on.
 */

const SAMPLE = sharedPath('samples', 'dossiers', 'sample-06-changde-acceptance', '数字档案馆材料.zip');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const WIDTHS = [1280, 390] as const;

type AxeViolation = { id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> };

describe('when a person reads the web UI, on a desk screen or a phone', () => {
  let api: TestApi;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let officer: string;
  let id: string;
  let paths: string[] = [];

  beforeAll(async () => {
    ({ api, base } = await startBrowserApi());
    officer = await api.token('officer', { jurisdiction: 'changde', name: '李审核' });
    browser = await launchChromium();
    // bypassCSP lets the test inject axe-core; the pages themselves run under the server's CSP.
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'UTC', bypassCSP: true });
    page = await context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  /** Tab until the focused element matches; fails when it never comes (the control is not in the tab order). */
  async function tabTo(selector: string, limit = 40): Promise<void> {
    for (let i = 0; i < limit; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    }
    throw new Error(`按 Tab ${limit} 次仍未到达 ${selector}`);
  }

  async function settled(): Promise<void> {
    await page.waitForFunction(() => !document.querySelector('main')?.textContent?.includes('正在加载'), null, { timeout: 30_000 });
    await page.waitForLoadState('networkidle');
  }

  /** What a person reads: the body's text without the ids shown after their labels in small grey type. */
  async function readText(): Promise<string> {
    return page.evaluate(() => {
      const ids = [...document.querySelectorAll<HTMLElement>('small.id, code')];
      for (const e of ids) e.style.display = 'none';
      const text = document.body.innerText;
      for (const e of ids) e.style.display = '';
      return text;
    });
  }

  async function axeViolations(): Promise<string[]> {
    await page.addScriptTag({ path: AXE });
    const violations = (await page.evaluate(async () => (await (window as unknown as { axe: { run: (d: Document) => Promise<{ violations: unknown[] }> } }).axe.run(document)).violations)) as AxeViolation[];
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}（${v.impact}）：${v.help} ← ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('；')}`);
  }

  it('uploads the sample dossier with the keyboard alone, progress announced', async () => {
    await page.goto(`${base}/ui/index.html#token=${officer}`);
    await page.waitForSelector('#upload-form');
    await tabTo('input[name="stage"]');
    // Arrow keys move through a radio group and check the one they land on: 立项申报 → 竣工验收.
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('input[name="stage"][value="acceptance"]').isChecked()).toBe(true);
    await tabTo('#archive');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
    await chooser.setFiles(SAMPLE);
    expect(await page.textContent('#picked')).toContain('数字档案馆材料.zip');
    await tabTo('#submit');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="progress"] [aria-live="polite"]');
    // The progress is on screen without scrolling.
    const inView = await page.locator('#status').evaluate((e) => {
      const r = e.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    });
    expect(inView).toBe(true);
    await page.waitForURL(/\/ui\/report\.html\?id=/, { timeout: 240_000 });
    await page.waitForSelector('[data-testid="verdict"]', { timeout: 60_000 });
    id = new URL(page.url()).searchParams.get('id')!;
    const report = (await api.app.inject({ url: `/api/v1/dossiers/${id}/report`, headers: bearer(officer) })).json() as { files: Array<{ path: string }>; skipped: string[] };
    paths = [...report.files.map((f) => f.path), ...report.skipped];
    expect(paths.length).toBeGreaterThan(3);
  }, 300_000);

  it('writes times in Beijing time the Chinese way, and the city by its name', async () => {
    // The browser runs in UTC; the page still says Beijing time.
    const meta = await page.textContent('.summary .meta');
    expect(meta).toMatch(/检查时间：\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
    expect(meta).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(await page.textContent('#who')).toContain('常德市');
    expect(await page.textContent('#who')).not.toContain('changde');
  });

  it('opens the evidence where it is: a quote links to the evidence viewer at the cited page', async () => {
    const links = page.locator('a.quote-link');
    expect(await links.count()).toBeGreaterThan(0);
    const hrefs = await links.evaluateAll((els) => els.map((e) => e.getAttribute('href')));
    const withPage = hrefs.find((href) => /\/files\/\d+\/view\?page=\d+&q=/.test(href ?? ''));
    expect(withPage).toBeDefined();
    const response = await page.context().request.get(`${base}${withPage}`);
    expect(response.status()).toBe(200);
  });

  it('names each finding by its rule’s title, the id after it in small type', async () => {
    const first = page.locator('#findings tbody tr td:first-child').first();
    expect(await first.locator('small.id').count()).toBe(1);
    const label = (await first.innerText()).split('\n')[0]!.replace((await first.locator('small.id').innerText()), '').trim();
    expect(label).toMatch(/[\u4e00-\u9fff]/);
  });

  const pages = (): Array<[string, string]> => [
    ['upload', '/ui/index.html'],
    ['report', `/ui/report.html?id=${id}`],
    ['batch', '/ui/batch.html'],
    ['checklists', '/ui/checklists.html'],
  ];

  for (const width of WIDTHS) {
    it(`at ${width} px every page fits, reads in Chinese and passes axe-core`, async () => {
      await page.setViewportSize({ width, height: 900 });
      const problems: string[] = [];
      for (const [name, path] of pages()) {
        await page.goto(`${base}${path}`);
        await settled();
        if (name === 'report') await page.waitForSelector('[data-testid="verdict"]');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (overflow > 0) problems.push(`${name}：横向溢出 ${overflow} 像素`);
        for (const hit of latinWords(await readText(), paths)) problems.push(`${name}：英文或内部编号“${hit.word}”← ${hit.context}`);
        for (const v of await axeViolations()) problems.push(`${name}：${v}`);
        if (name === 'upload' || name === 'report') await saveScreenshot(page, `screenshot-${name}-${width}.png`);
      }
      expect(problems).toEqual([]);
    }, 180_000);
  }

  it('opens the collapsed menu on a phone with the keyboard', async () => {
    await page.setViewportSize({ width: 390, height: 900 });
    await page.goto(`${base}/ui/index.html`);
    await settled();
    expect(await page.locator('header nav').isVisible()).toBe(false);
    const menu = page.getByRole('button', { name: '菜单' });
    await menu.focus();
    await page.keyboard.press('Enter');
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByRole('link', { name: '检查清单' }).isVisible()).toBe(true);
  });

  it('answers a bad share link and an unknown dossier with a Chinese page and a way on', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    for (const [path, status, title] of [
      [`/s/${'A'.repeat(43)}`, 404, '分享链接无效或已过期'],
      ['/s/cut-short-when-copied', 400, '分享链接无效或已过期'],
      ['/api/v1/dossiers/no-such-dossier/report?format=html', 404, '材料不存在，或无权查看'],
      ['/no/such/page', 404, '请求的地址不存在'],
    ] as const) {
      const response = await page.goto(`${base}${path}`);
      expect(response!.status()).toBe(status);
      expect(response!.headers()['content-type']).toMatch(/^text\/html/);
      expect(await page.textContent('h1')).toBe(title);
      expect(await page.getByRole('link', { name: /返回首页/ }).count()).toBe(1);
      expect(latinWords(await readText())).toEqual([]);
      expect(await axeViolations()).toEqual([]);
    }
    // A program asking for JSON still gets the API's body.
    const json = await api.app.inject({ url: `/s/${'A'.repeat(43)}`, headers: { accept: 'application/json' } });
    expect(json.json()).toMatchObject({ error: { code: 'SHARE_LINK_INVALID' } });
  });
});
