import { z } from 'zod';
import { addMonths } from '../../extractors/fields/dates.ts';
import { compareDecimalStrings } from '../../extractors/fields/decimal.ts';
import { bigramSimilarity, compareProjectNames, normOrg, normProjectName } from '../../extractors/fields/orgs.ts';
import { foldForMatching } from '../../extractors/normalize.ts';
import { affirmed, anyOf, definesSection, evidenceOf, namesSection, sectionTitles, sentencesOf, type Sentence } from './text.ts';
import type { KnownFact, RuleContext, RuleEvidence } from './context.ts';
import type { RuleDefinition } from './schema.ts';
import { SEAL_CHECKS } from './seal-checks.ts';

import { check, type Check, type CheckResult } from './check.ts';
import { DOCUMENT_CHECKS } from './document-checks.ts';
import { TERM_CHECKS } from './term-checks.ts';

export type { Check, CheckResult } from './check.ts';

// Params that several checks share.
const FactName = z.string().min(1);
/** Chinese names of facts in messages, where the built-in ones (FACT_LABELS) do not fit. */
const Labels = z.record(z.string(), z.string().min(1)).optional();
/** Two facts compared with each other, e.g. [contractor, supervisor]. */
const FactPairParams = z.strictObject({ facts: z.tuple([FactName, FactName]), labels: Labels });
/** One name or several; the check reads both as a list. */
const OneOrMore = z.union([FactName, z.array(FactName).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));
const NoParams = z.strictObject({});
/** An allOf part that runs only when a number fact is at least / below a threshold. */
const PartWhen = z.strictObject({ fact: FactName, atLeast: z.number().optional(), below: z.number().optional() }).optional();

/** GEN-01: every document that states a project name names the same project. */
function consistentProjectName(ctx: RuleContext): CheckResult[] {
  const names = ctx.statements
    .filter((s) => s.field === 'projectName')
    .map((s) => ({ ...s, value: s.value.replace(/^(关于)?(申报|申请|报送|上报|请求)/, '') }))
    .filter((s) => isSpecificProjectName(s.value));
  if (names.length < 2) return [];
  const reference = mostCommon(names.map((s) => s.value));
  // An OCR'd name close to the others is a misreading ("千城县…", ".期"), not another project.
  const differing = names.filter(
    (s) => !compareProjectNames(s.value, reference).same && !(s.evidence.source === 'ocr' && bigramSimilarity(normProjectName(s.value), normProjectName(reference)) >= 0.7),
  );
  if (differing.length === 0) return [];
  return [
    {
      message: `各文件中的项目名称不一致：以「${reference}」为准，另有 ${unique(differing.map((s) => `「${s.value}」`)).join('、')}`,
      evidence: [...names.filter((s) => s.value === reference).slice(0, 1), ...differing].map((s) => ({ ...s.evidence, quote: s.evidence.quote ?? s.value })),
    },
  ];
}

/** A name of one project, not a phrase ("入库状态已入库,可提报…") or a generic label ("XX市电子政务项目", 打捆项目). */
function isSpecificProjectName(name: string): boolean {
  if (/[,，。；;：:]/.test(name)) return false;
  if (/打捆|年度电子政务/.test(name)) return false;
  return !/^.{0,8}[省市县区](电子政务|信息化)(建设)?(项目|工程)$/.test(name);
}

const ConsistentStatedValuesParams = z.strictObject({
  /** The field every document must state alike, e.g. constructionUnit. */
  field: FactName,
  /** Its Chinese name in the message; default: the field's name. */
  label: z.string().min(1).optional(),
});

/** GEN-02 and the like: the same organisation field must name the same organisation everywhere. */
function consistentStatedValues(ctx: RuleContext, params: z.output<typeof ConsistentStatedValuesParams>): CheckResult[] {
  const { field } = params;
  const label = params.label ?? field;
  const stated = ctx.statements.filter((s) => s.field === field);
  if (stated.length < 2) return [];
  const reference = mostCommon(stated.map((s) => normOrg(s.value)));
  const differing = stated.filter((s) => normOrg(s.value) !== reference);
  if (differing.length === 0) return [];
  return [
    {
      message: `各文件中的${label}不一致：${unique(stated.map((s) => `「${s.value}」`)).join('、')}`,
      evidence: stated.map((s) => s.evidence),
    },
  ];
}

