import sharp from 'sharp';
import { defaultExtractionLimits } from '../../extractors/limits.ts';
import type { ExtractionContext, ExtractionLimits, OcrEngine, PageSource } from '../../extractors/model.ts';
import { createOcrPool } from '../../extractors/ocr/index.ts';

export interface OcrCall {
  width: number;
  height: number;
}

/**
 * The real tesseract pool (one worker: the machine is shared), with a log of the images it was handed.
 * The pool starts its worker on first use, so a test that expects no OCR costs nothing.
 */
export function recordingOcr(): OcrEngine & { calls: OcrCall[] } {
  const pool = createOcrPool({ size: 1 });
  const calls: OcrCall[] = [];
  return {
    calls,
    async recognize(image) {
      const { width = 0, height = 0 } = await sharp(image).metadata();
      calls.push({ width, height });
      return pool.recognize(image);
    },
    close: () => pool.close(),
  };
}

export interface ProgressEvent {
  page: number;
  pageCount: number;
  source: PageSource;
}

export function contextWith(
  ocr: OcrEngine,
  limits: Partial<ExtractionLimits> = {},
): ExtractionContext & { progress: ProgressEvent[] } {
  const progress: ProgressEvent[] = [];
  return {
    ocr,
    limits: { ...defaultExtractionLimits, ...limits },
    onPage: (event) => progress.push(event),
    progress,
  };
}
