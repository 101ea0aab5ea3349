import { findAmountPairs, findAmounts, parseAmount, unitFromHeader } from './amounts.ts';
import { findDates, type FoundDate } from './dates.ts';
import { LABEL_ENTRIES, type LabelEntry } from './labels.ts';
import {
  amountFieldValue,
  dateFieldValue,
  emit,
  firstSingleDate,
  ORG_IN_TEXT,
  stripDate,
  orgValue,
  type ExtractionState,
  type PreparedPage,
} from './context.ts';
import type { FieldName } from './schema.ts';

/**
 * Fields stated in running text: amounts after their labels ("总投资估算为120.00万元"), roles ("承建单位为X"), the
 * trial run, preliminary acceptance, self-inspection, acceptance and formal-operation statements, 大写/小写 pairs.
 */

export interface Sentence {
  page: PreparedPage;
  text: string;
}

const HEADING_START = /^(?:[一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、](?!\d)|第[一二三四五六七八九十百]+[章节条部分])/;
const LABEL_START = /^[^:：，。]{1,14}[:：]/;

/**
 * Joins the lines a PDF or OCR wrapped inside a paragraph (a long line not ending a sentence, followed by one that
 * starts no heading or label), then cuts sentences at 。；!? and at paragraph ends.
 */
export function sentencesOf(page: PreparedPage): Sentence[] {
  const lines = page.lines.map((line) => line.trim()).filter(Boolean);
  const paragraphs: string[] = [];
  let current = '';
  lines.forEach((line, i) => {
    current += line;
    const next = lines[i + 1];
    const wrapped =
      next !== undefined &&
      line.length >= 20 &&
      !/[。；;！？!?:：]$/.test(line) &&
      !HEADING_START.test(next) &&
      !LABEL_START.test(next) &&
      !line.includes(' | ');
    if (!wrapped) {
      paragraphs.push(current);
      current = '';
    }
  });
  if (current) paragraphs.push(current);
  return paragraphs.flatMap((paragraph) =>
    paragraph
      .split(/(?<=[。；;！？!?])/)
      .map((text) => text.trim())
      .filter(Boolean)
      .map((text) => ({ page, text })),
  );
}

const AMOUNT_LABELS: readonly LabelEntry[] = LABEL_ENTRIES.filter((entry) => entry.spec.kind === 'amount');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const AMOUNT_LABEL = new RegExp(`(${AMOUNT_LABELS.map((e) => escape(e.label)).join('|')})(?:\\s*[(（]([^()（）]{1,10})[)）])?`, 'g');
const AMOUNT_LABEL_ANYWHERE = new RegExp(AMOUNT_LABEL.source);
const BY_AMOUNT_LABEL = new Map(AMOUNT_LABELS.map((entry) => [entry.label, entry]));
// Figures that are not the stated amount: actual spending, shares, the submitted (not reviewed) figure.
const NOT_THIS_AMOUNT_BEFORE = /(?:实际|完成|累计|已完成|已支付|结算|决算|送审|剩余|支付)$/;
const THRESHOLD_AFTER = /^\s*(?:[(（]含[)）])?\s*(?:及|或)?\s*(?:以上|以下|以内|不足|至\s*\d|到\s*\d|[-~～]\s*\d)/;
const GAP_OK = /^[^。；;，,\d]{0,16}$/;

