import { findAmounts } from './amounts.ts';
import { decodeSmallChineseNumber } from './chinese-numerals.ts';
import { addDays, findDates } from './dates.ts';
import { canonicalDecimal } from './decimal.ts';
import { amountFieldValue, cleanOrgValue, dateFieldValue, emit, ORG_IN_TEXT, orgValue, stripDate, type ExtractionState, type PreparedPage } from './context.ts';
import { normOrg } from './orgs.ts';
import { sentencesOf, type Sentence } from './prose.ts';
import type { CertificateValue, DateFieldValue, PaymentValue } from './schema.ts';

/**
 * Clause fields the rules beyond presence read (requirements §4): a contract's payment schedule (益阳第十九条), its
 * O&M and warranty periods (益阳第二十一条), change amounts (常德第十一条第二款), a testing agency's CMA/CNAS marks
 * (益阳第二十六条(四)), qualification certificates (常德第十四条), evidence of an expert meeting (益阳第十一条) and a
 * plan's drafter when the text says who was commissioned. Each reader keeps to wordings that state the clause; a
 * sentence that only mentions the word ("质保期服务计划", "履约保证金为合同金额的10%") yields nothing.
 * Text arrives normalised (normalizeText): OCR spaces between Han characters are already gone.
 */
export function readTerms(state: ExtractionState): void {
  const sentences = state.pages.flatMap((page) => sentencesOf(page));
  readPayments(state, sentences);
  readServicePeriods(state, sentences);
  readChanges(state, sentences);
  readDrafter(state, sentences);
  readMeetingDate(state, sentences);
  readCoverMarker(state);
  for (const page of state.pages) {
    readAccreditation(state, page);
    readCertificates(state, page);
    readExperts(state, page);
    readSignIn(state, page);
  }
}

// --- numbers of periods ---

const NUMBER = String.raw`(?:\d{1,3}|[一二两三四五六七八九十]{1,3})`;
/** "三年", "36个月", "12 个月", "一年半" is not read (no such wording in contracts we have seen; no value beats a wrong one). */
const PERIOD = new RegExp(String.raw`(${NUMBER})\s*(?:个)?\s*(年|个月|月)(?![份度底初末])`);

export function periodMonths(amount: string, unit: string): number | null {
  const n = /^\d+$/.test(amount) ? Number(amount) : decodeSmallChineseNumber(amount.replace(/两/g, '二'));
  if (!n || n <= 0) return null;
  const months = unit === '年' ? n * 12 : n;
  return months > 0 && months <= 240 ? months : null;
}

// --- payment schedule ---

const PAYMENT_WORD = /支付|付款|付清|拨付|结清|尾款|余款|支付至|付至|付/;
// The percentage's own clause must pay something under the contract: "自负30%" or "先自理10%后按规定结算" (a medical
// co-payment) is no instalment.
const INSTALMENT_WORD = /支付|付款|付清|拨付|付至|结清款|尾款|余款|预付款|进度款|首付款|验收款|交货款|质保金/;
// Percentages that are not instalments: guarantees, penalties, deductions, tax, scoring weights.
const NOT_PAYMENT = /保证金|保函|违约金|罚|扣除|扣减|滞纳|利息|税率|增值税|权重|得分|评分|分值|偏差|浮动|下浮|上浮|优惠|折扣|比例不低于|不超过|不得超过|以上|以下|罚款|赔偿|担保/;
const PERCENT = /(\d{1,3}(?:\.\d{1,2})?)\s*[%％]|百分之([一二三四五六七八九十零]{1,4})/g;

function stageOf(text: string): { stage: PaymentValue['stage']; years: number | null } {
  const after = new RegExp(String.raw`验收[^，。；,]{0,12}?(?:满|后|起)?\s*(${NUMBER})\s*(?:个)?\s*(年|个月)(?:后|期满|届满|内)?`).exec(text);
  if (after && /验收/.test(text)) {
    const months = periodMonths(after[1]!, after[2]!);
    // "验收合格后28日内" is a payment deadline, not a year count; only whole years after acceptance count here.
    if (months && months % 12 === 0 && /后|期满|届满|满/.test(after[0])) return { stage: 'afterAcceptance', years: months / 12 };
  }
  if (/质保期满|质保期届满|质量保证期满|质量保证期届满|保修期满|维保期满|质保金/.test(text)) return { stage: 'warranty', years: null };
  if (/验收/.test(text)) return { stage: 'acceptance', years: null };
  if (/交货|交付|到货|供货|上线|部署|安装|初验|试运行/.test(text)) return { stage: 'delivery', years: null };
  if (/签订|签署|生效|预付/.test(text)) return { stage: 'signing', years: null };
  return { stage: 'other', years: null };
}

