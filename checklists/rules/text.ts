import { foldForMatching } from '../../extractors/normalize.ts';
import type { RuleContext, RuleEvidence, RuleFile } from './context.ts';

/**
 * Reading a document's text for the content rules (K) and the rules that look for a statement. A section is present
 * when a heading or a defining sentence says so, never because a word merely appears somewhere; a flag quotes the
 * sentence that raised it, and a sentence that negates the thing ("不再新建机房") raises nothing.
 */

export interface Sentence {
  path: string;
  page: number;
  /** Folded for matching (no whitespace, full-width forms unified): what the patterns run on and the quote shows. */
  text: string;
}

/** Files of any of the doc types (all readable files when none are named). */
export function filesOf(ctx: RuleContext, docTypes: readonly string[] | undefined): RuleFile[] {
  if (!docTypes || docTypes.length === 0) return [...ctx.files];
  return ctx.files.filter((f) => f.docTypes.some((t) => docTypes.includes(t)) || f.sections.some((s) => docTypes.includes(s.docType)));
}

/** Sentences ending at 。！？； or a line break, each with its page. */
export function sentencesOf(files: readonly RuleFile[]): Sentence[] {
  const out: Sentence[] = [];
  for (const f of files) {
    for (const p of f.pages) {
      for (const raw of p.text.split(/[。！？!?；;\n]+/)) {
        const text = foldForMatching(raw);
        if (text.length >= 2) out.push({ path: f.path, page: p.n, text });
      }
    }
  }
  return out;
}

const NUMBERED = /^(第[一二三四五六七八九十百\d]+[章节部分篇条]|[一二三四五六七八九十]+[、.．]|\d+(\.\d+)*[、.．]?(?=\D)|[（(][一二三四五六七八九十\d]+[)）]|附件\d*|附表\d*)/;

/**
 * Heading lines: numbered (第三章, 一、, 3.2, （四）) or short lines without sentence punctuation, as a table of contents,
 * a chapter title or a table's row label shows them. The classifier's own section headings count too.
 */
export function headingsOf(files: readonly RuleFile[]): Sentence[] {
  const out: Sentence[] = [];
  for (const f of files) {
    for (const s of f.sections) out.push({ path: f.path, page: s.page, text: foldForMatching(s.heading) });
    for (const p of f.pages) {
      for (const raw of p.text.split('\n')) {
        const text = foldForMatching(raw).replace(/[.…·]{3,}\d*$/, '');
        if (text.length < 2 || text.length > 40) continue;
        if (NUMBERED.test(text) || (text.length <= 24 && !/[，,。；;：:]/.test(text.slice(0, -1)))) out.push({ path: f.path, page: p.n, text });
      }
    }
  }
  return out;
}

/** A heading line: its text without the numbering, and whether it was numbered (一、, （二）, 3.2, 第三章). */
export interface Title extends Sentence {
  numbered: boolean;
}

/**
 * The titles a section is named by: the classifier's sections, numbered lines (第三章, 一、, （四）, 3.2, a table of
 * contents' entries) and short lines without sentence punctuation, each without its numbering.
 */
export function sectionTitles(files: readonly RuleFile[]): Title[] {
  const out: Title[] = [];
  for (const f of files) {
    for (const s of f.sections) out.push({ path: f.path, page: s.page, text: foldForMatching(s.heading).replace(HEADING_NUMBER, ''), numbered: true });
    for (const p of f.pages) {
      for (const raw of p.text.split('\n')) {
        const text = foldForMatching(raw).replace(/[.…·]{3,}\d*$/, '');
        if (text.length < 2 || text.length > 40) continue;
        const bare = text.replace(HEADING_NUMBER, '');
        const numbered = bare !== text;
        // A heading carries no sentence punctuation; a numbered one may be longer than a table's caption.
        if (/[，,。；;]/.test(bare.slice(0, -1)) || bare.length > (numbered ? 30 : 24) || bare.length < 2) continue;
        out.push({ path: f.path, page: p.n, text: bare.replace(/^\d+/, ''), numbered });
      }
    }
  }
  return out;
}

