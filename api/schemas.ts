import { z } from 'zod';
import { ClockSchema, TypeCorrectionSchema, TypeCorrectionsSchema } from '../pipeline/index.ts';
import { DossierSearchSchema } from './db/records-table.ts';
import { CompletenessReportSchema, FactValueSchema, StageSchema } from '../pipeline/report/schema.ts';
import { RoleSchema } from './auth/tokens.ts';
import { API_ERRORS } from './errors.ts';
import { FormFactSchema } from './dossiers/facts-form.ts';
import { DossierResultSchema, DossierStatusSchema, ProgressSchema } from './dossiers/records.ts';
import { DeliveryAttemptSchema } from './webhooks/deliveries.ts';

/**
 * Request and response shapes of the API. Path parameters are strict patterns: anything that could name a path
 * (`..`, `/`, `\`, control characters) fails them and is answered 400 before any lookup.
 */

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
export const DossierIdParams = z.object({ id: z.string().regex(SAFE_ID, '材料编号格式不对') });
export const BatchIdParams = z.object({ id: z.string().regex(SAFE_ID, '批次编号格式不对') });
export const TokenIdParams = z.object({ id: z.string().regex(/^[0-9a-f]{16}$/, '令牌编号格式不对') });
export const ChecklistIdParams = z.object({ id: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, '地区编号只能是小写字母、数字和“-”') });
export const FileParams = DossierIdParams.extend({ n: z.string().regex(/^\d{1,6}$/, '文件序号应为非负整数').transform(Number) });
export const ShareParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, '分享链接格式不对') });
export const ShareFileParams = ShareParams.extend({ n: FileParams.shape.n });
export const UiAssetParams = z.object({ asset: z.string().regex(/^[a-z0-9-]+\.(html|js|css|svg|png|ico)$/, '资源名不合规') });

export const ReportFormatQuery = z.object({ format: z.enum(['json', 'html', 'md']).optional() });
export const ChecklistQuery = z.object({ stage: StageSchema.optional(), format: z.enum(['json', 'text']).optional() });
export const BatchQuery = z.object({ format: z.enum(['json', 'csv', 'xlsx']).optional() });
export const FactsSheetQuery = z.object({ format: z.enum(['csv', 'xlsx']).optional() });
export const FactsSheetTemplateQuery = FactsSheetQuery.extend({
  stage: StageSchema,
  /** The names of the archives about to be uploaded, one parameter each. */
  dossier: z.union([z.string().max(255), z.array(z.string().max(255)).max(1000)]).optional(),
});
/** Search and paging of the dossier list (newest first). */
export const ListQuery = DossierSearchSchema;

export const ErrorResponse = z.object({
  error: z.object({
    code: z.enum(Object.keys(API_ERRORS) as [keyof typeof API_ERRORS, ...Array<keyof typeof API_ERRORS>]),
    message: z.string(),
    detail: z.string().optional(),
  }),
  requestId: z.string().optional(),
});

export const DossierLinks = z.object({
  self: z.string(),
  report: z.string(),
  reportHtml: z.string(),
  ui: z.string(),
});

export const DossierView = z.object({
  id: z.string(),
  status: DossierStatusSchema,
  city: z.string(),
  stage: StageSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  input: z.object({ name: z.string(), kind: z.enum(['archive', 'folder']), files: z.number().int(), bytes: z.number().int() }),
  facts: z.record(z.string(), FactValueSchema),
  /** The officers' doc types for some files, with who and when. */
  typeCorrections: TypeCorrectionsSchema,
  /** The officers' page starts for files bound of several documents (PUT …/files/pages); the UI offers to withdraw them. */
  segmentations: z.array(z.object({ path: z.string(), starts: z.array(z.number().int().positive()) })).default([]),
  /** The statutory clock of this stage's review, when the city's regulation sets one (受理/收齐 → deadline, days left). */
  clocks: z.array(ClockSchema),
  progress: ProgressSchema,
  result: DossierResultSchema.optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  batchId: z.string().optional(),
  submittedBy: z.object({ role: RoleSchema, unit: z.string().optional() }),
  callbackUrl: z.string().optional(),
  links: DossierLinks,
});
export type DossierViewT = z.infer<typeof DossierView>;

export const CreatedDossier = z.object({ id: z.string(), status: DossierStatusSchema, statusUrl: z.string(), reportUrl: z.string(), uiUrl: z.string() });

export const RecheckBody = z.object({
  /** Facts to declare or change; null withdraws a declaration. Text values are read as the CLI reads `--fact`. */
  facts: z.record(z.string(), z.union([FactValueSchema, z.null()])),
});

