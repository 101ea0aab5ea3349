import { describe, expect, it } from 'vitest';
import { describePages } from '../../extractors/pdf/page-ranges.ts';
import { renderScale, RENDER_DPI } from '../../extractors/pdf/ocr-input.ts';

describe('when a finding names the pages it concerns', () => {
  it.each([
    [[3], '第 3 页'],
    [[1, 2, 3, 4], '第 1–4 页'],
    [[9, 2, 5, 6, 7], '第 2、5–7、9 页'],
    [[4, 4, 5], '第 4–5 页'],
  ])('writes %j as %s', (pages, wording) => {
    expect(describePages(pages)).toBe(wording);
  });
});

describe('when a page is rendered for OCR', () => {
  it('renders A4 at 200 dpi', () => {
    const scale = renderScale({ width: 595.28, height: 841.89 }, 40_000_000);
    expect(RENDER_DPI).toBe(200);
    expect(Math.round(595.28 * scale)).toBe(1654);
  });

  it('renders an A0 drawing smaller so the bitmap stays within the pixel limit', () => {
    const a0 = { width: 2383.94, height: 3370.39 };
    const scale = renderScale(a0, 40_000_000);
    expect(a0.width * scale * a0.height * scale).toBeLessThanOrEqual(40_000_001);
    expect(scale).toBeLessThan(200 / 72);
  });
});
