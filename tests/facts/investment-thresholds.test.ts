import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { investmentThresholdsWan, thresholdsStraddled } from '../../checklists/facts/index.ts';
import { JURISDICTIONS_DIR, listChecklists, loadChecklist, prepareChecklist, readDataFile } from '../../checklists/load.ts';

describe('the investment thresholds are the ones each checklist’s conditions use', () => {
  it('reads them from row conditions, guards, local facts and rules', () => {
    expect(investmentThresholdsWan(loadChecklist('changde'))).toEqual([50]);
    expect(investmentThresholdsWan(loadChecklist('shenyang'))).toEqual([100]);
    expect(investmentThresholdsWan(loadChecklist('shucheng'))).toEqual([100, 500]);
    // yiyang's 50 is its local fact `planned := totalInvestmentWan > 50`, 200 also its YY-P02 rule, 500 its YY-Q01
    // rule (第十条: from 500万 the design is drafted by a professional agency).
    expect(investmentThresholdsWan(loadChecklist('yiyang'))).toEqual([50, 200, 500, 1000]);
    expect(investmentThresholdsWan(loadChecklist('municipal-template'))).toEqual([]);
  });

  it('never names an amount that no checklist compares the investment with (400, 2000)', () => {
    const all = new Set(listChecklists().flatMap((c) => investmentThresholdsWan(loadChecklist(c.id))));
    expect([...all].sort((a, b) => a - b)).toEqual([50, 100, 200, 500, 1000]);
  });

  it('follows a checklist file that adds a threshold of its own', () => {
    const raw = readDataFile(join(JURISDICTIONS_DIR, 'changde.yaml')) as { rows: Array<{ condition: string }> };
    raw.rows.find((r) => r.condition === 'always')!.condition = '300 <= totalInvestmentWan';
    expect(investmentThresholdsWan(prepareChecklist(raw))).toEqual([50, 300]);
  });
});

describe('when stated totals are compared with a threshold', () => {
  it('counts a total at the threshold as reaching it and one just below as not (exact decimals)', () => {
    expect(thresholdsStraddled(['49.99', '50'], [50, 100])).toEqual([50]);
    expect(thresholdsStraddled(['50', '99.99'], [50, 100])).toEqual([]);
    expect(thresholdsStraddled(['45', '120'], [50, 100, 200])).toEqual([50, 100]);
  });
});
