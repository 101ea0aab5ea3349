import type { BoundCondition, BoundExpr, BoundExpression, FactType } from './bind.ts';
import type { ComparisonOperator } from './parse.ts';
import { arithmetic, compareRational, isRational, rational, rationalFromNumber, type Rational } from '../../extractors/fields/decimal.ts';

/** Three-valued evaluation of bound conditions and derivations. */

export type FactValue = boolean | number | string | readonly string[];
export type Truth = true | false | 'unknown';

/** How the evaluator learns a fact: a value, or unknown because of these (root) facts. */
export type FactLookup = (name: string) => { known: true; value: FactValue } | { known: false; unknownFacts: string[] };

export interface ConditionOutcome {
  value: Truth;
  /** When `value` is 'unknown': the facts whose absence made it so (never empty then). Otherwise empty. */
  unknownFacts: string[];
}

type RuntimeValue = boolean | Rational | string | readonly string[];
type Value = { known: true; v: RuntimeValue } | { known: false; facts: string[] };

function unknown(...sets: string[][]): Value {
  const facts: string[] = [];
  for (const s of sets) for (const f of s) if (!facts.includes(f)) facts.push(f);
  return { known: false, facts };
}

/**
 * Kleene logic: `false && unknown` is false and `true || unknown` is true, so an unknown fact only makes a row
 * indeterminate when the answer really depends on it; the unknown facts reported are exactly those.
 */
export function evaluateCondition(condition: BoundCondition, lookup: FactLookup): ConditionOutcome {
  const result = evaluate(condition.expr, lookup);
  if (!result.known) return { value: 'unknown', unknownFacts: result.facts };
  if (typeof result.v !== 'boolean') throw new TypeError(`条件“${condition.source}”的结果不是布尔值`);
  return { value: result.v, unknownFacts: [] };
}

/** Evaluates a derivation; numbers come back as JavaScript numbers (exact for the decimals people write). */
export function evaluateExpression(expression: BoundExpression, lookup: FactLookup): { known: true; value: FactValue } | { known: false; unknownFacts: string[] } {
  const result = evaluate(expression.expr, lookup);
  if (!result.known) return { known: false, unknownFacts: result.facts };
  const v = result.v;
  return { known: true, value: isRational(v) ? Number(v.n) / Number(v.d) : v };
}

function evaluate(e: BoundExpr, lookup: FactLookup): Value {
  switch (e.kind) {
    case 'bool':
      return { known: true, v: e.value };
    case 'num':
      return { known: true, v: e.value };
    case 'str':
      return { known: true, v: e.value };
    case 'fact': {
      const found = lookup(e.name);
      if (!found.known) return unknown(found.unknownFacts.length > 0 ? found.unknownFacts : [e.name]);
      return { known: true, v: runtimeValue(e.name, e.type, found.value) };
    }
    case 'not': {
      const v = evaluate(e.operand, lookup);
      return v.known ? { known: true, v: !v.v } : v;
    }
    case 'and': {
      const l = evaluate(e.left, lookup);
      const r = evaluate(e.right, lookup);
      if ((l.known && l.v === false) || (r.known && r.v === false)) return { known: true, v: false };
      if (l.known && r.known) return { known: true, v: true };
      return unknown(l.known ? [] : l.facts, r.known ? [] : r.facts);
    }
    case 'or': {
      const l = evaluate(e.left, lookup);
      const r = evaluate(e.right, lookup);
      if ((l.known && l.v === true) || (r.known && r.v === true)) return { known: true, v: true };
      if (l.known && r.known) return { known: true, v: false };
      return unknown(l.known ? [] : l.facts, r.known ? [] : r.facts);
    }
    case 'cmp': {
      const l = evaluate(e.left, lookup);
      const r = evaluate(e.right, lookup);
      if (!l.known || !r.known) return unknown(l.known ? [] : l.facts, r.known ? [] : r.facts);
      return { known: true, v: compareValues(e.op, l.v, r.v) };
    }
    case 'contains': {
      const s = evaluate(e.set, lookup);
      if (!s.known) return s;
      return { known: true, v: (s.v as readonly string[]).includes(e.member) };
    }
    case 'arith': {
      const l = evaluate(e.left, lookup);
      const r = evaluate(e.right, lookup);
      if (!l.known || !r.known) return unknown(l.known ? [] : l.facts, r.known ? [] : r.facts);
      const b = r.v as Rational;
      // Division by a zero amount (a ratio of an empty total) cannot be decided.
      if (e.op === '/' && b.n === 0n) return unknown(collectFacts(e.right));
      return { known: true, v: arithmetic(e.op, l.v as Rational, b) };
    }
    case 'neg': {
      const v = evaluate(e.operand, lookup);
      return v.known ? { known: true, v: rational(-(v.v as Rational).n, (v.v as Rational).d) } : v;
    }
    case 'coalesce': {
      const l = evaluate(e.left, lookup);
      if (l.known) return l;
      const r = evaluate(e.right, lookup);
      return r.known ? r : unknown(l.facts, r.facts);
    }
  }
}

function collectFacts(e: BoundExpr): string[] {
  switch (e.kind) {
    case 'fact':
      return [e.name];
    case 'not':
    case 'neg':
      return collectFacts(e.operand);
    case 'and':
    case 'or':
    case 'cmp':
    case 'arith':
    case 'coalesce':
      return [...collectFacts(e.left), ...collectFacts(e.right)];
    case 'contains':
      return collectFacts(e.set);
    default:
      return [];
  }
}

function compareValues(op: ComparisonOperator, a: RuntimeValue, b: RuntimeValue): boolean {
  let order: number;
  if (isRational(a) && isRational(b)) order = compareRational(a, b);
  else if (typeof a === 'string' && typeof b === 'string') order = a < b ? -1 : a > b ? 1 : 0;
  else if (typeof a === 'boolean' && typeof b === 'boolean') order = a === b ? 0 : 1;
  else throw new TypeError('比较的两边类型不同');
  switch (op) {
    case '==':
      return order === 0;
    case '!=':
      return order !== 0;
    case '>=':
      return order >= 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '<':
      return order < 0;
  }
}

/** Checks a supplied fact value against its type; a mismatch is a caller's bug, reported loudly. */
function runtimeValue(name: string, type: FactType, value: FactValue): RuntimeValue {
  switch (type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      break;
    case 'number':
    case 'integer':
      if (typeof value === 'number' && Number.isFinite(value)) return rationalFromNumber(value);
      break;
    case 'date':
      if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
      break;
    case 'enum':
    case 'string':
      if (typeof value === 'string') return value;
      break;
    case 'set':
      if (Array.isArray(value)) return value;
      break;
  }
  throw new TypeError(`事实 ${name} 的值 ${JSON.stringify(value)} 不是${type}类型`);
}
