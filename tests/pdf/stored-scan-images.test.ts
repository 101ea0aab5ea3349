import { mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFParse, VerbosityLevel } from 'pdf-parse';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultExtractionLimits } from '../../extractors/limits.ts';
import { createOcrPool } from '../../extractors/ocr/index.ts';
import { bytesSource, fileSource, type PdfByteSource } from '../../extractors/pdf/byte-source.ts';
import { pageOcrInput } from '../../extractors/pdf/ocr-input.ts';
import { pdfjsResourceOptions } from '../../extractors/pdf/pdfjs-resources.ts';
import { rawPageScan, type PageGeometry, type RawScan } from '../../extractors/pdf/raw-scan.ts';
import { BANDS } from '../../extractors/pdf/skim.ts';
import { characterErrorRate } from '../helpers/cer.ts';
import { A4_POINTS, encodeScanImage, imagePagesPdf, type PageLayout, type ScanEncoding } from '../fixtures/pdf/image-pages.ts';
import { renderScan } from '../fixtures/scan/render.ts';
import { approvalRequestProse } from '../fixtures/scan/sample-texts.ts';

/**
 * A scanned page's picture taken from the file's own image stream (extractors/pdf/raw-scan.ts) must be the picture
 * pdf.js would have decoded, and anything that is not a plain one-image scan must be left to pdf.js.
 */

let scan: Buffer;

beforeAll(async () => {
  scan = await renderScan(approvalRequestProse, { dpi: 200, seed: 41, rotateDeg: 0.3 });
});

function open(bytes: Buffer): PDFParse {
  return new PDFParse({ data: new Uint8Array(bytes), ...pdfjsResourceOptions, isEvalSupported: false, verbosity: VerbosityLevel.ERRORS });
}

interface PdfjsDoc {
  getPage(n: number): Promise<PageGeometry & { cleanup(): void }>;
  getData(): Promise<Uint8Array>;
}

async function storedScanOf(bytes: Buffer, source?: PdfByteSource, pageNumber = 1): Promise<RawScan | undefined> {
  const parser = open(bytes);
  try {
    const doc = await (parser as unknown as { load(): Promise<PdfjsDoc> }).load();
    const page = await doc.getPage(pageNumber);
    return await rawPageScan(doc, page, defaultExtractionLimits.refuseImagePixels, source);
  } finally {
    await parser.destroy();
  }
}

/** The page's image as pdf.js decodes it (pdf-parse's getImage: pdf.js's pixels painted on a canvas, PNG). */
async function pdfjsDecoded(bytes: Buffer): Promise<Buffer> {
  const parser = open(bytes);
  try {
    const result = await parser.getImage({ partial: [1], imageThreshold: 200, imageDataUrl: false, imageBuffer: true });
    const image = result.pages[0]?.images[0];
    if (!image) throw new Error('pdf.js found no image on the page');
    return Buffer.from(image.data);
  } finally {
    await parser.destroy();
  }
}

async function ocrInputOf(bytes: Buffer, bands = false, source?: PdfByteSource, pageNumber = 1) {
  const parser = open(bytes);
  try {
    return await pageOcrInput(parser, pageNumber, defaultExtractionLimits, bands ? BANDS : undefined, source);
  } finally {
    await parser.destroy();
  }
}

/** Mean absolute difference per RGB sample, 0–255; the two images must have the same size. */
async function meanAbsoluteDifference(a: Buffer, b: Buffer): Promise<number> {
  const rgb = (image: Buffer) => sharp(image).flatten({ background: '#ffffff' }).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const [left, right] = await Promise.all([rgb(a), rgb(b)]);
  expect([left.info.width, left.info.height, left.info.channels]).toEqual([right.info.width, right.info.height, right.info.channels]);
  let sum = 0;
  for (let i = 0; i < left.data.length; i++) sum += Math.abs(left.data[i]! - right.data[i]!);
  return sum / left.data.length;
}

async function pdfOf(encoding: ScanEncoding, layout: PageLayout = {}): Promise<{ bytes: Buffer; stored: Buffer; width: number; height: number }> {
  const image = await encodeScanImage(scan, encoding);
  return { bytes: imagePagesPdf([image], '', layout), stored: image.data, width: image.width, height: image.height };
}

