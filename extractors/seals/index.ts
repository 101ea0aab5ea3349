/**
 * Seals on a page image: find them (detect.ts), read them (read.ts, through the shared OCR engine), and give back a
 * copy of the page with the seals' red ink lifted where it covers body text, for the page's own OCR.
 */
import sharp, { type Sharp } from 'sharp';
import type { OcrEngine } from '../model.ts';
import { detectSeals, redness, type RgbImage, type SealCandidate } from './detect.ts';
import { PPOCR_ENGINE, PPOCR_LINE_HEIGHT, loadPpocrLineReader, ppocrModelFiles, type PpocrLineReader } from './ppocr-line-reader.ts';
import { sealLines, TEXT_HEIGHT, type GreyImage } from './read.ts';
import type { SealRecord } from './schema.ts';

export { detectSeals, type RgbImage, type SealCandidate } from './detect.ts';
export { SealRecordSchema, SealScanSchema, type SealRecord, type SealScan } from './schema.ts';
export { sealsOf } from './records.ts';

/** Bump when what is found or read changes; part of the image extractor's version (the extraction cache key). */
export const SEAL_READER_VERSION = 'seals@3';

/** Engines that read seal text: PP-OCRv4's recogniser where its model is installed, else the shared tesseract pool. */
export const SEAL_TEXT_ENGINES = [PPOCR_ENGINE, 'tesseract'] as const;
export type SealTextEngine = (typeof SEAL_TEXT_ENGINES)[number];

let ppocrReader: Promise<PpocrLineReader | undefined> | undefined;

/**
 * The PP-OCR line reader, loaded once per process on the first seal. Undefined when its model files are not installed
 * or fail to load: seals are then read by tesseract, and each record says which engine read it.
 */
export function sealTextModel(): Promise<PpocrLineReader | undefined> {
  ppocrReader ??= (async () => {
    const files = ppocrModelFiles();
    if (!files) return undefined;
    try {
      return await loadPpocrLineReader(files);
    } catch (error) {
      process.emitWarning(`印章文字识别模型（PP-OCRv4）加载失败，改用 tesseract：${(error as Error).message}`);
      return undefined;
    }
  })();
  return ppocrReader;
}

/** Detection runs on the page scaled to at most this long side (~85 dpi on A4, 3.4 px/mm: seals are large, and a page without one must cost little). */
const DETECT_LONG_SIDE = 1000;
/** Seal crops shown in reports are at most this many pixels across. */
const CROP_SIDE = 160;

export interface PageSealResult {
  seals: SealRecord[];
  /** The page has no colour at all: seals cannot be seen on it. */
  monochrome: boolean;
  /** Greyscale PNG of the page with the seals' red ink lifted; absent when the page has no seal. */
  cleanedPage?: Buffer;
}

export interface PageSealOptions {
  ocr: OcrEngine;
  page: number;
  /** Pixels per inch of the image when the file says so (100–1200 believed). */
  density?: number;
  /** Largest image decoded in full for reading (pixels). */
  maxImagePixels: number;
  /** Which engine reads seal text; default: PP-OCR where its model is installed, else tesseract. */
  sealTextEngine?: SealTextEngine;
}

function mmScale(density: number | undefined, scale: number): number | undefined {
  return density && density >= 100 && density <= 1200 ? (density / 25.4) * scale : undefined;
}

async function raw(pipeline: Sharp, width: number, height: number): Promise<RgbImage> {
  const { data, info } = await pipeline.resize(width, height, { fit: 'fill' }).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Finds seals on an opened page (EXIF-oriented, on white); `width`/`height` are its upright size. */
export async function findSeals(pipeline: Sharp, width: number, height: number, density?: number): Promise<{ candidates: SealCandidate[]; scale: number; monochrome: boolean }> {
  const scale = Math.min(1, DETECT_LONG_SIDE / Math.max(width, height));
  const small = await raw(pipeline.clone(), Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale)));
  const pxPerMm = mmScale(density, scale);
  return { candidates: detectSeals(small, pxPerMm ? { pxPerMm } : {}), scale, monochrome: isMonochrome(small) };
}

