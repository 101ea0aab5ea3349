import { foldWidth } from '../normalize.ts';
import { CHINESE_NUMERAL_CHARS, DAXIE_CHARS, decodeChineseNumber } from './chinese-numerals.ts';
import { arithmetic, compareDecimalStrings, formatDecimal, parseDecimal, rational, shiftDecimal } from './decimal.ts';

/**
 * Money amounts in the forms of requirements §5.2, stored as exact decimal strings in 万元.
 * A bare number is an amount only when a unit reaches it: its own suffix, else a column header "（万元）", else a
 * document note "单位：万元". With none of these the amount is kept but its value is indeterminate (wan = null).
 */

export type AmountUnit = '元' | '千元' | '万元' | '百万元' | '亿元';
export type AmountForm = 'arabic' | 'chinese' | 'daxie';
/** Where the unit came from: the amount's own suffix, a currency sign (¥, 人民币: 元), a column header, a document note. */
export type UnitSource = 'suffix' | 'currency' | 'column' | 'document';

export interface ParsedAmount {
  /** The text as matched. */
  raw: string;
  form: AmountForm;
  /** The number as written, in `unit` ("1200000.00" for "¥1,200,000.00"). */
  number: string;
  unit: AmountUnit | null;
  unitSource: UnitSource | null;
  /** Exact decimal in 万元; null when no unit is known (indeterminate, never guessed). */
  wan: string | null;
  /** Exact decimal in 元; null when no unit is known. */
  yuan: string | null;
}

export interface FoundAmount extends ParsedAmount {
  /** Offsets of `raw` in the searched text. */
  start: number;
  end: number;
}

export interface UnitContext {
  /** Unit from the column header of the table cell the number sits in ("金额（万元）"). */
  column?: AmountUnit | null;
  /** Unit from a document-level note ("单位：万元"). */
  document?: AmountUnit | null;
}

const POWER_TO_WAN: Record<AmountUnit, number> = { 元: -4, 千元: -1, 万元: 0, 百万元: 2, 亿元: 4 };