/** One file's type, as an officer sets it; `by` and `at` are the caller and the time of the request. */
export const TypeCorrectionBody = TypeCorrectionSchema.pick({ path: true }).extend({
  docType: z.string().min(1).max(100).describe('材料类型编号（如 feasibility_report）或中文名称（如 可行性研究报告）；other_material 表示不属于所需材料'),
});
export const TypeCorrectionQuery = TypeCorrectionSchema.pick({ path: true });
export const TypeChoicesView = z.object({
  /** The types to pick from: this stage's required ones first, then the others, then "not a required document". */
  groups: z.array(z.object({ label: z.string(), docTypes: z.array(z.object({ id: z.string(), name: z.string() })) })),
  typeCorrections: TypeCorrectionsSchema,
});

export const ShareBody = z
  .object({
    hours: z.number().positive().max(24 * 90).optional(),
    /** The link may also submit 补正 rounds (add, replace, withdraw files). Default false: the link only reads. */
    allowSupplement: z.boolean().optional(),
  })
  .optional();
/** `id` names the link for listing and revoking; only `token` (and `url`) open it, and are shown only here. */
export const ShareCreated = z.object({ id: z.string(), url: z.string(), token: z.string(), expiresAt: z.string(), allowSupplement: z.boolean() });
export const ShareIdParams = DossierIdParams.extend({ shareId: z.string().regex(/^[0-9a-f]{64}$/, '分享链接编号应为 64 位十六进制') });
export const ShareView = z.object({
  id: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  createdBy: z.object({ tokenId: z.string(), name: z.string().optional() }),
  /** Whether the link opens: active; expired; revoked (by a person); creator_revoked (the token that made it was revoked). */
  state: z.enum(['active', 'expired', 'revoked', 'creator_revoked']),
  revokedAt: z.string().optional(),
  allowSupplement: z.boolean(),
});

export const WebhookView = z.object({
  url: z.string(),
  state: z.enum(['none', 'pending', 'delivered', 'failed', 'refused']),
  deliveryId: z.string().optional(),
  nextAttemptAt: z.string().optional(),
  attempts: z.array(DeliveryAttemptSchema),
});

export const ChecklistSummaryView = z.object({ id: z.string(), name: z.string(), regulation: z.string().optional(), rows: z.number().int() });

export const ChecklistRowView = z.object({
  id: z.string(),
  stage: StageSchema,
  step: z.enum(['plan', 'approval']).optional(),
  stepLabel: z.string().optional(),
  title: z.string(),
  submit: z.string(),
  docTypes: z.array(z.object({ id: z.string(), name: z.string() })),
  condition: z.string(),
  notApplicableWhen: z.string().optional(),
  severity: z.enum(['error', 'warning']),
  basis: z.string(),
  article: z.string(),
  quote: z.string(),
  note: z.string().optional(),
});

export const ChecklistView = z.object({
  id: z.string(),
  name: z.string(),
  regulation: z.string(),
  documentNumber: z.string().optional(),
  agencies: z.array(z.object({ name: z.string(), role: z.string() })),
  rows: z.array(ChecklistRowView),
  facts: z.object({ filing: z.array(FormFactSchema), acceptance: z.array(FormFactSchema) }),
  /** Rule, row and file-finding ids → Chinese title, so a finding is never shown by its id alone. */
  findingLabels: z.record(z.string(), z.string()).default({}),
});

export const BatchView = z.object({
  id: z.string(),
  city: z.string(),
  stage: StageSchema,
  createdAt: z.string(),
  layout: z.enum(['archives', 'zips', 'folders']),
  total: z.number().int(),
  finished: z.number().int(),
  status: z.enum(['processing', 'done']),
  rows: z.array(
    z.object({
      dossierId: z.string(),
      dossier: z.string(),
      status: z.string(),
      percent: z.number(),
      projectName: z.string(),
      constructionUnit: z.string(),
      totalInvestmentWan: z.number().nullable(),
      complete: z.boolean(),
      missing: z.array(z.string()),
      needsConfirmation: z.array(z.string()),
      errors: z.number().int(),
      warnings: z.number().int(),
      failure: z.string().optional(),
      /** 需确认：材料似乎属于XX市 — the documents seem to belong to another jurisdiction. */
      cityMismatch: z.string().optional(),
    }),
  ),
  links: z.object({ self: z.string(), csv: z.string(), xlsx: z.string(), ui: z.string(), factsSheet: z.string() }),
});

export const CreateTokenBody = z.object({
  name: z.string().min(1).max(100),
  role: RoleSchema,
  jurisdiction: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/).optional(),
  unit: z.string().min(1).max(100).optional(),
  expiresInDays: z.number().positive().max(3650).optional(),
});

export const TokenView = z.object({
  id: z.string(),
  name: z.string(),
  role: RoleSchema,
  jurisdiction: z.string().optional(),
  unit: z.string().optional(),
  createdAt: z.string(),
  expiresAt: z.string().optional(),
  revokedAt: z.string().optional(),
});

export const SessionBody = z.object({ token: z.string().min(1).max(200) });
export const MeView = z.object({ name: z.string(), role: RoleSchema, jurisdiction: z.string().optional(), unit: z.string().optional(), mode: z.enum(['embedded', 'distributed']) });