function readAmounts(state: ExtractionState, sentence: Sentence): void {
  const { text, page } = sentence;
  const amounts = findAmounts(text);
  for (const match of text.matchAll(AMOUNT_LABEL)) {
    const label = match[1]!;
    const entry = BY_AMOUNT_LABEL.get(label);
    if (!entry) continue;
    const labelStart = match.index!;
    if (NOT_THIS_AMOUNT_BEFORE.test(text.slice(Math.max(0, labelStart - 3), labelStart))) continue;
    const after = labelStart + match[0].length;
    const columnUnit = match[2] ? unitFromHeader(`(${match[2]})`) : null;
    let value = null as ReturnType<typeof parseAmount> | null;
    let end = after;
    const next = amounts.find((amount) => amount.start >= after);
    const gap = next ? text.slice(after, next.start) : '';
    if (next && GAP_OK.test(gap) && !AMOUNT_LABEL_ANYWHERE.test(gap)) {
      value = next;
      end = next.end;
    } else {
      const bare = /^\s*[:：|]?\s*(?:为|是|约)?\s*(\d[\d,]*(?:\.\d+)?)(?![\d%.])/.exec(text.slice(after));
      if (bare) {
        value = parseAmount(bare[1]!, { column: columnUnit, document: state.documentUnit });
        end = after + bare[0].length;
      }
    }
    if (!value) continue;
    if (THRESHOLD_AFTER.test(text.slice(end))) continue;
    // 含税 may come after the 小写 repetition: "…元整（¥3,120,000.00元），含税".
    const following = text.slice(end, end + 32).split(/[。；;]/)[0]!;
    const taxIncluded = /不含税/.test(following) ? false : /含税|价税合计/.test(following) || label === '价税合计' ? true : undefined;
    let basis = entry.spec.basis;
    // The words between label and figure refine it: "项目总投资估算为…" is an estimate, "总投资批复为…" approved.
    // …as do the two characters before it: "核定项目总投资为…", "项目概算总投资…".
    const phrase = text.slice(Math.max(0, labelStart - 2), value === null ? after : end);
    if (basis === 'stated' || basis === 'estimate') {
      if (/批复|核定|批准/.test(phrase)) basis = 'approved';
      else if (basis === 'stated' && /概算|估算|匡算|预算/.test(phrase)) basis = 'estimate';
    }
    if (basis === 'stated' && /批复|批准|核定|审批/.test(text.slice(0, labelStart))) basis = 'approvedQuoted';
    for (const field of entry.spec.fields) {
      emit(state, {
        field,
        value: amountFieldValue(value, taxIncluded),
        page,
        label: match[0],
        quote: text,
        confidence: value.wan === null ? entry.spec.confidence * 0.5 : entry.spec.confidence,
        via: 'prose',
        ...(basis ? { basis } : {}),
      });
    }
  }
  for (const pair of findAmountPairs(text)) {
    emit(state, {
      field: 'amountPairs',
      value: { kind: 'amountPair', daxie: amountFieldValue(pair.daxie), arabic: amountFieldValue(pair.arabic), equal: pair.equal },
      page,
      label: '大写/小写',
      quote: text,
      confidence: 0.9,
      via: 'prose',
    });
  }
}

interface RolePattern {
  regex: RegExp;
  fields: FieldName[];
  confidence: number;
  /** The organisation must read as a company (not a government body). */
  company?: boolean;
}

const ROLE_PATTERNS: RolePattern[] = [
  { regex: new RegExp(`(?:承建单位|承建方|承建商|实施单位)(?:均)?(?:为|是|系)${ORG_IN_TEXT}`, 'g'), fields: ['contractor'], confidence: 0.7 },
  { regex: new RegExp(`(?:中标单位|中标人|中标供应商|成交供应商)(?:均)?(?:为|是|系)${ORG_IN_TEXT}`, 'g'), fields: ['awardee', 'contractor'], confidence: 0.7 },
  { regex: new RegExp(`(?:监理单位|监理方|监理公司)(?:均)?(?:为|是|系)${ORG_IN_TEXT}`, 'g'), fields: ['supervisor'], confidence: 0.7 },
  { regex: new RegExp(`(?:项目建设单位|建设单位|招标人|采购人)(?:均)?(?:为|是|系)${ORG_IN_TEXT}`, 'g'), fields: ['constructionUnit'], confidence: 0.7 },
  { regex: new RegExp(`(?:测评机构|检测机构|测评单位|检测单位)(?:均)?(?:为|是|系)${ORG_IN_TEXT}`, 'g'), fields: ['testingAgency'], confidence: 0.7 },
  { regex: new RegExp(`(?:编制单位|设计单位)(?:均)?(?:为|是|系)${ORG_IN_TEXT}`, 'g'), fields: ['drafter'], confidence: 0.7 },
  { regex: new RegExp(`由${ORG_IN_TEXT}(?:负责|承担)?(?:承建|建设实施|开发建设|系统集成)`, 'g'), fields: ['contractor'], confidence: 0.55, company: true },
  { regex: new RegExp(`由${ORG_IN_TEXT}(?:负责|承担)?(?:本项目|项目|工程)?(?:的)?(?:工程)?监理`, 'g'), fields: ['supervisor'], confidence: 0.6, company: true },
  { regex: new RegExp(`确定${ORG_IN_TEXT}为(?:本项目|该项目)?(?:的)?(?:中标人|中标单位|成交供应商|中标供应商|成交人)`, 'g'), fields: ['awardee', 'contractor'], confidence: 0.8 },
  { regex: new RegExp(`受${ORG_IN_TEXT}(?:的)?委托`, 'g'), fields: ['constructionUnit'], confidence: 0.45 },
];

function readRoles(state: ExtractionState, sentence: Sentence): void {
  for (const pattern of ROLE_PATTERNS) {
    for (const match of sentence.text.matchAll(pattern.regex)) {
      const name = match[1]!;
      if (pattern.company && !/(?:公司|集团|院|所)(?:\([^()]*\))?$/.test(name)) continue;
      let fields = pattern.fields;
      if (state.aboutSupervision && fields.includes('awardee')) fields = ['awardee', 'supervisor'];
      for (const field of fields) {
        emit(state, { field, value: orgValue(name, state.aliases), page: sentence.page, label: '正文', quote: sentence.text, confidence: pattern.confidence, via: 'prose' });
      }
    }
  }
}

