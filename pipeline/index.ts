/**
 * What the entry points (the CLI, the API) use of the pipeline. They reach the checklists and the extractors only
 * through here, so the layers below can change without the entry points noticing.
 */
export { checkDossier, type CheckOptions } from './check-dossier.ts';
export { extractDossier, type ExtractionResult } from './extract-dossier.ts';
export { DOSSIER_STAGES, runDossierFlow, type DossierFlowOptions, type DossierFlowResult } from './flow.ts';
export { batchDossierNames, runBatch, type BatchProgressEvent } from './batch.ts';
export { coresSchema, cpuPlan, defaultCores, describeCpuPlan, describeWorkerCpuPlan, limitSharedReaders, MAX_CORES, useCpuPlan, workerCpuPlan, type CpuPlan, type WorkerCpuPlan } from './cpu-plan.ts';
export { FactArgumentError, parseFactArguments, parseFactValue } from '../checklists/facts/index.ts';
export {
  assertKnownFile,
  docTypeChoices,
  formatBeijingTime,
  parseTypeArguments,
  resolveDocType,
  TypeArgumentError,
  TypeCorrectionError,
  TypeCorrectionSchema,
  TypeCorrectionsSchema,
  type DocTypeChoiceGroup,
  type TypeCorrection,
} from './corrections/index.ts';
export { localExtractionCache } from './extraction-cache.ts';
export { renderHtml } from './report/render-html.ts';
export { renderMarkdown } from './report/render-markdown.ts';
export type { CompletenessReport, Stage } from './report/schema.ts';
export type { ExtractionCache, ExtractedFile, ProgressEvent } from './model.ts';
export { evaluateExtracted } from './stages/evaluate.ts';
export { parseSegmentArguments, SegmentArgumentError, SegmentationCorrectionSchema, type SegmentationCorrection } from './stages/segment.ts';
export { readCachedExtractions } from './stages/extract.ts';
export { quoteRegions, QuoteRegionsSchema, type QuoteRegions } from './report/quote-region.ts';
export { linkDuplicates } from './stages/link-duplicates.ts';
export { storeContents } from './stages/store-contents.ts';
export { describeChecklist } from '../checklists/describe.ts';
export { describeCondition, type FactValue } from '../checklists/conditions.ts';
export { lintChecklistFile } from '../checklists/lint.ts';
export { ChecklistValidationError, docTypeName, listChecklists, loadChecklist, type LoadedChecklist } from '../checklists/load.ts';
export { FileFindingSchema, type ExtractedDocument, type OcrEngine } from '../extractors/model.ts';
export { closeSharedOcrPool, getSharedOcrPool } from '../extractors/ocr/index.ts';
export { openZipFile } from '../extractors/sniff.ts';
export { IntakeError } from './intake/index.ts';
export { generateNotice, NoticeOptionsSchema, NOTICE_MEDIA_TYPES, type NoticeFormat, type NoticeOptions } from './notice/index.ts';
export { CompletenessReportSchema } from './report/schema.ts';
export { beijingDate, ClockSchema, statutoryClocks, type Clock, type ClockEvent } from '../checklists/clock.ts';
export { formFacts, FormFactSchema, type FormFact } from './form-facts.ts';
export { factsSheetCsv, factsSheetXlsx, FactsSheetError, FACTS_SHEET_LIMITS, readFactsSheet, type SheetFacts } from './facts-sheet.ts';
