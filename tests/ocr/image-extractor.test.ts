import sharp from 'sharp';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { extractImage } from '../../extractors/image.ts';
import { defaultExtractionLimits } from '../../extractors/limits.ts';
import type { ExtractionContext, ExtractionLimits, OcrEngine } from '../../extractors/model.ts';
import { createOcrPool } from '../../extractors/ocr/index.ts';
import { renderScan } from '../fixtures/scan/render.ts';
import { approvalRequestProse } from '../fixtures/scan/sample-texts.ts';
import { characterErrorRate } from '../helpers/cer.ts';
import { sharedPath } from '../helpers/shared-data.ts';
import { encodeBmp8Grey } from './bmp-writer.ts';
import { compressedBlankPng, pngWithHugeHeader } from './synthetic-images.ts';

const REAL_TEST_REPORT_PHOTO = sharedPath('samples', 'real', 'images', 'rapiddoc_table_04_jiance_baogao_page.png');

const pool = createOcrPool({ size: 1 });
afterAll(() => pool.close());

/** The real pool, counting the pages it is asked to read. */
function contextWith(limits: Partial<ExtractionLimits> = {}) {
  let ocrCalls = 0;
  const progress: number[] = [];
  const ocr: OcrEngine = {
    recognize: (image) => {
      ocrCalls++;
      return pool.recognize(image);
    },
    close: async () => {},
  };
  const ctx: ExtractionContext = {
    ocr,
    limits: { ...defaultExtractionLimits, ...limits },
    onPage: ({ page }) => progress.push(page),
  };
  return { ctx, progress, ocrCalls: () => ocrCalls };
}

const compact = (text: string) => text.replace(/\s+/g, '');
const renderStrip = (text: string, dpi = 200) => renderScan(text, { heightMm: 60, dpi });

describe('when a phone photo of a page is stored sideways with an EXIF orientation', () => {
  it('turns it upright and reads the page', async () => {
    const photo = await renderScan(approvalRequestProse, { rotateDeg: -1.5, format: 'jpeg' });
    // Orientation 6: the camera stored the picture turned a quarter to the left; viewers turn it back.
    const sideways = await sharp(photo).rotate(270).withMetadata({ orientation: 6 }).jpeg({ quality: 85 }).toBuffer();
    const { ctx } = contextWith();

    const doc = await extractImage({ path: '材料/现场照片.jpg', bytes: sideways, kind: 'image' }, ctx);

    expect(doc.status).toBe('ok');
    expect(doc.pages).toHaveLength(1);
    expect(doc.pages[0]).toMatchObject({ n: 1, source: 'ocr' });
    expect(doc.pages[0]!.confidence).toBeGreaterThan(60);
    expect(characterErrorRate(approvalRequestProse, doc.pages[0]!.text)).toBeLessThanOrEqual(0.05);
    expect(compact(doc.pages[0]!.text)).toContain('2024年3月15日');
    expect(doc.meta).toMatchObject({ pageCount: 1, ocrPages: 1 });
    expect(doc.extractorVersion).toMatch(/tesseract\.js@\d+\.\d+\.\d+.*chi_sim@4\.0\.0_best_int/);
  });
});

describe('when a TIFF holds two scanned pages', () => {
  it('reads each page as its own page and reports progress for both', async () => {
    const first = await renderStrip('项目名称：智慧政务服务平台');
    const second = await renderStrip('建设单位：某市数据管理局');
    const tiff = await sharp([first, second], { join: { animated: true } }).tiff({ compression: 'lzw' }).toBuffer();
    const { ctx, progress } = contextWith();

    const doc = await extractImage({ path: '扫描件.tif', bytes: tiff, kind: 'image' }, ctx);

    expect(doc.status).toBe('ok');
    expect(doc.pages.map((page) => page.n)).toEqual([1, 2]);
    expect(compact(doc.pages[0]!.text)).toContain('智慧政务服务平台');
    expect(compact(doc.pages[1]!.text)).toContain('数据管理局');
    expect(doc.meta).toMatchObject({ pageCount: 2, ocrPages: 2 });
    expect(progress).toEqual([1, 2]);
  });
});