/** A heading's numbering: 第三章, 一、, （四）, 3.2, 3、 (not a count such as 3台: whitespace is folded away). */
const HEADING_NUMBER = /^(第[一二三四五六七八九十百\d]+[章节部分篇条]|[一二三四五六七八九十]+[、.．]|\d+(\.\d+)+[、.．]?|\d+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|附件\d*[:：]?|附表\d*[:：]?)/;

/** Words that send the reader elsewhere: the line mentions a section, it is not one ("详见安全方案"). */
const REFERS = /^(详见|参见|参照|见|按照|依据|根据|按)/;

/**
 * A title names a section `term` (folded): a numbered title carrying the term, or an unnumbered short line that starts
 * with it (after 本项目/项目/系统), as a chapter title or a table's caption does; never a line that refers elsewhere.
 */
export function namesSection(title: Title, term: string): boolean {
  if (REFERS.test(title.text) || !title.text.includes(term)) return false;
  if (title.numbered) return !new RegExp(`(详见|参见|见)[^，,。]{0,6}${escape(term)}`).test(title.text);
  // Unnumbered, it must read as a caption (设备清单及价格, 数据负面清单（无）), not a short sentence about the thing.
  const bare = title.text.replace(/^(本项目|本工程|本系统|项目|系统)的?/, '').replace(/[。；;]$/, '');
  if (!bare.startsWith(term) || /[。；;]$/.test(title.text)) return false;
  const rest = bare.slice(term.length);
  return rest.length <= 10 && !/详见|参见|另行|按照|按有关|见附/.test(rest);
}

/**
 * A defining sentence of a section `term` (folded): the sentence opens with the term (after 本项目/项目的…) and goes on
 * to say what it is ("本项目密码应用方案如下", "项目资金来源为…", "系统架构采用…"), or a chapter says it covers it
 * ("本章说明系统架构…"). A sentence that only refers to it ("详见安全方案") is none.
 */
export function definesSection(sentence: string, term: string): boolean {
  const t = escape(term);
  const opens = new RegExp(`^(本项目|本工程|本系统|本方案|项目|系统)?的?${t}[^，,。；;]{0,8}?(如下|为|包括|主要包括|主要有|分为|采用|共计|合计|详见下表|见下表)`);
  const chapter = new RegExp(`^本(章|节|部分|篇)(主要)?(说明|介绍|阐述|描述|明确|论述|规定|列出|给出)[^。]{0,30}${t}`);
  return opens.test(sentence) || chapter.test(sentence);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Words that negate what follows within a few characters: "不再新建", "无需单独建设", "严禁…". */
const NEGATION = /(不|无需|无须|未|禁止|严禁|避免|杜绝|不得|不再|无|非)[^，,。；;]{0,6}$/;

/** The sentences a pattern matches where the match is not negated just before it. */
export function affirmed(sentences: readonly Sentence[], pattern: RegExp, unless?: RegExp): Sentence[] {
  return sentences.filter((s) => {
    if (unless && unless.test(s.text)) return false;
    for (const m of s.text.matchAll(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`))) {
      if (!NEGATION.test(s.text.slice(Math.max(0, m.index - 8), m.index))) return true;
    }
    return false;
  });
}

export function evidenceOf(s: Sentence): RuleEvidence {
  return { path: s.path, page: s.page, quote: s.text.length > 120 ? `${s.text.slice(0, 120)}…` : s.text };
}

/**
 * Patterns are data (checklist YAML); they are compiled once each, case-insensitive because folded text is lower
 * case (GB/T → gb/t, CMA → cma).
 */
const compiled = new Map<string, RegExp>();
export function pattern(source: string): RegExp {
  let re = compiled.get(source);
  if (!re) compiled.set(source, (re = new RegExp(source, 'i')));
  return re;
}

/** Several patterns as one (any of them). */
export function anyOf(sources: readonly string[]): RegExp {
  return pattern(sources.map((s) => `(?:${s})`).join('|'));
}
