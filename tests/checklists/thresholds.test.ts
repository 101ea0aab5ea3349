import { describe, expect, it } from 'vitest';
import { loadChecklist } from '../../checklists/load.ts';
import { loadCommonRules } from '../../checklists/rules/engine.ts';
import { investmentThresholdsWan, shippedInvestmentThresholdsWan } from '../../checklists/thresholds.ts';

describe('investment thresholds come from the checklists’ conditions', () => {
  it.each([
    ['changde', [50]],
    // 500: YY-Q01 (第十条 初步设计方案委托专业机构编制) applies from 500万.
    ['yiyang', [50, 200, 500, 1000]],
    ['shenyang', [100]],
    ['shucheng', [100, 500]],
    ['municipal-template', []],
  ])('%s compares the total investment with %j 万元', (city, expected) => {
    expect(investmentThresholdsWan(loadChecklist(city))).toEqual(expected);
  });

  it('finds a threshold in a local fact’s definition (yiyang planned := totalInvestmentWan > 50)', () => {
    const yiyang = loadChecklist('yiyang');
    expect(investmentThresholdsWan({ ...yiyang, rows: [], boundRules: [] })).toEqual([50]);
  });

  it('has no 400 or 2000: the seeds name them, but no checklist condition turns on them', () => {
    expect(shippedInvestmentThresholdsWan()).toEqual([50, 100, 200, 500, 1000]);
  });

  it('GEN-03 names exactly the thresholds the shipped checklists use', () => {
    const gen03 = loadCommonRules().find((r) => r.id === 'GEN-03')!;
    expect(gen03.params.thresholds).toEqual(shippedInvestmentThresholdsWan());
  });
});
