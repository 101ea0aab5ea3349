import { z } from 'zod';
import type { Page } from '../extractors/model.ts';
import { foldForMatching } from '../extractors/normalize.ts';
import type { Catalogue } from './catalogue-schema.ts';

/**
 * Classification of one file into the doc types of the catalogue (checklists/catalogue.yaml).
 *
 * Chinese document titles are head-final ("关于《X可行性研究报告》的批复" is a 批复, not a 可研), so within a title line the
 * type whose term ends last wins, and among those the longest (most specific) term. The title on the first page weighs
 * most; content markers support a weak or missing title; the file name helps but never beats a title found in the
 * content. Lines that merely mention another document ("详见监理报告", "根据可行性研究报告") are never title lines.
 */

/** `officer`: an officer set the type by hand (pipeline/corrections), which overrides every other rule. */
export const ClassificationRuleSchema = z.enum(['title', 'combined-title', 'heading', 'content', 'file-name', 'officer']);

export const DocTypeEvidenceSchema = z.object({
  page: z.number().int().positive().optional(),
  quote: z.string(),
  rule: ClassificationRuleSchema,
  term: z.string().optional(),
});

export const DocTypeMatchSchema = z.object({
  id: z.string(),
  confidence: z.number().min(0).max(1),
  evidence: DocTypeEvidenceSchema,
});
export type DocTypeMatch = z.infer<typeof DocTypeMatchSchema>;

export const SectionMatchSchema = z.object({
  docType: z.string(),
  heading: z.string(),
  page: z.number().int().positive(),
});
export type SectionMatch = z.infer<typeof SectionMatchSchema>;

export interface Classification {
  /** Most likely first; empty only for files that could not be read. */
  docTypes: DocTypeMatch[];
  sections: SectionMatch[];
  /** What the file name alone suggests; used to say what an unreadable file would have been. */
  nameDocTypes: string[];
  /** True when nothing matched and a person should look at the file. */
  needsReview: boolean;
}

export interface ClassifierInput {
  path: string;
  readable: boolean;
  pages: Page[];
}

const TITLE_ZONE_LINES = 14;
const MAX_TITLE_LINE = 60;
/** Cues of a sentence that refers to a document instead of being its title. */
const REFERENCE_CUES = ['详见', '根据', '依据', '按照', '参照', '参见', '见附件', '附件', '随附', '报送', '已提交', '已编制', '提交了', '如下', '编制了', '经过', '通过了'];
const SENTENCE_END = /[。；;！!？?]$/;
const LABEL_VALUE = /^[^:：]{1,10}[:：]/;
const CONJUNCTIONS = ['和', '及', '暨', '与', '、', '并'];
const VERSION_MARKER = /[(（](送审稿|评审稿|报批稿|修订稿|终稿|征求意见稿|定稿|初稿|草案|正式稿|盖章版|签字版|扫描件|副本|复印件)[)）]/g;

interface ContentSupport {
  /** Distinct markers found. */
  count: number;
  /** Their total length in characters. */
  weight: number;
  quote: string;
  page: number;
}

interface CompiledTerm {
  docType: string;
  term: string;
  /** Length without wildcards: longer is more specific. */
  weight: number;
  regex?: RegExp;
}

interface TermHit {
  docType: string;
  term: string;
  start: number;
  end: number;
  weight: number;
  fuzzy: boolean;
}

export class DocTypeClassifier {
  private readonly titleTerms: CompiledTerm[];
  private readonly exclusions = new Map<string, string[]>();
  private readonly markers = new Map<string, string[]>();
  private readonly sectionHeadings: CompiledTerm[];
  /** The catalogue's catch-all type (other_material): what a file is when no other type fits. */
  private readonly catchAll: string;
  private readonly implies = new Map<string, string[]>();

  constructor(catalogue: Catalogue) {
    this.catchAll = catalogue.catchAll;
    this.titleTerms = catalogue.docTypes.filter((t) => t.id !== this.catchAll).flatMap((t) => compileTerms(t.id, t.titleTerms));
    this.sectionHeadings = [
      ...catalogue.docTypes.flatMap((t) => compileTerms(t.id, t.sectionHeadings)),
      ...catalogue.sectionKeys.flatMap((k) => compileTerms(k.key, k.headings)),
    ];
    for (const t of catalogue.docTypes) {
      this.exclusions.set(t.id, t.titleExclusions.map(foldForMatching));
      this.markers.set(t.id, [...new Set(t.contentMarkers.map(foldForMatching))].filter(Boolean));
      if (t.implies.length > 0) this.implies.set(t.id, t.implies);
    }
  }

