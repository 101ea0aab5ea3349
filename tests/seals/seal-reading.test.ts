import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { sealMatchesOrg } from '../../checklists/rules/seal-checks.ts';
import { extractImage } from '../../extractors/image.ts';
import { defaultExtractionLimits } from '../../extractors/limits.ts';
import { ExtractedDocumentSchema } from '../../extractors/model.ts';
import { createOcrPool } from '../../extractors/ocr/index.ts';
import { analysePageSeals } from '../../extractors/seals/index.ts';
import { characterErrorRate } from '../helpers/cer.ts';
import { renderSealPage, type SealPageOptions, type SealSpec } from '../fixtures/seals/generate.ts';

/**
 * Reading seals with the real tesseract.js pool: rim text unwrapped from the arc whatever the seal's angle, the
 * centre line, the seal recorded by the image extractor with its crop, and the body text under a seal read better
 * once the seal's red ink is lifted.
 */

const ocr = createOcrPool({ size: 2 });
afterAll(() => ocr.close());

const ORG = '常德市数据资源管理局';
const BODY = ['经研究，同意该项目按照批复的建设内容和投资规模组织实施。', '项目建设单位应严格执行政府采购和招标投标有关规定。', '特此批复。'];

function spec(overrides: Partial<SealSpec>): SealSpec {
  return { shape: 'round', rimText: ORG, star: true, sizeMm: 40, rotateDeg: 0, ink: 'strong', ...overrides };
}

async function read(options: SealPageOptions) {
  const page = await renderSealPage(options);
  return analysePageSeals(sharp(page.image), page.width, page.height, { ocr, page: 1, density: page.dpi, maxImagePixels: defaultExtractionLimits.maxImagePixels });
}

describe('reading a seal', () => {
  it.each([0, 75, 150, -120])('reads the rim text of a round seal turned %i° as the organisation (one or two characters may be misread)', async (rotateDeg) => {
    const { seals } = await read({ seals: [{ spec: spec({ rotateDeg }), xMm: 60, yMm: 30 }], heightMm: 60, widthMm: 120, seed: 11 });
    expect(seals).toHaveLength(1);
    expect(seals[0]).toMatchObject({ source: 'scan', electronic: false, shape: 'round', star: true, sure: true, page: 1 });
    expect(sealMatchesOrg(seals[0]!, ORG), `read「${seals[0]!.rimText}」`).toBe(true);
    expect(seals[0]!.rimConfidence).toBeGreaterThan(0);
  });

  it('tells a seal without a star, and reads the centre line of a round 专用章', async () => {
    const { seals } = await read({ seals: [{ spec: spec({ star: false, centreText: '合同专用章' }), xMm: 60, yMm: 30 }], heightMm: 60, widthMm: 120, seed: 12 });
    expect(seals[0]!.star).toBe(false);
    expect(seals[0]!.centreText).toMatch(/专用章$/);
  });

  it('does not read the text of a 骑缝章 cut by the page edge, and marks it', async () => {
    const { seals } = await read({ seals: [{ spec: spec({}), xMm: 115, yMm: 30 }], heightMm: 60, widthMm: 120, seed: 13 });
    expect(seals).toHaveLength(1);
    expect(seals[0]!.cutAtEdge).toBe('right');
    expect(seals[0]!.rimText).toBeUndefined();
  });

  it('lifts the red ink before the body OCR: lines under a seal read with a lower CER', async () => {
    const options: SealPageOptions = { seals: [{ spec: spec({ rotateDeg: 10 }), xMm: 85, yMm: 26 }], lines: BODY, textTopMm: 14, heightMm: 50, seed: 14 };
    const page = await renderSealPage(options);
    const truth = BODY.join('\n');
    const stamped = await ocr.recognize(await sharp(page.image).grayscale().png().toBuffer());
    const { cleanedPage } = await analysePageSeals(sharp(page.image), page.width, page.height, { ocr, page: 1, density: page.dpi, maxImagePixels: defaultExtractionLimits.maxImagePixels });
    expect(cleanedPage).toBeDefined();
    const lifted = await ocr.recognize(cleanedPage!);
    expect(characterErrorRate(truth, lifted.text)).toBeLessThan(characterErrorRate(truth, stamped.text));
  });
});

describe('the image extractor records seals', () => {
  it('keeps each seal with its page, box and crop, and the pages it looked at', async () => {
    const page = await renderSealPage({ seals: [{ spec: spec({ shape: 'oval', rimText: '湖南华信信息技术有限公司', centreText: '合同专用章', star: false, sizeMm: 44 }), xMm: 140, yMm: 50 }], lines: BODY, textTopMm: 30, heightMm: 90, format: 'jpeg', seed: 15 });
    const doc = ExtractedDocumentSchema.parse(await extractImage({ path: '合同.jpg', bytes: page.image, kind: 'image' }, { ocr, limits: defaultExtractionLimits }));
    expect(doc.sealScan).toEqual({ checkedPages: [1], monochromePages: [] });
    expect(doc.seals).toHaveLength(1);
    const seal = doc.seals![0]!;
    expect(seal).toMatchObject({ page: 1, shape: 'oval', electronic: false });
    expect(seal.crop).toMatch(/^data:image\/png;base64,/);
    const crop = await sharp(Buffer.from(seal.crop!.split(',')[1]!, 'base64')).metadata();
    expect(Math.max(crop.width!, crop.height!)).toBeLessThanOrEqual(160);
    expect(seal.box!.x + seal.box!.width / 2).toBeCloseTo(140 / 210, 1);
    expect(doc.pages[0]!.text).toContain('项目建设单位');
  });

  it('says it looked at a grey page without calling it unstamped', async () => {
    const page = await renderSealPage({ seals: [], lines: BODY, heightMm: 60, seed: 16 });
    const grey = await sharp(page.image).grayscale().png().toBuffer();
    const doc = await extractImage({ path: '批复.png', bytes: grey, kind: 'image' }, { ocr, limits: defaultExtractionLimits });
    expect(doc.sealScan).toEqual({ checkedPages: [1], monochromePages: [1] });
    expect(doc.seals).toBeUndefined();
  });
});
