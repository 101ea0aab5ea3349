/**
 * The condition language of checklists (a row's `condition`, `naWhen` and `guard`, a rule's `appliesWhen`, a fact's
 * derivation) and its three-valued evaluation: a fact the dossier does not settle leaves the answer unknown, never
 * guessed (../shared/domain/requirements.md §0.2 "Indeterminate", §2.2). Four steps:
 *
 *   parse.ts     text → expression tree (the grammar is written out there)
 *   bind.ts      tree + fact table → bound, type-checked condition; every problem reported at once, in Chinese
 *   evaluate.ts  bound condition + fact look-up → true, false or unknown (Kleene logic), naming the unknown facts
 *   describe.ts  bound condition → words for people ("项目总投资（万元） ≥ 50 或 已委托监理")
 *
 * Numbers are exact decimals throughout (extractors/fields/decimal.ts, the same type as the extracted amounts).
 */

export { ConditionError, parseCondition, type ArithmeticOperator, type ComparisonOperator, type Expr } from './parse.ts';
export { rationalFromDecimal, rationalFromNumber, type Rational } from '../../extractors/fields/decimal.ts';
export {
  bindCondition,
  bindExpression,
  type BoundCondition,
  type BoundExpr,
  type BoundExpression,
  type FactSignature,
  type FactTable,
  type FactType,
} from './bind.ts';
export { evaluateCondition, evaluateExpression, type ConditionOutcome, type FactLookup, type FactValue, type Truth } from './evaluate.ts';
export { describeCondition, type FactWording } from './describe.ts';