const ConsistentInvestmentParams = z.strictObject({
  /** 万元 amounts at which a checklist's conditions change; a finding names those that the differing totals straddle. */
  thresholds: z.array(z.number().positive()).default([]),
});

/** GEN-03: every stated total investment equals the one used for thresholds; say so when a threshold is crossed. */
function consistentInvestment(ctx: RuleContext, params: z.output<typeof ConsistentInvestmentParams>): CheckResult[] {
  const total = ctx.facts.totalInvestmentWan;
  const stated = ctx.statements.filter((s) => s.field === 'totalInvestment');
  if (!total || stated.length === 0) return [];
  const reference = String(total.value);
  const differing = stated.filter((s) => compareDecimalStrings(s.value, reference) !== 0);
  if (differing.length === 0) return [];
  const crossed = params.thresholds.filter((t) => differing.some((s) => Number(s.value) >= t !== Number(reference) >= t));
  const values = unique(differing.map((s) => `${s.value}万元（${s.evidence.path ?? ''}）`));
  return [
    {
      message:
        `总投资金额不一致：采用 ${reference} 万元（${total.source === 'declared' ? '已声明' : `来自 ${total.from ?? '审批文件'}`}），另有 ${values.join('、')}` +
        (crossed.length ? `；按不同金额，项目会落在 ${crossed.map((t) => `${t}万元`).join('、')} 门槛的不同一侧，请核实` : ''),
      evidence: [...(total.evidence ?? []), ...differing.map((s) => s.evidence)],
    },
  ];
}

/** GEN-04: a 大写 amount and its 小写 figure agree. */
function amountPairsAgree(ctx: RuleContext): CheckResult[] {
  return ctx.amountPairs
    .filter((p) => compareDecimalStrings(p.daxieWan, p.xiaoxieWan) !== 0)
    .map((p) => ({
      message: `大写金额（${p.daxieWan}万元）与小写金额（${p.xiaoxieWan}万元）不一致`,
      evidence: [p.evidence],
    }));
}

const DateOrderParams = z.strictObject({ order: z.array(FactName).min(2), labels: Labels });

/** GEN-05: the project's dates follow their natural order; each inversion between known dates is reported. */
function dateOrder(ctx: RuleContext, params: z.output<typeof DateOrderParams>): CheckResult[] {
  const known = params.order
    .map((name) => ({ name, fact: ctx.facts[name] }))
    .filter((x): x is { name: string; fact: KnownFact } => typeof x.fact?.value === 'string' && isIsoDay(x.fact.value as string));
  const out: CheckResult[] = [];
  for (let i = 0; i + 1 < known.length; i++) {
    const a = known[i]!;
    const b = known[i + 1]!;
    if ((a.fact.value as string) > (b.fact.value as string)) {
      out.push({
        message: `日期顺序异常：${label(params, a.name)}（${a.fact.value}）晚于${label(params, b.name)}（${b.fact.value}）`,
        evidence: [...(a.fact.evidence ?? []), ...(b.fact.evidence ?? [])],
      });
    }
  }
  return out;
}

/** CD-C01: contractor and supervisor are different organisations. */
function differentOrganisations(ctx: RuleContext, params: z.output<typeof FactPairParams>): CheckResult[] {
  const [a, b] = params.facts;
  const fa = ctx.facts[a];
  const fb = ctx.facts[b];
  if (typeof fa?.value !== 'string' || typeof fb?.value !== 'string') return [];
  if (normOrg(fa.value) !== normOrg(fb.value)) return [];
  return [
    {
      message: `${label(params, a)}与${label(params, b)}为同一单位（${fa.value}），承建和监理应由相互独立的机构分别承担`,
      evidence: [...(fa.evidence ?? []), ...(fb.evidence ?? [])],
    },
  ];
}

