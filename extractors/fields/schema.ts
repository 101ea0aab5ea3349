import { z } from 'zod';

/**
 * Field candidates: one value one document states, with where it was read (requirements §5: file, page, label, quoted
 * text, confidence, text layer or OCR). The report schema and the fact derivation consume these shapes.
 */

export const FIELD_NAMES = [
  'title',
  'versionMarker',
  'projectName',
  'projectCode',
  'contractNumber',
  'constructionUnit',
  'partyA',
  'partyB',
  'awardee',
  'contractor',
  'supervisor',
  'testingAgency',
  'drafter',
  'issuer',
  'addressee',
  'signatory',
  'orgIdentifier',
  'docNumber',
  'citedDocNumber',
  'docDate',
  'signDate',
  'totalInvestment',
  'reviewedAmount',
  'contractAmount',
  'procurementBudget',
  'amountPairs',
  'itemizedTotal',
  'planEntry',
  'trialRunPeriod',
  'trialRunReportDate',
  'trialRunConclusion',
  'preliminaryAcceptanceDate',
  'preliminaryAcceptanceConclusion',
  'preliminaryAcceptanceOrganizer',
  'acceptanceApplicationDate',
  'acceptanceDate',
  'acceptanceConclusion',
  'selfInspectionDate',
  'constructionStartDate',
  'completionDate',
  'contractAgreedAcceptance',
  'formalOperation',
  // Clause fields (extractors/fields/terms.ts): what the rules beyond presence read after presence.
  'paymentTerm',
  'maintenancePeriod',
  'warrantyPeriod',
  'changeAmount',
  'accreditation',
  'certificate',
  'meetingDate',
  'expertList',
  'signInSheet',
] as const;
export const FieldNameSchema = z.enum(FIELD_NAMES);
export type FieldName = z.infer<typeof FieldNameSchema>;

export const FieldProvenanceSchema = z.object({
  path: z.string(),
  page: z.number().int().positive(),
  /** The label the value stood after ("建设单位", "甲方(采购人)"), or what found it ("标题", "落款", "正文"). */
  label: z.string(),
  /** The matched line or sentence. */
  quote: z.string(),
  source: z.enum(['text-layer', 'ocr']),
});
export type FieldProvenance = z.infer<typeof FieldProvenanceSchema>;

export const AmountValueSchema = z.object({
  kind: z.literal('amount'),
  /** Exact decimal string in 万元; null when no unit is known (indeterminate). */
  wan: z.string().nullable(),
  yuan: z.string().nullable(),
  /** The number as written, in `unit`. */
  number: z.string(),
  unit: z.enum(['元', '千元', '万元', '百万元', '亿元']).nullable(),
  unitSource: z.enum(['suffix', 'currency', 'column', 'document']).nullable(),
  form: z.enum(['arabic', 'chinese', 'daxie']),
  raw: z.string(),
  /** 含税 / 不含税 when the text says so. */
  taxIncluded: z.boolean().optional(),
});
export type AmountValue = z.infer<typeof AmountValueSchema>;

export const DateValueSchema = z.object({
  kind: z.literal('date'),
  /** ISO 8601 at the date's precision: YYYY-MM-DD, YYYY-MM or YYYY. */
  iso: z.string(),
  precision: z.enum(['day', 'dekad', 'month', 'year']),
  earliest: z.string(),
  latest: z.string(),
  fuzzy: z.enum(['上旬', '中旬', '下旬', '月初', '月底', '年初', '年底']).optional(),
});
export type DateFieldValue = z.infer<typeof DateValueSchema>;

export const PeriodValueSchema = z.object({
  kind: z.literal('period'),
  /** Either end may be unknown ("2023年11月7日起进入试运行" gives only a start). */
  start: DateValueSchema.nullable(),
  end: DateValueSchema.nullable(),
});
export type PeriodValue = z.infer<typeof PeriodValueSchema>;

export const TextValueSchema = z.object({ kind: z.literal('text'), text: z.string() });

