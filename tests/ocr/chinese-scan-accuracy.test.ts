import { afterAll, describe, expect, it } from 'vitest';
import { createOcrPool } from '../../extractors/ocr/index.ts';
import { renderScan } from '../fixtures/scan/render.ts';
import { approvalRequestProse } from '../fixtures/scan/sample-texts.ts';
import { characterErrorRate } from '../helpers/cer.ts';

const pool = createOcrPool({ size: 1 });
afterAll(() => pool.close());

describe('when a 200 dpi scan of a Chinese approval request is recognised', () => {
  it('reads it with a character error rate of at most 5 % and keeps names, amounts and dates intact', async () => {
    const scan = await renderScan(approvalRequestProse, { dpi: 200, noise: true, rotateDeg: 0.5 });

    const result = await pool.recognize(scan);

    const cer = characterErrorRate(approvalRequestProse, result.text);
    expect(cer).toBeLessThanOrEqual(0.05);
    const compact = result.text.replace(/\s+/g, '');
    expect(compact).toContain('智慧政务服务平台建设项目');
    expect(compact).toContain('总投资120万元');
    expect(compact).toContain('2024年3月15日');
    expect(compact).toContain('0571-88001234');
    expect(result.confidence).toBeGreaterThan(70);
    expect(result.confidence).toBeLessThanOrEqual(100);
  });

  it('returns text without spaces between Chinese characters, line by line', async () => {
    const scan = await renderScan('建设单位：某市政务服务和数据管理局\n项目名称：智慧政务服务平台', { heightMm: 80 });

    const { text } = await pool.recognize(scan);

    const lines = text.split('\n').filter((line) => line.trim() !== '');
    expect(lines).toHaveLength(2);
    expect(text).not.toMatch(/\p{Script=Han}[ \t]+\p{Script=Han}/u);
    expect(lines[1]).toContain('智慧政务服务平台');
  });
});