const DateNotAfterParams = z.strictObject({
  earlier: FactName,
  /**
   * Stand-ins in order (CD-T02: the construction start, else the main contract date as a proxy): the first known
   * counts.
   */
  later: OneOrMore,
  labels: Labels,
});

/** CD-T03 and the like: one date must not be later than another. */
function dateNotAfter(ctx: RuleContext, params: z.output<typeof DateNotAfterParams>): CheckResult[] {
  const { earlier } = params;
  const later = params.later.find((name) => dayFact(ctx, name)) ?? params.later[0]!;
  const e = dayFact(ctx, earlier);
  const l = dayFact(ctx, later);
  if (!e || !l || e.day <= l.day) return [];
  return [
    {
      message: `${label(params, earlier)}（${e.day}）晚于${label(params, later)}（${l.day}）`,
      evidence: [...(e.fact.evidence ?? []), ...(l.fact.evidence ?? [])],
    },
  ];
}

const TrialRunDurationParams = z.strictObject({
  /** Minimum trial run in months (YY-T03: 3, SC-T02: 1). */
  months: z.number().int().positive(),
  /** The acceptance application must come after the full run. */
  applicationAfterRun: z.boolean().default(false),
  /** The preliminary acceptance passed, and came before the application. */
  preliminaryPassBeforeApplication: z.boolean().default(false),
  /** The trial-run report falls between the end of the run and the application. */
  reportAfterRun: z.boolean().default(false),
});

/**
 * YY-T03 (3 months, 初验合格 before the application) and SC-T02 (1 month, report after the run, before the
 * application): months counted per 民法典 第二百零二条 (addMonths). A month-precision start is indeterminate.
 */
function trialRunDuration(ctx: RuleContext, params: z.output<typeof TrialRunDurationParams>): CheckResult[] {
  const { months } = params;
  const out: CheckResult[] = [];
  const start = ctx.facts.trialRunStartDate;
  const end = dayFact(ctx, 'trialRunEndDate');
  const application = dayFact(ctx, 'acceptanceApplicationDate');
  if (start && typeof start.value === 'string' && !isIsoDay(start.value)) {
    out.push({ severity: 'warning', message: `试运行开始时间只精确到月（${start.value}），无法确认是否满 ${months} 个月`, evidence: start.evidence ?? [] });
  }
  const startDay = dayFact(ctx, 'trialRunStartDate');
  if (startDay) {
    const due = addMonths(startDay.day, months);
    if (end && end.day < due) {
      out.push({
        message: `试运行不足 ${months} 个月：自 ${startDay.day} 起至 ${end.day} 止，应至少至 ${due}`,
        evidence: [...(startDay.fact.evidence ?? []), ...(end.fact.evidence ?? [])],
      });
    }
    if (params.applicationAfterRun && application && application.day < due) {
      out.push({
        message: `竣工验收申请（${application.day}）早于试运行满 ${months} 个月之日（${due}）`,
        evidence: [...(startDay.fact.evidence ?? []), ...(application.fact.evidence ?? [])],
      });
    }
  }
  if (params.preliminaryPassBeforeApplication) {
    const conclusion = ctx.facts.preliminaryAcceptanceConclusion;
    if (conclusion && typeof conclusion.value === 'string' && !isPass(conclusion.value)) {
      out.push({ message: `初步验收结论不是“合格”：「${conclusion.value}」`, evidence: conclusion.evidence ?? [] });
    }
    const prelim = dayFact(ctx, 'preliminaryAcceptanceDate');
    if (prelim && application && prelim.day > application.day) {
      out.push({
        message: `初步验收（${prelim.day}）晚于竣工验收申请（${application.day}）`,
        evidence: [...(prelim.fact.evidence ?? []), ...(application.fact.evidence ?? [])],
      });
    }
  }
  if (params.reportAfterRun) {
    const report = dayFact(ctx, 'trialRunReportDate');
    if (report && end && report.day < end.day) {
      out.push({ message: `试运行报告（${report.day}）早于试运行结束（${end.day}）`, evidence: [...(report.fact.evidence ?? []), ...(end.fact.evidence ?? [])] });
    }
    if (report && application && report.day > application.day) {
      out.push({ message: `试运行报告（${report.day}）晚于竣工验收申请（${application.day}）`, evidence: [...(report.fact.evidence ?? []), ...(application.fact.evidence ?? [])] });
    }
  }
  return out;
}

