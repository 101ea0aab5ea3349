import type { FactLookup, FactValue } from '../checklists/conditions.ts';
import { resolveRelative } from '../extractors/fields/dates.ts';
import { evaluatePresenceDetailed, type FactInput, type PresenceEvaluation, type PresenceFile } from '../checklists/evaluate.ts';
import type { LoadedChecklist } from '../checklists/load.ts';
import type { RuleContext, RuleEvidence, RuleFinding, Statement } from '../checklists/rules/context.ts';
import { bindRules, loadCommonRules, runRules } from '../checklists/rules/engine.ts';
import { fieldValueToScalar, type AggregatedFields, type PerFileCandidates } from './aggregate-fields.ts';
import type { ClassifiedFile } from './model.ts';
import type { DeclaredFacts } from './facts.ts';

/** Aggregated fields that are facts of §2.1 (or dates the rules compare), with how to read them. */
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

/** Declared facts win; fields the documents state fill the rest, each naming its source (§2.1, §9.4). */
export function factsFromFields(declared: DeclaredFacts, fields: AggregatedFields): Record<string, DossierFact> {
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
  for (const [name, value] of Object.entries(declared)) facts[name] = { value, source: 'declared' };
  return facts;
}

/**
 * shucheng 第二十一条 "合同约定时间": a date the contract states, or a period from the signing ("合同签订之日起300日内")
 * counted from the contract date (§5.3 derived-relative).
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

export interface DossierEvaluation {
  presence: PresenceEvaluation;
  ruleFindings: RuleFinding[];
  facts: Record<string, DossierFact>;
}

export interface EvaluateDossierInput {
  checklist: LoadedChecklist;
  stage: 'filing' | 'acceptance';
  declared: DeclaredFacts;
  fields: AggregatedFields;
  files: ClassifiedFile[];
  unreadableEntries: Array<{ path: string; reason: string; classification: ClassifiedFile['classification'] }>;
  perFile: PerFileCandidates[];
}

/** Presence rows of the checklist, then the rules beyond presence (§4) over the same facts. */
export function evaluateDossier(input: EvaluateDossierInput): DossierEvaluation {
  const fieldFacts = factsFromFields(input.declared, input.fields);
  const presenceFiles: PresenceFile[] = [
    ...input.files
      .filter((f) => !f.duplicateOf)
      .map((f) => ({
        path: f.file.path,
        status: f.doc.status,
        docTypes: f.classification.docTypes.map((d) => ({ id: d.id, confidence: d.confidence, evidence: d.evidence })),
        sections: f.classification.sections,
        contentDocTypes: f.classification.nameDocTypes,
      })),
    ...input.unreadableEntries.map((e) => ({
      path: e.path,
      status: e.reason === 'encrypted' ? ('encrypted' as const) : ('unreadable' as const),
      docTypes: [],
      contentDocTypes: e.classification.nameDocTypes,
    })),
  ];
  // Only values of the fact's own type reach the evaluator: a month-precision date ("2024-04") stays a rule input
  // (the rules say it cannot be checked to the day) but is no `date` fact.
  const presenceFacts: Record<string, FactInput> = Object.fromEntries(
    Object.entries(fieldFacts)
      .filter(([name, f]) => f.source === 'declared' || fitsType(f.value, input.checklist.factTable.get(name)?.type))
      .map(([name, f]) => [name, { value: f.value as FactInput['value'], source: f.source, from: f.from }]),
  );
  const presence = evaluatePresenceDetailed({ checklist: input.checklist, stage: input.stage, facts: presenceFacts, files: presenceFiles });

  const facts: Record<string, DossierFact> = { ...fieldFacts };
  for (const [name, f] of Object.entries(presence.facts)) facts[name] = { ...fieldFacts[name], ...f };
  facts.stage = { value: input.stage, source: 'declared' };
  facts.cityId = { value: input.checklist.id, source: 'declared' };

  const lookup: FactLookup = (name) => {
    const f = facts[name];
    return f && f.value !== null && f.value !== undefined ? { known: true, value: f.value } : { known: false, unknownFacts: [name] };
  };
  const rules = bindRules([...loadCommonRules(), ...(input.checklist.rules ?? [])], input.checklist.factTable);
  const ctx: RuleContext = {
    stage: input.stage,
    facts: Object.fromEntries(Object.entries(facts).filter(([, f]) => f.value !== null && f.value !== undefined)) as RuleContext['facts'],
    statements: statementsOf(input.perFile),
    amountPairs: amountPairsOf(input.perFile),
    files: input.files
      .filter((f) => !f.duplicateOf && f.doc.status === 'ok')
      .map((f) => ({ path: f.file.path, docTypes: f.classification.docTypes.map((d) => d.id), sections: f.classification.sections, pages: f.doc.pages })),
  };
  return { presence, ruleFindings: runRules(rules, ctx, lookup), facts };
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

/** Every value a document states for the fields the consistency rules compare. */
function statementsOf(perFile: PerFileCandidates[]): Statement[] {
  const out: Statement[] = [];
  for (const file of perFile) {
    const seen = new Set<string>();
    for (const c of file.candidates) {
      if (c.confidence < 0.5) continue;
      const scalar = fieldValueToScalar(c.value);
      if (scalar === null) continue;
      const key = `${c.field}\u0000${scalar}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const p = c.provenance;
      out.push({ field: c.field, value: scalar, docTypes: file.docTypes, evidence: { path: p.path, page: p.page, quote: p.quote, source: p.source, label: p.label } });
    }
  }
  return out;
}

function amountPairsOf(perFile: PerFileCandidates[]): RuleContext['amountPairs'] {
  const out: Array<RuleContext['amountPairs'][number]> = [];
  for (const file of perFile) {
    for (const c of file.candidates) {
      if (c.value.kind !== 'amountPair') continue;
      const daxie = c.value.daxie.wan;
      const arabic = c.value.arabic.wan;
      if (!daxie || !arabic) continue;
      const p = c.provenance;
      out.push({ daxieWan: daxie, xiaoxieWan: arabic, evidence: { path: p.path, page: p.page, quote: p.quote, source: p.source } });
    }
  }
  return out;
}