/**
 * No pixel with any colour: a grey scan saved as RGB. A colour scan of a plain black-and-white page still carries
 * the paper's tint and the sensor's colour noise, so this stays false for it.
 */
export function isMonochrome(img: RgbImage): boolean {
  const d = img.data;
  // A grey image stored as colour (or as a grey JPEG) keeps its channels within a unit or two of each other.
  const enough = Math.max(50, (d.length / 3) * 0.001);
  let coloured = 0;
  for (let p = 0; p < d.length; p += 3) {
    const r = d[p]!;
    const g = d[p + 1]!;
    const b = d[p + 2]!;
    const spread = Math.max(r, g, b) - Math.min(r, g, b);
    if (spread > 3 && ++coloured > enough) return false;
  }
  return true;
}

function subImage(img: RgbImage, x0: number, y0: number, w: number, h: number): RgbImage {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const sy = y0 + y;
    if (sy < 0 || sy >= img.height) {
      data.fill(255, y * w * 3, (y + 1) * w * 3);
      continue;
    }
    for (let x = 0; x < w; x++) {
      const sx = x0 + x;
      const o = (y * w + x) * 3;
      if (sx < 0 || sx >= img.width) {
        data[o] = data[o + 1] = data[o + 2] = 255;
      } else {
        const i = (sy * img.width + sx) * 3;
        data[o] = img.data[i]!;
        data[o + 1] = img.data[i + 1]!;
        data[o + 2] = img.data[i + 2]!;
      }
    }
  }
  return { data, width: w, height: h };
}

/**
 * A line image padded white. Not padded out to a page: on a wide, nearly empty image tesseract's layout analysis
 * dropped a clean line altogether.
 */
async function linePng(line: GreyImage): Promise<Buffer> {
  const pad = 30;
  const width = line.width + 2 * pad;
  const height = line.height + 2 * pad;
  const data = new Uint8Array(width * height).fill(255);
  const left = Math.round((width - line.width) / 2);
  for (let y = 0; y < line.height; y++) data.set(line.data.subarray(y * line.width, (y + 1) * line.width), (y + pad) * width + left);
  return sharp(data, { raw: { width, height, channels: 1 } }).png({ compressionLevel: 1 }).toBuffer();
}

/** Seal text as it reads: characters only (the OCR's spaces, line breaks and stray marks dropped). */
export function cleanSealText(text: string): string {
  return text.replace(/[^\p{Script=Han}A-Za-z0-9()（）]/gu, '');
}

async function readLineWithModel(model: PpocrLineReader, line: GreyImage | undefined): Promise<{ text: string; confidence: number } | undefined> {
  if (!line) return undefined;
  const result = await model.read(line);
  const text = cleanSealText(result.text);
  return text ? { text, confidence: result.confidence } : undefined;
}

async function readLine(ocr: OcrEngine, line: GreyImage | undefined): Promise<{ text: string; confidence: number } | undefined> {
  if (!line) return undefined;
  const result = await ocr.recognize(await linePng(line));
  let text = cleanSealText(result.text);
  let confidence = result.confidence;
  if (!text) {
    // Heavy strokes sometimes leave tesseract's layout analysis with no text line at all; thinner ones are found.
    const lighter = { ...line, data: line.data.map((v) => Math.min(255, v + 60)) };
    const retry = await ocr.recognize(await linePng(lighter));
    text = cleanSealText(retry.text);
    confidence = retry.confidence;
  }
  return text ? { text, confidence } : undefined;
}