const FAIL_WORDS = /不合格|未通过|不通过|不同意|不符合|未达到|失败/;
const PASS_WORDS = /合格|通过|同意|符合|良好|优秀|正常|稳定|达到/;

/** 合格/通过… → pass, 不合格/未通过… → fail; null when the text states neither. */
export function parseVerdict(text: string): { pass: boolean; text: string } | null {
  const compact = text.replace(/\s+/g, '');
  const fail = FAIL_WORDS.exec(compact);
  if (fail) return { pass: false, text: fail[0] };
  const pass = PASS_WORDS.exec(compact);
  if (pass) return { pass: true, text: pass[0] };
  return null;
}

const PLANNED = /拟|计划|预计|将于|将在|准备/;
const PAYMENT = /支付|付款|价款|合同款|尾款/;

function ranges(found: FoundDate[]) {
  return found.filter((d): d is FoundDate & { kind: 'range' } => d.kind === 'range');
}

function readTrialRun(state: ExtractionState, sentence: Sentence): void {
  const { text, page } = sentence;
  if (!text.includes('试运行')) return;
  const found = findDates(text);
  const confidenceFactor = PLANNED.test(text) ? 0.6 : 1;
  const range = ranges(found)[0];
  if (range && !PAYMENT.test(text)) {
    emit(state, {
      field: 'trialRunPeriod',
      value: { kind: 'period', start: dateFieldValue(range.start), end: dateFieldValue(range.end) },
      page,
      label: '试运行',
      quote: text,
      confidence: 0.85 * confidenceFactor,
      via: 'prose',
    });
  } else if (!PAYMENT.test(text)) {
    // "2024年11月7日起进入试运行" / "试运行自2024年11月7日开始": the date next to the words is the start.
    const start = found.find(
      (d) =>
        d.kind === 'date' &&
        (/^\s*(?:起|开始)?\s*(?:正式)?(?:进入|开始|启动|投入)?\s*试运行/.test(text.slice(d.offset.end)) ||
          /试运行(?:自|从|于)?\s*$/.test(text.slice(0, d.offset.start))),
    );
    if (start && start.kind === 'date') {
      emit(state, {
        field: 'trialRunPeriod',
        value: { kind: 'period', start: dateFieldValue(stripDate(start)), end: null },
        page,
        label: '试运行',
        quote: text,
        confidence: 0.7 * confidenceFactor,
        via: 'prose',
      });
    }
  }
  const verdict = /试运行(?:情况|结论|效果|结果)?(?:为|是|:|：)?\s*(合格|通过|良好|正常|稳定|不合格|未通过|不通过)(?!后)/.exec(text);
  if (verdict && !PAYMENT.test(text)) {
    const parsed = parseVerdict(verdict[1]!)!;
    emit(state, { field: 'trialRunConclusion', value: { kind: 'verdict', ...parsed }, page, label: '试运行', quote: text, confidence: 0.85, via: 'prose' });
  } else if (/运行(?:稳定|正常|良好)/.test(text) && !FAIL_WORDS.test(text)) {
    const word = /运行(稳定|正常|良好)/.exec(text)![1]!;
    emit(state, { field: 'trialRunConclusion', value: { kind: 'verdict', pass: true, text: `运行${word}` }, page, label: '试运行', quote: text, confidence: 0.5, via: 'prose' });
  }
}

function readPreliminaryAcceptance(state: ExtractionState, sentence: Sentence): void {
  const { text, page } = sentence;
  if (!/初步验收|初验/.test(text) || PAYMENT.test(text)) return;
  const date = firstSingleDate(findDates(text));
  if (date && !/申请|请示|提请/.test(text) && !PLANNED.test(text)) {
    emit(state, { field: 'preliminaryAcceptanceDate', value: dateFieldValue(date), page, label: '初步验收', quote: text, confidence: 0.8, via: 'prose' });
  }
  const verdict =
    /(?:初验|初步验收)(?:结论|意见|结果)?(?:为|是|:|：)?\s*(合格|通过|不合格|未通过|不通过)(?!后)/.exec(text) ??
    /((?:未|不予|同意|予以|一致同意)?通过)(?:了)?(?:项目|系统)?(?:的)?(?:初步验收|初验)/.exec(text);
  if (verdict) {
    const parsed = parseVerdict(verdict[1]!);
    if (parsed) {
      emit(state, { field: 'preliminaryAcceptanceConclusion', value: { kind: 'verdict', ...parsed }, page, label: '初步验收', quote: text, confidence: 0.85, via: 'prose' });
    }
  }
  const organizer =
    new RegExp(`${ORG_IN_TEXT}(?:于[^，。]{4,14}?)?(?:组织|主持)(?:[^，。]{0,16}?)(?:初步验收|初验)`).exec(text) ??
    new RegExp(`由${ORG_IN_TEXT}(?:组织|主持|进行|开展)`).exec(text);
  if (organizer) {
    emit(state, { field: 'preliminaryAcceptanceOrganizer', value: orgValue(organizer[1]!, state.aliases), page, label: '初步验收', quote: text, confidence: 0.7, via: 'prose' });
  }
}

