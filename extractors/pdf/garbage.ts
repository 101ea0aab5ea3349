import { COMMON_HAN, FUNCTION_HAN, KNOWN_HAN } from './han-frequency.ts';

/**
 * Decides whether a PDF page's text layer is worth keeping or the page must be OCR'd instead.
 *
 * A text layer can exist and still be garbage: a font without a usable ToUnicode map yields ASCII punctuation soup,
 * private-use code points or replacement characters, and some broken fonts map glyphs onto real but meaningless Han
 * characters. Counting CJK characters alone misses the last kind, so several independent signals are combined.
 *
 * Bump GARBAGE_DETECTOR_VERSION whenever a threshold or signal changes: it is part of the extraction cache key.
 */
export const GARBAGE_DETECTOR_VERSION = '1';

export type TextLayerVerdictReason =
  | 'clean'
  | 'no-text'
  | 'too-short'
  | 'unmapped-glyphs'
  | 'symbol-soup'
  | 'latin-soup'
  | 'rare-han'
  | 'meaningless-han';

export interface TextLayerScores {
  /** Characters other than whitespace. */
  visibleChars: number;
  /** Han + letters + digits. */
  meaningfulChars: number;
  hanChars: number;
  /** Punctuation and symbols over visible characters, after runs of one repeated character (dot leaders, form blanks) count once. */
  symbolShare: number;
  /** Private-use, replacement and control characters over visible characters. */
  unmappedShare: number;
  /**
   * ASCII punctuation that Chinese prose hardly uses (! " # $ & ' * + ; < = > ? @ [ \ ] ^ ` { | } ~), unmapped
   * characters and accented Latin letters other than pinyin, over visible characters after filler runs count once.
   * A font without a ToUnicode map spreads its glyphs over exactly these. Measured: the clean 99-page WPS file
   * ≤ 0.01 on every page, the garbled GB/T 42133 file ≥ 0.33 on every page.
   */
  junkShare: number;
  /** Han characters in GB2312 level 1 over all Han characters (1 when there is no Han). */
  commonHanShare: number;
  /** Han characters GBK can encode over all Han characters (1 when there is no Han). */
  knownHanShare: number;
  /** Grammar characters (的、是、在…) over all Han characters. */
  functionHanRate: number;
  /** Distinct Han characters over all Han characters: real text repeats itself, random picks hardly do. */
  distinctHanShare: number;
  /** Accented Latin letters other than pinyin tone vowels (Â, ß, ª…) over all Latin letters. */
  unusualLatinShare: number;
  /** Letter runs switching from lower to upper case inside the run (e.g. "UopqQr") over runs of 3+ letters. */
  caseChaosShare: number;
}

export interface TextLayerVerdict {
  usable: boolean;
  reason: TextLayerVerdictReason;
  scores: TextLayerScores;
}

/** Fewer meaningful characters than this and the page is treated as having no text worth trusting. */
const MIN_MEANINGFUL_CHARS = 5;
/** Shares above which one signal alone condemns a page (tests/pdf/garbage-detector.test.ts pins the cases). */
const MAX_SYMBOL_SHARE = 0.5;
const MAX_JUNK_SHARE = 0.15;
const MAX_UNMAPPED_SHARE = 0.1;
const MIN_UNMAPPED_CHARS = 3;
const MIN_KNOWN_HAN_SHARE = 0.8;
/** Han-script checks need a sample large enough for a share to mean something. */
const MIN_HAN_FOR_SHARES = 12;
const MIN_HAN_FOR_FUNCTION_RATE = 100;
/** Mainland text: ~0.97–1; Traditional-script text ~0.65; a shifted or random mapping 0.2–0.5. */
const MIN_COMMON_HAN_SHARE = 0.45;
/** Below this common share a long text must also show grammar characters to pass. */
const COMMON_HAN_SHARE_NEEDING_GRAMMAR = 0.9;
/** Prose 0.1–0.3, technical parameter lists down to ~0.04, meaningless sequences ~0.01. */
const MIN_FUNCTION_HAN_RATE = 0.04;
const RANDOM_FUNCTION_HAN_RATE = 0.015;
const RANDOM_DISTINCT_HAN_SHARE = 0.8;
const MIN_LETTERS_FOR_LATIN_CHECKS = 20;
const MAX_UNUSUAL_LATIN_SHARE = 0.2;
const MAX_CASE_CHAOS_SHARE = 0.25;

