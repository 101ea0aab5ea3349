import { buildField, collect, firstOf, inGroup, pick } from './evidence.ts';
import type { DossierFactsInput, FactsDocument } from './input.ts';
import type { AggregatedField, AggregatedFieldName } from './schema.ts';

/**
 * The project's dates, conclusions and statements, each read from the documents it belongs to (the approval's date
 * from the approval, the trial run from its report…), falling back to any document that states it.
 */

function titleOf(doc: FactsDocument): string {
  const title = doc.candidates.find((c) => c.field === 'title' && c.value.kind === 'text');
  return title && title.value.kind === 'text' ? title.value.text : '';
}

function periodField(chosen: AggregatedField, side: 'start' | 'end'): AggregatedField | null {
  if (chosen.value.kind !== 'period') return null;
  const date = chosen.value[side];
  if (!date) return null;
  return { ...chosen, value: date, alternatives: [] };
}

/** From approvalDate to formalOperationDate, in the order of AGGREGATED_FIELD_NAMES. */
export function aggregateDates(input: DossierFactsInput): Partial<Record<AggregatedFieldName, AggregatedField | null>> {
  const { documents, catalogue } = input;
  const out: Partial<Record<AggregatedFieldName, AggregatedField | null>> = {};
  const any = () => true;
  const hasDocType = (id: string) => (doc: FactsDocument) => doc.docTypes.includes(id);

  const approvalDocs = (doc: FactsDocument) => inGroup(catalogue, doc, 'approvalDecision');
  out.approvalDate = pick(documents, ['docDate'], approvalDocs, 'earliest');
  out.approvalDocNumber = pick(documents, ['docNumber'], approvalDocs);
  out.filingDate = firstOf(
    () => pick(documents, ['docDate'], (doc) => !doc.docTypes.includes('acceptance_application') && /申报|立项.*请示|请示.*立项/.test(titleOf(doc)), 'earliest'),
    () => pick(documents, ['docDate'], (doc) => inGroup(catalogue, doc, 'applicationForm'), 'earliest'),
  );
  out.procurementNoticeDate = pick(documents, ['docDate'], (doc) => doc.docTypes.includes('procurement_documents') && /公告/.test(titleOf(doc)), 'earliest');
  const mainContract = (doc: FactsDocument) => inGroup(catalogue, doc, 'contract');
  out.mainContractDate = firstOf(() => pick(documents, ['signDate'], mainContract, 'earliest'), () => pick(documents, ['docDate'], mainContract, 'earliest'));
  const supervisionContract = hasDocType('supervision_contract');
  out.supervisionContractDate = firstOf(
    () => pick(documents, ['signDate'], supervisionContract, 'earliest'),
    () => pick(documents, ['docDate'], supervisionContract, 'earliest'),
  );
  out.constructionStartDate = pick(documents, ['constructionStartDate'], any, 'earliest');

  const trialDocs = (doc: FactsDocument) => inGroup(catalogue, doc, 'trialRun');
  const trialRun = firstOf(
    () => pick(documents, ['trialRunPeriod'], trialDocs),
    () => pick(documents, ['trialRunPeriod'], any),
  );
  if (trialRun) {
    out.trialRunStartDate = periodField(trialRun, 'start');
    out.trialRunEndDate = periodField(trialRun, 'end');
  }
  out.trialRunReportDate = firstOf(
    () => pick(documents, ['trialRunReportDate'], any, 'latest'),
    () => pick(documents, ['docDate'], hasDocType('trial_run_report'), 'latest'),
  );
  out.trialRunConclusion = firstOf(
    () => pick(documents, ['trialRunConclusion'], trialDocs),
    () => pick(documents, ['trialRunConclusion'], any),
  );

  const preliminaryDocs = hasDocType('preliminary_acceptance_report');
  out.preliminaryAcceptanceDate = firstOf(
    () => pick(documents, ['preliminaryAcceptanceDate'], preliminaryDocs),
    () => pick(documents, ['preliminaryAcceptanceDate'], any),
  );
  out.preliminaryAcceptanceConclusion = firstOf(
    () => pick(documents, ['preliminaryAcceptanceConclusion'], preliminaryDocs),
    () => pick(documents, ['preliminaryAcceptanceConclusion'], any),
  );
  out.preliminaryAcceptanceOrganizer = firstOf(
    () => pick(documents, ['preliminaryAcceptanceOrganizer'], preliminaryDocs),
    () => pick(documents, ['preliminaryAcceptanceOrganizer'], any),
  );

  out.selfInspectionDate = firstOf(
    () => pick(documents, ['selfInspectionDate'], (doc) => inGroup(catalogue, doc, 'selfInspection'), 'latest'),
    () => pick(documents, ['docDate'], hasDocType('self_inspection_report'), 'latest'),
  );
  out.acceptanceApplicationDate = firstOf(
    () => pick(documents, ['acceptanceApplicationDate', 'docDate'], hasDocType('acceptance_application'), 'latest'),
    () => pick(documents, ['acceptanceApplicationDate'], any, 'latest'),
  );
  const acceptanceReports = hasDocType('acceptance_report');
  out.acceptanceDate = firstOf(
    () => pick(documents, ['acceptanceDate'], acceptanceReports),
    () => pick(documents, ['docDate'], acceptanceReports),
  );
  out.acceptanceConclusion = pick(documents, ['acceptanceConclusion'], acceptanceReports);
  out.contractAgreedAcceptance = pick(documents, ['contractAgreedAcceptance'], mainContract);

  // 正式运行: the earliest dated statement gives the date; without one, the most confident statement.
  const statements = collect(documents, ['formalOperation'], () => 1);
  if (statements.length > 0) {
    const dated = statements
      .filter((e) => e.candidate.value.kind === 'statement' && e.candidate.value.date)
      .sort((a, b) => {
        const da = a.candidate.value.kind === 'statement' ? a.candidate.value.date!.earliest : '';
        const db = b.candidate.value.kind === 'statement' ? b.candidate.value.date!.earliest : '';
        return da.localeCompare(db);
      });
    const first = dated[0] ?? [...statements].sort((a, b) => b.candidate.confidence - a.candidate.confidence)[0]!;
    out.formalOperation = buildField(first, statements);
    if (dated[0] && dated[0].candidate.value.kind === 'statement') {
      out.formalOperationDate = { ...buildField(dated[0], statements), value: dated[0].candidate.value.date!, alternatives: [] };
    }
  }
  return out;
}