  classify(input: ClassifierInput): Classification {
    const nameDocTypes = this.fromFileName(input.path).map((m) => m.id);
    if (!input.readable) return { docTypes: [], sections: [], nameDocTypes, needsReview: true };

    const titled = this.fromTitle(input.pages);
    if (!Array.isArray(titled)) {
      const { unrecognised } = titled;
      const sections = this.findSections(input.pages);
      // A letter or request ("关于申报…的请示") is the catalogue's catch-all; what it states counts as a section of it.
      if (isLetterTitle(unrecognised.text)) {
        return { docTypes: [{ id: this.catchAll, confidence: 0.7, evidence: { page: unrecognised.page, quote: unrecognised.original, rule: 'title' } }], sections, nameDocTypes, needsReview: false };
      }
      const byContent = this.withoutTitle([], this.fromContent(input.pages));
      if (byContent.length > 0) return { docTypes: this.addImpliedLabels(byContent), sections: this.findSections(input.pages), nameDocTypes, needsReview: true };
      return {
        docTypes: [{ id: this.catchAll, confidence: 0.6, evidence: { page: unrecognised.page, quote: unrecognised.original, rule: 'title' } }],
        sections: this.findSections(input.pages),
        nameDocTypes,
        needsReview: true,
      };
    }
    const fromTitle = titled;
    const sections = this.findSections(input.pages);
    const content = this.fromContent(input.pages);
    const fromName = this.fromFileName(input.path);

    let docTypes: DocTypeMatch[];
    const letter = fromTitle.length === 0 ? letterTitle(input.pages, this.catchAll) : null;
    if (letter) {
      // A letter or request whose title names no catalogued type ("关于申报…的请示") is the catalogue's catch-all; what it
      // states (e.g. "经本单位党组审议通过") counts as a section of it.
      return { docTypes: [letter], sections, nameDocTypes, needsReview: false };
    }
    if (fromTitle.length > 0) {
      docTypes = fromTitle.map((m) => ({ ...m, confidence: Math.min(1, m.confidence + (content.has(m.id) ? 0.05 : 0)) }));
    } else {
      docTypes = this.withoutTitle(fromName, content);
    }
    docTypes = this.addImpliedLabels(docTypes);
    if (docTypes.length === 0) {
      const firstLine = firstNonEmptyLine(input.pages);
      docTypes = [{ id: this.catchAll, confidence: 0.2, evidence: { rule: 'content', quote: firstLine, page: firstLine ? 1 : undefined } }];
      return { docTypes, sections, nameDocTypes, needsReview: true };
    }
    const ownTypes = new Set(docTypes.map((d) => d.id));
    return {
      docTypes,
      sections: sections.filter((s) => !ownTypes.has(s.docType)),
      nameDocTypes,
      needsReview: docTypes[0]!.confidence < 0.5,
    };
  }

  /** The first title-like line of the first pages that names a doc type decides; combined titles carry each part. */
  private fromTitle(pages: Page[]): DocTypeMatch[] | { unrecognised: TitleCandidate } {
    for (const candidate of titleCandidates(pages)) {
      const text = stripVersionMarkers(candidate.text);
      const hits = this.hitsIn(text, candidate.fuzzyAllowed).filter((h) => !this.excluded(h.docType, text));
      if (hits.length === 0) {
        // A plain document title near the top that names no catalogued type ("项目储备库入库确认单") is the title:
        // lines further down (a table row "投资匡算(万元)") must not stand in for it.
        if (candidate.lineIndex <= 5 && isUnlistedDocumentTitle(text)) return { unrecognised: candidate };
        continue;
      }
      const heads = headHits(hits);
      const positionWeight = Math.max(0.75, 0.97 - candidate.lineIndex * 0.015);
      const matches: DocTypeMatch[] = heads.map((h) => ({
        id: h.docType,
        confidence: round(positionWeight - (h.fuzzy ? 0.1 : 0)),
        evidence: { page: candidate.page, quote: candidate.original, rule: 'title', term: h.term },
      }));
      for (const extra of this.combinedParts(text, heads, candidate.fuzzyAllowed)) {
        if (matches.some((m) => m.id === extra.docType)) continue;
        matches.push({
          id: extra.docType,
          confidence: round(positionWeight - 0.05),
          evidence: { page: candidate.page, quote: candidate.original, rule: 'combined-title', term: extra.term },
        });
      }
      return matches;
    }
    return [];
  }

