import { z } from 'zod';

/**
 * A rule beyond presence (../shared/domain/requirements.md §4), as data. Every rule ends in one of three states:
 *
 * - `checked`: it runs a generic check (checklists/rules/checks.ts) with its params, and each finding carries the
 *   evidence of every value it compared and the article;
 * - `asked`: it needs a fact no document states (e.g. 市本级全额拨款行政事业单位): while that fact is unknown the report
 *   asks its Chinese question in 需确认; once the fact is declared the rule's check runs like a checked one;
 * - `reviewer`: it needs judgement no machine should fake: the report and the notice list it under 人工核验要点 with
 *   the article, what to look at and the documents (and pages) where to look, and the file says in one line why.
 *
 * A new city reuses the checks with its own parameters and needs no code change.
 */
export const RuleKindSchema = z.enum(['T', 'C', 'V', 'Q', 'K', 'P']);
export const RuleStateSchema = z.enum(['checked', 'asked', 'reviewer']);
export type RuleState = z.infer<typeof RuleStateSchema>;

export const RuleAskSchema = z.strictObject({
  /** A fact of checklists/facts.yaml that only the officer or the unit can declare. */
  fact: z.string().min(1),
  /** The question put to the officer, in Chinese, naming the fact in words. */
  question: z.string().min(1),
});

export const RuleReviewSchema = z.strictObject({
  /** What the reviewer looks at and compares, in Chinese. */
  look: z.string().min(1),
  /** Doc types whose files (and pages) the report names as where to look. */
  docTypes: z.array(z.string().min(1)).min(1),
  /** One line: why no machine check (kept in the checklist, shown to the reviewer). */
  reason: z.string().min(1),
});

export const RuleDefinitionSchema = z
  .strictObject({
    id: z.string().regex(/^[A-Z]{2,3}-[A-Z]?\d{2}$/, '规则编号形如 CD-T03 或 GEN-01'),
    kind: RuleKindSchema,
    state: RuleStateSchema.default('checked'),
    /** dossier: runs on one dossier; batch: runs over every dossier of a batch (益阳 第十六条), check from BATCH_CHECKS. */
    scope: z.enum(['dossier', 'batch']).default('dossier'),
    /** Name of a check in checklists/rules/checks.ts (CHECKS); an unknown name fails the load. Not for `reviewer`. */
    check: z.string().min(1).optional(),
    /** The check's parameters; validated against that check's own schema when the checklist loads (rules/engine.ts). */
    params: z.record(z.string(), z.unknown()).default({}),
    /** Condition over facts (checklists/conditions.ts); an unknown outcome means the rule produces no finding. */
    appliesWhen: z.string().default('always'),
    /** The rule applies only when the dossier has a readable document of one of these types (requirements' has(type)). */
    whenPresent: z.array(z.string().min(1)).min(1).optional(),
    /** …and none of these (SY-Q02: only the 实施方案 route, no 可研报告). */
    whenAbsent: z.array(z.string().min(1)).min(1).optional(),
    /** `asked`: the facts to ask for while they are unknown; the check runs once all are declared. */
    ask: z.array(RuleAskSchema).min(1).optional(),
    /**
     * `reviewer`: what the reviewer looks at, where, and why no machine check. A `checked` rule may carry one too, for
     * the part of its article no machine should judge (YY-C01(b): the contract's scope item by item): the check runs,
     * and that part is listed under 人工核验要点 with its reason.
     */
    review: RuleReviewSchema.optional(),
    severity: z.enum(['error', 'warning']),
    citation: z.object({ article: z.string().min(1), quote: z.string().min(1) }),
    /** One line in Chinese: what the rule checks. */
    title: z.string().min(1),
    /** Why the rule reads the seed or the requirements the way it does, when that needs saying. */
    note: z.string().optional(),
  })
  .superRefine((rule, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (rule.state !== 'reviewer' && !rule.check) problem('check', `状态为 ${rule.state} 的规则必须指明检查（check）`);
    if (rule.state === 'asked' && !rule.ask) problem('ask', '状态为 asked 的规则必须列出要询问的事实（ask）');
    if (rule.state !== 'asked' && rule.ask) problem('ask', '只有状态为 asked 的规则才列出询问（ask）');
    if (rule.state === 'reviewer' && !rule.review) problem('review', '状态为 reviewer 的规则必须写明核验要点（review：look、docTypes、reason）');
    if (rule.state === 'asked' && rule.review) problem('review', '状态为 asked 的规则不写核验要点（review）；检查部分之外需人工判断的，规则应为 checked');
    if (rule.state === 'reviewer' && rule.check) problem('check', '状态为 reviewer 的规则不运行检查（check）');
  });
export type RuleDefinition = z.infer<typeof RuleDefinitionSchema>;

export const RuleFileSchema = z.object({
  schemaVersion: z.literal(1),
  rules: z.array(RuleDefinitionSchema),
});