function readPayments(state: ExtractionState, sentences: Sentence[]): void {
  for (const { page, text } of sentences) {
    if (!PAYMENT_WORD.test(text)) continue;
    const matches = [...text.matchAll(PERCENT)];
    if (matches.length === 0) continue;
    let from = 0;
    for (const match of matches) {
      const end = match.index! + match[0].length;
      // The clause of this percentage: from the end of the previous one (or the sentence start) to the next separator.
      const rest = text.slice(end);
      const stop = rest.search(/[，,；;。：:]/);
      const clause = text.slice(from, stop < 0 ? text.length : end + stop).replace(/^[，,；;：:\s]+/, '');
      from = stop < 0 ? text.length : end + stop;
      const own = clauseAround(text, match.index!, end);
      if (NOT_PAYMENT.test(own) || !INSTALMENT_WORD.test(own)) continue;
      // "合同价格100%金额的增值税发票" is a document to hand over, not an instalment.
      if (/发票|金额的/.test(own)) continue;
      const percent = match[1] ? canonicalDecimal(match[1]) : decodeSmallChineseNumber(match[2]!)?.toString() ?? null;
      if (!percent || Number(percent) <= 0 || Number(percent) > 100) continue;
      // "预留合同款的15%作为建设尾款，…5%…5%…5%": the retention is the sum of the instalments that follow, not one more.
      if (/预留|保留|留作|作为[^，,]{0,6}(?:尾款|质保金|保证金)/.test(own)) {
        const later = matches.filter((m) => m.index! > match.index! && m[1]).reduce((sum, m) => sum + Number(m[1]), 0);
        if (later > 0 && Math.abs(later - Number(percent)) < 1e-9) continue;
      }
      const { stage, years } = stageOf(clause);
      // The condition the payment waits for, not the milestone: "经后评价合格且问题整改到位", "考核合格".
      const condition = /(?:后评价|考核|评价|审计|评估)[^，。；,]{0,8}?合格(?:且[^，。；,]{0,12}?(?:到位|完成|合格))?|问题整改到位/.exec(clause)?.[0] ?? null;
      emit(state, {
        field: 'paymentTerm',
        value: { kind: 'payment', percent, milestone: clause.slice(-80), stage, yearsAfterAcceptance: years, condition: stage === 'afterAcceptance' ? condition : null },
        page,
        label: '付款方式',
        quote: text,
        confidence: 0.8,
        via: 'prose',
      });
    }
  }
}

/** The comma-delimited part of a sentence that holds [start, end). */
function clauseAround(text: string, start: number, end: number): string {
  const before = text.slice(0, start);
  const left = Math.max(before.lastIndexOf('，'), before.lastIndexOf(','), before.lastIndexOf('；'), before.lastIndexOf(';')) + 1;
  const after = text.slice(end).search(/[，,；;。]/);
  return text.slice(left, after < 0 ? text.length : end + after);
}

// --- O&M and warranty periods ---

const MAINTENANCE_TERM = '(?:免费)?(?:运行维护服务期|运行维护期|运维服务期|运维期|维保期|维护期|运维服务期限|运维期限|维护服务期|售后服务期)';
const WARRANTY_TERM = '(?:免费)?(?:质量保证期|质量保修期|质保期|保修期)';
const FROM = String.raw`(?:自|从)?\s*([^，。；,]{2,24}?)(?:之日)?(?:起|开始)(?:计算|计)?\s*`;

interface PeriodForm {
  field: 'maintenancePeriod' | 'warrantyPeriod';
  term: string;
  label: string;
  /** "运维期三年", "质保期为自竣工验收合格之日起三年", "质量保证期为验收之日起12个月", "运维期限：36个月". */
  direct: RegExp;
  /** "提供三年免费运维服务": the period before the service word. */
  before: RegExp;
  /** "免费质保3年": right after it. */
  after: RegExp;
}

function periodForm(field: PeriodForm['field'], term: string, label: string, service: string): PeriodForm {
  return {
    field,
    term,
    label,
    direct: new RegExp(String.raw`(${term})(?:限)?\s*(?:为|是|：|:)?\s*(?:${FROM})?(?:为|共)?\s*${PERIOD.source}`),
    before: new RegExp(String.raw`(?:提供|负责)\s*${PERIOD.source}\s*(?:的)?\s*(?:免费)?\s*${service}`),
    after: new RegExp(String.raw`免费\s*${service}\s*${PERIOD.source}`),
  };
}

