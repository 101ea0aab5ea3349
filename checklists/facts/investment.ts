import { addDecimalStrings, compareDecimalStrings, formatDecimal, parseDecimal, shiftDecimal } from '../../extractors/fields/decimal.ts';
import { compareProjectNames } from '../../extractors/fields/orgs.ts';
import type { AmountValue, FieldCandidate } from '../../extractors/fields/schema.ts';
import { buildField, collect, inGroup, pick, provenanceOf, score, valueKey, vote, type Evidence } from './evidence.ts';
import type { DocTypeGroups, DossierFactsInput, FactsDocument } from './input.ts';
import type { AggregatedField, AggregatedFieldName, FieldConflict } from './schema.ts';

/**
 * The project's amounts: the total investment by tiers of documents (the approved figure prevails), the approved,
 * reviewed and planned figures, and the contract sums. A disagreement among stated totals is a conflict that names the
 * checklist's thresholds the totals fall on different sides of (material for GEN-03).
 */

const amountOf = (c: FieldCandidate): AmountValue | null => (c.value.kind === 'amount' && c.value.wan !== null ? c.value : null);

/** The thresholds (万元) that some of the values reach and others do not. */
export function thresholdsStraddled(valuesWan: readonly string[], thresholdsWan: readonly number[]): number[] {
  return thresholdsWan.filter((t) => {
    const sides = new Set(valuesWan.map((v) => compareDecimalStrings(v, String(t))));
    return sides.has(-1) && (sides.has(0) || sides.has(1));
  });
}

/**
 * totalInvestmentWan: the approved total if present, else the reviewed amount, else the estimate, else the
 * application form, else the proposal or feasibility report; never a contract price. A document quoting the approved
 * figure ("经…批复…总投资120万元") counts as approval evidence. Lower tier = better.
 */
function investmentTier(catalogue: DocTypeGroups, c: FieldCandidate, doc: FactsDocument, project: string | null): number | null {
  if (c.field === 'planEntry') {
    if (c.value.kind !== 'planEntry' || !c.value.amount?.wan || !project) return null;
    return compareProjectNames(c.value.projectName, project).same ? 3 : null;
  }
  if (c.field === 'reviewedAmount') return inGroup(catalogue, doc, 'review') ? 2 : null;
  if (c.field !== 'totalInvestment' || !amountOf(c)) return null;
  // Inside an approval, a figure the approval itself fixes (核定/批复) beats one it merely mentions.
  if (inGroup(catalogue, doc, 'approvalDecision') && c.basis !== 'planned') return c.basis === 'approved' ? 0 : 0.5;
  if (c.basis === 'approved' || c.basis === 'approvedQuoted') return 1;
  if (c.basis === 'planned') return inGroup(catalogue, doc, 'annualPlan') ? 3 : 7;
  if (inGroup(catalogue, doc, 'review')) return 2.5;
  if (inGroup(catalogue, doc, 'designEstimate')) return 4;
  if (inGroup(catalogue, doc, 'applicationForm')) return 5;
  if (inGroup(catalogue, doc, 'proposal')) return 6;
  return 7;
}

function planEntryAsAmount(c: FieldCandidate): FieldCandidate {
  if (c.value.kind !== 'planEntry' || !c.value.amount) return c;
  return { ...c, value: c.value.amount };
}

function aggregateInvestment(input: DossierFactsInput, project: string | null, conflicts: FieldConflict[]): AggregatedField | null {
  const tiered: Array<Evidence & { tier: number }> = [];
  input.documents.forEach((doc, docIndex) => {
    for (const candidate of doc.candidates) {
      const tier = investmentTier(input.catalogue, candidate, doc, project);
      if (tier === null) continue;
      tiered.push({ candidate: planEntryAsAmount(candidate), doc, docIndex, weight: 1, tier });
    }
  });
  if (tiered.length === 0) return null;
  const bestTier = Math.min(...tiered.map((e) => e.tier));
  const chosen = vote(
    tiered.filter((e) => e.tier === bestTier),
    input.catalogue,
  )!;
  // GEN-03 compares stated totals; reviewed and planned figures are other facts and do not count as disagreement.
  const stated = tiered.filter((e) => e.candidate.field === 'totalInvestment' && e.candidate.basis !== 'planned');
  const values = new Map<string, Evidence[]>();
  for (const e of stated) values.set(valueKey(e.candidate.value), [...(values.get(valueKey(e.candidate.value)) ?? []), e]);
  if (values.size > 1) {
    const thresholds = thresholdsStraddled([...values.keys()], input.investmentThresholdsWan);
    conflicts.push({
      field: 'totalInvestmentWan',
      kind: 'values-differ',
      message: thresholds.length
        ? `各文件所载总投资不一致，且分处 ${thresholds.map((t) => `${t}万元`).join('、')} 门槛两侧`
        : '各文件所载总投资不一致',
      chosen: chosen.candidate.value,
      values: [...values.values()].map((list) => ({ value: list[0]!.candidate.value, sources: list.map(provenanceOf) })),
      ...(thresholds.length ? { thresholdsStraddled: thresholds } : {}),
    });
  }
  return buildField(chosen, tiered);
}

