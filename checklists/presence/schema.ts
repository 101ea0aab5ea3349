import { z } from 'zod';
import type { FactValue } from '../conditions/index.ts';
import type { LoadedChecklist } from '../load.ts';
import type { Stage } from '../schema.ts';

/**
 * What the presence evaluator (checklists/evaluate.ts) takes and gives. The output schemas are the report's own
 * (pipeline/report/schema.ts builds on RequirementResultSchema), so a change here is a change of the report.
 */

// ---------------------------------------------------------------------------------------------------------------
// Input

export const FactValueSchema = z.union([z.boolean(), z.number(), z.string(), z.array(z.string())]);

export const FactInputSchema = z.object({
  /** null or absent means unknown. */
  value: FactValueSchema.nullable().optional(),
  source: z.enum(['declared', 'derived']),
  /** For a derived fact: the field, file or rule it came from. */
  from: z.string().optional(),
});
export type FactInput = z.infer<typeof FactInputSchema>;

export const FileStatusSchema = z.enum(['ok', 'empty', 'unreadable', 'encrypted', 'unsupported']);
export type FileStatus = z.infer<typeof FileStatusSchema>;

/** The pages of a file one document covers, when the file binds several (extractors/segment). */
export const PageRangeSchema = z.object({ first: z.number().int().positive(), last: z.number().int().positive() });

export const PresenceFileSchema = z.object({
  path: z.string(),
  /** Set when this entry is one document of a bound volume: its pages in the file. */
  pageRange: PageRangeSchema.optional(),
  status: FileStatusSchema,
  docTypes: z.array(
    z.object({
      id: z.string(),
      confidence: z.number(),
      evidence: z.object({ page: z.number().optional(), quote: z.string().optional(), rule: z.string() }),
    }),
  ),
  /** Delimited sections of other types inside this file (section-or-file rows). */
  sections: z.array(z.object({ docType: z.string(), heading: z.string(), page: z.number().optional() })).optional(),
  /** What an unreadable file would have been, judged from its name. */
  contentDocTypes: z.array(z.string()).optional(),
  /**
   * A readable file whose type the classifier is unsure of (checklists/classify.ts `unsure`): its best two types with
   * scores. It satisfies no row; a row it might satisfy needs confirmation instead of being missing.
   */
  unsureCandidates: z.array(z.object({ id: z.string(), score: z.number() })).optional(),
});
export type PresenceFile = z.infer<typeof PresenceFileSchema>;
export type PageRange = z.infer<typeof PageRangeSchema>;

export interface PresenceInput {
  checklist: LoadedChecklist;
  stage: Stage;
  facts: Record<string, FactInput>;
  files: PresenceFile[];
}

// ---------------------------------------------------------------------------------------------------------------
// Output

export const RequirementStatusSchema = z.enum(['satisfied', 'missing', 'not_applicable', 'needs_confirmation', 'unreadable']);
export type RequirementStatus = z.infer<typeof RequirementStatusSchema>;

export const RequirementEvidenceSchema = z.object({
  path: z.string(),
  /** The pages of `path` the document covers, when the file binds several documents. */
  pageRange: PageRangeSchema.optional(),
  page: z.number().optional(),
  quote: z.string().optional(),
  docType: z.string(),
  via: z.enum(['file', 'section']),
  /** For a section: its heading and host, in words. */
  label: z.string().optional(),
});
export type RequirementEvidence = z.infer<typeof RequirementEvidenceSchema>;

export const PresenceFindingSchema = z.object({
  ruleId: z.string(),
  kind: z.literal('presence'),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  rowId: z.string(),
  article: z.string(),
  evidence: z.array(RequirementEvidenceSchema).default([]),
});
export type PresenceFinding = z.infer<typeof PresenceFindingSchema>;

export const RequirementResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  stage: z.enum(['filing', 'acceptance']),
  step: z.enum(['plan', 'approval']).optional(),
  /** Doc types (or section keys) the row names. */
  docTypes: z.array(z.string()),
  status: RequirementStatusSchema,
  /** Severity of this outcome: the row's for missing/unreadable, warning for needs_confirmation, info when fine. */
  severity: z.enum(['error', 'warning', 'info']),
  /** Severity the row carries when missing (its `severity` in the checklist file). */
  rowSeverity: z.enum(['error', 'warning']),
  basis: z.object({
    kind: z.enum(['listed', 'precondition', 'implied', 'output']),
    article: z.string(),
    quote: z.string(),
    /** The quote in Simplified Chinese without annotations, when the seed spells it otherwise (004). */
    quoteNormalised: z.string().optional(),
    seedFile: z.string(),
  }),
  evidence: z.array(RequirementEvidenceSchema),
  unknownFacts: z.array(z.string()).default([]),
  /** The row's condition, as written and in words. */
  condition: z.object({ source: z.string(), text: z.string(), value: z.union([z.boolean(), z.literal('unknown')]) }),
  whatToSubmit: z.string(),
  message: z.string(),
  findings: z.array(PresenceFindingSchema).default([]),
});
export type RequirementResult = z.infer<typeof RequirementResultSchema>;

export interface EffectiveFact {
  value: FactValue;
  source: 'declared' | 'derived';
  from?: string;
}

export interface PresenceEvaluation {
  results: RequirementResult[];
  /** Every finding of every row, in row order. */
  findings: PresenceFinding[];
  /** The facts as the evaluator used them: the input plus what it derived (filingStep, local and derived facts). */
  facts: Record<string, EffectiveFact>;
  /** Filing rows of the approval step when the dossier is at the plan step. */
  skippedRows: Array<{ id: string; reason: string }>;
}