/** MT-T01: trial run passed, then the supervisor's preliminary acceptance, then the acceptance. */
function trialRunThenPreliminaryAcceptance(ctx: RuleContext): CheckResult[] {
  const out: CheckResult[] = [];
  const conclusion = ctx.facts.trialRunConclusion;
  if (conclusion && typeof conclusion.value === 'string' && !isPass(conclusion.value)) {
    out.push({ message: `试运行结论不是“合格”：「${conclusion.value}」`, evidence: conclusion.evidence ?? [] });
  }
  const end = dayFact(ctx, 'trialRunEndDate');
  const prelim = dayFact(ctx, 'preliminaryAcceptanceDate');
  const acceptance = dayFact(ctx, 'acceptanceDate');
  if (end && prelim && prelim.day < end.day) {
    out.push({ message: `初步验收（${prelim.day}）早于试运行结束（${end.day}）：应先试运行合格，再由监理单位初步验收`, evidence: [...(end.fact.evidence ?? []), ...(prelim.fact.evidence ?? [])] });
  }
  const held = ctx.facts.acceptanceHeld?.value === true;
  if (held && prelim && acceptance && acceptance.day < prelim.day) {
    out.push({ message: `竣工验收（${acceptance.day}）早于初步验收（${prelim.day}）`, evidence: [...(prelim.fact.evidence ?? []), ...(acceptance.fact.evidence ?? [])] });
  }
  return out;
}

const SectionMatch = z.enum(['heading', 'definingSentence', 'anywhere']);

const SectionItemsParams = z.strictObject({
  /** The doc type (or types) whose text must address the items. */
  docType: OneOrMore,
  items: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        synonyms: z.array(z.string().min(1)).default([]),
        /** Regular expressions of a defining sentence of the item beyond the generic ones ("有权解除合同"). */
        sentences: z.array(z.string().min(1)).default([]),
      }),
    )
    .min(1),
  /** One finding per missing item (SC-K01) rather than one finding listing them. */
  perItem: z.boolean().default(false),
  /**
   * What makes an item present: a heading that names it (numbered 一、/（一）/1./第X章 or a short title line, or the
   * classifier's section), a defining sentence ("本项目密码应用方案如下", "本章说明系统架构"), or the word anywhere.
   * A word in passing ("详见安全方案") is no section; `anywhere` is for documents without headings.
   */
  match: z.union([SectionMatch, z.array(SectionMatch).min(1)]).transform((v) => (Array.isArray(v) ? v : [v])).default(['anywhere']),
});