  /**
   * "系统试运行和初步验收报告", "可行性研究报告暨初步设计方案", "初步设计方案(含投资概算)": the part before a conjunction,
   * completed with the head's own noun ("报告"), or a parenthesised 含 part, names a second type.
   */
  private combinedParts(text: string, heads: TermHit[], fuzzy: boolean): TermHit[] {
    const found: TermHit[] = [];
    for (const head of heads) {
      const before = text.slice(0, head.start);
      const conj = CONJUNCTIONS.find((c) => before.endsWith(c));
      if (conj) {
        const left = before.slice(0, before.length - conj.length);
        const headNoun = head.term.replace(/\*/g, '').slice(-2);
        for (const probe of [left, left + headNoun]) {
          const hits = this.hitsIn(probe, fuzzy).filter((h) => h.docType !== head.docType && h.end === probe.length);
          found.push(...headHits(hits));
        }
      }
      const inside = /[(（]含([^)）]{2,30})[)）]/.exec(text.slice(head.start));
      if (inside?.[1]) found.push(...headHits(this.hitsIn(inside[1], fuzzy).filter((h) => h.docType !== head.docType)));
    }
    return found;
  }

  private withoutTitle(fromName: DocTypeMatch[], content: Map<string, ContentSupport>): DocTypeMatch[] {
    const out: DocTypeMatch[] = [];
    for (const m of fromName) {
      const support = content.get(m.id);
      out.push({ ...m, confidence: round(0.55 + (support ? Math.min(0.2, support.count * 0.05) : 0)) });
    }
    if (out.length === 0) {
      // Distinct markers, weighted by length: two long, specific markers ("前置技术审查", "智慧城市和大数据中心") say
      // more than three short, common ones.
      const ranked = [...content.entries()]
        .filter(([, v]) => v.count >= 3 || (v.count >= 2 && v.weight >= 10))
        .sort((a, b) => b[1].weight - a[1].weight || b[1].count - a[1].count);
      const best = ranked[0];
      if (best) {
        out.push({
          id: best[0],
          confidence: round(Math.min(0.6, 0.25 + best[1].count * 0.05)),
          evidence: { rule: 'content', quote: best[1].quote, page: best[1].page },
        });
      }
    }
    return out;
  }

  /**
   * A type that implies others (catalogue `implies`: a third-party test report is also a test report) adds them, a
   * little less sure.
   */
  private addImpliedLabels(matches: DocTypeMatch[]): DocTypeMatch[] {
    const out = [...matches];
    for (const m of matches) {
      for (const implied of this.implies.get(m.id) ?? []) {
        if (!out.some((o) => o.id === implied)) out.push({ ...m, id: implied, confidence: round(m.confidence - 0.05) });
      }
    }
    return out;
  }

  private fromFileName(path: string): DocTypeMatch[] {
    const base = path.split('/').pop() ?? path;
    const stem = foldForMatching(base.replace(/\.[A-Za-z0-9]{1,5}$/, '').replace(/^[\s\dA-Za-z一二三四五六七八九十]{0,4}[.、\-_）)]\s*/, ''));
    const hits = this.hitsIn(stripVersionMarkers(stem), false).filter((h) => !this.excluded(h.docType, stem));
    return headHits(hits).map((h) => ({
      id: h.docType,
      confidence: 0.5,
      evidence: { rule: 'file-name', quote: base, term: h.term },
    }));
  }

  private fromContent(pages: Page[]): Map<string, ContentSupport> {
    const result = new Map<string, ContentSupport>();
    const folded = pages.map((p) => ({ n: p.n, text: foldForMatching(p.text) }));
    for (const [id, markers] of this.markers) {
      let count = 0;
      let weight = 0;
      let quote = '';
      let page = 1;
      for (const marker of markers) {
        const where = folded.find((p) => p.text.includes(marker));
        if (!where) continue;
        count += 1;
        weight += marker.length;
        if (!quote) {
          quote = marker;
          page = where.n;
        }
      }
      if (count > 0) result.set(id, { count, weight, quote, page });
    }
    return result;
  }

  /** Headings inside the document that delimit a section of another type (section-or-file rows). */
  private findSections(pages: Page[]): SectionMatch[] {
    const out: SectionMatch[] = [];
    const seen = new Set<string>();
    for (const page of pages) {
      for (const raw of page.text.split('\n')) {
        const line = foldForMatching(raw);
        if (!line) continue;
        const heading = line.length <= 40 && !SENTENCE_END.test(line) && looksLikeHeading(line);
        // A statement in the text ("该项目已经本单位党组审议通过") counts when it carries a long, specific section term
        // and does not merely refer to another document.
        const statement = !heading && !REFERENCE_CUES.some((c) => line.includes(c));
        if (!heading && !statement) continue;
        for (const t of this.sectionHeadings) {
          if (seen.has(t.docType)) continue;
          if (!heading && (t.weight < 8 || t.regex)) continue;
          if (matchTerm(t, line)) {
            seen.add(t.docType);
            out.push({ docType: t.docType, heading: raw.trim().slice(0, 80), page: page.n });
          }
        }
      }
    }
    return out;
  }

  private hitsIn(text: string, fuzzy: boolean): TermHit[] {
    const hits: TermHit[] = [];
    for (const t of this.titleTerms) {
      const exact = matchTerm(t, text);
      if (exact) {
        hits.push({ docType: t.docType, term: t.term, start: exact.start, end: exact.end, weight: t.weight, fuzzy: false });
      } else if (fuzzy && !t.regex && t.weight >= 5) {
        // A misread title is trusted only where the doc type sits: at the end of the line (titles are head-final).
        // One OCR slip is allowed: a wrong, a lost or an extra character ("监理服务合后", "前技术审查意见").
        const start = misreadSuffixStart(text, t.term);
        if (start >= 0) hits.push({ docType: t.docType, term: t.term, start, end: text.length, weight: t.weight - 0.5, fuzzy: true });
      }
    }
    return hits;
  }

  private excluded(docType: string, text: string): boolean {
    return (this.exclusions.get(docType) ?? []).some((x) => x && text.includes(x));
  }
}

