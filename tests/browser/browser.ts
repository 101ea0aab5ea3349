import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';

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

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`找不到 Chromium：${CHROMIUM}（Chromium not found; Debian: apt-get install -y chromium, which .ci/run does; or set CHROMIUM_PATH）`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    // The machine has no system CJK font; point fontconfig at the one in node_modules so screenshots are legible.
    env: { ...process.env, FONTCONFIG_FILE: await cjkFontConfig() },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A palette PNG keeps a committed picture small (flat UI colours survive quantisation). */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const file = join(DOCS, name);
  await sharp(await page.screenshot({ fullPage: true })).png({ palette: true, quality: 90, compressionLevel: 9 }).toFile(file);
  return file;
}
