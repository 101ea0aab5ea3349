import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtractedDocumentSchema } from '../../extractors/model.ts';
import { extractPdf } from '../../extractors/pdf/index.ts';
import { ensurePdfFixtures, type PdfFixtures } from '../fixtures/pdf/generate.ts';
import { contextWith, recordingOcr } from './recording-ocr.ts';

let fixtures: PdfFixtures;
const ocr = recordingOcr();

beforeAll(async () => {
  fixtures = await ensurePdfFixtures();
});

afterAll(async () => {
  await ocr.close();
});

async function extractBytes(bytes: Buffer) {
  const result = await extractPdf({ path: '材料/附件.pdf', bytes, kind: 'pdf' }, contextWith(ocr));
  return ExtractedDocumentSchema.parse(result);
}

describe('when the PDF needs a password to open', () => {
  it('reports it as encrypted, in Chinese, without pages', async () => {
    const result = await extractBytes(await readFile(fixtures.encrypted));
    expect(result.status).toBe('encrypted');
    expect(result.message).toMatch(/加密/);
    expect(result.pages).toEqual([]);
  });
});

describe('when the PDF was cut off half-way', () => {
  it('reports it as unreadable and says it is incomplete', async () => {
    const result = await extractBytes(await readFile(fixtures.truncated));
    expect(result.status).toBe('unreadable');
    expect(result.message).toMatch(/不完整/);
    expect(result.pages).toEqual([]);
  });
});

describe('when only the last bytes are missing (trailer and end marker)', () => {
  it('reads what pdf.js can rebuild and warns that the file may be incomplete', async () => {
    const whole = await readFile(fixtures.text);
    const result = await extractBytes(whole.subarray(0, whole.length - 50));
    expect(result.status).toBe('ok');
    expect(result.pages).toHaveLength(2);
    expect(result.pages[0]!.text).toContain('可行性研究报告');
    expect(result.findings).toEqual([expect.objectContaining({ code: 'pdf-truncated', severity: 'warning', message: expect.stringMatching(/不完整/) })]);
  });
});

describe('when the file has zero bytes', () => {
  it('reports it as empty', async () => {
    const result = await extractBytes(await readFile(fixtures.zeroBytes));
    expect(result.status).toBe('empty');
    expect(result.message).toMatch(/0 字节/);
  });
});

describe('when the bytes are not a PDF at all, or a damaged one', () => {
  it.each([
    ['random bytes', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))],
    ['a PDF header followed by junk and an end marker', Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\ngarbage garbage\n%%EOF\n', 'latin1')],
    ['a Word file renamed to .pdf', Buffer.from('504b0304140006000800000021000000000000000000000000000000', 'hex')],
  ])('turns %s into status unreadable with a Chinese message, never an exception', async (_, bytes) => {
    const result = await extractBytes(bytes);
    expect(result.status).toBe('unreadable');
    expect(result.message).toMatch(/无法读取 PDF/);
    expect(result.pages).toEqual([]);
  });

  it('never runs OCR on them', () => {
    expect(ocr.calls).toEqual([]);
  });
});