async function cropDataUrl(region: RgbImage): Promise<string> {
  const png = await sharp(Buffer.from(region.data.buffer, region.data.byteOffset, region.data.byteLength), { raw: { width: region.width, height: region.height, channels: 3 } })
    .resize(CROP_SIDE, CROP_SIDE, { fit: 'inside' })
    .png({ compressionLevel: 9, palette: true, colours: 64 })
    .toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

/**
 * The page's grey image for body OCR with the seals' ink lifted: inside each seal, a reddish pixel takes its red
 * channel as grey (red ink is bright there, black text stays dark), so text under a seal reads as if unstamped.
 */
function liftRedInk(full: RgbImage, boxes: Array<{ x0: number; y0: number; x1: number; y1: number }>): Uint8Array {
  const { width, height, data } = full;
  const grey = new Uint8Array(width * height);
  for (let i = 0, p = 0; i < grey.length; i++, p += 3) grey[i] = Math.round(0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!);
  for (const box of boxes) {
    for (let y = Math.max(0, box.y0); y < Math.min(height, box.y1); y++) {
      for (let x = Math.max(0, box.x0); x < Math.min(width, box.x1); x++) {
        const i = y * width + x;
        const p = i * 3;
        if (redness(data[p]!, data[p + 1]!, data[p + 2]!) > 10) grey[i] = Math.max(grey[i]!, Math.min(255, Math.round(data[p]! * 1.08)));
      }
    }
  }
  return grey;
}

/**
 * Finds and reads the seals on one page image. Pages without seals cost one small decode and a scan of its pixels;
 * a page with seals is decoded in full once, for reading and for lifting the ink.
 */
export async function analysePageSeals(pipeline: Sharp, width: number, height: number, options: PageSealOptions): Promise<PageSealResult> {
  const { candidates, scale, monochrome } = await findSeals(pipeline, width, height, options.density);
  if (candidates.length === 0) return { seals: [], monochrome };
  const fullScale = Math.min(1, Math.sqrt(options.maxImagePixels / (width * height)));
  const full = await raw(pipeline.clone(), Math.max(1, Math.round(width * fullScale)), Math.max(1, Math.round(height * fullScale)));
  const k = full.width / (width * scale);
  const model = options.sealTextEngine === 'tesseract' ? undefined : await sealTextModel();
  const engine: SealTextEngine = model ? PPOCR_ENGINE : 'tesseract';
  const seals: SealRecord[] = [];
  const boxes: Array<{ x0: number; y0: number; x1: number; y1: number }> = [];
  for (const cand of candidates) {
    const cx = cand.cx * k;
    const cy = cand.cy * k;
    const half = Math.max(cand.a, cand.b) * k * 1.12;
    const x0 = Math.floor(cx - half);
    const y0 = Math.floor(cy - half);
    const side = Math.ceil(half * 2);
    const region = subImage(full, x0, y0, side, side);
    boxes.push({ x0, y0, x1: x0 + side, y1: y0 + side });
    const lines = sealLines(region, { shape: cand.shape, cx: cx - x0, cy: cy - y0, a: cand.a * k, b: cand.b * k, theta: cand.theta, ...(cand.cut ? { cut: cand.cut } : {}) }, model ? { textHeight: PPOCR_LINE_HEIGHT, redrawCells: false } : { textHeight: TEXT_HEIGHT });
    const read = (line: GreyImage | undefined) => (model ? readLineWithModel(model, line) : readLine(options.ocr, line));
    const rim = await read(lines.rim);
    const centre = await read(lines.centre);
    const visible = subImage(full, Math.max(0, x0), Math.max(0, y0), Math.min(full.width, x0 + side) - Math.max(0, x0), Math.min(full.height, y0 + side) - Math.max(0, y0));
    seals.push({
      source: 'scan',
      electronic: false,
      page: options.page,
      box: { x: cand.box.x / (width * scale), y: cand.box.y / (height * scale), width: cand.box.width / (width * scale), height: cand.box.height / (height * scale) },
      shape: cand.shape,
      ...(cand.shape === 'round' ? { star: lines.star } : {}),
      ...(cand.cut ? { cutAtEdge: cand.cut } : {}),
      inkStrength: Math.round(cand.inkStrength * 100) / 100,
      sure: cand.sure,
      ...(rim ? { rimText: rim.text, rimConfidence: Math.round(rim.confidence) } : {}),
      ...(centre ? { centreText: centre.text, centreConfidence: Math.round(centre.confidence) } : {}),
      ...(rim || centre ? { textEngine: engine } : {}),
      crop: await cropDataUrl(visible.width > 0 && visible.height > 0 ? visible : region),
    });
  }
  const grey = liftRedInk(full, boxes);
  const cleanedPage = await sharp(grey, { raw: { width: full.width, height: full.height, channels: 1 } })
    .withMetadata(options.density ? { density: options.density * (full.width / width) } : {})
    .png({ compressionLevel: 1 })
    .toBuffer();
  return { seals, monochrome, cleanedPage };
}