const PERIOD_FORMS: readonly PeriodForm[] = [
  periodForm('maintenancePeriod', MAINTENANCE_TERM, '运维期', '(?:运行维护|运维|维保|维护)服务'),
  periodForm('warrantyPeriod', WARRANTY_TERM, '质保期', '(?:质保|保修)'),
];

function readServicePeriods(state: ExtractionState, sentences: Sentence[]): void {
  for (const { page, text } of sentences) {
    if (!/运维|维护|维保|售后|质保|质量保证|保修/.test(text)) continue;
    for (const { field, term, label, direct, before, after } of PERIOD_FORMS) {
      const m = direct.exec(text);
      const range = m ? null : rangeAfter(text, term);
      if (range) {
        emit(state, { field, value: { kind: 'duration', months: range.months, text: range.text, from: range.from }, page, label, quote: text, confidence: 0.85, via: 'prose' });
        continue;
      }
      if (m) {
        emitPeriod(state, page, field, label, text, m[0], m[m.length - 2]!, m[m.length - 1]!, m[2] ?? null, 0.85);
        continue;
      }
      const b = before.exec(text);
      if (b) {
        emitPeriod(state, page, field, label, text, b[0], b[1]!, b[2]!, null, 0.75);
        continue;
      }
      const a = after.exec(text);
      if (a) emitPeriod(state, page, field, label, text, a[0], a[1]!, a[2]!, null, 0.75);
    }
  }
}

/**
 * "运维服务期限：2024年5月1日至2027年4月30日": a period given by its two ends, counted in whole months (the end day
 * inclusive, so 2024-05-01..2027-04-30 is 36 months). Only day-precision ends that make whole months count.
 */
function rangeAfter(text: string, term: string): { months: number; from: string; text: string } | null {
  const at = new RegExp(String.raw`(${term})(?:限)?\s*(?:为|是|：|:)?\s*(?:自|从)?`).exec(text);
  if (!at) return null;
  const rest = text.slice(at.index + at[0].length);
  const first = findDates(rest)[0];
  if (!first || first.kind !== 'range' || first.offset.start > 1) return null;
  if (first.start.precision !== 'day' || first.end.precision !== 'day') return null;
  const [y1, m1, d1] = first.start.iso.split('-').map(Number) as [number, number, number];
  const next = addDays(first.end.iso, 1);
  const [y2, m2, d2] = next.split('-').map(Number) as [number, number, number];
  if (d1 !== d2) return null;
  const months = (y2 - y1) * 12 + (m2 - m1);
  if (months <= 0 || months > 240) return null;
  return { months, from: first.start.iso, text: at[0] + rest.slice(0, first.offset.end) };
}

function emitPeriod(state: ExtractionState, page: PreparedPage, field: 'maintenancePeriod' | 'warrantyPeriod', label: string, quote: string, text: string, amount: string, unit: string, fromRaw: string | null, confidence: number): void {
  // "…在验收款支付函签署后12个月内" is a deadline inside the period's definition, not the period.
  if (new RegExp(`${amount}\\s*(?:个)?\\s*${unit}\\s*(?:内|以内|之内)`).test(quote.slice(quote.indexOf(text)))) return;
  const months = periodMonths(amount, unit);
  if (!months) return;
  let from: string | null = null;
  if (fromRaw) {
    const date = findDates(fromRaw).find((d) => d.kind === 'date');
    from = date && date.kind === 'date' ? date.iso : fromRaw.replace(/^(?:自|从)/, '').replace(/之日$/, '').trim() || null;
  }
  emit(state, { field, value: { kind: 'duration', months, text, from }, page, label, quote, confidence, via: 'prose' });
}

// --- change amounts ---

const CHANGE_LABEL = /(变更金额|变更额度|变更费用|变更投资|调整金额|变更增加金额|增加金额|追加金额|追加投资|增加投资|核增金额|核减金额|调增金额|调减金额|变更价款)/;

