import { z } from 'zod';
import { addDecimalStrings, compareDecimalStrings, formatDecimal, parseDecimal, shiftDecimal } from '../extractors/fields/decimal.ts';
import { compareProjectNames, normOrg } from '../extractors/fields/orgs.ts';
import {
  FieldCandidateSchema,
  FieldProvenanceSchema,
  FieldValueSchema,
  type AmountValue,
  type FieldCandidate,
  type FieldName,
  type FieldProvenance,
  type FieldValue,
} from '../extractors/fields/schema.ts';

export { FieldCandidateSchema, FieldValueSchema, FieldProvenanceSchema };
export type { FieldCandidate, FieldValue, FieldProvenance };

/**
 * Chooses one value per dossier-level field from the candidates of every file (requirements §2.1): approval-type
 * documents outrank review documents, which outrank design and plan documents, then the application form, then
 * anything else. Organisations are decided by the name most documents use, with the contract's parties, the approval's
 * addressee and the supervision documents as strong evidence. Every choice keeps its provenance and the other values
 * stated, and disagreements are listed as conflicts (material for GEN-01..GEN-04).
 */

export interface PerFileCandidates {
  path: string;
  docTypes: string[];
  candidates: FieldCandidate[];
}

export const AlternativeSchema = z.object({
  value: FieldValueSchema,
  provenance: FieldProvenanceSchema,
  docTypes: z.array(z.string()),
});

export const AggregatedFieldSchema = z.object({
  value: FieldValueSchema,
  provenance: FieldProvenanceSchema,
  confidence: z.number().min(0).max(1),
  /** Number of documents that state the chosen value. */
  support: z.number().int().nonnegative(),
  /** Other values stated, with their sources. */
  alternatives: z.array(AlternativeSchema),
});
export type AggregatedField = z.infer<typeof AggregatedFieldSchema>;

export const FieldConflictSchema = z.object({
  field: z.string(),
  kind: z.enum(['values-differ', 'daxie-xiaoxie-mismatch', 'itemization-mismatch']),
  /** Chinese, for the report. */
  message: z.string(),
  chosen: FieldValueSchema.nullable(),
  values: z.array(z.object({ value: FieldValueSchema, sources: z.array(FieldProvenanceSchema) })),
  /** For amounts: the §2.3 thresholds (万元) that the differing values fall on different sides of. */
  thresholdsStraddled: z.array(z.number()).optional(),
});
export type FieldConflict = z.infer<typeof FieldConflictSchema>;

export const DocumentFieldsSchema = z.object({
  path: z.string(),
  docTypes: z.array(z.string()),
  /** The most confident candidate of each field in this document. */
  fields: z.record(z.string(), FieldCandidateSchema),
});

export const AggregatedFieldsSchema = z.object({
  fields: z.record(z.string(), AggregatedFieldSchema),
  conflicts: z.array(FieldConflictSchema),
  documents: z.array(DocumentFieldsSchema),
});
export type AggregatedFields = z.infer<typeof AggregatedFieldsSchema>;

/** Dossier-level field names this module fills (fact names of §2.1 where one exists). */
export const AGGREGATED_FIELD_NAMES = [
  'projectName',
  'constructionUnit',
  'contractor',
  'supervisor',
  'testingAgency',
  'awardee',
  'partyA',
  'partyB',
  'totalInvestmentWan',
  'approvedEstimateWan',
  'reviewedAmountWan',
  'plannedFundWan',
  'contractAmountWan',
  'projectContractsTotalWan',
  'procurementBudgetWan',
  'approvalDate',
  'approvalDocNumber',
  'filingDate',
  'procurementNoticeDate',
  'mainContractDate',
  'supervisionContractDate',
  'constructionStartDate',
  'trialRunStartDate',
  'trialRunEndDate',
  'trialRunReportDate',
  'trialRunConclusion',
  'preliminaryAcceptanceDate',
  'preliminaryAcceptanceConclusion',
  'preliminaryAcceptanceOrganizer',
  'selfInspectionDate',
  'acceptanceApplicationDate',
  'acceptanceDate',
  'acceptanceConclusion',
  'contractAgreedAcceptance',
  'formalOperation',
  'formalOperationDate',
] as const;

// --- document precedence (§2.1) ---

