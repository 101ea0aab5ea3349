import type { BoundCondition, BoundExpr } from './bind.ts';

/** Conditions rendered for people, in Chinese. */

export interface FactWording {
  label: string;
  valueLabels?: Readonly<Record<string, string>>;
}

/** The condition in words, e.g. "项目总投资（万元） ≥ 50 或 已委托监理". Facts without wording keep their names. */
export function describeCondition(condition: BoundCondition, wording: (fact: string) => FactWording | undefined): string {
  if (condition.always) return '无条件';
  return describe(condition.expr, wording, 0);
}

const PRECEDENCE = { or: 1, and: 2, not: 3, cmp: 4 } as const;

function describe(e: BoundExpr, wording: (fact: string) => FactWording | undefined, parent: number): string {
  const wrap = (own: number, text: string) => (own < parent ? `（${text}）` : text);
  switch (e.kind) {
    case 'bool':
      return e.value ? '是' : '否';
    case 'num':
      return e.value.d === 1n ? e.value.n.toString() : (Number(e.value.n) / Number(e.value.d)).toString();
    case 'str':
      return e.value;
    case 'fact':
      return wording(e.name)?.label ?? e.name;
    case 'not':
      return e.operand.kind === 'fact' ? `${describe(e.operand, wording, 0)}为否` : `并非（${describe(e.operand, wording, 0)}）`;
    case 'and':
      return wrap(PRECEDENCE.and, `${describe(e.left, wording, PRECEDENCE.and)} 且 ${describe(e.right, wording, PRECEDENCE.and)}`);
    case 'or':
      return wrap(PRECEDENCE.or, `${describe(e.left, wording, PRECEDENCE.or)} 或 ${describe(e.right, wording, PRECEDENCE.or)}`);
    case 'cmp': {
      const symbol = { '==': '=', '!=': '≠', '>=': '≥', '<=': '≤', '>': '>', '<': '<' }[e.op];
      const enumFact = e.left.kind === 'fact' ? wording(e.left.name) : undefined;
      const right = e.right.kind === 'str' && enumFact?.valueLabels?.[e.right.value] ? enumFact.valueLabels[e.right.value]! : describe(e.right, wording, PRECEDENCE.cmp);
      return `${describe(e.left, wording, PRECEDENCE.cmp)} ${symbol} ${right}`;
    }
    case 'contains': {
      const setFact = e.set.kind === 'fact' ? wording(e.set.name) : undefined;
      return `${describe(e.set, wording, PRECEDENCE.cmp)}含${setFact?.valueLabels?.[e.member] ?? e.member}`;
    }
    case 'arith':
      return `${describe(e.left, wording, PRECEDENCE.cmp)} ${e.op === '*' ? '×' : e.op === '/' ? '÷' : e.op} ${describe(e.right, wording, PRECEDENCE.cmp)}`;
    case 'neg':
      return `-${describe(e.operand, wording, PRECEDENCE.cmp)}`;
    case 'coalesce':
      return `${describe(e.left, wording, PRECEDENCE.cmp)}（未知时取${describe(e.right, wording, PRECEDENCE.cmp)}）`;
  }
}
