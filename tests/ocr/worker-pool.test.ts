import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { createOcrPool, OcrInputError, OcrPoolClosedError } from '../../extractors/ocr/index.ts';
import { renderScan } from '../fixtures/scan/render.ts';

const strips = ['项目名称：电子证照库', '建设单位：数据管理局', '验收意见：同意通过'];
const renderStrip = (text: string) => renderScan(text, { heightMm: 60 });

describe('when the pool has recognised as many pages as a worker may serve', () => {
  const pool = createOcrPool({ size: 1, recycleAfterPages: 2 });
  afterAll(() => pool.close());

  it('replaces the worker and still returns each page its own text', async () => {
    const images = await Promise.all(strips.map(renderStrip));

    // Submitted together: the queue feeds the single worker one page at a time.
    const results = await Promise.all(images.map((image) => pool.recognize(image)));

    expect(results.map((r) => r.text.replace(/\s+/g, ''))).toEqual([
      expect.stringContaining('电子证照库'),
      expect.stringContaining('数据管理局'),
      expect.stringContaining('同意通过'),
    ]);
    const stats = pool.stats();
    expect(stats.pagesRecognized).toBe(3);
    expect(stats.recycled).toBe(1);
    expect(stats.workersStarted).toBe(2);
    expect(stats.replacedAfterFailure).toBe(0);
  });
});

describe('when a worker has read as many whole pages as the pool lets a worker read', () => {
  const pool = createOcrPool({ size: 1, recycleAfterWholePages: 2, wholePagePixels: 10_000 });
  afterAll(() => pool.close());

  it('replaces it after the second whole page, and images below the whole-page size do not count', async () => {
    const images = await Promise.all(strips.map(renderStrip));
    const small = await sharp(images[0]!).resize(90).png().toBuffer();

    await pool.recognize(small);
    const results = await Promise.all(images.map((image) => pool.recognize(image)));

    expect(results[2]!.text.replace(/\s+/g, '')).toContain('同意通过');
    // small, strip 1 (one whole page), strip 2 (two: replaced), strip 3 on the fresh worker.
    expect(pool.stats()).toMatchObject({ pagesRecognized: 4, recycled: 1, workersStarted: 2, workersAlive: 1 });
  });
});

describe('when a worker has read a page larger than the pool lets a worker keep', () => {
  const pool = createOcrPool({ size: 1, recycleAfterPixels: 10_000 });
  afterAll(() => pool.close());

  it('replaces that worker after the page, so the memory the page took goes back', async () => {
    const result = await pool.recognize(await renderStrip(strips[0]!));
    expect(result.text.replace(/\s+/g, '')).toContain('电子证照库');
    expect(pool.stats()).toMatchObject({ pagesRecognized: 1, recycled: 1, workersAlive: 0 });
  });
});

describe('when a page is not an image', () => {
  const pool = createOcrPool({ size: 1 });
  afterAll(() => pool.close());

  it('rejects that page with a Chinese explanation and keeps serving others', async () => {
    const garbage = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.from('不是图片'.repeat(50))]);

    await expect(pool.recognize(garbage)).rejects.toThrow(OcrInputError);
    await expect(pool.recognize(garbage)).rejects.toThrow(/损坏|无法识别/);
    const blank = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    await expect(pool.recognize(blank)).resolves.toMatchObject({ text: '' });
  });
});

describe('when the pool is closed', () => {
  it('rejects pages still waiting and refuses new ones', async () => {
    const pool = createOcrPool({ size: 1 });
    const image = await renderStrip('关闭测试');
    const first = pool.recognize(image);
    const waiting = pool.recognize(image);
    first.catch(() => {});
    waiting.catch(() => {});

    await pool.close();

    await expect(waiting).rejects.toThrow(OcrPoolClosedError);
    await expect(first).rejects.toThrow(OcrPoolClosedError);
    await expect(pool.recognize(image)).rejects.toThrow(OcrPoolClosedError);
    expect(pool.stats().workersAlive).toBe(0);
  });
});

describe('when a page takes longer than the page time limit', () => {
  it('abandons the page and retires the worker, whose state is unknown', async () => {
    const pool = createOcrPool({ size: 1, pageTimeoutMs: 50 });
    try {
      const fullPage = await renderScan('超时测试\n'.repeat(30));

      await expect(pool.recognize(fullPage)).rejects.toThrow(/longer than 50 ms/);

      expect(pool.stats()).toMatchObject({ replacedAfterFailure: 1, workersAlive: 0, pagesRecognized: 0 });
    } finally {
      await pool.close();
    }
  });
});

describe('when the model cannot be loaded', () => {
  it('fails the page promptly instead of hanging or downloading', async () => {
    const pool = createOcrPool({ size: 1, langPath: '/nonexistent/tessdata' });
    try {
      const image = await renderStrip('模型缺失');

      await expect(pool.recognize(image)).rejects.toThrow(/failed to start/);
      expect(pool.stats().workersAlive).toBe(0);
    } finally {
      await pool.close();
    }
  });

  it('refuses a model location that is a URL', () => {
    expect(() => createOcrPool({ langPath: 'https://example.invalid/tessdata' })).toThrow(/local folder/);
  });
});
