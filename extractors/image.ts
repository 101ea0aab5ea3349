import sharp from 'sharp';
import type { ExtractedDocument, ExtractionLimits, Extractor, FileFinding, Page } from './model.ts';
import { isBmp, readBmpHeader } from './ocr/bmp.ts';
import { rescaleLayout } from './ocr/layout.ts';
import { OcrInputError, openImage, refuseTooLarge } from './ocr/preprocess.ts';
import { OCR_ENGINE_VERSION } from './ocr/traineddata.ts';
import { analysePageSeals, SEAL_READER_VERSION, type SealRecord } from './seals/index.ts';

/** Bump the leading number when this extractor's output changes for the same input. */
export const IMAGE_EXTRACTOR_VERSION = `image@3+${SEAL_READER_VERSION}+${OCR_ENGINE_VERSION}`;

/** Pages below this mean confidence get a warning that the text may be wrong. */
const LOW_CONFIDENCE = 50;

interface ImageProbe {
  format: string;
  /** Frames or pages in the file. */
  pageCount: number;
  width: number;
  height: number;
}

/** Reads format and size from the header only, so nothing big is allocated for a hostile file. */
async function probeImage(bytes: Buffer): Promise<ImageProbe> {
  if (isBmp(bytes)) {
    const header = readBmpHeader(bytes);
    return { format: 'bmp', pageCount: 1, width: header.width, height: Math.abs(header.height) };
  }
  const metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  if (!metadata.width || !metadata.height) throw new Error('image header without dimensions');
  return { format: metadata.format, pageCount: metadata.pages ?? 1, width: metadata.width, height: metadata.height };
}

function megapixels(pixels: number): string {
  return `${Math.round(pixels / 1_000_000)} 百万像素`;
}

/** One page as a greyscale PNG no larger than `maxImagePixels`; reports a downscale as a finding. */
async function renderPageForOcr(
  bytes: Buffer,
  pageIndex: number,
  limits: ExtractionLimits,
  findings: FileFinding[],
): Promise<Buffer> {
  const opened = await openImage(bytes, { refuseImagePixels: limits.refuseImagePixels, page: pageIndex });
  let pipeline = opened.pipeline.grayscale();
  const pixels = opened.width * opened.height;
  if (pixels > limits.maxImagePixels) {
    const scale = Math.sqrt(limits.maxImagePixels / pixels);
    const width = Math.max(1, Math.floor(opened.width * scale));
    const height = Math.max(1, Math.floor(opened.height * scale));
    pipeline = pipeline.resize(width, height, { fit: 'fill' });
    findings.push({
      code: 'image-downscaled',
      severity: 'warning',
      message:
        `图片尺寸较大（${opened.width}×${opened.height} 像素，约 ${megapixels(pixels)}），` +
        `已缩小至 ${width}×${height} 像素后识别，细小文字可能识别不准确`,
      page: pageIndex + 1,
    });
  }
  if (opened.density && opened.density >= 100) pipeline = pipeline.withDensity(opened.density);
  try {
    return await pipeline.png({ compressionLevel: 1 }).toBuffer();
  } catch (error) {
    throw new OcrInputError('图片内容已损坏，无法解码', 'undecodable', { cause: error });
  }
}

function unreadable(message: string, findings: FileFinding[], pageCount = 0): ExtractedDocument {
  return {
    status: 'unreadable',
    message,
    pages: [],
    meta: { pageCount, ocrPages: 0 },
    findings,
    extractorVersion: IMAGE_EXTRACTOR_VERSION,
  };
}

/**
 * Extracts text from a picture (JPEG, PNG, TIFF, BMP, WebP, GIF) by OCR. Every TIFF page becomes a page;
 * animated GIF/WebP contribute their first frame. Oversized images are downscaled, absurd ones refused, both
 * before any pixels are decoded. Undecodable input yields status `unreadable`; failures of the OCR engine itself
 * (pool closed, worker crash, timeout) propagate so the job can be retried.
 */
