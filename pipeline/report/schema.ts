import { SealRecordSchema } from '../../extractors/seals/schema.ts';
import { z } from 'zod';
import { ExtractionStatusSchema, FileFindingSchema, FileKindSchema, SeveritySchema } from '../../extractors/model.ts';
import { ClassificationGradeSchema, DocTypeEvidenceSchema } from '../../checklists/classify.ts';
import { RequirementResultSchema, RequirementStatusSchema } from '../../checklists/evaluate.ts';
import { FactValueSchema, PageRangeSchema } from '../../checklists/presence/schema.ts';
import { SegmentBoundarySchema } from '../../extractors/segment/index.ts';
import { StageSchema } from '../../checklists/schema.ts';
import { AppliedCorrectionSchema } from '../corrections/schema.ts';
import { decideVerdict, VerdictSchema } from './verdict.ts';

/**
 * The completeness report: the product's contract with officers, units and other systems.
 * Bump REPORT_SCHEMA_VERSION on any incompatible change; `npm run schema` regenerates schema/completeness-report.schema.json.
 */
export const REPORT_SCHEMA_VERSION = '1.0.0';

// Defined once, with the checklists that name the stages and the facts; the report shows the same values.
export { StageSchema, type Stage } from '../../checklists/schema.ts';
export { FactValueSchema } from '../../checklists/presence/schema.ts';

export { RequirementStatusSchema };
export type RequirementStatus = z.infer<typeof RequirementStatusSchema>;

