import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OCR_ENGINE_VERSION, closeSharedOcrPool, getSharedOcrPool, resolveChiSimLangPath } from '../../extractors/ocr/index.ts';

describe('when locating the OCR model', () => {
  it('uses the integer-quantised chi_sim model from the installed package, never a URL', () => {
    const langPath = resolveChiSimLangPath();

    expect(isAbsolute(langPath)).toBe(true);
    expect(langPath).toMatch(/@tesseract\.js-data[\\/]chi_sim[\\/]4\.0\.0_best_int$/);
    const model = join(langPath, 'chi_sim.traineddata.gz');
    expect(existsSync(model)).toBe(true);
    // The best_int model is ~1.7 MB; the legacy default is several times larger.
    expect(statSync(model).size).toBeLessThan(3_000_000);
  });

  it('names tesseract.js and the model in the engine version used for cache keys', () => {
    expect(OCR_ENGINE_VERSION).toMatch(/^tesseract\.js@7\.\d+\.\d+\+chi_sim@4\.0\.0_best_int\+ocr-pre\d+$/);
  });
});

describe('when the command line shares one pool', () => {
  it('hands out the same pool until it is closed, then a fresh one', async () => {
    const first = getSharedOcrPool({ size: 1 });
    expect(getSharedOcrPool()).toBe(first);

    await closeSharedOcrPool();

    const second = getSharedOcrPool({ size: 1 });
    expect(second).not.toBe(first);
    await expect(first.recognize(Buffer.alloc(10))).rejects.toThrow(/closed/);
    await closeSharedOcrPool();
  });
});
