import { z } from 'zod';
import type { LoadedChecklist } from '../checklists/load.ts';
import type { Stage } from './report/schema.ts';

/**
 * The questions the upload form asks: exactly the facts that the jurisdiction's rows of that stage read (row
 * conditions, not-applicable conditions, alternative guards), with derived facts replaced by what they are derived
 * from when that can be declared instead (yiyang's `planned := totalInvestmentWan > 50` asks for the investment).
 */

export const FormFactSchema = z.object({
  name: z.string(),
  label: z.string(),
  question: z.string(),
  type: z.enum(['boolean', 'number', 'integer', 'date', 'enum', 'set', 'string']),
  unit: z.string().optional(),
  values: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  /** Left to the agency by the regulation: the product never guesses it. */
  askable: z.boolean(),
  /** The checker can also read it from the documents; leave empty to let it. */
  derivable: z.boolean(),
  /** Row ids that read this fact. */
  rows: z.array(z.string()),
});
export type FormFact = z.infer<typeof FormFactSchema>;

export function formFacts(checklist: LoadedChecklist, stage: Stage): FormFact[] {
  const rowsByFact = new Map<string, Set<string>>();
  const order: string[] = [];
  const visit = (name: string, rowId: string, depth = 0): void => {
    const local = checklist.localFacts.find((l) => l.name === name);
    const global = checklist.facts.byName.get(name);
    // A fact that can only be computed from others is asked through those others.
    const derivedFrom = local ? local.derivation.facts : global?.provenance === 'derived' && global.derivation ? (checklist.facts.derivations.get(name)?.facts ?? []) : [];
    if (derivedFrom.length > 0 && depth < 4) {
      for (const f of derivedFrom) visit(f, rowId, depth + 1);
      return;
    }
    if (!global) return;
    if (!rowsByFact.has(name)) {
      rowsByFact.set(name, new Set());
      order.push(name);
    }
    rowsByFact.get(name)!.add(rowId);
  };
  const rows = checklist.rows.filter((r) => r.stage === stage);
  // Filing rows belong to a step; which step the dossier is at decides which rows apply.
  if (stage === 'filing' && rows.some((r) => r.step)) for (const r of rows.filter((r) => r.step === 'approval')) visit('filingStep', r.id);
  for (const row of rows) {
    for (const f of row.condition.facts) visit(f, row.id);
    for (const f of row.naWhen?.facts ?? []) visit(f, row.id);
    for (const alt of row.requirement.alternatives) for (const f of alt.guard?.facts ?? []) visit(f, row.id);
  }
  return order.map((name) => {
    const d = checklist.facts.byName.get(name)!;
    return {
      name,
      label: d.label,
      question: d.question,
      type: d.type,
      unit: d.unit,
      values: d.values?.map((v) => ({ value: v, label: d.valueLabels?.[v] ?? v })),
      askable: d.askable,
      derivable: d.provenance !== 'declared',
      rows: [...rowsByFact.get(name)!],
    };
  });
}
