import { z } from 'zod';
import type { RuleContext, RuleEvidence } from './context.ts';
import type { RuleDefinition } from './schema.ts';

/** What a check reports; the engine adds the rule's id, kind, article and default severity. */
export interface CheckResult {
  message: string;
  evidence: RuleEvidence[];
  severity?: 'error' | 'warning';
}

/**
 * One check: the shape of the `params` a rule gives it, and what it does with them. The loader validates every rule's
 * params against `params` (checklists/rules/engine.ts), so a typo in a checklist file stops the product at load; `run`
 * receives the parsed value, defaults applied. Each check's params schema sits just above it; the table of checks that
 * checklists name (CHECKS) closes the list.
 */
export interface Check<P = unknown> {
  params: z.ZodType<P>;
  // Method syntax on purpose: a check with its own params type still fits `Check<unknown>` in CHECKS.
  run(ctx: RuleContext, params: P, rule: RuleDefinition): CheckResult[];
  /** For an asked rule: the documents already answer its question (YY-Q02: the opinion shows the meeting), so none is asked. */
  answers?(ctx: RuleContext, params: P): boolean;
}

export function check<S extends z.ZodType>(params: S, run: (ctx: RuleContext, params: z.output<S>, rule: RuleDefinition) => CheckResult[]): Check<z.output<S>> {
  return { params: params as z.ZodType<z.output<S>>, run };
}

