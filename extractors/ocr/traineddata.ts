import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { installedVersion } from '../installed-version.ts';

const require = createRequire(import.meta.url);

/** The only language loaded: `chi_sim` reads digits and Latin letters well enough, and adding `eng` made pages slower. */
export const OCR_LANGUAGE = 'chi_sim';

/** Integer-quantised "best" LSTM model: smaller and more accurate than the package's default legacy `4.0.0` data. */
export const OCR_MODEL_FOLDER = '4.0.0_best_int';

/**
 * Local folder holding `chi_sim.traineddata.gz`. tesseract.js falls back to a CDN when `langPath` is missing, so the
 * path is always resolved from the installed package and checked to exist: failing here beats a hung worker later.
 */
export function resolveChiSimLangPath(): string {
  const packageEntry = require.resolve('@tesseract.js-data/chi_sim');
  const langPath = join(dirname(packageEntry), OCR_MODEL_FOLDER);
  const modelFile = join(langPath, `${OCR_LANGUAGE}.traineddata.gz`);
  if (!existsSync(modelFile)) {
    throw new Error(`OCR model not found at ${modelFile}; is @tesseract.js-data/chi_sim installed?`);
  }
  return langPath;
}

/**
 * Identifies what produced OCR text; part of extractor versions and so of extraction cache keys.
 * Bump the `ocr-pre` number whenever preprocessing or text normalisation changes the output.
 */
export const OCR_ENGINE_VERSION = [
  `tesseract.js@${installedVersion('tesseract.js')}`,
  `${OCR_LANGUAGE}@${OCR_MODEL_FOLDER}`,
  'ocr-pre4',
].join('+');
