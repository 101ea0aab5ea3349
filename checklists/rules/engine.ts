import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { bindCondition, evaluateCondition, type BoundCondition, type FactLookup, type FactTable } from '../conditions.ts';
import { CHECKS } from './checks.ts';
import type { RuleContext, RuleFinding } from './context.ts';
import { RuleFileSchema, type RuleDefinition } from './schema.ts';

export interface BoundRule {
  rule: RuleDefinition;
  appliesWhen: BoundCondition;
}

/** Rules for every city (§4.1), shipped as data beside this file. */
export function loadCommonRules(): RuleDefinition[] {
  const path = fileURLToPath(new URL('./common.yaml', import.meta.url));
  return RuleFileSchema.parse(parseYaml(readFileSync(path, 'utf8'))).rules;
}

/** Fails loudly at load time when a rule names a check that does not exist or a condition that does not bind. */
export function bindRules(rules: readonly RuleDefinition[], facts: FactTable): BoundRule[] {
  const problems: string[] = [];
  const bound: BoundRule[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.id)) problems.push(`规则 ${rule.id} 重复定义`);
    seen.add(rule.id);
    if (!CHECKS[rule.check]) problems.push(`规则 ${rule.id} 引用了不存在的检查“${rule.check}”`);
    try {
      bound.push({ rule, appliesWhen: bindCondition(rule.appliesWhen, facts) });
    } catch (error) {
      problems.push(`规则 ${rule.id}：${(error as Error).message}`);
    }
  }
  if (problems.length) throw new Error(`规则定义有误：${problems.join('；')}`);
  return bound;
}

/**
 * Runs every rule whose applicability is known to hold. A rule whose inputs are unknown produces no finding
 * (requirements.md §2.2); the checks themselves skip comparisons whose values are missing.
 */
export function runRules(rules: readonly BoundRule[], ctx: RuleContext, lookup: FactLookup): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const { rule, appliesWhen } of rules) {
    if (evaluateCondition(appliesWhen, lookup).value !== true) continue;
    for (const result of CHECKS[rule.check]!(ctx, rule)) {
      findings.push({
        ruleId: rule.id,
        kind: rule.kind,
        severity: result.severity ?? rule.severity,
        message: result.message,
        article: rule.citation.article,
        evidence: result.evidence,
      });
    }
  }
  return findings;
}