const PLAIN_SCANS: Array<[ScanEncoding, RawScan['kind']]> = [
  ['dct-gray', 'jpeg'],
  ['dct-rgb', 'jpeg'],
  ['flate-gray', 'png'],
  ['flate-rgb', 'png'],
  ['flate-gray-png', 'png'],
  ['flate-rgb-png', 'png'],
];

describe('when a scanned page is one image drawn over the whole page', () => {
  it.each(PLAIN_SCANS)('takes the %s scan from the file as stored (%s), the picture pdf.js decodes', async (encoding, kind) => {
    const pdf = await pdfOf(encoding);
    const stored = await storedScanOf(pdf.bytes);
    expect(stored?.kind).toBe(kind);
    // A JPEG is handed on byte for byte: the decoding is left to OCR's libjpeg-turbo.
    if (stored?.kind === 'jpeg') expect(stored.bytes.equals(pdf.stored)).toBe(true);
    const input = await ocrInputOf(pdf.bytes);
    expect(input).toMatchObject({ origin: 'embedded-image', width: pdf.width, height: pdf.height, bands: false });
    const decoded = await pdfjsDecoded(pdf.bytes);
    expect(await meanAbsoluteDifference(input.image, decoded)).toBeLessThan(2);
  });

  it('cuts the cheap pass’s bands from a stored JPEG as from pdf.js’s pixels', async () => {
    const pdf = await pdfOf('dct-rgb');
    const input = await ocrInputOf(pdf.bytes, true);
    expect(input.bands).toBe(true);
    const meta = await sharp(input.image).metadata();
    // Top and bottom strips at the bands' lower resolution: narrower than the scan and far shorter than the page.
    const scanDpi = (pdf.width / A4_POINTS.width) * 72;
    expect(meta.width).toBe(Math.round(pdf.width * (BANDS.dpi! / scanDpi)));
    expect(meta.height).toBeLessThan(pdf.height / 2);
  });
});

describe('where the stored scan is read from (the file is not held twice)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stored-scan-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** Three JPEG pages: each page's image is a small part of the file. */
  async function threePages(): Promise<{ bytes: Buffer; stored: Buffer[] }> {
    const images = await Promise.all(['dct-gray', 'dct-rgb', 'dct-gray'].map((e) => encodeScanImage(scan, e as ScanEncoding)));
    return { bytes: imagePagesPdf(images), stored: images.map((i) => i.data) };
  }

  it('hands on a page’s JPEG in memory of its own, not as a view of the file (sharp’s clone() would copy the whole file)', async () => {
    const pdf = await threePages();
    for (const source of [undefined, bytesSource(pdf.bytes)]) {
      const input = await ocrInputOf(pdf.bytes, false, source, 2);
      expect(input.image.equals(pdf.stored[1]!)).toBe(true);
      expect(input.image.buffer.byteLength).toBeLessThan(pdf.bytes.length / 2);
    }
  });

  it('reads a page’s stored image from the file by its offset, without asking pdf.js for a copy of the file', async () => {
    const pdf = await threePages();
    const path = join(dir, 'volume.pdf');
    await writeFile(path, pdf.bytes);
    const { size, mtimeMs } = await stat(path);
    const parser = open(pdf.bytes);
    try {
      const doc = await (parser as unknown as { load(): Promise<PdfjsDoc> }).load();
      // A copy asked back from pdf.js is what the file source is there to avoid.
      const noCopy = { getData: () => Promise.reject(new Error('getData called')) };
      const source = fileSource(path, { size, mtimeMs });
      for (const n of [1, 2, 3]) {
        const stored = await rawPageScan(noCopy, await doc.getPage(n), defaultExtractionLimits.refuseImagePixels, source);
        expect(stored?.kind).toBe('jpeg');
        expect(stored!.bytes.equals(pdf.stored[n - 1]!)).toBe(true);
      }
    } finally {
      await parser.destroy();
    }
  });

  it('does not read a file that changed since it was read: the page goes pdf.js’s way and OCR still gets the page', async () => {
    const pdf = await threePages();
    const path = join(dir, 'changed.pdf');
    await writeFile(path, pdf.bytes);
    const { size, mtimeMs } = await stat(path);
    await utimes(path, new Date(), new Date(mtimeMs + 60_000));
    expect(await storedScanOf(pdf.bytes, fileSource(path, { size, mtimeMs }))).toBeUndefined();
    const input = await ocrInputOf(pdf.bytes, false, fileSource(path, { size, mtimeMs }));
    expect(input).toMatchObject({ origin: 'embedded-image', width: expect.any(Number) });
    await rm(path);
    expect(await storedScanOf(pdf.bytes, fileSource(path, { size, mtimeMs }))).toBeUndefined();
  });
});

