import { foldWidth } from '../normalize.ts';
import { decodeChineseNumber, decodeChineseYear, decodeSmallChineseNumber } from './chinese-numerals.ts';

/**
 * Dates in the forms of requirements §5.3: full dates in Chinese or numeric notation, partial and fuzzy dates
 * (月底, 年底, 上旬/中旬/下旬, 月份), ranges, and relative dates ("合同签订后90日内"). Every date keeps its precision;
 * a date that is not known to the day also says its earliest and latest possible day.
 */

export type DatePrecision = 'day' | 'dekad' | 'month' | 'year';
export type FuzzyMarker = '上旬' | '中旬' | '下旬' | '月初' | '月底' | '年初' | '年底';

export interface DateValue {
  /** ISO 8601 at the date's precision: YYYY-MM-DD (day), YYYY-MM (dekad, month), YYYY (year). */
  iso: string;
  precision: DatePrecision;
  /** First and last day the date can mean (equal for a day-precision date). */
  earliest: string;
  latest: string;
  /** The fuzzy word the date was written with, if any. */
  fuzzy?: FuzzyMarker;
}

export interface ParsedDate extends DateValue {
  kind: 'date';
  raw: string;
}

export interface ParsedRange {
  kind: 'range';
  raw: string;
  start: DateValue;
  end: DateValue;
}

export type RelativeUnit = 'day' | 'workday' | 'month' | 'year';

/** A date stated relative to an event: "合同签订后90日内" → anchor 合同签订, 90 day, within. Marked derived-relative. */
export interface ParsedRelative {
  kind: 'relative';
  raw: string;
  anchor: string;
  amount: number;
  unit: RelativeUnit;
  /** "…内/以内/之内" → within; otherwise the period simply lasts that long from the anchor. */
  bound: 'within' | 'period';
}

export type ParsedDateExpression = ParsedDate | ParsedRange | ParsedRelative;
export type FoundDate = ParsedDateExpression & { offset: { start: number; end: number } };

