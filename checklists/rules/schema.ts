import { z } from 'zod';

/**
 * A rule beyond presence (../shared/domain/requirements.md §4), as data: which check it runs, with what parameters,
 * when it applies, how severe a breach is and which article it rests on. The checks are code
 * (checklists/rules/checks.ts); a new city reuses them with its own parameters and needs no code change.
 */
export const RuleKindSchema = z.enum(['T', 'C', 'V', 'Q', 'K', 'P']);

export const RuleDefinitionSchema = z.object({
  id: z.string().regex(/^[A-Z]{2,3}-[A-Z]?\d{2}$/, '规则编号形如 CD-T03 或 GEN-01'),
  kind: RuleKindSchema,
  /** Name of a check in checklists/rules/checks.ts (CHECKS); an unknown name fails the load. */
  check: z.string().min(1),
  /** The check's parameters; validated against that check's own schema when the checklist loads (rules/engine.ts). */
  params: z.record(z.string(), z.unknown()).default({}),
  /** Condition over facts (checklists/conditions.ts); an unknown outcome means the rule produces no finding. */
  appliesWhen: z.string().default('always'),
  severity: z.enum(['error', 'warning']),
  citation: z.object({ article: z.string().min(1), quote: z.string().min(1) }),
  /** One line in Chinese: what the rule checks. */
  title: z.string().min(1),
});
export type RuleDefinition = z.infer<typeof RuleDefinitionSchema>;

export const RuleFileSchema = z.object({
  schemaVersion: z.literal(1),
  rules: z.array(RuleDefinitionSchema),
});
