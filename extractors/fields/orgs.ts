import { normalizeText } from '../normalize.ts';

/**
 * Organisation and project names: norm() of requirements §5.5, the project-name comparison of GEN-01, and the
 * 统一社会信用代码 check of GB 32100-2015 (§8 N-07).
 */

// Seal and signature annotations written after a name where the seal goes.
// Any short bracketed note about a seal or signature: (盖章), (盖单位章), (单位公章), (签字或盖章), (法定代表人签字)…
const SEAL_NOTE = /[(（\[【][^()（）\[\]【】]{0,8}(?:章|签字|签名)[^()（）\[\]【】]{0,4}[)）\]】]/g;
const TRAILING_SEAL_WORD = /(?:盖章|签章|公章)$/;
const OPEN_BRACKETS = /[（【〔［\[﹝〖「]/g;
const CLOSE_BRACKETS = /[）】〕］\]﹞〗」]/g;
const EDGE_PUNCTUATION = /^[\s:：,，。;；、.．·"“”'‘’]+|[\s:：,，。;；、.．·"“”'‘’]+$/g;

/** Aliases a document defines, normalised: alias → full name. */
export type AliasTable = ReadonlyMap<string, string>;

/**
 * norm(x) of §5.5: width folding, whitespace and "（盖章）"/"(章)" removed, one bracket form, Simplified characters, and
 * the document's own aliases ("(以下简称X)") resolved to the full name.
 */
export function normOrg(name: string, aliases?: AliasTable): string {
  const base = normalizeText(name)
    .replace(/\s+/g, '')
    .replace(SEAL_NOTE, '')
    .replace(OPEN_BRACKETS, '(')
    .replace(CLOSE_BRACKETS, ')')
    .replace(EDGE_PUNCTUATION, '')
    .replace(TRAILING_SEAL_WORD, '')
    .replace(EDGE_PUNCTUATION, '');
  return aliases?.get(base) ?? base;
}

const ALIAS_DEFINITION =
  /([^\s:：,，。;；、()（）]{2,60}?)\s*[(（]\s*(?:以下|下文)?\s*(?:简称|称)\s*[:：]?\s*["“「『'‘]?([^"”」』'’()（）]{1,24}?)["”」』'’]?\s*[)）]/g;

/** Aliases defined inside a text: "市信息化管理办公室(以下简称市信息办)" → 市信息办 → 市信息化管理办公室 (normalised). */
export function findAliases(text: string): Map<string, string> {
  const normalized = normalizeText(text);
  const table = new Map<string, string>();
  for (const match of normalized.matchAll(ALIAS_DEFINITION)) {
    const full = normOrg(match[1]!.replace(/^.*[:：]/, ''));
    const alias = normOrg(match[2]!);
    if (full && alias && full !== alias) table.set(alias, full);
  }
  return table;
}

const ORG_SUFFIXES = [
  '有限责任公司', '股份有限公司', '有限公司', '分公司', '公司', '集团', '研究院', '设计院', '研究所', '事务所', '中心', '办公室',
  '委员会', '管理局', '局', '厅', '委', '办', '院', '所', '站', '馆', '部', '处', '科', '队', '社', '会', '行', '校', '大学', '学院',
  '医院', '政府', '机关', '室', '署', '台', '园', '组', '厂', '矿', '场',
];
const ORG_SUFFIX = new RegExp(`(?:${ORG_SUFFIXES.join('|')})(?:\\([^()]{1,20}\\))?$`);
// Words that end like an organisation but are role descriptions or boilerplate.
const NOT_AN_ORG = /^(?:各有关单位|有关单位|各单位|本单位|我单位|你单位|贵单位|贵公司|我公司|本公司|甲方|乙方|丙方|建设单位|监理单位|承建单位|专家组|验收组|项目组|工作组|评审组|领导小组)$/;

/** Whether a short text reads as an organisation's name (ends like one, no sentence punctuation, sane length). */
export function looksLikeOrg(text: string): boolean {
  const name = normOrg(text);
  if (name.length < 3 || name.length > 60) return false;
  if (/[，。；;！？!?：:、]/.test(name)) return false;
  if (NOT_AN_ORG.test(name)) return false;
  if (/^[\d.\-\s]+$/.test(name)) return false;
  return ORG_SUFFIX.test(name);
}

// --- project names (GEN-01) ---

const PROJECT_SUFFIXES = ['建设项目', '建设工程', '项目', '工程', '系统', '建设'];
const PROJECT_PUNCTUATION = /[\p{P}\p{S}\s]/gu;

/**
 * GEN-01 normalisation: 《》, quotes, whitespace and punctuation removed, Simplified characters, and the suffixes
 * 建设项目 / 项目 / 工程 / 系统 stripped (repeatedly: "XX系统建设项目" → "XX").
 */
export function normProjectName(name: string): string {
  let text = normalizeText(name).replace(PROJECT_PUNCTUATION, '');
  for (let changed = true; changed; ) {
    changed = false;
    for (const suffix of PROJECT_SUFFIXES) {
      if (text.endsWith(suffix) && text.length > suffix.length + 1) {
        text = text.slice(0, -suffix.length);
        changed = true;
      }
    }
  }
  return text;
}

const CN_PHASE_DIGITS: Record<string, string> = { 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9', 十: '10' };
const ROMAN_PHASE: Record<string, string> = { Ⅰ: '1', Ⅱ: '2', Ⅲ: '3', Ⅳ: '4', Ⅴ: '5', I: '1', II: '2', III: '3', IV: '4', V: '5' };
const PHASE = /第?([一二三四五六七八九十]|\d{1,2}|Ⅰ|Ⅱ|Ⅲ|Ⅳ|Ⅴ|III|II|IV|I|V)期/;
const YEAR = /((?:19|20)\d{2})(?:年度|年)?/;

export interface ProjectNameParts {
  /** normProjectName without phase marker and year. */
  core: string;
  /** Phase number as digits ("2" for 二期), or null. */
  phase: string | null;
  year: string | null;
}

export function projectNameParts(name: string): ProjectNameParts {
  const normalized = normProjectName(name);
  const phaseMatch = PHASE.exec(normalized);
  const phaseToken = phaseMatch?.[1];
  const phase = phaseToken ? CN_PHASE_DIGITS[phaseToken] ?? ROMAN_PHASE[phaseToken] ?? String(Number(phaseToken)) : null;
  const yearMatch = YEAR.exec(normalized);
  let core = normalized;
  if (phaseMatch) core = core.replace(phaseMatch[0], '');
  if (yearMatch) core = core.replace(yearMatch[0], '');
  return { core, phase, year: yearMatch?.[1] ?? null };
}

function bigrams(text: string): Map<string, number> {
  const chars = [...text];
  const grams = new Map<string, number>();
  const units = chars.length < 2 ? chars : chars.slice(0, -1).map((ch, i) => ch + chars[i + 1]);
  for (const gram of units) grams.set(gram, (grams.get(gram) ?? 0) + 1);
  return grams;
}

/** Dice coefficient over character bigrams: 1 for identical texts, 0 for texts sharing no bigram. */
export function bigramSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const x = bigrams(a);
  const y = bigrams(b);
  let shared = 0;
  let total = 0;
  for (const [gram, count] of x) {
    shared += Math.min(count, y.get(gram) ?? 0);
    total += count;
  }
  for (const count of y.values()) total += count;
  return total === 0 ? 0 : (2 * shared) / total;
}

export interface ProjectNameComparison {
  same: boolean;
  /** Similarity of the cores (names without phase and year), 0–1. */
  similarity: number;
  samePhase: boolean;
  sameYear: boolean;
  a: ProjectNameParts;
  b: ProjectNameParts;
}

/**
 * GEN-01: two names name the same project when their normal forms are equal, or when their cores have a similarity
 * of at least 0.9 and they carry identical phase markers and identical years.
 */
export function compareProjectNames(first: string, second: string, threshold = 0.9): ProjectNameComparison {
  const a = projectNameParts(first);
  const b = projectNameParts(second);
  const similarity = bigramSimilarity(a.core, b.core);
  const samePhase = a.phase === b.phase;
  const sameYear = a.year === b.year;
  const same = normProjectName(first) === normProjectName(second) || (similarity >= threshold && samePhase && sameYear);
  return { same, similarity, samePhase, sameYear, a, b };
}

// --- 统一社会信用代码 (GB 32100-2015) ---

const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character a 17-character code body requires, or null if the body uses characters outside the set. */
export function creditCodeCheckCharacter(body: string): string | null {
  if (body.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = CREDIT_CODE_CHARSET.indexOf(body[i]!);
    if (value < 0) return null;
    sum += value * CREDIT_CODE_WEIGHTS[i]!;
  }
  return CREDIT_CODE_CHARSET[(31 - (sum % 31)) % 31]!;
}

/** 18 characters from the GB 32100 set (no I, O, Z, S, V) with a correct check character. */
export function isValidCreditCode(code: string): boolean {
  const text = normalizeText(code).replace(/\s+/g, '').toUpperCase();
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(text)) return false;
  return creditCodeCheckCharacter(text.slice(0, 17)) === text[17];
}

