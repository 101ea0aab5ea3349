import type { EmbeddedImage, PDFParse } from 'pdf-parse';
import sharp from 'sharp';
import { defaultExtractionLimits } from '../limits.ts';
import type { PdfByteSource } from './byte-source.ts';
import type { PageGeometry, RawScan } from './raw-scan.ts';

/**
 * Picks the picture of a page that OCR should read.
 *
 * A scanned page is usually one page-sized image; handing that image to OCR is cheaper than rendering the page and
 * loses nothing (rendering resamples the same pixels). Anything else — several strips, a small photo beside broken
 * text, an image turned sideways by the page — is rendered at ~200 dpi instead, which shows what a reader sees.
 */

export interface PageOcrInput {
  /** An image file sharp reads: PNG, or the scan's own JPEG when the file stores one (raw-scan.ts). */
  image: Buffer;
  origin: 'embedded-image' | 'rendered';
  width: number;
  height: number;
}

/** The dpi the chi_sim model reads best at (STACK-NOTES: measured at 200 dpi). */
export const RENDER_DPI = 200;
const POINTS_PER_INCH = 72;
/** Images with a side at or below this many pixels are logos, seals or rules, never the page itself. */
const MIN_SCAN_IMAGE_SIDE = 200;
/** The largest image must hold this share of all image pixels on the page to count as "the" scan. */
const MIN_DOMINANT_SHARE = 0.85;
/** Image and page aspect ratios may differ this much (scanner borders, Letter vs A4 crops). */
const MAX_ASPECT_MISMATCH = 0.12;

interface PageSize {
  width: number;
  height: number;
}

async function pageSize(parser: PDFParse, pageNumber: number): Promise<PageSize> {
  const info = await parser.getInfo({ parsePageInfo: true, partial: [pageNumber] });
  const page = info.pages.find((p) => p.pageNumber === pageNumber);
  if (!page) throw new Error(`page ${pageNumber} has no size`);
  return { width: page.width, height: page.height };
}

function pageSizedScan(images: EmbeddedImage[], size: PageSize): EmbeddedImage | undefined {
  if (images.length === 0) return undefined;
  const area = (image: EmbeddedImage) => image.width * image.height;
  const largest = images.reduce((best, image) => (area(image) > area(best) ? image : best));
  const totalArea = images.reduce((sum, image) => sum + area(image), 0);
  if (area(largest) < MIN_DOMINANT_SHARE * totalArea) return undefined;
  const imageAspect = largest.width / largest.height;
  const pageAspect = size.width / size.height;
  // A mismatch also catches an image drawn rotated, or a page with /Rotate 90 over an upright-stored scan.
  if (Math.abs(imageAspect / pageAspect - 1) > MAX_ASPECT_MISMATCH) return undefined;
  return largest;
}

async function embeddedScan(parser: PDFParse, pageNumber: number, size: PageSize): Promise<EmbeddedImage | undefined> {
  try {
    const result = await parser.getImage({
      partial: [pageNumber],
      imageThreshold: MIN_SCAN_IMAGE_SIDE,
      imageDataUrl: false,
      imageBuffer: true,
    });
    return pageSizedScan(result.pages.find((p) => p.pageNumber === pageNumber)?.images ?? [], size);
  } catch {
    // An image pdf-parse cannot convert (unusual colour layout) still renders.
    return undefined;
  }
}

/** Scale giving RENDER_DPI, reduced so the bitmap stays within maxImagePixels (A0 drawings, banners). */
export function renderScale(size: PageSize, maxImagePixels: number): number {
  const scale = RENDER_DPI / POINTS_PER_INCH;
  const pixels = size.width * size.height * scale * scale;
  return pixels > maxImagePixels ? scale * Math.sqrt(maxImagePixels / pixels) : scale;
}

