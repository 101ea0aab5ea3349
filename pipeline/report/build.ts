import { sealsOf } from '../../extractors/seals/records.ts';
import type { SealRecord } from '../../extractors/seals/schema.ts';
import type { FileFinding } from '../../extractors/model.ts';
import { detectCityMismatch } from '../../checklists/city-hints.ts';
import { docTypeName, listChecklists, loadChecklist, type LoadedCatalogue, type LoadedChecklist } from '../../checklists/load.ts';
import { fieldValueToScalar, type AggregatedFields } from '../../checklists/facts/index.ts';
import type { ClassifiedFile, DossierEvaluation } from '../model.ts';
import {
  CompletenessReportSchema,
  REPORT_SCHEMA_VERSION,
  type CompletenessReport,
  type Finding,
  type ReportFile,
  type Stage,
} from './schema.ts';
import { decideVerdict } from './verdict.ts';

/** Fields every report carries (null when no readable document states them). */
const REPORT_FIELDS = [
  'projectName',
  'constructionUnit',
  'contractor',
  'supervisor',
  'testingAgency',
  'totalInvestmentWan',
  'approvedEstimateWan',
  'contractAmountWan',
  'approvalDate',
  'approvalDocNumber',
  'mainContractDate',
  'trialRunStartDate',
  'trialRunEndDate',
  'preliminaryAcceptanceDate',
  'preliminaryAcceptanceConclusion',
  'acceptanceApplicationDate',
  'acceptanceDate',
] as const;

export interface BuildReportInput {
  input: string;
  checklist: LoadedChecklist;
  catalogue: LoadedCatalogue;
  stage: Stage;
  fields: AggregatedFields;
  files: ClassifiedFile[];
  unreadableEntries: Array<{ path: string; reason: string; classification: ClassifiedFile['classification']; correction?: ClassifiedFile['correction'] }>;
  skipped: string[];
  intakeFindings: FileFinding[];
  evaluation: DossierEvaluation;
  timings: CompletenessReport['timings'];
}

