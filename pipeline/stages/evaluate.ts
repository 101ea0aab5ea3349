import { performance } from 'node:perf_hooks';
import { DocTypeClassifier } from '../../checklists/classify.ts';
import { evaluatePresenceDetailed, type PresenceFile } from '../../checklists/evaluate.ts';
import {
  aggregateFields,
  factLookup,
  factsFromFields,
  investmentThresholdsWan,
  presenceFacts,
  ruleContext,
  settledFacts,
  type DeclaredFacts,
  type FactsDocument,
} from '../../checklists/facts/index.ts';
import { loadChecklist } from '../../checklists/load.ts';
import type { ClockEvent } from '../../checklists/clock.ts';
import type { RuleFile } from '../../checklists/rules/context.ts';
import type { SealRuleFile } from '../../checklists/rules/seal-checks.ts';
import { sealsOf } from '../../extractors/seals/records.ts';
import { evaluateRules } from '../../checklists/rules/engine.ts';
import { extractFields } from '../../extractors/fields/extract.ts';
import type { Classification } from '../../checklists/classify.ts';
import type { LoadedCatalogue } from '../../checklists/load.ts';
import { correctClassification, prepareCorrections, type AppliedCorrection, type TypeCorrection } from '../corrections/index.ts';
import type { FileFinding } from '../../extractors/model.ts';
import type { IntakeResult } from '../intake/model.ts';
import { isReadable, type ClassifiedFile, type DossierEvaluation, type ExtractedFile } from '../model.ts';
import { buildReport } from '../report/build.ts';
import { guardPartlyRead } from './partly-read.ts';
import { documentsOf, linkBoundDuplicates, withPhotoSeries, withSegments, type SegmentationCorrection } from './segment.ts';
import type { CompletenessReport, Stage } from '../report/schema.ts';

/** The evaluate stage and the report it ends in (pipeline/flow.ts lists where it stands). */

export interface EvaluateExtractedInput {
  /** Name of the uploaded archive, folder or file, as the report shows it. */
  input: string;
  checklist: string;
  stage: Stage;
  facts: DeclaredFacts;
  /** The officer's doc types for some files; they replace the classifier's answer for those files. */
  corrections?: readonly TypeCorrection[];
  extracted: ExtractedFile[];
  /** The officer's page starts for files the segmentation split wrongly (or did not split); replace its segments. */
  segmentations?: readonly SegmentationCorrection[];
  unreadableEntries: IntakeResult['unreadableEntries'];
  skipped: string[];
  intakeFindings: FileFinding[];
  /** The office's record of the dossier (受理, 收齐, 补正): dates the time-limit rules count from (checklists/facts/events.ts). */
  events?: readonly ClockEvent[];
  /** Times of the stages that ran before (elsewhere, in a queue); `startedAt` is a performance.now() value. */
  timings?: { intakeMs?: number; extractMs?: number; startedAt?: number };
}

type UnreadableEntry = IntakeResult['unreadableEntries'][number] & { classification: ClassifiedFile['classification']; correction?: AppliedCorrection };

/**
 * Everything after extraction: classify → fields → facts → checklist rows → rules → report. Pure over its input (no
 * I/O), so the embedded runner, a queue's parent job and a re-check with new facts all call this same function. What
 * the facts are and what the rules may read is checklists/facts; this function only passes data between the steps.
 */
