import { z } from 'zod';
import { normalizeOcrText } from './han-spacing.ts';

/**
 * Where OCR found each line of a page, so the evidence viewer can mark a quote on the picture itself (issue 15).
 * Lines, not words or symbols: a line is what a person looks for, and a page keeps ~30–60 of them (a few KB).
 */

const Pixel = z.number().int().nonnegative();

export const OcrLineSchema = z.object({
  /** The line as read (table bars dropped, no spaces between Han characters: normalizeOcrText). */
  text: z.string(),
  /** [x, y, width, height] in pixels of the page image the layout belongs to, origin top left. */
  box: z.tuple([Pixel, Pixel, Pixel, Pixel]),
});
export type OcrLine = z.infer<typeof OcrLineSchema>;

export const OcrLayoutSchema = z.object({
  /** Size of the page image the boxes refer to: the original picture (upright), or the scan of a PDF page. */
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  lines: z.array(OcrLineSchema),
});
export type OcrLayout = z.infer<typeof OcrLayoutSchema>;

/** Tesseract's TSV levels: 4 is a text line, 5 a word of it. */
const LINE_LEVEL = '4';
const WORD_LEVEL = '5';

/**
 * The lines of tesseract's TSV output (`level page block par line word left top width height conf text`) with their
 * boxes, in the pixels of the image tesseract read. A line's text is its words joined as tesseract's plain text
 * joins them; lines with nothing but blanks (table rules read as a space) are left out.
 */
export function linesFromTsv(tsv: string): OcrLine[] {
  const byKey = new Map<string, { box: [number, number, number, number]; words: string[] }>();
  for (const row of tsv.split('\n')) {
    const cells = row.split('\t');
    if (cells.length < 11) continue;
    const [level, , block, paragraph, line] = cells;
    if (level !== LINE_LEVEL && level !== WORD_LEVEL) continue;
    const key = `${block}/${paragraph}/${line}`;
    if (level === LINE_LEVEL) {
      const [left, top, width, height] = cells.slice(6, 10).map((v) => Math.max(0, Math.round(Number(v)))) as [number, number, number, number];
      byKey.set(key, { box: [left, top, width, height], words: [] });
    } else {
      byKey.get(key)?.words.push(cells.slice(11).join('\t'));
    }
  }
  const lines: OcrLine[] = [];
  for (const { box, words } of byKey.values()) {
    const text = normalizeOcrText(words.join(' '));
    if (text !== '') lines.push({ text, box });
  }
  return lines;
}

/**
 * The layout re-expressed for the same picture at another size (the OCR input was scaled from, or to, the original).
 * Boxes are widened to whole pixels outwards so a scaled box still covers its line.
 */
export function rescaleLayout(layout: OcrLayout, width: number, height: number): OcrLayout {
  if (layout.width === width && layout.height === height) return layout;
  const sx = width / layout.width;
  const sy = height / layout.height;
  return {
    width,
    height,
    lines: layout.lines.map(({ text, box: [x, y, w, h] }) => {
      const left = Math.max(0, Math.floor(x * sx));
      const top = Math.max(0, Math.floor(y * sy));
      const right = Math.min(width, Math.ceil((x + w) * sx));
      const bottom = Math.min(height, Math.ceil((y + h) * sy));
      return { text, box: [left, top, Math.max(0, right - left), Math.max(0, bottom - top)] };
    }),
  };
}