function readSelfInspection(state: ExtractionState, sentence: Sentence): void {
  const { text, page } = sentence;
  if (!/自查|自审|自检/.test(text) || PLANNED.test(text)) return;
  const date = firstSingleDate(findDates(text));
  if (date) emit(state, { field: 'selfInspectionDate', value: dateFieldValue(date), page, label: '自查', quote: text, confidence: 0.75, via: 'prose' });
}

const NOT_FINAL_ACCEPTANCE = /初步|初验|预验收|申请|请示|提请|之日起|合同签订|签订之日|完成建设并通过验收/;

function readAcceptance(state: ExtractionState, sentence: Sentence): void {
  const { text, page } = sentence;
  if (!text.includes('验收') || NOT_FINAL_ACCEPTANCE.test(text) || PAYMENT.test(text)) return;
  if (/召开|组织|进行了|举行|通过了|完成了/.test(text) && !PLANNED.test(text)) {
    const date = firstSingleDate(findDates(text));
    if (date) emit(state, { field: 'acceptanceDate', value: dateFieldValue(date), page, label: '验收', quote: text, confidence: 0.6, via: 'prose' });
  }
  const verdict =
    /(?:竣工)?验收(?:结论|意见|结果)(?:为|是|:|：)?\s*(通过|合格|不通过|不合格|未通过)/.exec(text) ??
    /((?:一致)?同意(?:该项目|本项目|项目)?通过|未通过|不予通过)(?:竣工)?验收/.exec(text);
  if (verdict) {
    const parsed = parseVerdict(verdict[1]!);
    if (parsed) emit(state, { field: 'acceptanceConclusion', value: { kind: 'verdict', ...parsed }, page, label: '验收', quote: text, confidence: 0.75, via: 'prose' });
  }
}

const FORMAL_OPERATION = /正式(?:上线)?运行|正式上线|正式投入(?:使用|运行)|已投入(?:使用|运行)|投入正式(?:使用|运行)|正式启用|已正式使用/;
// Rules and conditions ("不得投入使用", "方可投入正式运行", "通过验收后正式上线") state no fact.
const NOT_A_FACT = /不得|方可|才能|才可|未经|禁止|严禁|不能|须|需|应当|应|拟|计划|将于|将在|之前|以前|前不|后方|预计|准备|争取|待|以后|后正式|后投入/;

function readFormalOperation(state: ExtractionState, sentence: Sentence): void {
  const { text, page } = sentence;
  const match = FORMAL_OPERATION.exec(text);
  if (!match || NOT_A_FACT.test(text)) return;
  const date = firstSingleDate(findDates(text));
  emit(state, {
    field: 'formalOperation',
    value: { kind: 'statement', text: match[0], date: date ? dateFieldValue(date) : null },
    page,
    label: match[0],
    quote: text,
    confidence: date ? 0.75 : 0.6,
    via: 'prose',
  });
}

function readAgreedAcceptance(state: ExtractionState, sentence: Sentence): void {
  const { text, page } = sentence;
  if (!text.includes('验收')) return;
  for (const found of findDates(text)) {
    if (found.kind !== 'relative' || !/合同/.test(found.anchor)) continue;
    emit(state, {
      field: 'contractAgreedAcceptance',
      value: { kind: 'relativeDate', anchor: found.anchor, amount: found.amount, unit: found.unit, bound: found.bound },
      page,
      label: '合同约定',
      quote: text,
      confidence: 0.75,
      via: 'prose',
    });
  }
}

export function readProse(state: ExtractionState): void {
  for (const page of state.pages) {
    for (const sentence of sentencesOf(page)) {
      readAmounts(state, sentence);
      readRoles(state, sentence);
      readTrialRun(state, sentence);
      readPreliminaryAcceptance(state, sentence);
      readSelfInspection(state, sentence);
      readAcceptance(state, sentence);
      readFormalOperation(state, sentence);
      readAgreedAcceptance(state, sentence);
    }
  }
}
