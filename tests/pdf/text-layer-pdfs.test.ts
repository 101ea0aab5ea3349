import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtractedDocumentSchema } from '../../extractors/model.ts';
import { extractPdf, PDF_EXTRACTOR_VERSION } from '../../extractors/pdf/index.ts';
import { PDF_PARSE_VERSION } from '../../extractors/pdf/pdfjs-resources.ts';
import { GARBAGE_DETECTOR_VERSION } from '../../extractors/pdf/garbage.ts';
import { ensurePdfFixtures, FEASIBILITY_TITLE, PREDEFINED_CMAP_TEXT, type PdfFixtures } from '../fixtures/pdf/generate.ts';
import { contextWith, recordingOcr } from './recording-ocr.ts';
import { HUAXIN_PDF, readTextLayers } from './text-layers.ts';

let fixtures: PdfFixtures;
const ocr = recordingOcr();

beforeAll(async () => {
  fixtures = await ensurePdfFixtures();
});

afterAll(async () => {
  await ocr.close();
});

async function extract(file: string, ctx = contextWith(ocr)) {
  const result = await extractPdf({ path: file, bytes: await readFile(file), kind: 'pdf' }, ctx);
  return { result: ExtractedDocumentSchema.parse(result), ctx };
}

describe('when a PDF has a clean Chinese text layer (embedded subset font)', () => {
  it('returns each page separately, from the text layer, without page separators', async () => {
    const { result } = await extract(fixtures.text);
    expect(result.status).toBe('ok');
    expect(result.pages.map((page) => [page.n, page.source])).toEqual([
      [1, 'text-layer'],
      [2, 'text-layer'],
    ]);
    expect(result.pages[0]!.text).toContain('某市智慧政务服务平台建设项目可行性研究报告');
    expect(result.pages[0]!.text).toContain('编制依据');
    expect(result.pages[1]!.text).toContain('项目总投资120万元');
    expect(result.pages[0]!.text).not.toContain('项目总投资');
    for (const page of result.pages) {
      expect(page.text).not.toMatch(/-- \d+ of \d+ --/);
      expect(page.confidence).toBeUndefined();
    }
  });

  it('normalises the page text (no spaces between Chinese characters)', async () => {
    const { result } = await extract(fixtures.text);
    expect(result.pages[0]!.text).toContain('第一章总论');
  });

  it('reports page count, producer, creator and title', async () => {
    const { result } = await extract(fixtures.text);
    expect(result.meta).toEqual({
      pageCount: 2,
      producer: 'PDFKit',
      creator: 'dossier-checker fixture generator',
      title: FEASIBILITY_TITLE,
      ocrPages: 0,
    });
  });

  it('calls onPage once per page and runs no OCR', async () => {
    const { ctx } = await extract(fixtures.text);
    expect(ctx.progress).toEqual([
      { page: 1, pageCount: 2, source: 'text-layer' },
      { page: 2, pageCount: 2, source: 'text-layer' },
    ]);
    expect(ocr.calls).toEqual([]);
  });

  it('names the pdf-parse version and the garbage detector version in extractorVersion', async () => {
    const { result } = await extract(fixtures.text);
    expect(result.extractorVersion).toBe(PDF_EXTRACTOR_VERSION);
    expect(PDF_EXTRACTOR_VERSION).toContain(`pdf-parse@${PDF_PARSE_VERSION}`);
    expect(PDF_EXTRACTOR_VERSION).toContain(`garbage@${GARBAGE_DETECTOR_VERSION}`);
    const installed = JSON.parse(await readFile(new URL('../../node_modules/pdf-parse/package.json', import.meta.url), 'utf8')) as { version: string };
    expect(PDF_PARSE_VERSION).toBe(installed.version);
  });
});

describe('when a PDF uses a predefined Chinese CMap with a non-embedded 宋体 (older iText / Distiller output)', () => {
  it('reads the Chinese text through the local CMap files', async () => {
    const { result } = await extract(fixtures.predefinedCmap);
    expect(result.status).toBe('ok');
    expect(result.pages).toEqual([{ n: 1, text: PREDEFINED_CMAP_TEXT, source: 'text-layer' }]);
    expect(ocr.calls).toEqual([]);
  });

  it('is a fixture that really needs them: without CMaps pdf.js returns no text at all', async () => {
    const [withoutCmaps] = await readTextLayers(fixtures.predefinedCmap, false);
    expect(withoutCmaps!.trim()).toBe('');
  });
});

describe('when the real 99-page 招标文件 exported from WPS is read', () => {
  it('returns 99 text-layer pages, OCRs none of them, and finds the procurement wording', async () => {
    const { result, ctx } = await extract(HUAXIN_PDF);
    expect(result.status).toBe('ok');
    expect(result.meta.pageCount).toBe(99);
    expect(result.meta.ocrPages).toBe(0);
    expect(result.meta.creator).toBe('WPS 文字');
    expect(result.pages).toHaveLength(99);
    expect(result.pages.every((page) => page.source === 'text-layer')).toBe(true);
    expect(result.pages.map((page) => page.n)).toEqual(Array.from({ length: 99 }, (_, i) => i + 1));
    expect(result.pages[0]!.text).toContain('招标文件');
    const rawPagesWithTender = (await readTextLayers(HUAXIN_PDF)).flatMap((text, i) => (text.includes('招标') ? [i + 1] : []));
    expect(rawPagesWithTender.length).toBeGreaterThan(40);
    expect(result.pages.filter((page) => page.text.includes('招标')).map((page) => page.n)).toEqual(rawPagesWithTender);
    expect(result.findings).toEqual([]);
    expect(ctx.progress).toHaveLength(99);
    expect(ocr.calls).toEqual([]);
  });
});