export const EvidenceSchema = z.object({
  path: z.string().optional(),
  /** The pages of `path` the document covers, when the file binds several documents. */
  pageRange: PageRangeSchema.optional(),
  page: z.number().int().positive().optional(),
  quote: z.string().optional(),
  docType: z.string().optional(),
  /** How a row was satisfied: by a file of that type, or by a delimited section inside a host document. */
  via: z.enum(['file', 'section']).optional(),
  source: z.enum(['text-layer', 'ocr']).optional(),
  label: z.string().optional(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const ReportFactSchema = z.object({
  value: FactValueSchema.nullable(),
  source: z.enum(['declared', 'derived']),
  /** For a derived fact: the field, file or rule it came from. */
  from: z.string().optional(),
  evidence: z.array(EvidenceSchema).optional(),
});

export const ProvenanceSchema = z.object({
  path: z.string(),
  page: z.number().int().positive().optional(),
  label: z.string().optional(),
  quote: z.string(),
  source: z.enum(['text-layer', 'ocr']).optional(),
});

export const ReportFieldSchema = z.object({
  value: z.union([z.string(), z.number(), z.null()]),
  provenance: ProvenanceSchema.nullable(),
  /** Other values stated elsewhere, with their sources (conflicts are also findings). */
  alternatives: z.array(z.object({ value: z.union([z.string(), z.number()]), provenance: ProvenanceSchema })).default([]),
});

export const ReportDocTypeSchema = z.object({
  id: z.string(),
  name: z.string(),
  confidence: z.number().min(0).max(1),
  evidence: DocTypeEvidenceSchema,
});

/** One document bound inside a file (a 汇编, a scanner run): its pages, how its start was found and its doc types. */
export const ReportSegmentSchema = z.object({
  firstPage: z.number().int().positive(),
  lastPage: z.number().int().positive(),
  /** `front-matter` (cover, 前言, 目录) and `blank` sheets are shown but count for no row. */
  role: z.enum(['document', 'front-matter', 'blank']),
  boundary: SegmentBoundarySchema,
  titleLine: z.string().optional(),
  docTypes: z.array(ReportDocTypeSchema),
  needsReview: z.boolean(),
  /** The loose file that is this same document: counted once, through that file. */
  duplicateOf: z.string().optional(),
  /**
   * Pages of this document only partly read: the cheap pass over a long scan OCR'd their top and bottom (to find the
   * documents and titles), not their body. A row or check that would need their body is never called missing on them.
   */
  partlyReadPages: z.array(z.number().int().positive()).optional(),
});
export type ReportSegment = z.infer<typeof ReportSegmentSchema>;

export const ReportFileSchema = z.object({
  path: z.string(),
  kind: FileKindSchema,
  status: ExtractionStatusSchema,
  message: z.string().optional(),
  sha256: z.string(),
  size: z.number().int().nonnegative(),
  pageCount: z.number().int().nonnegative(),
  ocrPages: z.number().int().nonnegative(),
  docTypes: z.array(ReportDocTypeSchema),
  /** Types carried only as a delimited section (section-or-file rows). */
  sections: z.array(z.object({ docType: z.string(), name: z.string(), heading: z.string(), page: z.number().int().positive() })),
  /** For an unreadable file: what its name says it would have been. */
  contentDocTypes: z.array(z.string()).default([]),
  needsReview: z.boolean(),
  /** How sure the classifier is of the file's type (Docling's grades); poor = a person confirms it. */
  grade: ClassificationGradeSchema.optional(),
  /**
   * For a file whose type is unsure: its two best types with scores and evidence ("可能是"). It satisfies no checklist
   * row by itself; a row it might satisfy is 需确认.
   */
  candidates: z.array(z.object({ id: z.string(), name: z.string(), score: z.number().min(0).max(1), evidence: DocTypeEvidenceSchema })).optional(),
  duplicateOf: z.string().optional(),
  /** The documents the file binds, when more than one; empty for a file that is one document. */
  segments: z.array(ReportSegmentSchema).default([]),
  /** A photo of a later page of a document photographed page by page: the first photo, which stands for it. */
  seriesOf: z.string().optional(),
  /** On that first photo: all the photos of the document, in page order. */
  series: z.array(z.string()).optional(),
  /** Seals found on the file's pages (scans, photos) or carried by it (OFD signatures), each with a crop and its text. */
  seals: z.array(SealRecordSchema).optional(),
  /** 已人工指定类型: the officer's doc type, who set it and when; `docTypes` then holds that type alone. */
  correction: AppliedCorrectionSchema.optional(),
  /**
   * What extraction noticed about this file (OCR confidence, garbled text layer, truncation…). Codes are those of
   * extractors/finding-codes.ts; the report keeps them an open string so a reader of older or newer reports still
   * validates.
   */
  findings: z.array(FileFindingSchema.extend({ code: z.string() })).default([]),
});
export type ReportFile = z.infer<typeof ReportFileSchema>;

/** One presence row's outcome: the evaluator's own schema is the report's (checklists/evaluate.ts). */
export const RequirementSchema = RequirementResultSchema;
export type Requirement = z.infer<typeof RequirementSchema>;

export const FindingSchema = z.object({
  ruleId: z.string(),
  kind: z.string().optional(),
  severity: SeveritySchema,
  message: z.string(),
  rowId: z.string().optional(),
  article: z.string().optional(),
  evidence: z.array(EvidenceSchema).default([]),
});
export type Finding = z.infer<typeof FindingSchema>;

/** An asked rule (requirements §4) whose fact no document states: a question in 需确认, in Chinese. */
export const RuleQuestionSchema = z.object({
  ruleId: z.string(),
  title: z.string(),
  article: z.string(),
  quote: z.string(),
  /** The fact to declare (CLI `--fact 名称=值`, the API's recheck). */
  fact: z.string(),
  /** Its Chinese label, from checklists/facts.yaml. */
  factLabel: z.string().optional(),
  question: z.string(),
});
export type RuleQuestion = z.infer<typeof RuleQuestionSchema>;

/** 人工核验要点: a rule that needs a person's judgement, what to look at, and the documents and pages where to look. */
export const ReviewItemSchema = z.object({
  ruleId: z.string(),
  title: z.string(),
  article: z.string(),
  quote: z.string(),
  severity: SeveritySchema,
  /** What the reviewer looks at and compares. */
  look: z.string(),
  /** Why no machine check does it. */
  reason: z.string(),
  /** The doc types to look in, by name, whether or not the dossier has them. */
  lookIn: z.array(z.string()),
  /** Where the dossier has them: file, pages, doc type (its Chinese name in `label`). */
  places: z.array(EvidenceSchema),
  /** Facts its applicability waits for: the reviewer decides whether it applies. */
  unknownFacts: z.array(z.string()).default([]),
});
export type ReviewItem = z.infer<typeof ReviewItemSchema>;

export const TimingsSchema = z.object({
  intakeMs: z.number(),
  extractMs: z.number(),
  classifyMs: z.number(),
  fieldsMs: z.number(),
  evaluateMs: z.number(),
  totalMs: z.number(),
});

export { VerdictSchema, type Verdict } from './verdict.ts';

export const ReportSummarySchema = z.object({
  files: z.number().int(),
  unreadableFiles: z.number().int(),
  ocrPages: z.number().int(),
  satisfied: z.number().int(),
  missing: z.number().int(),
  unreadable: z.number().int(),
  needsConfirmation: z.number().int(),
  notApplicable: z.number().int(),
  errors: z.number().int(),
  warnings: z.number().int(),
});

const CompletenessReportObjectSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  generatedAt: z.string(),
  input: z.string(),
  city: z.string(),
  cityName: z.string(),
  stage: StageSchema,
  checklist: z.object({ id: z.string(), name: z.string(), regulation: z.string().optional(), seedFile: z.string().optional() }),
  /** filing only: the step the dossier was checked at (declared or derived). */
  filingStep: z.enum(['plan', 'approval']).optional(),
  /** True when nothing error-level is missing and the dossier could be read (verdict.outcome === 'complete'). */
  complete: z.boolean(),
  verdict: VerdictSchema,
  facts: z.record(z.string(), ReportFactSchema),
  fields: z.record(z.string(), ReportFieldSchema),
  files: z.array(ReportFileSchema),
  skipped: z.array(z.string()),
  requirements: z.array(RequirementSchema),
  findings: z.array(FindingSchema),
  /** Asked rules waiting for a fact (shown with the 需确认 rows). Older reports have none. */
  questions: z.array(RuleQuestionSchema).default([]),
  /** Rules for the reviewer (人工核验要点). Older reports have none. */
  reviewItems: z.array(ReviewItemSchema).default([]),
  /**
   * Set when the documents seem to belong to another jurisdiction than the one checked against (its place names,
   * issuers and 文号 prefixes, and none or few of this one's): the officer confirms before trusting the result.
   */
  cityMismatch: z
    .object({
      city: z.string(),
      cityName: z.string(),
      message: z.string(),
      evidence: z.array(z.object({ path: z.string(), page: z.number().int().optional(), quote: z.string(), hint: z.string() })),
    })
    .optional(),
  summary: ReportSummarySchema,
  timings: TimingsSchema,
});

/**
 * Reports stored before the verdict existed gain it when read: it follows from what they already hold, so nothing
 * has to be rewritten in storage.
 */
export const CompletenessReportSchema = z.preprocess(withDerivedVerdict, CompletenessReportObjectSchema);
export type CompletenessReport = z.infer<typeof CompletenessReportSchema>;

function withDerivedVerdict(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || 'verdict' in value) return value;
  const report = value as Partial<CompletenessReport>;
  if (!Array.isArray(report.requirements) || !Array.isArray(report.findings) || !Array.isArray(report.files)) return value;
  const intakeFindings = report.findings.filter((f) => f.kind === 'intake');
  return { ...report, verdict: decideVerdict({ requirements: report.requirements, findings: report.findings, files: report.files, intakeFindings }) };
}
