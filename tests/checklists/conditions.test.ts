import { describe, expect, it } from 'vitest';
import {
  bindCondition,
  bindExpression,
  ConditionError,
  describeCondition,
  evaluateCondition,
  evaluateExpression,
  parseCondition,
  type FactTable,
  type FactValue,
} from '../../checklists/conditions/index.ts';

const facts: FactTable = new Map([
  ['totalInvestmentWan', { type: 'number' }],
  ['approvedEstimateWan', { type: 'number' }],
  ['finalInvestmentWan', { type: 'number' }],
  ['settlementAmountWan', { type: 'number' }],
  ['major', { type: 'boolean' }],
  ['hasSupervisor', { type: 'boolean' }],
  ['classified', { type: 'boolean' }],
  ['projectKind', { type: 'enum', values: ['new', 'renovation', 'om'] }],
  ['changeKinds', { type: 'set', values: ['scope', 'tech_params_during_procurement', 'investment'] }],
  ['acceptanceApplicationDate', { type: 'date' }],
  ['contractAgreedAcceptanceDate', { type: 'date' }],
]);

function run(source: string, values: Record<string, FactValue>) {
  return evaluateCondition(bindCondition(source, facts), (name) =>
    name in values ? { known: true, value: values[name]! } : { known: false, unknownFacts: [name] },
  );
}

describe('when parsing conditions', () => {
  it('reads always and the empty condition as true', () => {
    expect(bindCondition('always', facts).always).toBe(true);
    expect(run('always', {}).value).toBe(true);
    expect(parseCondition('')).toEqual({ kind: 'bool', value: true });
  });

  it('binds && tighter than ||, and ! tighter than both', () => {
    expect(parseCondition('!a && b || c')).toEqual({
      kind: 'or',
      left: { kind: 'and', left: { kind: 'not', operand: { kind: 'ident', name: 'a' } }, right: { kind: 'ident', name: 'b' } },
      right: { kind: 'ident', name: 'c' },
    });
  });

  it('reads set membership written either way', () => {
    const a = bindCondition('changeKinds contains scope', facts).expr;
    const b = bindCondition('scope ∈ changeKinds', facts).expr;
    expect(a).toEqual(b);
  });

  it('accepts the ≥ ≤ ≠ spellings of the spec', () => {
    expect(run('totalInvestmentWan ≥ 50', { totalInvestmentWan: 50 }).value).toBe(true);
    expect(run('totalInvestmentWan ≤ 50', { totalInvestmentWan: 50.01 }).value).toBe(false);
  });

  it('lists the facts a condition reads, once each', () => {
    expect(bindCondition('major || totalInvestmentWan >= 50 && !major', facts).facts).toEqual(['major', 'totalInvestmentWan']);
  });
});

describe('when a condition is wrong', () => {
  it.each([
    ['totalInvestment >= 50', '未知事实 totalInvestment'],
    ['projectKind == brandnew', '“brandnew”不是 projectKind（文本） 的取值'],
    ['changeKinds contains everything', '“everything”不是集合事实 changeKinds 的取值'],
    ['major >= 1', '两边类型不同'],
    ['totalInvestmentWan', '条件的结果应为布尔值'],
    ['major &&', '“结尾”处应为事实、数字或括号'],
    ['(major', '缺少右括号'],
    ['major # classified', '无法识别'],
    ['projectKind > new', '只能用“==”或“!=”比较'],
    ['changeKinds == changeKinds', '集合不能用'],
  ])('rejects %s', (source, message) => {
    expect(() => bindCondition(source, facts)).toThrow(ConditionError);
    expect(() => bindCondition(source, facts)).toThrow(message);
  });
});

describe('when evaluating with unknown facts (three-valued)', () => {
  it('is unknown when the answer depends on an unknown fact, naming it', () => {
    expect(run('major', {})).toEqual({ value: 'unknown', unknownFacts: ['major'] });
  });

  it('is false for false && unknown, and true for true || unknown', () => {
    expect(run('classified && major', { classified: false })).toEqual({ value: false, unknownFacts: [] });
    expect(run('totalInvestmentWan >= 50 || hasSupervisor', { totalInvestmentWan: 80 })).toEqual({ value: true, unknownFacts: [] });
  });

  it('names only the facts that matter: true && unknown names the unknown one', () => {
    expect(run('totalInvestmentWan >= 50 && major', { totalInvestmentWan: 80 })).toEqual({ value: 'unknown', unknownFacts: ['major'] });
    expect(run('totalInvestmentWan >= 50 || hasSupervisor', { totalInvestmentWan: 20 })).toEqual({ value: 'unknown', unknownFacts: ['hasSupervisor'] });
  });

  it('names every unknown fact when none is known', () => {
    expect(run('totalInvestmentWan >= 50 || hasSupervisor', {})).toEqual({ value: 'unknown', unknownFacts: ['totalInvestmentWan', 'hasSupervisor'] });
  });

  it('keeps unknown through negation', () => {
    expect(run('!(classified && major)', { classified: true }).value).toBe('unknown');
    expect(run('!(classified && major)', { classified: false }).value).toBe(true);
  });

  it('is unknown for arithmetic over an unknown amount', () => {
    expect(run('finalInvestmentWan > 1.10 * approvedEstimateWan', { finalInvestmentWan: 120 })).toEqual({ value: 'unknown', unknownFacts: ['approvedEstimateWan'] });
  });
});

