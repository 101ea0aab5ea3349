import { foldWidth } from '../normalize.ts';

/**
 * 文号 (requirements §5.4): issuer abbreviation + year in brackets + sequence + 号, e.g. 益政办发〔2022〕22号.
 * Brackets [ ] ［ ］ 【 】 ( ) （ ） ﹝ ﹞ 〔 〕 and OCR's mixed pairs are all read as 〔〕; "第" and leading zeros are
 * tolerated. 索引号 (006466311/2022-1652089) and 统一登记号 (YYCR-2022-01017) have no bracketed year and never match.
 */

export interface DocNumber {
  /** Canonical form: 益政办发〔2022〕22号. */
  normalized: string;
  issuerAbbrev: string;
  year: number;
  sequence: number;
  raw: string;
  start: number;
  end: number;
}

const OPEN = '[〔\\[［【(（﹝〖]';
const CLOSE = '[〕\\]］】)）﹞〗]';
const DOC_NUMBER = new RegExp(
  `([\\u4e00-\\u9fa5A-Za-z]{1,14})\\s*${OPEN}\\s*((?:19|20)\\d{2})\\s*${CLOSE}\\s*第?\\s*(\\d{1,6})\\s*号`,
  'g',
);
// Words that run into an abbreviation in prose ("根据益政办发〔2022〕22号"); they are never part of one.
// Single characters such as 经 are left alone: they start real abbreviations too (常经信发).
const LEADING_PROSE = /^.*(?:根据|依据|按照|依照|参照|详见|对照|文件|通知|印发|下发|转发|批复|关于|精神|规定|要求|以及)(?=[\u4e00-\u9fa5A-Za-z]{2,})/;

/** Every 文号 in a text, canonicalised. */
export function findDocNumbers(text: string): DocNumber[] {
  const folded = foldWidth(text);
  const results: DocNumber[] = [];
  const regex = new RegExp(DOC_NUMBER.source, 'g');
  for (let match = regex.exec(folded); match; match = regex.exec(folded)) {
    let prefix = match[1]!;
    const stripped = LEADING_PROSE.exec(prefix);
    if (stripped) prefix = prefix.slice(stripped[0].length);
    // A conjunction before the abbreviation ("…）和常经信发〔2021〕5号") is prose. Short abbreviations keep a leading
    // 和 because it can be a place (和县: 和政发).
    if (/^[和及与或的、]/.test(prefix) && prefix.length > 3) prefix = prefix.slice(1);
    if (/索引|登记/.test(prefix)) continue;
    const year = Number(match[2]);
    const sequence = Number(match[3]);
    const start = match.index + (match[1]!.length - prefix.length);
    const end = match.index + match[0].length;
    results.push({
      normalized: `${prefix}〔${year}〕${sequence}号`,
      issuerAbbrev: prefix,
      year,
      sequence,
      raw: text.slice(start, end),
      start,
      end,
    });
  }
  return results;
}

/** The first 文号 in a text, or null. */
export function parseDocNumber(text: string): DocNumber | null {
  return findDocNumbers(text)[0] ?? null;
}

/** Canonical form of a 文号 for comparison; the text itself (whitespace removed) if it does not parse. */
export function normDocNumber(text: string): string {
  return parseDocNumber(text)?.normalized ?? foldWidth(text).replace(/\s+/g, '');
}