export function evaluateExtracted(input: EvaluateExtractedInput): CompletenessReport {
  const started = input.timings?.startedAt ?? performance.now();
  const checklist = loadChecklist(input.checklist);
  const catalogue = checklist.catalogue;

  let t = performance.now();
  const classifier = new DocTypeClassifier(catalogue);
  const correctionFor = prepareCorrections(input.corrections ?? [], catalogue, [
    ...input.extracted.map((e) => e.file),
    ...input.unreadableEntries.map((entry) => ({ path: entry.path, sha256: '' })),
  ]);
  const segmented: ClassifiedFile[] = input.extracted.map((e) => ({
    ...e,
    ...corrected(classifier.classify({ path: e.file.path, readable: isReadable(e.doc), pages: e.doc.pages }), correctionFor(e.file), catalogue),
  })).map((c) => withSegments(c, classifier, input.segmentations?.find((s) => s.path === c.file.path)));
  const classified = linkBoundDuplicates(withPhotoSeries(segmented, classifier));
  const unreadableEntries: UnreadableEntry[] = input.unreadableEntries.map((entry) => ({
    ...entry,
    ...corrected(classifier.classify({ path: entry.path, readable: false, pages: [] }), correctionFor({ path: entry.path, sha256: '' }), catalogue),
  }));
  const classifyMs = performance.now() - t;

  t = performance.now();
  const documents: FactsDocument[] = classified.flatMap((c) =>
    documentsOf(c).map((d) => ({
      path: c.file.path,
      docTypes: d.classification.docTypes.map((t) => t.id),
      candidates: isReadable(c.doc) ? extractFields({ path: c.file.path, pages: d.pages }) : [],
    })),
  );
  const fields = aggregateFields({ documents, catalogue, investmentThresholdsWan: investmentThresholdsWan(checklist) });
  const fieldsMs = performance.now() - t;

  t = performance.now();
  const fieldFacts = factsFromFields(input.facts, fields, input.events);
  const presence = evaluatePresenceDetailed({
    checklist,
    stage: input.stage,
    facts: presenceFacts(fieldFacts, checklist.factTable),
    files: presenceFiles(classified, unreadableEntries),
  });
  const facts = settledFacts(fieldFacts, presence.facts, { stage: input.stage, checklistId: checklist.id });
  const regulation = { entryIntoForce: checklist.entryIntoForce.date, validUntil: checklist.validUntil };
  const rules = evaluateRules(checklist.boundRules, { ...ruleContext({ stage: input.stage, facts, documents, files: ruleFiles(classified), events: input.events }), regulation }, factLookup(facts));
  const guarded = guardPartlyRead(presence, rules.findings, checklist, classified);
  const evaluation: DossierEvaluation = { presence: guarded.presence, ruleFindings: guarded.ruleFindings, ruleQuestions: rules.questions, reviewItems: rules.reviewItems, facts };
  const evaluateMs = performance.now() - t;

  return buildReport({
    input: input.input,
    checklist,
    catalogue,
    stage: input.stage,
    fields,
    files: classified,
    unreadableEntries,
    skipped: input.skipped,
    intakeFindings: input.intakeFindings,
    evaluation,
    timings: {
      intakeMs: input.timings?.intakeMs ?? 0,
      extractMs: input.timings?.extractMs ?? 0,
      classifyMs,
      fieldsMs,
      evaluateMs,
      totalMs: performance.now() - started,
    },
  });
}

/** The classifier's answer, or the officer's where there is a correction for the file. */
function corrected(classification: Classification, correction: TypeCorrection | undefined, catalogue: LoadedCatalogue): { classification: Classification; correction?: AppliedCorrection } {
  if (!correction) return { classification };
  const { classification: c, applied } = correctClassification(classification, correction, catalogue);
  return { classification: c, correction: applied };
}

/** Every file the checklist's rows may count, duplicates once, and the archive entries that could not be unpacked. */
function presenceFiles(classified: ClassifiedFile[], unreadableEntries: UnreadableEntry[]): PresenceFile[] {
  return [
    ...classified
      .filter((f) => !f.duplicateOf)
      .flatMap((f) =>
        documentsOf(f).map(({ classification, pageRange }) => ({
          path: f.file.path,
          pageRange,
          status: f.doc.status,
          docTypes: classification.docTypes.map((d) => ({ id: d.id, confidence: d.confidence, evidence: d.evidence })),
          sections: classification.sections,
          contentDocTypes: classification.nameDocTypes,
          unsureCandidates: classification.unsure ? classification.candidates.map((c) => ({ id: c.id, score: c.score })) : undefined,
        })),
      ),
    ...unreadableEntries.map((e) => ({
      path: e.path,
      status: e.reason === 'encrypted' ? ('encrypted' as const) : ('unreadable' as const),
      docTypes: [],
      contentDocTypes: e.classification.nameDocTypes,
    })),
  ];
}

/** The readable files, duplicates once, with their pages, for the rules that read text. */
function ruleFiles(classified: ClassifiedFile[]): RuleFile[] {
  return classified
    .filter((f) => !f.duplicateOf && f.doc.status === 'ok')
    .flatMap((f) => documentsOf(f).map((d) => ({ path: f.file.path, docTypes: d.classification.docTypes.map((t) => t.id), sections: d.classification.sections, pages: d.pages, ...sealFields(f.doc) })));
}

/** Seals found on the file (scanned and electronic) and the pages searched for them, for GEN-10 (checklists/rules/seal-checks.ts). */
function sealFields(doc: ClassifiedFile['doc']): Pick<SealRuleFile, 'seals' | 'sealScan'> {
  const seals = sealsOf(doc);
  return { ...(seals.length > 0 ? { seals } : {}), ...(doc.sealScan ? { sealScan: doc.sealScan } : {}) };
}