const ARABIC_NUMBER = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`;
const CURRENCY_WORD = String.raw`人民币|RMB|CNY`;
// "￥" is folded to "¥" by foldWidth; "Y" is not accepted because OCR noise would make every number money.
const ARABIC_AMOUNT = new RegExp(
  String.raw`(?<![\dA-Za-z.,])(?:(${CURRENCY_WORD})\s*)?(?:[(（]?\s*小写\s*[)）]?\s*[:：]?\s*)?(?:(¥)\s*)?(${ARABIC_NUMBER})(?![\d])\s*(亿元|亿|百万元|万元|万|千元|元|圆|圓)?(整|正)?`,
  'g',
);
const CHINESE_CLASS = `[${CHINESE_NUMERAL_CHARS}]`;
const CHINESE_AMOUNT = new RegExp(
  String.raw`(?:(${CURRENCY_WORD})\s*)?(?:[(（]?\s*大写\s*[)）]?\s*[:：]?\s*)?(${CHINESE_CLASS}+)\s*(亿元|万元|千元|元|圆|圓)?(?:\s*(${CHINESE_CLASS})角)?(?:\s*零?(${CHINESE_CLASS})分)?(整|正)?`,
  'g',
);
const DAXIE_CHAR = new RegExp(`[${DAXIE_CHARS}]`);

function unitOfSuffix(suffix: string): AmountUnit {
  switch (suffix) {
    case '亿元':
    case '亿':
      return '亿元';
    case '百万元':
      return '百万元';
    case '万元':
    case '万':
      return '万元';
    case '千元':
      return '千元';
    default:
      return '元';
  }
}

function valueIn(number: string, unit: AmountUnit | null): { wan: string | null; yuan: string | null } {
  const parsed = parseDecimal(number);
  if (!parsed || !unit) return { wan: null, yuan: null };
  const wan = shiftDecimal(parsed, POWER_TO_WAN[unit]);
  return { wan: formatDecimal(wan), yuan: formatDecimal(shiftDecimal(wan, 4)) };
}

function contextUnit(context: UnitContext | undefined): { unit: AmountUnit | null; unitSource: UnitSource | null } {
  if (context?.column) return { unit: context.column, unitSource: 'column' };
  if (context?.document) return { unit: context.document, unitSource: 'document' };
  return { unit: null, unitSource: null };
}

function fromArabic(match: RegExpExecArray, context: UnitContext | undefined, requireUnit: boolean): ParsedAmount | null {
  const [raw, currencyWord, currencySign, numberText = '', suffix] = match;
  const number = numberText.replace(/,/g, '');
  let unit: AmountUnit | null = null;
  let unitSource: UnitSource | null = null;
  const hasCurrency = Boolean(currencyWord || currencySign);
  if (suffix && (suffix === '万' || suffix === '亿') && !hasCurrency) {
    // "32万件", "1.5亿次": a bare 万/亿 counts things unless a currency marker says it is money.
    return null;
  }
  if (suffix) {
    unit = unitOfSuffix(suffix);
    unitSource = 'suffix';
  } else if (hasCurrency) {
    unit = '元';
    unitSource = 'currency';
  } else {
    if (requireUnit) return null;
    ({ unit, unitSource } = contextUnit(context));
  }
  return { raw: raw.trimEnd(), form: 'arabic', number, unit, unitSource, ...valueIn(number, unit) };
}

function digitValue(ch: string | undefined): string | null {
  if (!ch) return '0';
  const decoded = decodeChineseNumber(ch);
  return decoded !== null && /^\d$/.test(decoded) ? decoded : null;
}

function fromChinese(match: RegExpExecArray, context: UnitContext | undefined, requireUnit: boolean): ParsedAmount | null {
  const [raw, currencyWord, numeral = '', suffix, jiao, fen] = match;
  const form: AmountForm = DAXIE_CHAR.test(numeral) ? 'daxie' : 'chinese';
  if (!/[一二两兩三四五六七八九十壹贰貳叁參叄肆伍陆陸柒捌玖拾佰仟廿卅]/.test(numeral)) return null;
  // A lone "一元" is more often a word (一元化) than money; a one-character lower-case numeral needs a currency word.
  if (form === 'chinese' && [...numeral].length < 2 && !currencyWord) return null;
  let integerText = numeral;
  let unit: AmountUnit | null = null;
  let unitSource: UnitSource | null = null;
  if (suffix) {
    unit = unitOfSuffix(suffix);
    unitSource = 'suffix';
  } else if (jiao || fen) {
    unit = '元';
    unitSource = 'suffix';
  } else if (currencyWord) {
    unit = '元';
    unitSource = 'currency';
  }
  // "一百二十万元", "一百二十点五万元", "一点二亿元": a trailing 万/亿 is the unit, unless a larger unit is inside
  // the numeral ("十二亿三千四百万元" is one integer of 元).
  if (unit === '元' && !jiao && !fen) {
    const head = integerText.slice(0, -1);
    if (/[万萬]$/.test(integerText) && !/[万萬亿億]/.test(head) && head) {
      integerText = head;
      unit = '万元';
    } else if (/[亿億]$/.test(integerText) && !/[亿億]/.test(head) && head) {
      integerText = head;
      unit = '亿元';
    }
  }
  if (!unit) {
    if (requireUnit) return null;
    ({ unit, unitSource } = contextUnit(context));
  }
  const integer = decodeChineseNumber(integerText);
  if (integer === null) return null;
  let number = parseDecimal(integer);
  if (!number) return null;
  if (jiao || fen) {
    const jiaoDigit = digitValue(jiao);
    const fenDigit = digitValue(fen);
    if (jiaoDigit === null || fenDigit === null) return null;
    number = arithmetic('+', number, rational(BigInt(jiaoDigit) * 10n + BigInt(fenDigit), 100n));
  }
  const numberText = formatDecimal(number);
  return { raw: raw.trimEnd(), form, number: numberText, unit, unitSource, ...valueIn(numberText, unit) };
}

/**
 * Parses one amount ("120万元", "¥1,200,000.00", "0.12亿元", "一百二十点五万元", "人民币壹佰贰拾叁万肆仟伍佰元整",
 * "拾万元"). The text should hold just the amount, possibly with a currency word or "（大写）：" label around it;
 * a bare number takes its unit from `context`, and without one its value is indeterminate.
 */
export function parseAmount(text: string, context?: UnitContext): ParsedAmount | null {
  const found = scanAmounts(text.trim(), context, false);
  const best = found.find((amount) => amount.wan !== null) ?? found[0];
  return best ? stripOffsets(best) : null;
}

function stripOffsets(amount: FoundAmount): ParsedAmount {
  const { start: _start, end: _end, ...rest } = amount;
  return rest;
}

/** Every amount in a text that carries its own unit or currency marker, with offsets into `text`. */
export function findAmounts(text: string): FoundAmount[] {
  return scanAmounts(text, undefined, true);
}

// "(大写):" / "(小写):" in front of an amount is matched (so that pairs join up) but is not part of the amount.
function leadingLabelLength(matched: string): number {
  const label = /^(?:人民币|RMB|CNY)?\s*[(（]?\s*[大小]写\s*[)）]?\s*[:：]?\s*/.exec(matched);
  if (!label || !/[大小]写/.test(label[0])) return 0;
  // Keep a currency word that precedes the label: "人民币(大写):壹佰…" → "壹佰…" loses both; the value is the same.
  return label[0].length;
}

// foldWidth maps one UTF-16 unit to one, so offsets found in the folded text are offsets in the original.
function scanAmounts(original: string, context: UnitContext | undefined, requireUnit: boolean): FoundAmount[] {
  const folded = foldWidth(original);
  const results: FoundAmount[] = [];
  const taken: Array<[number, number]> = [];
  const overlaps = (start: number, end: number) => taken.some(([s, e]) => start < e && end > s);
  const chinese = new RegExp(CHINESE_AMOUNT.source, 'g');
  for (let match = chinese.exec(folded); match; match = chinese.exec(folded)) {
    const parsed = fromChinese(match, context, requireUnit);
    if (!parsed) continue;
    const start = match.index + leadingLabelLength(match[0]);
    const end = match.index + match[0].trimEnd().length;
    // "人民币壹佰参拾抽万…": a 大写 run cut short by a character no numeral reads (an OCR slip) is not an amount;
    // taking its first digits would report a false 大写/小写 mismatch.
    if (parsed.form === 'daxie' && parsed.unitSource === 'currency' && /\p{Script=Han}/u.test(folded.charAt(end))) continue;
    // "人民币起万零壹佰元整": a 大写 run right after a character no numeral reads lost its first digits to OCR.
    if (parsed.form === 'daxie' && /\p{Script=Han}/u.test(folded.charAt(start - 1)) && !/[币写为计共合即是价额]/.test(folded.charAt(start - 1))) continue;
    results.push({ ...parsed, raw: original.slice(start, end), start, end });
    taken.push([match.index, end]);
  }
  const arabic = new RegExp(ARABIC_AMOUNT.source, 'g');
  for (let match = arabic.exec(folded); match; match = arabic.exec(folded)) {
    const parsed = fromArabic(match, context, requireUnit);
    if (!parsed) continue;
    const start = match.index + leadingLabelLength(match[0]);
    const end = match.index + match[0].trimEnd().length;
    if (overlaps(match.index, end)) continue;
    results.push({ ...parsed, raw: original.slice(start, end), start, end });
  }
  return results.sort((a, b) => a.start - b.start);
}

export interface AmountPair {
  daxie: FoundAmount;
  /** The figure written in Arabic digits (小写). */
  arabic: FoundAmount;
  /** Exact equality of the two values in 万元; null when either is indeterminate. */
  equal: boolean | null;
  start: number;
  end: number;
}

// What may stand between the 大写 and 小写 forms of one amount: brackets, colons, the words 大写/小写/人民币/即.
const PAIR_GAP = /^(?:[\s()（）:：,，、\[\]【】;；]|大写|小写|人民币|金额|即|为|¥)*$/;

/** 大写/小写 pairs stating one amount twice ("人民币（大写）：壹佰贰拾万元整（小写）：¥1,200,000.00"), for GEN-04. */
export function findAmountPairs(text: string): AmountPair[] {
  const folded = foldWidth(text);
  const amounts = findAmounts(text);
  const pairs: AmountPair[] = [];
  for (let i = 0; i + 1 < amounts.length; i += 1) {
    const first = amounts[i]!;
    const second = amounts[i + 1]!;
    const daxie = first.form === 'daxie' ? first : second.form === 'daxie' ? second : null;
    const arabic = first.form === 'arabic' ? first : second.form === 'arabic' ? second : null;
    if (!daxie || !arabic || daxie === arabic) continue;
    if (!PAIR_GAP.test(folded.slice(first.end, second.start))) continue;
    const equal = daxie.wan !== null && arabic.wan !== null ? compareDecimalStrings(daxie.wan, arabic.wan) === 0 : null;
    pairs.push({ daxie, arabic, equal, start: first.start, end: second.end });
    i += 1;
  }
  return pairs;
}

const UNIT_WORD = String.raw`(亿元|百万元|万元|千元|元)`;
const UNIT_NOTE = new RegExp(String.raw`(?:金额|货币|计量)?单位\s*[:：]\s*(?:人民币\s*)?${UNIT_WORD}`);
const UNIT_IN_BRACKETS = new RegExp(String.raw`[(（]\s*(?:单位\s*[:：]?\s*)?(?:人民币\s*)?${UNIT_WORD}\s*[)）]`);
const UNIT_AFTER_SLASH = new RegExp(String.raw`[/／]\s*${UNIT_WORD}\s*$`);

/** A document-level unit note: "单位：万元", "金额单位：元", "（单位：万元）". */
export function detectUnitNote(text: string): AmountUnit | null {
  const match = UNIT_NOTE.exec(foldWidth(text));
  return match ? unitOfSuffix(match[1]!) : null;
}

/** The unit a column header or label carries: "金额（万元）", "项目投资(万元)", "单价/元". */
export function unitFromHeader(text: string): AmountUnit | null {
  const folded = foldWidth(text).trim();
  const match = UNIT_IN_BRACKETS.exec(folded) ?? UNIT_AFTER_SLASH.exec(folded);
  return match ? unitOfSuffix(match[1]!) : null;
}
