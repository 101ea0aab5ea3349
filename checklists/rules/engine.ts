import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { bindCondition, ConditionError, evaluateCondition, type BoundCondition, type FactLookup, type FactTable } from '../conditions/index.ts';
import { ChecklistValidationError, describeIssue, readDataFile } from '../validation.ts';
import { BATCH_CHECKS } from './batch.ts';
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
  let params: unknown;
  if (rule.check !== undefined) {
    const check = rule.scope === 'batch' ? BATCH_CHECKS[rule.check] : CHECKS[rule.check];
    if (!check) {
      problems.push(`${where}：检查“${rule.check}”不存在（可用的检查：${Object.keys(rule.scope === 'batch' ? BATCH_CHECKS : CHECKS).join('、')}）`);
    } else {
      const parsed = check.params.safeParse(rule.params, { error: ZH_CN.localeError });
      if (parsed.success) params = parsed.data;
      else for (const issue of parsed.error.issues) problems.push(`${where}：检查 ${rule.check} 的参数${issue.path.length ? ` ${issue.path.join('.')} ` : ''}有误：${issue.message}`);
    }
  }
  // An asked fact must be one the officer can declare, or the question could never be answered.
  for (const ask of rule.ask ?? []) if (!facts.has(ask.fact)) problems.push(`${where}：询问的事实“${ask.fact}”不在事实表中（checklists/facts.yaml）`);
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

/** A question the report puts in 需确认 for an asked rule whose fact no document states. */
export interface RuleQuestion {
  ruleId: string;
  title: string;
  article: string;
  quote: string;
  fact: string;
  question: string;
}

/** Where a reviewer finds what a `reviewer` rule asks them to look at. */
export interface ReviewPlace {
  path: string;
  docType: string;
  firstPage?: number;
  lastPage?: number;
  /** The heading of a section carrying the doc type inside another document. */
  heading?: string;
}

/** One 人工核验要点: a rule that needs a person's judgement, with where to look. */
export interface ReviewItem {
  ruleId: string;
  title: string;
  article: string;
  quote: string;
  look: string;
  reason: string;
  severity: 'error' | 'warning';
  /** Doc types the reviewer should look in (the report names them in Chinese). */
  docTypes: string[];
  places: ReviewPlace[];
  /** Facts the rule's applicability waits for: listed anyway, the reviewer decides whether it applies. */
  unknownFacts: string[];
}

export interface RuleEvaluation {
  findings: RuleFinding[];
  questions: RuleQuestion[];
  reviewItems: ReviewItem[];
}

/**
 * Runs every rule in its state. A checked rule whose applicability is known to hold runs its check; a rule whose
 * inputs are unknown produces no finding (../shared/domain/requirements.md §2.2), the checks themselves skip
 * comparisons whose values are missing. An asked rule that applies asks for its facts while they are unknown and runs
 * its check once they are declared. A reviewer rule that applies (or may apply) becomes a 人工核验要点.
 */
export function evaluateRules(rules: readonly BoundRule[], ctx: RuleContext, lookup: FactLookup): RuleEvaluation {
  const out: RuleEvaluation = { findings: [], questions: [], reviewItems: [] };
  for (const { rule, appliesWhen, params } of rules) {
    if (rule.scope === 'batch' || !documentsAllow(rule, ctx)) continue;
    const applies = evaluateCondition(appliesWhen, lookup);
    if (rule.state === 'reviewer' || (rule.review && applies.value === true)) {
      if (applies.value === false || !rule.review) continue;
      out.reviewItems.push({
        ruleId: rule.id,
        title: rule.title,
        article: rule.citation.article,
        quote: rule.citation.quote,
        look: rule.review.look,
        reason: rule.review.reason,
        severity: rule.severity,
        docTypes: rule.review.docTypes,
        places: reviewPlaces(ctx, rule.review.docTypes),
        unknownFacts: applies.value === true ? [] : applies.unknownFacts,
      });
      // A checked rule's reviewer part is listed; its check still runs below.
      if (rule.state === 'reviewer') continue;
    }
    if (applies.value !== true) continue;
    const unknown = (rule.ask ?? []).filter((a) => lookup(a.fact).known !== true);
    if (unknown.length > 0 && !CHECKS[rule.check!]!.answers?.(ctx, params)) {
      for (const a of unknown) out.questions.push({ ruleId: rule.id, title: rule.title, article: rule.citation.article, quote: rule.citation.quote, fact: a.fact, question: a.question });
      continue;
    }
    for (const result of CHECKS[rule.check!]!.run(ctx, params, rule)) {
      out.findings.push({
        ruleId: rule.id,
        kind: rule.kind,
        severity: result.severity ?? rule.severity,
        message: result.message,
        article: rule.citation.article,
        evidence: result.evidence,
      });
    }
  }
  return out;
}

/** The findings alone (what the presence-era callers and tests read). */
export function runRules(rules: readonly BoundRule[], ctx: RuleContext, lookup: FactLookup): RuleFinding[] {
  return evaluateRules(rules, ctx, lookup).findings;
}

function documentsAllow(rule: RuleDefinition, ctx: RuleContext): boolean {
  const has = (types: readonly string[]) => ctx.files.some((f) => f.docTypes.some((t) => types.includes(t)) || f.sections.some((s) => types.includes(s.docType)));
  if (rule.whenPresent && !has(rule.whenPresent)) return false;
  if (rule.whenAbsent && has(rule.whenAbsent)) return false;
  return true;
}

/** Files of the doc types, with their pages, and sections of those types inside other documents. */
function reviewPlaces(ctx: RuleContext, docTypes: readonly string[]): ReviewPlace[] {
  const places: ReviewPlace[] = [];
  for (const file of ctx.files) {
    const pages = file.pages.map((p) => p.n);
    const type = file.docTypes.find((t) => docTypes.includes(t));
    if (type) {
      places.push({ path: file.path, docType: type, firstPage: pages.length ? Math.min(...pages) : undefined, lastPage: pages.length ? Math.max(...pages) : undefined });
      continue;
    }
    for (const s of file.sections) if (docTypes.includes(s.docType)) places.push({ path: file.path, docType: s.docType, firstPage: s.page, heading: s.heading });
  }
  return places;
}