describe('when the image is a BMP, which sharp cannot read', () => {
  it('decodes it and reads the text', async () => {
    const strip = await renderStrip('验收意见：同意通过竣工验收');
    const { data, info } = await sharp(strip).grayscale().raw().toBuffer({ resolveWithObject: true });
    const bmp = encodeBmp8Grey(info.width, info.height, data);
    const { ctx } = contextWith();

    const doc = await extractImage({ path: '扫描.bmp', bytes: bmp, kind: 'image' }, ctx);

    expect(doc.status).toBe('ok');
    expect(compact(doc.pages[0]!.text)).toContain('同意通过竣工验收');
  });
});

describe('when the image has a transparent background', () => {
  it('reads dark text laid on transparency instead of seeing a black page', async () => {
    const strip = await renderScan('透明背景：项目验收报告', { heightMm: 60, noise: false });
    const { data, info } = await sharp(strip).grayscale().raw().toBuffer({ resolveWithObject: true });
    // Black everywhere, ink given by alpha: how exported stamps and cut-out scans often look.
    const rgba = Buffer.alloc(info.width * info.height * 4);
    for (let i = 0; i < data.length; i++) rgba[i * 4 + 3] = 255 - data[i]!;
    const png = await sharp(rgba, { raw: { width: info.width, height: info.height, channels: 4 } }).png().toBuffer();
    const { ctx } = contextWith();

    const doc = await extractImage({ path: '透明.png', bytes: png, kind: 'image' }, ctx);

    expect(compact(doc.pages[0]!.text)).toContain('项目验收报告');
  });
});

describe('when the image is a WebP', () => {
  it('reads the text', async () => {
    const webp = await sharp(await renderStrip('建设周期：12个月')).webp({ quality: 80 }).toBuffer();
    const { ctx } = contextWith();

    const doc = await extractImage({ path: '截图.webp', bytes: webp, kind: 'image' }, ctx);

    expect(compact(doc.pages[0]!.text)).toContain('12个月');
  });
});

describe('when the image is an animated GIF', () => {
  it('reads only the first frame and says so', async () => {
    const first = await renderStrip('第一帧：项目立项');
    const second = await renderStrip('第二帧：不应出现');
    const gif = await sharp([first, second], { join: { animated: true } }).gif().toBuffer();
    const { ctx, ocrCalls } = contextWith();

    const doc = await extractImage({ path: '动图.gif', bytes: gif, kind: 'image' }, ctx);

    expect(ocrCalls()).toBe(1);
    expect(compact(doc.pages[0]!.text)).toContain('项目立项');
    expect(compact(doc.pages[0]!.text)).not.toContain('不应出现');
    expect(doc.findings).toContainEqual(expect.objectContaining({ code: 'image-first-frame-only', severity: 'info' }));
  });
});

describe('when the header claims 30000×30000 pixels', () => {
  it('refuses the PNG before decoding anything, in Chinese', async () => {
    const { ctx, ocrCalls } = contextWith();

    const doc = await extractImage({ path: '炸弹.png', bytes: pngWithHugeHeader(30_000, 30_000), kind: 'image' }, ctx);

    expect(doc.status).toBe('unreadable');
    expect(doc.message).toMatch(/30000×30000.*过大|过大.*30000×30000/);
    expect(doc.findings).toContainEqual(expect.objectContaining({ code: 'image-too-large', severity: 'error' }));
    expect(doc.pages).toEqual([]);
    expect(ocrCalls()).toBe(0);
  });

  it('refuses a BMP with such a header the same way', async () => {
    const bmp = encodeBmp8Grey(4, 4, Buffer.alloc(16, 255));
    bmp.writeInt32LE(30_000, 18);
    bmp.writeInt32LE(-30_000, 22);
    const { ctx } = contextWith();

    const doc = await extractImage({ path: '炸弹.bmp', bytes: bmp, kind: 'image' }, ctx);

    expect(doc.status).toBe('unreadable');
    expect(doc.findings).toContainEqual(expect.objectContaining({ code: 'image-too-large' }));
  });
});

