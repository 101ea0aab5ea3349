import { addMonths } from '../../extractors/fields/dates.ts';
import { compareDecimalStrings } from '../../extractors/fields/decimal.ts';
import { bigramSimilarity, compareProjectNames, normOrg, normProjectName } from '../../extractors/fields/orgs.ts';
import { foldForMatching } from '../../extractors/normalize.ts';
import type { KnownFact, RuleContext, RuleEvidence } from './context.ts';
import type { RuleDefinition } from './schema.ts';

/** What a check reports; the engine adds the rule's id, kind, article and default severity. */
export interface CheckResult {
  message: string;
  evidence: RuleEvidence[];
  severity?: 'error' | 'warning';
}

export type Check = (ctx: RuleContext, rule: RuleDefinition) => CheckResult[];

/**
 * The checks behind §4's rules. Each is generic: the city-specific part (months of trial run, which fields to compare,
 * which section items a plan must have) comes from the rule's `params` in the checklist data.
 */
export const CHECKS: Record<string, Check> = {
  consistentProjectName,
  consistentStatedValues,
  consistentInvestment,
  amountPairsAgree,
  dateOrder,
  differentOrganisations,
  dateNotAfter,
  trialRunDuration,
  trialRunThenPreliminaryAcceptance,
  sectionItems,
  sameOrganisation,
  notGreaterThan,
  notice,
};

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