describe('when OCR reads a stored scan', () => {
  const pool = createOcrPool({ size: 1 });
  afterAll(() => pool.close());

  // libjpeg-turbo and pdf.js's JPEG decoder round a few pixels differently (mean difference < 0.1 of 255), and
  // tesseract answers such noise with a character or two here and there, either way; a Flate scan is pixel-identical.
  it.each([
    ['dct-gray', 0.03],
    ['dct-rgb', 0.03],
    ['flate-rgb-png', 0],
  ] as const)('reads the %s page as it reads pdf.js’s decoding of it', async (encoding, tolerance) => {
    const pdf = await pdfOf(encoding);
    const stored = await ocrInputOf(pdf.bytes);
    const fromStored = await pool.recognize(stored.image);
    const fromPdfjs = await pool.recognize(await pdfjsDecoded(pdf.bytes));
    expect(characterErrorRate(fromPdfjs.text, fromStored.text)).toBeLessThanOrEqual(tolerance);
    const storedError = characterErrorRate(approvalRequestProse, fromStored.text);
    expect(storedError).toBeLessThanOrEqual(characterErrorRate(approvalRequestProse, fromPdfjs.text) + tolerance / 2);
    expect(storedError).toBeLessThan(0.1);
  });
});

const FULL_PAGE = `q ${A4_POINTS.width} 0 0 ${A4_POINTS.height} 0 0 cm /Im0 Do Q`;

describe('when a page is not a plain scan, pdf.js decodes it', () => {
  const cases: Array<[string, ScanEncoding, PageLayout]> = [
    ['a 1-bit scan', 'flate-1bit', {}],
    ['text drawn over the scan', 'dct-gray', { content: `${FULL_PAGE} BT /F1 12 Tf 72 72 Td (page 1) Tj ET` }],
    ['an inverting Decode array', 'flate-gray', { imageEntries: '/Decode [1 0]' }],
    ['a page turned by /Rotate', 'dct-gray', { pageEntries: '/Rotate 90' }],
    ['the image drawn on a quarter of the page', 'dct-gray', { content: `q ${A4_POINTS.width / 2} 0 0 ${A4_POINTS.height / 2} 0 0 cm /Im0 Do Q` }],
    ['the image drawn twice', 'dct-gray', { content: `${FULL_PAGE} ${FULL_PAGE}` }],
    ['the image drawn upside down', 'dct-gray', { content: `q ${A4_POINTS.width} 0 0 -${A4_POINTS.height} 0 ${A4_POINTS.height} cm /Im0 Do Q` }],
  ];

  it.each(cases)('%s: the stored bytes are not used, and OCR still gets pdf.js’s picture', async (_, encoding, layout) => {
    const pdf = await pdfOf(encoding, layout);
    expect(await storedScanOf(pdf.bytes)).toBeUndefined();
    const input = await ocrInputOf(pdf.bytes);
    expect(input.image.length).toBeGreaterThan(0);
  });

  it('an inverted grey scan reaches OCR inverted, as the page shows it', async () => {
    const pdf = await pdfOf('flate-gray', { imageEntries: '/Decode [1 0]' });
    const input = await ocrInputOf(pdf.bytes);
    const { dominant } = await sharp(input.image).stats();
    // The scan is dark text on white paper; shown through /Decode [1 0] the page is mostly black.
    expect(dominant.r).toBeLessThan(64);
  });
});
