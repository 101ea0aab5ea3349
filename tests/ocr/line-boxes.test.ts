import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractImage } from '../../extractors/image.ts';
import { extractPdf } from '../../extractors/pdf/index.ts';
import { ensurePdfFixtures } from '../fixtures/pdf/generate.ts';
import { defaultExtractionLimits } from '../../extractors/limits.ts';
import type { OcrLayout } from '../../extractors/ocr/layout.ts';
import { createOcrPool } from '../../extractors/ocr/index.ts';
import { quoteRegions, type QuoteRegion } from '../../pipeline/report/quote-region.ts';
import { renderScan } from '../fixtures/scan/render.ts';
import { sharedPath } from '../helpers/shared-data.ts';

/**
 * Issue 15: evidence on a scanned image opens with the quoted region marked. OCR keeps each line's box in the pixels of
 * the original picture (the pool enlarges small scans for the model; the boxes come back), and the report's quote is
 * found on those lines. Real tesseract.js on a real photographed page and on generated scans whose text positions
 * are known because we drew them.
 */

const REAL_TEST_REPORT_PHOTO = sharedPath('samples', 'real', 'images', 'rapiddoc_table_04_jiance_baogao_page.png');

const pool = createOcrPool({ size: 1 });
afterAll(() => pool.close());

type Rect = { x: number; y: number; width: number; height: number };

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Intersection over union: 1 for the same box, 0 for boxes apart. */
function iou(a: Rect, b: Rect): number {
  const shared = overlap(a, b);
  return shared / (a.width * a.height + b.width * b.height - shared);
}

const contains = (r: Rect, x: number, y: number) => x >= r.x && x <= r.x + r.width && y >= r.y && y <= r.y + r.height;

describe('a real photographed page of a test report (1421×1309, enlarged ~1.4× for OCR)', () => {
  let layout: OcrLayout;
  let pageText: string;

  beforeAll(async () => {
    const result = await pool.recognize(await readFile(REAL_TEST_REPORT_PHOTO));
    expect(result.layout, 'OCR 结果应带有行框').toBeDefined();
    layout = result.layout!;
    pageText = result.text;
  });

  it('keeps its line boxes in the pixels of the photo itself', () => {
    expect(layout).toMatchObject({ width: 1421, height: 1309 });
    expect(layout.lines.length).toBeGreaterThan(20);
    for (const { box } of layout.lines) {
      expect(box[0] + box[2]).toBeLessThanOrEqual(1421);
      expect(box[1] + box[3]).toBeLessThanOrEqual(1309);
    }
  });

  it('finds the report number where it is printed, top left above the table', () => {
    // The report quotes the page as OCR read it (here 报告编号，E2022…: the colon read as a comma).
    const quote = pageText.split('\n').find((line) => line.includes('报告编号'));
    expect(quote, 'OCR 应读出报告编号一行').toBeDefined();
    const found = quoteRegions(layout, quote!);
    expect(found?.match).toBe('whole');
    expect(found!.regions).toHaveLength(1);
    // Measured on the photo: the line runs from x≈332 to ≈535 at y≈100–120.
    expect(iou(found!.regions[0]!, { x: 332, y: 100, width: 203, height: 20 })).toBeGreaterThan(0.5);
  });

  it('finds a table cell on its row: 前置放大器 in the RE01 block', () => {
    const found = quoteRegions(layout, '前置放大器');
    expect(found).not.toBeNull();
    // The cell's middle on the photo (x≈421, y≈738); the rows above (对数天线, y≈707) and below (喇叭天线, y≈769) are not marked.
    expect(found!.regions.some((r) => contains(r, 421, 738))).toBe(true);
    expect(found!.regions.every((r) => !contains(r, 421, 707) && !contains(r, 421, 769))).toBe(true);
  });

  it('still finds a quote typed from the paper by its beginning when OCR read its end differently', () => {
    const found = quoteRegions(layout, '报告编号：E202212263623-1');
    expect(found?.match).toBe('leading-part');
    expect(iou(found!.regions[0]!, { x: 332, y: 100, width: 203, height: 20 })).toBeGreaterThan(0.5);
  });
});

