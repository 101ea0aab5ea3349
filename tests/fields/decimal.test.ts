import { describe, expect, it } from 'vitest';
import { bindCondition, evaluateCondition, rationalFromDecimal } from '../../checklists/conditions/index.ts';
import { loadFacts } from '../../checklists/load.ts';
import {
  arithmetic,
  compareRational,
  formatDecimal,
  parseDecimal,
  rational,
  shiftDecimal,
} from '../../extractors/fields/decimal.ts';

describe('one exact number for amounts and conditions', () => {
  it('reads an amount as written and a threshold as written to the same value', () => {
    expect(parseDecimal('1,234.50')).toEqual(rationalFromDecimal('1234.5'));
    expect(compareRational(parseDecimal('49.99')!, rationalFromDecimal('50'))).toBe(-1);
  });

  it('turns 元 into 万元 exactly and writes the canonical decimal', () => {
    expect(formatDecimal(shiftDecimal(parseDecimal('1,234,500')!, -4))).toBe('123.45');
    expect(formatDecimal(shiftDecimal(parseDecimal('123.45')!, 4))).toBe('1234500');
    expect(formatDecimal(parseDecimal('120.00')!)).toBe('120');
    expect(formatDecimal(parseDecimal('-0.00')!)).toBe('0');
    expect(formatDecimal(arithmetic('-', parseDecimal('0.1')!, parseDecimal('0.35')!))).toBe('-0.25');
  });

  it('refuses to write a fraction that has no finite decimal', () => {
    expect(() => formatDecimal(arithmetic('/', rational(1n, 1n), rational(3n, 1n)))).toThrow(RangeError);
  });

  it('decides a condition on amounts without rounding: 110 reaches 1.1 × 100 (floats make it 110.00000000000001)', () => {
    expect(110 >= 1.1 * 100).toBe(false);
    const condition = bindCondition('totalInvestmentWan >= 1.1 * approvedEstimateWan', loadFacts().table);
    const at = (total: number, estimate: number) =>
      evaluateCondition(condition, (name) => ({ known: true, value: name === 'totalInvestmentWan' ? total : estimate })).value;
    expect(at(110, 100)).toBe(true);
    expect(at(109.99, 100)).toBe(false);
  });
});
