import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../extractors/normalize.ts';
import { judgeTextLayer } from '../../extractors/pdf/garbage.ts';
import { PDF_EXTRACTOR_VERSION } from '../../extractors/pdf/index.ts';
import { PDF_TEXT_ENGINE, PDFIUM_PACKAGE_VERSION, readTextWithPdfium } from '../../extractors/pdf/pdfium-text.ts';
import { sharedPath } from '../helpers/shared-data.ts';
import { GARBLED_GBT_PDF, HUAXIN_PDF, readTextLayers, REAL_PDF_DIR } from './text-layers.ts';

/**
 * PDFium reads the text layers now; pdf.js read them before and is still the fallback. On the same pages of real files
 * both must give the same characters, Chinese intact, on the same page numbers, and the garbage check must say the
 * same of every page.
 */

const HUIBIAN_PDF = sharedPath('samples', 'real', 'pdf', 'hdu_xgxy_xuesheng_shouce_2025_huibian_wps.pdf');
const SAMPLE_03_DIR = sharedPath('samples', 'dossiers', 'sample-03-shenyang-acceptance', '沈阳市社保经办一体化系统升级改造项目验收材料');

async function bothEngines(file: string): Promise<{ pdfjs: string[]; pdfium: string[] }> {
  const bytes = await readFile(file);
  const read = await readTextWithPdfium(bytes, Number.POSITIVE_INFINITY);
  if (!read) throw new Error(`PDFium 无法打开 ${file}`);
  expect(read.texts.every((text) => text !== null), `${path.basename(file)}: PDFium 有页面未能读取`).toBe(true);
  return { pdfjs: await readTextLayers(file), pdfium: read.texts as string[] };
}

/** Characters both texts share, as a share of both (whitespace ignored, order not): 1 is the same multiset. */
function characterOverlap(a: string, b: string): number {
  const count = (s: string) => {
    const counts = new Map<string, number>();
    for (const ch of s.replace(/\s+/gu, '')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    return counts;
  };
  const [ca, cb] = [count(a), count(b)];
  let shared = 0;
  for (const [ch, n] of ca) shared += Math.min(n, cb.get(ch) ?? 0);
  const total = [...ca.values(), ...cb.values()].reduce((sum, n) => sum + n, 0);
  return total === 0 ? 1 : (2 * shared) / total;
}

const han = (s: string) => s.match(/\p{Script=Han}/gu)?.join('') ?? '';

describe('when PDFium and pdf.js read the same real PDFs', () => {
  it('is the engine the extractor uses, and its version is part of the extraction cache key', () => {
    expect(PDF_TEXT_ENGINE).toBe('pdfium');
    expect(PDF_EXTRACTOR_VERSION).toContain(`text=pdfium@${PDFIUM_PACKAGE_VERSION}`);
  });

  it('gives the 99-page 招标文件 the same normalised text on every page', async () => {
    const { pdfjs, pdfium } = await bothEngines(HUAXIN_PDF);
    expect(pdfium).toHaveLength(99);
    expect(pdfium.map(normalizeText)).toEqual(pdfjs.map(normalizeText));
    expect(pdfium.filter((text) => text.includes('招标')).length).toBeGreaterThan(40);
  }, 120_000);

  it('gives the 176-page 汇编 the same lines on every page but one table row, whose cells it keeps in visual order', async () => {
    const { pdfjs, pdfium } = await bothEngines(HUIBIAN_PDF);
    expect(pdfium).toHaveLength(176);
    const differing = pdfium.flatMap((text, i) => (normalizeText(text) === normalizeText(pdfjs[i]!) ? [] : [i + 1]));
    expect(differing).toEqual([143]);
    const rowOf = (text: string) => normalizeText(text).split('\n').find((line) => line.includes('全国二等奖'));
    expect(rowOf(pdfjs[142]!)).toBe('1.1倍发放全国二等奖1.0');
    expect(rowOf(pdfium[142]!)).toBe('全国二等奖1.0 1.1倍发放');
    for (const [i, text] of pdfium.entries()) {
      expect(characterOverlap(normalizeText(text), normalizeText(pdfjs[i]!)), `第 ${i + 1} 页`).toBe(1);
      expect(han(normalizeText(text)).length, `第 ${i + 1} 页的汉字`).toBe(han(normalizeText(pdfjs[i]!)).length);
    }
  }, 120_000);

  it('gives the loose PDFs of sample dossier 03 the same text, the scanned pages none from either', async () => {
    const files = (await readdir(SAMPLE_03_DIR)).filter((name) => name.endsWith('.pdf'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    let pagesWithText = 0;
    for (const name of files) {
      const { pdfjs, pdfium } = await bothEngines(path.join(SAMPLE_03_DIR, name));
      expect(pdfium, name).toHaveLength(pdfjs.length);
      for (const [i, text] of pdfium.entries()) {
        const a = normalizeText(pdfjs[i]!);
        const b = normalizeText(text);
        expect(b, `${name} 第 ${i + 1} 页`).toBe(a);
        expect(judgeTextLayer(text).reason, `${name} 第 ${i + 1} 页`).toBe(judgeTextLayer(pdfjs[i]!).reason);
        if (b !== '') pagesWithText++;
      }
    }
    expect(pagesWithText).toBeGreaterThan(0);
  }, 120_000);

  it('finds the broken text layer of the GB/T 42133 file unusable on every page, as pdf.js’s text was', async () => {
    const { pdfjs, pdfium } = await bothEngines(GARBLED_GBT_PDF);
    expect(pdfium).toHaveLength(14);
    expect(pdfjs.map((text) => judgeTextLayer(text).usable)).toEqual(Array(14).fill(false));
    expect(pdfium.map((text) => judgeTextLayer(text).usable)).toEqual(Array(14).fill(false));
  }, 120_000);

  it('opens every real PDF that pdf.js opens', async () => {
    const files = (await readdir(REAL_PDF_DIR)).filter((name) => name.endsWith('.pdf'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const name of files) {
      const read = await readTextWithPdfium(await readFile(path.join(REAL_PDF_DIR, name)), 1);
      expect(read?.texts, name).toHaveLength(1);
    }
  }, 120_000);
});

describe('when PDFium cannot open a file', () => {
  it('says so with null, for pdf.js to read it and say why', async () => {
    const bytes = await readFile(HUAXIN_PDF);
    expect(await readTextWithPdfium(bytes.subarray(0, 4096), 10)).toBeNull();
    expect(await readTextWithPdfium(Buffer.from('这不是 PDF 文件'), 10)).toBeNull();
  });

  it('reads no more pages than asked for', async () => {
    const read = await readTextWithPdfium(await readFile(HUAXIN_PDF), 3);
    expect(read?.pageCount).toBe(99);
    expect(read?.texts).toHaveLength(3);
  });
});