const APPROVAL_TYPES = ['approval_document', 'feasibility_approval', 'annual_plan_notice', 'out_of_plan_approval'];
const REVIEW_TYPES = ['technical_review_opinion', 'fiscal_review_opinion', 'pre_technical_review_opinion'];
const DESIGN_TYPES = ['budget_estimate', 'preliminary_design', 'technical_plan', 'construction_plan', 'implementation_plan', 'project_plan'];
const PROPOSAL_TYPES = ['project_proposal', 'feasibility_report', 'project_summary', 'requirements_analysis'];
const CONTRACT_TYPES = ['contract', 'om_agreement'];
const SUPERVISION_TYPES = ['supervision_contract', 'supervision_report'];
const TESTING_TYPES = ['third_party_test_report', 'mlps_evaluation_report', 'crypto_assessment_report', 'classified_system_evaluation', 'test_report'];

const hasType = (doc: PerFileCandidates, types: readonly string[]) => doc.docTypes.some((t) => types.includes(t));

/** 0 approval-type, 1 review, 2 design/plan, 3 application form, 4 anything else. */
export function documentRank(docTypes: readonly string[]): number {
  if (docTypes.some((t) => APPROVAL_TYPES.includes(t))) return 0;
  if (docTypes.some((t) => REVIEW_TYPES.includes(t))) return 1;
  if (docTypes.some((t) => DESIGN_TYPES.includes(t) || PROPOSAL_TYPES.includes(t))) return 2;
  if (docTypes.includes('application_form')) return 3;
  return 4;
}

interface Evidence {
  candidate: FieldCandidate;
  doc: PerFileCandidates;
  docIndex: number;
  weight: number;
}

function provenanceOf(evidence: Evidence): FieldProvenance {
  return evidence.candidate.provenance;
}

function valueKey(value: FieldValue): string {
  switch (value.kind) {
    case 'org':
      return value.normalized;
    case 'text':
      return value.text.replace(/\s+/g, '');
    case 'amount':
      return value.wan ?? `?${value.number}`;
    case 'date':
      return value.iso;
    case 'period':
      return `${value.start?.iso ?? ''}/${value.end?.iso ?? ''}`;
    case 'verdict':
      return value.pass ? 'pass' : 'fail';
    case 'docNumber':
      return value.normalized;
    case 'statement':
      return `${value.text}|${value.date?.iso ?? ''}`;
    default:
      return JSON.stringify(value);
  }
}