function readChanges(state: ExtractionState, sentences: Sentence[]): void {
  for (const { page, text } of sentences) {
    const label = CHANGE_LABEL.exec(text);
    if (!label) continue;
    if (!/变更|调整|追加|增加|核增|核减|调增|调减/.test(text)) continue;
    const rest = text.slice(label.index + label[0].length, label.index + label[0].length + 30);
    // The figure must follow the label closely ("变更金额：增加8.60万元", "变更金额为-3万元"), not a later sentence part.
    const head = /^\s*(?:为|：|:|共计|合计|约)?\s*(增加|减少|调增|调减|核增|核减|追加)?\s*(?:了)?\s*(?:人民币)?/.exec(rest)!;
    const amount = findAmounts(rest).find((a) => a.start === head[0].length);
    if (!amount) continue;
    const word = head[1] ?? (/增/.test(label[1]!) || /追加/.test(label[1]!) ? '增加' : /减/.test(label[1]!) ? '减少' : undefined);
    const direction = word ? (/减/.test(word) ? 'decrease' : 'increase') : null;
    emit(state, {
      field: 'changeAmount',
      value: { kind: 'change', direction, amount: amountFieldValue(amount) },
      page,
      label: label[1]!,
      quote: text,
      confidence: amount.wan ? 0.85 : 0.5,
      via: 'label',
    });
  }
}

// --- drafter of a plan, from "委托X编制" ---

function readDrafter(state: ExtractionState, sentences: Sentence[]): void {
  const commissioned = new RegExp(String.raw`委托${ORG_IN_TEXT}\s*(?:负责)?(?:编制|编写|设计)`, 'g');
  for (const { page, text } of sentences) {
    for (const match of text.matchAll(commissioned)) {
      const org = cleanOrgValue(match[1]!);
      if (!org?.looksLikeOrg) continue;
      emit(state, { field: 'drafter', value: orgValue(org.name, state.aliases), page, label: '委托编制', quote: text, confidence: 0.75, via: 'prose' });
    }
  }
}

// --- testing agency accreditation (CMA / CNAS) ---

function readAccreditation(state: ExtractionState, page: PreparedPage): void {
  for (const raw of page.lines) {
    const line = raw.trim();
    const marks: Array<{ mark: 'CMA' | 'CNAS'; number: string | null }> = [];
    // Letters standing alone: not part of a longer Latin word ("CMAKE", "ECMA").
    const cma = /(?<![A-Za-z])CMA(?![A-Za-z])(?:[^0-9A-Za-z]{0,12}?([0-9]{6,14}[A-Z]?))?/.exec(line) ?? /(?:检验检测机构资质认定证书|资质认定证书)(?:[^0-9A-Za-z，。；]{0,8}?([0-9]{6,14}[A-Z]?))?/.exec(line);
    if (cma) marks.push({ mark: 'CMA', number: cma[1] ?? null });
    const cnas = /(?<![A-Za-z])CNAS(?![A-Za-z])(?:[^0-9A-Za-z]{0,12}?(L\s?\d{3,6}|\d{4,8}))?/.exec(line) ?? /(?:中国合格评定国家认可委员会|实验室认可证书)[^，。；]{0,12}?(L\s?\d{3,6})?/.exec(line);
    if (cnas) marks.push({ mark: 'CNAS', number: cnas[1]?.replace(/\s/g, '') ?? null });
    if (marks.length === 0) continue;
    // "测评机构：X（CMA证书编号…）": the organisation without the bracket that carries the mark.
    const orgMatch = new RegExp(ORG_IN_TEXT).exec(line.replace(/^[^:：]{1,12}[:：]/, '').replace(/[(（][^()（）]*(?:CMA|CNAS|证书|认定|认可)[^()（）]*[)）]/g, ' '));
    const org = orgMatch ? cleanOrgValue(orgMatch[1]!) : null;
    for (const { mark, number } of marks) {
      emit(state, {
        field: 'accreditation',
        value: { kind: 'accreditation', mark, number, org: org?.looksLikeOrg ? normOrg(org.name, state.aliases) : null },
        page,
        label: mark,
        quote: line,
        confidence: number ? 0.85 : 0.7,
        via: 'label',
      });
    }
  }
}

// --- qualification certificates ---

const CERT_LABEL =
  /^(单位名称|企业名称|持证单位|获证单位|证书持有人|持证人|机构名称|证书名称|资质名称|资质类别|证书类别|资质类型|证书编号|资质等级|能力等级|等级|级别|发证日期|颁发日期|发证时间|批准日期|有效期至|有效期限|有效日期|有效期)\s*[:：]\s*(.+)$/;