/** The part of pdf.js's page proxy the fast path uses (pdf-parse exposes no types for it). */
interface PdfPageView {
  getViewport(options: { scale: number }): { width: number; height: number };
  getOperatorList(): Promise<{ fnArray: number[]; argsArray: unknown[][] }>;
  objs: { has(name: string): boolean; get(name: string, callback: (value: unknown) => void): void };
  commonObjs: { has(name: string): boolean; get(name: string, callback: (value: unknown) => void): void };
  cleanup(): boolean;
}

interface DecodedImage {
  width: number;
  height: number;
  /** pdf.js ImageKind: 1 one bit per pixel, 2 RGB, 3 RGBA. */
  kind: number;
  /** pdf.js hands out a Uint8ClampedArray. */
  data: Uint8Array | Uint8ClampedArray;
}

/** pdf.js OPS.paintImageXObject and OPS.paintInlineImageXObject. */
const PAINT_IMAGE_OPS = new Set([85, 86]);
/** Channels of pdf.js's decoded pixels by ImageKind; 1-bit pages are unpacked to one 8-bit grey channel. */
const CHANNELS: Record<number, 1 | 3 | 4> = { 1: 1, 2: 3, 3: 4 };

/**
 * The scan of a page straight from pdf.js's decoded pixels, PNG written by libvips: what pdf-parse's
 * getImage does through a canvas and a full-compression PNG, at about a quarter of the time (~0.3 s instead of ~1.1 s
 * a page at 200 dpi), which on a 200-page volume is minutes. Undefined when the page is not one page-sized image in a
 * layout the fast path knows.
 */
async function decodedScan(parser: PDFParse, pageNumber: number): Promise<{ image: DecodedImage; size: PageSize } | undefined> {
  const doc = await (parser as unknown as { load(): Promise<{ getPage(n: number): Promise<PdfPageView>; cleanup(): Promise<void> }> }).load();
  const page = await doc.getPage(pageNumber);
  try {
    const viewport = page.getViewport({ scale: 1 });
    const size = { width: viewport.width, height: viewport.height };
    const ops = await page.getOperatorList();
    const images: DecodedImage[] = [];
    for (let i = 0; i < ops.fnArray.length; i++) {
      if (!PAINT_IMAGE_OPS.has(ops.fnArray[i]!)) continue;
      const name = ops.argsArray[i]![0];
      if (typeof name !== 'string') return undefined;
      const store = page.commonObjs.has(name) ? page.commonObjs : page.objs;
      const image = await new Promise<unknown>((resolve) => store.get(name, resolve));
      if (!isDecodedImage(image)) return undefined;
      if (image.width > MIN_SCAN_IMAGE_SIDE && image.height > MIN_SCAN_IMAGE_SIDE) images.push(image);
    }
    const largest = pageSizedScan(images as unknown as EmbeddedImage[], size) as unknown as DecodedImage | undefined;
    if (!largest || !CHANNELS[largest.kind]) return undefined;
    return { image: largest, size };
  } finally {
    // Decoded images stay in the page's object store and pdf.js's document caches otherwise: ~12 MB a page, gigabytes
    // over a long volume (the reader is stopped at 1.5 GB).
    page.cleanup();
    await doc.cleanup().catch(() => undefined);
  }
}

function isDecodedImage(value: unknown): value is DecodedImage {
  const v = value as Partial<DecodedImage> | null;
  return !!v && typeof v.width === 'number' && typeof v.height === 'number' && typeof v.kind === 'number' && (v.data instanceof Uint8Array || v.data instanceof Uint8ClampedArray);
}

/**
 * PNG of decoded pixels; with `bands`, only the top and bottom share of the rows, stacked with a white gap, in grey
 * (the cheap pass of skim.ts reads just those).
 */
export async function encodeScan(image: DecodedImage, bands?: ScanBands & { scale?: number }): Promise<Buffer> {
  return encodePixels({ ...pixelsOf(image), width: image.width, height: image.height }, bands);
}

