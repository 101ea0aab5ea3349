import type { EmbeddedImage, PDFParse } from 'pdf-parse';

/**
 * Picks the picture of a page that OCR should read.
 *
 * A scanned page is usually one page-sized image; handing that image to OCR is cheaper than rendering the page and
 * loses nothing (rendering resamples the same pixels). Anything else — several strips, a small photo beside broken
 * text, an image turned sideways by the page — is rendered at ~200 dpi instead, which shows what a reader sees.
 */

export interface PageOcrInput {
  /** PNG bytes. */
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

export async function pageOcrInput(
  parser: PDFParse,
  pageNumber: number,
  limits: { maxImagePixels: number },
): Promise<PageOcrInput> {
  const size = await pageSize(parser, pageNumber);
  const scan = await embeddedScan(parser, pageNumber, size);
  if (scan) {
    return { image: Buffer.from(scan.data.buffer, scan.data.byteOffset, scan.data.byteLength), origin: 'embedded-image', width: scan.width, height: scan.height };
  }
  const result = await parser.getScreenshot({
    partial: [pageNumber],
    scale: renderScale(size, limits.maxImagePixels),
    imageDataUrl: false,
    imageBuffer: true,
  });
  const shot = result.pages.find((p) => p.pageNumber === pageNumber);
  if (!shot) throw new Error(`page ${pageNumber} did not render`);
  return { image: Buffer.from(shot.data.buffer, shot.data.byteOffset, shot.data.byteLength), origin: 'rendered', width: shot.width, height: shot.height };
}