function compileTerms(docType: string, terms: string[]): CompiledTerm[] {
  const out: CompiledTerm[] = [];
  for (const raw of new Set(terms)) {
    const term = foldForMatching(raw);
    if (!term) continue;
    if (term.includes('*')) {
      const parts = term.split('*').filter(Boolean).map(escapeRegex);
      out.push({ docType, term, weight: parts.join('').length, regex: new RegExp(parts.join('[^。；;！!？?]{0,40}?')) });
    } else {
      out.push({ docType, term, weight: term.length });
    }
  }
  return out;
}

function matchTerm(t: CompiledTerm, text: string): { start: number; end: number } | null {
  if (t.regex) {
    const m = t.regex.exec(text);
    return m ? { start: m.index, end: m.index + m[0].length } : null;
  }
  const at = text.lastIndexOf(t.term);
  return at >= 0 ? { start: at, end: at + t.term.length } : null;
}

/** Keep the hits that end last; among them the most specific; equal specificity on the same span keeps both. */
function headHits(hits: TermHit[]): TermHit[] {
  if (hits.length === 0) return [];
  const maxEnd = Math.max(...hits.map((h) => h.end));
  const atEnd = hits.filter((h) => h.end >= maxEnd - 0);
  const best = Math.max(...atEnd.map((h) => h.weight));
  const chosen = atEnd.filter((h) => h.weight === best);
  const byType = new Map<string, TermHit>();
  for (const h of chosen) if (!byType.has(h.docType)) byType.set(h.docType, h);
  return [...byType.values()];
}

interface TitleCandidate {
  text: string;
  original: string;
  page: number;
  lineIndex: number;
  fuzzyAllowed: boolean;
}

