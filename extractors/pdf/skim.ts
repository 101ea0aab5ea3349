import sharp from 'sharp';
import { mayHoldToc } from '../segment/toc.ts';
import { layoutPages, segmentPages } from '../segment/index.ts';
import { titleBlock } from '../segment/cues.ts';
import type { Page } from '../model.ts';

/**
 * The cheap pass over a long scanned file (a 200-page bound volume): every page is first OCR'd only at its top and
 * bottom — where a document's title, 文号, running header, page number and closing date/signature stand — which is
 * enough to find where the bound documents start. Only the pages whose whole content the checks lean on are then
 * OCR'd in full: the first and last page of each document (title block, key/value head, 落款 and date), front matter
 * and 目录 pages, and pages the bands cannot judge (nothing at the top or bottom: a cover whose title stands in the
 * middle, a full-page table, or a separator sheet).
 */

/** Share of the page height read at the top: the 25 mm margin plus about seven lines of body text. */
export const TOP_BAND = 0.25;
/** Share read at the bottom: the margin, a page number and the last three or four lines (signature, date). */
export const BOTTOM_BAND = 0.18;
/** White gap between the two bands, so tesseract's layout analysis keeps them apart. */
const GAP_PX = 48;
/**
 * Resolution the bands are read at. Titles, 文号 and running heads are large print: at 120 dpi tesseract read the
 * 200-page bench's bands as well as at 200 dpi, at 0.6 of the CPU time (0.64 instead of 1.0–1.1 CPU-s a page).
 * Whole pages are still read at the scan's own resolution.
 */
const BAND_DPI = 120;
export const BANDS = { top: TOP_BAND, bottom: BOTTOM_BAND, gap: GAP_PX, dpi: BAND_DPI };
/** Front matter (cover, 前言, 目录) beyond this many pages is skimmed like any other page. */
const FRONT_MATTER_PAGES = 4;
/** Segmentation is re-run after each round of full reads; it settles in one or two. */
const MAX_ROUNDS = 4;

/** The top and bottom bands of a page image, stacked into one image (one OCR call instead of two). */
export async function pageBands(image: Buffer): Promise<Buffer> {
  const meta = await sharp(image, { limitInputPixels: false }).metadata();
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width === 0 || height === 0) return image;
  const topHeight = Math.max(1, Math.round(height * TOP_BAND));
  const bottomTop = Math.min(height - 1, Math.round(height * (1 - BOTTOM_BAND)));
  const bottomHeight = height - bottomTop;
  const [top, bottom] = await Promise.all([
    sharp(image).extract({ left: 0, top: 0, width, height: topHeight }).png({ compressionLevel: 1 }).toBuffer(),
    sharp(image).extract({ left: 0, top: bottomTop, width, height: bottomHeight }).png({ compressionLevel: 1 }).toBuffer(),
  ]);
  return sharp({ create: { width, height: topHeight + GAP_PX + bottomHeight, channels: 3, background: '#ffffff' } })
    .composite([
      { input: top, top: 0, left: 0 },
      { input: bottom, top: topHeight + GAP_PX, left: 0 },
    ])
    .png({ compressionLevel: 1 })
    .toBuffer();
}

/**
 * Which of the skimmed pages to read in full next, given the pages as they stand (some skimmed, some read). Empty when
 * the segmentation rests only on fully read pages where it needs them.
 */
export function pagesToReadInFull(pages: readonly Page[]): number[] {
  const want = new Set<number>();
  const layouts = layoutPages(pages);
  layouts.forEach((layout, i) => {
    if (!pages[i]!.partial) return;
    // Bands that show nothing cannot tell a blank separator from a page whose text sits in the middle.
    if (layout.blank || mayHoldToc(layout)) want.add(layout.n);
  });
  const segments = segmentPages(pages);
  const starts = new Set(segments.map((s) => s.firstPage));
  // A title at the top of a page that does not start a document may lack only what the page before ends with (a
  // signature and date in the middle of a short last page, which the bottom band misses): read that page in full.
  layouts.forEach((layout, i) => {
    if (i > 0 && !starts.has(layout.n) && titleBlock(layout.lines) && pages[i - 1]!.partial) want.add(pages[i - 1]!.n);
  });
  for (const segment of segments) {
    if (segment.role === 'front-matter') {
      for (let n = segment.firstPage; n <= Math.min(segment.lastPage, segment.firstPage + FRONT_MATTER_PAGES - 1); n++) want.add(n);
    } else if (segment.role === 'document') {
      want.add(segment.firstPage);
      want.add(segment.lastPage);
    }
  }
  return pages.filter((p) => p.partial && want.has(p.n)).map((p) => p.n);
}

/**
 * Runs the cheap pass to its end: `readFull` OCRs the given pages in full and returns them. Returns the pages, the
 * skimmed ones marked `partial`.
 */
export async function completeSkim(pages: Page[], readFull: (numbers: number[]) => Promise<Page[]>): Promise<Page[]> {
  let current = pages;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const next = pagesToReadInFull(current);
    if (next.length === 0) break;
    const read = new Map((await readFull(next)).map((p) => [p.n, p]));
    current = current.map((p) => read.get(p.n) ?? p);
  }
  return current;
}
