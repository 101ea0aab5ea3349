import { z } from 'zod';
import { RuleDefinitionSchema } from './rules/schema.ts';

/**
 * Schemas of the checklist data files: the project facts (checklists/facts.yaml) and one checklist per jurisdiction
 * (checklists/jurisdictions/*.yaml). Structural validation only; cross-references (doc types, facts, conditions)
 * are checked by `prepareChecklist` in load.ts, which needs the catalogue and the facts.
 */

export const FactNameSchema = z.string().regex(/^[a-z][A-Za-z0-9]*$/, '事实名称应为小驼峰英文标识符');

export const FactTypeSchema = z.enum(['boolean', 'number', 'integer', 'date', 'enum', 'set', 'string']);

export const ProvenanceSchema = z.enum(['declared', 'derived', 'either']);

/** One project fact (checklists/facts.yaml; ../shared/domain/requirements.md §2.1 defines them). */
export const FactDefinitionSchema = z
  .object({
    name: FactNameSchema,
    type: FactTypeSchema,
    /** Allowed values of an enum or set fact. */
    values: z.array(z.string().min(1)).optional(),
    /** Chinese names of the values, for questions and messages. */
    valueLabels: z.record(z.string(), z.string()).optional(),
    /** 万元 for amounts. */
    unit: z.string().optional(),
    provenance: ProvenanceSchema,
    /** Expression (condition grammar) computing the fact from others when it is not supplied. */
    derivation: z.string().optional(),
    /** The fact is true when a readable file carries one of these doc types. */
    impliedByDocTypes: z.array(z.string()).default([]),
    /**
     * Left to the agency by the seeds (../shared/domain/requirements.md §2.2): must be offered as a question, never
     * guessed.
     */
    askable: z.boolean().default(false),
    /** Short Chinese label. */
    label: z.string().min(1),
    /** The question put to the user, in Chinese. */
    question: z.string().min(1),
    /** Precise definition, in Chinese. */
    definition: z.string().min(1),
  })
  .refine((f) => (f.type === 'enum' || f.type === 'set') === (f.values !== undefined && f.values.length > 0), {
    message: '枚举与集合事实必须列出取值（values），其他类型不得列出',
  });
export type FactDefinition = z.infer<typeof FactDefinitionSchema>;

export const FactsFileSchema = z.object({
  schemaVersion: z.literal(1),
  facts: z.array(FactDefinitionSchema).min(1),
});
export type FactsFile = z.infer<typeof FactsFileSchema>;

export const StageSchema = z.enum(['filing', 'acceptance']);
export type Stage = z.infer<typeof StageSchema>;

export const FilingStepSchema = z.enum(['plan', 'approval']);
export type FilingStep = z.infer<typeof FilingStepSchema>;

/**
 * Why a row is required: the regulation lists it, sets it as a precondition, implies it, or it is the stage's output
 * (../shared/domain/requirements.md §0.2).
 */
export const BasisSchema = z.enum(['listed', 'precondition', 'implied', 'output']);
export type Basis = z.infer<typeof BasisSchema>;

export const RowSeveritySchema = z.enum(['error', 'warning']);

/** Where a row comes from in the seed: article and the seed's exact words ("…" marks omitted text). */
export const CitationSchema = z.object({
  article: z.string().min(1, '引文缺少条款'),
  quote: z.string().min(1, '引文缺少原文'),
});
export type Citation = z.infer<typeof CitationSchema>;

/**
 * Section-or-file (../shared/domain/requirements.md §0.2): the row is also satisfied by a delimited section inside one
 * of the host documents. `hosts` are doc-type ids, or `any` for any readable file.
 */
export const SectionSpecSchema = z.object({
  hosts: z.array(z.string().min(1)).min(1),
  /** Headings that count; default: the catalogue's sectionHeadings of the type (or the section key's headings). */
  headings: z.array(z.string().min(1)).optional(),
  /** For an any-of row: the alternative's doc type that a section may stand for. */
  for: z.string().optional(),
  /** A warning attached when the row is satisfied by a section rather than a file (SC-A06). */
  warning: z.string().optional(),
});
export type SectionSpec = z.infer<typeof SectionSpecSchema>;

