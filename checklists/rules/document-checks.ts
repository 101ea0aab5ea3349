import { z } from 'zod';
import { addMonths } from '../../extractors/fields/dates.ts';
import { compareDecimalStrings } from '../../extractors/fields/decimal.ts';
import { normOrg } from '../../extractors/fields/orgs.ts';
import { foldForMatching } from '../../extractors/normalize.ts';
import { countDays, countDaysWithoutSupplements } from '../clock.ts';
import { check, type Check, type CheckResult } from './check.ts';
import type { RuleContext, RuleEvidence } from './context.ts';
import { affirmed, anyOf, evidenceOf, filesOf, headingsOf, pattern, sentencesOf, type Sentence } from './text.ts';

/**
 * Checks that read what documents state (a document type's date, drafter, testing agency, issuer) and what their
 * text says, for the rules of requirements §4 beyond the first twenty. Every one is generic: which doc types, which
 * words, which months or days come from the rule's params in the checklist. Each stays silent when a value it needs
 * is missing: a rule that accuses a unit needs the evidence in hand.
 */

const Name = z.string().min(1);
const DocTypes = z.array(Name).min(1);
const Labels = z.record(z.string(), z.string().min(1)).optional();

/**
 * A value a rule compares: a dossier fact (`{ fact: constructionUnit }`) or what documents of some types state for a
 * field (`{ field: drafter, docTypes: [preliminary_design] }`, every stating document counted).
 */
const ValueRef = z.union([
  z.strictObject({ fact: Name, label: Name.optional() }),
  z.strictObject({ field: Name, docTypes: DocTypes, label: Name.optional() }),
]);
type ValueRef = z.output<typeof ValueRef>;

interface Stated {
  value: string;
  evidence: RuleEvidence[];
}

function resolve(ctx: RuleContext, ref: ValueRef): Stated[] {
  if ('fact' in ref) {
    const f = ctx.facts[ref.fact];
    if (f === undefined || f.value === null || f.value === undefined || typeof f.value === 'object') return [];
    const evidence = f.evidence ?? (f.source === 'declared' ? [{ label: '已声明', quote: `${ref.fact}=${String(f.value)}` }] : []);
    return [{ value: String(f.value), evidence }];
  }
  return ctx.statements
    .filter((s) => s.field === ref.field && s.docTypes.some((t) => ref.docTypes.includes(t)))
    .map((s) => ({ value: s.value, evidence: [{ ...s.evidence, quote: s.evidence.quote ?? s.value }] }));
}

