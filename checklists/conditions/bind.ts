import { ConditionError, parseCondition, type ArithmeticOperator, type ComparisonOperator, type Expr } from './parse.ts';
import { rationalFromDecimal, type Rational } from '../../extractors/fields/decimal.ts';

/**
 * Binding and type checking: identifiers resolve to facts (or to values of the enum or set they are compared with,
 * `projectKind == new`), and every operator must fit its operands. Dates are ISO `YYYY-MM-DD` strings and compare as
 * such.
 */

export type FactType = 'boolean' | 'number' | 'integer' | 'date' | 'enum' | 'set' | 'string';

/** What the binder needs to know of a fact. */
export interface FactSignature {
  type: FactType;
  values?: readonly string[];
}
export type FactTable = ReadonlyMap<string, FactSignature>;

/** Bound: every identifier is a fact reference or a string literal of an enum value. */
export type BoundExpr =
  | { kind: 'bool'; value: boolean }
  | { kind: 'num'; value: Rational }
  | { kind: 'str'; value: string }
  | { kind: 'fact'; name: string; type: FactType }
  | { kind: 'not'; operand: BoundExpr }
  | { kind: 'and' | 'or'; left: BoundExpr; right: BoundExpr }
  | { kind: 'cmp'; op: ComparisonOperator; left: BoundExpr; right: BoundExpr }
  | { kind: 'contains'; set: BoundExpr; member: string }
  | { kind: 'arith'; op: ArithmeticOperator; left: BoundExpr; right: BoundExpr }
  | { kind: 'neg'; operand: BoundExpr }
  | { kind: 'coalesce'; left: BoundExpr; right: BoundExpr };

export interface BoundCondition {
  source: string;
  always: boolean;
  expr: BoundExpr;
  /** Facts the condition reads, in order of first use. */
  facts: string[];
}

type ValueType = 'boolean' | 'number' | 'date' | 'string' | 'set' | 'enum-literal';

interface Typed {
  expr: BoundExpr;
  type: ValueType;
  /** For enum facts: their values, so that a bare identifier on the other side can be read as one of them. */
  enumValues?: readonly string[];
}

/**
 * Resolves identifiers against the facts and checks that operators fit their operands. Reports every problem it
 * finds rather than the first, so that a checklist author sees all of them at once.
 */
