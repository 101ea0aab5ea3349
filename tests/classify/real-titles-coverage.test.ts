import { describe, expect, it } from 'vitest';
import { COVERAGE_REQUIREMENT, coverageShortfall } from './real-titles/measure.ts';

/**
 * Issue 9's size requirement for the real-title table (dev + holdout together): it says where the table is short,
 * by counts only, so running it reveals nothing of the holdout half.
 */
describe('when the real-title table is measured for coverage', () => {
  it(`holds ≥ ${COVERAGE_REQUIREMENT.titles} titles, ≥ ${COVERAGE_REQUIREMENT.perRequiredType} for each type a checklist requires and ≥ ${COVERAGE_REQUIREMENT.none} that are none of ours`, () => {
    const shortfall = coverageShortfall();
    expect(shortfall, `真实标题表未达到覆盖要求：\n${shortfall.join('\n')}`).toEqual([]);
  });
});
