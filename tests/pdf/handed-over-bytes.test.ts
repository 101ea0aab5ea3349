import { readFile, stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handOverBytes } from '../../extractors/handed-over-bytes.ts';
import { extractDocument } from '../../extractors/registry.ts';
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

const read = (bytes: Buffer) => extractDocument({ path: '材料/汇编.pdf', bytes, kind: 'pdf' }, contextWith(ocr));

describe('when the holder hands a PDF\'s bytes over to the reader (the reader process, which read the file itself)', () => {
  it('reads it as it reads a copy, and pdf.js takes the memory itself instead of copying it', async () => {
    const kept = await read(await readFile(fixtures.text));
    const handedOver = await readFile(fixtures.text);

    const result = await read(handOverBytes(handedOver));

    expect(result).toEqual(kept);
    expect(result.pages.map((p) => p.text).join('')).toContain('可行性研究报告');
    // Detached: the one copy of the file is pdf.js's.
    expect(handedOver.byteLength).toBe(0);
  });

  it('reads a scanned page as from a copy when the bytes came from a file: its stored image is read from that file again', async () => {
    const kept = await read(await readFile(fixtures.scanned));
    const handedOver = await readFile(fixtures.scanned);
    const { size, mtimeMs } = await stat(fixtures.scanned);

    const result = await read(handOverBytes(handedOver, { path: fixtures.scanned, size, mtimeMs }));

    expect(handedOver.byteLength).toBe(0);
    expect(result).toEqual(kept);
    expect(result.meta.ocrPages).toBe(1);
  });

  it('still says a file cut off half-way is incomplete, and one missing its end marker may be: both are read from the bytes before pdf.js takes them', async () => {
    const half = await read(handOverBytes(await readFile(fixtures.truncated)));
    expect(half.status).toBe('unreadable');
    expect(half.message).toMatch(/不完整/);

    const whole = await readFile(fixtures.text);
    // A Buffer over an ArrayBuffer of its own, as a file read from disk is: only such bytes are taken without a copy.
    const withoutEnd = Buffer.from(new Uint8Array(whole.subarray(0, whole.length - 50)).buffer);
    const result = await read(handOverBytes(withoutEnd));
    expect(withoutEnd.byteLength).toBe(0);
    expect(result.status).toBe('ok');
    expect(result.findings).toEqual([expect.objectContaining({ code: 'pdf-truncated', message: expect.stringMatching(/不完整/) })]);
  });
});

describe('when the caller keeps its bytes', () => {
  it('leaves them whole, so the same Buffer can be read again', async () => {
    const bytes = await readFile(fixtures.text);
    const length = bytes.byteLength;

    const first = await read(bytes);
    const second = await read(bytes);

    expect(bytes.byteLength).toBe(length);
    expect(second).toEqual(first);
  });
});
