import nzhcn from 'nzh/cn';

/**
 * Chinese numerals → decimal strings, via nzh's lower-case decoder.
 *
 * nzh reads 一二三/十百千万亿/点 correctly (exact, as strings), but it silently returns garbage for characters it does not
 * know ("两百" → 0, "二〇" → 2, its Traditional 大写 decoder mixes 萬 and 万), so every input is first rewritten into
 * the one alphabet nzh's lower-case decoder knows and rejected if anything else is left.
 */

const TO_LOWER_CASE: Record<string, string> = {
  壹: '一', 贰: '二', 貳: '二', 贑: '二', 弍: '二', 叁: '三', 參: '三', 叄: '三', 肆: '四', 伍: '五', 陆: '六', 陸: '六',
  柒: '七', 捌: '八', 玖: '九', 拾: '十', 什: '十', 佰: '百', 陌: '百', 仟: '千', 阡: '千', 萬: '万', 億: '亿',
  两: '二', 兩: '二', 〇: '零', '○': '零', 點: '点',
};

/** Characters accepted anywhere in a Chinese numeral (lower-case, 大写, Traditional, zero forms). */
export const CHINESE_NUMERAL_CHARS = '零〇○一二三四五六七八九十百千万亿点两兩壹贰貳叁參叄肆伍陆陸柒捌玖拾佰仟萬億點廿卅';
/** Characters that only occur in 大写 (financial) numerals. */
export const DAXIE_CHARS = '壹贰貳叁參叄肆伍陆陸柒捌玖拾佰仟';

const LOWER_ALPHABET = /^[零一二三四五六七八九十百千万亿点]+$/;
const DIGIT_OF: Record<string, string> = {
  零: '0', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9',
};
const NEXT_LOWER_UNIT: Record<string, string> = { 十: '', 百: '十', 千: '百', 万: '千', 亿: '千万' };

function toLowerCaseAlphabet(text: string): string {
  return [...text.replace(/廿/g, '二十').replace(/卅/g, '三十')].map((ch) => TO_LOWER_CASE[ch] ?? ch).join('');
}

/**
 * Spoken shorthand "一万二" (12000), "三千五" (3500), "一百二" (120): a final digit right after a unit, with no 零
 * in between, counts in the next lower unit. nzh would read "一万二" as 10002.
 */
function expandSpokenShorthand(lower: string): string {
  const match = /([百千万亿])([一二三四五六七八九])$/.exec(lower);
  if (!match) return lower;
  const [, unit, digit] = match as unknown as [string, string, string];
  const before = lower.slice(0, lower.length - 2);
  // "一千零五" or "十二" end in a plain digit legitimately; only a unit directly before the digit is shorthand.
  if (before.endsWith('零')) return lower;
  return `${before}${unit}${digit}${NEXT_LOWER_UNIT[unit] ?? ''}`;
}

/**
 * Decodes a Chinese numeral such as "一百二十点五", "壹佰贰拾叁万肆仟伍佰", "两千", "拾万" (a leading 拾 means 壹拾) to a
 * plain decimal string ("120.5", "1234500", "2000", "100000"). Returns null when the text is not a well-formed
 * numeral. Pure digit sequences ("二〇二三") are read positionally.
 */
export function decodeChineseNumber(text: string): string | null {
  const lower = toLowerCaseAlphabet(text.trim());
  if (!lower || !LOWER_ALPHABET.test(lower)) return null;
  if (!/[一二三四五六七八九十零]/.test(lower)) return null;
  if ((lower.match(/点/g) ?? []).length > 1) return null;
  const [integerPart = '', fractionPart] = lower.split('点');
  if (fractionPart !== undefined && !/^[零一二三四五六七八九]+$/.test(fractionPart)) return null;
  // A run of bare digits, e.g. a year "二〇一二" or "一二三": positional.
  if (integerPart && /^[零一二三四五六七八九]+$/.test(integerPart) && integerPart.length > 1) {
    const whole = [...integerPart].map((ch) => DIGIT_OF[ch]).join('');
    const fraction = fractionPart ? [...fractionPart].map((ch) => DIGIT_OF[ch]).join('') : '';
    return normaliseDigits(fraction ? `${whole}.${fraction}` : whole);
  }
  const prepared = expandSpokenShorthand(integerPart) + (fractionPart !== undefined ? `点${fractionPart}` : '');
  const decoded = (nzhcn.decodeS as (s: string, o: object) => string)(prepared || '零', { outputString: true });
  if (typeof decoded !== 'string' || !/^\d+(\.\d+)?$/.test(decoded)) return null;
  return normaliseDigits(decoded);
}

function normaliseDigits(text: string): string {
  const [whole = '0', fraction] = text.split('.');
  const wholeTrimmed = whole.replace(/^0+(?=\d)/, '');
  const fractionTrimmed = fraction?.replace(/0+$/, '');
  return fractionTrimmed ? `${wholeTrimmed}.${fractionTrimmed}` : wholeTrimmed;
}

/** Reads the digits of a year written digit by digit: "二○一二" / "二〇二三" / "二零二四" → 2012 / 2023 / 2024. */
export function decodeChineseYear(text: string): number | null {
  const lower = toLowerCaseAlphabet(text.trim()).replace(/[Oo]/g, '零');
  if (!/^[零一二三四五六七八九]{4}$/.test(lower)) return null;
  return Number([...lower].map((ch) => DIGIT_OF[ch]).join(''));
}

/** Small numbers for months and days: "三" → 3, "十二" → 12, "二十一" → 21, "卅一" → 31. */
export function decodeSmallChineseNumber(text: string): number | null {
  const lower = toLowerCaseAlphabet(text.trim());
  if (!/^[一二三四五六七八九十零]+$/.test(lower)) return null;
  const decoded = decodeChineseNumber(lower);
  return decoded === null ? null : Number(decoded);
}
