import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import type { ApiConfigInput } from '../../api/config.ts';
import { startTestApi, type TestApi } from '../api/harness.ts';

/** Debian's chromium driven by playwright-core (no browser download), with the CJK font from node_modules. */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const DOCS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs');

async function cjkFontConfig(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fontconfig-'));
  const fonts = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'node_modules', '@embedpdf', 'fonts-sc', 'fonts');
  const file = join(dir, 'fonts.conf');
  await writeFile(
    file,
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n  <dir>${fonts}</dir>\n  <cachedir>${join(dir, 'cache')}</cachedir>\n</fontconfig>\n`,
  );
  return file;
}

/**
 * Playwright gives a wait or an action 30 s by default. With both cores busy (two test files, each with its own OCR
 * and readers) a page load has taken longer than that, and the first wait that gave up failed every test after it.
 * A page that never comes still fails, two minutes later.
 */
export const BROWSER_WAIT_MS = 120_000;

function withPatientPages(browser: Browser): Browser {
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.setDefaultTimeout(BROWSER_WAIT_MS);
    return context;
  };
  const newPage = browser.newPage.bind(browser);
  browser.newPage = async (options) => {
    const page = await newPage(options);
    page.setDefaultTimeout(BROWSER_WAIT_MS);
    return page;
  };
  return browser;
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`找不到 Chromium：${CHROMIUM}（Chromium not found; Debian: apt-get install -y chromium, which .ci/run does; or set CHROMIUM_PATH）`);
  }
  return withPatientPages(await chromium.launch({
    executablePath: CHROMIUM,
    // The machine has no system CJK font; point fontconfig at the one in node_modules so screenshots are legible.
    env: { ...process.env, FONTCONFIG_FILE: await cjkFontConfig() },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  }));
}

export interface BrowserApi {
  api: TestApi;
  /** `http://127.0.0.1:<port>`, where the browser reaches the API and what its links (share links, evidence) start with. */
  base: string;
}

/**
 * The test API (tests/api/harness.ts) on a real port of its own, for a browser: one dossier processed at a time
 * unless `config` says otherwise, and the listening address set as the API's own, so the links it writes lead back
 * to it. Close it with `api.close()`.
 */
export async function startBrowserApi(config: ApiConfigInput = {}): Promise<BrowserApi> {
  const api = await startTestApi({ processConcurrency: 1, ...config });
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
  api.ctx.setListenUrl(base);
  return { api, base };
}

/** A palette PNG keeps a committed picture small (flat UI colours survive quantisation). */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const file = join(DOCS, name);
  await sharp(await page.screenshot({ fullPage: true })).png({ palette: true, quality: 90, compressionLevel: 9 }).toFile(file);
  return file;
}
