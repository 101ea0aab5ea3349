import { z } from 'zod';
import {
  CertificateValueSchema,
  DateValueSchema,
  PaymentValueSchema,
} from '../../extractors/fields/schema.ts';

/**
 * The dossier's clause facts (requirements §4, issue 13): what the rules beyond presence read after presence, each
 * value with the evidence (file, page, label, quote, text layer or OCR) it was read from. Built by aggregateTerms
 * (terms.ts) from the field candidates of every document; a concern with nothing stated is null or an empty list,
 * never a guess. Rules reach it as `ctx.terms` (rule-inputs.ts); the scalar facts derived from it are listed in
 * TERM_FACTS (terms.ts).
 */

export const TermEvidenceSchema = z.object({
  path: z.string(),
  page: z.number().int().positive(),
  label: z.string(),
  quote: z.string(),
  source: z.enum(['text-layer', 'ocr']),
});
export type TermEvidence = z.infer<typeof TermEvidenceSchema>;

/** One party of a contract: its name as written, norm(name), and its 统一社会信用代码 (GB 32100 checked) if stated. */
export const ContractPartySchema = z.object({
  name: z.string(),
  normalized: z.string(),
  creditCode: z.string().nullable(),
  /** null when no code is stated; false for a code whose check character is wrong (a misprint or an OCR error). */
  creditCodeValid: z.boolean().nullable(),
  evidence: z.array(TermEvidenceSchema),
});
export type ContractParty = z.infer<typeof ContractPartySchema>;

/** `contracts`: 甲方/乙方 of every contract-type document (contract, supervision_contract, om_agreement). */
export const ContractPartiesSchema = z.object({
  path: z.string(),
  docTypes: z.array(z.string()),
  partyA: ContractPartySchema.nullable(),
  partyB: ContractPartySchema.nullable(),
});

/** `awardee`: the winner named by the 中标/成交通知书 (procurement_documents). */
export const AwardeeSchema = z.object({ name: z.string(), normalized: z.string(), evidence: TermEvidenceSchema });

/**
 * `paymentSchedule`: the main contract's instalments (益阳第十九条). Percentages are exact decimal strings of the contract
 * price. `dueByAcceptancePercent` sums the instalments due no later than 竣工验收 (signing, delivery, acceptance, other);
 * `retainedPercent` those due after it (afterAcceptance, warranty).
 */
export const PaymentScheduleSchema = z.object({
  path: z.string(),
  instalments: z.array(PaymentValueSchema.omit({ kind: true }).extend({ evidence: TermEvidenceSchema })),
  totalPercent: z.string(),
  dueByAcceptancePercent: z.string(),
  retainedPercent: z.string(),
});
export type PaymentSchedule = z.infer<typeof PaymentScheduleSchema>;

/** `maintenancePeriod` (运维期, 益阳第二十一条) and `warrantyPeriod` (质保期): the longest one the contracts state. */
export const ServicePeriodSchema = z.object({
  months: z.number().int().positive(),
  /** The event or ISO date it counts from, when stated. */
  from: z.string().nullable(),
  text: z.string(),
  docTypes: z.array(z.string()),
  evidence: TermEvidenceSchema,
});
export type ServicePeriod = z.infer<typeof ServicePeriodSchema>;

/** `changes`: change amounts stated by change documents (常德第十一条第二款), one per document. */
export const ChangeAmountSchema = z.object({
  direction: z.enum(['increase', 'decrease']).nullable(),
  /** Exact 万元 decimal string; null when the text gives no unit. */
  wan: z.string().nullable(),
  docTypes: z.array(z.string()),
  evidence: TermEvidenceSchema,
});

/** `testReports`: each test or evaluation report, its agency and the accreditation marks it carries (益阳第二十六条(四)). */
export const TestReportTermsSchema = z.object({
  path: z.string(),
  docTypes: z.array(z.string()),
  /** The report's testing agency (field testingAgency), normalised; null if the report names none. */
  agency: z.string().nullable(),
  marks: z.array(z.object({ mark: z.enum(['CMA', 'CNAS']), number: z.string().nullable(), org: z.string().nullable(), evidence: TermEvidenceSchema })),
});

/** `certificates`: qualification certificates (常德第十四条), wherever they are filed. */
export const CertificateTermsSchema = CertificateValueSchema.omit({ kind: true }).extend({
  docTypes: z.array(z.string()),
  evidence: TermEvidenceSchema,
});
export type CertificateTerms = z.infer<typeof CertificateTermsSchema>;

/** `meetings`: per document, the evidence of an expert meeting (益阳第十一条): date, experts, sign-in sheet or signatures. */
export const MeetingEvidenceSchema = z.object({
  path: z.string(),
  docTypes: z.array(z.string()),
  meetingDate: DateValueSchema.nullable(),
  experts: z.array(z.string()),
  signIn: z.boolean(),
  evidence: z.array(TermEvidenceSchema),
});

/** `versions`: a document's version marker (送审稿, 征求意见稿, 终稿…); `final` is false for the draft markers. */
export const VersionMarkerSchema = z.object({
  path: z.string(),
  docTypes: z.array(z.string()),
  marker: z.string(),
  final: z.boolean(),
  evidence: TermEvidenceSchema,
});

/** `drafters`: who wrote a plan or report (编制单位, "委托X编制"), per document. */
export const DrafterSchema = z.object({
  path: z.string(),
  docTypes: z.array(z.string()),
  name: z.string(),
  normalized: z.string(),
  evidence: TermEvidenceSchema,
});

export const DossierTermsSchema = z.object({
  contracts: z.array(ContractPartiesSchema),
  awardee: AwardeeSchema.nullable(),
  paymentSchedule: PaymentScheduleSchema.nullable(),
  maintenancePeriod: ServicePeriodSchema.nullable(),
  warrantyPeriod: ServicePeriodSchema.nullable(),
  changes: z.array(ChangeAmountSchema),
  testReports: z.array(TestReportTermsSchema),
  certificates: z.array(CertificateTermsSchema),
  meetings: z.array(MeetingEvidenceSchema),
  versions: z.array(VersionMarkerSchema),
  drafters: z.array(DrafterSchema),
});
export type DossierTerms = z.infer<typeof DossierTermsSchema>;
