import sharp, { type Metadata, type Sharp } from 'sharp';
import { defaultExtractionLimits } from '../limits.ts';
import { BmpFormatError, decodeBmp, isBmp, readBmpHeader } from './bmp.ts';

/** An image OCR cannot use: undecodable, or too large to decode safely. The message is for people (Chinese). */
export class OcrInputError extends Error {
  override name = 'OcrInputError';
  constructor(
    message: string,
    readonly reason: 'undecodable' | 'too-large',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface ImageDimensions {
  width: number;
  height: number;
  /** Pixels per inch from the file, if it has one. */
  density?: number;
}

export interface OcrScaleLimits {
  /** Never produce an OCR image larger than this many pixels. */
  maxImagePixels: number;
}

/**
 * Many files carry 72 or 96 dpi as a meaningless default, so only densities a scanner would write are believed.
 */
function isTrustworthyDensity(density: number | undefined): density is number {
  return density !== undefined && density >= 100 && density <= 1200;
}

/**
 * How much to scale an image so its text lands near 200–300 dpi, where the chi_sim LSTM model reads best.
 * With a believable density: scans under 200 dpi go up to ~250 dpi, scans over 400 dpi come down to 300 dpi.
 * Without one (screenshots, phone photos, exports at "72 dpi"): small images are enlarged so the long side
 * reaches ~2000 px (an A4 page at ~170–240 dpi). Never above `maxImagePixels`.
 */
export function chooseOcrScale(image: ImageDimensions, limits: OcrScaleLimits): number {
  let scale = 1;
  if (isTrustworthyDensity(image.density)) {
    if (image.density < 200) scale = Math.min(3, 250 / image.density);
    else if (image.density > 400) scale = 300 / image.density;
  } else {
    const longSide = Math.max(image.width, image.height);
    if (longSide < 1600) scale = Math.min(2.5, 2000 / longSide);
  }
  const pixels = image.width * image.height;
  if (pixels * scale * scale > limits.maxImagePixels) scale = Math.sqrt(limits.maxImagePixels / pixels);
  return scale;
}

export interface OcrPreprocessOptions {
  maxImagePixels: number;
  refuseImagePixels: number;
}

export interface PreparedOcrImage {
  /** Greyscale PNG, upright, scaled for OCR. */
  png: Buffer;
  width: number;
  height: number;
  /** Factor applied to the source (after EXIF orientation). */
  scale: number;
  /** Size of the source after EXIF orientation, before scaling: what OCR boxes are mapped back to. */
  sourceWidth: number;
  sourceHeight: number;
}

function formatMegapixels(pixels: number): string {
  return `${Math.round(pixels / 1_000_000)} 百万像素`;
}

export function refuseTooLarge(width: number, height: number, refuseImagePixels: number): OcrInputError {
  return new OcrInputError(
    `图片尺寸过大（${width}×${height} 像素，约 ${formatMegapixels(width * height)}），超过 ${formatMegapixels(refuseImagePixels)} 的上限，` +
      '可能是异常或恶意构造的文件，已拒绝处理',
    'too-large',
  );
}

interface OpenedImage {
  pipeline: Sharp;
  /** Size after EXIF orientation. */
  width: number;
  height: number;
  density?: number;
}

/**
 * Opens any supported image (sharp's formats plus BMP) for a single page, checking the size from the header
 * before pixels are decoded. `page` selects a TIFF page or GIF/WebP frame (0-based).
 */
export async function openImage(
  bytes: Buffer,
  options: { refuseImagePixels: number; page?: number },
): Promise<OpenedImage> {
  if (isBmp(bytes)) {
    let header;
    try {
      header = readBmpHeader(bytes);
    } catch (error) {
      throw new OcrInputError('BMP 图片文件头已损坏，无法读取', 'undecodable', { cause: error });
    }
    if (header.width * header.height > options.refuseImagePixels) {
      throw refuseTooLarge(header.width, header.height, options.refuseImagePixels);
    }
    try {
      const decoded = decodeBmp(bytes);
      const pipeline = sharp(decoded.rgb, { raw: { width: decoded.width, height: decoded.height, channels: 3 } });
      return { pipeline, width: decoded.width, height: decoded.height };
    } catch (error) {
      const detail = error instanceof BmpFormatError ? '（文件头与像素数据不符）' : '';
      throw new OcrInputError(`BMP 图片无法解码${detail}`, 'undecodable', { cause: error });
    }
  }

  const page = options.page ?? 0;
  let metadata: Metadata;
  try {
    // Reads the header only; no pixel memory is allocated yet.
    metadata = await sharp(bytes, { page, limitInputPixels: false }).metadata();
  } catch (error) {
    throw new OcrInputError('图片文件已损坏或格式无法识别，无法读取', 'undecodable', { cause: error });
  }
  const width = metadata.width;
  // Loaded one page at a time, so this is the selected page's height, not that of all frames stacked.
  const height = metadata.height;
  if (!width || !height) throw new OcrInputError('图片文件缺少尺寸信息，无法读取', 'undecodable');
  if (width * height > options.refuseImagePixels) throw refuseTooLarge(width, height, options.refuseImagePixels);

  const swapsSides = (metadata.orientation ?? 1) >= 5;
  const pipeline = sharp(bytes, {
    page,
    pages: 1,
    limitInputPixels: options.refuseImagePixels,
    // Damaged scans often still decode mostly; reading what is there beats refusing the page.
    failOn: 'error',
  })
    .autoOrient()
    // Transparent pixels are usually black with alpha 0 (exported stamps, screenshots, scans cut out by apps):
    // dropping alpha would turn the page black, so lay it on white paper first.
    .flatten({ background: '#ffffff' });
  return {
    pipeline,
    width: swapsSides ? height : width,
    height: swapsSides ? width : height,
    density: metadata.density,
  };
}

/** Greyscale, upright, despeckled, sized for OCR; PNG because every tesseract build reads it. */
export async function prepareImageForOcr(
  bytes: Buffer,
  options: OcrPreprocessOptions = defaultExtractionLimits,
): Promise<PreparedOcrImage> {
  const opened = await openImage(bytes, { refuseImagePixels: options.refuseImagePixels });
  const scale = chooseOcrScale(opened, options);
  const width = Math.max(1, Math.round(opened.width * scale));
  const height = Math.max(1, Math.round(opened.height * scale));
  let pipeline = opened.pipeline.grayscale();
  if (width !== opened.width || height !== opened.height) pipeline = pipeline.resize(width, height, { fit: 'fill' });
  // A 3×3 median (sharp applies it after the resize) removes scanner specks. Without it, automatic layout
  // analysis took speckled text lines for picture regions and dropped them (CER 16 % instead of 3 % on a
  // speckled 200 dpi page); it also made pages faster, since fewer blobs reach the recogniser.
  pipeline = pipeline.median(3);
  if (opened.density && opened.density >= 100) pipeline = pipeline.withDensity(opened.density * scale);
  try {
    const png = await pipeline.png({ compressionLevel: 1 }).toBuffer();
    return { png, width, height, scale, sourceWidth: opened.width, sourceHeight: opened.height };
  } catch (error) {
    throw new OcrInputError('图片内容已损坏，无法解码', 'undecodable', { cause: error });
  }
}
