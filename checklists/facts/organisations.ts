import { compareProjectNames, normOrg } from '../../extractors/fields/orgs.ts';
import type { FieldCandidate } from '../../extractors/fields/schema.ts';
import { buildField, collect, inGroup, pick, provenanceOf, valueKey, vote, type Evidence } from './evidence.ts';
import type { DocTypeGroups, DossierFactsInput, FactsDocument } from './input.ts';
import type { AggregatedField, AggregatedFieldName, FieldConflict } from './schema.ts';

/**
 * The project's organisations: the name most documents use wins, with the contract's parties, the approval's addressee
 * and the supervision documents as strong evidence (material for GEN-02). Which documents count is the catalogue's
 * groups (contract, supervision, approvalDecision, unitSigned, testing).
 */

const isGenericPartyLabel = (c: FieldCandidate) => /^(?:乙方|供应商|承包人|承包方|受托人|受托方|卖方|中标|成交)/.test(c.provenance.label);
const orgName = (c: FieldCandidate) => (c.value.kind === 'org' ? c.value.name : '');

function constructionUnitWeight(catalogue: DocTypeGroups, c: FieldCandidate, doc: FactsDocument): number {
  switch (c.field) {
    case 'constructionUnit':
      return c.via === 'prose' ? 0.6 : 1;
    case 'partyA':
      return inGroup(catalogue, doc, 'projectContracts') ? 1.5 : 0.8;
    case 'addressee':
      return inGroup(catalogue, doc, 'approvalDecision') ? 1.5 : 0;
    case 'signatory':
      return inGroup(catalogue, doc, 'unitSigned') ? 0.8 : 0;
    default:
      return 0;
  }
}

function contractorWeight(catalogue: DocTypeGroups, c: FieldCandidate, doc: FactsDocument): number {
  const mainContract = inGroup(catalogue, doc, 'contract');
  const supervisionDoc = inGroup(catalogue, doc, 'supervision') && !mainContract;
  switch (c.field) {
    case 'partyB':
      return mainContract && !/监理/.test(orgName(c)) ? 2 : 0;
    case 'contractor':
      if (supervisionDoc && isGenericPartyLabel(c)) return 0;
      return c.via === 'prose' ? 0.7 : 1;
    case 'awardee':
      return doc.docTypes.includes('procurement_documents') && !supervisionDoc ? 1.5 : 0;
    default:
      return 0;
  }
}

function supervisorWeight(catalogue: DocTypeGroups, c: FieldCandidate, doc: FactsDocument): number {
  const supervisionDoc = inGroup(catalogue, doc, 'supervision');
  switch (c.field) {
    case 'supervisor':
      return (c.via === 'prose' ? 0.7 : 1) * (supervisionDoc ? 1.5 : 1);
    case 'partyB':
      return doc.docTypes.includes('supervision_contract') ? 2 : 0;
    case 'contractor':
      return supervisionDoc && !inGroup(catalogue, doc, 'contract') && isGenericPartyLabel(c) ? 1.5 : 0;
    case 'signatory':
      return doc.docTypes.includes('supervision_report') && /监理/.test(orgName(c)) ? 0.8 : 0;
    default:
      return 0;
  }
}

function testingAgencyWeight(catalogue: DocTypeGroups, c: FieldCandidate, doc: FactsDocument): number {
  if (c.field === 'testingAgency') return 1;
  if (c.field === 'signatory' && inGroup(catalogue, doc, 'testing')) return 0.6;
  return 0;
}

/** Rows of multi-project tables (an annual plan) that name this project give its unit as well. */
function planUnitEvidence(input: DossierFactsInput, project: string | null): Evidence[] {
  const evidence: Evidence[] = [];
  input.documents.forEach((doc, docIndex) => {
    for (const c of doc.candidates) {
      if (c.field !== 'planEntry' || c.value.kind !== 'planEntry' || !c.value.constructionUnit || !project) continue;
      if (!compareProjectNames(c.value.projectName, project).same) continue;
      const name = c.value.constructionUnit;
      evidence.push({
        candidate: { ...c, field: 'constructionUnit', value: { kind: 'org', name, normalized: normOrg(name) }, provenance: { ...c.provenance, label: '建设单位' } },
        doc,
        docIndex,
        weight: 1,
      });
    }
  });
  return evidence;
}

/** Strong candidates naming two or more organisations for one role are a conflict. */
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

/** constructionUnit, contractor, supervisor, testingAgency, awardee and the main contract's parties, in that order. */
export function aggregateOrganisations(
  input: DossierFactsInput,
  project: string | null,
  conflicts: FieldConflict[],
): Partial<Record<AggregatedFieldName, AggregatedField | null>> {
  const { documents, catalogue } = input;
  const weighted = (weight: (catalogue: DocTypeGroups, c: FieldCandidate, doc: FactsDocument) => number) => (c: FieldCandidate, doc: FactsDocument) =>
    weight(catalogue, c, doc);
  const chooseFrom = (evidence: Evidence[]) => {
    const chosen = vote(evidence, catalogue);
    return chosen ? buildField(chosen, evidence) : null;
  };

  const unitEvidence = [...collect(documents, ['constructionUnit', 'partyA', 'addressee', 'signatory'], weighted(constructionUnitWeight)), ...planUnitEvidence(input, project)];
  const constructionUnit = chooseFrom(unitEvidence);
  orgConflict('constructionUnit', '各文件所载建设单位不一致', constructionUnit, unitEvidence, conflicts);

  const contractorEvidence = collect(documents, ['contractor', 'partyB', 'awardee'], weighted(contractorWeight));
  const contractor = chooseFrom(contractorEvidence);
  orgConflict('contractor', '各文件所载承建单位不一致', contractor, contractorEvidence, conflicts);

  const supervisorEvidence = collect(documents, ['supervisor', 'partyB', 'contractor', 'signatory'], weighted(supervisorWeight));
  const supervisor = chooseFrom(supervisorEvidence);
  orgConflict('supervisor', '各文件所载监理单位不一致', supervisor, supervisorEvidence, conflicts);

  const testingAgency = chooseFrom(collect(documents, ['testingAgency', 'signatory'], weighted(testingAgencyWeight)));
  const awardee = chooseFrom(collect(documents, ['awardee'], (_c, doc) => (doc.docTypes.includes('procurement_documents') ? 1 : 0.5)));

  const mainContract = (doc: FactsDocument) => inGroup(catalogue, doc, 'contract');
  return {
    constructionUnit,
    contractor,
    supervisor,
    testingAgency,
    awardee,
    partyA: pick(documents, ['partyA'], mainContract),
    partyB: pick(documents, ['partyB'], mainContract),
  };
}
