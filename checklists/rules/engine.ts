import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { bindCondition, ConditionError, evaluateCondition, type BoundCondition, type FactLookup, type FactTable } from '../conditions/index.ts';
import { ChecklistValidationError, describeIssue, readDataFile } from '../validation.ts';
import { CHECKS } from './checks.ts';
import type { RuleContext, RuleFinding } from './context.ts';
import { RuleFileSchema, type RuleDefinition } from './schema.ts';

export const COMMON_RULES_PATH = join(dirname(fileURLToPath(import.meta.url)), 'common.yaml');
/** How problems name the common rules' file. */
const COMMON_RULES_NAME = 'checklists/rules/common.yaml';

export interface BoundRule {
  rule: RuleDefinition;
  appliesWhen: BoundCondition;
  /** The rule's params as its check's schema parsed them, defaults applied. */
  params: unknown;
}

/** Rules with the file they come from, when that is not the checklist being checked (the common rules). */
export interface RuleGroup {
  rules: readonly RuleDefinition[];
  file?: string;
}

let commonRules: readonly RuleDefinition[] | undefined;

/** Rules for every city (GEN-01…, ../shared/domain/requirements.md §4.1), shipped as data beside this file; read once per process. */
export function loadCommonRules(): readonly RuleDefinition[] {
  if (commonRules) return commonRules;
  const raw = readDataFile(COMMON_RULES_PATH);
  const parsed = RuleFileSchema.safeParse(raw);
  if (!parsed.success) throw new ChecklistValidationError(COMMON_RULES_PATH, parsed.error.issues.map((i) => describeIssue(i, raw)));
  commonRules = Object.freeze(parsed.data.rules);
  return commonRules;
}

/** The common rules as a group for `checkRules`, named by their file. */
export function commonRuleGroup(): RuleGroup {
  return { rules: loadCommonRules(), file: COMMON_RULES_NAME };
}

const ZH_CN = z.locales.zhCN();

/** Bound rules by fact table (one per loaded checklist) and rule, so that a rule is bound once per process. */
const boundCache = new WeakMap<FactTable, WeakMap<RuleDefinition, BoundRule>>();

/** Binds one rule, or says in Chinese why it cannot be: the check exists, its params fit, appliesWhen binds. */
function bindRule(rule: RuleDefinition, facts: FactTable, where: string): BoundRule | string[] {
  const cached = boundCache.get(facts)?.get(rule);
  if (cached) return cached;
  const problems: string[] = [];
  const check = CHECKS[rule.check];
  let params: unknown;
  if (!check) {
    problems.push(`${where}：检查“${rule.check}”不存在（可用的检查：${Object.keys(CHECKS).join('、')}）`);
  } else {
    const parsed = check.params.safeParse(rule.params, { error: ZH_CN.localeError });
    if (parsed.success) params = parsed.data;
    else for (const issue of parsed.error.issues) problems.push(`${where}：检查 ${rule.check} 的参数${issue.path.length ? ` ${issue.path.join('.')} ` : ''}有误：${issue.message}`);
  }
  let appliesWhen: BoundCondition | undefined;
  try {
    appliesWhen = bindCondition(rule.appliesWhen, facts);
  } catch (error) {
    if (!(error instanceof ConditionError)) throw error;
    problems.push(`${where}：适用条件（appliesWhen）“${rule.appliesWhen}”：${error.problems.join('；')}`);
  }
  if (problems.length > 0 || !appliesWhen) return problems;
  const bound: BoundRule = { rule, appliesWhen, params };
  let byRule = boundCache.get(facts);
  if (!byRule) boundCache.set(facts, (byRule = new WeakMap()));
  byRule.set(rule, bound);
  return bound;
}

/**
 * Checks rules the way loading a checklist does and binds them: every problem at once, in Chinese, each naming the
 * rule (and its file when the group gives one). Ids must be unique across the groups.
 */
export function checkRules(groups: readonly RuleGroup[], facts: FactTable): { bound: BoundRule[]; problems: string[] } {
  const bound: BoundRule[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const { rules, file } of groups) {
    for (const rule of rules) {
      const where = `规则 ${rule.id}${file ? `（${file}）` : ''}`;
      if (seen.has(rule.id)) problems.push(`${where}：规则编号重复`);
      seen.add(rule.id);
      const result = bindRule(rule, facts, where);
      if (Array.isArray(result)) problems.push(...result);
      else bound.push(result);
    }
  }
  return { bound, problems };
}

/**
 * Binds rules against a checklist's facts; throws ChecklistValidationError listing every problem. A loaded checklist
 * carries its rules bound already (`boundRules`); this serves rules put together by hand.
 */
export function bindRules(rules: readonly RuleDefinition[], facts: FactTable): BoundRule[] {
  const { bound, problems } = checkRules([{ rules }], facts);
  if (problems.length > 0) throw new ChecklistValidationError('规则定义', problems);
  return bound;
}

/**
 * Runs every rule whose applicability is known to hold. A rule whose inputs are unknown produces no finding
 * (../shared/domain/requirements.md §2.2); the checks themselves skip comparisons whose values are missing.
 */
export function runRules(rules: readonly BoundRule[], ctx: RuleContext, lookup: FactLookup): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const { rule, appliesWhen, params } of rules) {
    if (evaluateCondition(appliesWhen, lookup).value !== true) continue;
    for (const result of CHECKS[rule.check]!.run(ctx, params, rule)) {
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
