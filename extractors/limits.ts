import type { ExtractionLimits } from './model.ts';

/**
 * Defaults sized for a machine with a few GB of memory and pages OCR'd at 200–300 dpi.
 * - An A4 page at 300 dpi is ~8.7 MP and an A0 drawing at 200 dpi ~77 MP, so 40 MP keeps real scans
 *   intact (or only mildly downscaled) while bounding memory and OCR time per page.
 * - 400 MP is beyond any plausible scan or photo; such headers come from decompression bombs.
 * - 300 OCR pages is a thick dossier volume; beyond that OCR time (1–2 s a page) stops being reasonable.
 * - From 40 pages to OCR a file is skimmed first (top and bottom of each page, ~⅓ the cost of a full page) and read
 *   in full only where its documents start and end: a 40-page scan costs ~1 min of full-page OCR on 2 cores.
 * - 2,000 pages is beyond the thickest bound tender or acceptance volume; a page tree claiming more is read only
 *   that far (a crafted tree of 50,000 entries otherwise costs minutes of CPU).
 */
export const defaultExtractionLimits: ExtractionLimits = Object.freeze({
  maxImagePixels: 40_000_000,
  refuseImagePixels: 400_000_000,
  maxOcrPagesPerDocument: 300,
  maxPagesPerDocument: 2_000,
  skimOcrFromPages: 40,
});