function refLabel(ref: ValueRef): string {
  return ref.label ?? ('fact' in ref ? ref.fact : ref.field);
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const days = (xs: Stated[]) => xs.filter((x) => ISO_DAY.test(x.value));

// ---------------------------------------------------------------------------------------------- organisations

const OrgsDifferParams = z.strictObject({
  /** The organisation that must be independent (a testing agency, a plan's drafter). */
  subject: ValueRef,
  /** Those it must not be (contractor, construction unit, supervisor). */
  others: z.array(ValueRef).min(1),
  /** Words for the breach, e.g. 第三方测评机构应独立于被测项目的各方. */
  message: Name,
});

/** YY-C02, CD-Q04(a), YY-Q01, CD-Q03, SY-Q01: one organisation is none of the others (norm()). */
function orgsDiffer(ctx: RuleContext, params: z.output<typeof OrgsDifferParams>): CheckResult[] {
  const out: CheckResult[] = [];
  const seen = new Set<string>();
  for (const subject of resolve(ctx, params.subject)) {
    for (const otherRef of params.others) {
      for (const other of resolve(ctx, otherRef)) {
        const key = `${normOrg(subject.value)}\u0000${refLabel(otherRef)}`;
        if (normOrg(subject.value) !== normOrg(other.value) || seen.has(key)) continue;
        seen.add(key);
        out.push({
          message: `${refLabel(params.subject)}「${subject.value}」即${refLabel(otherRef)}：${params.message}`,
          evidence: [...subject.evidence, ...other.evidence],
        });
      }
    }
  }
  return out;
}

const OrgsAgreeParams = z.strictObject({ pairs: z.array(z.strictObject({ a: ValueRef, b: ValueRef })).min(1) });

/** GEN-06, MT-P02: each value of `a` names the organisation `b` names, when both are stated. */
function orgsAgree(ctx: RuleContext, params: z.output<typeof OrgsAgreeParams>): CheckResult[] {
  const out: CheckResult[] = [];
  for (const { a, b } of params.pairs) {
    const as = resolve(ctx, a);
    const bs = resolve(ctx, b);
    if (as.length === 0 || bs.length === 0) continue;
    const bNorms = new Set(bs.map((x) => normOrg(x.value)));
    const differing = as.filter((x) => !bNorms.has(normOrg(x.value)));
    if (differing.length === 0) continue;
    out.push({
      message: `${refLabel(a)}（${[...new Set(differing.map((x) => `「${x.value}」`))].join('、')}）与${refLabel(b)}（${[...new Set(bs.map((x) => `「${x.value}」`))].join('、')}）不是同一单位`,
      evidence: [...differing.flatMap((x) => x.evidence), ...bs.slice(0, 1).flatMap((x) => x.evidence)],
    });
  }
  return out;
}

const StatedValueMatchesParams = z.strictObject({
  value: ValueRef,
  /** A regular expression the value must match, e.g. 信息化领导小组办公室|信息办. */
  pattern: Name,
  /** What the value should be, in words: 市信息化领导小组办公室. */
  expected: Name,
});

/** MT-P04 and the like: a stated issuer (or party) is the one the regulation names. */
function statedValueMatches(ctx: RuleContext, params: z.output<typeof StatedValueMatchesParams>): CheckResult[] {
  const stated = resolve(ctx, params.value);
  if (stated.length === 0 || stated.some((x) => pattern(params.pattern).test(foldForMatching(x.value)))) return [];
  return [{ message: `${refLabel(params.value)}为${[...new Set(stated.map((x) => `「${x.value}」`))].join('、')}，不是${params.expected}`, evidence: stated.flatMap((x) => x.evidence) }];
}

// ---------------------------------------------------------------------------------------------- dates

const DatesInOrderParams = z.strictObject({
  earlier: ValueRef,
  /** Stand-ins in order: the first that is known counts. */
  later: z.array(ValueRef).min(1),
  /** each: every earlier date must come first (YY-T04: each test report); earliest: one is enough (SC-T04). */
  mode: z.enum(['each', 'earliest']).default('each'),
});

/** YY-T04, YY-T05, YY-T09, SC-T04: a document's date is not after an event. */
function datesInOrder(ctx: RuleContext, params: z.output<typeof DatesInOrderParams>): CheckResult[] {
  let laterRef: ValueRef | undefined;
  let later: Stated | undefined;
  for (const ref of params.later) {
    const found = days(resolve(ctx, ref)).sort((x, y) => x.value.localeCompare(y.value))[0];
    if (found) {
      laterRef = ref;
      later = found;
      break;
    }
  }
  const earlier = days(resolve(ctx, params.earlier)).sort((x, y) => x.value.localeCompare(y.value));
  if (!later || !laterRef || earlier.length === 0) return [];
  const late = params.mode === 'earliest' ? (earlier[0]!.value > later.value ? [earlier[0]!] : []) : earlier.filter((e) => e.value > later.value);
  return late.map((e) => ({
    message: `${refLabel(params.earlier)}（${e.value}）晚于${refLabel(laterRef)}（${later.value}）`,
    evidence: [...e.evidence, ...later.evidence],
  }));
}

const DaysBetweenParams = z.strictObject({
  from: ValueRef,
  to: ValueRef,
  max: z.number().int().positive(),
  dayKind: z.enum(['working', 'calendar']),
  /** An extension the regulation allows (常德 第十一条: 10 more days) when a document of these types records it. */
  extension: z.strictObject({ days: z.number().int().positive(), docTypes: DocTypes, pattern: Name }).optional(),
  /** Time the regulation leaves out and the checker cannot see (整改, 技术评审): the message says to deduct it. */
  notCounted: Name.optional(),
  /** 补正 time the office's record shows (ctx.events) is left out of the count (益阳 "不包括建设单位整改时间"). */
  pausedDuring: z.array(z.enum(['supplement'])).default([]),
});

/** CD-T04…T06, YY-T07, YY-T08: an agency's time limit, counted with the State Council calendar (checklists/clock.ts). */
function daysBetween(ctx: RuleContext, params: z.output<typeof DaysBetweenParams>): CheckResult[] {
  const from = days(resolve(ctx, params.from))[0];
  const to = days(resolve(ctx, params.to)).sort((x, y) => x.value.localeCompare(y.value))[0];
  if (!from || !to || to.value < from.value) return [];
  const counted = params.pausedDuring.includes('supplement') && ctx.events ? countDaysWithoutSupplements(from.value, to.value, params.dayKind, ctx.events) : { days: countDays(from.value, to.value, params.dayKind), paused: 0 };
  const n = counted.days;
  let limit = params.max;
  const extension = params.extension && affirmed(sentencesOf(filesOf(ctx, params.extension.docTypes)), pattern(params.extension.pattern))[0];
  if (extension && params.extension) limit += params.extension.days;
  if (n <= limit) return [];
  const unit = params.dayKind === 'working' ? '个工作日' : '日';
  return [
    {
      message:
        `自${refLabel(params.from)}（${from.value}）至${refLabel(params.to)}（${to.value}）共 ${n} ${unit}${counted.paused > 0 ? `（已扣除办理记录中的补正期间 ${counted.paused} ${unit}）` : ''}，超过 ${limit} ${unit}的时限${extension ? '（已计入延长期限）' : ''}` +
        (params.notCounted ? `；如其间有${params.notCounted}，请扣除后复核` : ''),
      evidence: [...from.evidence, ...to.evidence, ...(extension ? [evidenceOf(extension)] : [])],
    },
  ];
}

const MonthsWithinParams = z.strictObject({
  from: ValueRef,
  /** The event, as the earliest of these (YY-T02 启动实施: procurement notice, contract, 开工). */
  to: z.array(ValueRef).min(1),
  months: z.number().int().positive(),
  /** A later document of these types dated after the limit and not after `to` (a 重新报批) lifts the breach. */
  renewedBy: ValueRef.optional(),
});

/** YY-T02: an event comes within N months (民法典 corresponding day, addMonths) of another. */
function monthsWithin(ctx: RuleContext, params: z.output<typeof MonthsWithinParams>): CheckResult[] {
  const from = days(resolve(ctx, params.from))[0];
  const candidates = params.to.flatMap((ref) => days(resolve(ctx, ref)).map((at) => ({ ref, at })));
  const earliest = candidates.sort((x, y) => x.at.value.localeCompare(y.at.value))[0];
  if (!from || !earliest) return [];
  const to = earliest.at;
  const due = addMonths(from.value, params.months);
  if (to.value <= due) return [];
  const renewed = params.renewedBy ? days(resolve(ctx, params.renewedBy)).find((r) => r.value > due && r.value <= to.value) : undefined;
  if (renewed) return [];
  return [
    {
      message: `${refLabel(earliest.ref)}（${to.value}）晚于${refLabel(params.from)}（${from.value}）起 ${params.months} 个月（${due}），且未见其后重新报批的文件`,
      evidence: [...from.evidence, ...to.evidence],
    },
  ];
}

const AnnualDeadlineParams = z.strictObject({
  /** The filing date, or stand-ins in order; `lowerBound` ones only prove lateness (a document's own date). */
  date: z.array(z.strictObject({ ref: ValueRef, lowerBound: z.boolean().default(false) })).min(1),
  /** The fact holding the plan year; the deadline falls in planYear + yearOffset. */
  yearFact: Name.default('planYear'),
  yearOffset: z.number().int().default(-1),
  month: z.number().int().min(1).max(12),
  day: z.number().int().min(1).max(31),
  /** A grace window (沈阳 "8月中旬前": after the 10th a warning, after the 20th an error). */
  warnUntil: z.strictObject({ month: z.number().int().min(1).max(12), day: z.number().int().min(1).max(31) }).optional(),
});

/** CD-T01, YY-T01, SY-T01, SY-T02, SC-T01: filed by the yearly deadline before the plan year. */
function annualDeadline(ctx: RuleContext, params: z.output<typeof AnnualDeadlineParams>): CheckResult[] {
  const yearFact = ctx.facts[params.yearFact];
  const planYear = typeof yearFact?.value === 'number' ? yearFact.value : typeof yearFact?.value === 'string' && /^\d{4}$/.test(yearFact.value) ? Number(yearFact.value) : undefined;
  if (planYear === undefined) return [];
  const year = planYear + params.yearOffset;
  const iso = (m: number, d: number) => `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const deadline = iso(params.month, params.day);
  const hard = params.warnUntil ? iso(params.warnUntil.month, params.warnUntil.day) : deadline;
  for (const { ref, lowerBound } of params.date) {
    const found = days(resolve(ctx, ref)).sort((x, y) => x.value.localeCompare(y.value));
    // A lower bound (the report's own date) can only prove the filing late: the latest such date is the bound.
    const date = lowerBound ? found.at(-1) : found[0];
    if (!date) continue;
    const evidence = [...date.evidence, ...(yearFact?.evidence ?? [])];
    const bound = lowerBound ? `（${refLabel(ref)}为申报日期的下限）` : '';
    if (date.value > hard) return [{ message: `${refLabel(ref)}（${date.value}）晚于 ${planYear} 年度项目的申报截止日（${hard}）${bound}`, evidence }];
    if (date.value > deadline) return [{ severity: 'warning', message: `${refLabel(ref)}（${date.value}）晚于 ${deadline}，在 ${hard} 的宽限之内${bound}`, evidence }];
    if (!lowerBound) return [];
  }
  return [];
}

const InForceParams = z.strictObject({
  /** Dates that show when the project was filed (the first known counts for the entry into force). */
  start: z.array(ValueRef).min(1),
  /** Every date checked against the regulation's 信息时效期 (validUntil). */
  all: z.array(ValueRef).default([]),
});

/** GEN-08: the dossier's dates fall within the regulation's life (an earlier one may govern an older project). */
function inForce(ctx: RuleContext, params: z.output<typeof InForceParams>): CheckResult[] {
  const out: CheckResult[] = [];
  const { entryIntoForce, validUntil } = ctx.regulation ?? {};
  if (entryIntoForce) {
    for (const ref of params.start) {
      const first = days(resolve(ctx, ref)).sort((x, y) => x.value.localeCompare(y.value))[0];
      if (!first) continue;
      if (first.value < entryIntoForce) out.push({ message: `${refLabel(ref)}（${first.value}）早于本办法施行日期（${entryIntoForce}），该项目可能适用此前的规定`, evidence: first.evidence });
      break;
    }
  }
  if (validUntil) {
    for (const ref of params.all) {
      const last = days(resolve(ctx, ref)).sort((x, y) => x.value.localeCompare(y.value)).at(-1);
      if (last && last.value > validUntil) {
        out.push({ message: `${refLabel(ref)}（${last.value}）晚于本办法的信息时效期（${validUntil}），请确认办法仍然有效`, evidence: last.evidence });
        break;
      }
    }
  }
  return out;
}

const LateNeedsDocumentParams = z.strictObject({
  /** The agreed date (合同约定时间). */
  deadline: ValueRef,
  /** Events that must not pass it without the document: the first known counts. */
  events: z.array(ValueRef).min(1),
  docTypes: DocTypes,
  /** What the document is, in words: 延期验收申请. */
  docName: Name,
});

/** SC-T03: an event after the agreed date needs a document (延期申请) dated before that date ("提前"). */
function lateNeedsDocument(ctx: RuleContext, params: z.output<typeof LateNeedsDocumentParams>): CheckResult[] {
  const deadline = days(resolve(ctx, params.deadline))[0];
  if (!deadline) return [];
  let event: { ref: ValueRef; at: Stated } | undefined;
  for (const ref of params.events) {
    const at = days(resolve(ctx, ref))[0];
    if (at) {
      event = { ref, at };
      break;
    }
  }
  if (!event || event.at.value <= deadline.value) return [];
  const base = `${refLabel(event.ref)}（${event.at.value}）晚于${refLabel(params.deadline)}（${deadline.value}）`;
  const evidence = [...event.at.evidence, ...deadline.evidence];
  const docs = filesOf(ctx, params.docTypes);
  if (docs.length === 0) return [{ message: `${base}，未见${params.docName}`, evidence }];
  const dates = days(resolve(ctx, { field: 'docDate', docTypes: params.docTypes }));
  if (dates.length === 0) return [{ severity: 'warning', message: `${base}；有${params.docName}（${docs[0]!.path}），但读不出其日期，无法确认是否提前申请`, evidence: [...evidence, { path: docs[0]!.path }] }];
  if (dates.some((d) => d.value <= deadline.value)) return [];
  return [{ message: `${base}；${params.docName}的日期（${dates[0]!.value}）不早于约定时间，不是提前申请`, evidence: [...evidence, ...dates[0]!.evidence] }];
}

const OperationBeforeAcceptanceParams = z.strictObject({});

/**
 * GEN-09: formal operation (正式运行/正式上线/投入使用; a 试运行 never counts) dated before the acceptance, or stated as
 * a fact while no acceptance has been held. Fires only on an explicit dated or affirmative statement.
 */
function operationBeforeAcceptance(ctx: RuleContext): CheckResult[] {
  const operation = days(resolve(ctx, { fact: 'formalOperationDate' }))[0];
  const acceptance = days(resolve(ctx, { fact: 'acceptanceDate' }))[0];
  const held = ctx.facts.acceptanceHeld?.value;
  if (operation && acceptance && operation.value < acceptance.value) {
    return [{ message: `正式运行（${operation.value}）早于竣工验收（${acceptance.value}）：未经验收不得投入正式运行`, evidence: [...operation.evidence, ...acceptance.evidence] }];
  }
  if (operation && held === false) {
    return [{ message: `材料称系统已于 ${operation.value} 正式运行，而竣工验收尚未进行：未经验收不得投入正式运行`, evidence: operation.evidence }];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------- documents and amounts

const DocumentPresentParams = z.strictObject({
  docTypes: DocTypes,
  /** What should be there, in words (the finding says it is not). */
  docName: Name,
  /** The document must be dated on or after this (YY-T06: 合同签订后备案). */
  datedFrom: ValueRef.optional(),
  /** Words that stand in for the document inside another one (a 备案章 read on the tender documents: 已备案). */
  orText: z.strictObject({ docTypes: DocTypes, pattern: Name }).optional(),
});

/** CD-P03, YY-P03, YY-T06, CD-V01…V03, SC-Q01: a document the procedure produces is in the dossier. */
function documentPresent(ctx: RuleContext, params: z.output<typeof DocumentPresentParams>): CheckResult[] {
  const docs = filesOf(ctx, params.docTypes);
  if (docs.length === 0) {
    if (params.orText && affirmed(sentencesOf(filesOf(ctx, params.orText.docTypes)), pattern(params.orText.pattern)).length > 0) return [];
    return [{ message: `未见${params.docName}`, evidence: [] }];
  }
  if (!params.datedFrom) return [];
  const from = days(resolve(ctx, params.datedFrom))[0];
  const dates = days(resolve(ctx, { field: 'docDate', docTypes: params.docTypes }));
  if (!from || dates.length === 0 || dates.some((d) => d.value >= from.value)) return [];
  return [{ message: `${params.docName}（${dates[0]!.value}）早于${refLabel(params.datedFrom)}（${from.value}）`, evidence: [...dates[0]!.evidence, ...from.evidence] }];
}

const AmountNotAboveParams = z.strictObject({
  /** The amount (first known of the facts), e.g. [finalInvestmentWan, projectContractsTotalWan]. */
  amount: z.array(ValueRef).min(1),
  limit: z.array(ValueRef).min(1),
  /** Tolerance: above limit × ratio is the rule's severity; above the limit but within it a warning (沈阳 第十九条 10%). */
  ratio: z.number().min(1).default(1),
  /** A document of these types (a 概算调整/变更批复) answers the breach. */
  unlessDocTypes: z.array(Name).default([]),
  unlessName: Name.optional(),
});

function firstKnown(ctx: RuleContext, refs: readonly ValueRef[]): { ref: ValueRef; at: Stated } | undefined {
  for (const ref of refs) {
    const at = resolve(ctx, ref).find((x) => /^-?\d+(\.\d+)?$/.test(x.value));
    if (at) return { ref, at };
  }
  return undefined;
}

/** YY-C01(a), SY-V01, SY-V02(a): an amount stays within a limit (exact decimals), unless a change approval covers it. */
function amountNotAbove(ctx: RuleContext, params: z.output<typeof AmountNotAboveParams>): CheckResult[] {
  const amount = firstKnown(ctx, params.amount);
  const limit = firstKnown(ctx, params.limit);
  if (!amount || !limit || compareDecimalStrings(amount.at.value, limit.at.value) <= 0) return [];
  if (params.unlessDocTypes.length > 0 && filesOf(ctx, params.unlessDocTypes).length > 0) return [];
  const evidence = [...amount.at.evidence, ...limit.at.evidence];
  const head = `${refLabel(amount.ref)}（${amount.at.value}万元）超过${refLabel(limit.ref)}（${limit.at.value}万元）`;
  const without = params.unlessName ? `，未见${params.unlessName}` : '';
  if (params.ratio > 1 && Number(amount.at.value) <= Number(limit.at.value) * params.ratio) {
    return [{ severity: 'warning', message: `${head}，在 ${Math.round((params.ratio - 1) * 100)}% 以内${without}`, evidence }];
  }
  return [{ message: `${head}${params.ratio > 1 ? `，超出 ${Math.round((params.ratio - 1) * 100)}% 以上` : ''}${without}`, evidence }];
}

const DeclaredFactParams = z.strictObject({
  fact: Name,
  expected: z.union([z.boolean(), z.string(), z.number()]),
  /** What it means when the declared value is not the expected one. */
  message: Name,
});

/** Asked rules (CD-P02, YY-Q02…): once the officer declares the fact, it is compared with what the article needs. */
function declaredFact(ctx: RuleContext, params: z.output<typeof DeclaredFactParams>): CheckResult[] {
  const f = ctx.facts[params.fact];
  if (f === undefined || f.value === null || f.value === undefined || f.value === params.expected) return [];
  return [{ message: params.message, evidence: f.evidence ?? [{ label: f.source === 'declared' ? '已声明' : '来自材料', quote: `${params.fact}=${String(f.value)}` }] }];
}

// ---------------------------------------------------------------------------------------------- text

const FlagSentencesParams = z.strictObject({
  /** Doc types to read; all readable documents when absent. */
  docTypes: z.array(Name).optional(),
  /** Regular expressions (over folded text) of what raises the flag: 新建(中心)?机房. */
  triggers: z.array(Name).min(1),
  /** A sentence that also matches one of these is an exception the article allows (单位内部使用设备, 涉密). */
  unless: z.array(Name).default([]),
  /** What the flag means, in words. */
  message: Name,
});

/** CD-K02, YY-K04…K06, SC-K06: flag a plan that says it will build what the article excludes, quoting the sentence. */
function flagSentences(ctx: RuleContext, params: z.output<typeof FlagSentencesParams>): CheckResult[] {
  const sentences = sentencesOf(filesOf(ctx, params.docTypes));
  const unless = params.unless.length ? anyOf(params.unless) : undefined;
  const hits: Sentence[] = [];
  for (const t of params.triggers) for (const s of affirmed(sentences, pattern(t), unless)) if (!hits.includes(s)) hits.push(s);
  if (hits.length === 0) return [];
  return [{ message: `${params.message}：「${hits[0]!.text.slice(0, 80)}」${hits.length > 1 ? `等 ${hits.length} 处` : ''}`, evidence: hits.slice(0, 5).map(evidenceOf) }];
}

const SectionItem = z.strictObject({
  name: Name,
  /** Words a heading (numbered or short line, a table row's label) carries for the item. */
  headings: z.array(Name).min(1),
  /** Regular expressions of a defining sentence ("项目资金来源为…"), when a heading is not the only way. */
  sentences: z.array(Name).default([]),
});

const SectionHeadingsParams = z.strictObject({
  docTypes: DocTypes,
  items: z.array(SectionItem).min(1),
  /** The rule applies only when the documents say this (YY-K07: 视频监控, 摄像机). */
  onlyIf: z.array(Name).default([]),
  /** What is missing, in words; the item names follow. */
  message: Name,
});

/**
 * YY-K03, CD-K03, SC-K07, SC-K03: a document has a section (a heading or a defining sentence) for each item. A word
 * appearing somewhere in running text is not a section.
 */
function sectionHeadings(ctx: RuleContext, params: z.output<typeof SectionHeadingsParams>): CheckResult[] {
  const files = filesOf(ctx, params.docTypes);
  if (files.length === 0) return [];
  const sentences = sentencesOf(files);
  if (params.onlyIf.length > 0 && affirmed(sentences, anyOf(params.onlyIf)).length === 0) return [];
  const headings = headingsOf(files);
  const absent = params.items.filter((item) => {
    const terms = item.headings.map(foldForMatching);
    if (headings.some((h) => terms.some((t) => h.text.includes(t)))) return false;
    return !item.sentences.some((s) => affirmed(sentences, pattern(s)).length > 0);
  });
  if (absent.length === 0) return [];
  return [{ message: `${files[0]!.path}：${params.message}：${absent.map((i) => `「${i.name}」`).join('、')}`, evidence: files.slice(0, 3).map((f) => ({ path: f.path })) }];
}

const TextMentionsParams = z.strictObject({
  docTypes: DocTypes,
  /** Each group must be mentioned (affirmatively) by one of its patterns. */
  groups: z.array(z.strictObject({ name: Name, patterns: z.array(Name).min(1) })).min(1),
  message: Name,
});

/**
 * CD-Q05, SY-Q03, SC-Q02, SY-P01, SY-P02, SC-K05, SC-P01, MT-P03: documents of a type name what the article needs
 * (both organisers, the trading platform, the 政务外网). A mention is no proof of the role, but its absence is
 * strong evidence the role was not filled; the check fires only on absence, and only when the documents are there.
 */
function textMentions(ctx: RuleContext, params: z.output<typeof TextMentionsParams>): CheckResult[] {
  const files = filesOf(ctx, params.docTypes);
  if (files.length === 0) return [];
  const sentences = sentencesOf(files);
  const absent = params.groups.filter((g) => affirmed(sentences, anyOf(g.patterns)).length === 0);
  if (absent.length === 0) return [];
  return [{ message: `${files.map((f) => f.path).slice(0, 2).join('、')}：${params.message}：${absent.map((g) => `「${g.name}」`).join('、')}`, evidence: files.slice(0, 3).map((f) => ({ path: f.path })) }];
}

const ConclusionParams = z.strictObject({
  docTypes: DocTypes,
  /** What passes: 通过/合格/符合/基本符合 and the 等保 and 密评 words. */
  pass: Name.default('通过|合格|符合|达标|满足'),
  fail: Name.default('不合格|未通过|不通过|不符合|不达标|不满足'),
});

/** YY-Q03: each test or assessment report states a passing conclusion. */
function conclusionPasses(ctx: RuleContext, params: z.output<typeof ConclusionParams>): CheckResult[] {
  const out: CheckResult[] = [];
  for (const file of filesOf(ctx, params.docTypes)) {
    const lines = sentencesOf([file]).filter((s) => /结论|评估结果|测评结果|检测结果|综合评价|判定/.test(s.text));
    const failing = lines.find((s) => pattern(params.fail).test(s.text));
    if (failing) {
      out.push({ message: `${file.path} 的结论不是通过：「${failing.text.slice(0, 80)}」`, evidence: [evidenceOf(failing)] });
      continue;
    }
    if (!lines.some((s) => pattern(params.pass).test(s.text))) out.push({ severity: 'warning', message: `${file.path} 中未读到测评（评估）结论，请核实是否通过`, evidence: [{ path: file.path }] });
  }
  return out;
}

const StatedPeriodParams = z.strictObject({
  docTypes: DocTypes,
  /** What the period is called: 运维期, 免费运维, 质保期, 维保期. */
  terms: z.array(Name).min(1),
  months: z.number().int().positive(),
});

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
function periodMonths(amount: string, unit: string): number | null {
  const n = /^\d+$/.test(amount) ? Number(amount) : amount.length === 1 ? CN_DIGITS[amount] : amount === '十二' ? 12 : amount === '二十四' ? 24 : amount === '三十六' ? 36 : null;
  if (n === null || n === undefined) return null;
  return /年/.test(unit) ? n * 12 : n;
}

/** YY-V02: the longest period a contract agrees for O&M is at least N months; silent when it states none. */
function statedPeriodAtLeast(ctx: RuleContext, params: z.output<typeof StatedPeriodParams>): CheckResult[] {
  const sentences = sentencesOf(filesOf(ctx, params.docTypes));
  const terms = params.terms.map(foldForMatching).join('|');
  const re = new RegExp(`(?:${terms})[^，。；]{0,12}?(\\d{1,3}|[一二两三四五六七八九十]{1,3})(?:个)?(年|月)`, 'i');
  const found: Array<{ s: Sentence; months: number }> = [];
  for (const s of sentences) {
    const m = re.exec(s.text);
    const months = m ? periodMonths(m[1]!, m[2]!) : null;
    if (m && months) found.push({ s, months });
  }
  if (found.length === 0) return [];
  const longest = found.reduce((a, b) => (b.months > a.months ? b : a));
  if (longest.months >= params.months) return [];
  return [{ message: `约定的${params.terms[0]}为 ${longest.months} 个月，少于 ${params.months} 个月：「${longest.s.text.slice(0, 80)}」`, evidence: [evidenceOf(longest.s)] }];
}

const FormLabelsParams = z.strictObject({
  docTypes: DocTypes,
  labels: z.array(Name).min(1),
  /** A label whose value must match a pattern: 建设年度 YYYY年MM月至YYYY年MM月. */
  formats: z.array(z.strictObject({ label: Name, pattern: Name, expected: Name })).default([]),
  /** Amount fields that must add up to another (舒城 附件2: 资金筹措 columns = 项目投资); labels are regular expressions. */
  sums: z.array(z.strictObject({ total: Name, parts: z.array(Name).min(2) })).default([]),
  /** A field's text limit in characters (舒城 附件2: 简要说明 200字以内); its text runs to the next label. */
  maxChars: z.array(z.strictObject({ label: Name, chars: z.number().int().positive() })).default([]),
});

/** The 万元 figure written right after a label (and its 万元 unit) on the form, with the line it stands on. */
function amountAfter(lines: readonly Sentence[], label: string): { value: string; line: Sentence } | undefined {
  const re = new RegExp(`(?:${label})(?:\\(万元\\))?[:：|]?(?<amount>\\d+(?:\\.\\d+)?)(?!\\d)`, 'i');
  for (const line of lines) {
    const m = re.exec(line.text);
    if (m?.groups?.amount) return { value: m.groups.amount, line };
  }
  return undefined;
}

/** Lines of a form, folded, each with its page (a form's row is a line; its cells may hold ；). */
function formLines(files: ReturnType<typeof filesOf>): Sentence[] {
  return files.flatMap((f) => f.pages.flatMap((p) => p.text.split('\n').map((raw) => ({ path: f.path, page: p.n, text: foldForMatching(raw) })).filter((l) => l.text.length > 0)));
}

function sumChecks(files: ReturnType<typeof filesOf>, sums: z.output<typeof FormLabelsParams>['sums']): CheckResult[] {
  const lines = formLines(files);
  const out: CheckResult[] = [];
  for (const { total, parts } of sums) {
    const t = amountAfter(lines, total);
    const found = parts.map((label) => ({ label, at: amountAfter(lines, label) }));
    const known = found.filter((x): x is { label: string; at: NonNullable<typeof x.at> } => x.at !== undefined);
    if (!t || known.length === 0) continue;
    // Cents as integers: 0.1 + 0.2 must equal 0.3.
    const cents = (v: string) => Math.round(Number(v) * 100);
    const sum = known.reduce((acc, x) => acc + cents(x.at.value), 0);
    const complete = known.length === parts.length;
    // With a column unread, only a sum already above the total proves the breach.
    if (complete ? sum === cents(t.value) : sum <= cents(t.value)) continue;
    // The label as words: the first alternative without its regex syntax (银行[货贷]款\\(万元\\) → 银行货款).
    const plain = (label: string) => label.split('|')[0]!.replace(/\\\(万元\\\)/g, '').replace(/\[(.)[^\]]*\]/g, '$1').replace(/\([^)]*\)\?/g, '').replace(/\\/g, '');
    out.push({
      message: `${files[0]!.path}：${known.map((x) => `${plain(x.label)} ${x.at.value}`).join(' + ')} = ${(sum / 100).toFixed(2)} 万元，与${plain(total)}（${t.value}万元）不符`,
      evidence: [t.line, ...known.map((x) => x.at.line)].filter((l, i, all) => all.indexOf(l) === i).map(evidenceOf),
    });
  }
  return out;
}

function lengthChecks(files: ReturnType<typeof filesOf>, params: z.output<typeof FormLabelsParams>): CheckResult[] {
  const out: CheckResult[] = [];
  for (const { label, chars } of params.maxChars) {
    for (const f of files) {
      const lines = f.pages.flatMap((p) => p.text.split('\n').map((raw) => ({ page: p.n, raw })));
      const i = lines.findIndex((l) => foldForMatching(l.raw).includes(foldForMatching(label)));
      if (i < 0) continue;
      const others = params.labels.filter((l) => l !== label).map(foldForMatching);
      const first = lines[i]!.raw.slice(lines[i]!.raw.indexOf(label) >= 0 ? lines[i]!.raw.indexOf(label) + label.length : 0);
      const body = [first];
      for (const l of lines.slice(i + 1)) {
        if (others.some((o) => foldForMatching(l.raw).startsWith(o))) break;
        body.push(l.raw);
      }
      const text = body.join('').replace(/^[\s:：|]+/, '').replace(/\s+/g, '');
      if (text.length > chars) out.push({ message: `${f.path}：「${label}」共 ${text.length} 字，超过 ${chars} 字的限制`, evidence: [{ path: f.path, page: lines[i]!.page, quote: `${label}：${text.slice(0, 60)}…` }] });
    }
  }
  return out;
}

/** SC-K02 (a)–(d): a form has its fields, a field written the way the form asks, amounts that add up, a text within its limit. */
function formLabels(ctx: RuleContext, params: z.output<typeof FormLabelsParams>): CheckResult[] {
  const files = filesOf(ctx, params.docTypes);
  if (files.length === 0) return [];
  const text = files.flatMap((f) => f.pages.map((p) => foldForMatching(p.text))).join('\n');
  const out: CheckResult[] = [];
  const missing = params.labels.filter((l) => !text.includes(foldForMatching(l)));
  if (missing.length > 0) out.push({ message: `${files[0]!.path} 缺少以下栏目：${missing.map((l) => `「${l}」`).join('、')}`, evidence: [{ path: files[0]!.path }] });
  for (const f of params.formats) {
    const line = sentencesOf(files).find((s) => s.text.includes(foldForMatching(f.label)));
    if (!line) continue;
    const after = line.text.slice(line.text.indexOf(foldForMatching(f.label)) + foldForMatching(f.label).length).replace(/^[:：|]+/, '');
    // Only a value written on the label's own line: a header row would put the next column's label there.
    if (/^\d/.test(after) && !pattern(f.pattern).test(after)) out.push({ message: `「${f.label}」应写作${f.expected}：「${line.text.slice(0, 60)}」`, evidence: [evidenceOf(line)] });
  }
  out.push(...sumChecks(files, params.sums), ...lengthChecks(files, params));
  return out;
}

const VersionMarkersParams = z.strictObject({
  /** Doc types whose approved version counts (可研, 初步设计, 技术方案…). */
  docTypes: DocTypes,
  /** Documents that approve or review them. */
  approvalDocTypes: DocTypes,
  draft: Name.default('送审稿|征求意见稿|初稿|讨论稿'),
});

/** GEN-11: the dossier's only copy of an approved plan is its 送审稿/征求意见稿 while the approval is there. */
function versionMarkers(ctx: RuleContext, params: z.output<typeof VersionMarkersParams>): CheckResult[] {
  const marked = ctx.statements.filter((s) => s.field === 'versionMarker' && s.docTypes.some((t) => params.docTypes.includes(t)));
  const drafts = marked.filter((s) => pattern(params.draft).test(s.value));
  if (drafts.length === 0 || filesOf(ctx, params.approvalDocTypes).length === 0) return [];
  const draftPaths = new Set(drafts.map((d) => d.evidence.path));
  // Another document of the same type without a draft marker is the final version: nothing to say.
  const finals = filesOf(ctx, params.docTypes).filter((f) => !draftPaths.has(f.path) && !marked.some((m) => m.evidence.path === f.path && pattern(params.draft).test(m.value)));
  if (finals.length > 0) return [];
  const approval = filesOf(ctx, params.approvalDocTypes)[0]!;
  return [{ message: `${drafts[0]!.evidence.path} 标注为「${drafts[0]!.value}」，而批复或评审意见已出具（${approval.path}）：请提交批复所依据的最终版本`, evidence: [drafts[0]!.evidence, { path: approval.path }] }];
}

const DocumentNamesOrgParams = z.strictObject({
  docTypes: DocTypes,
  /** The organisation the document must name (its holder, for a certificate). */
  org: ValueRef,
  /** What the document is, in words: 承建单位的资质证书. */
  docName: Name,
  /** Say nothing when no document of the types is there (another row asks for it). */
  silentWhenAbsent: z.boolean().default(false),
});

/**
 * CD-Q01…Q03: a certificate in the dossier names the organisation it must belong to. The holder's name on the
 * certificate is the evidence; validity dates and grade are for the reviewer until the certificate fields land.
 */
function documentNamesOrg(ctx: RuleContext, params: z.output<typeof DocumentNamesOrgParams>): CheckResult[] {
  const org = resolve(ctx, params.org)[0];
  if (!org) return [];
  const files = filesOf(ctx, params.docTypes);
  if (files.length === 0) return params.silentWhenAbsent ? [] : [{ message: `未见${params.docName}（${refLabel(params.org)}：${org.value}）`, evidence: org.evidence }];
  const name = normOrg(org.value);
  const holder = files.find((f) => f.pages.some((p) => normOrg(p.text).includes(name)));
  if (holder) return [];
  return [{ message: `${files.map((f) => f.path).slice(0, 3).join('、')} 中未见${refLabel(params.org)}「${org.value}」的名称：未见${params.docName}`, evidence: [...org.evidence, ...files.slice(0, 3).map((f) => ({ path: f.path }))] }];
}

export const DOCUMENT_CHECKS: Readonly<Record<string, Check>> = {
  orgsDiffer: check(OrgsDifferParams, orgsDiffer),
  orgsAgree: check(OrgsAgreeParams, orgsAgree),
  statedValueMatches: check(StatedValueMatchesParams, statedValueMatches),
  datesInOrder: check(DatesInOrderParams, datesInOrder),
  daysBetween: check(DaysBetweenParams, daysBetween),
  monthsWithin: check(MonthsWithinParams, monthsWithin),
  annualDeadline: check(AnnualDeadlineParams, annualDeadline),
  inForce: check(InForceParams, inForce),
  lateNeedsDocument: check(LateNeedsDocumentParams, lateNeedsDocument),
  operationBeforeAcceptance: check(OperationBeforeAcceptanceParams, operationBeforeAcceptance),
  documentPresent: check(DocumentPresentParams, documentPresent),
  amountNotAbove: check(AmountNotAboveParams, amountNotAbove),
  declaredFact: check(DeclaredFactParams, declaredFact),
  flagSentences: check(FlagSentencesParams, flagSentences),
  sectionHeadings: check(SectionHeadingsParams, sectionHeadings),
  textMentions: check(TextMentionsParams, textMentions),
  conclusionPasses: check(ConclusionParams, conclusionPasses),
  statedPeriodAtLeast: check(StatedPeriodParams, statedPeriodAtLeast),
  formLabels: check(FormLabelsParams, formLabels),
  versionMarkers: check(VersionMarkersParams, versionMarkers),
  documentNamesOrg: check(DocumentNamesOrgParams, documentNamesOrg),
};