/** Raw pixels as sharp reads them: `channels` bytes a pixel, rows unpadded; `grey` when every pixel has R = G = B. */
interface Pixels {
  raw: Buffer;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  grey: boolean;
}

async function encodePixels(image: Pixels, bands?: ScanBands & { scale?: number }): Promise<Buffer> {
  const { raw, channels, grey } = image;
  // A whole page keeps its colour, as the page is (red seals); only the cheap pass's bands go grey.
  if (!bands) {
    const pixels = sharp(raw, { raw: { width: image.width, height: image.height, channels } });
    // libvips takes the one channel of a grey page in its own threads, in step with the PNG writer.
    return (grey && channels > 1 ? pixels.extractChannel(0) : pixels).png({ compressionLevel: 1 }).toBuffer();
  }
  const row = image.width * channels;
  const topRows = Math.max(1, Math.round(image.height * bands.top));
  const bottomRows = Math.max(1, Math.min(image.height - topRows, Math.round(image.height * bands.bottom)));
  const stacked = Buffer.alloc((topRows + bands.gap + bottomRows) * row, 255);
  raw.copy(stacked, 0, 0, topRows * row);
  raw.copy(stacked, (topRows + bands.gap) * row, (image.height - bottomRows) * row, image.height * row);
  const pixels = sharp(stacked, { raw: { width: image.width, height: topRows + bands.gap + bottomRows, channels } }).grayscale();
  if (!bands.scale || bands.scale >= 1) return pixels.png({ compressionLevel: 1 }).toBuffer();
  // Tagged as read at OCR_AS_IS_DPI so the OCR pool's preprocessing, which brings scans up to 200–300 dpi, keeps the
  // reduced size instead of enlarging the band again.
  return pixels.resize(Math.max(1, Math.round(image.width * bands.scale))).withDensity(OCR_AS_IS_DPI).png({ compressionLevel: 1 }).toBuffer();
}

/**
 * The cheap pass's bands (extractors/pdf/skim.ts): shares of the page height read at the top and bottom, the white gap
 * between them, and the resolution they are read at.
 */
export interface ScanBands {
  top: number;
  bottom: number;
  gap: number;
  dpi?: number;
}

/** A density the OCR pool takes as already right (extractors/ocr/preprocess.ts chooseOcrScale: 200–400 dpi as is). */
const OCR_AS_IS_DPI = 200;

/**
 * The page's pixels as sharp reads them. Bitonal scans (the usual office-scanner output) arrive packed eight pixels a
 * byte and are unpacked to grey; a grey JPEG arrives as RGB from pdf.js and is written as one channel, which makes the
 * PNG a third of the size and quicker to write and to read back. A page with any colour in it stays RGB (red seals).
 */
function pixelsOf(image: DecodedImage): Omit<Pixels, 'width' | 'height'> {
  const data = image.data;
  if (image.kind === 1) return { raw: unpackBits(data, image.width, image.height), channels: 1, grey: true };
  const raw = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return { raw, channels: CHANNELS[image.kind]!, grey: image.kind === 2 && isGrey(data) };
}

/** pdf.js's 1-bit layout: rows padded to whole bytes, most significant bit first, 1 = white (Decode already applied). */
function unpackBits(data: Uint8Array | Uint8ClampedArray, width: number, height: number): Buffer {
  const rowBytes = (width + 7) >> 3;
  const out = Buffer.allocUnsafe(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * rowBytes;
    const at = y * width;
    for (let x = 0; x < width; x++) out[at + x] = (data[row + (x >> 3)]! >> (7 - (x & 7))) & 1 ? 255 : 0;
  }
  return out;
}

/** Every pixel has R = G = B; a colour page fails on its first coloured pixel. */
function isGrey(rgb: Uint8Array | Uint8ClampedArray): boolean {
  for (let i = 0; i < rgb.length; i += 3) {
    const r = rgb[i]!;
    if (r !== rgb[i + 1] || r !== rgb[i + 2]) return false;
  }
  return true;
}