export function buildReport(input: BuildReportInput): CompletenessReport {
  const { evaluation } = input;
  const requirements = evaluation.presence.results;
  const files: ReportFile[] = [
    ...input.files.map((f) => reportFile(f, input.catalogue)),
    ...input.unreadableEntries.map(
      (e): ReportFile => ({
        path: e.path,
        kind: 'unknown',
        status: e.reason === 'encrypted' ? 'encrypted' : 'unreadable',
        message: e.reason === 'encrypted' ? '压缩包中的该文件已加密，无法读取' : '压缩包中的该文件无法解出',
        sha256: '',
        size: 0,
        pageCount: 0,
        ocrPages: 0,
        // Empty unless an officer said what the entry is.
        docTypes: e.classification.docTypes.map((d) => ({ ...d, name: docTypeName(input.catalogue, d.id) })),
        sections: [],
        contentDocTypes: e.classification.nameDocTypes,
        needsReview: e.correction === undefined,
        segments: [],
        correction: e.correction,
        findings: [],
      }),
    ),
  ];

  const findings: Finding[] = [
    ...input.intakeFindings.map((f) => ({
      ruleId: f.code,
      kind: 'intake',
      severity: f.severity,
      message: f.message,
      evidence: f.path ? [{ path: f.path }] : [],
    })),
    ...evaluation.presence.findings.map((f) => ({ ...f, evidence: f.evidence.map((e) => ({ ...e })) })),
    ...evaluation.ruleFindings,
    ...unreadableFileFindings(files, input.catalogue),
    ...(files.length === 0
      ? [
          {
            ruleId: 'DOSSIER-EMPTY',
            kind: 'file',
            severity: 'error' as const,
            message: `材料包中没有可检查的文件${input.skipped.length ? `（仅有 ${input.skipped.length} 个已跳过的系统文件）` : ''}，请确认上传的是完整的材料包`,
            evidence: [],
          },
        ]
      : []),
  ];

  const count = (status: string) => requirements.filter((r) => r.status === status).length;
  const errors = requirements.filter((r) => (r.status === 'missing' || r.status === 'unreadable') && r.severity === 'error').length + findings.filter((f) => f.severity === 'error').length;
  const warnings =
    requirements.filter((r) => r.severity === 'warning' && r.status !== 'satisfied' && r.status !== 'not_applicable').length +
    findings.filter((f) => f.severity === 'warning').length;
  const verdict = decideVerdict({ requirements, findings, files, intakeFindings: input.intakeFindings });
  const filingStep = evaluation.facts.filingStep?.value;

  const report: CompletenessReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: new Date().toISOString(),
    input: input.input,
    city: input.checklist.id,
    cityName: input.checklist.name,
    stage: input.stage,
    filingStep: input.stage === 'filing' && (filingStep === 'plan' || filingStep === 'approval') ? filingStep : undefined,
    checklist: { id: input.checklist.id, name: input.checklist.name, regulation: input.checklist.regulation, seedFile: input.checklist.seedFile },
    // Complete: nothing error-level is missing or unreadable and no rule found an error. Warning-level gaps are advice
    // (建议补充), and rows that wait for a fact (需确认) are questions for the officer; neither blocks on its own.
    complete: verdict.outcome === 'complete',
    verdict,
    facts: Object.fromEntries(
      Object.entries(evaluation.facts)
        .filter(([, f]) => f.value !== undefined && f.value !== null)
        .map(([name, f]) => [name, { value: f.value as string | number | boolean | string[], source: f.source, from: f.from, evidence: f.evidence }]),
    ),
    fields: reportFields(input.fields),
    files,
    skipped: input.skipped,
    requirements,
    findings,
    questions: evaluation.ruleQuestions.map((q) => ({ ...q, factLabel: factLabel(input.checklist, q.fact) })),
    reviewItems: evaluation.reviewItems.map((r) => ({
      ruleId: r.ruleId,
      title: r.title,
      article: r.article,
      quote: r.quote,
      severity: r.severity,
      look: r.look,
      reason: r.reason,
      lookIn: r.docTypes.map((t) => sectionName(input.catalogue, t)),
      places: r.places.map((p) => ({
        path: p.path,
        docType: p.docType,
        label: p.heading ?? sectionName(input.catalogue, p.docType),
        page: p.firstPage,
        pageRange: p.firstPage !== undefined && p.lastPage !== undefined && p.lastPage > p.firstPage ? { first: p.firstPage, last: p.lastPage } : undefined,
        via: p.heading ? ('section' as const) : ('file' as const),
      })),
      unknownFacts: r.unknownFacts,
    })),
    cityMismatch: cityMismatchOf(input),
    summary: {
      files: files.length,
      unreadableFiles: files.filter((f) => f.status !== 'ok').length,
      ocrPages: input.files.filter((f) => !f.duplicateOf).reduce((n, f) => n + f.doc.meta.ocrPages, 0),
      satisfied: count('satisfied'),
      missing: count('missing'),
      unreadable: count('unreadable'),
      needsConfirmation: count('needs_confirmation'),
      notApplicable: count('not_applicable'),
      errors,
      warnings,
    },
    timings: roundTimings(input.timings),
  };
  return CompletenessReportSchema.parse(report);
}

/** The shipped jurisdictions the documents might belong to instead, each from its own file's hints. */
function cityMismatchOf(input: BuildReportInput): CompletenessReport['cityMismatch'] {
  const pages = input.files.filter((f) => !f.duplicateOf).flatMap((f) => f.doc.pages.map((p) => ({ path: f.file.path, page: p.n, text: p.text })));
  const others = listChecklists().map((c) => loadChecklist(c.path));
  const found = detectCityMismatch(input.checklist, others, pages);
  if (!found) return undefined;
  return {
    city: found.city,
    cityName: found.cityName,
    message: `需确认：材料似乎属于${found.cityName}，而本次按${input.checklist.name}的办法检查；请确认地区后再采信本报告`,
    evidence: found.evidence.map((e) => ({ path: e.path, page: e.page, quote: e.quote, hint: e.hint })),
  };
}

