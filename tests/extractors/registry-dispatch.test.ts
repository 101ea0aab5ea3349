import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExtractedDocumentSchema, FileKindSchema, type Extractor, type FileKind } from '../../extractors/model.ts';
import { EXTRACTOR_VERSION, extractDocument, FORMATS, OcrEngineError } from '../../extractors/registry.ts';
import { defaultExtractionLimits } from '../../extractors/limits.ts';
import { OcrInputError } from '../../extractors/ocr/preprocess.ts';
import { renderScan } from '../fixtures/scan/render.ts';
import { ensurePdfFixtures, FEASIBILITY_TITLE } from '../fixtures/pdf/generate.ts';
import { ensureDocxFixtures, type DocxFixtures } from '../fixtures/docx/generate.ts';
import { contextWithoutOcr, SHENYANG_SAMPLE_DIR } from './context.ts';

let fixtures: DocxFixtures;
beforeAll(async () => {
  fixtures = await ensureDocxFixtures();
});

const ALL_KINDS = FileKindSchema.options;

describe('when looking a format up', () => {
  it('has an entry with a Chinese label for every file kind', () => {
    for (const kind of ALL_KINDS) {
      expect(FORMATS[kind].label).toMatch(/\p{Script=Han}/u);
    }
  });

  it('says which formats yield text', () => {
    expect(FORMATS.docx.capabilities.extractsText).toBe(true);
    expect(FORMATS.text.capabilities.extractsText).toBe(true);
    expect(FORMATS.ofd.capabilities.extractsText).toBe(true);
    expect(FORMATS.rar.capabilities.extractsText).toBe(false);
  });

  it('has a version covering the extractors and the normalisation', () => {
    expect(EXTRACTOR_VERSION).toContain('docx-');
    expect(EXTRACTOR_VERSION).toContain('text-');
    expect(EXTRACTOR_VERSION).toContain('normalize-');
    expect(EXTRACTOR_VERSION).toContain('image@');
    expect(EXTRACTOR_VERSION).toContain('pdf@');
  });
});

describe('when a file has zero bytes', () => {
  it.each(ALL_KINDS)('reports a zero-byte %s file as empty', async (kind) => {
    const doc = await extractDocument({ path: `空.${kind}`, bytes: Buffer.alloc(0), kind }, contextWithoutOcr());
    expect(doc.status).toBe('empty');
    expect(doc.message).toBe('文件为空（0 字节）');
    expect(doc.pages).toEqual([]);
  });
});

describe('when dispatching by kind', () => {
  it('reads a DOCX with the Word extractor', async () => {
    const bytes = await readFile(path.join(SHENYANG_SAMPLE_DIR, '竣工验收报告.docx'));
    const doc = await extractDocument({ path: '竣工验收报告.docx', bytes, kind: 'docx' }, contextWithoutOcr());
    expect(doc.status).toBe('ok');
    expect(doc.pages[0]!.text).toContain('验收');
  });

  it('reads a PDF with the PDF extractor', async () => {
    const pdf = await ensurePdfFixtures();
    const bytes = await readFile(pdf.text);
    const doc = await extractDocument({ path: '可研.pdf', bytes, kind: 'pdf' }, contextWithoutOcr());
    expect(doc.status).toBe('ok');
    expect(doc.meta.pageCount).toBe(2);
    expect(doc.pages[0]!.text).toContain(FEASIBILITY_TITLE);
  });

  it('reads a text file with the text extractor', async () => {
    const bytes = await readFile(path.join(SHENYANG_SAMPLE_DIR, '02-申请竣工验收的请示.txt'));
    const doc = await extractDocument({ path: '请示.txt', bytes, kind: 'text' }, contextWithoutOcr());
    expect(doc.status).toBe('ok');
    expect(doc.pages[0]!.text).toContain('竣工验收');
  });

  it.each(['doc', 'wps', 'rar', '7z', 'unknown'] as FileKind[])(
    'refuses %s as unsupported',
    async (kind) => {
      const doc = await extractDocument({ path: `x.${kind}`, bytes: Buffer.from('abc'), kind }, contextWithoutOcr());
      expect(doc.status).toBe('unsupported');
      expect(doc.message).toMatch(/\p{Script=Han}/u);
    },
  );

  it('reports a corrupt DOCX as unreadable', async () => {
    const bytes = await readFile(fixtures.truncated);
    const doc = await extractDocument({ path: '截断.docx', bytes, kind: 'docx' }, contextWithoutOcr());
    expect(doc.status).toBe('unreadable');
  });

  it('reports a password-protected Office file as encrypted whatever kind intake gave it', async () => {
    const bytes = await readFile(fixtures.encrypted);
    for (const kind of ['doc', 'xls', 'unknown', 'docx'] as FileKind[]) {
      const doc = await extractDocument({ path: '加密.docx', bytes, kind }, contextWithoutOcr());
      expect(doc.status).toBe('encrypted');
    }
  });

  it.each(['xls', 'xlsx', 'pptx', 'ppt'] as FileKind[])('calls bytes that are no %s unreadable, in Chinese', async (kind) => {
    const doc = await extractDocument({ path: `x.${kind}`, bytes: Buffer.from('abc'), kind }, contextWithoutOcr());
    expect(doc.status).toBe('unreadable');
    expect(doc.message).toMatch(/^无法读取/);
  });

  it('returns results that satisfy the schema', async () => {
    const bytes = await readFile(fixtures.withTable);
    const doc = await extractDocument({ path: '设备清单.docx', bytes, kind: 'docx' }, contextWithoutOcr());
    expect(ExtractedDocumentSchema.safeParse(doc).success).toBe(true);
  });
});