describe('a generated 120 dpi scan, whose lines we drew at known places', () => {
  // renderScan: 25 mm margins, 12 pt text with 1.5 line spacing, each line's top at margin + i × line height.
  const dpi = 120;
  const margin = Math.round((25 / 25.4) * dpi);
  const fontPx = (12 / 72) * dpi;
  const lineHeight = fontPx * 1.5;
  const lines = ['关于数字档案馆建设项目立项的请示', '项目名称：数字档案馆建设项目', '建设单位：青禾市档案馆', '项目总投资：120万元', '特此请示，请予审批。'];
  const drawnAt = (i: number, chars: number): Rect => ({ x: margin, y: margin + i * lineHeight, width: chars * fontPx, height: fontPx });
  let layout: OcrLayout;
  let width: number;
  let height: number;

  beforeAll(async () => {
    const scan = await renderScan(lines.join('\n'), { dpi, heightMm: 90 });
    ({ width, height } = await sharp(scan).metadata() as { width: number; height: number });
    const doc = await extractImage({ path: '立项请示.png', bytes: scan, kind: 'image' }, { ocr: pool, limits: defaultExtractionLimits });
    expect(doc.status).toBe('ok');
    expect(doc.pages[0]!.ocrLayout, '图片页应保存 OCR 行框').toBeDefined();
    layout = doc.pages[0]!.ocrLayout!;
  });

  it('maps the boxes back from the ~2× enlargement OCR read to the scan as stored', () => {
    expect(layout).toMatchObject({ width, height });
  });

  it('marks the quoted line where it was drawn', () => {
    const found = quoteRegions(layout, '建设单位：青禾市档案馆');
    expect(found?.match).toBe('whole');
    expect(found!.regions).toHaveLength(1);
    expect(iou(found!.regions[0]!, drawnAt(2, 11))).toBeGreaterThan(0.5);
  });

  it('marks both lines of a quote that runs over a line break, and only those', () => {
    const found = quoteRegions(layout, '数字档案馆建设项目 建设单位：青禾市');
    expect(found!.regions).toHaveLength(2);
    expect(iou(found!.regions[0]!, drawnAt(1, 14))).toBeGreaterThan(0.5);
    expect(iou(found!.regions[1]!, drawnAt(2, 11))).toBeGreaterThan(0.5);
  });

  it('compares as the report does: full-width forms alike, spaces ignored, a clipped quote by its beginning', () => {
    const halfWidth = quoteRegions(layout, '项目总投资:120万元');
    expect(halfWidth?.match).toBe('whole');
    expect(iou(halfWidth!.regions[0]!, drawnAt(3, 10))).toBeGreaterThan(0.5);
    const spaced = quoteRegions(layout, '特 此 请 示');
    expect(iou(spaced!.regions[0]!, drawnAt(4, 10))).toBeGreaterThan(0.5);
    const clipped = quoteRegions(layout, '关于数字档案馆建设项目立项的报告…');
    expect(clipped?.match).toBe('leading-part');
    expect(iou(clipped!.regions[0]!, drawnAt(0, 16))).toBeGreaterThan(0.5);
  });

  it('finds nothing for a quote the page does not hold', () => {
    expect(quoteRegions(layout, '竣工验收报告')).toBeNull();
  });
});

describe('a phone photo stored sideways with an EXIF orientation', () => {
  it('keeps the boxes in the upright picture a browser shows', async () => {
    const dpi = 150;
    const margin = Math.round((25 / 25.4) * dpi);
    const fontPx = (12 / 72) * dpi;
    const upright = await renderScan('建设单位：青禾市档案馆\n项目总投资：120万元', { dpi, heightMm: 70, format: 'jpeg' });
    const { width, height } = (await sharp(upright).metadata()) as { width: number; height: number };
    // Orientation 6: stored turned a quarter to the left; viewers (and browsers) turn it back.
    const sideways = await sharp(upright).rotate(270).withMetadata({ orientation: 6 }).jpeg({ quality: 90 }).toBuffer();
    const doc = await extractImage({ path: '照片.jpg', bytes: sideways, kind: 'image' }, { ocr: pool, limits: defaultExtractionLimits });
    const layout = doc.pages[0]!.ocrLayout!;
    expect(layout).toMatchObject({ width, height });
    const found = quoteRegions(layout, '项目总投资：120万元');
    const region: QuoteRegion = found!.regions[0]!;
    expect(iou(region, { x: margin, y: margin + 1.5 * fontPx, width: 10 * fontPx, height: fontPx })).toBeGreaterThan(0.5);
  });
});

describe('a scanned PDF page (the scan of SCANNED_PAGE_TEXT, A4 at 200 dpi, drawn over the whole page)', () => {
  it('keeps the boxes in the pixels of the page scan, so they fall on the page as pdf.js draws it', async () => {
    const fixtures = await ensurePdfFixtures();
    const doc = await extractPdf({ path: '立项请示-扫描件.pdf', bytes: await readFile(fixtures.scanned), kind: 'pdf' }, { ocr: pool, limits: defaultExtractionLimits });
    const page = doc.pages[0]!;
    expect(page.source).toBe('ocr');
    expect(page.ocrLayout).toMatchObject({ width: 1654, height: 2339 });
    const margin = Math.round((25 / 25.4) * 200);
    const fontPx = (12 / 72) * 200;
    const found = quoteRegions(page.ocrLayout!, '关于智慧政务服务平台建设项目立项的请示');
    expect(found).not.toBeNull();
    expect(iou(found!.regions[0]!, { x: margin, y: margin, width: 19 * fontPx, height: fontPx })).toBeGreaterThan(0.5);
  });
});
