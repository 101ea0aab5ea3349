import { z } from 'zod';
import { FieldCandidateSchema, FieldProvenanceSchema, FieldValueSchema } from '../../extractors/fields/schema.ts';
import { DossierTermsSchema } from './terms-schema.ts';

/** The dossier-level fields: one chosen value per field with its provenance, and the disagreements among documents. */

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
  /** For amounts: the checklist's thresholds (万元) that the differing values fall on different sides of. */
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
  /** The clause facts (terms-schema.ts): contract parties, payment schedule, service periods, changes, tests, certificates, meetings, versions. */
  terms: DossierTermsSchema.optional(),
});
export type AggregatedFields = z.infer<typeof AggregatedFieldsSchema>;

/** Dossier-level field names that aggregation fills (the fact names of checklists/facts.yaml where one exists). */
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
export type AggregatedFieldName = (typeof AGGREGATED_FIELD_NAMES)[number];