/** GEN-02 and the like: the same organisation field must name the same organisation everywhere. */
function consistentStatedValues(ctx: RuleContext, rule: RuleDefinition): CheckResult[] {
  const field = String(rule.params.field ?? '');
  const label = String(rule.params.label ?? field);
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

/** GEN-03: every stated total investment equals the one used for thresholds; say so when a threshold is crossed. */
function consistentInvestment(ctx: RuleContext, rule: RuleDefinition): CheckResult[] {
  const total = ctx.facts.totalInvestmentWan;
  const stated = ctx.statements.filter((s) => s.field === 'totalInvestment');
  if (!total || stated.length === 0) return [];
  const reference = String(total.value);
  const differing = stated.filter((s) => compareDecimalStrings(s.value, reference) !== 0);
  if (differing.length === 0) return [];
  const thresholds = (rule.params.thresholds as number[] | undefined) ?? [];
  const crossed = thresholds.filter((t) => differing.some((s) => Number(s.value) >= t !== Number(reference) >= t));
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

/** GEN-05: the project's dates follow their natural order; each inversion between known dates is reported. */
function dateOrder(ctx: RuleContext, rule: RuleDefinition): CheckResult[] {
  const order = (rule.params.order as string[] | undefined) ?? [];
  const known = order
    .map((name) => ({ name, fact: ctx.facts[name] }))
    .filter((x): x is { name: string; fact: KnownFact } => typeof x.fact?.value === 'string' && isIsoDay(x.fact.value as string));
  const out: CheckResult[] = [];
  for (let i = 0; i + 1 < known.length; i++) {
    const a = known[i]!;
    const b = known[i + 1]!;
    if ((a.fact.value as string) > (b.fact.value as string)) {
      out.push({
        message: `日期顺序异常：${label(rule, a.name)}（${a.fact.value}）晚于${label(rule, b.name)}（${b.fact.value}）`,
        evidence: [...(a.fact.evidence ?? []), ...(b.fact.evidence ?? [])],
      });
    }
  }
  return out;
}

/** CD-C01: contractor and supervisor are different organisations. */
function differentOrganisations(ctx: RuleContext, rule: RuleDefinition): CheckResult[] {
  const [a, b] = (rule.params.facts as string[] | undefined) ?? [];
  if (!a || !b) return [];
  const fa = ctx.facts[a];
  const fb = ctx.facts[b];
  if (typeof fa?.value !== 'string' || typeof fb?.value !== 'string') return [];
  if (normOrg(fa.value) !== normOrg(fb.value)) return [];
  return [
    {
      message: `${label(rule, a)}与${label(rule, b)}为同一单位（${fa.value}），承建和监理应由相互独立的机构分别承担`,
      evidence: [...(fa.evidence ?? []), ...(fb.evidence ?? [])],
    },
  ];
}

/** CD-T03 and the like: one date must not be later than another. */
function dateNotAfter(ctx: RuleContext, rule: RuleDefinition): CheckResult[] {
  const earlier = String(rule.params.earlier ?? '');
  // `later` may list stand-ins in order (CD-T02: the construction start, else the main contract date as a proxy).
  const laterNames = ([] as unknown[]).concat(rule.params.later ?? []).map(String);
  const later = laterNames.find((name) => dayFact(ctx, name)) ?? laterNames[0] ?? '';
  const e = dayFact(ctx, earlier);
  const l = dayFact(ctx, later);
  if (!e || !l || e.day <= l.day) return [];
  return [
    {
      message: `${label(rule, earlier)}（${e.day}）晚于${label(rule, later)}（${l.day}）`,
      evidence: [...(e.fact.evidence ?? []), ...(l.fact.evidence ?? [])],
    },
  ];
}

/**
 * YY-T03 (3 months, 初验合格 before the application) and SC-T02 (1 month, report after the run, before the
 * application): months counted per 民法典 第二百零二条 (addMonths). A month-precision start is indeterminate.
 */
function trialRunDuration(ctx: RuleContext, rule: RuleDefinition): CheckResult[] {
  const months = Number(rule.params.months ?? 0);
  const out: CheckResult[] = [];
  const start = ctx.facts.trialRunStartDate;
  const end = dayFact(ctx, 'trialRunEndDate');
  const application = dayFact(ctx, 'acceptanceApplicationDate');
  if (start && typeof start.value === 'string' && !isIsoDay(start.value)) {
    out.push({ severity: 'warning', message: `试运行开始时间只精确到月（${start.value}），无法确认是否满 ${months} 个月`, evidence: start.evidence ?? [] });
  }
  const startDay = dayFact(ctx, 'trialRunStartDate');
  if (startDay && months > 0) {
    const due = addMonths(startDay.day, months);
    if (end && end.day < due) {
      out.push({
        message: `试运行不足 ${months} 个月：自 ${startDay.day} 起至 ${end.day} 止，应至少至 ${due}`,
        evidence: [...(startDay.fact.evidence ?? []), ...(end.fact.evidence ?? [])],
      });
    }
    if (rule.params.applicationAfterRun && application && application.day < due) {
      out.push({
        message: `竣工验收申请（${application.day}）早于试运行满 ${months} 个月之日（${due}）`,
        evidence: [...(startDay.fact.evidence ?? []), ...(application.fact.evidence ?? [])],
      });
    }
  }
  if (rule.params.preliminaryPassBeforeApplication) {
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
  if (rule.params.reportAfterRun) {
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

/** SC-K01 and the like: a document of a type must address each listed item (heading or substantive text). */
function sectionItems(ctx: RuleContext, rule: RuleDefinition): CheckResult[] {
  const docTypes = ([] as unknown[]).concat(rule.params.docType ?? []).map(String);
  const items = (rule.params.items as Array<{ name: string; synonyms?: string[] }> | undefined) ?? [];
  const hosts = ctx.files.filter((f) => f.docTypes.some((t) => docTypes.includes(t)));
  if (hosts.length === 0) return [];
  const text = foldForMatching(hosts.flatMap((f) => f.pages.map((p) => p.text)).join('\n'));
  const absent = items.filter((item) => ![item.name, ...(item.synonyms ?? [])].some((term) => text.includes(foldForMatching(term))));
  if (absent.length === 0) return [];
  const evidence = [{ path: hosts[0]!.path }];
  // SC-K01 wants one finding per missing item; review-criteria lists (YY-K01, SY-K01) read better as one finding.
  if (rule.params.perItem) return absent.map((item) => ({ message: `${hosts[0]!.path} 未见「${item.name}」相关内容`, evidence }));
  return [{ message: `${hosts[0]!.path} 未见以下内容：${absent.map((i) => `「${i.name}」`).join('、')}`, evidence }];
}

/** MT-Q01 and the like: two roles must be filled by the same organisation (the supervisor does the 初验). */
function sameOrganisation(ctx: RuleContext, rule: RuleDefinition): CheckResult[] {
  const [a, b] = (rule.params.facts as string[] | undefined) ?? [];
  if (!a || !b) return [];
  const fa = ctx.facts[a];
  const fb = ctx.facts[b];
  if (typeof fa?.value !== 'string' || typeof fb?.value !== 'string') return [];
  if (normOrg(fa.value) === normOrg(fb.value)) return [];
  return [
    {
      message: `${label(rule, a)}（${fa.value}）与${label(rule, b)}（${fb.value}）不是同一单位`,
      evidence: [...(fa.evidence ?? []), ...(fb.evidence ?? [])],
    },
  ];
}

/** GEN-07 and the like: one amount must not exceed another (exact decimals, §0.3). */
function notGreaterThan(ctx: RuleContext, rule: RuleDefinition): CheckResult[] {
  const [a, b] = (rule.params.facts as string[] | undefined) ?? [];
  const fa = a ? ctx.facts[a] : undefined;
  const fb = b ? ctx.facts[b] : undefined;
  if (typeof fa?.value !== 'number' || typeof fb?.value !== 'number') return [];
  if (compareDecimalStrings(String(fa.value), String(fb.value)) <= 0) return [];
  return [
    {
      message: `${label(rule, a!)}（${fa.value}万元）超过${label(rule, b!)}（${fb.value}万元）`,
      evidence: [...(fa.evidence ?? []), ...(fb.evidence ?? [])],
    },
  ];
}

/** YY-P02 and the like: when the rule applies, say what the officer must know (the message is data). */
function notice(_ctx: RuleContext, rule: RuleDefinition): CheckResult[] {
  return [{ message: String(rule.params.message ?? rule.title), evidence: [] }];
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

function label(rule: RuleDefinition, fact: string): string {
  const labels = rule.params.labels as Record<string, string> | undefined;
  return labels?.[fact] ?? FACT_LABELS[fact] ?? fact;
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
