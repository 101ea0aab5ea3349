import { performance } from 'node:perf_hooks';
import { DocTypeClassifier } from '../../checklists/classify.ts';
import { loadChecklist } from '../../checklists/load.ts';
import { extractFields } from '../../extractors/fields/extract.ts';
import type { FileFinding } from '../../extractors/model.ts';
import { aggregateFields } from '../aggregate-fields.ts';
import { evaluateDossier } from '../evaluate-dossier.ts';
import type { DeclaredFacts } from '../facts.ts';
import type { IntakeResult } from '../intake/model.ts';
import { isReadable, type ExtractedFile } from '../model.ts';
import { buildReport } from '../report/build.ts';
import type { CompletenessReport, Stage } from '../report/schema.ts';

/** The evaluate stage and the report it ends in (pipeline/flow.ts lists where it stands). */

export interface EvaluateExtractedInput {
  /** Name of the uploaded archive, folder or file, as the report shows it. */
  input: string;
  checklist: string;
  stage: Stage;
  facts: DeclaredFacts;
  extracted: ExtractedFile[];
  unreadableEntries: IntakeResult['unreadableEntries'];
  skipped: string[];
  intakeFindings: FileFinding[];
  /** Times of the stages that ran before (elsewhere, in a queue); `startedAt` is a performance.now() value. */
  timings?: { intakeMs?: number; extractMs?: number; startedAt?: number };
}

/**
 * Everything after extraction: classify → fields → facts → evaluate → report. Pure over its input (no I/O), so the
 * embedded runner, a queue's parent job and a re-check with new facts all call this same function.
 */
export function evaluateExtracted(input: EvaluateExtractedInput): CompletenessReport {
  const started = input.timings?.startedAt ?? performance.now();
  const checklist = loadChecklist(input.checklist);
  const catalogue = checklist.catalogue;

  let t = performance.now();
  const classifier = new DocTypeClassifier(catalogue);
  const classified = input.extracted.map((e) => ({
    ...e,
    classification: classifier.classify({ path: e.file.path, readable: isReadable(e.doc), pages: e.doc.pages }),
  }));
  const unreadableEntries = input.unreadableEntries.map((entry) => ({
    ...entry,
    classification: classifier.classify({ path: entry.path, readable: false, pages: [] }),
  }));
  const classifyMs = performance.now() - t;

  t = performance.now();
  const perFile = classified.map((c) => ({
    path: c.file.path,
    docTypes: c.classification.docTypes.map((d) => d.id),
    candidates: isReadable(c.doc) ? extractFields({ path: c.file.path, pages: c.doc.pages }) : [],
  }));
  const fields = aggregateFields(perFile);
  const fieldsMs = performance.now() - t;

  t = performance.now();
  const evaluation = evaluateDossier({
    checklist,
    stage: input.stage,
    declared: input.facts,
    fields,
    files: classified,
    unreadableEntries,
    perFile,
  });
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