function readCertificates(state: ExtractionState, page: PreparedPage): void {
  let current: (CertificateValue & { quote: string[] }) | null = null;
  let titleType: string | null = null;
  const flush = () => {
    if (current && current.holder && (current.number || current.level || current.validUntil)) {
      const { quote, ...value } = current;
      emit(state, { field: 'certificate', value, page, label: '证书', quote: quote.join(' '), confidence: 0.8, via: 'label' });
    }
    current = null;
  };
  const fresh = (type: string | null): CertificateValue & { quote: string[] } => ({
    kind: 'certificate', holderKind: 'org', holder: null, holderNormalized: null, type, level: null, number: null, issuedOn: null, validFrom: null, validUntil: null, quote: [],
  });
  for (const raw of page.lines) {
    const line = raw.trim();
    if (!line) continue;
    // A certificate's own title ("信息系统建设和服务能力等级证书"), not a sentence mentioning one.
    const heading = line.replace(/^附(?:件\d*)?[:：]?\s*/, '');
    if (/(?:证书|资质|资格)$/.test(heading) && heading.length <= 30 && !/[，。；:：]/.test(heading)) {
      flush();
      titleType = heading;
      current = fresh(titleType);
      continue;
    }
    const m = CERT_LABEL.exec(line);
    if (!m) continue;
    const [, label, value] = m as unknown as [string, string, string];
    current ??= fresh(titleType);
    const set = (apply: (c: CertificateValue & { quote: string[] }) => void) => {
      apply(current!);
      current!.quote.push(line);
    };
    if (/名称|持证|获证|持有人/.test(label) && !/证书名称|资质名称/.test(label)) {
      if (current.holder) {
        flush();
        current = fresh(titleType);
      }
      const org = cleanOrgValue(value);
      if (org?.looksLikeOrg) set((c) => ((c.holder = org.name), (c.holderNormalized = normOrg(org.name, state.aliases))));
    } else if (/证书名称|资质名称|类别|类型/.test(label)) {
      set((c) => (c.type = value.trim()));
    } else if (label === '证书编号') {
      const number = /^[A-Za-z0-9][A-Za-z0-9\-_/]*[A-Za-z0-9]/.exec(value.trim())?.[0];
      if (number) set((c) => (c.number = number));
    } else if (/等级|级别/.test(label)) {
      set((c) => (c.level = value.trim().split(/[\s，。；]/)[0]!));
    } else if (/发证|颁发|批准/.test(label)) {
      const date = dayOf(value);
      if (date) set((c) => (c.issuedOn = date));
    } else {
      const found = findDates(value);
      const first = found[0];
      if (first?.kind === 'range') set((c) => ((c.validFrom = dateFieldValue(first.start)), (c.validUntil = dateFieldValue(first.end))));
      else if (first?.kind === 'date') set((c) => (c.validUntil = dateFieldValue(stripDate(first))));
    }
  }
  flush();
  readPersonalCertificates(state, page);
}

const PERSON_ROLE = '(?:总监理工程师|监理工程师|项目总监|项目负责人|项目经理)';
const PERSONAL_CERTIFICATE = new RegExp(
  String.raw`(${PERSON_ROLE})\s*[:：]?\s*([\u4e00-\u9fa5·]{2,4})\s*[(（]\s*([^()（）]{2,30}?(?:证书|证))\s*(?:编号|号)?\s*[:：]?\s*([A-Za-z0-9][A-Za-z0-9\-]{3,30})\s*[)）]`,
  'g',
);

/** "总监理工程师：张三（信息系统工程监理执业资格证书编号JL0457）": a person's certificate with its number. */
function readPersonalCertificates(state: ExtractionState, page: PreparedPage): void {
  for (const raw of page.lines) {
    const line = raw.trim();
    for (const m of line.matchAll(PERSONAL_CERTIFICATE)) {
      const [, role, name, type, number] = m as unknown as [string, string, string, string, string];
      emit(state, {
        field: 'certificate',
        value: { kind: 'certificate', holderKind: 'person', holder: name, holderNormalized: name, type, level: null, number, issuedOn: null, validFrom: null, validUntil: null },
        page,
        label: role,
        quote: line,
        confidence: 0.75,
        via: 'label',
      });
    }
  }
}

function dayOf(text: string): DateFieldValue | null {
  const first = findDates(text)[0];
  return first?.kind === 'date' ? dateFieldValue(stripDate(first)) : null;
}

// --- meeting evidence ---