describe('when an extractor misbehaves', () => {
  const withDocxExtractor = (extractor: Extractor) => ({ ...FORMATS, docx: { ...FORMATS.docx, extractor } });

  it('turns an exception into an unreadable result in Chinese, without the parser’s English text', async () => {
    const formats = withDocxExtractor(async () => {
      throw new Error('image header without dimensions');
    });
    const doc = await extractDocument({ path: 'a.docx', bytes: Buffer.from('x'), kind: 'docx' }, contextWithoutOcr(), formats);
    expect(doc.status).toBe('unreadable');
    expect(doc.message).toBe('提取失败：文件内容无法解析，可能已损坏或格式异常；请重新导出后提交');
  });

  it('refuses a finding whose code is not registered (extractors/finding-codes.ts)', async () => {
    const formats = withDocxExtractor(async () => ({
      status: 'ok',
      pages: [{ n: 1, text: '正文', source: 'text-layer' }],
      meta: { pageCount: 1, ocrPages: 0 },
      findings: [{ code: 'made-up-code', severity: 'info', message: '未登记的代码' }],
      extractorVersion: 'test',
    }) as never);
    const doc = await extractDocument({ path: 'a.docx', bytes: Buffer.from('x'), kind: 'docx' }, contextWithoutOcr(), formats);
    expect(doc.status).toBe('unreadable');
    expect(doc.message).toBe('提取失败：读取模块返回的结果格式不正确，该文件未能读取');
  });

  it('turns a malformed result into an unreadable result', async () => {
    const formats = withDocxExtractor(async () => ({ status: 'great' }) as never);
    const doc = await extractDocument({ path: 'a.docx', bytes: Buffer.from('x'), kind: 'docx' }, contextWithoutOcr(), formats);
    expect(doc.status).toBe('unreadable');
    expect(doc.message).toMatch(/^提取失败：/);
  });
});

describe('when the OCR engine itself fails', () => {
  const failingEngine = (error: Error) => ({
    ocr: {
      recognize: async () => {
        throw error;
      },
      close: async () => undefined,
    },
    limits: defaultExtractionLimits,
  });

  it('throws OcrEngineError for an image, so the failure is retried rather than cached as unreadable', async () => {
    const bytes = await renderScan('验收', { heightMm: 20, noise: false });
    const attempt = extractDocument({ path: '照片.png', bytes, kind: 'image' }, failingEngine(new Error('worker crashed')));
    await expect(attempt).rejects.toBeInstanceOf(OcrEngineError);
    // The officer reads Chinese; the engine's own words stay on the error's cause for the log.
    await expect(attempt).rejects.toThrow('文字识别引擎出错，请稍后重试');
    await expect(attempt).rejects.toHaveProperty('cause.message', 'worker crashed');
  });

  it('throws OcrEngineError for a scanned DOCX too', async () => {
    const bytes = await readFile(fixtures.scanned);
    const attempt = extractDocument({ path: '扫描件粘贴.docx', bytes, kind: 'docx' }, failingEngine(new Error('timeout')));
    await expect(attempt).rejects.toBeInstanceOf(OcrEngineError);
  });

  it('does not blame the engine for an image it cannot decode', async () => {
    const bytes = await renderScan('验收', { heightMm: 20, noise: false });
    const ctx = failingEngine(new OcrInputError('图片内容已损坏，无法解码', 'undecodable'));
    const doc = await extractDocument({ path: '照片.png', bytes, kind: 'image' }, ctx);
    expect(doc.status).toBe('unreadable');
  });
});
