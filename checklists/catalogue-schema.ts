import { z } from 'zod';

/** A term quoted from a seed regulation, with the article that uses it. */
export const SeedTermSchema = z.object({
  term: z.string().min(1),
  /** e.g. "changde 第十七条" */
  cite: z.string().min(1),
  /**
   * The seed's own spelling when it differs from `term` (Traditional script, pinyin annotations of
   * 004_5b2560a086eedf88.txt); `term` is then its normalised reading (../shared/domain/requirements.md §0.4), which is
   * what matching uses.
   */
  original: z.string().min(1).optional(),
});

export const DocTypeIdSchema = z.string().regex(/^[a-z][a-z0-9_]*$/);

export const DocTypeSchema = z.object({
  id: DocTypeIdSchema,
  /** Canonical Chinese name, e.g. 可行性研究报告. */
  name: z.string().min(1),
  /** The seed regulations' own terms for the type, each citing its article (normalised to Simplified for matching). */
  seedTerms: z.array(SeedTermSchema),
  /** Real-world spellings (never cited as seed requirements). */
  variants: z.array(z.string()),
  /**
   * Title phrases, Simplified Chinese, matched as substrings of a normalised title line.
   * Longer phrases are more specific; the classifier prefers the longest match.
   */
  titleTerms: z.array(z.string().min(1)).min(1),
  /** Title phrases that, when present, veto this type for that title (e.g. 批复 vetoes feasibility_report). */
  titleExclusions: z.array(z.string()).default([]),
  /**
   * Title grammar (Chinese titles are head-final: [issuer/project] + [modifiers] + head). The heads a title of this
   * type ends with (报告, 方案, 公告, 合同…): they narrow the type but never decide it alone.
   */
  heads: z.array(z.string().min(1)).default([]),
  /**
   * The modifiers that decide the type among the types sharing a head (可行性研究 + 报告, 竞争性磋商 + 公告, 维保 + 合同).
   * A title that ends with one of `heads` and carries one of these resolves to this type even when the whole phrase is
   * in no list; where several types' modifiers occur, the one nearest the head wins.
   */
  modifiers: z.array(z.string().min(1)).default([]),
  /**
   * The broader type this one narrows (a maintenance agreement is a contract): a title that names the broader type by
   * one of its terms ("采购合同") is this type when it also carries one of this type's modifiers ("运维服务项目采购合同").
   */
  refines: DocTypeIdSchema.optional(),
  /**
   * The modifiers name the subject the document is about (网络安全, 入侵检测), so they count even inside the name of a
   * system ("入侵检测系统建设方案"); other types' modifiers name the document's kind (测评, 采购), and inside a system's name
   * ("测评系统测试报告") they are part of the name.
   */
  subjectModifiers: z.boolean().default(false),
  /**
   * Body phrases typical of the type (content markers, ../shared/domain/requirements.md §1.2); used to break ties and
   * support weak titles.
   */
  contentMarkers: z.array(z.string()).default([]),
  /** Short description for people, in Chinese. */
  description: z.string(),
  /** Stages and cities where it is required, e.g. "F (yiyang, shucheng)" (informational). */
  stages: z.string().default(''),
  /**
   * Headings that delimit a section of this type inside another document (section-or-file rows), e.g. 自审自查情况
   * inside an acceptance application. Simplified, matched as substrings of a normalised heading line.
   */
  sectionHeadings: z.array(z.string().min(1)).default([]),
  /**
   * Types a file of this type carries too, one step less confident (a third-party test report is also a test report).
   */
  implies: z.array(DocTypeIdSchema).default([]),
});
export type DocType = z.infer<typeof DocTypeSchema>;

/**
 * A kind of section that some checklist rows ask for but that is no document type of its own
 * (../shared/domain/requirements.md §9.5): the yiyang 第五条 funding-source statement and basis documents. Only ever
 * satisfied as a section of a host document.
 */
export const SectionKeySchema = z.object({
  key: DocTypeIdSchema,
  name: z.string().min(1),
  headings: z.array(z.string().min(1)).min(1),
  seedTerms: z.array(SeedTermSchema).default([]),
  description: z.string().default(''),
});
export type SectionKey = z.infer<typeof SectionKeySchema>;

/** A list of doc types that code consults by name, with what it is for. */
export const DocTypeGroupSchema = z.object({
  /** What the group is for, in Chinese: who reads it and why these types. */
  description: z.string().min(1),
  docTypes: z.array(DocTypeIdSchema).min(1),
});
export type DocTypeGroup = z.infer<typeof DocTypeGroupSchema>;

/**
 * The groups the code reads, each by name; a catalogue without one of them does not load. Where each is read:
 * approvalStepEvidence in checklists/presence/facts.ts (filingStep), the others in checklists/facts/ (which
 * document's figure or date wins for a field).
 */
