import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExtractedDocumentSchema, type ExtractionLimits } from '../../extractors/model.ts';
import { createOcrPool, OcrPoolClosedError } from '../../extractors/ocr/index.ts';
import { extractPdf } from '../../extractors/pdf/index.ts';
import { characterErrorRate } from '../helpers/cer.ts';
import {
  ensurePdfFixtures,
  MIXED_PAGE_1,
  MIXED_SCANNED_PAGE_TEXT,
  SCANNED_PAGE_TEXT,
  type PdfFixtures,
} from '../fixtures/pdf/generate.ts';
import { contextWith, recordingOcr } from './recording-ocr.ts';
import { GARBLED_GBT_PDF } from './text-layers.ts';

/** renderScan draws A4 at 200 dpi. */
const SCAN_SIZE = { width: 1654, height: 2339 };

let fixtures: PdfFixtures;
const ocr = recordingOcr();

beforeAll(async () => {
  fixtures = await ensurePdfFixtures();
});

beforeEach(() => {
  ocr.calls.length = 0;
});

afterAll(async () => {
  await ocr.close();
});

async function extract(file: string, limits: Partial<ExtractionLimits> = {}) {
  const ctx = contextWith(ocr, limits);
  const result = await extractPdf({ path: file, bytes: await readFile(file), kind: 'pdf' }, ctx);
  return { result: ExtractedDocumentSchema.parse(result), progress: ctx.progress };
}

describe('when every page of a PDF is a scanned image', () => {
  it('OCRs the embedded page image itself rather than a rendering of the page', async () => {
    const { result, progress } = await extract(fixtures.scanned);
    expect(ocr.calls).toEqual([SCAN_SIZE]);
    expect(result.status).toBe('ok');
    expect(result.meta).toMatchObject({ pageCount: 1, ocrPages: 1 });
    expect(result.pages).toHaveLength(1);
    const [page] = result.pages;
    expect(page).toMatchObject({ n: 1, source: 'ocr' });
    expect(page!.confidence).toBeGreaterThan(50);
    expect(page!.text).toContain('建设项目立项的请示');
    expect(characterErrorRate(SCANNED_PAGE_TEXT, page!.text)).toBeLessThan(0.15);
    expect(progress).toEqual([{ page: 1, pageCount: 1, source: 'ocr' }]);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'pdf-scanned-pages', page: 1, message: expect.stringContaining('OCR') })]);
  });
});

describe('when the OCR page limit is reached', () => {
  it('leaves the pages beyond it un-OCRd, says so, and reports the document as empty', async () => {
    const { result, progress } = await extract(fixtures.scanned, { maxOcrPagesPerDocument: 0 });
    expect(ocr.calls).toEqual([]);
    expect(result.status).toBe('empty');
    expect(result.message).toMatch(/上限/);
    expect(result.pages).toEqual([{ n: 1, text: '', source: 'text-layer' }]);
    expect(result.findings).toEqual([
      expect.objectContaining({ code: 'ocr-page-limit', severity: 'warning', page: 1, message: expect.stringContaining('第 1 页') }),
    ]);
    expect(progress).toEqual([{ page: 1, pageCount: 1, source: 'text-layer' }]);
  });
});

describe('when page 1 has text and page 2 is a scan stamped with a page number', () => {
  it('keeps the text layer of page 1 and OCRs the embedded JPEG of page 2', async () => {
    const { result } = await extract(fixtures.mixed);
    expect(ocr.calls).toEqual([SCAN_SIZE]);
    expect(result.status).toBe('ok');
    expect(result.meta.ocrPages).toBe(1);
    expect(result.pages.map((page) => [page.n, page.source])).toEqual([
      [1, 'text-layer'],
      [2, 'ocr'],
    ]);
    expect(result.pages[0]!.text).toContain(MIXED_PAGE_1.split('\n')[0]);
    expect(result.pages[0]!.confidence).toBeUndefined();
    expect(result.pages[1]!.text).toContain('竣工验收意见');
    expect(characterErrorRate(MIXED_SCANNED_PAGE_TEXT, result.pages[1]!.text)).toBeLessThan(0.15);
  });
});

describe('when the real GB/T 42133 PDF with a garbled text layer is read (OCR limited to its first page)', () => {
  it('OCRs a 200-dpi rendering of page 1 instead of keeping the garbage', async () => {
    const { result, progress } = await extract(GARBLED_GBT_PDF, { maxOcrPagesPerDocument: 1 });
    expect(result.status).toBe('ok');
    expect(result.meta).toMatchObject({ pageCount: 14, ocrPages: 1 });
    // No embedded scan on this page: it is rendered, A4 at 200 dpi.
    expect(ocr.calls).toHaveLength(1);
    expect(ocr.calls[0]!.width).toBeGreaterThan(1600);
    expect(ocr.calls[0]!.width).toBeLessThan(1700);
    const [first, ...rest] = result.pages;
    expect(first).toMatchObject({ n: 1, source: 'ocr' });
    expect(first!.text).toContain('国家标准');
    expect(first!.text).toContain('OFD');
    expect(first!.text).not.toMatch(/[!"#$&'*+;<=>?@^`{|}~]{3}/);

    // Garbage is dropped rather than passed on, and the skipped pages are named.
    expect(rest).toHaveLength(13);
    for (const page of rest) expect(page).toMatchObject({ text: '', source: 'text-layer' });
    const codes = result.findings.map((finding) => [finding.code, finding.message]);
    expect(codes).toContainEqual(['pdf-garbled-text-layer', expect.stringContaining('第 1 页的文字层是乱码')]);
    expect(codes).toContainEqual(['ocr-page-limit', expect.stringContaining('第 2–14 页')]);
    expect(progress).toHaveLength(14);
  });
});

describe('when the OCR engine itself has failed (not the PDF)', () => {
  it('lets the engine error through so the job can be retried, instead of caching pages without text', async () => {
    const closedPool = createOcrPool({ size: 1 });
    await closedPool.close();
    const bytes = await readFile(fixtures.scanned);
    await expect(extractPdf({ path: fixtures.scanned, bytes, kind: 'pdf' }, contextWith(closedPool))).rejects.toBeInstanceOf(OcrPoolClosedError);
  });
});
