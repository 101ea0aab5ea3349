import type { BoundExpr } from '../conditions/index.ts';
import type { LoadedChecklist } from '../load.ts';

/**
 * The 万元 amounts at which a checklist's outcome changes with the project's total investment: every constant that a
 * row condition, not-applicable condition, alternative guard, local or global fact derivation, or rule applicability
 * compares `totalInvestmentWan` with (changde: 50; shucheng: 100 and 500). Read from the checklist, so a threshold no
 * checklist uses is never reported.
 */
export function investmentThresholdsWan(checklist: LoadedChecklist, fact = 'totalInvestmentWan'): number[] {
  const expressions: BoundExpr[] = [
    ...checklist.rows.flatMap((row) => [
      row.condition.expr,
      ...(row.naWhen ? [row.naWhen.expr] : []),
      ...row.requirement.alternatives.flatMap((alt) => (alt.guard ? [alt.guard.expr] : [])),
    ]),
    ...checklist.localFacts.map((local) => local.derivation.expr),
    ...[...checklist.facts.derivations.values()].map((derivation) => derivation.expr),
    ...checklist.boundRules.map((bound) => bound.appliesWhen.expr),
  ];
  const found = new Set<number>();
  for (const expr of expressions) collectThresholds(expr, fact, found);
  return [...found].sort((a, b) => a - b);
}

/** Constants compared directly with the fact (`totalInvestmentWan >= 50`, `100 < totalInvestmentWan`). */
function collectThresholds(expr: BoundExpr, fact: string, found: Set<number>): void {
  switch (expr.kind) {
    case 'cmp': {
      const [factSide, other] = expr.left.kind === 'fact' ? [expr.left, expr.right] : [expr.right, expr.left];
      if (factSide.kind === 'fact' && factSide.name === fact && other.kind === 'num') found.add(Number(other.value.n) / Number(other.value.d));
      collectThresholds(expr.left, fact, found);
      collectThresholds(expr.right, fact, found);
      return;
    }
    case 'not':
    case 'neg':
      collectThresholds(expr.operand, fact, found);
      return;
    case 'and':
    case 'or':
    case 'arith':
    case 'coalesce':
      collectThresholds(expr.left, fact, found);
      collectThresholds(expr.right, fact, found);
      return;
    default:
      return;
  }
}