export const DOC_TYPE_GROUP_NAMES = [
  'approval',
  'approvalDecision',
  'annualPlan',
  'review',
  'design',
  'designEstimate',
  'proposal',
  'applicationForm',
  'contract',
  'projectContracts',
  'supervision',
  'testing',
  'unitSigned',
  'trialRun',
  'selfInspection',
  'approvalStepEvidence',
] as const;
export type DocTypeGroupName = (typeof DOC_TYPE_GROUP_NAMES)[number];

const DocTypeGroupNameSchema = z.enum(DOC_TYPE_GROUP_NAMES, { error: (issue) => `未知的文档类型组 ${String(issue.input)}（可选：${DOC_TYPE_GROUP_NAMES.join('、')}）` });

export const CatalogueSchema = z.object({
  schemaVersion: z.literal(1),
  docTypes: z.array(DocTypeSchema),
  sectionKeys: z.array(SectionKeySchema).default([]),
  /**
   * The type of a file that no other type fits (../shared/domain/requirements.md §9.5): the classifier's fallback,
   * never evidence of a filing step.
   */
  catchAll: DocTypeIdSchema,
  /**
   * Heads of documents that are none of the catalogue's types (指南, 办法, 手册…): a title ending with one of them is
   * the catch-all even when it names a catalogued document inside it, unless a listed term or the title grammar
   * resolves its head.
   */
  foreignHeads: z.array(z.string().min(1)).default([]),
  /**
   * Generic nouns a title may add after its real head ("源代码说明文档"): when what precedes one ends with a head of
   * some type, that head is read as the title's head.
   */
  headSuffixes: z.array(z.string().min(1)).default([]),
  /**
   * Words that make a title an article about documents ("如何撰写…试运行报告", "…决算审计 vs 结算审核"), wherever they
   * sit in it: such a title is the catch-all. Latin markers match as whole words.
   */
  articleMarkers: z.array(z.string().min(1)).default([]),
  /**
   * Plan types whose title, set for a span of years or a five-year period ("…建设方案(2021-2023年)", "“十四五”…实施方案")
   * and naming nothing a project builds (项目, 系统, 平台…), reads as a programme as much as a project's plan: the file
   * stays unsure with the plan's type as its candidate (a row it alone could satisfy needs confirmation, never 缺失).
   */
  programmeTypes: z.array(DocTypeIdSchema).default([]),
  /** A government's words of policy ("推进", "加快"): a plan of `programmeTypes` in them naming nothing built reads as one too. */
  programmeWords: z.array(z.string().min(1)).default([]),
  /** How a region's programme is titled ("…整合共享实施方案"): a title ending so reads as one even where it names a system. */
  programmeTitleEndings: z.array(z.string().min(1)).default([]),
  /** How a news headline about a project ends ("…通过初步验收", "…正式上线"): such a title is the catch-all. */
  newsEndings: z.array(z.string().min(1)).default([]),
  /**
   * Head terms that name two or more types alike ("测评报告": a lab's software evaluation or an 等级保护 evaluation): a
   * title whose head is only such a term leaves the file unsure between them, with the note, unless the body decides.
   * A longer term or a modifier ("软件测评报告", "等级保护测评报告") still decides.
   */
  ambiguousTitleTerms: z
    .array(
      z.strictObject({
        term: z.string().min(1),
        docTypes: z.array(DocTypeIdSchema).min(2),
        note: z.string().min(1),
        /**
         * Words naming what was evaluated, right before the term, that decide for one of the types where one of
         * `alongWith` is in the title too and none of `unlessWith` ("风电场电力监控系统测评报告": a power plant's monitoring
         * system is evaluated under 等级保护; a 配电站's is not).
         */
        decidedBy: z
          .array(
            z.strictObject({
              docType: DocTypeIdSchema,
              words: z.array(z.string().min(1)).min(1),
              alongWith: z.array(z.string().min(1)).default([]),
              unlessWith: z.array(z.string().min(1)).default([]),
            }),
          )
          .default([]),
      }),
    )
    .default([]),
  groups: z.strictObject(Object.fromEntries(DOC_TYPE_GROUP_NAMES.map((name) => [name, DocTypeGroupSchema])) as Record<DocTypeGroupName, typeof DocTypeGroupSchema>),
  /**
   * Which document's value wins when documents state a field differently (../shared/domain/requirements.md §2.1 "the
   * approved figure prevails"): tiers of groups, best first; a document in none of them ranks after the last tier.
   */
  documentPrecedence: z.array(z.array(DocTypeGroupNameSchema).min(1)).min(1),
});
export type Catalogue = z.infer<typeof CatalogueSchema>;