describe('when the image is bigger than OCR needs', () => {
  it('downscales a real 144-megapixel compressed bomb with a finding instead of decoding it whole', async () => {
    const bomb = await compressedBlankPng(12_000, 12_000);
    expect(bomb.length).toBeLessThan(1_000_000);
    const { ctx } = contextWith({ maxImagePixels: 4_000_000 });

    const doc = await extractImage({ path: '空白大图.png', bytes: bomb, kind: 'image' }, ctx);

    expect(doc.findings).toContainEqual(
      expect.objectContaining({ code: 'image-downscaled', severity: 'warning', message: expect.stringContaining('12000×12000') }),
    );
    expect(doc.status).toBe('empty');
    expect(doc.message).toContain('未识别到文字');
  });

  it('still reads the text of a downscaled page', async () => {
    const strip = await renderStrip('总投资：120万元', 400);
    const { ctx } = contextWith({ maxImagePixels: 1_500_000 });

    const doc = await extractImage({ path: '高清扫描.png', bytes: strip, kind: 'image' }, ctx);

    expect(doc.findings).toContainEqual(expect.objectContaining({ code: 'image-downscaled' }));
    expect(compact(doc.pages[0]!.text)).toContain('120万元');
  });
});

describe('when the file is damaged', () => {
  it('reports bytes that are no image as unreadable', async () => {
    const { ctx } = contextWith();
    const garbage = Buffer.from('这不是一张图片，只是伪装成 JPEG 的文字。'.repeat(20));
    garbage[0] = 0xff;
    garbage[1] = 0xd8;

    const doc = await extractImage({ path: '坏图.jpg', bytes: garbage, kind: 'image' }, ctx);

    expect(doc.status).toBe('unreadable');
    expect(doc.message).toMatch(/损坏|无法识别/);
    expect(doc.pages).toEqual([]);
  });

  it('reports a JPEG cut off after its header as unreadable', async () => {
    const jpeg = await sharp(await renderStrip('截断')).jpeg().toBuffer();
    const { ctx, ocrCalls } = contextWith();

    const doc = await extractImage({ path: '截断.jpg', bytes: jpeg.subarray(0, 1500), kind: 'image' }, ctx);

    expect(doc.status).toBe('unreadable');
    expect(doc.message).toContain('损坏');
    expect(doc.findings).toContainEqual(expect.objectContaining({ code: 'page-unreadable', severity: 'error' }));
    expect(ocrCalls()).toBe(0);
  });
});

describe('when the picture has no text', () => {
  it('reports it as empty', async () => {
    const blank = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#f4f1ea' } })
      .jpeg()
      .toBuffer();
    const { ctx } = contextWith();

    const doc = await extractImage({ path: '空白.jpg', bytes: blank, kind: 'image' }, ctx);

    expect(doc.status).toBe('empty');
    expect(doc.meta.ocrPages).toBe(1);
  });
});

describe('when reading a real photographed page of a test report', () => {
  it('finds the report wording', async () => {
    const { ctx } = contextWith();

    const doc = await extractImage(
      { path: 'rapiddoc_table_04_jiance_baogao_page.png', bytes: readFileSync(REAL_TEST_REPORT_PHOTO), kind: 'image' },
      ctx,
    );

    expect(doc.status).toBe('ok');
    expect(compact(doc.pages[0]!.text)).toMatch(/检测|报告/);
    expect(compact(doc.pages[0]!.text)).toContain('人工电源网络');
  });
});
