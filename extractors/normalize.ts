import * as OpenCC from 'opencc-js/t2cn';

/**
 * Text normalisation applied to every extracted page (requirements §0.4), plus a stronger fold for substring matching.
 *
 * Order matters: pinyin annotations must go before Traditional→Simplified conversion (§0.4 step 1 then 2), and width
 * folding must come before pinyin removal so that full-width parentheses around pinyin are recognised too.
 */

/** Bumped whenever the output of normalizeText can change; part of the extraction cache key. */
export const NORMALIZE_VERSION = 'normalize-1';

// `t` (OpenCC standard Traditional) accepts Taiwan and Hong Kong variants alike; the dictionaries ship inside the
// package, so building the converter once costs ~25 ms and needs no network.
const traditionalToSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
// Every space-like character other than newline, including the ideographic space U+3000 and NBSP.
const HORIZONTAL_SPACE = /[ \t\f\v\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g;

const HAN = '\\p{Script=Han}';
// Punctuation that sits flush against Han text in Chinese typesetting, so a space beside it is an OCR/layout artefact.
// Deliberately excludes `|` (our table-cell separator) and the Latin letters.
const CJK_PUNCT = '、。〃〈〉《》「」『』【】〔〕〖〗〘〙〚〛〝〞〟“”‘’…—·';
const FLUSH = `${CJK_PUNCT},.:;!?()\\[\\]%0-9`;
const SPACE_BETWEEN_HAN = new RegExp(`(?<=[${HAN}])[ ]+(?=[${HAN}])`, 'gu');
const SPACE_HAN_THEN_FLUSH = new RegExp(`(?<=[${HAN}])[ ]+(?=[${FLUSH}])`, 'gu');
const SPACE_FLUSH_THEN_HAN = new RegExp(`(?<=[${FLUSH}])[ ]+(?=[${HAN}])`, 'gu');
const SPACE_BETWEEN_CJK_PUNCT = new RegExp(`(?<=[${CJK_PUNCT}])[ ]+(?=[${CJK_PUNCT}])`, 'gu');

const TONE_MARKED = 'āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ';
const PINYIN_LETTERS = `a-zA-Zü${TONE_MARKED}${TONE_MARKED.toUpperCase()}`;
// A bracketed pinyin annotation right after a Han character, e.g. 項(xiàng). A tone mark is required so that real
// bracketed Latin text such as 操作系统(linux) or 数据库(MySQL) is never taken for pinyin; the neutral-tone syllables
// that carry no mark are listed explicitly.
const PINYIN_ANNOTATION = new RegExp(
  `(?<=[${HAN}])\\((?:(?=[${PINYIN_LETTERS} ]*[${TONE_MARKED}${TONE_MARKED.toUpperCase()}])[${PINYIN_LETTERS}]+(?: [${PINYIN_LETTERS}]+)*|de|le|me|men|ne|zi)\\)`,
  'gu',
);

/** Full-width ASCII (U+FF01–U+FF5E) to ASCII; the ideographic space and ￥ as well. Chinese-only punctuation stays. */
export function foldWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E\uFFE5]/g, (ch) => {
    const code = ch.charCodeAt(0);
    if (code === 0xffe5) return '¥';
    return String.fromCharCode(code - 0xfee0);
  });
}

/** Removes pinyin annotations such as the "(xiàng)" in "項(xiàng)目" (§0.4 step 1). Expects width-folded input. */
export function stripPinyinAnnotations(s: string): string {
  return foldWidth(s.normalize('NFC')).replace(PINYIN_ANNOTATION, '');
}

export function toSimplified(s: string): string {
  return traditionalToSimplified(s);
}

/** Drops the spaces OCR and some PDF producers put between Chinese characters, keeping those between Latin words. */
export function removeSpacesInHanText(line: string): string {
  return line
    .replace(SPACE_BETWEEN_HAN, '')
    .replace(SPACE_HAN_THEN_FLUSH, '')
    .replace(SPACE_FLUSH_THEN_HAN, '')
    .replace(SPACE_BETWEEN_CJK_PUNCT, '');
}

/**
 * The canonical form of extracted text: NFC, no zero-width characters, `\n` line endings, ASCII forms of full-width
 * letters/digits/punctuation, pinyin annotations removed, Simplified characters, no spaces inside Chinese text,
 * single spaces elsewhere, trimmed lines, at most one blank line in a row. Quotes are left as written.
 * Idempotent: normalizeText(normalizeText(s)) === normalizeText(s).
 */
export function normalizeText(s: string): string {
  let text = s.replace(ZERO_WIDTH, '').replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n');
  text = stripPinyinAnnotations(text);
  text = toSimplified(text);
  text = text
    .split('\n')
    .map((line) => removeSpacesInHanText(line.replace(HORIZONTAL_SPACE, ' ')).trim())
    .join('\n');
  return text.replace(/\n{3,}/g, '\n\n').trim();
}

/**
 * Full-width digits and Latin letters ("２０２４年", "６.４", "ＸＸ项目"), as a Chinese word processor often sets them, in
 * their ASCII forms; punctuation and brackets are left as they are, so a raw line keeps its quotes' look (foldWidth,
 * which normalizeText applies, folds them all).
 */
export function toHalfWidthAlnum(s: string): string {
  return s.replace(/[０-９Ａ-Ｚａ-ｚ．]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/**
 * A key for substring matching of titles and terms: normalizeText, then no whitespace at all, one form of double
 * quote ("), one of single quote ('), 〇 for the zero forms ○/〇, Latin letters in lower case.
 * 零 is not folded here: it equals 〇 only inside dates (§0.4), which the date parser handles.
 */
export function foldForMatching(s: string): string {
  return normalizeText(s)
    .replace(/\s+/g, '')
    .replace(/[“”„‟"＂〝〞]/g, '"')
    .replace(/[‘’‚‛']/g, "'")
    .replace(/[○〇]/g, '〇')
    .toLowerCase();
}