/** One figure per contract (the best candidate of each document, documents with the same contract number once), summed. */
function sumAmounts(evidence: Evidence[]): AggregatedField | null {
  const perContract = new Map<string, Evidence>();
  for (const e of evidence) {
    const number = e.doc.candidates.find((c) => c.field === 'contractNumber' && c.value.kind === 'text');
    const key = number && number.value.kind === 'text' ? `no:${number.value.text}` : `path:${e.doc.path}`;
    const previous = perContract.get(key);
    const preferDaxie = (x: Evidence) => (x.candidate.value.kind === 'amount' && x.candidate.value.form === 'daxie' ? 0.01 : 0);
    if (!previous || score(e) + preferDaxie(e) > score(previous) + preferDaxie(previous)) perContract.set(key, e);
  }
  const picked = [...perContract.values()];
  if (picked.length === 0) return null;
  let total = '0';
  for (const e of picked) total = addDecimalStrings(total, amountOf(e.candidate)!.wan!);
  const first = picked[0]!;
  const value: AmountValue =
    picked.length === 1
      ? (first.candidate.value as AmountValue)
      : {
          kind: 'amount',
          wan: total,
          yuan: formatDecimal(shiftDecimal(parseDecimal(total)!, 4)),
          number: total,
          unit: '万元',
          unitSource: 'suffix',
          form: 'arabic',
          raw: picked.map((e) => (e.candidate.value as AmountValue).raw).join(' + '),
        };
  return {
    value,
    provenance: first.candidate.provenance,
    confidence: Math.min(...picked.map((e) => e.candidate.confidence)),
    support: picked.length,
    alternatives: picked.slice(1).map((e) => ({ value: e.candidate.value, provenance: e.candidate.provenance, docTypes: e.doc.docTypes })),
  };
}

/** totalInvestmentWan, approvedEstimateWan, reviewedAmountWan, plannedFundWan, the contract sums and the procurement budget, in that order. */
export function aggregateAmounts(input: DossierFactsInput, project: string | null, conflicts: FieldConflict[]): Partial<Record<AggregatedFieldName, AggregatedField | null>> {
  const { documents, catalogue } = input;
  const totalInvestmentWan = aggregateInvestment(input, project, conflicts);
  const planned = collect(documents, ['planEntry'], (c, doc) =>
    inGroup(catalogue, doc, 'annualPlan') && project && c.value.kind === 'planEntry' && c.value.amount?.wan && compareProjectNames(c.value.projectName, project).same ? 1 : 0,
  ).map((e) => ({ ...e, candidate: planEntryAsAmount(e.candidate) }));
  const plannedChoice = vote(planned, catalogue);
  return {
    totalInvestmentWan,
    approvedEstimateWan: pick(documents, ['totalInvestment'], (doc) => inGroup(catalogue, doc, 'approvalDecision')),
    reviewedAmountWan: pick(documents, ['reviewedAmount'], (doc) => inGroup(catalogue, doc, 'review')),
    plannedFundWan: plannedChoice ? buildField(plannedChoice, planned) : null,
    contractAmountWan: sumAmounts(collect(documents, ['contractAmount'], (c, doc) => (inGroup(catalogue, doc, 'contract') && amountOf(c) ? 1 : 0))),
    projectContractsTotalWan: sumAmounts(collect(documents, ['contractAmount'], (c, doc) => (inGroup(catalogue, doc, 'projectContracts') && amountOf(c) ? 1 : 0))),
    procurementBudgetWan: pick(documents, ['procurementBudget'], (doc) => doc.docTypes.includes('procurement_documents')),
  };
}