const MEETING = /(?:召开|组织召开|主持召开)[^，。；]{0,80}?(?:评审会|论证会|验收会|审查会|专家会|评审会议|论证会议|验收会议|评审会议)|(?:组织|邀请)[^，。；]{0,20}?专家[^，。；]{0,30}?(?:评审|论证|验收|审查)/;

function readMeetingDate(state: ExtractionState, sentences: Sentence[]): void {
  for (const { page, text } of sentences) {
    const labelled = /(?:会议时间|评审时间|论证时间|会议日期|评审会时间)\s*[:：]\s*(.{6,40})/.exec(text);
    if (labelled) {
      const date = dayOf(labelled[1]!);
      if (date) {
        emit(state, { field: 'meetingDate', value: date, page, label: labelled[0].split(/[:：]/)[0]!, quote: text, confidence: 0.9, via: 'label' });
        continue;
      }
    }
    const meeting = MEETING.exec(text);
    if (!meeting) continue;
    // The date that opens the clause ("2024年3月5日，市电子政务办组织专家组召开…评审会"); a wrapped title line may
    // stand before it in the same sentence.
    const found = findDates(text).find((d) => d.kind === 'date' && d.offset.end <= meeting.index && /^[，,]/.test(text.slice(d.offset.end)));
    if (found && found.kind === 'date') {
      emit(state, { field: 'meetingDate', value: dateFieldValue(stripDate(found)), page, label: '会议', quote: text, confidence: 0.8, via: 'prose' });
    }
  }
}

const PERSON = /^[\u4e00-\u9fa5·]{2,4}$/;
const EXPERT_LABEL = /(专家组组长|专家组副组长|专家组成员|(?:验收|评审|论证|审查)组(?:组长|副组长|成员)|评审专家|论证专家|验收专家|专家名单|专家组|组长|副组长|成员)(?:[(（][^()（）]{0,6}[)）])?\s*[:：]\s*([^；;]+)/g;

function readExperts(state: ExtractionState, page: PreparedPage): void {
  const lines = page.lines.map((line) => line.trim());
  const pageHasExperts = lines.some((line) => /专家/.test(line));
  for (const line of lines) for (const m of line.matchAll(EXPERT_LABEL)) {
    // Bare 组长/成员 lines count only on a page that speaks of experts.
    if (!/专家/.test(m[1]!) && !pageHasExperts) continue;
    const names = m[2]!
      .split(/[、，,；;\s]+/)
      .map((n) => n.replace(/[(（][^()（）]*[)）]/g, '').trim())
      .filter((n) => PERSON.test(n) && !/签字|签名|盖章|单位|公司|专家/.test(n));
    if (names.length === 0) continue;
    emit(state, { field: 'expertList', value: { kind: 'names', role: m[1]!, names }, page, label: m[1]!, quote: line, confidence: 0.8, via: 'label' });
  }
}

function readSignIn(state: ExtractionState, page: PreparedPage): void {
  for (const raw of page.lines) {
    const line = raw.trim();
    // A sheet's own heading ("专家评审会签到表", "附件：参会人员签到表") or the experts' signature block.
    const sheet = /^(?:附件\d*[:：]?\s*)?[^，。；]{0,30}(?:签到表|签到册|签到单|签到簿)$/.exec(line);
    const signatures = /^专家(?:组)?(?:成员)?\s*[(（]?\s*(?:签字|签名)\s*[)）]?\s*[:：]?/.exec(line);
    if (!sheet && !signatures) continue;
    emit(state, { field: 'signInSheet', value: { kind: 'text', text: sheet ? line : '专家签字' }, page, label: sheet ? '签到表' : '专家签字', quote: line, confidence: 0.75, via: 'heading' });
  }
}

// --- version marker on its own cover line ---

const MARKER_LINE = /^[(（]?\s*(送审稿|评审稿|报批稿|修订稿|终稿|征求意见稿|讨论稿|初稿|定稿|报审稿|审定稿|最终稿|正式稿)\s*[)）]?$/;

/** A cover with the marker on a line of its own below the title ("（征求意见稿）"); the title's own marker wins. */
function readCoverMarker(state: ExtractionState): void {
  if (state.candidates.some((c) => c.field === 'versionMarker')) return;
  const page = state.pages[0];
  if (!page) return;
  for (const raw of page.lines.slice(0, 15)) {
    const m = MARKER_LINE.exec(raw.trim());
    if (!m) continue;
    emit(state, { field: 'versionMarker', value: { kind: 'text', text: m[1]! }, page, label: '封面', quote: raw.trim(), confidence: 0.85, via: 'heading' });
    return;
  }
}
