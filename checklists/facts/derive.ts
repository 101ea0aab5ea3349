import { resolveRelative } from '../../extractors/fields/dates.ts';
import type { FactTable, FactValue } from '../conditions/index.ts';
import type { EffectiveFact, FactInput } from '../presence/schema.ts';
import type { RuleEvidence } from '../rules/context.ts';
import type { DeclaredFacts } from './declared.ts';
import { fieldValueToScalar } from './scalar.ts';
import type { AggregatedFields } from './schema.ts';
import type { ClockEvent } from '../clock.ts';
import { eventFacts } from './events.ts';
import { termFacts } from './terms.ts';

/**
 * The dossier's facts (checklists/facts.yaml): what the user declared wins; the fields the documents state fill the
 * rest, each naming where it was read.
 */

/** Aggregated fields that are facts (or dates the rules compare), with how to read them. */
const FACT_FIELDS: Record<string, 'number' | 'date' | 'string'> = {
  totalInvestmentWan: 'number',
  approvedEstimateWan: 'number',
  reviewedAmountWan: 'number',
  plannedFundWan: 'number',
  contractAmountWan: 'number',
  projectContractsTotalWan: 'number',
  approvalDate: 'date',
  filingDate: 'date',
  procurementNoticeDate: 'date',
  mainContractDate: 'date',
  supervisionContractDate: 'date',
  constructionStartDate: 'date',
  trialRunStartDate: 'date',
  trialRunEndDate: 'date',
  trialRunReportDate: 'date',
  preliminaryAcceptanceDate: 'date',
  selfInspectionDate: 'date',
  acceptanceApplicationDate: 'date',
  acceptanceDate: 'date',
  formalOperationDate: 'date',
  trialRunConclusion: 'string',
  preliminaryAcceptanceConclusion: 'string',
  contractor: 'string',
  supervisor: 'string',
  constructionUnit: 'string',
  preliminaryAcceptanceOrganizer: 'string',
};

export interface DossierFact {
  value?: FactValue | null;
  source: 'declared' | 'derived';
  from?: string;
  evidence?: RuleEvidence[];
}

/**
 * Declared facts win; fields the documents state fill the rest, each naming its source; the office's record of the
 * dossier (受理, 收齐: events.ts) gives the dates no document states.
 */
export function factsFromFields(declared: DeclaredFacts, fields: AggregatedFields, events: readonly ClockEvent[] = []): Record<string, DossierFact> {
  const facts: Record<string, DossierFact> = {};
  for (const [name, kind] of Object.entries(FACT_FIELDS)) {
    const field = fields.fields[name];
    if (!field) continue;
    const scalar = fieldValueToScalar(field.value);
    if (scalar === null) continue;
    const value: FactValue = kind === 'number' ? Number(scalar) : scalar;
    if (kind === 'number' && !Number.isFinite(value)) continue;
    const p = field.provenance;
    facts[name] = {
      value,
      source: 'derived',
      from: `${p.path} 第${p.page}页「${p.label}」`,
      evidence: [{ path: p.path, page: p.page, quote: p.quote, source: p.source, label: p.label }],
    };
  }
  const agreed = contractAgreedAcceptanceDate(fields, facts.mainContractDate);
  if (agreed) facts.contractAgreedAcceptanceDate = agreed;
  if (fields.terms) for (const [name, fact] of Object.entries(termFacts(fields.terms))) facts[name] ??= fact;
  for (const [name, fact] of Object.entries(eventFacts(events))) facts[name] ??= fact;
  for (const [name, value] of Object.entries(declared)) facts[name] = { value, source: 'declared' };
  return facts;
}

/**
 * shucheng 第二十一条 "合同约定时间": a date the contract states, or a period from the signing ("合同签订之日起300日内")
 * counted from the contract date.
 */
function contractAgreedAcceptanceDate(fields: AggregatedFields, contractDate: DossierFact | undefined): DossierFact | null {
  const field = fields.fields.contractAgreedAcceptance;
  if (!field) return null;
  const p = field.provenance;
  const evidence = [{ path: p.path, page: p.page, quote: p.quote, source: p.source, label: p.label }];
  const value = field.value;
  if (value.kind === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(value.iso)) return { value: value.iso, source: 'derived', from: `${p.path}「${p.quote}」`, evidence };
  if (value.kind !== 'relativeDate' || !/签订|签署|生效/.test(value.anchor)) return null;
  if (typeof contractDate?.value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(contractDate.value)) return null;
  const resolved = resolveRelative({ kind: 'relative', raw: p.quote, anchor: value.anchor, amount: value.amount, unit: value.unit, bound: value.bound }, contractDate.value);
  if (!resolved) return null;
  return {
    value: resolved,
    source: 'derived',
    from: `${p.path}「${p.quote}」，自合同签订日 ${contractDate.value} 起算`,
    evidence: [...evidence, ...(contractDate.evidence ?? [])],
  };
}

/**
 * The facts the presence evaluator reads. Only values of the fact's own type reach it: a month-precision date
 * ("2024-04") stays a rule input (the rules say it cannot be checked to the day) but is no `date` fact.
 */
export function presenceFacts(facts: Record<string, DossierFact>, factTable: FactTable): Record<string, FactInput> {
  return Object.fromEntries(
    Object.entries(facts)
      .filter(([name, f]) => f.source === 'declared' || fitsType(f.value, factTable.get(name)?.type))
      .map(([name, f]) => [name, { value: f.value as FactInput['value'], source: f.source, from: f.from }]),
  );
}

function fitsType(value: DossierFact['value'], type: string | undefined): boolean {
  if (type === undefined) return true;
  if (value === null || value === undefined) return false;
  switch (type) {
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
    case 'number':
    case 'integer':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

/**
 * The facts the rules read: those from the fields, updated by what the presence evaluator settled (filingStep, local
 * and derived facts), with the stage and the jurisdiction as declared facts.
 */
export function settledFacts(
  fromFields: Record<string, DossierFact>,
  fromPresence: Record<string, EffectiveFact>,
  context: { stage: 'filing' | 'acceptance'; checklistId: string },
): Record<string, DossierFact> {
  const facts: Record<string, DossierFact> = { ...fromFields };
  for (const [name, f] of Object.entries(fromPresence)) facts[name] = { ...fromFields[name], ...f };
  facts.stage = { value: context.stage, source: 'declared' };
  facts.cityId = { value: context.checklistId, source: 'declared' };
  return facts;
}