function reportFile(f: ClassifiedFile, catalogue: LoadedCatalogue): ReportFile {
  const c = f.classification;
  return {
    path: f.file.path,
    kind: f.file.kind,
    status: f.doc.status,
    message: f.doc.message,
    sha256: f.file.sha256,
    size: f.file.size,
    pageCount: f.doc.meta.pageCount,
    ocrPages: f.doc.meta.ocrPages,
    docTypes: c.docTypes.map((d) => ({ ...d, name: docTypeName(catalogue, d.id) })),
    sections: c.sections.map((s) => ({ ...s, name: sectionName(catalogue, s.docType) })),
    contentDocTypes: f.doc.status === 'ok' ? [] : c.nameDocTypes,
    needsReview: c.needsReview,
    grade: f.doc.status === 'ok' ? c.grade : undefined,
    candidates: c.unsure ? c.candidates.map((k) => ({ ...k, name: docTypeName(catalogue, k.id) })) : undefined,
    duplicateOf: f.duplicateOf,
    segments: (f.segments ?? []).map((s) => ({
      firstPage: s.segment.firstPage,
      lastPage: s.segment.lastPage,
      role: s.segment.role,
      boundary: s.segment.boundary,
      titleLine: s.segment.titleLine,
      docTypes: s.segment.role === 'document' ? s.classification.docTypes.map((d) => ({ ...d, name: docTypeName(catalogue, d.id) })) : [],
      needsReview: s.segment.role === 'document' && s.classification.needsReview,
      duplicateOf: s.duplicateOf,
      ...partlyRead(s.pages),
    })),
    seriesOf: f.seriesOf,
    series: f.series?.paths,
    ...sealsOfFile(f),
    correction: f.correction,
    findings: f.doc.findings,
  };
}

function factLabel(checklist: LoadedChecklist, name: string): string | undefined {
  return checklist.facts.byName.get(name)?.label ?? checklist.localFacts.find((f) => f.name === name)?.label;
}

function sectionName(catalogue: LoadedCatalogue, key: string): string {
  try {
    return docTypeName(catalogue, key);
  } catch {
    return key;
  }
}

/** A file that could not be read is a finding of its own, so it is never lost in the file table. */
function unreadableFileFindings(files: ReportFile[], catalogue: LoadedCatalogue): Finding[] {
  return files
    .filter((f) => f.status !== 'ok' && !f.duplicateOf)
    .map((f) => ({
      ruleId: `FILE-${f.status.toUpperCase()}`,
      kind: 'file',
      severity: 'warning' as const,
      message: `${f.path}：${f.message ?? '无法读取'}${f.contentDocTypes.length ? `（从文件名看应为：${f.contentDocTypes.map((d) => docTypeName(catalogue, d)).join('、')}）` : ''}`,
      evidence: [{ path: f.path }],
    }));
}

function reportFields(fields: AggregatedFields): CompletenessReport['fields'] {
  const out: CompletenessReport['fields'] = {};
  for (const name of REPORT_FIELDS) {
    const field = fields.fields[name];
    if (!field) {
      out[name] = { value: null, provenance: null, alternatives: [] };
      continue;
    }
    const scalar = fieldValueToScalar(field.value);
    const value = name.endsWith('Wan') && scalar !== null ? Number(scalar) : scalar;
    out[name] = {
      value,
      provenance: provenanceOf(field.provenance),
      alternatives: field.alternatives
        .map((a) => ({ value: fieldValueToScalar(a.value), provenance: provenanceOf(a.provenance) }))
        .filter((a): a is { value: string; provenance: ReturnType<typeof provenanceOf> } => a.value !== null)
        .slice(0, 10),
    };
  }
  return out;
}

function provenanceOf(p: { path: string; page: number; label: string; quote: string; source: 'text-layer' | 'ocr' }) {
  return { path: p.path, page: p.page, label: p.label, quote: p.quote, source: p.source };
}

function roundTimings(t: CompletenessReport['timings']): CompletenessReport['timings'] {
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Math.round(v)])) as CompletenessReport['timings'];
}

/** The pages of a segment whose body the cheap pass over a long scan did not read (extractors/pdf/skim.ts). */
function partlyRead(pages: ReadonlyArray<{ n: number; partial?: true }>): { partlyReadPages?: number[] } {
  const partial = pages.filter((p) => p.partial).map((p) => p.n);
  return partial.length > 0 ? { partlyReadPages: partial } : {};
}

/** The file's seals for the report, each with its crop beside its text; none for a duplicate (shown once, on the original). */
function sealsOfFile(f: ClassifiedFile): { seals?: SealRecord[] } {
  const seals = f.duplicateOf ? [] : sealsOf(f.doc);
  return seals.length > 0 ? { seals } : {};
}
