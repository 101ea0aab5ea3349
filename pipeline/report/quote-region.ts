import { z } from 'zod';
import type { OcrLayout } from '../../extractors/ocr/layout.ts';

/**
 * Where on a scanned page a quote of the report stands (issue 15: evidence on an image opens with the quoted region
 * marked). The quote was taken from the page's OCR text, so it is looked for in the page's OCR lines, in reading
 * order, compared the way the report's quotes are compared elsewhere: NFKC (full-width and half-width forms alike),
 * white space ignored (OCR leaves spaces between Han characters and breaks lines inside a title).
 */

export const QuoteRegionSchema = z.object({
  /** Left, top, width and height in pixels of the page image (`QuoteRegions.image`), origin top left. */
  x: z.number().int().nonnegative(),
  y: z.number().int().nonnegative(),
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  /** The OCR line the box belongs to, as read. */
  text: z.string(),
});
export type QuoteRegion = z.infer<typeof QuoteRegionSchema>;

export const QuoteRegionsSchema = z.object({
  image: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }),
  /** One box per OCR line the quote covers, in reading order. */
  regions: z.array(QuoteRegionSchema),
  /** `whole`: the quote was found entire; `leading-part`: only its beginning (a clipped or differently read quote). */
  match: z.enum(['whole', 'leading-part']),
});
export type QuoteRegions = z.infer<typeof QuoteRegionsSchema>;

/** A leading part shorter than this (or than the quote itself) says too little about where the quote is. */
const MIN_LEADING_PART = 4;

function compact(s: string): string {
  return s.normalize('NFKC').replace(/\s+/gu, '');
}

/**
 * The boxes of the OCR lines a quote covers, or null when the page's lines do not hold it (nor its first
 * MIN_LEADING_PART characters). Where the quote occurs more than once, its first occurrence, as the report quoted the
 * first one it read.
 */
export function quoteRegions(layout: OcrLayout, quote: string): QuoteRegions | null {
  const wanted = compact(quote).replace(/…+$/u, '');
  if (!wanted) return null;
  // Character by character, so each position of the joined text knows its line (NFKC may turn one into several).
  let joined = '';
  const lineOf: number[] = [];
  layout.lines.forEach((line, index) => {
    for (const char of line.text) {
      const folded = compact(char);
      joined += folded;
      for (let i = 0; i < folded.length; i++) lineOf.push(index);
    }
  });
  let length = wanted.length;
  let at = joined.indexOf(wanted);
  while (at < 0 && length > Math.min(MIN_LEADING_PART, wanted.length)) {
    length -= 1;
    at = joined.indexOf(wanted.slice(0, length));
  }
  if (at < 0) return null;
  const covered = [...new Set(lineOf.slice(at, at + length))];
  return {
    image: { width: layout.width, height: layout.height },
    regions: covered.map((index) => {
      const { text, box } = layout.lines[index]!;
      return { x: box[0], y: box[1], width: box[2], height: box[3], text };
    }),
    match: length === wanted.length ? 'whole' : 'leading-part',
  };
}
