import { describe, expect, it } from 'vitest';
import { chooseOcrScale } from '../../extractors/ocr/preprocess.ts';

const limits = { maxImagePixels: 40_000_000 };

describe('when choosing how far to scale an image for OCR', () => {
  it('leaves a 200 dpi A4 scan alone', () => {
    expect(chooseOcrScale({ width: 1654, height: 2339, density: 200 }, limits)).toBe(1);
  });

  it('enlarges a believable low-resolution scan towards 250 dpi', () => {
    expect(chooseOcrScale({ width: 1240, height: 1754, density: 150 }, limits)).toBeCloseTo(250 / 150);
  });

  it('reduces a 600 dpi scan to 300 dpi', () => {
    expect(chooseOcrScale({ width: 4960, height: 7016, density: 600 }, limits)).toBeCloseTo(0.5);
  });

  it('ignores the meaningless 72 dpi default and enlarges a small image by its size instead', () => {
    expect(chooseOcrScale({ width: 1421, height: 1309, density: 72 }, limits)).toBeCloseTo(2000 / 1421);
    expect(chooseOcrScale({ width: 400, height: 100 }, limits)).toBe(2.5);
  });

  it('never produces more pixels than the limit', () => {
    const scale = chooseOcrScale({ width: 10_000, height: 8_000 }, limits);
    expect(10_000 * 8_000 * scale * scale).toBeLessThanOrEqual(40_000_000 + 1);
    expect(chooseOcrScale({ width: 1000, height: 1000, density: 100 }, { maxImagePixels: 2_000_000 })).toBeCloseTo(
      Math.sqrt(2),
    );
  });
});