const HAN = /\p{Script=Han}/u;
const ASCII_LETTER = /[A-Za-z]/;
const ACCENTED_LATIN = /[\u00AA\u00BA\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F]/u;
/** Pinyin annotations (項(xiàng)) are real text in Chinese documents; their tone-marked vowels are not junk. */
const PINYIN_VOWEL = /[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙǕǗǙǛÜńňǹḿ]/u;
const LETTER = /\p{L}/u;
const ODD_ASCII_PUNCTUATION = /[!"#$&'*+;<=>?@[\\\]^`{|}~]/;
const DIGIT = /\p{Nd}/u;
const SYMBOL_OR_PUNCTUATION = /[\p{P}\p{S}]/u;
const PRIVATE_USE = /\p{Co}/u;
const CONTROL = /\p{Cc}/u;
const REPLACEMENT = '\uFFFD';
/** Runs of 3+ of one non-letter character: dot leaders, 下划线 blanks in forms, ——— rules. */
const REPEATED_FILLER = /([^\p{L}\p{Nd}])\1{2,}/gu;

export function judgeTextLayer(text: string): TextLayerVerdict {
  const visible = text.replace(/\s+/gu, '');
  const collapsed = visible.replace(REPEATED_FILLER, '$1');

  let han = 0;
  let commonHan = 0;
  let knownHan = 0;
  let functionHan = 0;
  const distinctHan = new Set<string>();
  let plainLatinLetters = 0;
  let unusualLatinLetters = 0;
  let otherLetters = 0;
  let digits = 0;
  let unmapped = 0;
  for (const char of visible) {
    if (HAN.test(char)) {
      han++;
      distinctHan.add(char);
      if (COMMON_HAN.has(char)) commonHan++;
      if (KNOWN_HAN.has(char)) knownHan++;
      if (FUNCTION_HAN.has(char)) functionHan++;
    } else if (ASCII_LETTER.test(char) || PINYIN_VOWEL.test(char)) {
      plainLatinLetters++;
    } else if (ACCENTED_LATIN.test(char)) {
      unusualLatinLetters++;
    } else if (LETTER.test(char)) {
      otherLetters++;
    } else if (DIGIT.test(char)) {
      digits++;
    } else if (isUnmapped(char)) {
      unmapped++;
    }
  }

  let symbols = 0;
  let junk = 0;
  let collapsedLength = 0;
  for (const char of collapsed) {
    collapsedLength++;
    if (SYMBOL_OR_PUNCTUATION.test(char)) symbols++;
    if (ODD_ASCII_PUNCTUATION.test(char) || isUnmapped(char) || isUnusualLatin(char)) junk++;
  }

  const visibleChars = [...visible].length;
  const latinLetters = plainLatinLetters + unusualLatinLetters;
  const letters = latinLetters + otherLetters;
  const scores: TextLayerScores = {
    visibleChars,
    meaningfulChars: han + letters + digits,
    hanChars: han,
    symbolShare: ratio(symbols, collapsedLength),
    unmappedShare: ratio(unmapped, visibleChars),
    junkShare: ratio(junk, collapsedLength),
    commonHanShare: han === 0 ? 1 : commonHan / han,
    knownHanShare: han === 0 ? 1 : knownHan / han,
    functionHanRate: ratio(functionHan, han),
    distinctHanShare: ratio(distinctHan.size, han),
    unusualLatinShare: ratio(unusualLatinLetters, latinLetters),
    caseChaosShare: caseChaosShare(text),
  };

  const verdict = (reason: TextLayerVerdictReason): TextLayerVerdict => ({ usable: reason === 'clean', reason, scores });

  if (visibleChars === 0) return verdict('no-text');
  if (unmapped >= MIN_UNMAPPED_CHARS && scores.unmappedShare > MAX_UNMAPPED_SHARE) return verdict('unmapped-glyphs');
  if (scores.meaningfulChars < MIN_MEANINGFUL_CHARS) return verdict('too-short');
  if (scores.junkShare > MAX_JUNK_SHARE) return verdict('symbol-soup');
  if (scores.symbolShare > MAX_SYMBOL_SHARE) return verdict('symbol-soup');

  if (latinLetters >= MIN_LETTERS_FOR_LATIN_CHECKS && latinLetters > han) {
    if (scores.unusualLatinShare > MAX_UNUSUAL_LATIN_SHARE) return verdict('latin-soup');
    if (scores.caseChaosShare > MAX_CASE_CHAOS_SHARE) return verdict('latin-soup');
  }

  if (han >= MIN_HAN_FOR_SHARES) {
    if (scores.knownHanShare < MIN_KNOWN_HAN_SHARE) return verdict('rare-han');
    if (scores.commonHanShare < MIN_COMMON_HAN_SHARE) return verdict('rare-han');
    if (han >= MIN_HAN_FOR_FUNCTION_RATE) {
      // Parameter lists and name tables are low on grammar too, so grammar alone condemns only what is also off the common set…
      if (scores.commonHanShare < COMMON_HAN_SHARE_NEEDING_GRAMMAR && scores.functionHanRate < MIN_FUNCTION_HAN_RATE) {
        return verdict('meaningless-han');
      }
      // …or what looks like random picks from it: no grammar and hardly a character repeated.
      if (scores.functionHanRate < RANDOM_FUNCTION_HAN_RATE && scores.distinctHanShare > RANDOM_DISTINCT_HAN_SHARE) {
        return verdict('meaningless-han');
      }
    }
  }

  return verdict('clean');
}

function isUnusualLatin(char: string): boolean {
  return ACCENTED_LATIN.test(char) && !PINYIN_VOWEL.test(char);
}

function isUnmapped(char: string): boolean {
  return char === REPLACEMENT || PRIVATE_USE.test(char) || CONTROL.test(char);
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

function caseChaosShare(text: string): number {
  let runs = 0;
  let chaotic = 0;
  for (const match of text.matchAll(/[A-Za-z]{3,}/g)) {
    runs++;
    // "iPhone" or "McKinsey" happen; lower→upper flips in most runs do not.
    if (/[a-z][A-Z]/.test(match[0])) chaotic++;
  }
  return ratio(chaotic, runs);
}