export const OrgValueSchema = z.object({
  kind: z.literal('org'),
  /** As written (trimmed, seal notes removed). */
  name: z.string(),
  /** norm(name) of §5.5 with the document's aliases resolved. */
  normalized: z.string(),
});
export type OrgValue = z.infer<typeof OrgValueSchema>;

export const VerdictValueSchema = z.object({
  kind: z.literal('verdict'),
  pass: z.boolean(),
  /** The wording the verdict was read from ("合格", "运行稳定", "不合格"). */
  text: z.string(),
});

export const DocNumberValueSchema = z.object({
  kind: z.literal('docNumber'),
  /** Canonical form, e.g. 益政办发〔2022〕22号. */
  normalized: z.string(),
  raw: z.string(),
});

export const AmountPairValueSchema = z.object({
  kind: z.literal('amountPair'),
  daxie: AmountValueSchema,
  arabic: AmountValueSchema,
  /** null when either side is indeterminate. */
  equal: z.boolean().nullable(),
});

export const RelativeDateValueSchema = z.object({
  kind: z.literal('relativeDate'),
  /** The event the period counts from ("合同签订"). */
  anchor: z.string(),
  amount: z.number().positive(),
  unit: z.enum(['day', 'workday', 'month', 'year']),
  bound: z.enum(['within', 'period']),
});

export const PlanEntryValueSchema = z.object({
  kind: z.literal('planEntry'),
  /** One row of a multi-project table (an annual plan notice): the row's project, unit and amount. */
  projectName: z.string(),
  constructionUnit: z.string().nullable(),
  amount: AmountValueSchema.nullable(),
  /** Header of the amount column ("计划投资(万元)"). */
  amountColumn: z.string().nullable(),
});

export const OrgIdentifierValueSchema = z.object({
  kind: z.literal('orgIdentifier'),
  /** The organisation the identifiers belong to (the party block they sit in), normalised; null if unclear. */
  org: z.string().nullable(),
  creditCode: z.string().nullable(),
  creditCodeValid: z.boolean().nullable(),
  legalRepresentative: z.string().nullable(),
  address: z.string().nullable(),
});

export const ItemizationValueSchema = z.object({
  kind: z.literal('itemization'),
  /** Line items of a cost table, each in 万元 (null when the unit is unknown). */
  items: z.array(z.object({ name: z.string(), wan: z.string().nullable() })),
  /** The table's stated total (合计/总计). */
  statedTotal: AmountValueSchema,
  /** Exact sum of the items in 万元; null if any item is indeterminate. */
  sum: z.string().nullable(),
  /** GEN-04: |sum − total| ≤ 0.01万元; null when indeterminate. */
  equal: z.boolean().nullable(),
});

export const StatementValueSchema = z.object({
  kind: z.literal('statement'),
  text: z.string(),
  date: DateValueSchema.nullable(),
});

/**
 * One instalment of a contract's payment schedule: "竣工验收合格后支付15%", "验收满1年后支付5%".
 * `percent` is an exact decimal string of the contract price; `stage` says which event the instalment waits for.
 */
export const PaymentValueSchema = z.object({
  kind: z.literal('payment'),
  percent: z.string(),
  /** The clause the percentage was read from, up to and including it. */
  milestone: z.string(),
  stage: z.enum(['signing', 'delivery', 'acceptance', 'afterAcceptance', 'warranty', 'other']),
  /** For stage afterAcceptance: full years after 竣工验收 ("验收合格满一年后" → 1). */
  yearsAfterAcceptance: z.number().int().positive().nullable(),
  /** A condition the clause puts on it ("后评价合格", "考核合格"), as written. */
  condition: z.string().nullable(),
});
export type PaymentValue = z.infer<typeof PaymentValueSchema>;

/** A service period ("运维期三年", "质保期为自验收合格之日起12个月"): its length in months and where it counts from. */
export const DurationValueSchema = z.object({
  kind: z.literal('duration'),
  months: z.number().int().positive(),
  text: z.string(),
  /** The event it counts from ("验收合格"), or a date ("2025-03-01"), when stated. */
  from: z.string().nullable(),
});
export type DurationValue = z.infer<typeof DurationValueSchema>;

