import type { BoundExpr } from './conditions/index.ts';
import { listChecklists, loadChecklist, type LoadedChecklist } from './load.ts';

/**
 * The 万元 thresholds of a checklist, read from its data rather than kept as a list in code: every number that one of
 * its conditions (row conditions, naWhen, alternative guards, rule appliesWhen, local and global fact derivations)
 * compares an amount fact with. yiyang's `totalInvestmentWan >= 1000` makes 1000 a threshold; a figure the seeds name
 * without any dossier effect (yiyang 第四条 "2000万元以上 … 纳入年度审计项目计划") is in no condition and is none.
 */
export function investmentThresholdsWan(checklist: LoadedChecklist, fact = 'totalInvestmentWan'): number[] {
  const found = new Set<number>();
  const visit = (e: BoundExpr): void => {
    switch (e.kind) {
      case 'cmp': {
        const number = comparedNumber(e.left, e.right, fact) ?? comparedNumber(e.right, e.left, fact);
        if (number !== undefined) found.add(number);
        visit(e.left);
        visit(e.right);
        return;
      }
      case 'and':
      case 'or':
      case 'arith':
      case 'coalesce':
        visit(e.left);
        visit(e.right);
        return;
      case 'not':
      case 'neg':
        visit(e.operand);
        return;
      case 'contains':
        visit(e.set);
        return;
      default:
        return;
    }
  };
  for (const row of checklist.rows) {
    visit(row.condition.expr);
    if (row.naWhen) visit(row.naWhen.expr);
    for (const alternative of row.requirement.alternatives) if (alternative.guard) visit(alternative.guard.expr);
  }
  for (const rule of checklist.boundRules) visit(rule.appliesWhen.expr);
  for (const local of checklist.localFacts) visit(local.derivation.expr);
  for (const derivation of checklist.facts.derivations.values()) visit(derivation.expr);
  return [...found].sort((a, b) => a - b);
}

/** The thresholds of every shipped checklist together, for code that runs before a jurisdiction is chosen. */
export function shippedInvestmentThresholdsWan(fact = 'totalInvestmentWan'): number[] {
  const all = new Set(listChecklists().flatMap((c) => investmentThresholdsWan(loadChecklist(c.path), fact)));
  return [...all].sort((a, b) => a - b);
}

/** `fact <op> 50`: the number, when `side` is the fact itself and `other` a plain number. */
function comparedNumber(side: BoundExpr, other: BoundExpr, fact: string): number | undefined {
  if (side.kind !== 'fact' || side.name !== fact || other.kind !== 'num') return undefined;
  return Number(other.value.n) / Number(other.value.d);
}