/** One alternative of an any-of row: all its doc types must be present (`A + B`), and its guard must hold. */
export const AlternativeSchema = z.object({
  allOf: z.array(z.string().min(1)).min(1),
  label: z.string().optional(),
  /** When this alternative is allowed at all (shenyang SY-F02: 实施方案 only up to 100万元), in the condition grammar. */
  guard: z.string().optional(),
  /** The guard in words, for messages. */
  guardText: z.string().optional(),
  /**
   * Where a city calls the same paper by another doc type (shenyang's 项目审批文件 is the 发展改革委's approval of the
   * feasibility study or implementation plan): the seed's article and its verbatim words that make this alternative
   * the paper the row asks for.
   */
  equivalence: z.object({ article: z.string().min(1), quote: z.string().min(1) }).optional(),
});
export type Alternative = z.infer<typeof AlternativeSchema>;

const SingleDocTypeRequirement = z.strictObject({ docType: z.string().min(1), sections: SectionSpecSchema.optional() });
const SectionKeyRequirement = z.strictObject({ section: z.string().min(1), sections: SectionSpecSchema });
const AnyOfRequirement = z.strictObject({ anyOf: z.array(AlternativeSchema).min(1), sections: SectionSpecSchema.optional() });

/** The requirement in the uniform shape the evaluator works on. */
export interface NormalisedRequirement {
  alternatives: Alternative[];
  /** Present for section-or-file rows; `key` is the doc type (or section key) a section stands for. */
  section?: SectionSpec & { key: string; sectionOnly: boolean };
}

export const RequirementSchema = z
  .union([SingleDocTypeRequirement, SectionKeyRequirement, AnyOfRequirement], {
    error: '要求（requirement）应为 { docType }、{ section, sections } 或 { anyOf } 之一',
  })
  .transform((r): NormalisedRequirement => {
    if ('docType' in r) {
      return {
        alternatives: [{ allOf: [r.docType] }],
        section: r.sections ? { ...r.sections, key: r.docType, sectionOnly: false } : undefined,
      };
    }
    if ('section' in r) {
      return { alternatives: [{ allOf: [r.section] }], section: { ...r.sections, key: r.section, sectionOnly: true } };
    }
    const sections = r.sections;
    const key = sections?.for ?? (r.anyOf.length === 1 && r.anyOf[0]!.allOf.length === 1 ? r.anyOf[0]!.allOf[0] : undefined);
    return { alternatives: r.anyOf, section: sections ? { ...sections, key: key ?? '', sectionOnly: false } : undefined };
  });

export const RowIdSchema = z.string().regex(/^[A-Z][A-Z0-9]*-[A-Z0-9][A-Za-z0-9-]*$/, '行编号应形如 CD-A07');

export const RowSchema = z
  .object({
    id: RowIdSchema,
    stage: StageSchema,
    /** Filing rows only: the step at which the row applies (plan or approval). */
    step: FilingStepSchema.optional(),
    /** Short Chinese title. */
    title: z.string().min(1),
    /** What to submit, in Chinese, for a unit preparing the dossier. */
    submit: z.string().min(1),
    requirement: RequirementSchema,
    /** `always` or an expression over the facts. */
    condition: z.string().default('always'),
    /** N/A-able rows: when this holds and nothing is present, the row is not applicable, with a "请确认不适用" warning. */
    naWhen: z.string().optional(),
    basis: BasisSchema,
    severity: RowSeveritySchema,
    citation: CitationSchema,
    /** Ids of the rules beyond presence that refine the row (informational). */
    rules: z.array(z.string()).default([]),
    note: z.string().optional(),
  })
  .superRefine((row, ctx) => {
    if (row.stage === 'filing' && !row.step) ctx.addIssue({ code: 'custom', path: ['step'], message: '申报阶段的行必须注明步骤（plan 或 approval）' });
    if (row.stage === 'acceptance' && row.step) ctx.addIssue({ code: 'custom', path: ['step'], message: '验收阶段的行不得注明步骤' });
  });
export type RowInput = z.input<typeof RowSchema>;
export type Row = z.infer<typeof RowSchema>;