export const extractImage: Extractor = async (input, ctx) => {
  const findings: FileFinding[] = [];
  let probe: ImageProbe;
  try {
    probe = await probeImage(input.bytes);
  } catch {
    return unreadable('图片文件已损坏或格式无法识别，无法读取', [
      { code: 'image-unreadable', severity: 'error', message: '图片文件已损坏或格式无法识别，无法读取', path: input.path },
    ]);
  }
  if (probe.width * probe.height > ctx.limits.refuseImagePixels) {
    const message = refuseTooLarge(probe.width, probe.height, ctx.limits.refuseImagePixels).message;
    return unreadable(message, [{ code: 'image-too-large', severity: 'error', message, path: input.path }], probe.pageCount);
  }

  const isMultiPageDocument = probe.format === 'tiff';
  let pagesToRead = isMultiPageDocument ? probe.pageCount : 1;
  if (!isMultiPageDocument && probe.pageCount > 1) {
    findings.push({
      code: 'image-first-frame-only',
      severity: 'info',
      message: `该图片为多帧动图（共 ${probe.pageCount} 帧），仅识别了第一帧`,
    });
  }
  if (pagesToRead > ctx.limits.maxOcrPagesPerDocument) {
    findings.push({
      code: 'ocr-page-limit',
      severity: 'warning',
      message: `文件共 ${pagesToRead} 页，超过单个文件 ${ctx.limits.maxOcrPagesPerDocument} 页的识别上限，其余页面未识别`,
    });
    pagesToRead = ctx.limits.maxOcrPagesPerDocument;
  }
  const pageCount = isMultiPageDocument ? probe.pageCount : 1;

  const pages: Page[] = [];
  const seals: SealRecord[] = [];
  const sealScan = { checkedPages: [] as number[], monochromePages: [] as number[] };
  const pageProblems: string[] = [];
  for (let index = 0; index < pagesToRead; index++) {
    const n = index + 1;
    try {
      const pageImage = await renderPageForOcr(input.bytes, index, ctx.limits, findings);
      // Seals are read before the page: where one covers text, the page is read with its red ink lifted.
      const opened = await openImage(input.bytes, { refuseImagePixels: ctx.limits.refuseImagePixels, page: index });
      const found = await analysePageSeals(opened.pipeline, opened.width, opened.height, {
        ocr: ctx.ocr,
        page: n,
        ...(opened.density ? { density: opened.density } : {}),
        maxImagePixels: ctx.limits.maxImagePixels,
      });
      seals.push(...found.seals);
      sealScan.checkedPages.push(n);
      if (found.monochrome) sealScan.monochromePages.push(n);
      const result = await ctx.ocr.recognize(found.cleanedPage ?? pageImage);
      // The OCR input may have been downscaled (large images, the seal-lifted copy): boxes go back to the picture as
      // the browser shows it, upright at its own size.
      const ocrLayout = result.layout ? rescaleLayout(result.layout, opened.width, opened.height) : undefined;
      pages.push({ n, text: result.text, source: 'ocr', confidence: result.confidence, ...(ocrLayout ? { ocrLayout } : {}) });
      if (result.text !== '' && result.confidence < LOW_CONFIDENCE) {
        findings.push({
          code: 'ocr-low-confidence',
          severity: 'warning',
          message: `第 ${n} 页文字识别置信度较低（${Math.round(result.confidence)}），识别结果可能不准确，建议提供更清晰的扫描件`,
          page: n,
        });
      }
    } catch (error) {
      if (!(error instanceof OcrInputError)) throw error;
      pageProblems.push(error.message);
      findings.push({
        code: error.reason === 'too-large' ? 'image-too-large' : 'page-unreadable',
        severity: 'error',
        message: pagesToRead > 1 ? `第 ${n} 页：${error.message}` : error.message,
        page: n,
      });
    }
    ctx.onPage?.({ page: n, pageCount: pagesToRead, source: 'ocr' });
  }

  const base = {
    pages,
    meta: { pageCount, ocrPages: pages.length },
    findings,
    ...(seals.length > 0 ? { seals } : {}),
    ...(sealScan.checkedPages.length > 0 ? { sealScan } : {}),
    extractorVersion: IMAGE_EXTRACTOR_VERSION,
  };
  if (pages.length === 0) {
    return { ...base, status: 'unreadable', message: pageProblems[0] ?? '图片无法读取' };
  }
  if (pages.every((page) => page.text.trim() === '')) {
    return { ...base, status: 'empty', message: '图片中未识别到文字' };
  }
  return { ...base, status: 'ok' };
};