describe('when comparing amounts (§0.3 exact decimals)', () => {
  it('puts 49.99 below 50 and 50 at 50', () => {
    expect(run('totalInvestmentWan >= 50', { totalInvestmentWan: 49.99 }).value).toBe(false);
    expect(run('totalInvestmentWan >= 50', { totalInvestmentWan: 50 }).value).toBe(true);
  });

  it('does not count exactly 10% over the estimate as "超…10%"', () => {
    // 1.1 * 3 is 3.3000000000000003 in floating point; the decimal reading is exactly 3.3.
    expect(run('finalInvestmentWan > 1.10 * approvedEstimateWan', { finalInvestmentWan: 3.3, approvedEstimateWan: 3 }).value).toBe(false);
    expect(run('finalInvestmentWan > 1.10 * approvedEstimateWan', { finalInvestmentWan: 3.31, approvedEstimateWan: 3 }).value).toBe(true);
    expect(run('finalInvestmentWan >= 1.10 * approvedEstimateWan', { finalInvestmentWan: 110, approvedEstimateWan: 100 }).value).toBe(true);
  });

  it('adds tenths exactly', () => {
    expect(run('totalInvestmentWan + 0.2 == 0.3', { totalInvestmentWan: 0.1 }).value).toBe(true);
  });
});

describe('when comparing enums, sets and dates', () => {
  it('compares an enum with one of its values', () => {
    expect(run('projectKind == new && major', { projectKind: 'new', major: true }).value).toBe(true);
    expect(run('projectKind != new', { projectKind: 'om' }).value).toBe(true);
  });

  it('tests set membership', () => {
    expect(run('changeKinds contains tech_params_during_procurement', { changeKinds: ['scope', 'tech_params_during_procurement'] }).value).toBe(true);
    expect(run('changeKinds contains tech_params_during_procurement', { changeKinds: [] }).value).toBe(false);
  });

  it('orders ISO dates', () => {
    const c = 'acceptanceApplicationDate > contractAgreedAcceptanceDate';
    expect(run(c, { acceptanceApplicationDate: '2024-03-01', contractAgreedAcceptanceDate: '2024-02-29' }).value).toBe(true);
    expect(run(c, { acceptanceApplicationDate: '2024-02-29', contractAgreedAcceptanceDate: '2024-02-29' }).value).toBe(false);
    expect(run(c, { acceptanceApplicationDate: '2024-03-01' })).toEqual({ value: 'unknown', unknownFacts: ['contractAgreedAcceptanceDate'] });
  });

  it('rejects a value of the wrong type at run time', () => {
    expect(() => run('major', { major: 'yes' })).toThrow(/事实 major 的值/);
  });
});

describe('when deriving a value', () => {
  const expr = bindExpression('settlementAmountWan ?? finalInvestmentWan', facts, 'number');
  const lookup = (values: Record<string, FactValue>) => (name: string) =>
    name in values ? { known: true as const, value: values[name]! } : { known: false as const, unknownFacts: [name] };

  it('takes the left side when known', () => {
    expect(evaluateExpression(expr, lookup({ settlementAmountWan: 90, finalInvestmentWan: 100 }))).toEqual({ known: true, value: 90 });
  });

  it('falls back to the right side, and names both when neither is known', () => {
    expect(evaluateExpression(expr, lookup({ finalInvestmentWan: 100 }))).toEqual({ known: true, value: 100 });
    expect(evaluateExpression(expr, lookup({}))).toEqual({ known: false, unknownFacts: ['settlementAmountWan', 'finalInvestmentWan'] });
  });

  it('rejects a derivation whose type does not fit the fact', () => {
    expect(() => bindExpression('major', facts, 'number')).toThrow('表达式的结果应为数值');
  });
});

describe('when describing a condition for people', () => {
  const wording = (name: string) =>
    ({
      totalInvestmentWan: { label: '项目总投资（万元）' },
      hasSupervisor: { label: '已委托监理' },
      classified: { label: '涉密项目' },
      changeKinds: { label: '变更类别', valueLabels: { tech_params_during_procurement: '招标采购过程中变更技术参数' } },
    })[name];

  it('uses labels and Chinese connectives', () => {
    expect(describeCondition(bindCondition('totalInvestmentWan >= 50 || hasSupervisor', facts), wording)).toBe('项目总投资（万元） ≥ 50 或 已委托监理');
    expect(describeCondition(bindCondition('!classified', facts), wording)).toBe('涉密项目为否');
    expect(describeCondition(bindCondition('changeKinds contains tech_params_during_procurement', facts), wording)).toBe('变更类别含招标采购过程中变更技术参数');
  });

  it('brackets an or inside an and', () => {
    expect(describeCondition(bindCondition('classified && (hasSupervisor || major)', facts), wording)).toBe('涉密项目 且 （已委托监理 或 major）');
  });
});