export interface DateOptions {
  /** Year for dates written without one ("3月底", "年底"). Without it such dates are not returned. */
  referenceYear?: number;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

export function isoDate(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** The last day of a month as an ISO date. */
export function endOfMonth(year: number, month: number): string {
  return isoDate(year, month, daysInMonth(year, month));
}

function splitIso(iso: string): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new Error(`不是 YYYY-MM-DD 日期: ${iso}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/**
 * 《民法典》第二百零二条: a period of n months ends on the corresponding day of the final month, or on that month's
 * last day when it has no corresponding day. addMonths('2024-01-31', 1) = '2024-02-29'.
 */
export function addMonths(iso: string, months: number): string {
  const [year, month, day] = splitIso(iso);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  return isoDate(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

export function addDays(iso: string, days: number): string {
  const [year, month, day] = splitIso(iso);
  const date = new Date(Date.UTC(year, month - 1, day + days));
  return isoDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/** Orders two ISO dates of the same precision (string order is date order for YYYY-MM-DD). */
export function compareIsoDates(a: string, b: string): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

function validDay(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function dayValue(year: number, month: number, day: number, fuzzy?: FuzzyMarker): DateValue | null {
  if (!validDay(year, month, day)) return null;
  const iso = isoDate(year, month, day);
  return { iso, precision: 'day', earliest: iso, latest: iso, ...(fuzzy ? { fuzzy } : {}) };
}

function monthValue(year: number, month: number, marker?: string): DateValue | null {
  if (month < 1 || month > 12) return null;
  const iso = `${pad(year, 4)}-${pad(month)}`;
  const last = daysInMonth(year, month);
  switch (marker) {
    case '上旬':
    case '初':
      return { iso, precision: 'dekad', earliest: isoDate(year, month, 1), latest: isoDate(year, month, 10), fuzzy: marker === '初' ? '月初' : '上旬' };
    case '中旬':
    case '中':
      return { iso, precision: 'dekad', earliest: isoDate(year, month, 11), latest: isoDate(year, month, 20), fuzzy: '中旬' };
    case '下旬':
      return { iso, precision: 'dekad', earliest: isoDate(year, month, 21), latest: isoDate(year, month, last), fuzzy: '下旬' };
    case '底':
    case '末':
      return dayValue(year, month, last, '月底');
    default:
      return { iso, precision: 'month', earliest: isoDate(year, month, 1), latest: isoDate(year, month, last) };
  }
}

function yearValue(year: number, marker?: string): DateValue {
  if (marker === '底' || marker === '末') return dayValue(year, 12, 31, '年底')!;
  if (marker === '初') {
    return { iso: pad(year, 4), precision: 'month', earliest: isoDate(year, 1, 1), latest: isoDate(year, 1, 31), fuzzy: '年初' };
  }
  return { iso: pad(year, 4), precision: 'year', earliest: isoDate(year, 1, 1), latest: isoDate(year, 12, 31) };
}

// --- token patterns (run on width-folded text) ---

const ZERO_FORMS = '〇○零Oo';
const CN_DIGIT = `一二三四五六七八九${ZERO_FORMS}`;
const YEAR = String.raw`((?:19|20)\d{2}|[${CN_DIGIT}]{4})`;
const MONTH = String.raw`(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])`;
const DAY = String.raw`(3[01]|[12]\d|0?[1-9]|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九]|卅一?|廿[一二三四五六七八九]?)`;
const S = String.raw`\s*`;

interface TokenPattern {
  regex: RegExp;
  /** Builds the value from the match; null rejects the match. hasYear=false marks tokens usable only in ranges. */
  build: (m: RegExpExecArray, year?: number) => DateValue | null;
  hasYear: boolean;
}

function readYear(text: string): number | null {
  if (/^\d{4}$/.test(text)) return Number(text);
  return decodeChineseYear(text);
}

function readSmall(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  return decodeSmallChineseNumber(text);
}

const TOKEN_PATTERNS: TokenPattern[] = [
  {
    // 2022年9月15日, 二○一二年三月二十一日
    regex: new RegExp(`${YEAR}${S}年${S}${MONTH}${S}月${S}${DAY}${S}[日号]`, 'g'),
    hasYear: true,
    build: (m) => {
      const year = readYear(m[1]!);
      const month = readSmall(m[2]!);
      const day = readSmall(m[3]!);
      return year && month && day ? dayValue(year, month, day) : null;
    },
  },
  {
    // 2022年9月, 2022年9月底, 2022年8月中旬, 2022年9月份
    regex: new RegExp(`${YEAR}${S}年${S}${MONTH}${S}月(?:${S}(上旬|中旬|下旬|底|末|初|份))?(?!${S}\\d|${S}[一二三四五六七八九十廿卅]+${S}[日号])`, 'g'),
    hasYear: true,
    build: (m) => {
      const year = readYear(m[1]!);
      const month = readSmall(m[2]!);
      return year && month ? monthValue(year, month, m[3]) : null;
    },
  },
  {
    // 2023年, 2023年底, 2023年度 (a year-precision date)
    regex: new RegExp(`${YEAR}${S}年(?:${S}年?(底|末|初)|度)?(?!${S}(?:\\d|[一二三四五六七八九十])+${S}月)`, 'g'),
    hasYear: true,
    build: (m) => {
      const year = readYear(m[1]!);
      return year ? yearValue(year, m[2]) : null;
    },
  },
  {
    // 2022-09-15, 2022.9.15, 2022/9/15 (one separator throughout)
    regex: /(?<![\d.])((?:19|20)\d{2})\s*([-./])\s*(1[0-2]|0?[1-9])\s*\2\s*(3[01]|[12]\d|0?[1-9])(?!\d)/g,
    hasYear: true,
    build: (m) => dayValue(Number(m[1]), Number(m[3]), Number(m[4])),
  },
  {
    // 2023-01, 2023.1 (month precision); not an amount such as 2023.12万元
    regex: /(?<![\d.])((?:19|20)\d{2})\s*([-./])\s*(1[0-2]|0?[1-9])(?![\d]|\s*[.\-/]\s*\d|\s*[万元亿%])/g,
    hasYear: true,
    build: (m) => monthValue(Number(m[1]), Number(m[3])),
  },
  {
    // 20220915
    regex: /(?<![\dA-Za-z_\-/.])((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?![\dA-Za-z_\-])/g,
    hasYear: true,
    build: (m) => dayValue(Number(m[1]), Number(m[2]), Number(m[3])),
  },
  {
    // 3月31日 (no year): the end of a range, or with a reference year
    regex: new RegExp(`(?<![\\d年${CN_DIGIT}十])${MONTH}${S}月${S}${DAY}${S}[日号]`, 'g'),
    hasYear: false,
    build: (m, year) => {
      const month = readSmall(m[1]!);
      const day = readSmall(m[2]!);
      return year && month && day ? dayValue(year, month, day) : null;
    },
  },
  {
    // 3月, 3月底, 8月中旬, 9月份 (no year)
    regex: new RegExp(`(?<![\\d年${CN_DIGIT}十个])${MONTH}${S}月(?:${S}(上旬|中旬|下旬|底|末|初|份))?(?!${S}\\d|${S}[一二三四五六七八九十廿卅]+${S}[日号]|[份]?${S}[内])`, 'g'),
    hasYear: false,
    build: (m, year) => {
      const month = readSmall(m[1]!);
      return year && month ? monthValue(year, month, m[2]) : null;
    },
  },
  {
    // 3.31 / 3-31 after a numeric start date
    regex: /(?<![\d.\-/])(1[0-2]|0?[1-9])([./-])(3[01]|[12]\d|0?[1-9])(?![\d.\-/])/g,
    hasYear: false,
    build: (m, year) => (year ? dayValue(year, Number(m[1]), Number(m[3])) : null),
  },
  {
    // 年底 / 年末 (no year)
    regex: /(?<![\d年〇○零一二三四五六七八九])年(底|末)/g,
    hasYear: false,
    build: (_m, year) => (year ? yearValue(year, '底') : null),
  },
];

interface Token {
  start: number;
  end: number;
  match: RegExpExecArray;
  pattern: TokenPattern;
}

function scanTokens(folded: string): Token[] {
  const tokens: Token[] = [];
  for (const pattern of TOKEN_PATTERNS) {
    const regex = new RegExp(pattern.regex.source, pattern.regex.flags);
    for (let match = regex.exec(folded); match; match = regex.exec(folded)) {
      const raw = match[0].replace(/\s+$/, '');
      tokens.push({ start: match.index, end: match.index + raw.length, match, pattern });
    }
  }
  // Longest token wins where tokens overlap; a full date beats its own month/year prefix.
  tokens.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
  const kept: Token[] = [];
  for (const token of tokens) {
    const previous = kept[kept.length - 1];
    if (previous && token.start < previous.end) continue;
    kept.push(token);
  }
  return kept;
}

const RANGE_GAP = /^\s*(?:起)?\s*(?:至|到|—+|–|-|~|～|－|─)\s*$/;
const RANGE_LEAD = /(?:自|从|由)\s*$/;
const RANGE_TAIL = /^\s*(?:止|为止)/;

const RELATIVE = new RegExp(
  String.raw`(?:自|从|在)?([\u4e00-\u9fa5]{0,8}?(?:签订|签署|签字|生效|合格|验收|完成|开工|到货|上线|交付|付款|通知|下达|批复|发出))(?:之日|当日|日)?${S}(?:起|后)${S}(\d+|[一二三四五六七八九十百两]+)${S}(个)?${S}(日历日|工作日|日|天|个月|月|年)${S}(内|以内|之内)?`,
  'g',
);

function relativeUnit(word: string): RelativeUnit {
  if (word === '工作日') return 'workday';
  if (word === '个月' || word === '月') return 'month';
  if (word === '年') return 'year';
  return 'day';
}

/** Every date, date range and relative date in a text, with offsets into the text. */
export function findDates(text: string, options: DateOptions = {}): FoundDate[] {
  const folded = foldWidth(text);
  const tokens = scanTokens(folded);
  const found: FoundDate[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    const value = token.pattern.hasYear ? token.pattern.build(token.match) : token.pattern.build(token.match, options.referenceYear);
    if (!value) continue;
    const next = tokens[i + 1];
    if (next && RANGE_GAP.test(folded.slice(token.end, next.start))) {
      const startYear = Number(value.earliest.slice(0, 4));
      const endValue = next.pattern.hasYear ? next.pattern.build(next.match) : next.pattern.build(next.match, startYear);
      if (endValue) {
        const lead = RANGE_LEAD.exec(folded.slice(Math.max(0, token.start - 2), token.start));
        const start = lead ? token.start - lead[0].length : token.start;
        const tail = RANGE_TAIL.exec(folded.slice(next.end));
        const end = next.end + (tail ? tail[0].length : 0);
        found.push({ kind: 'range', raw: text.slice(start, end), start: value, end: endValue, offset: { start, end } });
        i += 1;
        continue;
      }
    }
    found.push({ kind: 'date', raw: text.slice(token.start, token.end), ...value, offset: { start: token.start, end: token.end } });
  }
  const relative = new RegExp(RELATIVE.source, 'g');
  for (let match = relative.exec(folded); match; match = relative.exec(folded)) {
    const amountText = match[2]!;
    const amount = readSmall(amountText) ?? Number(decodeChineseNumberOrNull(amountText));
    if (!amount) continue;
    found.push({
      kind: 'relative',
      raw: text.slice(match.index, match.index + match[0].length),
      // The leftmost match may start inside the clause ("乙方应自合同签订"); the event follows the last 自/从/于/在.
      anchor: match[1]!.replace(/^.*[自从于在]/, ''),
      amount,
      unit: relativeUnit(match[4]!),
      bound: match[5] ? 'within' : 'period',
      offset: { start: match.index, end: match.index + match[0].length },
    });
  }
  return found.sort((a, b) => a.offset.start - b.offset.start);
}

function decodeChineseNumberOrNull(text: string): string | null {
  return decodeChineseNumber(text);
}

/** The first date, range or relative date in a text ("2022年9月15日", "2023.1.1-2023.3.31", "合同签订后90日内"). */
export function parseDate(text: string, options: DateOptions = {}): ParsedDateExpression | null {
  const first = findDates(text, options)[0];
  if (!first) return null;
  const { offset: _offset, ...expression } = first;
  return expression;
}

/** Resolves a relative date against the anchor's date: months/years by addMonths (民法典 第二百零二条), days added. */
export function resolveRelative(relative: ParsedRelative, anchorIso: string): string | null {
  switch (relative.unit) {
    case 'day':
      return addDays(anchorIso, relative.amount);
    case 'month':
      return addMonths(anchorIso, relative.amount);
    case 'year':
      return addMonths(anchorIso, relative.amount * 12);
    default:
      return null; // working days need the holiday calendar
  }
}
