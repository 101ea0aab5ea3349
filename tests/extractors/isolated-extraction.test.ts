import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultExtractionLimits } from '../../extractors/limits.ts';
import { IsolatedExtraction } from '../../extractors/isolation/isolated-extraction.ts';
import type { ExtractionContext, OcrEngine } from '../../extractors/model.ts';
import { OcrInputError } from '../../extractors/ocr/preprocess.ts';
import { OcrEngineError } from '../../extractors/registry.ts';
import { isWorthCaching } from '../../pipeline/stages/extract.ts';
import { hostileSample } from '../helpers/hostile-samples.ts';

const MISBEHAVING_CHILD = fileURLToPath(new URL('../helpers/misbehaving-extraction-child.mjs', import.meta.url));

function context(ocr?: Partial<OcrEngine>, onPage?: ExtractionContext['onPage']): ExtractionContext {
  return {
    ocr: { recognize: async () => ({ text: '', confidence: 0 }), close: async () => undefined, ...ocr },
    limits: defaultExtractionLimits,
    ...(onPage ? { onPage } : {}),
  };
}

const input = (path: string, bytes = Buffer.from('%PDF-1.7')) => ({ path, bytes, kind: 'pdf' as const });

describe('when a parser misbehaves inside its reader process', () => {
  const readers = new IsolatedExtraction(
    { stallTimeoutMs: 3_000, fileTimeoutMs: 8_000, maxMemoryMb: 400, recycleAboveMb: 350 },
    MISBEHAVING_CHILD,
  );
  afterAll(() => readers.close());

  it('gives up a file that blocks its thread, while our own event loop keeps turning, then reads the next file', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 100);
    const doc = await readers.extract(input('spins.pdf'), context()).finally(() => clearInterval(ticker));
    expect(doc.status).toBe('unreadable');
    expect(doc.message).toContain('读取超时');
    expect(doc.findings.map((f) => f.code)).toEqual(['extract-stalled']);
    expect(ticks).toBeGreaterThan(10);
    expect(isWorthCaching(doc)).toBe(false);

    const next = await readers.extract(input('正常.pdf'), context());
    expect(next.pages[0]?.text).toBe('读到了：正常.pdf');
  }, 30_000);

  it('says at once that a file can never finish when its parser waits on a promise nothing will settle', async () => {
    const doc = await readers.extract(input('never-settles.pdf'), context());
    expect(doc.status).toBe('unreadable');
    expect(doc.message).toContain('文件结构已损坏');
    expect(doc.findings.map((f) => f.code)).toEqual(['extract-stuck']);
    expect(isWorthCaching(doc)).toBe(true);
  }, 30_000);

  it('gives up a file that keeps its parser busy past the per-file limit, and does not cache that verdict', async () => {
    const doc = await readers.extract(input('endless-async.pdf'), context());
    expect(doc.findings.map((f) => f.code)).toEqual(['extract-timeout']);
    expect(doc.message).toMatch(/读取超时：该文件在 8 秒内未能读完/);
    expect(isWorthCaching(doc)).toBe(false);
  }, 30_000);

  it('gives up a file whose reading needs more memory than the limit (内存超限)', async () => {
    const doc = await readers.extract(input('hogs-memory.pdf'), context());
    expect(doc.status).toBe('unreadable');
    expect(doc.findings.map((f) => f.code)).toEqual(['extract-memory']);
    expect(doc.message).toContain('内存超限');
  }, 30_000);

  it('reports a reader that crashes as that file unreadable, and the next file still reads', async () => {
    const doc = await readers.extract(input('crashes.pdf'), context());
    expect(doc.findings.map((f) => f.code)).toEqual(['extract-crashed']);
    const next = await readers.extract(input('之后.pdf'), context());
    expect(next.status).toBe('ok');
  }, 30_000);

  it('reads several files at once in separate readers', async () => {
    const docs = await Promise.all(['甲.pdf', '乙.pdf', '丙.pdf'].map((name) => readers.extract(input(name), context())));
    expect(docs.map((d) => d.pages[0]?.text)).toEqual(['读到了：甲.pdf', '读到了：乙.pdf', '读到了：丙.pdf']);
  }, 30_000);
});

describe('OCR from a reader process goes through the caller’s engine', () => {
  const readers = new IsolatedExtraction({}, MISBEHAVING_CHILD);
  afterAll(() => readers.close());
  const image = { path: 'asks-ocr.png', bytes: Buffer.from('图像字节'), kind: 'image' as const };

  it('passes the image bytes and returns the recognised text, with page progress', async () => {
    const seen: Buffer[] = [];
    const pages: number[] = [];
    const doc = await readers.extract(
      image,
      context({ recognize: async (bytes) => (seen.push(bytes), { text: '识别出的文字', confidence: 91 }) }, ({ page }) => pages.push(page)),
    );
    expect(seen.map((b) => b.toString())).toEqual(['图像字节']);
    expect(doc.pages[0]).toMatchObject({ text: '识别出的文字', source: 'ocr' });
    expect(pages).toEqual([1]);
  }, 30_000);

  it('keeps an unusable image a problem of the file: the reader sees OcrInputError with its reason', async () => {
    const doc = await readers.extract(
      { ...image, path: 'reports-ocr-error.png' },
      context({ recognize: async () => Promise.reject(new OcrInputError('图片无法解码', 'undecodable')) }),
    );
    expect(doc.pages[0]?.text).toBe('OcrInputError:undecodable:图片无法解码');
  }, 30_000);

  it('lets an OCR engine failure through as OcrEngineError so a queue can retry the file', async () => {
    const doc = readers.extract(image, context({ recognize: async () => Promise.reject(new Error('worker crashed')) }));
    await expect(doc).rejects.toBeInstanceOf(OcrEngineError);
  }, 30_000);
});

// The 50,000-page tree is read through the CLI and the API in tests/hostile; once is enough for a 2,000-page read.
describe('hostile PDFs through the real extractors in their reader process', () => {
  const readers = new IsolatedExtraction();
  afterAll(() => readers.close());

  it('reports the PDF whose page rendering never settles as a damaged file instead of hanging', async () => {
    const bytes = await readFile(hostileSample('pdf-never-settles-m228.pdf'));
    const doc = await readers.extract({ path: '变异.pdf', bytes, kind: 'pdf' }, context());
    expect(doc.status).toBe('unreadable');
    expect(doc.findings.map((f) => f.code)).toContain('extract-stuck');
  }, 60_000);

  it('reads a PDF with a JavaScript open action as text only and says it carries active content', async () => {
    const bytes = await readFile(hostileSample('js.pdf'));
    const doc = await readers.extract({ path: '脚本.pdf', bytes, kind: 'pdf' }, context());
    expect(doc.pages[0]?.text).toContain('Hello JS');
    const active = doc.findings.find((f) => f.code === 'pdf-active-content');
    expect(active?.message).toContain('JavaScript 脚本');
  }, 60_000);
});