const CREDIT_CODE_LABELED = /(?:统一社会信用代码|社会信用代码|信用代码)\s*[:：]?\s*([0-9A-Za-z]{18})(?![0-9A-Za-z])/g;

export interface FoundCreditCode {
  code: string;
  valid: boolean;
  start: number;
  end: number;
}

// OCR and some layouts space the code out in groups ("9143 0700 MA4L 1234 59").
const CREDIT_CODE_SPACED = /(?:统一社会信用代码|社会信用代码|信用代码)\s*[:：]?\s*([0-9A-Za-z](?:[ \t]?[0-9A-Za-z]){17})(?![0-9A-Za-z])/g;

/** Labelled 统一社会信用代码 in a text, each checked against GB 32100. */
export function findCreditCodes(text: string): FoundCreditCode[] {
  const found: FoundCreditCode[] = [];
  for (const match of text.matchAll(CREDIT_CODE_LABELED)) {
    const code = match[1]!.toUpperCase();
    const start = match.index! + match[0].length - match[1]!.length;
    found.push({ code, valid: isValidCreditCode(code), start, end: start + code.length });
  }
  if (found.length > 0) return found;
  // A spaced-out code is taken only when its check character holds: spaces make a chance run of 18 characters likelier.
  for (const match of text.matchAll(CREDIT_CODE_SPACED)) {
    const code = match[1]!.replace(/[ \t]/g, '').toUpperCase();
    if (!isValidCreditCode(code)) continue;
    const start = match.index! + match[0].length - match[1]!.length;
    found.push({ code, valid: true, start, end: start + match[1]!.length });
  }
  return found;
}

export interface OrgIdentity {
  name: string;
  creditCode?: string | null;
  aliases?: AliasTable;
}

/**
 * §5.5 identity: by valid 统一社会信用代码 when both sides have one, then by the exact normalised name (aliases
 * resolved). Similar names never count as the same organisation.
 */
export function sameOrg(a: OrgIdentity, b: OrgIdentity): boolean {
  const codeA = a.creditCode && isValidCreditCode(a.creditCode) ? a.creditCode.toUpperCase() : null;
  const codeB = b.creditCode && isValidCreditCode(b.creditCode) ? b.creditCode.toUpperCase() : null;
  if (codeA && codeB) return codeA === codeB;
  return normOrg(a.name, a.aliases) === normOrg(b.name, b.aliases);
}