/** A change's amount: "变更金额：增加8.60万元" (direction from 增加/调增/核减…; null when unstated). */
export const ChangeValueSchema = z.object({
  kind: z.literal('change'),
  direction: z.enum(['increase', 'decrease']).nullable(),
  amount: AmountValueSchema,
});
export type ChangeValue = z.infer<typeof ChangeValueSchema>;

/** A testing agency's accreditation mark: CMA (检验检测机构资质认定) or CNAS (实验室认可), with its number if written. */
export const AccreditationValueSchema = z.object({
  kind: z.literal('accreditation'),
  mark: z.enum(['CMA', 'CNAS']),
  number: z.string().nullable(),
  /** The organisation named on the same line, normalised; null if none. */
  org: z.string().nullable(),
});
export type AccreditationValue = z.infer<typeof AccreditationValueSchema>;

/** A qualification certificate (资质证书, 能力等级证书): who holds it, what and which level, and its validity. */
export const CertificateValueSchema = z.object({
  kind: z.literal('certificate'),
  /** A person's 执业资格 (a 总监理工程师's, 常德第十四条) says 'person'; absent or 'org' is an organisation's 资质. */
  holderKind: z.enum(['org', 'person']).optional(),
  holder: z.string().nullable(),
  /** norm(holder). */
  holderNormalized: z.string().nullable(),
  /** The certificate's name or 资质类别 ("信息系统建设和服务能力等级证书"). */
  type: z.string().nullable(),
  level: z.string().nullable(),
  number: z.string().nullable(),
  issuedOn: DateValueSchema.nullable(),
  validFrom: DateValueSchema.nullable(),
  validUntil: DateValueSchema.nullable(),
});
export type CertificateValue = z.infer<typeof CertificateValueSchema>;

/** Names listed as experts ("专家组成员：张三、李四"), each as written. */
export const NamesValueSchema = z.object({
  kind: z.literal('names'),
  role: z.string(),
  names: z.array(z.string()).min(1),
});
export type NamesValue = z.infer<typeof NamesValueSchema>;

export const FieldValueSchema = z.discriminatedUnion('kind', [
  TextValueSchema,
  OrgValueSchema,
  AmountValueSchema,
  DateValueSchema,
  PeriodValueSchema,
  VerdictValueSchema,
  DocNumberValueSchema,
  AmountPairValueSchema,
  RelativeDateValueSchema,
  PlanEntryValueSchema,
  OrgIdentifierValueSchema,
  ItemizationValueSchema,
  StatementValueSchema,
  PaymentValueSchema,
  DurationValueSchema,
  ChangeValueSchema,
  AccreditationValueSchema,
  CertificateValueSchema,
  NamesValueSchema,
]);
export type FieldValue = z.infer<typeof FieldValueSchema>;

/** How a candidate was found; the aggregator weighs evidence by it. */
export const CandidateViaSchema = z.enum([
  'label',
  'table',
  'prose',
  'title',
  'heading',
  'letterhead',
  'addressee',
  'signature',
  'derived',
]);
export type CandidateVia = z.infer<typeof CandidateViaSchema>;

/**
 * What an investment figure is: the approved total (批复/核定总投资, or any total in an approval document), a quoted
 * approved total ("经…批复…总投资"), an estimate (概算/估算/匡算), a planned amount (计划投资), or a bare statement.
 */
export const AmountBasisSchema = z.enum(['approved', 'approvedQuoted', 'estimate', 'planned', 'stated']);
export type AmountBasis = z.infer<typeof AmountBasisSchema>;

export const FieldCandidateSchema = z.object({
  field: FieldNameSchema,
  value: FieldValueSchema,
  provenance: FieldProvenanceSchema,
  /** 0–1: how sure the extractor is that this text states this field. */
  confidence: z.number().min(0).max(1),
  via: CandidateViaSchema,
  basis: AmountBasisSchema.optional(),
  /** For party fields: which side of the contract the label named. */
  party: z.enum(['A', 'B']).optional(),
});
export type FieldCandidate = z.infer<typeof FieldCandidateSchema>;
