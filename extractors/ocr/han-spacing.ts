/**
 * Tesseract separates recognised symbols with spaces; in Chinese those spaces are artefacts, not text.
 * Removes horizontal whitespace between two Han characters, and between Han characters and full-width
 * (CJK) punctuation, on either side. Line breaks stay; spaces around Latin words and digits stay, because they
 * may be real ("第 11 页", "NNBM 8124").
 */
const HAN = String.raw`\p{Script=Han}`;
const CJK_PUNCTUATION = String.raw`\u3000-\u303F\uFF01-\uFF0F\uFF1A-\uFF20\uFF3B-\uFF40\uFF5B-\uFF65\u2014\u2018\u2019\u201C\u201D\u2026\u00B7`;
const CJK_CHAR = `[${HAN}${CJK_PUNCTUATION}]`;
const SPACE_BETWEEN_CJK = new RegExp(`(?<=${CJK_CHAR})[ \\t\\u00A0\\u3000]+(?=${CJK_CHAR})`, 'gu');

export function removeSpacesBetweenHan(text: string): string {
  return text.replace(SPACE_BETWEEN_CJK, '');
}

/**
 * Vertical bars: tesseract reads the vertical rules of a ruled table (and page borders) as `|`. Chinese dossier
 * text has no use for the character, so it is dropped rather than left between cells (`数量 |单价`).
 */
const TABLE_RULE = /[ \t]*[|｜¦][ \t]*/gu;

/**
 * OCR page text as delivered to extractors: table-rule bars dropped, CJK spacing removed, each line trimmed (tesseract's leading blanks are
 * column positions, not indentation anyone typed), line breaks kept, runs of blank lines reduced to one.
 */
export function normalizeOcrText(raw: string): string {
  const lines = raw.replace(/\r\n?/g, '\n').split('\n');
  const cleaned = lines.map((line) => removeSpacesBetweenHan(line.replace(TABLE_RULE, ' ')).replace(/^[ \t\u00A0]+|[ \t\u00A0]+$/gu, ''));
  return cleaned
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