function alternativesOf(chosen: Evidence, all: Evidence[]): AggregatedField['alternatives'] {
  const seen = new Set<string>([`${valueKey(chosen.candidate.value)}\u0000${chosen.doc.path}`]);
  const alternatives: AggregatedField['alternatives'] = [];
  for (const evidence of all) {
    const key = `${valueKey(evidence.candidate.value)}\u0000${evidence.doc.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    alternatives.push({ value: evidence.candidate.value, provenance: provenanceOf(evidence), docTypes: evidence.doc.docTypes });
  }
  return alternatives.slice(0, 30);
}

function buildField(chosen: Evidence, all: Evidence[]): AggregatedField {
  const key = valueKey(chosen.candidate.value);
  const support = new Set(all.filter((e) => valueKey(e.candidate.value) === key).map((e) => e.doc.path)).size;
  return {
    value: chosen.candidate.value,
    provenance: provenanceOf(chosen),
    confidence: chosen.candidate.confidence,
    support,
    alternatives: alternativesOf(chosen, all),
  };
}

/**
 * Picks the value with the highest score, where a document contributes its best evidence for a value once
 * (so one document repeating a name does not outvote two documents). Ties go to the better-ranked document.
 */
function vote(evidence: Evidence[]): Evidence | null {
  if (evidence.length === 0) return null;
  const byValue = new Map<string, Map<string, Evidence>>();
  for (const e of evidence) {
    const key = valueKey(e.candidate.value);
    const perDoc = byValue.get(key) ?? new Map<string, Evidence>();
    const previous = perDoc.get(e.doc.path);
    if (!previous || score(e) > score(previous)) perDoc.set(e.doc.path, e);
    byValue.set(key, perDoc);
  }
  let best: { total: number; rank: number; representative: Evidence } | null = null;
  for (const perDoc of byValue.values()) {
    const items = [...perDoc.values()];
    const total = items.reduce((sum, e) => sum + score(e), 0);
    const representative = items.sort((a, b) => documentRank(a.doc.docTypes) - documentRank(b.doc.docTypes) || score(b) - score(a))[0]!;
    const rank = documentRank(representative.doc.docTypes);
    if (!best || total > best.total + 1e-9 || (Math.abs(total - best.total) <= 1e-9 && rank < best.rank)) {
      best = { total, rank, representative };
    }
  }
  return best?.representative ?? null;
}

const score = (e: Evidence) => e.weight * e.candidate.confidence;

function collect(perFile: PerFileCandidates[], fields: readonly FieldName[], weightOf: (c: FieldCandidate, doc: PerFileCandidates) => number): Evidence[] {
  const evidence: Evidence[] = [];
  perFile.forEach((doc, docIndex) => {
    for (const candidate of doc.candidates) {
      if (!fields.includes(candidate.field)) continue;
      const weight = weightOf(candidate, doc);
      if (weight > 0) evidence.push({ candidate, doc, docIndex, weight });
    }
  });
  return evidence;
}

// --- organisations ---

const isGenericPartyLabel = (c: FieldCandidate) => /^(?:乙方|供应商|承包人|承包方|受托人|受托方|卖方|中标|成交)/.test(c.provenance.label);

function constructionUnitWeight(c: FieldCandidate, doc: PerFileCandidates): number {
  switch (c.field) {
    case 'constructionUnit':
      return c.via === 'prose' ? 0.6 : 1;
    case 'partyA':
      return hasType(doc, [...CONTRACT_TYPES, 'supervision_contract']) ? 1.5 : 0.8;
    case 'addressee':
      return hasType(doc, APPROVAL_TYPES.filter((t) => t !== 'annual_plan_notice')) ? 1.5 : 0;
    case 'signatory':
      return hasType(doc, ['acceptance_application', 'application_form', 'self_inspection_report', 'completion_report']) ? 0.8 : 0;
    default:
      return 0;
  }
}

function contractorWeight(c: FieldCandidate, doc: PerFileCandidates): number {
  const supervisionDoc = hasType(doc, SUPERVISION_TYPES) && !hasType(doc, CONTRACT_TYPES);
  switch (c.field) {
    case 'partyB':
      return hasType(doc, CONTRACT_TYPES) && !/监理/.test(orgName(c)) ? 2 : 0;
    case 'contractor':
      if (supervisionDoc && isGenericPartyLabel(c)) return 0;
      return c.via === 'prose' ? 0.7 : 1;
    case 'awardee':
      return hasType(doc, ['procurement_documents']) && !supervisionDoc ? 1.5 : 0;
    default:
      return 0;
  }
}

function supervisorWeight(c: FieldCandidate, doc: PerFileCandidates): number {
  const supervisionDoc = hasType(doc, SUPERVISION_TYPES);
  switch (c.field) {
    case 'supervisor':
      return (c.via === 'prose' ? 0.7 : 1) * (supervisionDoc ? 1.5 : 1);
    case 'partyB':
      return hasType(doc, ['supervision_contract']) ? 2 : 0;
    case 'contractor':
      return supervisionDoc && !hasType(doc, CONTRACT_TYPES) && isGenericPartyLabel(c) ? 1.5 : 0;
    case 'signatory':
      return hasType(doc, ['supervision_report']) && /监理/.test(orgName(c)) ? 0.8 : 0;
    default:
      return 0;
  }
}

function testingAgencyWeight(c: FieldCandidate, doc: PerFileCandidates): number {
  if (c.field === 'testingAgency') return 1;
  if (c.field === 'signatory' && hasType(doc, TESTING_TYPES)) return 0.6;
  return 0;
}

const orgName = (c: FieldCandidate) => (c.value.kind === 'org' ? c.value.name : '');

// --- project name (GEN-01) ---

interface NameCluster {
  members: Evidence[];
  score: number;
}

function projectNameEvidence(perFile: PerFileCandidates[]): Evidence[] {
  return collect(perFile, ['projectName'], (c) => (c.via === 'title' ? 0.9 : c.via === 'heading' ? 0.8 : 1));
}

function nameOf(e: Evidence): string {
  return e.candidate.value.kind === 'text' ? e.candidate.value.text : '';
}

function clusterProjectNames(evidence: Evidence[]): NameCluster[] {
  const clusters: NameCluster[] = [];
  for (const e of evidence) {
    const cluster = clusters.find((c) => compareProjectNames(nameOf(c.members[0]!), nameOf(e)).same);
    if (cluster) cluster.members.push(e);
    else clusters.push({ members: [e], score: 0 });
  }
  // An OCR misreading ("党理系统" for "管理系统") is not another project: fold close OCR variants into the nearest cluster.
  for (const cluster of [...clusters]) {
    if (!cluster.members.every((m) => m.candidate.provenance.source === 'ocr')) continue;
    const target = clusters
      .filter((c) => c !== cluster && c.members.some((m) => m.candidate.provenance.source === 'text-layer'))
      .map((c) => ({ c, cmp: compareProjectNames(nameOf(c.members[0]!), nameOf(cluster.members[0]!), 0.75) }))
      .filter((x) => x.cmp.same)
      .sort((a, b) => b.cmp.similarity - a.cmp.similarity)[0];
    if (target) {
      target.c.members.push(...cluster.members);
      clusters.splice(clusters.indexOf(cluster), 1);
    }
  }
  for (const cluster of clusters) {
    const perDoc = new Map<string, number>();
    for (const m of cluster.members) perDoc.set(m.doc.path, Math.max(perDoc.get(m.doc.path) ?? 0, score(m)));
    cluster.score = [...perDoc.values()].reduce((a, b) => a + b, 0);
  }
  return clusters.sort((a, b) => b.score - a.score);
}

function aggregateProjectName(perFile: PerFileCandidates[], conflicts: FieldConflict[]): AggregatedField | null {
  const evidence = projectNameEvidence(perFile);
  const clusters = clusterProjectNames(evidence);
  const top = clusters[0];
  if (!top) return null;
  // Inside the winning cluster, the spelling most documents use (text layer preferred over OCR).
  const chosen = vote(top.members.map((m) => ({ ...m, weight: m.weight * (m.candidate.provenance.source === 'ocr' ? 0.8 : 1) })))!;
  const others = clusters.slice(1).filter((c) => c.members.some((m) => m.candidate.confidence >= 0.5));
  if (others.length > 0) {
    conflicts.push({
      field: 'projectName',
      kind: 'values-differ',
      message: '各文件所载项目名称不一致',
      chosen: chosen.candidate.value,
      values: [top, ...others].map((cluster) => ({
        value: cluster.members[0]!.candidate.value,
        sources: cluster.members.map((m) => m.candidate.provenance),
      })),
    });
  }
  return buildField(chosen, evidence);
}

// --- amounts ---

const THRESHOLDS_WAN = [50, 100, 200, 400, 500, 1000, 2000];

function straddled(values: string[]): number[] {
  return THRESHOLDS_WAN.filter((t) => {
    const sides = new Set(values.map((v) => compareDecimalStrings(v, String(t))));
    return sides.has(-1) && (sides.has(0) || sides.has(1));
  });
}

const amountOf = (c: FieldCandidate): AmountValue | null => (c.value.kind === 'amount' && c.value.wan !== null ? c.value : null);

/**
 * totalInvestmentWan (§2.1): the approved total if present, else the reviewed amount, else the estimate, else the
 * application form, else the proposal or feasibility report; never a contract price. A document quoting the approved
 * figure ("经…批复…总投资120万元") counts as approval evidence. Lower tier = better.
 */
function investmentTier(c: FieldCandidate, doc: PerFileCandidates, project: string | null): number | null {
  if (c.field === 'planEntry') {
    if (c.value.kind !== 'planEntry' || !c.value.amount?.wan || !project) return null;
    return compareProjectNames(c.value.projectName, project).same ? 3 : null;
  }
  if (c.field === 'reviewedAmount') return hasType(doc, REVIEW_TYPES) ? 2 : null;
  if (c.field !== 'totalInvestment' || !amountOf(c)) return null;
  const approvalDoc = hasType(doc, APPROVAL_TYPES.filter((t) => t !== 'annual_plan_notice'));
  // Inside an approval, a figure the approval itself fixes (核定/批复) beats one it merely mentions.
  if (approvalDoc && c.basis !== 'planned') return c.basis === 'approved' ? 0 : 0.5;
  if (c.basis === 'approved' || c.basis === 'approvedQuoted') return 1;
  if (c.basis === 'planned') return hasType(doc, ['annual_plan_notice']) ? 3 : 7;
  if (hasType(doc, REVIEW_TYPES)) return 2.5;
  if (hasType(doc, ['budget_estimate', 'preliminary_design', 'technical_plan', 'construction_plan', 'implementation_plan'])) return 4;
  if (hasType(doc, ['application_form'])) return 5;
  if (hasType(doc, PROPOSAL_TYPES)) return 6;
  return 7;
}

function planEntryAsAmount(c: FieldCandidate): FieldCandidate {
  if (c.value.kind !== 'planEntry' || !c.value.amount) return c;
  return { ...c, value: c.value.amount };
}

function aggregateInvestment(perFile: PerFileCandidates[], project: string | null, conflicts: FieldConflict[]): AggregatedField | null {
  const tiered: Array<Evidence & { tier: number }> = [];
  perFile.forEach((doc, docIndex) => {
    for (const candidate of doc.candidates) {
      const tier = investmentTier(candidate, doc, project);
      if (tier === null) continue;
      tiered.push({ candidate: planEntryAsAmount(candidate), doc, docIndex, weight: 1, tier });
    }
  });
  if (tiered.length === 0) return null;
  const bestTier = Math.min(...tiered.map((e) => e.tier));
  const chosen = vote(tiered.filter((e) => e.tier === bestTier))!;
  // GEN-03 compares stated totals; reviewed and planned figures are other facts and do not count as disagreement.
  const stated = tiered.filter((e) => e.candidate.field === 'totalInvestment' && e.candidate.basis !== 'planned');
  const values = new Map<string, Evidence[]>();
  for (const e of stated) values.set(valueKey(e.candidate.value), [...(values.get(valueKey(e.candidate.value)) ?? []), e]);
  if (values.size > 1) {
    const wans = [...values.keys()];
    const thresholds = straddled(wans);
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

function sumAmounts(evidence: Evidence[]): AggregatedField | null {
  // One figure per contract: the best candidate of each document, documents with the same contract number counted once.
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

// --- dates and statements tied to document types ---

function pick(
  perFile: PerFileCandidates[],
  fields: readonly FieldName[],
  docFilter: (doc: PerFileCandidates) => boolean,
  prefer: 'earliest' | 'latest' | 'none' = 'none',
): AggregatedField | null {
  const evidence = collect(perFile, fields, (_c, doc) => (docFilter(doc) ? 1 : 0));
  if (evidence.length === 0) return null;
  const dateOf = (e: Evidence) => (e.candidate.value.kind === 'date' ? e.candidate.value.earliest : '');
  const sorted = [...evidence].sort((a, b) => {
    const byConfidence = b.candidate.confidence - a.candidate.confidence;
    if (Math.abs(byConfidence) > 1e-9) return byConfidence;
    if (prefer === 'earliest') return dateOf(a).localeCompare(dateOf(b));
    if (prefer === 'latest') return dateOf(b).localeCompare(dateOf(a));
    return 0;
  });
  return buildField(sorted[0]!, evidence);
}

function firstOf(...options: Array<() => AggregatedField | null>): AggregatedField | null {
  for (const option of options) {
    const result = option();
    if (result) return result;
  }
  return null;
}

function titleOf(doc: PerFileCandidates): string {
  const title = doc.candidates.find((c) => c.field === 'title' && c.value.kind === 'text');
  return title && title.value.kind === 'text' ? title.value.text : '';
}

function periodField(chosen: AggregatedField, side: 'start' | 'end'): AggregatedField | null {
  if (chosen.value.kind !== 'period') return null;
  const date = chosen.value[side];
  if (!date) return null;
  return { ...chosen, value: date, alternatives: [] };
}

// --- conflicts among organisations and 大写/小写 pairs ---

function orgConflict(field: string, message: string, chosen: AggregatedField | null, evidence: Evidence[], conflicts: FieldConflict[]): void {
  if (!chosen) return;
  const strong = evidence.filter((e) => e.candidate.confidence >= 0.6);
  const byName = new Map<string, Evidence[]>();
  for (const e of strong) byName.set(valueKey(e.candidate.value), [...(byName.get(valueKey(e.candidate.value)) ?? []), e]);
  if (byName.size < 2) return;
  conflicts.push({
    field,
    kind: 'values-differ',
    message,
    chosen: chosen.value,
    values: [...byName.values()].map((list) => ({ value: list[0]!.candidate.value, sources: list.map(provenanceOf) })),
  });
}

function pairConflicts(perFile: PerFileCandidates[], conflicts: FieldConflict[]): void {
  for (const doc of perFile) {
    for (const c of doc.candidates) {
      if (c.field === 'itemizedTotal' && c.value.kind === 'itemization' && c.value.equal === false) {
        conflicts.push({
          field: 'itemizedTotal',
          kind: 'itemization-mismatch',
          message: `分项合计 ${c.value.sum}万元 与所列合计 ${c.value.statedTotal.wan}万元 不符`,
          chosen: c.value.statedTotal,
          values: [{ value: c.value, sources: [c.provenance] }],
        });
        continue;
      }
      if (c.field !== 'amountPairs' || c.value.kind !== 'amountPair' || c.value.equal !== false) continue;
      conflicts.push({
        field: 'amountPairs',
        kind: 'daxie-xiaoxie-mismatch',
        message: `金额大写与小写不一致：${c.value.daxie.raw}（${c.value.daxie.wan}万元）与 ${c.value.arabic.raw}（${c.value.arabic.wan}万元）`,
        chosen: c.value.daxie,
        values: [
          { value: c.value.daxie, sources: [c.provenance] },
          { value: c.value.arabic, sources: [c.provenance] },
        ],
      });
    }
  }
}

// --- entry point ---

export function aggregateFields(perFile: PerFileCandidates[]): AggregatedFields {
  const fields: Record<string, AggregatedField> = {};
  const conflicts: FieldConflict[] = [];
  const set = (name: (typeof AGGREGATED_FIELD_NAMES)[number], value: AggregatedField | null) => {
    if (value) fields[name] = value;
  };

  const projectName = aggregateProjectName(perFile, conflicts);
  set('projectName', projectName);
  const project = projectName?.value.kind === 'text' ? projectName.value.text : null;

  // Rows of multi-project tables that name this project give its unit as well.
  const planUnitEvidence: Evidence[] = [];
  perFile.forEach((doc, docIndex) => {
    for (const c of doc.candidates) {
      if (c.field !== 'planEntry' || c.value.kind !== 'planEntry' || !c.value.constructionUnit || !project) continue;
      if (!compareProjectNames(c.value.projectName, project).same) continue;
      const name = c.value.constructionUnit;
      planUnitEvidence.push({
        candidate: { ...c, field: 'constructionUnit', value: { kind: 'org', name, normalized: normOrg(name) }, provenance: { ...c.provenance, label: '建设单位' } },
        doc,
        docIndex,
        weight: 1,
      });
    }
  });

  const unitEvidence = [...collect(perFile, ['constructionUnit', 'partyA', 'addressee', 'signatory'], constructionUnitWeight), ...planUnitEvidence];
  const constructionUnit = vote(unitEvidence);
  const constructionUnitField = constructionUnit ? buildField(constructionUnit, unitEvidence) : null;
  set('constructionUnit', constructionUnitField);
  orgConflict('constructionUnit', '各文件所载建设单位不一致', constructionUnitField, unitEvidence, conflicts);

  const contractorEvidence = collect(perFile, ['contractor', 'partyB', 'awardee'], contractorWeight);
  const contractor = vote(contractorEvidence);
  const contractorField = contractor ? buildField(contractor, contractorEvidence) : null;
  set('contractor', contractorField);
  orgConflict('contractor', '各文件所载承建单位不一致', contractorField, contractorEvidence, conflicts);

  const supervisorEvidence = collect(perFile, ['supervisor', 'partyB', 'contractor', 'signatory'], supervisorWeight);
  const supervisor = vote(supervisorEvidence);
  const supervisorField = supervisor ? buildField(supervisor, supervisorEvidence) : null;
  set('supervisor', supervisorField);
  orgConflict('supervisor', '各文件所载监理单位不一致', supervisorField, supervisorEvidence, conflicts);

  const testingEvidence = collect(perFile, ['testingAgency', 'signatory'], testingAgencyWeight);
  const testing = vote(testingEvidence);
  set('testingAgency', testing ? buildField(testing, testingEvidence) : null);

  const awardeeEvidence = collect(perFile, ['awardee'], (_c, doc) => (hasType(doc, ['procurement_documents']) ? 1 : 0.5));
  const awardee = vote(awardeeEvidence);
  set('awardee', awardee ? buildField(awardee, awardeeEvidence) : null);

  const mainContract = (doc: PerFileCandidates) => hasType(doc, CONTRACT_TYPES);
  set('partyA', pick(perFile, ['partyA'], mainContract));
  set('partyB', pick(perFile, ['partyB'], mainContract));

  set('totalInvestmentWan', aggregateInvestment(perFile, project, conflicts));
  set('approvedEstimateWan', pick(perFile, ['totalInvestment'], (doc) => hasType(doc, ['approval_document', 'feasibility_approval', 'out_of_plan_approval'])));
  set('reviewedAmountWan', pick(perFile, ['reviewedAmount'], (doc) => hasType(doc, REVIEW_TYPES)));
  const planned = collect(perFile, ['planEntry'], (c, doc) =>
    hasType(doc, ['annual_plan_notice']) && project && c.value.kind === 'planEntry' && c.value.amount?.wan && compareProjectNames(c.value.projectName, project).same ? 1 : 0,
  ).map((e) => ({ ...e, candidate: planEntryAsAmount(e.candidate) }));
  const plannedChoice = vote(planned);
  set('plannedFundWan', plannedChoice ? buildField(plannedChoice, planned) : null);

  const contractAmounts = collect(perFile, ['contractAmount'], (c, doc) => (mainContract(doc) && amountOf(c) ? 1 : 0));
  set('contractAmountWan', sumAmounts(contractAmounts));
  const allContractAmounts = collect(perFile, ['contractAmount'], (c, doc) => (hasType(doc, [...CONTRACT_TYPES, 'supervision_contract']) && amountOf(c) ? 1 : 0));
  set('projectContractsTotalWan', sumAmounts(allContractAmounts));
  set('procurementBudgetWan', pick(perFile, ['procurementBudget'], (doc) => hasType(doc, ['procurement_documents'])));

  const approvalDocs = (doc: PerFileCandidates) => hasType(doc, ['approval_document', 'feasibility_approval', 'out_of_plan_approval']);
  set('approvalDate', pick(perFile, ['docDate'], approvalDocs, 'earliest'));
  set('approvalDocNumber', pick(perFile, ['docNumber'], approvalDocs));
  set(
    'filingDate',
    firstOf(
      () => pick(perFile, ['docDate'], (doc) => !doc.docTypes.includes('acceptance_application') && /申报|立项.*请示|请示.*立项/.test(titleOf(doc)), 'earliest'),
      () => pick(perFile, ['docDate'], (doc) => hasType(doc, ['application_form']), 'earliest'),
    ),
  );
  set('procurementNoticeDate', pick(perFile, ['docDate'], (doc) => hasType(doc, ['procurement_documents']) && /公告/.test(titleOf(doc)), 'earliest'));
  set('mainContractDate', firstOf(() => pick(perFile, ['signDate'], mainContract, 'earliest'), () => pick(perFile, ['docDate'], mainContract, 'earliest')));
  const supervisionContract = (doc: PerFileCandidates) => hasType(doc, ['supervision_contract']);
  set('supervisionContractDate', firstOf(() => pick(perFile, ['signDate'], supervisionContract, 'earliest'), () => pick(perFile, ['docDate'], supervisionContract, 'earliest')));
  set('constructionStartDate', pick(perFile, ['constructionStartDate'], () => true, 'earliest'));

  const trialDocs = (doc: PerFileCandidates) => hasType(doc, ['trial_run_report', 'preliminary_acceptance_report']);
  const trialRun = firstOf(
    () => pick(perFile, ['trialRunPeriod'], (doc) => trialDocs(doc)),
    () => pick(perFile, ['trialRunPeriod'], () => true),
  );
  if (trialRun) {
    set('trialRunStartDate', periodField(trialRun, 'start'));
    set('trialRunEndDate', periodField(trialRun, 'end'));
  }
  const trialReports = (doc: PerFileCandidates) => hasType(doc, ['trial_run_report']);
  set('trialRunReportDate', firstOf(() => pick(perFile, ['trialRunReportDate'], () => true, 'latest'), () => pick(perFile, ['docDate'], trialReports, 'latest')));
  set('trialRunConclusion', firstOf(() => pick(perFile, ['trialRunConclusion'], trialDocs), () => pick(perFile, ['trialRunConclusion'], () => true)));

  const preliminaryDocs = (doc: PerFileCandidates) => hasType(doc, ['preliminary_acceptance_report']);
  set(
    'preliminaryAcceptanceDate',
    firstOf(
      () => pick(perFile, ['preliminaryAcceptanceDate'], (doc) => preliminaryDocs(doc)),
      () => pick(perFile, ['preliminaryAcceptanceDate'], () => true),
    ),
  );
  set(
    'preliminaryAcceptanceConclusion',
    firstOf(() => pick(perFile, ['preliminaryAcceptanceConclusion'], preliminaryDocs), () => pick(perFile, ['preliminaryAcceptanceConclusion'], () => true)),
  );
  set('preliminaryAcceptanceOrganizer', firstOf(() => pick(perFile, ['preliminaryAcceptanceOrganizer'], preliminaryDocs), () => pick(perFile, ['preliminaryAcceptanceOrganizer'], () => true)));

  const selfInspectionDocs = (doc: PerFileCandidates) => hasType(doc, ['self_inspection_report', 'completion_report', 'acceptance_application']);
  set(
    'selfInspectionDate',
    firstOf(
      () => pick(perFile, ['selfInspectionDate'], selfInspectionDocs, 'latest'),
      () => pick(perFile, ['docDate'], (doc) => hasType(doc, ['self_inspection_report']), 'latest'),
    ),
  );
  const applications = (doc: PerFileCandidates) => hasType(doc, ['acceptance_application']);
  set(
    'acceptanceApplicationDate',
    firstOf(
      () => pick(perFile, ['acceptanceApplicationDate', 'docDate'], applications, 'latest'),
      () => pick(perFile, ['acceptanceApplicationDate'], () => true, 'latest'),
    ),
  );
  const acceptanceReports = (doc: PerFileCandidates) => hasType(doc, ['acceptance_report']);
  set(
    'acceptanceDate',
    firstOf(
      () => pick(perFile, ['acceptanceDate'], acceptanceReports),
      () => pick(perFile, ['docDate'], acceptanceReports),
    ),
  );
  set('acceptanceConclusion', pick(perFile, ['acceptanceConclusion'], acceptanceReports));
  set('contractAgreedAcceptance', pick(perFile, ['contractAgreedAcceptance'], mainContract));

  const statements = collect(perFile, ['formalOperation'], () => 1);
  if (statements.length > 0) {
    const dated = statements
      .filter((e) => e.candidate.value.kind === 'statement' && e.candidate.value.date)
      .sort((a, b) => {
        const da = a.candidate.value.kind === 'statement' ? a.candidate.value.date!.earliest : '';
        const db = b.candidate.value.kind === 'statement' ? b.candidate.value.date!.earliest : '';
        return da.localeCompare(db);
      });
    const first = dated[0] ?? [...statements].sort((a, b) => b.candidate.confidence - a.candidate.confidence)[0]!;
    set('formalOperation', buildField(first, statements));
    if (dated[0] && dated[0].candidate.value.kind === 'statement') {
      set('formalOperationDate', { ...buildField(dated[0], statements), value: dated[0].candidate.value.date!, alternatives: [] });
    }
  }

  pairConflicts(perFile, conflicts);

  const documents = perFile.map((doc) => {
    const best: Record<string, FieldCandidate> = {};
    for (const c of doc.candidates) {
      const previous = best[c.field];
      if (!previous || c.confidence > previous.confidence) best[c.field] = c;
    }
    return { path: doc.path, docTypes: doc.docTypes, fields: best };
  });

  return { fields, conflicts, documents };
}

/**
 * A field value as one scalar, for reports and the facts: amounts as the 万元 decimal string, dates as ISO (reduced
 * precision allowed), periods as an ISO interval "start/end", verdicts as 合格/不合格, organisations by name.
 */
export function fieldValueToScalar(value: FieldValue): string | null {
  switch (value.kind) {
    case 'text':
      return value.text;
    case 'org':
      return value.name;
    case 'amount':
      return value.wan;
    case 'date':
      return value.iso;
    case 'period':
      return `${value.start?.iso ?? '..'}/${value.end?.iso ?? '..'}`;
    case 'verdict':
      return value.pass ? '合格' : '不合格';
    case 'docNumber':
      return value.normalized;
    case 'statement':
      return value.date ? `${value.text}（${value.date.iso}）` : value.text;
    case 'relativeDate':
      return `${value.anchor}后${value.amount}${{ day: '日', workday: '个工作日', month: '个月', year: '年' }[value.unit]}${value.bound === 'within' ? '内' : ''}`;
    case 'amountPair':
      return `${value.daxie.wan ?? '?'}/${value.arabic.wan ?? '?'}`;
    case 'planEntry':
      return value.projectName;
    case 'orgIdentifier':
      return value.creditCode ?? value.org;
    case 'itemization':
      return value.sum;
  }
}
