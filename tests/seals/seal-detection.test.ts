import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { findSeals } from '../../extractors/seals/index.ts';
import { generatedCases, renderSealPage, type SealPageOptions, type SealSpec } from '../fixtures/seals/generate.ts';

/**
 * Finding seals by colour and shape on generated pages whose seals are known (tests/fixtures/seals/generate.ts):
 * every variant the detector must tolerate, and the seeded set the recall and false-seal figures come from.
 */

async function detect(options: SealPageOptions) {
  const page = await renderSealPage(options);
  const { candidates, scale, monochrome } = await findSeals(sharp(page.image), page.width, page.height, page.dpi);
  // Back to the page's pixels.
  const seals = candidates.map((c) => ({ ...c, cx: c.cx / scale, cy: c.cy / scale, a: c.a / scale, b: c.b / scale }));
  return { page, seals, monochrome };
}

function spec(overrides: Partial<SealSpec>): SealSpec {
  return { shape: 'round', rimText: '常德市数据资源管理局', star: true, sizeMm: 40, rotateDeg: 0, ink: 'strong', ...overrides };
}

const BODY = ['经研究，同意该项目按照批复的建设内容和投资规模组织实施。', '项目建设单位应严格执行政府采购和招标投标有关规定。', '特此批复。', '二〇二三年六月十八日'];

describe('finding seals on a page', () => {
  it.each([
    ['a round 公章 with a star over the date line', spec({}), 'round'],
    ['a round seal without a star, turned 150°', spec({ star: false, rotateDeg: 150 }), 'round'],
    ['an oval 合同专用章, turned 30°', spec({ shape: 'oval', rimText: '湖南华信信息技术有限公司', centreText: '合同专用章', star: false, sizeMm: 44, rotateDeg: 30 }), 'oval'],
    ['a square personal seal', spec({ shape: 'square', rimText: '张建国印', star: false, sizeMm: 18 }), 'square'],
    ['a faint, patchy round seal', spec({ ink: 'faint', rotateDeg: -20 }), 'round'],
  ] as const)('finds %s, its shape and place', async (_name, seal, shape) => {
    const { page, seals } = await detect({ seals: [{ spec: seal, xMm: 120, yMm: 45 }], lines: BODY, textTopMm: 30, heightMm: 100, format: 'jpeg', seed: 3 });
    expect(seals).toHaveLength(1);
    const truth = page.seals[0]!;
    expect(seals[0]!.shape).toBe(shape);
    expect(Math.hypot(seals[0]!.cx - truth.cx, seals[0]!.cy - truth.cy)).toBeLessThan(truth.radiusPx * 0.15);
    expect(Math.max(seals[0]!.a, seals[0]!.b)).toBeGreaterThan(truth.radiusPx * 0.8);
  });

  it('finds a 骑缝章 cut by the right edge of the page and says so', async () => {
    const { seals } = await detect({ seals: [{ spec: spec({ star: false }), xMm: 205, yMm: 50 }], lines: BODY, heightMm: 100, seed: 4 });
    expect(seals).toHaveLength(1);
    expect(seals[0]!.cut).toBe('right');
  });

  it('finds a seal stamped across the red rule of a letterhead, and nothing in the letterhead itself', async () => {
    const stamped = await detect({ seals: [{ spec: spec({}), xMm: 110, yMm: 62 }], letterhead: '某某市人民政府文件', lines: BODY, textTopMm: 55, heightMm: 120, seed: 5 });
    expect(stamped.seals).toHaveLength(1);
    const bare = await detect({ seals: [], letterhead: '某某市人民政府文件', lines: BODY, textTopMm: 55, heightMm: 120, seed: 5 });
    expect(bare.seals).toEqual([]);
  });

  it('tells a grey scan (where red ink cannot be seen) from a colour one', async () => {
    const colour = await renderSealPage({ seals: [], lines: BODY, heightMm: 80, seed: 6 });
    const grey = await sharp(colour.image).grayscale().png().toBuffer();
    expect((await findSeals(sharp(colour.image), colour.width, colour.height, 200)).monochrome).toBe(false);
    expect((await findSeals(sharp(grey), colour.width, colour.height, 200)).monochrome).toBe(true);
  });

  it('on the seeded generated set: recall at least 98 %, false seals on at most 1 % of seal-free pages', async () => {
    const { sealed, sealFreePages } = generatedCases(100, 2026, 60);
    let found = 0;
    let total = 0;
    let falsePages = 0;
    for (const c of sealed) {
      const { page, seals } = await detect(c.options);
      for (const truth of page.seals) {
        total++;
        if (seals.some((s) => Math.hypot(s.cx - truth.cx, s.cy - truth.cy) < truth.radiusPx * 0.5)) found++;
      }
    }
    for (const c of sealFreePages) if ((await detect(c.options)).seals.length > 0) falsePages++;
    expect(total).toBe(100);
    expect(found / total).toBeGreaterThanOrEqual(0.98);
    expect(falsePages / sealFreePages.length).toBeLessThanOrEqual(0.01);
  }, 240_000);
});