/**
 * The page's scan as the file stores it (raw-scan.ts): a JPEG handed on undecoded, or Flate pixels inflated natively.
 * Undefined when the page is not a plain one-image scan, or the stream is in a form only pdf.js should decode.
 */
async function storedScan(parser: PDFParse, pageNumber: number, maxPixels: number, source: PdfByteSource | undefined): Promise<{ scan: RawScan; size: PageSize } | undefined> {
  const doc = await (parser as unknown as { load(): Promise<{ getPage(n: number): Promise<PdfPageView & PageGeometry>; getData(): Promise<Uint8Array> }> }).load();
  const page = await doc.getPage(pageNumber);
  try {
    const viewport = page.getViewport({ scale: 1 });
    // Loaded on the first scanned page: a reader that meets only text pages never holds pdf-lib (~10–20 MB).
    const { rawPageScan } = await import('./raw-scan.ts');
    const scan = await rawPageScan(doc, page, maxPixels, source);
    return scan && { scan, size: { width: viewport.width, height: viewport.height } };
  } finally {
    page.cleanup();
  }
}

export async function pageOcrInput(
  parser: PDFParse,
  pageNumber: number,
  limits: { maxImagePixels: number; refuseImagePixels?: number },
  bands?: ScanBands,
  /** Where the file's bytes can be read again for a stored scan (raw-scan.ts); default: a copy asked back from pdf.js. */
  source?: PdfByteSource,
): Promise<PageOcrInput & { bands: boolean }> {
  const bandsAt = (width: number, size: PageSize) => {
    const imageDpi = (width / size.width) * POINTS_PER_INCH;
    return bands?.dpi ? { ...bands, scale: Math.min(1, bands.dpi / imageDpi) } : bands;
  };
  // pdf.js refuses images above refuseImagePixels (its maxImageSize); the stored path does the same before inflating.
  const stored = await storedScan(parser, pageNumber, limits.refuseImagePixels ?? defaultExtractionLimits.refuseImagePixels, source).catch(() => undefined);
  if (stored) {
    const { scan, size } = stored;
    const { width, height } = scan;
    if (!bands) return { image: scan.bytes, origin: 'embedded-image', width, height, bands: false };
    return { image: await encodePixels(await storedPixels(scan.bytes), bandsAt(width, size)), origin: 'embedded-image', width, height, bands: true };
  }
  const fast = await decodedScan(parser, pageNumber).catch(() => undefined);
  if (fast) {
    const { width, height } = fast.image;
    return { image: await encodeScan(fast.image, bandsAt(width, fast.size)), origin: 'embedded-image', width, height, bands: !!bands };
  }
  const size = await pageSize(parser, pageNumber);
  const scan = await embeddedScan(parser, pageNumber, size);
  if (scan) {
    return { image: Buffer.from(scan.data.buffer, scan.data.byteOffset, scan.data.byteLength), origin: 'embedded-image', width: scan.width, height: scan.height, bands: false };
  }
  const result = await parser.getScreenshot({
    partial: [pageNumber],
    scale: renderScale(size, limits.maxImagePixels),
    imageDataUrl: false,
    imageBuffer: true,
  });
  const shot = result.pages.find((p) => p.pageNumber === pageNumber);
  if (!shot) throw new Error(`page ${pageNumber} did not render`);
  return { image: Buffer.from(shot.data.buffer, shot.data.byteOffset, shot.data.byteLength), origin: 'rendered', width: shot.width, height: shot.height, bands: false };
}

/** A stored JPEG's or PNG's pixels, for the cheap pass's bands. */
async function storedPixels(image: Buffer): Promise<Pixels> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  // raw-scan.ts passes only grey or RGB images without alpha.
  if (info.channels !== 1 && info.channels !== 3) throw new Error(`stored scan decoded to ${info.channels} channels`);
  return { raw: data, width: info.width, height: info.height, channels: info.channels, grey: info.channels === 1 };
}