/** SC-K01 and the like: a document of a type must address each listed item, as `match` says. */
function sectionItems(ctx: RuleContext, params: z.output<typeof SectionItemsParams>): CheckResult[] {
  const { docType: docTypes, items, match } = params;
  const hosts = ctx.files.filter((f) => f.docTypes.some((t) => docTypes.includes(t)));
  if (hosts.length === 0) return [];
  const text = foldForMatching(hosts.flatMap((f) => f.pages.map((p) => p.text)).join('\n'));
  const headings = match.includes('heading') ? sectionTitles(hosts) : [];
  const sentences = match.includes('definingSentence') ? sentencesOf(hosts) : [];
  const present = (item: z.output<typeof SectionItemsParams>['items'][number]) => {
    const terms = [item.name, ...item.synonyms].map(foldForMatching);
    if (match.includes('anywhere') && terms.some((t) => text.includes(t))) return true;
    if (headings.some((h) => terms.some((t) => namesSection(h, t)))) return true;
    if (sentences.some((s) => terms.some((t) => definesSection(s.text, t)))) return true;
    return item.sentences.length > 0 && match.includes('definingSentence') && affirmed(sentences, anyOf(item.sentences)).length > 0;
  };
  const absent = items.filter((item) => !present(item));
  if (absent.length === 0) return [];
  const path = hosts[0]!.path;
  const strict = !match.includes('anywhere');
  // A word in passing is worth quoting: the officer sees at once why it does not count as the section.
  const passing = (item: (typeof absent)[number]): Sentence | undefined => {
    if (!strict) return undefined;
    const terms = [item.name, ...item.synonyms].map(foldForMatching);
    return sentencesOf(hosts).find((s) => terms.some((t) => s.text.includes(t)));
  };
  const what = strict ? '章节（标题或定义性语句）' : '相关内容';
  const describe = (item: (typeof absent)[number]) => {
    const seen = passing(item);
    return `「${item.name}」${seen ? `（仅在第${seen.page}页顺带提及：「${seen.text.slice(0, 40)}」）` : ''}`;
  };
  const evidenceFor = (list: typeof absent) => {
    const quoted = list.map(passing).filter((s): s is Sentence => s !== undefined).map(evidenceOf);
    return quoted.length > 0 ? quoted.slice(0, 5) : [{ path }];
  };
  // SC-K01 wants one finding per missing item; review-criteria lists (YY-K01, SY-K01) read better as one finding.
  if (params.perItem) return absent.map((item) => ({ message: `${path} 未见${describe(item)}的${what}`, evidence: evidenceFor([item]) }));
  return [{ message: `${path} 未见以下${what}：${absent.map(describe).join('、')}`, evidence: evidenceFor(absent) }];
}

/** MT-Q01 and the like: two roles must be filled by the same organisation (the supervisor does the 初验). */
function sameOrganisation(ctx: RuleContext, params: z.output<typeof FactPairParams>): CheckResult[] {
  const [a, b] = params.facts;
  const fa = ctx.facts[a];
  const fb = ctx.facts[b];
  if (typeof fa?.value !== 'string' || typeof fb?.value !== 'string') return [];
  if (normOrg(fa.value) === normOrg(fb.value)) return [];
  return [
    {
      message: `${label(params, a)}（${fa.value}）与${label(params, b)}（${fb.value}）不是同一单位`,
      evidence: [...(fa.evidence ?? []), ...(fb.evidence ?? [])],
    },
  ];
}

/** GEN-07 and the like: one amount must not exceed another (exact decimals: 80.01 exceeds 80). */
function notGreaterThan(ctx: RuleContext, params: z.output<typeof FactPairParams>): CheckResult[] {
  const [a, b] = params.facts;
  const fa = ctx.facts[a];
  const fb = ctx.facts[b];
  if (typeof fa?.value !== 'number' || typeof fb?.value !== 'number') return [];
  if (compareDecimalStrings(String(fa.value), String(fb.value)) <= 0) return [];
  return [
    {
      message: `${label(params, a)}（${fa.value}万元）超过${label(params, b)}（${fb.value}万元）`,
      evidence: [...(fa.evidence ?? []), ...(fb.evidence ?? [])],
    },
  ];
}

const NoticeParams = z.strictObject({
  /** What the officer must know; default: the rule's title. */
  message: z.string().min(1).optional(),
});

/** YY-P02 and the like: when the rule applies, say what the officer must know (the message is data). */
function notice(_ctx: RuleContext, params: z.output<typeof NoticeParams>, rule: RuleDefinition): CheckResult[] {
  return [{ message: params.message ?? rule.title, evidence: [] }];
}

/**
 * The checks behind the rules beyond presence (rules/common.yaml, each checklist's `rules`). Each is generic: the
 * city-specific part (months of trial run, which fields to compare, which section items a plan must have) comes from
 * the rule's `params` in the checklist data. A checklist names a check by its key here.
 */
