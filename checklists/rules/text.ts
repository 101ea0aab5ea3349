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