function bindTyped(source: string, facts: FactTable): { expr: BoundExpr; type: ValueType; facts: string[]; problems: string[] } {
  const parsed = parseCondition(source);
  const problems: string[] = [];
  const used: string[] = [];

  const use = (name: string) => {
    if (!used.includes(name)) used.push(name);
  };

  const valueTypeOf = (t: FactType): ValueType => (t === 'integer' ? 'number' : t === 'enum' ? 'string' : t);

  const bind = (e: Expr): Typed => {
    switch (e.kind) {
      case 'bool':
        return { expr: e, type: 'boolean' };
      case 'num':
        return { expr: { kind: 'num', value: rationalFromDecimal(e.text) }, type: 'number' };
      case 'ident': {
        const sig = facts.get(e.name);
        if (!sig) {
          // Possibly an enum value; the comparison decides, and reports it if it is not.
          return { expr: { kind: 'str', value: e.name }, type: 'enum-literal' };
        }
        use(e.name);
        return { expr: { kind: 'fact', name: e.name, type: sig.type }, type: valueTypeOf(sig.type), enumValues: sig.type === 'enum' ? sig.values : undefined };
      }
      case 'not': {
        const operand = expectBoolean(bind(e.operand), '“!”');
        return { expr: { kind: 'not', operand }, type: 'boolean' };
      }
      case 'and':
      case 'or': {
        const name = e.kind === 'and' ? '“&&”' : '“||”';
        return { expr: { kind: e.kind, left: expectBoolean(bind(e.left), name), right: expectBoolean(bind(e.right), name) }, type: 'boolean' };
      }
      case 'cmp':
        return bindComparison(e);
      case 'contains': {
        const set = bind(e.set);
        if (set.type !== 'set') {
          problems.push(`“contains/∈”的左边应为集合事实，实为${describeOperand(set)}`);
        } else if (set.expr.kind === 'fact') {
          const values = facts.get(set.expr.name)?.values;
          if (values && !values.includes(e.member)) problems.push(`“${e.member}”不是集合事实 ${set.expr.name} 的取值（可选：${values.join('、')}）`);
        }
        return { expr: { kind: 'contains', set: set.expr, member: e.member }, type: 'boolean' };
      }
      case 'arith': {
        const left = expectNumber(bind(e.left), `“${e.op}”`);
        const right = expectNumber(bind(e.right), `“${e.op}”`);
        return { expr: { kind: 'arith', op: e.op, left, right }, type: 'number' };
      }
      case 'neg':
        return { expr: { kind: 'neg', operand: expectNumber(bind(e.operand), '负号') }, type: 'number' };
      case 'coalesce': {
        const left = bind(e.left);
        const right = bind(e.right);
        if (left.type !== right.type) problems.push(`“??”两边类型不同：${describeOperand(left)} 与 ${describeOperand(right)}`);
        return { expr: { kind: 'coalesce', left: left.expr, right: right.expr }, type: left.type, enumValues: left.enumValues };
      }
    }
  };

  const bindComparison = (e: Extract<Expr, { kind: 'cmp' }>): Typed => {
    const left = bind(e.left);
    const right = bind(e.right);
    const result: Typed = { expr: { kind: 'cmp', op: e.op, left: left.expr, right: right.expr }, type: 'boolean' };
    const ordered = ['>=', '<=', '>', '<'].includes(e.op);
    // An enum compared with a bare identifier: the identifier is one of the enum's values.
    const enumAgainstValue = (enumSide: Typed, other: Typed): boolean => {
      if (!enumSide.enumValues || other.type !== 'enum-literal' || other.expr.kind !== 'str') return false;
      if (!enumSide.enumValues.includes(other.expr.value)) {
        problems.push(`“${other.expr.value}”不是 ${describeOperand(enumSide)} 的取值（可选：${enumSide.enumValues.join('、')}）`);
      }
      if (ordered) problems.push(`枚举事实 ${describeOperand(enumSide)} 只能用“==”或“!=”比较`);
      return true;
    };
    if (enumAgainstValue(left, right) || enumAgainstValue(right, left)) return result;
    reportUnknownIdentifier(left);
    reportUnknownIdentifier(right);
    if (left.type === 'enum-literal' || right.type === 'enum-literal') return result;
    if (left.type !== right.type) {
      problems.push(`“${e.op}”两边类型不同：${describeOperand(left)} 与 ${describeOperand(right)}`);
    } else if (left.type === 'set') {
      problems.push(`集合不能用“${e.op}”比较，请用 contains`);
    } else if (ordered && left.type !== 'number' && left.type !== 'date') {
      problems.push(`“${e.op}”只能比较数值或日期，实为${describeOperand(left)}`);
    }
    return result;
  };

  const reportUnknownIdentifier = (t: Typed) => {
    if (t.type === 'enum-literal' && t.expr.kind === 'str') problems.push(`未知事实 ${t.expr.value}`);
  };

  const expectBoolean = (t: Typed, where: string): BoundExpr => {
    if (t.type === 'enum-literal') reportUnknownIdentifier(t);
    else if (t.type !== 'boolean') problems.push(`${where}的操作数应为布尔值，实为${describeOperand(t)}`);
    return t.expr;
  };

  const expectNumber = (t: Typed, where: string): BoundExpr => {
    if (t.type === 'enum-literal') reportUnknownIdentifier(t);
    else if (t.type !== 'number') problems.push(`${where}的操作数应为数值，实为${describeOperand(t)}`);
    return t.expr;
  };

  const top = bind(parsed);
  if (top.type === 'enum-literal') reportUnknownIdentifier(top);
  return { expr: top.expr, type: top.type, facts: used, problems };
}

/**
 * Resolves identifiers against the facts and checks that operators fit their operands. Reports every problem it
 * finds rather than the first, so that a checklist author sees all of them at once. Throws ConditionError.
 */
export function bindCondition(source: string, facts: FactTable): BoundCondition {
  const { expr, type, facts: used, problems } = bindTyped(source, facts);
  if (type !== 'boolean' && type !== 'enum-literal') problems.push(`条件的结果应为布尔值，实为${TYPE_NAMES[type]}`);
  if (problems.length > 0) throw new ConditionError(source, problems);
  const text = source.trim();
  return { source: text === '' ? 'always' : text, always: text === '' || text === 'always', expr, facts: used };
}

/** A bound expression of any type, e.g. a numeric fact derivation. */
export interface BoundExpression {
  source: string;
  expr: BoundExpr;
  facts: string[];
}

/** Binds an expression whose value must fit a fact of type `type` (derivations in facts.yaml). Throws ConditionError. */
export function bindExpression(source: string, facts: FactTable, type: FactType): BoundExpression {
  const { expr, type: actual, facts: used, problems } = bindTyped(source, facts);
  const expected: ValueType = type === 'integer' ? 'number' : type === 'enum' ? 'string' : type;
  if (actual !== expected && actual !== 'enum-literal') problems.push(`表达式的结果应为${TYPE_NAMES[expected]}，实为${TYPE_NAMES[actual]}`);
  if (problems.length > 0) throw new ConditionError(source, problems);
  return { source: source.trim(), expr, facts: used };
}

const TYPE_NAMES: Record<ValueType, string> = {
  boolean: '布尔值',
  number: '数值',
  date: '日期',
  string: '文本',
  set: '集合',
  'enum-literal': '未知名称',
};

function describeOperand(t: Typed): string {
  if (t.expr.kind === 'fact') return `${t.expr.name}（${TYPE_NAMES[t.type]}）`;
  return TYPE_NAMES[t.type];
}