export const CHECKS: Readonly<Record<string, Check>> = {
  consistentProjectName: check(NoParams, consistentProjectName),
  consistentStatedValues: check(ConsistentStatedValuesParams, consistentStatedValues),
  consistentInvestment: check(ConsistentInvestmentParams, consistentInvestment),
  amountPairsAgree: check(NoParams, amountPairsAgree),
  dateOrder: check(DateOrderParams, dateOrder),
  differentOrganisations: check(FactPairParams, differentOrganisations),
  dateNotAfter: check(DateNotAfterParams, dateNotAfter),
  trialRunDuration: check(TrialRunDurationParams, trialRunDuration),
  trialRunThenPreliminaryAcceptance: check(NoParams, trialRunThenPreliminaryAcceptance),
  sectionItems: check(SectionItemsParams, sectionItems),
  sameOrganisation: check(FactPairParams, sameOrganisation),
  notGreaterThan: check(FactPairParams, notGreaterThan),
  notice: check(NoticeParams, notice),
  ...SEAL_CHECKS,
  ...DOCUMENT_CHECKS,
  ...TERM_CHECKS,
  allOf: check(
    z.strictObject({ checks: z.array(z.strictObject({ check: z.string().min(1), params: z.record(z.string(), z.unknown()).default({}), severity: z.enum(['error', 'warning']).optional(), when: PartWhen })).min(1) }).superRefine((value, ctx) => {
      for (const [i, part] of value.checks.entries()) {
        const inner = CHECKS[part.check];
        if (!inner || part.check === 'allOf') {
          ctx.addIssue({ code: 'custom', path: ['checks', i, 'check'], message: `检查“${part.check}”不存在或不能嵌套` });
          continue;
        }
        const parsed = inner.params.safeParse(part.params);
        if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: ['checks', i, 'params', ...issue.path.map(String)], message: issue.message });
      }
    }),
    // Several checks under one rule (CD-Q04 (a)–(d), YY-Q04): each runs with its own params and severity and reports on its own.
    (ctx, params, rule) =>
      params.checks.filter((part) => partApplies(ctx, part.when)).flatMap((part) =>
        CHECKS[part.check]!.run(ctx, CHECKS[part.check]!.params.parse(part.params), rule).map((r) => (part.severity && !r.severity ? { ...r, severity: part.severity } : r)),
      ),
  ),
};

/**
 * A part of an allOf rule that holds on one side of a threshold only (舒城 第九条第三款: 500万元以上 its own 实施方案,
 * below a bundled proposal); unknown amount: the part does not run.
 */
function partApplies(ctx: RuleContext, when: z.output<typeof PartWhen>): boolean {
  if (!when) return true;
  const value = ctx.facts[when.fact]?.value;
  if (typeof value !== 'number') return false;
  return (when.atLeast === undefined || value >= when.atLeast) && (when.below === undefined || value < when.below);
}

function dayFact(ctx: RuleContext, name: string): { day: string; fact: KnownFact } | null {
  const fact = ctx.facts[name];
  if (!fact || typeof fact.value !== 'string' || !isIsoDay(fact.value)) return null;
  return { day: fact.value, fact };
}

function isIsoDay(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s);
}

function isPass(conclusion: string): boolean {
  return /合格|通过|符合|同意/.test(conclusion) && !/不合格|未通过|不通过|不符合|不同意/.test(conclusion);
}

function label(params: { labels?: Record<string, string> | undefined }, fact: string): string {
  return params.labels?.[fact] ?? FACT_LABELS[fact] ?? fact;
}

const FACT_LABELS: Record<string, string> = {
  approvalDate: '审批日期',
  implementationStartDate: '启动实施日期',
  mainContractDate: '合同签订日期',
  constructionStartDate: '开工日期',
  trialRunStartDate: '试运行开始',
  trialRunEndDate: '试运行结束',
  acceptanceApplicationDate: '竣工验收申请日期',
  acceptanceDate: '验收日期',
  selfInspectionDate: '自审自查日期',
  preliminaryAcceptanceDate: '初步验收日期',
  contractor: '承建单位',
  supervisor: '监理单位',
  supervisionContractDate: '监理合同签订日期',
  preliminaryAcceptanceOrganizer: '初步验收组织单位',
  projectContractsTotalWan: '项目合同总额',
  totalInvestmentWan: '总投资',
};

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