/** A fact defined by one jurisdiction only, such as yiyang's `planned := totalInvestmentWan > 50`. */
export const LocalFactSchema = z.object({
  name: FactNameSchema,
  type: z.enum(['boolean', 'number']),
  definition: z.string().min(1),
  label: z.string().min(1),
  question: z.string().min(1),
  citation: CitationSchema.optional(),
});
export type LocalFact = z.infer<typeof LocalFactSchema>;

export const AgencySchema = z.object({ name: z.string().min(1), original: z.string().optional(), role: z.string().min(1) });

/**
 * A time limit the regulation sets for the review this checklist supports (the statutory clock). Only what the seed
 * says: where a city's regulation sets no limit, its checklist has none.
 */
export const TimeLimitSchema = z.object({
  stage: z.enum(['filing', 'acceptance']),
  /** What is being timed, in Chinese: 技术方案评审, 竣工验收… */
  title: z.string().min(1),
  /** The event that starts the clock: 受理 (first submission accepted) or 收齐 (first round with nothing error-level missing). */
  startsAt: z.enum(['accepted', 'complete']),
  /** A condition (the rows' grammar) for limits that apply to some projects only. */
  appliesWhen: z.string().min(1).optional(),
  days: z.number().int().positive(),
  /** 工作日 (State Council calendar with 调休) or 日 (calendar days). */
  dayKind: z.enum(['working', 'calendar']),
  /** Periods not counted: the unit's 补正/整改 time (from the request to the supplement's arrival). */
  pausedDuring: z.array(z.enum(['supplement'])).default([]),
  /** Words for what else the regulation leaves out of the count, when the checker cannot see it (e.g. 技术评审时间). */
  alsoNotCounted: z.string().optional(),
  extension: z.object({ days: z.number().int().positive(), condition: z.string().min(1) }).optional(),
  citation: CitationSchema,
});
export type TimeLimit = z.infer<typeof TimeLimitSchema>;

export const ChecklistSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, '清单编号应为小写英文'),
  /** Chinese name of the jurisdiction. */
  name: z.string().min(1),
  /** Title of the regulation, in Simplified Chinese. */
  regulation: z.string().min(1),
  /** The title as the seed spells it, when that differs. */
  regulationOriginal: z.string().optional(),
  documentNumber: z.string().optional(),
  seedFile: z.string().min(1),
  issuedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  issuedOnText: z.string().optional(),
  entryIntoForce: z.object({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    article: z.string().optional(),
    quote: z.string().optional(),
    note: z.string().optional(),
  }),
  validUntil: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  replaces: z.string().optional(),
  agencies: z.array(AgencySchema).min(1),
  scope: z.object({ article: z.string().min(1), text: z.string().min(1) }),
  /** Counties may follow the regulation "参照执行" (changde 第二条第二款, yiyang 第四十九条); the report then says so. */
  byReference: z.object({ article: z.string().min(1), quote: z.string().min(1) }).optional(),
  localFacts: z.array(LocalFactSchema).default([]),
  rows: z.array(RowSchema).min(1),
  /** Rules beyond presence for this jurisdiction; the checks they name live in checklists/rules/checks.ts. */
  rules: z.array(RuleDefinitionSchema).default([]),
  /** The statutory clock of each stage's review, as the regulation sets it. */
  timeLimits: z.array(TimeLimitSchema).default([]),
  /**
   * What shows that a dossier belongs to this jurisdiction, so that one checked against another's regulation is
   * flagged (需确认：材料似乎属于…). Each word must be this jurisdiction's alone: 和平区 is a district of several
   * cities, 津市 is inside 天津市. Matched as substrings of the documents' text.
   */
  cityHints: z
    .object({
      /** The city's and its districts' and counties' names, as documents write them (常德市, 武陵区). */
      placeNames: z.array(z.string().min(2)).default([]),
      /** Names of issuing agencies and their seals' text (常德市发展和改革委员会). */
      issuerHints: z.array(z.string().min(3)).default([]),
      /** The part of a 文号 before 〔year〕 (常政办发, 常发改投资). */
      documentNumberPrefixes: z.array(z.string().min(2)).default([]),
    })
    .optional(),
});
export type ChecklistInput = z.input<typeof ChecklistSchema>;
export type Checklist = z.infer<typeof ChecklistSchema>;