/** Short, title-like lines of the first pages, and pairs of adjacent short lines (titles wrap). */
function* titleCandidates(pages: Page[]): Generator<TitleCandidate> {
  let lineIndex = 0;
  for (const page of pages.slice(0, 2)) {
    const lines = page.text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length > 0);
    const zone = lines.slice(0, page === pages[0] ? TITLE_ZONE_LINES : 8);
    const fuzzyAllowed = page.source === 'ocr';
    for (let i = 0; i < zone.length; i++) {
      const line = zone[i]!;
      const folded = foldForMatching(line);
      // The salutation ("XX局:") opens the body of a letter: the title is above it.
      if (/^[^,，。;；]{2,40}[:：]$/.test(folded)) return;
      if (isTitleLike(folded)) {
        // The whole title first: a "关于…" title runs on until its "的+head" ("…可行性研究报告" / "的批复"), and a
        // wrapped tail of a few characters ("…评审意" / "见") belongs to the line above.
        let completed = folded;
        let completedOriginal = line;
        for (let k = i + 1; k < Math.min(zone.length, i + 4); k++) {
          const next = foldForMatching(zone[k]!);
          const openAbout = completed.startsWith('关于') && !/的[^的]{1,15}$/.test(completed);
          const wrappedTail = next.length <= 6 && (next.length <= 3 || isTitleLike(next));
          if (!next || !(wrappedTail || (openAbout && isTitleLike(next))) || completed.length + next.length > MAX_TITLE_LINE) break;
          completed += next;
          completedOriginal += ` ${zone[k]!}`;
        }
        if (completed !== folded) yield { text: completed, original: completedOriginal, page: page.n, lineIndex, fuzzyAllowed };
        yield { text: folded, original: line, page: page.n, lineIndex, fuzzyAllowed };
      }
      lineIndex += 1;
    }
    // A cover page with a few lines leads to page 2; a full first page is enough.
    if (lines.length >= 6) break;
  }
}

/** Ends like the title of a document ("…确认单", "…情况说明", "…通知") but is not an issuer's letterhead ("…文件"). */
function isUnlistedDocumentTitle(folded: string): boolean {
  return folded.length >= 6 && !isLetterhead(folded) && /(单|表|书|报告|意见|通知|函|批复|纪要|证明|证书|合同|协议|请示|公告|说明|清单|记录|决定)$/.test(folded);
}

function isLetterTitle(folded: string): boolean {
  return /^关于.{2,60}的?(请示|报告|函|申请|说明|情况说明)$/.test(folded);
}

/** The official-document title of a letter, request or report that names no catalogued type. */
function letterTitle(pages: Page[], catchAll: string): DocTypeMatch | null {
  for (const candidate of titleCandidates(pages)) {
    if (isLetterTitle(stripVersionMarkers(candidate.text))) {
      return { id: catchAll, confidence: 0.7, evidence: { page: candidate.page, quote: candidate.original, rule: 'title' } };
    }
  }
  return null;
}

/** "常德市人民政府办公室文件": an issuing organisation followed by 文件 (unlike "招标文件", "投标文件"). */
function isLetterhead(folded: string): boolean {
  return /(局|委|办|院|府|厅|部|中心|公司|室|会|组|处|所|站|馆)(\(.{1,12}\))?文件$/.test(folded);
}

function isTitleLike(folded: string): boolean {
  if (folded.length < 2 || folded.length > MAX_TITLE_LINE) return false;
  // The letterhead ("XX局文件") and the document number ("益发改投〔2024〕47号") sit above a title, never in it.
  if (isLetterhead(folded) || /[〔\[【(（]\s*(19|20)\d{2}\s*[〕\]】)）]?.{0,6}号?$/.test(folded)) return false;
  if (SENTENCE_END.test(folded)) return false;
  if (LABEL_VALUE.test(folded)) return false;
  if (REFERENCE_CUES.some((c) => folded.includes(c))) return false;
  // Numbered list items ("1.监理报告", "(三)竣工报告") in a letter are enclosures, not the letter's title.
  if (/^(\d{1,2}[.、]|[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.])/.test(folded)) return false;
  return true;
}

function looksLikeHeading(folded: string): boolean {
  return (
    /^(第[一二三四五六七八九十\d]+[章节部分]|[一二三四五六七八九十]{1,3}[、.]|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}(\.\d{1,2}){0,3}[.、\s]?)/.test(folded) ||
    folded.length <= 16
  );
}

function stripVersionMarkers(s: string): string {
  return s.replace(VERSION_MARKER, '');
}

/** Where a suffix of `text` within one edit (substitution, deletion, insertion) of `term` starts; -1 when none. */
function misreadSuffixStart(text: string, term: string): number {
  for (const length of [term.length, term.length - 1, term.length + 1]) {
    const start = text.length - length;
    if (start < 0 || length < 1) continue;
    if (withinOneEdit(text.slice(start), term)) return start;
  }
  return -1;
}

function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i += 1;
      j += 1;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i += 1;
    else if (a.length < b.length) j += 1;
    else {
      i += 1;
      j += 1;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

function firstNonEmptyLine(pages: Page[]): string {
  for (const p of pages) {
    const line = p.text.split('\n').find((l) => l.trim());
    if (line) return line.trim().slice(0, 80);
  }
  return '';
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
