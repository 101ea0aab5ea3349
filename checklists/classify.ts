import { z } from 'zod';
import type { Page } from '../extractors/model.ts';
import { foldForMatching, toHalfWidthAlnum } from '../extractors/normalize.ts';
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
export const ClassificationRuleSchema = z.enum(['title', 'combined-title', 'heading', 'content', 'file-name', 'officer', 'title-grammar']);

export const DocTypeEvidenceSchema = z.object({
  page: z.number().int().positive().optional(),
  quote: z.string(),
  rule: ClassificationRuleSchema,
  term: z.string().optional(),
  /** Why, in Chinese, where the rule alone does not say it (content deciding against the title, a head without modifier). */
  note: z.string().optional(),
});

/**
 * How sure the classifier is of a file's type, in Docling's four grades: EXCELLENT and GOOD are taken as they are,
 * FAIR is taken but shown for review, POOR means the file is unsure and a person decides (its candidates are shown).
 */
export const ClassificationGradeSchema = z.enum(['excellent', 'good', 'fair', 'poor']);
export type ClassificationGrade = z.infer<typeof ClassificationGradeSchema>;

/** One of the best two types of an unsure (or weak) file, with its score and what it rests on. */
export const DocTypeCandidateSchema = z.object({
  id: z.string(),
  score: z.number().min(0).max(1),
  evidence: DocTypeEvidenceSchema,
});
export type DocTypeCandidate = z.infer<typeof DocTypeCandidateSchema>;

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
  grade: ClassificationGrade;
  /**
   * True when the best type is too weak to count: docTypes holds only the catch-all, and `candidates` the two best
   * types; a checklist row this file might satisfy then needs confirmation instead of being missing.
   */
  unsure: boolean;
  /** The two best types with scores (for a confident file: its type and the runner-up, if any). */
  candidates: DocTypeCandidate[];
}

export interface ClassifierInput {
  path: string;
  readable: boolean;
  pages: Page[];
}

const TITLE_ZONE_LINES = 14;
/** A file name read as a whole title; a partial reading (a term short of the name's end) is a little less. */
const FILE_NAME_SURE = 0.5;
const MAX_TITLE_LINE = 90;
/** Cues of a sentence that refers to a document instead of being its title. */
const REFERENCE_CUES = ['详见', '根据', '依据', '按照', '参照', '参见', '见附件', '附件', '随附', '报送', '已提交', '已编制', '提交了', '如下', '编制了', '经过', '通过了'];
const SENTENCE_END = /[。；;！!？?]$/;
const LABEL_VALUE = /^[^:：]{1,10}[:：]/;
const CONJUNCTIONS = ['和', '及', '暨', '与', '、', '并'];
/** A numbered item or section: "1.监理报告", "(三)竣工报告", "一、项目基本情况". */
const NUMBERED_ITEM = /^(\d{1,2}[.、]|[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.])/;
/** How a project's or a system's name ends on a cover line of its own. */
// A bracket only for a phase or a lot ("（一期）", "(二标段)"): "（送审稿）" after a document's own name is no project's.
const PROJECT_NAME_END = /(项目|工程|系统|平台|[一二三四五六七八九十\d]期|[(（][^()（）]{0,8}(期|标段|包)[)）])$/;
/** A listed term that ends like a name ("采购项目"): on a cover, it may be the project's name rather than the document's. */
const PROJECT_NAME_WORD = /(项目|工程|系统|平台)$/;
/**
 * A table of contents' heading or entry, or a section's number and name ("目 录", "1 概述 ........ 1", "第一章 项目概况"):
 * the body under a title, never the rest of it.
 */
function isContentsLine(line: string): boolean {
  return (
    /^(目\s*录|目\s*次|contents)$/i.test(line) ||
    /[.…·．]{2,}\s*\d+$/.test(line) ||
    /^\d{1,2}(\.\d{1,2})*(\s+|[.、]\s*)\S/.test(line) ||
    /^第[一二三四五六七八九十\d]{1,3}[章节篇]/.test(line)
  );
}
/** A span of years ("2021-2023年", "2023—2025") or a five-year period ("十四五"): a programme's, not a project's. */
const PROGRAMME_PERIOD = /(?:19|20)\d{2}\s*(?:年\s*)?[-—–~～至到]\s*(?:19|20)\d{2}|十[一二三四五六七八九]五/;
/** What a project builds, named in its plan ("…政务云平台建设方案(2022-2024年)" is a project's plan for its years). */
const PROJECT_OBJECT = /项目|工程|系统|平台|采购|招标|投标|云|网络|专网|外网|内网|数据库|机房|中心|监控|改造|升级|[一二三四五六七八九十\d]期/;
/** What an unsure file says of a plan that reads as a programme (catalogue `programmeTypes`). */
const PROGRAMME_NOTE = '标题像地区的规划或政策性方案（写有规划期，或推进、加快、数字政府建设等用语），也可能是项目的方案';
/** How long a first line is when its title may have wrapped onto the next: a cover's large type sets 12–20 characters. */
const WRAPPED_LINE_MIN = 12;
/** How a part of a document named below its title ends ("附图", "投标人须知", "验收程序"): the title is whole without it. */
const PART_NAME_END = /(图|附表|须知|填报说明|填表说明|程序|流程)$/;
/** A date line below a title ("2024年5月", "二〇二四年五月"): never part of the title. */
const DATE_LINE = /^[\d〇零一二三四五六七八九十○]{2,4}年/;
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

/** A title resolved by its grammar: the head it ends with and the modifier nearest to it. */
interface GrammarHit {
  docType: string;
  head: string;
  modifier: string;
  /** Where the modifier ends: nearer the head decides. */
  modifierEnd: number;
}

interface GrammarResult {
  /** The types the nearest modifier decides (more than one only on a tie). */
  decided: GrammarHit[];
  /** Types whose head the title ends with but none of whose modifiers it carries. */
  headOnly: Array<{ docType: string; head: string }>;
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
  /** Chinese names of the types, for notes a person reads. */
  private readonly names = new Map<string, string>();
  private readonly grammarTypes: Array<{ id: string; heads: string[]; modifiers: string[]; refines?: string; subjectModifiers: boolean }>;
  private readonly foreignHeads: string[];
  /** Every head of every type, for telling "清单" from a head "单" it merely ends with. */
  private readonly allHeads: string[];
  /** Generic nouns after a real head ("…说明文档"): dropped when a head precedes them. */
  private readonly headSuffixes: string[];
  /** Catalogue `ambiguousTitleTerms`, by folded term. */
  private readonly ambiguousTerms = new Map<string, { docTypes: string[]; note: string; decidedBy: Array<{ docType: string; words: string[]; alongWith: string[]; unlessWith: string[] }> }>();
  /** Catalogue `articleMarkers`: a title carrying one is an article about documents. */
  private readonly articleMarker: RegExp | undefined;
  /** Catalogue `newsEndings`: a title ending with one is a news headline. */
  private readonly newsEndings: string[];
  private readonly programmeTypes: Set<string>;
  private readonly programmeWords: string[];
  private readonly programmeTitleEndings: string[];

  constructor(catalogue: Catalogue) {
    this.foreignHeads = [...new Set(catalogue.foreignHeads.map(foldForMatching))].filter(Boolean);
    this.grammarTypes = catalogue.docTypes
      .filter((t) => t.id !== catalogue.catchAll && t.heads.length > 0)
      .map((t) => ({
        id: t.id,
        subjectModifiers: t.subjectModifiers,
        // Longest first, so "意见书" is the head of "…意见书" rather than "书".
        heads: [...new Set(t.heads.map(foldForMatching))].filter(Boolean).sort((a, b) => b.length - a.length),
        modifiers: [...new Set(t.modifiers.map(foldForMatching))].filter(Boolean),
        refines: t.refines,
      }));
    this.allHeads = [...new Set(this.grammarTypes.flatMap((t) => t.heads))];
    this.headSuffixes = [...new Set(catalogue.headSuffixes.map(foldForMatching))].filter(Boolean);
    for (const a of catalogue.ambiguousTitleTerms) {
      const decidedBy = a.decidedBy.map((d) => ({ docType: d.docType, words: d.words.map(foldForMatching), alongWith: d.alongWith.map(foldForMatching), unlessWith: d.unlessWith.map(foldForMatching) }));
      this.ambiguousTerms.set(foldForMatching(a.term), { docTypes: a.docTypes, note: a.note, decidedBy });
    }
    this.newsEndings = [...new Set(catalogue.newsEndings.map(foldForMatching))].filter(Boolean);
    this.programmeTypes = new Set(catalogue.programmeTypes);
    this.programmeWords = catalogue.programmeWords.map(foldForMatching);
    this.programmeTitleEndings = catalogue.programmeTitleEndings.map(foldForMatching);
    const markers = [...new Set(catalogue.articleMarkers.map(foldForMatching))].filter(Boolean);
    this.articleMarker = markers.length > 0 ? new RegExp(markers.map((m) => (/^[a-z]+$/.test(m) ? `(?<![a-z])${m}(?![a-z])` : escapeRegex(m))).join('|')) : undefined;
    this.catchAll = catalogue.catchAll;
    this.titleTerms = catalogue.docTypes.filter((t) => t.id !== this.catchAll).flatMap((t) => compileTerms(t.id, t.titleTerms));
    this.sectionHeadings = [
      ...catalogue.docTypes.flatMap((t) => compileTerms(t.id, t.sectionHeadings)),
      ...catalogue.sectionKeys.flatMap((k) => compileTerms(k.key, k.headings)),
    ];
    for (const t of catalogue.docTypes) {
      this.names.set(t.id, t.name);
      this.exclusions.set(t.id, t.titleExclusions.map(foldForMatching));
      this.markers.set(t.id, [...new Set(t.contentMarkers.map(foldForMatching))].filter(Boolean));
      if (t.implies.length > 0) this.implies.set(t.id, t.implies);
    }
  }

  classify(input: ClassifierInput): Classification {
    const named = this.fromFileName(input.path);
    // What an unreadable file would have been: every type its name points to, even a partial reading ("…合同签字页").
    const nameDocTypes = named.map((m) => m.id);
    if (!input.readable) return { docTypes: [], sections: [], nameDocTypes, needsReview: true, grade: 'poor', unsure: false, candidates: [] };

    const titled = this.fromTitle(input.pages);
    const sections = this.findSections(input.pages);
    const content = this.fromContent(input.pages);
    // A page with no title is typed by its name only where the name reads as a title; a partial reading leaves it unsure.
    const fromName = named.filter((m) => m.confidence >= FILE_NAME_SURE);

    if (titled.kind === 'unrecognised') {
      const { candidate } = titled;
      // A letter or request ("关于申报…的请示") is the catalogue's catch-all; what it states counts as a section of it.
      if (isLetterTitle(candidate.text) && !titled.transmits) {
        const docTypes = [{ id: this.catchAll, confidence: 0.7, evidence: { page: candidate.page, quote: candidate.original, rule: 'title' as const } }];
        return this.finish(docTypes, sections, nameDocTypes, false, []);
      }
      if (titled.foreign) {
        const docTypes = [{ id: this.catchAll, confidence: 0.75, evidence: { page: candidate.page, quote: candidate.original, rule: 'title' as const, note: '标题的中心词表明它不是清单所列的任何材料（如办法、指南、手册）' } }];
        return this.finish(docTypes, sections, nameDocTypes, false, []);
      }
      const byContent = this.withoutTitle([], content);
      // Specific content markers (withoutTitle's threshold) decide an unlisted title; fewer leave the file unsure.
      if (byContent.length > 0 && titled.inner.length === 0) {
        return this.finish(this.addImpliedLabels(byContent), sections, nameDocTypes, true, []);
      }
      if (titled.ambiguous) {
        const decided = this.contentBetween(titled.inner, content, candidate, titled.ambiguous);
        if (decided) return this.finish(this.addImpliedLabels([decided]), sections, nameDocTypes, false, []);
      }
      const weak = this.weakCandidates(titled.headOnly, candidate, content, named, titled.inner, titled.transmits, titled.ambiguous);
      const docTypes = [{ id: this.catchAll, confidence: 0.6, evidence: { page: candidate.page, quote: candidate.original, rule: 'title' as const } }];
      return this.finish(docTypes, sections, nameDocTypes, true, weak);
    }

    if (titled.kind === 'none') {
      const letter = letterTitle(input.pages, this.catchAll);
      // A letter or request whose title names no catalogued type ("关于申报…的请示") is the catalogue's catch-all; what it
      // states (e.g. "经本单位党组审议通过") counts as a section of it.
      if (letter) return this.finish([letter], sections, nameDocTypes, false, []);
      const docTypes = this.addImpliedLabels(this.withoutTitle(fromName, content));
      if (docTypes.length > 0) return this.finish(docTypes, sections.filter((s) => !docTypes.some((d) => d.id === s.docType)), nameDocTypes, docTypes[0]!.confidence < 0.5, []);
      const firstLine = firstNonEmptyLine(input.pages);
      const weak = this.weakCandidates([], undefined, content, named);
      const fallback = [{ id: this.catchAll, confidence: 0.2, evidence: { rule: 'content' as const, quote: firstLine, page: firstLine ? 1 : undefined } }];
      return this.finish(fallback, sections, nameDocTypes, true, weak);
    }

    if (titled.contested) {
      const decided = this.contentBetween(titled.contested.inner, content, titled.contested.candidate, titled.contested.note);
      if (decided) return this.finish(this.addImpliedLabels([decided]), sections, nameDocTypes, false, []);
    }
    let matches = titled.matches;
    if (titled.byGrammar) matches = this.contentOverTitle(matches, content);
    const docTypes = this.addImpliedLabels(matches.map((m) => ({ ...m, confidence: Math.min(1, round(m.confidence + (content.has(m.id) ? 0.05 : 0))) })));
    const ownTypes = new Set(docTypes.map((d) => d.id));
    return this.finish(docTypes, sections.filter((s) => !ownTypes.has(s.docType)), nameDocTypes, docTypes[0]!.confidence < 0.5, []);
  }

  /**
   * The result with its grade. `weak` non-empty makes the file unsure: the catch-all stays its only type (so it
   * satisfies no row by itself) and the two best candidates go with it for a person to confirm.
   */
  private finish(docTypes: DocTypeMatch[], sections: SectionMatch[], nameDocTypes: string[], needsReview: boolean, weak: DocTypeCandidate[]): Classification {
    if (weak.length > 0) return { docTypes, sections, nameDocTypes, needsReview: true, grade: 'poor', unsure: true, candidates: weak.slice(0, 2) };
    const best = docTypes[0]!;
    const grade: ClassificationGrade = needsReview ? (best.confidence >= 0.5 ? 'fair' : 'poor') : best.confidence >= 0.9 ? 'excellent' : best.confidence >= 0.7 ? 'good' : 'fair';
    const candidates = docTypes.slice(0, 2).map((d) => ({ id: d.id, score: d.confidence, evidence: d.evidence }));
    return { docTypes, sections, nameDocTypes, needsReview, grade, unsure: false, candidates };
  }

  /**
   * The best two guesses for a file no rule could type with confidence: the types whose head its title ends with
   * (ranked by their content markers), then content markers alone, then the file name read by the same grammar.
   */
  private weakCandidates(
    headOnly: GrammarResult['headOnly'],
    title: TitleCandidate | undefined,
    content: Map<string, ContentSupport>,
    named: DocTypeMatch[],
    inner: TermHit[] = [],
    transmits = false,
    ambiguous?: string,
  ): DocTypeCandidate[] {
    const scored = new Map<string, DocTypeCandidate>();
    const offer = (c: DocTypeCandidate) => {
      const had = scored.get(c.id);
      if (!had || had.score < c.score) scored.set(c.id, c);
    };
    for (const h of inner) {
      const support = content.get(h.docType);
      offer({
        id: h.docType,
        score: round(0.35 + (support ? Math.min(0.15, support.count * 0.05) : 0)),
        evidence: {
          page: title?.page,
          quote: title?.original ?? h.term,
          rule: 'title',
          term: h.term,
          note: ambiguous ?? (transmits ? `标题是报送“${h.term}”的公文，文件可能只是报送函，也可能附有该材料` : `标题含“${h.term}”，但它之后还有别的中心词`),
        },
      });
    }
    for (const h of headOnly) {
      const support = content.get(h.docType);
      offer({
        id: h.docType,
        score: round(0.3 + (support ? Math.min(0.15, support.count * 0.05) : 0)),
        evidence: { page: title?.page, quote: title?.original ?? h.head, rule: 'title-grammar', term: h.head, note: `标题以“${h.head}”结尾，但没有可判定类型的修饰语` },
      });
    }
    for (const [id, support] of content) {
      offer({ id, score: round(Math.min(0.4, 0.1 + support.count * 0.05)), evidence: { page: support.page, quote: support.quote, rule: 'content', note: `内容标记 ${support.count} 个` } });
    }
    for (const m of named) offer({ id: m.id, score: 0.4, evidence: m.evidence });
    return [...scored.values()].filter((c) => c.id !== this.catchAll).sort((a, b) => b.score - a.score).slice(0, 2);
  }

  /**
   * A title that names two types alike ("…测评报告") is decided by the body when it carries at least three markers of
   * one of them and at least two more than of any other (markers such as 测评结论 are shared); otherwise the file
   * stays unsure.
   */
  private contentBetween(hits: TermHit[], content: Map<string, ContentSupport>, title: TitleCandidate, why: string): DocTypeMatch | null {
    const ranked = hits
      .map((h) => ({ id: h.docType, count: content.get(h.docType)?.count ?? 0, quote: content.get(h.docType)?.quote ?? '' }))
      .sort((a, b) => b.count - a.count);
    const [best, second] = ranked;
    if (!best || best.count < 3 || best.count - (second?.count ?? 0) < 2) return null;
    return {
      id: best.id,
      confidence: 0.7,
      evidence: { page: title.page, quote: title.original, rule: 'content', note: `${why}；正文有 ${best.count} 个“${this.names.get(best.id) ?? best.id}”的内容标记（如“${best.quote}”），按内容判定` },
    };
  }

  /**
   * A title read by its grammar only (no listed term) is checked against the content: where the body carries none of
   * the title type's markers but several of another type sharing the title's head, the content decides, and the
   * evidence says so.
   */
  private contentOverTitle(matches: DocTypeMatch[], content: Map<string, ContentSupport>): DocTypeMatch[] {
    const first = matches[0];
    if (!first || content.has(first.id)) return matches;
    const head = first.evidence.term ? this.grammarTypes.find((t) => t.id === first.id)?.heads.find((h) => first.evidence.term!.endsWith(h)) : undefined;
    if (!head) return matches;
    const rivals = this.grammarTypes
      .filter((t) => t.id !== first.id && t.heads.includes(head))
      .map((t) => ({ id: t.id, support: content.get(t.id) }))
      .filter((r): r is { id: string; support: ContentSupport } => !!r.support && r.support.count >= 3 && r.support.weight >= 10)
      .sort((a, b) => b.support.weight - a.support.weight);
    const rival = rivals[0];
    if (!rival) return matches;
    return [
      {
        id: rival.id,
        confidence: 0.7,
        evidence: {
          page: rival.support.page,
          quote: rival.support.quote,
          rule: 'content',
          note: `标题“${first.evidence.quote}”按结构像“${this.names.get(first.id) ?? first.id}”，但正文无其内容标记，而有 ${rival.support.count} 个“${this.names.get(rival.id) ?? rival.id}”的内容标记，按内容判定`,
        },
      },
    ];
  }

  /**
   * The first title-like line of the first pages that names a doc type decides; combined titles carry each part. A
   * listed term at the title's head decides first; otherwise the title's grammar (head + nearest modifier); a term
   * that sits inside the title but not at its head comes last.
   */
  private fromTitle(
    pages: Page[],
    numberedFirstLine = true,
  ):
    /** `contested`: a term of two types that a word of the title decided; the body, where it clearly says otherwise, wins. */
    | { kind: 'matched'; matches: DocTypeMatch[]; byGrammar: boolean; contested?: { inner: TermHit[]; note: string; candidate: TitleCandidate } }
    | { kind: 'unrecognised'; candidate: TitleCandidate; headOnly: GrammarResult['headOnly']; foreign: boolean; inner: TermHit[]; transmits?: boolean; ambiguous?: string }
    | { kind: 'none' } {
    // A title read as unrecognised (foreign head, or a term short of the head) waits while other readings of the same
    // line remain: the completed title may have swallowed a misread line below it ("…立项的批复" + "常德市档案启").
    let pending: { kind: 'unrecognised'; candidate: TitleCandidate; headOnly: GrammarResult['headOnly']; foreign: boolean; inner: TermHit[]; transmits?: boolean; ambiguous?: string } | undefined;
    for (const candidate of titleCandidates(pages, numberedFirstLine)) {
      if (pending && candidate.lineIndex !== pending.candidate.lineIndex) return pending;
      // A part of a title does not overturn the whole's reading as a guide or an article ("…需求分析报告" / "编制指南",
      // "…可行性研究报告编" / "制指南"), nor does the same title read on with the line below. But a title that ends on a
      // head keeps its own reading when the short line below names a part of it ("…竣工验收报告" / "附图", "…立项申请表" /
      // "填报说明", "…招标文件" / "投标人须知", "…验收报告" / "验收程序").
      if (pending?.foreign && (candidate.tentative === 'wrapped' || this.isPartOfGuideTitle(candidate.text, pending.candidate.text))) return pending;
      // A tentative reading counts only when it names one of our documents; a numbered line a little less surely. A
      // cover's name joined to the line below counts only when that line alone names nothing for sure: "…维护管理平台项目"
      // over "软件开发合同书" is the development contract its own line says.
      if ((candidate.tentative === 'joined' || candidate.tentative === 'wrapped') && candidate.lower && this.fromTitle([{ n: candidate.page, text: candidate.lower, source: 'text-layer' }], false).kind === 'matched') continue;
      if (candidate.tentative) {
        const alone = this.fromTitle([{ n: candidate.page, text: candidate.text, source: candidate.fuzzyAllowed ? 'ocr' : 'text-layer' }]);
        if (alone.kind === 'matched') {
          const penalty = candidate.tentative === 'numbered' ? 0.1 : candidate.tentative === 'wrapped' ? 0.05 : 0;
          const matches = alone.matches.map((m) => ({ ...m, confidence: round(m.confidence - penalty), evidence: { ...m.evidence, quote: candidate.original } }));
          return { kind: 'matched', matches, byGrammar: alone.byGrammar, contested: alone.contested };
        }
        // "5、深圳市电子政务应用服务规范 第9部分:…接口规范": a numbered first line read as a standard, a guide or an article
        // is that, as it would be without its number; its parts must not be read on their own.
        if (candidate.tentative === 'numbered' && alone.kind === 'unrecognised' && alone.foreign) {
          return { ...alone, candidate: { ...alone.candidate, original: candidate.original } };
        }
        // "1、某市档案馆馆藏档案数字化加工工作实施方案": a numbered line that reads as a programme or as a term of two types
        // is still the page's best title, unsure with its candidates.
        if (candidate.tentative === 'numbered' && alone.kind === 'unrecognised' && alone.ambiguous) {
          pending ??= { ...alone, candidate: { ...alone.candidate, page: candidate.page, lineIndex: candidate.lineIndex, original: candidate.original } };
        }
        continue;
      }
      // The whole wrapped title decides over its first line where it says something else: a guide, news, a letter that
      // sends a paper ("…需求分析" / "报告编制要求(试用)", "关于报送…项目建议书的函"), or another of our documents
      // ("…2025年度合同" / "雇员补充医疗保险采购项目(二次)" / "招标公告").
      if (candidate.wrappedWhole) {
        const source = candidate.fuzzyAllowed ? 'ocr' : 'text-layer';
        const whole = this.fromTitle([{ n: candidate.page, text: candidate.wrappedWhole.text, source }], false);
        const original = candidate.wrappedWhole.original;
        if (whole.kind === 'unrecognised' && (whole.foreign || whole.transmits)) return { ...whole, candidate: { ...whole.candidate, original } };
        if (whole.kind === 'matched') {
          const alone = this.fromTitle([{ n: candidate.page, text: candidate.text, source }], false);
          if (alone.kind === 'matched' && alone.matches[0]!.id !== whole.matches[0]!.id) {
            return { ...whole, matches: whole.matches.map((m) => ({ ...m, evidence: { ...m.evidence, quote: original } })) };
          }
        }
      }
      const text = stripVersionMarkers(candidate.text);
      const core = this.withoutHeadSuffix(stripTrailingNoise(text));
      // A listed term that contains its type's exclusion word ("密码应用方案评估报告", 方案) is not vetoed by it.
      // What trails a title that ends on a head is a remark, not the title: English initials ("某某系统架构评审表(SAD)")
      // or what a bracket says it holds ("任务合同书（含预算书）"; combinedParts reads a 含 part as a second type).
      const endsOnHead = this.allHeads.some((h) => core.endsWith(h));
      const hits = this.hitsIn(text, candidate.fuzzyAllowed).filter((h) => !this.excludedOutside(h, text) && !(endsOnHead && h.start >= core.length));
      const heads = headHits(hits);
      // "某县政务服务中心政府采购项目" / "项目建设单位：…" / "竣工验收报告": a cover's name line may read as a document only by
      // its name's last word ("采购项目"); the document's own name on a title line below it then decides.
      const nameTermAtEnd = heads.length > 0 && heads[0]!.end >= text.length && PROJECT_NAME_WORD.test(heads[0]!.term);
      if (nameTermAtEnd && !candidate.tentative && candidate.page === pages[0]?.n && candidate.lineIndex <= 5) {
        const below = pages[0]!.text
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
          .slice(candidate.lineIndex + 1, candidate.lineIndex + 4)
          .filter((l) => isTitleLike(foldForMatching(l)) && !/^附/.test(l));
        const named = below.length > 0 ? this.fromTitle([{ ...pages[0]!, text: below.join('\n') }], false) : undefined;
        if (named?.kind === 'matched') return named;
      }
      const positionWeight = Math.max(0.75, 0.97 - candidate.lineIndex * 0.015);
      // A document's name with a phrase for a subtitle ("…第三方测评报告:确保项目成功交付的关键环节") is as often an article
      // about that document as the document itself: unsure, with its type as the candidate, unless the subtitle names a
      // document too.
      if (candidate.subtitle && heads.length > 0 && candidate.lineIndex <= 1 && !this.allHeads.some((h) => candidate.subtitle!.endsWith(h))) {
        pending ??= { kind: 'unrecognised', candidate, headOnly: [], foreign: false, inner: heads };
        continue;
      }
      const qualified = qualifiedCore(text, core);
      const grammar = this.grammar(qualified);
      const termAtHead = heads.length > 0 && heads[0]!.end >= core.length;
      // "关于报送XX项目可行性研究报告的函": the letter that sends a document is not that document, and the same PDF may or
      // may not carry the document behind it, so the file is unsure, with the sent document's type as its candidate.
      // "DB37/T 4225—2020 政务信息资源 数据服务接口规范": a standard that specifies one of our documents is none of them.
      // Its parts ("…—2020 政务信息资源 数据服务接口规范") must not be read on their own, so it decides at once.
      // An article about documents ("如何撰写…试运行报告", catalogue articleMarkers) or a news headline ("…通过初步验收")
      // is none of them either.
      // Only as the first line, or below nothing but a page header (the issuer's name, a document number): a code
      // printed above a document's own title (a template's header) must not hide it.
      // The marker may sit in another part of the line ("…总结范文:如何撰写…").
      // A question ("…需要提交什么材料?(…)") is an article too; OCR's "?" for a character it could not read ("初步设计?案")
      // sits inside a word, so only a question mark that ends a clause counts, and only in a text layer.
      const said = candidate.cell ? candidate.text : candidate.line;
      const question = !candidate.fuzzyAllowed && /[?？](?=$|[\s(（)）])/.test(said);
      if ((candidate.lineIndex === 0 || candidate.belowHeaderOnly) && (isStandardTitle(text) || this.articleMarker?.test(said) || question || this.isNewsHeadline(text))) return { kind: 'unrecognised', candidate, headOnly: [], foreign: true, inner: [] };
      // "关于印发2022年市本级政府投资项目计划的通知", "关于印发《中央预算内投资计划管理办法》的通知": a notice that issues
      // or hands down a paper is that paper where our type is the notice itself (a plan handed down), and a rule it
      // issues is none of ours. A policy's 实施方案 issued by notice stays the notice: it is no project's plan.
      const carried = candidate.lineIndex <= 5 ? /(?:印发|下达|转发)《?([^《》]{4,60}?)》?的通知$/.exec(stripTrailingNoise(text))?.[1] : undefined;
      if (carried) {
        const inner = this.fromTitle([{ n: candidate.page, text: carried, source: 'text-layer' }]);
        if (inner.kind === 'matched' && inner.matches.every((m) => this.grammarTypes.find((t) => t.id === m.id)?.heads.includes('通知'))) {
          const matches = inner.matches.map((m) => ({
            ...m,
            confidence: round(Math.min(m.confidence, positionWeight)),
            evidence: { ...m.evidence, page: candidate.page, quote: candidate.original, note: `通知印发或下达的是“${carried}”` },
          }));
          return { kind: 'matched', matches, byGrammar: inner.byGrammar };
        }
        if (inner.kind === 'unrecognised' && inner.foreign) {
          pending ??= { kind: 'unrecognised', candidate, headOnly: [], foreign: true, inner: [] };
          continue;
        }
      }
      if (hits.length > 0 && candidate.lineIndex <= 5 && (sendsDocument(text) || sendsDocument(stripTrailingNoise(text)))) {
        pending ??= { kind: 'unrecognised', candidate, headOnly: [], foreign: false, inner: heads.length > 0 ? heads : hits, transmits: true };
        continue;
      }
      if (!termAtHead && grammar && grammar.decided.length > 0) {
        if (this.readsAsProgramme(grammar.decided.map((g) => g.docType), text)) {
          const inner = grammar.decided.map((g) => ({ docType: g.docType, term: g.modifier + g.head, start: 0, end: core.length, weight: 1, fuzzy: false }));
          pending ??= { kind: 'unrecognised', candidate, headOnly: [], foreign: false, inner, ambiguous: PROGRAMME_NOTE };
          continue;
        }
        const matches: DocTypeMatch[] = grammar.decided.map((g) => ({
          id: g.docType,
          confidence: round(positionWeight - 0.12),
          evidence: { page: candidate.page, quote: candidate.original, rule: 'title-grammar', term: g.modifier + '…' + g.head },
        }));
        return { kind: 'matched', matches, byGrammar: true };
      }
      const nearTop = candidate.lineIndex <= 5;
      // A rule, guide or manual that names one of our documents ("…可行性研究报告编制指南") is none of our types.
      const foreign = !termAtHead && this.foreignHeads.some((h) => core.endsWith(h));
      if (foreign && nearTop) {
        pending ??= { kind: 'unrecognised', candidate, headOnly: [], foreign: true, inner: [] };
        continue;
      }
      if (hits.length === 0) {
        // A plain document title near the top that names no catalogued type ("项目储备库入库确认单") is the title:
        // lines further down (a table row "投资匡算(万元)") must not stand in for it.
        if (nearTop && (isUnlistedDocumentTitle(text) || (grammar?.headOnly.length ?? 0) > 0)) {
          return { kind: 'unrecognised', candidate, headOnly: grammar?.headOnly ?? [], foreign: false, inner: [] };
        }
        continue;
      }
      // Head first: "项目建议书墨香书阁小说阅读平台", "项目计划书云南省…采集系统" open with the whole document term and go on
      // with the name of what it is about; joined Han text leaves no separator to split on. And "监理月报及监理动态表":
      // a listed document joined to an appendage whose own head names no type is that document.
      const first = heads[0];
      const appended = first ? /^[及和与暨](.{2,20})$/.exec(core.slice(first.end))?.[1] : undefined;
      const headFirst = !!first && first.start === 0 && isNameOnly(core.slice(first.end));
      if (!termAtHead && nearTop && first && !first.fuzzy && first.weight >= 4 && (headFirst || (appended && !(this.grammar(appended)?.decided.length ?? 0)))) {
        const matches: DocTypeMatch[] = heads.map((h) => ({
          id: h.docType,
          confidence: round(positionWeight - 0.15),
          evidence: {
            page: candidate.page,
            quote: candidate.original,
            rule: 'title' as const,
            term: h.term,
            note: headFirst ? `标题以“${h.term}”开头，其后是名称` : `标题是“${h.term}”及其附带材料`,
          },
        }));
        return { kind: 'matched', matches, byGrammar: false };
      }
      // Head-final: a term followed by more than a word ("商用密码应用安全性评估FAQ", "…目录体系研究述评") only modifies
      // the title's real head, so the file is unsure, with the term's type as a candidate.
      if (!termAtHead && nearTop && core.length - heads[0]!.end > 2) {
        pending ??= { kind: 'unrecognised', candidate, headOnly: grammar?.headOnly ?? [], foreign: false, inner: heads };
        continue;
      }
      // "光伏电站测评报告": a head term that names two types alike leaves the file unsure between them, unless a word of
      // the title decides ("电力监控系统测评报告": that field evaluates under 等级保护).
      const ambiguous = termAtHead && heads.length > 0 ? this.ambiguousTerms.get(heads[0]!.term) : undefined;
      if (ambiguous && heads.every((h) => h.term === heads[0]!.term)) {
        const inner = ambiguous.docTypes.map((docType) => ({ ...heads[0]!, docType }));
        // The deciding word names what was evaluated, right before the term ("电力监控系统测评报告", "电力监控子系统_测评报告");
        // a test's kind between them ("…电力监控系统性能测评报告") is a software test of that system.
        const named = text.slice(0, heads[0]!.start).replace(/(子?系统)?[\s_\-—–]*$/, '');
        const line = foldForMatching(candidate.line);
        const decidedBy = ambiguous.decidedBy
          .filter((d) => (d.alongWith.length === 0 || d.alongWith.some((w) => line.includes(w))) && !d.unlessWith.some((w) => line.includes(w)))
          .flatMap((d) => d.words.filter((w) => named.endsWith(w)).map((word) => ({ docType: d.docType, word })))[0];
        if (decidedBy) {
          const evidence = { page: candidate.page, quote: candidate.original, rule: 'title' as const, term: heads[0]!.term, note: `${ambiguous.note}；标题写明“${decidedBy.word}”，按此判为${this.names.get(decidedBy.docType) ?? decidedBy.docType}` };
          const matches = [{ id: decidedBy.docType, confidence: round(positionWeight - 0.1), evidence }];
          return { kind: 'matched', matches, byGrammar: false, contested: { inner, note: ambiguous.note, candidate } };
        }
        return { kind: 'unrecognised', candidate, headOnly: [], foreign: false, inner, ambiguous: ambiguous.note };
      }
      if (termAtHead && this.readsAsProgramme(heads.map((h) => h.docType), text)) {
        pending ??= { kind: 'unrecognised', candidate, headOnly: [], foreign: false, inner: heads, ambiguous: PROGRAMME_NOTE };
        continue;
      }
      const matches: DocTypeMatch[] = heads.flatMap((h) => {
        const refined = termAtHead ? this.refinement(h.docType, qualified) : undefined;
        const asListed = { id: h.docType, confidence: round(positionWeight - (h.fuzzy ? 0.1 : 0)), evidence: { page: candidate.page, quote: candidate.original, rule: 'title' as const, term: h.term } };
        if (!refined) return [asListed];
        const narrower = { id: refined.docType, confidence: round(positionWeight - 0.05), evidence: { page: candidate.page, quote: candidate.original, rule: 'title-grammar' as const, term: refined.modifier + '…' + h.term } };
        // "…系统建设及运维服务合同": built and then maintained under one contract, the file is both papers.
        return withMaintenance<DocTypeMatch>(qualified, refined.modifier, asListed, narrower);
      });
      for (const extra of this.combinedParts(text, heads, candidate.fuzzyAllowed)) {
        if (matches.some((m) => m.id === extra.docType)) continue;
        matches.push({
          id: extra.docType,
          confidence: round(positionWeight - 0.05),
          evidence: { page: candidate.page, quote: candidate.original, rule: 'combined-title', term: extra.term },
        });
      }
      return { kind: 'matched', matches, byGrammar: false };
    }
    return pending ?? { kind: 'none' };
  }

  /**
   * Whether `part` is the start of `whole` (a title read as a guide or an article) that must not be read on its own:
   * cut mid-word ("…可行性研究报告编" of "…编制指南"), or a document's name before a guide's word ("…需求分析报告" of
   * "…编制指南"). A document's name with one of its parts named below ("…竣工验收报告" + "附图") is not.
   */
  private isPartOfGuideTitle(part: string, whole: string): boolean {
    if (whole.length <= part.length || !whole.startsWith(part)) return false;
    const cutMidWord = !this.allHeads.some((h) => part.endsWith(h));
    return cutMidWord || !PART_NAME_END.test(whole);
  }

  /**
   * The title grammar over a title without its trailing noise: each type whose head the title ends with, and the
   * modifier of that type nearest the head. The nearest modifier decides (ties: the longest); a type that refines the
   * winner and carries its own modifier anywhere before the head takes its place (维保 + 服务合同 is a maintenance
   * agreement, not a plain contract).
   */
  private grammar(core: string): GrammarResult | null {
    const decided: GrammarHit[] = [];
    const headOnly: GrammarResult['headOnly'] = [];
    // A type the title is excluded from still owns its nearest modifier: "…审批制度改革实施方案" is no implementation
    // plan (改革), and 建设, further from the head, must not make it a construction plan instead. An exclusion that is
    // another type's modifier hands the title to that type (延迟 + 验收申请 is an extension application).
    let nearestExcluded = -1;
    const firedExclusions: string[] = [];
    for (const t of this.grammarTypes) {
      const heads = t.heads.filter((h) => core.endsWith(h) && core.length > h.length);
      if (heads.length === 0) continue;
      const { found, shadowedOnly } = this.modifierBeforeHead(t, heads, core);
      const fired = this.firedExclusions(t.id, core);
      if (fired.length > 0) {
        if (found && found.modifierEnd > nearestExcluded) nearestExcluded = found.modifierEnd;
        if (found) firedExclusions.push(...fired);
        continue;
      }
      if (found) decided.push(found);
      else if (!shadowedOnly) headOnly.push({ docType: t.id, head: heads[0]! });
    }
    decided.sort((a, b) => b.modifierEnd - a.modifierEnd || b.modifier.length - a.modifier.length || b.head.length - a.head.length);
    const handedOver = decided.some((d) => firedExclusions.some((x) => x.includes(d.modifier) || d.modifier.includes(x)));
    if (decided.length > 0 && nearestExcluded > decided[0]!.modifierEnd && !handedOver) {
      headOnly.push(...decided.map((d) => ({ docType: d.docType, head: d.head })));
      decided.length = 0;
    }
    if (decided.length === 0 && headOnly.length === 0) return null;
    const top = decided[0];
    const winners = top ? decided.filter((d) => d.modifierEnd === top.modifierEnd && d.modifier.length === top.modifier.length && d.head.length === top.head.length) : [];
    // "…平台建设与维护承包合同": a contract to build and then maintain is both papers, the contract first.
    const refined = winners.flatMap((w) => {
      const narrower = this.refinement(w.docType, core);
      if (!narrower) return [w];
      return withMaintenance(core, narrower.modifier, w, narrower);
    });
    const unique = [...new Map(refined.map((r) => [r.docType, r])).values()];
    return { decided: unique, headOnly };
  }

  /**
   * Each head the title ends with, longest first ("开发总结报告" is 开发总结 + 报告 when 总结报告 leaves no modifier), and
   * the type's modifier nearest before it. `shadowedOnly`: every head was only the tail of a longer one.
   */
  private modifierBeforeHead(t: { id: string; modifiers: string[]; subjectModifiers: boolean }, heads: string[], core: string): { found?: GrammarHit; shadowedOnly: boolean } {
    let shadowedOnly = true;
    for (const head of heads) {
      // "项目开发总结": a modifier that itself ends with the head (开发总结) names the whole title.
      const whole = t.modifiers.filter((m) => m.endsWith(head) && m.length > head.length && core.endsWith(m)).sort((a, b) => b.length - a.length)[0];
      if (whole) return { found: { docType: t.id, head, modifier: whole, modifierEnd: core.length }, shadowedOnly: false };
      const shadow = this.shadowingHead(core, head);
      if (!shadow) shadowedOnly = false;
      // Brackets inside a name do not separate a modifier from its head: "软件(结构)设计说明" carries 结构设计.
      const body = core.slice(0, core.length - head.length).replace(/[()（）\[\]【】]/g, '');
      let best: { modifier: string; end: number } | undefined;
      for (const m of t.modifiers) {
        const at = lastModifierAt(body, m, t.subjectModifiers);
        if (at < 0) continue;
        const end = at + m.length;
        if (!best || end > best.end || (end === best.end && m.length > best.modifier.length)) best = { modifier: m, end };
      }
      const modifierEnd = best ? best.end + (core.length - head.length - body.length) : -1;
      // Under a longer head ("验收…清单" ends with 单, "建设…行动方案" with 方案) the modifier must reach into that head.
      if (best && (!shadow || modifierEnd > core.length - shadow.length)) return { found: { docType: t.id, head, modifier: best.modifier, modifierEnd }, shadowedOnly: false };
    }
    return { shadowedOnly };
  }

  /**
   * "源代码说明文档" → "源代码说明": a generic noun after a head of some type (two characters or more) is not the head,
   * unless the grammar already reads the title with it as head ("需求文档" is requirements analysis).
   */
  private withoutHeadSuffix(core: string): string {
    if ((this.grammar(core)?.decided.length ?? 0) > 0) return core;
    for (const suffix of this.headSuffixes) {
      if (!core.endsWith(suffix)) continue;
      const rest = core.slice(0, core.length - suffix.length);
      if (this.allHeads.some((h) => h.length >= 2 && rest.endsWith(h) && rest.length > h.length)) return rest;
    }
    return core;
  }

  /**
   * A longer head the title really ends with, which `head` is only the tail of: any foreign head ("行动方案" over 方案,
   * "填报说明" over 说明), or, for a one-character head (单, 书), a two-character word ending with it ("清单", "证书");
   * "决算审批表" is still 决算 + 表.
   */
  private shadowingHead(core: string, head: string): string | undefined {
    const longer = (h: string) => h.length > head.length && h.endsWith(head) && core.endsWith(h);
    return this.foreignHeads.find(longer) ?? (head.length === 1 ? this.allHeads.find((h) => h.length === 2 && longer(h)) : undefined);
  }

  /** A narrower type (catalogue `refines`) whose own modifier the title carries before its head. */
  private refinement(docType: string, core: string): GrammarHit | undefined {
    for (const t of this.grammarTypes) {
      if (t.refines !== docType || this.excluded(t.id, core)) continue;
      const head = t.heads.find((h) => core.endsWith(h));
      const body = head ? core.slice(0, core.length - head.length) : core;
      const modifier = t.modifiers.filter((m) => lastModifierAt(body, m, t.subjectModifiers) >= 0).sort((a, b) => b.length - a.length)[0];
      if (!modifier) continue;
      const modifierEnd = lastModifierAt(body, modifier, t.subjectModifiers) + modifier.length;
      // "某市公共设施维护管理平台项目软件开发合同书": in an agreement the work nearest the head is what it commissions;
      // building there makes it the development contract, whatever the system's name says.
      // "信息系统维护与升级服务协议": building joined to the modifier by a conjunction is commissioned with it, not a name.
      const agreement = t.heads.some((h) => /(合同|协议)(书)?$/.test(h));
      const after = body.slice(modifierEnd);
      if (agreement && /开发|建设|集成|供货|安装|升级|改造/.test(after) && !CONJUNCTION_THEN_BUILD.test(after)) continue;
      return { docType: t.id, head: head ?? '', modifier, modifierEnd };
    }
    return undefined;
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

  /**
   * The file name read as a title, by the same reading as a title on the page: a scan whose text yields no title, or a
   * file that cannot be read, is typed by what its name says ("05-某项目竣工验收报告（终稿）.pdf"), grammar included.
   */
  private fromFileName(path: string): DocTypeMatch[] {
    const base = path.split('/').pop() ?? path;
    const stem = fileNameTitle(base);
    if (!stem) return [];
    const titled = this.fromTitle([{ n: 1, text: stem, source: 'text-layer' }]);
    if (titled.kind === 'matched') {
      return titled.matches.map((m) => ({ id: m.id, confidence: FILE_NAME_SURE, evidence: { rule: 'file-name', quote: base, term: m.evidence.term } }));
    }
    // A name that carries a document's term short of its head ("某项目合同签字页", "关于报送…可行性研究报告的函") still says
    // what the file holds or goes with, less surely; a guide's or an article's name ("…编制指南") says nothing.
    if (titled.kind === 'unrecognised' && !titled.foreign) {
      const seen = new Set<string>();
      return titled.inner
        .filter((h) => !seen.has(h.docType) && seen.add(h.docType))
        .map((h) => ({ id: h.docType, confidence: FILE_NAME_SURE - 0.05, evidence: { rule: 'file-name' as const, quote: base, term: h.term } }));
    }
    return [];
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

  private isNewsHeadline(text: string): boolean {
    const core = stripTrailingNoise(text);
    // "…可行性研究报告获国家发改委批复", "…项目获批立项": what a paper obtained is news of it, not the paper. And
    // "某市政府通过…实施方案", "县常务会议审议通过…": a body that passed a paper, reported.
    return (
      this.newsEndings.some((e) => core.endsWith(e)) ||
      /获(?:[\u4e00-\u9fff]{2,14})?(批复|批准|批复立项|获批|立项)$/.test(core) ||
      (/^[\u4e00-\u9fff]{0,12}(政府|常务会议|常务会|常委会|党组|人大)(审议)?通过/.test(core) && !/(决议|决定|纪要|意见)$/.test(core))
    );
  }

  private excluded(docType: string, text: string): boolean {
    return this.firedExclusions(docType, text).length > 0;
  }

  /**
   * Whether an exclusion word of the hit's type occurs anywhere but wholly inside the hit's own term. The gap of a
   * wildcard term ("关于*可行性研究报告的批复") is the title's, not the term's: "关于调整…" there still vetoes it.
   */
  private excludedOutside(hit: TermHit, text: string): boolean {
    return (this.exclusions.get(hit.docType) ?? []).some((x) => {
      if (!x) return false;
      if (!hit.term.split('*').some((part) => part.includes(x))) return text.includes(x);
      for (let at = text.indexOf(x); at >= 0; at = text.indexOf(x, at + 1)) if (at < hit.start || at + x.length > hit.end) return true;
      return false;
    });
  }

  private firedExclusions(docType: string, text: string): string[] {
    return (this.exclusions.get(docType) ?? []).filter((x) => x && text.includes(x));
  }

  /**
   * Catalogue `programmeTypes`: a plan for a span of years or a five-year period ("…智慧交通建设方案(2021-2023年)",
   * "“十四五”期间推进智慧水利建设实施方案"), or in a government's words of policy (`programmeWords`: "…进一步优化政务服务
   * 便民热线工作的实施方案"), that names nothing a project builds reads as a programme as much as a project's plan. The
   * file stays unsure with the plan's type as its candidate (需确认, never 缺失): a project may name its object in words
   * no list holds ("…馆藏档案数字化加工工作实施方案"), and its body may still decide.
   */
  private readsAsProgramme(docTypes: string[], text: string): boolean {
    if (docTypes.length === 0 || !docTypes.every((id) => this.programmeTypes.has(id))) return false;
    const core = stripTrailingNoise(text);
    // "…智慧城市建设实施方案（二期）", "…（项目申报稿）": what trails the ending names a project.
    if (this.programmeTitleEndings.some((e) => core.endsWith(e)) && !PROJECT_OBJECT.test(text.slice(core.length))) return true;
    if (PROJECT_OBJECT.test(text)) return false;
    return PROGRAMME_PERIOD.test(text) || this.programmeWords.some((w) => text.includes(w));
  }
}

function compileTerms(docType: string, terms: string[]): CompiledTerm[] {
  const out: CompiledTerm[] = [];
  for (const raw of new Set(terms)) {
    const term = foldForMatching(raw);
    if (!term) continue;
    if (/^[a-z][a-z*]*[a-z]$/.test(term)) {
      // An English term ("srs", "test*report") is a word of its own: "srs" is not inside "users", and its words may be
      // joined by "_" or "-" in a file name ("TEST_EXECUTION_REPORT", "industrial-test-report").
      const words = term.split('*').map(escapeRegex);
      out.push({ docType, term, weight: term.replace(/\*/g, '').length, regex: new RegExp(`(?<![a-z])${words.join('[a-z_-]{0,30}?')}(?![a-z])`) });
    } else if (term.includes('*')) {
      const parts = term.split('*').filter(Boolean).map(escapeRegex);
      out.push({ docType, term, weight: parts.join('').length, regex: new RegExp(parts.join('[^。；;！!？?]{0,40}?')) });
    } else {
      out.push({ docType, term, weight: term.length });
      // Combined titles join their parts with any conjunction: "初步设计方案及投资概算" is also "…和投资概算".
      if (TERM_CONJUNCTION.test(term)) out.push({ docType, term, weight: term.length, regex: new RegExp(escapeRegex(term).replace(new RegExp(TERM_CONJUNCTION.source, 'g'), '[及和与暨、]')) });
    }
  }
  return out;
}

const TERM_CONJUNCTION = /[及和与]/;

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
  /** The whole line the candidate comes from (a cell or a part of it may be the candidate). */
  line: string;
  original: string;
  page: number;
  lineIndex: number;
  fuzzyAllowed: boolean;
  /**
   * A reading that counts only when it names one of our documents: a document's first line without its list number
   * ("9、竣工验收评审意见表"), a cover's project name joined to the line below it, or a long title with the lines it
   * wrapped onto.
   */
  tentative?: 'numbered' | 'joined' | 'wrapped';
  /** For a joined or wrapped reading: the line(s) below the first, which must name nothing alone. */
  lower?: string;
  /** A table cell of a row: the other cells ("是否通过初验") are not part of its title. */
  cell?: boolean;
  /**
   * Every line above it on the first page is a page header: the issuer's name ("某某市政务服务数据管理局"), a letterhead,
   * a document number, an enclosure label. Such a line reads as the document's first line.
   */
  belowHeaderOnly?: boolean;
  /** A part of a line whose subtitle after a colon is a phrase ("…:确保项目成功交付的关键环节"). */
  subtitle?: string;
  /**
   * A long first line with the line(s) it wrapped onto ("国家电子政务工程建设项目需求分析" / "报告编制要求(试用)"): the whole
   * title, which may be a guide, a letter or news although its first line alone names one of our documents.
   */
  wrappedWhole?: { text: string; original: string };
}

/**
 * A title from line `start` on: a "关于…" title runs on until its "的+head" ("…可行性研究报告" / "的批复"), and a wrapped
 * tail of a few characters ("…评审意" / "见") belongs to the line above. `next` is the first line after it.
 */
function completeTitle(zone: string[], start: number, first = zone[start]!): { text: string; original: string; next: number } {
  let text = foldForMatching(first);
  let original = first;
  let next = start + 1;
  // A page header ("某某市政务服务数据管理局") is whole: the short title below it ("实施方案") is not its wrapped tail.
  if (isPageHeader(text)) return { text, original, next };
  for (let k = start + 1; k < Math.min(zone.length, start + 4); k++) {
    const line = foldForMatching(zone[k]!);
    // "某市发展改革委关于…" opens a 公文 title as well as "关于…" does.
    const openAbout = /^.{0,30}?关于/.test(text) && !/的[^的]{1,15}$/.test(text);
    const wrappedTail = line.length <= 6 && (line.length <= 3 || isTitleLike(line));
    if (!line || !(wrappedTail || (openAbout && isTitleLike(line))) || text.length + line.length > MAX_TITLE_LINE) break;
    if (isPageHeader(line) || DATE_LINE.test(line) || isContentsLine(zone[k]!)) break;
    text += line;
    original += ` ${zone[k]!}`;
    next = k + 1;
  }
  return { text, original, next };
}

/**
 * The lines a long first line of a title wrapped onto: at most two, each title-like and no longer than the first, not
 * numbered, not a label ("编制单位：…"), not a page header (the unit's name) and not a date. `text` is the whole title.
 * A first line ending like a project's name ("…管理平台项目") broke there on purpose: that is a cover (see `joined`).
 */
function wrappedTitle(zone: string[], from: number, first: string): { text: string; original: string; lower: string } | undefined {
  // A first line that ends like a project's name is a cover's name line, read with the line below as such.
  if (first.length < 10 || isPageHeader(first) || PROJECT_NAME_END.test(first)) return undefined;
  let text = first;
  const originals: string[] = [];
  for (let k = from; k < Math.min(zone.length, from + 2); k++) {
    const line = foldForMatching(zone[k]!);
    if (line.length < 2 || line.length > first.length + 2 || !isTitleLike(line) || NUMBERED_ITEM.test(line) || isContentsLine(zone[k]!) || LABEL_VALUE.test(line) || isPageHeader(line) || DATE_LINE.test(line) || /^第\d+页|共\d+页$/.test(line)) break;
    if (text.length + line.length > MAX_TITLE_LINE) break;
    text += line;
    originals.push(zone[k]!);
    if (line.length < first.length - 2) break;
  }
  return originals.length > 0 ? { text, original: originals.join(' '), lower: text.slice(first.length) } : undefined;
}

/** Short, title-like lines of the first pages, and pairs of adjacent short lines (titles wrap). */
function* titleCandidates(pages: Page[], numberedFirstLine: boolean): Generator<TitleCandidate> {
  let lineIndex = 0;
  // A cover that carries nothing but page headers ("正本", a company's name) leaves the next page's first line the
  // document's first line for an article's or a standard's reading.
  let headerOnlyAbove = true;
  // A numbered first line on page 2 counts only below a cover page of formal headers alone ("正本"), not a blank one.
  let coverOfFormalHeaders = false;
  for (const page of pages.slice(0, 2)) {
    let formalHeaderOnlyAbove = page === pages[0] || coverOfFormalHeaders;
    const lines = page.text
      .split('\n')
      .map((l) => toHalfWidthAlnum(l).trim())
      .filter((l) => l.length > 0);
    const zone = lines.slice(0, page === pages[0] ? TITLE_ZONE_LINES : 8);
    const fuzzyAllowed = page.source === 'ocr';
    // A unit's name alone above a numbered line is as often a running header over a body page ("某某科技有限公司" /
    // "1.项目基本情况"), so only a 公文's letterhead, a document number or an enclosure label lets it be a title.
    // A line in Latin letters only ("SRS", "Software Requirements Specification") over a Chinese title is a label or a
    // translation: it is read after the Chinese lines, and decides only when they name nothing.
    const latinOnly: TitleCandidate[] = [];
    const hasHan = zone.some((l) => /\p{Script=Han}/u.test(l));
    for (let i = 0; i < zone.length; i++) {
      const belowHeaderOnly = headerOnlyAbove;
      const belowFormalHeaderOnly = formalHeaderOnlyAbove;
      const latinLine = hasHan && !/\p{Script=Han}/u.test(zone[i]!);
      headerOnlyAbove &&= latinLine || isPageHeader(foldForMatching(zone[i]!));
      formalHeaderOnlyAbove &&= isPageHeader(foldForMatching(zone[i]!), true);
      if (latinLine) {
        const latin = foldForMatching(zone[i]!);
        if (isTitleLike(latin)) latinOnly.push({ text: latin, line: latin, original: zone[i]!, page: page.n, lineIndex, fuzzyAllowed });
        lineIndex += 1;
        continue;
      }
      // "附件3：某项目竣工验收报告": an enclosure's title carries its place in the letter it came with.
      // "《某某系统需求规格说明书》": a title quoted whole in book-title marks is read without them.
      const line = withoutWholeQuote(withoutLineFurniture(i <= 2 && page === pages[0] ? withoutEnclosureMarker(zone[i]!) : zone[i]!));
      const folded = foldForMatching(line);
      // "9、竣工验收评审意见表" opening a document is its title with its place in a dossier's list; further down, a numbered
      // line is an item or a section.
      // Only a dossier's own numbering ("9、", "05-", "6.4"), not a section's ("（二）", "二、"), and not on a page that
      // lists documents (the next line numbered too, or dot leaders to a page number).
      // A body's own sections ("一、项目概况") below the title make no list; items ("2.", "（1）") do.
      const nextLine = zone[i + 1] !== undefined ? foldForMatching(zone[i + 1]!) : '';
      const listPage = (NUMBERED_ITEM.test(nextLine) && !/^[一二三四五六七八九十]{1,3}[、.]/.test(nextLine)) || /[.…·．]{2,}\s*\d+$/.test(line);
      const unnumbered = numberedFirstLine && belowFormalHeaderOnly && /^\d/.test(line) && !listPage ? foldForMatching(withoutListNumber(line)) : folded;
      // "5、合同", "3、自查报告：某某系统": short, or a name and what it is about after a colon, like the line without its number.
      if (unnumbered !== folded && unnumbered.length >= 2 && isTitleLike(unnumbered.replace(/[:：].*$/, ''))) {
        yield { text: unnumbered, line: unnumbered, original: line, page: page.n, lineIndex, fuzzyAllowed, belowHeaderOnly, tentative: 'numbered' };
      }
      // A form's title sits in a table cell ("XX项目立项审批表 | 填报日期：…", or OCR cells split by wide gaps): the first
      // cells of a row are title candidates of their own.
      const cells = line.split(/\s*\|\s*|\t+|\s{3,}/).map((c) => c.trim()).filter(Boolean);
      if (cells.length >= 2) {
        for (const cell of cells.slice(0, 3)) {
          const c = foldForMatching(cell);
          if (c.length >= 4 && isTitleLike(c)) yield { text: c, line: folded, original: cell, page: page.n, lineIndex, fuzzyAllowed, belowHeaderOnly, cell: true };
        }
      }
      // The salutation ("XX局:") opens the body of a letter: the title is above it.
      if (/^[^,，。;；]{2,40}[:：]$/.test(folded)) {
        yield* latinOnly;
        return;
      }
      if (isTitleLike(folded)) {
        // The whole title first: a "关于…" title runs on until its "的+head" ("…可行性研究报告" / "的批复"), and a
        // wrapped tail of a few characters ("…评审意" / "见") belongs to the line above.
        const whole = completeTitle(zone, i, line);
        const completed = whole.text;
        const completedOriginal = whole.original;
        const after = whole.next;
        // A cover sets the project's name above the document's own name ("某市智慧党建平台项目" / "总结（建设单位）"): read
        // together first, since the deciding word may sit in the name, then each line alone. The lower name is taken
        // whole, with its own wrapped ending ("可行性研究报告" / "的批复"); a 公文 title ("关于…") stands on its own.
        const lower = after < zone.length ? completeTitle(zone, after) : undefined;
        const joined = lower ? completed + lower.text : '';
        if (
          lower &&
          PROJECT_NAME_END.test(completed) &&
          !NUMBERED_ITEM.test(lower.text) &&
          !isContentsLine(zone[after]!) &&
          !lower.text.startsWith('关于') &&
          joined.length <= MAX_TITLE_LINE &&
          isTitleLike(joined) &&
          (!LABEL_VALUE.test(lower.text) || /^[^:：]*[(（][^)）]*[:：]/.test(lower.text))
        ) {
          yield { text: joined, line: joined, original: `${completedOriginal} ${lower.original}`, page: page.n, lineIndex, fuzzyAllowed, belowHeaderOnly, tentative: 'joined', lower: lower.text };
        }
        // A long title set in large type wraps anywhere ("汕头市第四人民医院医疗设备市" / "场调研公告（含电子胃肠镜）"): when the
        // full first line alone names nothing, it is read with the one or two lines that finish it, each no longer than it.
        const wrapped = wrappedTitle(zone, after, completed);
        // A part named below a title ("附图", "填报说明", "投标人须知") is no wrapped ending of it.
        const wrappedWhole =
          wrapped && completed.length >= WRAPPED_LINE_MIN && !(wrapped.lower.length <= 10 && PART_NAME_END.test(wrapped.lower))
            ? { text: wrapped.text, original: `${completedOriginal} ${wrapped.original}` }
            : undefined;
        if (completed !== folded) yield { text: completed, line: completed, original: completedOriginal, page: page.n, lineIndex, fuzzyAllowed, belowHeaderOnly, wrappedWhole };
        yield { text: folded, line: folded, original: line, page: page.n, lineIndex, fuzzyAllowed, belowHeaderOnly, wrappedWhole };
        if (wrapped) {
          yield { text: wrapped.text, line: wrapped.text, original: `${completedOriginal} ${wrapped.original}`, page: page.n, lineIndex, fuzzyAllowed, belowHeaderOnly, tentative: 'wrapped', lower: wrapped.lower };
        }
      }
      // "测试报告 - 文档管理系统", "Web项目建议书：Social-Commerce", "某局:某项目采购需求公开": a title joined to a name or an
      // issuer by a dash, a middle dot or a colon; either part may be the title, after the whole line had its turn.
      // In a table row, the first cell is read so ("自查报告：某系统 | 填报日期：…").
      {
        const joinedLine = cells.length >= 2 ? cells[0]! : line;
        // A bare hyphen joins only between two Chinese words ("…测评报告-实时监控", "…(非技术部分)-某公司", a template's
        // "…验收证书-xx项目"), not in a code ("5-1", "2024-Z").
        // An underscore joins parts the way a file name does ("…计划书_软工212-01-某某").
        const parts = joinedLine.split(/\s+[-–—·]+\s+|——|(?<!\d年?)—|—(?!\d)|·|[:：]|_+|\+|(?<=[\u4e00-\u9fff)）])-(?=(?:xx|XX)?[\u4e00-\u9fff])/).map((p) => p.trim()).filter(Boolean);
        if (parts.length >= 2 && parts.length <= 3) {
          // "接口设计说明书模板:助力高效开发的利器": a phrase after the colon ("…的…") is a subtitle, maybe a slogan.
          const afterColon = /[:：](.+)$/.exec(foldForMatching(joinedLine))?.[1];
          const subtitle = afterColon && afterColon.length >= 6 && afterColon.includes('的') ? afterColon : undefined;
          for (const part of parts) {
            const c = foldForMatching(part);
            if (c.length >= 4 && isTitleLike(c)) yield { text: c, line: folded, original: part, page: page.n, lineIndex, fuzzyAllowed, belowHeaderOnly, subtitle };
          }
        }
      }
      lineIndex += 1;
    }
    yield* latinOnly;
    // A cover page with a few lines leads to page 2; a full first page is enough.
    if (lines.length >= 6) break;
    coverOfFormalHeaders = page === pages[0] && zone.length > 0 && zone.every((l) => isPageHeader(foldForMatching(l), true));
  }
}

/**
 * Where the modifier last occurs in what precedes the head, skipping an occurrence that names a system inside the title
 * ("测评系统测试报告", "采购平台运维服务合同": 测评 and 采购 name what the system does, not what the document is).
 * Right before the head the name is the subject ("测评系统报告" keeps 测评), and so it is everywhere for a type whose
 * modifiers are subjects (catalogue `subjectModifiers`: "入侵检测系统建设方案" plans that security system).
 */
function lastModifierAt(body: string, modifier: string, subject = false): number {
  if (subject) return body.lastIndexOf(modifier);
  let from = body.length;
  while (from >= 0) {
    const at = body.lastIndexOf(modifier, from);
    if (at < 0) return -1;
    const after = body.slice(at + modifier.length);
    const name = /^(系统|平台|网站|小程序|app)/.exec(after);
    if (!name || after.length === name[0].length) return at;
    from = at - 1;
  }
  return -1;
}

/**
 * "…平台建设与维护承包合同", "…系统开发及运维服务合同": the narrowing modifier (维护) is joined to building the thing,
 * so the paper is the main contract as well as the maintenance agreement, the work named first being the main one
 * ("维护与升级服务协议" maintains first). `alone`: the modifier is joined to no building.
 */
function maintenanceAndBuilding(core: string, modifier: string): 'alone' | 'buildsFirst' | 'maintainsFirst' {
  const at = core.lastIndexOf(modifier);
  if (CONJUNCTION_THEN_BUILD.test(core.slice(at + modifier.length))) return 'maintainsFirst';
  return at > 0 && /(建设|开发|实施|集成|供货|安装|升级|改造|采购)(与|及|和|、|暨|并)$/.test(core.slice(0, at)) ? 'buildsFirst' : 'alone';
}
/** The narrower type alone, or both types with the work named first ahead (see maintenanceAndBuilding). */
function withMaintenance<T>(core: string, modifier: string, broader: T, narrower: T): T[] {
  const order = maintenanceAndBuilding(core, modifier);
  return order === 'alone' ? [narrower] : order === 'maintainsFirst' ? [narrower, broader] : [broader, narrower];
}

/**
 * What follows a maintenance word that joins building to it and runs on to the agreement's head ("维护与升级服务协议",
 * "运维及开发服务合同"); "…设备维护与升级管理系统开发合同" names a system instead.
 */
const CONJUNCTION_THEN_BUILD = /^(与|及|和|、|暨|并)(扩容|二次)?(建设|开发|实施|集成|供货|安装|调试|升级|改造){1,2}(技术服务|服务|工作|工程)?(采购)?((服务)?(合同|协议)书?)?$/;

/**
 * What follows a head-first title: the name of a system, platform or project ("墨香书阁小说阅读平台"), not another noun
 * that could be the head ("…编制要求", "…评审会").
 */
function isNameOnly(rest: string): boolean {
  return rest.length >= 4 && rest.length <= 40 && /(系统|平台|项目|工程|网站|软件|程序|app|门户|数据库|一期|二期|三期)$/.test(rest);
}

/** Ends like the title of a document ("…确认单", "…情况说明", "…通知") but is not an issuer's letterhead ("…文件"). */
function isUnlistedDocumentTitle(folded: string): boolean {
  return folded.length >= 6 && !isLetterhead(folded) && /(单|表|书|报告|意见|通知|函|批复|纪要|证明|证书|合同|协议|请示|公告|说明|清单|记录|决定)$/.test(folded);
}

/**
 * A letter that sends another paper ("关于报送XX可行性研究报告的函", "关于上报…实施方案的请示"). An application made by
 * letter ("关于报送…验收申请的函") is the application itself, so a sent 申请 or 请示 does not count.
 */
function sendsDocument(folded: string): boolean {
  const m = /^关于(报送|上报|呈报|转报|呈送|送审|报审|提交)(.{2,60}?)的?(函|请示|报告|通知)$/.exec(folded);
  return !!m && !/(申请|申请书|申请表|申请报告|请示)$/.test(m[2]!);
}

/** A standard's title: its code (GB/T 8567—2006, DB37/T 4225-2020, GA/T …) or a part of a multi-part standard. */
function isStandardTitle(folded: string): boolean {
  return /^(gb|db\d{2}|[a-z]{2,4})([\/∕-]?[tz])?\d{3,6}(\.\d{1,3})*[-—–]\d{4}\p{Script=Han}{4}/u.test(folded) || /(^|规范|标准)第[一二三四五六七八九十\d]{1,3}部分[:：]/.test(folded);
}

function isLetterTitle(folded: string): boolean {
  return /^关于.{2,60}的?(请示|报告|函|申请|说明|情况说明)$/.test(folded);
}

/** The official-document title of a letter, request or report that names no catalogued type. */
function letterTitle(pages: Page[], catchAll: string): DocTypeMatch | null {
  for (const candidate of titleCandidates(pages, true)) {
    if (isLetterTitle(stripVersionMarkers(candidate.text))) {
      return { id: catchAll, confidence: 0.7, evidence: { page: candidate.page, quote: candidate.original, rule: 'title' } };
    }
  }
  return null;
}

/**
 * A line that heads a page above a document's title: the issuer's or unit's name ("某某市政务服务数据管理局"), a
 * letterhead, a document number ("某发改投〔2024〕47号"), an enclosure label ("附件2"). `formalOnly`: not a bare name.
 */
function isPageHeader(folded: string, formalOnly = false): boolean {
  return (
    isLetterhead(folded) ||
    // A unit's name: not a 公文 title's opening ("关于转发市政务服务中心管理办公室"), nor a title wrapped at a word that ends
    // like a unit ("…跨境电商运维支撑项目政府" / "采购合同").
    (!formalOnly &&
      /^[\u4e00-\u9fff()（）]{2,30}(局|委员会|委|办公室|办|人民政府|政府|院|厅|部|中心|公司|集团|大学|学院|医院|研究所|所|站|队|署)$/.test(folded) &&
      !/^关于|项目|工程|系统|平台/.test(folded)) ||
    /^[\u4e00-\u9fff]{1,10}[〔\[【(（]\s*(19|20)\d{2}\s*[〕\]】)）]\s*\d{1,4}\s*号$/.test(folded) ||
    /^附件[\d一二三四五六七八九十]{0,3}[:：]?$/.test(folded) ||
    // A cover's control labels over the title: "文档编号：ZH-2024-017", "密级：内部", "秘密★1年", "版本号：V1.0".
    /^(文档|文件|合同|项目|报告|资料)?(编号|编码|密级|保密级别|版本号?|受控状态|分发号|存档号|档案号)[:：]/.test(folded) ||
    /^(绝密|机密|秘密|内部)(★|资料|文件)/.test(folded) ||
    // A cover's word over the title is formal: no body page is headed 正本. The first page's own number ("- 1 -",
    // "第1页共20页") is not: a body page's number may head it too ("第1页共30页" / "1.建设方案"), and a later page's
    // number is no header at all.
    /^(封面|正本|副本)$/.test(folded) ||
    (!formalOnly && /^[-—–]?1[-—–]?$|^第1页(共\d+页)?$|^共\d+页第1页$/.test(folded)) ||
    // OCR's stray marks from a frame or a rule line ("|", "——"), only where a bare name would do.
    (!formalOnly && /^[|｜¦\-—–_=~·•※*]{1,6}$/.test(folded))
  );
}

/** "常德市人民政府办公室文件": an issuing organisation followed by 文件 (unlike "招标文件", "投标文件"). */
function isLetterhead(folded: string): boolean {
  return /(局|委|办|院|府|厅|部|中心|公司|室|会|组|处|所|站|馆)(\(.{1,12}\))?文件$/.test(folded);
}

function isTitleLike(folded: string): boolean {
  if (folded.length < 2 || folded.length > MAX_TITLE_LINE) return false;
  // The letterhead ("XX局文件") and the document number ("益发改投〔2024〕47号") sit above a title, never in it.
  // A long title that ends with a bracketed code ("…采购咨询公告（2025-1）") is still a title.
  // "…会议纪要（2024年第5次）" is a sitting's number, not a document number: without the closing bracket, 号 must end it.
  // A number goes on after its year's bracket ("〔2024〕47号"); a bare year closing the line is the title's ("…验收报告(2023)").
  const docNumber = /[〔\[【(（]\s*(19|20)\d{2}\s*([〕\]】)）].{1,6}|.{0,6}号)$/;
  // "…报告模版(2025版)", "…合同(2024年度)": a year with 版 or 年 in brackets is an edition or a period, not a number.
  const edition = /[(（]\s*(19|20)\d{2}[^()（）]{0,4}(版|年度?)[)）]?$/;
  if (isLetterhead(folded) || (docNumber.test(folded) && !edition.test(folded) && (folded.endsWith('号') || folded.length <= 20))) return false;
  // "（2024）" on a cover's line of its own under the title: the year of what is above, never a title.
  if (/^[(（\[【〔]\s*(19|20)\d{2}\s*(年度?)?[)）\]】〕]$/.test(folded)) return false;
  if (SENTENCE_END.test(folded)) return false;
  // "第12章 网络安全新技术及解决方案": a chapter's heading opens an excerpt; the document's title is not on the page.
  // "项目管理第2章软件开发成本估算": a textbook's chapter, wherever its number sits.
  if (/(^|[\u4e00-\u9fff])第[一二三四五六七八九十百\d]{1,4}章/.test(folded) || /^第[一二三四五六七八九十百\d]{1,4}篇/.test(folded)) return false;
  if (LABEL_VALUE.test(folded)) return false;
  // "关于报送…验收申请的函": an official letter's title may carry 报送 or 根据; in a body line they refer to another paper.
  // An open one wraps: "关于报送长武县高级中学新校区建设" / "项目可行性研究报告的报告".
  const officialTitle = (/关于.{2,}的?(请示|报告|函|复函|批复|通知|申请|意见)$/.test(folded) || /^关于.{6,}/.test(folded)) && !REFERENCE_CUES.some((c) => folded.startsWith(c));
  // "…项目合同（含技术附件）": a bracket after the title saying what the document holds is a remark, not a reference.
  const unremarked = folded.replace(/[(（](?:含|附|包括)[^()（）]{0,18}[)）]$/, '');
  if (!officialTitle && REFERENCE_CUES.some((c) => unremarked.includes(c))) return false;
  // Numbered list items ("1.监理报告", "(三)竣工报告") in a letter are enclosures, not the letter's title.
  if (NUMBERED_ITEM.test(folded)) return false;
  return true;
}

function looksLikeHeading(folded: string): boolean {
  return (
    /^(第[一二三四五六七八九十\d]+[章节部分]|[一二三四五六七八九十]{1,3}[、.]|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}(\.\d{1,2}){0,3}[.、\s]?)/.test(folded) ||
    folded.length <= 16
  );
}

/**
 * A title without what may follow its head: bracketed codes and remarks ("（0724-2531ST646518）", "(二次)"), numbers and
 * punctuation. The head is read at the end of what remains.
 */
function stripTrailingNoise(s: string): string {
  // "《建设工程监理合同示范文本》GF0202": a title quoted whole in book-title marks is read without them.
  let out = s.replace(/^《([^《》]{2,})》(?=[^《》]*$)/, '$1');
  for (let i = 0; i < 4; i++) {
    const before = out;
    out = out
      // A file's extension where a page shows a file's name ("…可行性研究报告 (3).doc").
      .replace(/\.(?:docx?|wps|pdf|ofd|xlsx?|et|txt|rtf|md|markdown|html?|pptx?|dps|jpe?g|png|tiff?)$/i, '')
      .replace(/[(（\[【〔<《][^()（）\[\]【】〔〕<>《》]{0,60}[)）\]】〕>》]$/, '')
      // A remark in brackets that holds a document number's own brackets: "…的批复(发改农经[2017]118号)".
      .replace(/[(（][^()（）]{0,60}[)）]$/, '')
      .replace(/[vV]\d+(\.\d+)*[a-z]?$/, '')
      // An acronym or a working word after the Chinese title: "…需求规格说明书SRS", "…项目开发计划 revised".
      // Not a head ("…评估FAQ") nor a name ("…估算 APP").
      .replace(/(?<=[\u4e00-\u9fff][\s_-]*)(?!(?:faq|app)$)(?:[a-z]{2,5}|revised|draft|baseline)$/i, '')
      .replace(/[\s_-]+(?:revised|draft|baseline|final)$/i, '')
      // A dated edition: "…服务合同协议2025年维护版".
      .replace(/(19|20)\d{2}年?[\u4e00-\u9fff]{0,4}版$/, '')
      // An edition after the title: "…技术方案-C版", "…实施方案-Word版", "…V2版".
      .replace(/[-_—·\s]*(?:[a-z]{1,8}|[a-z]?\d+(?:\.\d+)*)版$/i, '')
      .replace(/(19|20)\d{2}年度?$/, '')
      // A document code after the title ("…招标文件 ZGS-FW-1").
      .replace(/(?<=[\u4e00-\u9fff])[a-z]{0,8}[-_]?[a-z0-9-_]*\d[a-z0-9-_]*$/i, '')
      // What a shared copy appends to the title: "…合同范本", "…协议格式版", "…方案范文参考", "…指南整合版".
      // "…文档标准模版": 标准 qualifies the template there, it is not the head.
      // "…实施方案格式及范文": a template and its sample together.
      .replace(/(?:格式|模板|模版|范本|样本)(?:及|和|与|、)(?:范文|范例|样例|示例|填写说明)$/, '')
      .replace(/(标准模板|标准模版|标准范本|模板|模版|范本|示范文本|样本|样板|范文参考|范文|参考|格式版|格式|整合版|修改版|更新版|定稿版|最终版|终版|初版|正式版|修订版|盖章版|签字版|送审版|报批版|word文档|全文|详细|final)$/i, '')
      // An edition written out after the title, not bracketed: "…可行性研究报告终稿", "SRS正式稿".
      .replace(/(送审稿|评审稿|报批稿|修订稿|征求意见稿|讨论稿|审定稿|定稿|初稿|正式稿|正稿|终稿|正本|副本)$/, '')
      // What a copy is, after a separator: "…测试报告_扫描件", "…合同-复印件".
      .replace(/[-_—·\s]+(扫描件|扫描版|复印件|影印件|原件|副本|照片|拍照件)$/, '')
      // A document site's collection of samples: "…合同示范文本3篇", "…合同范文合集九篇", "…报告范文集", "…申请书范文简单".
      .replace(/(?:(?:通用|精选)?[\d一二三四五六七八九十]{1,3}篇|通用|合集|汇总|范文集|大全|精选文档|精选|可编辑|简单|范例|例文|样例|案例|实例)$/, '')
      // A team's number after a course document's title: "…需求分析报告第四组".
      .replace(/[-_—·\s]*第[一二三四五六七八九十\d]{1,3}(?:小组|组)$/, '')
      // A volume of a bound document: "合同-上册", "…投标文件（第二册）".
      .replace(/[-_—·\s]*(?:[上中下]册|第?[一二三四五六七八九十\d]{1,2}[册卷])$/, '')
      // A worded edition after a separator: "…初步验收报告2.0-盖章编码版".
      .replace(/[-_—·\s]+[\u4e00-\u9fff]{1,5}版$/, '')
      // A download page's words: "…说明书V10Word文件下载", "…-推荐下载".
      .replace(/(?:word|pdf|doc|docx)?(?:文件|文档)?(?:免费|推荐|在线)?下载$/i, '')
      // A version uncovered by what trailed it ("…文档v2终稿"), before its digits go with the trailing punctuation.
      .replace(/[vV]\d+(\.\d+)*[a-z]?$/, '')
      .replace(/[-—_#·.。:：,，;；、\d\s]+$/, '');
    if (out === before) break;
  }
  return out || s;
}

/**
 * "服务协议(网站维护)": a bracketed qualifier after the head is a modifier of it, so the grammar reads it before the
 * head ("网站维护服务协议"). Codes, years and counts in brackets ("(2024年度)", "(二次)") are noise, not qualifiers.
 */
function qualifiedCore(text: string, core: string): string {
  const m = /[(（]([^()（）]{2,12})[)）][^()（）]*$/.exec(text);
  const qualifier = m?.[1];
  if (!qualifier || /[\d一二三四五六七八九十]/.test(qualifier) || !text.startsWith(core) || text.indexOf(m[0]) !== core.length) return core;
  return qualifier + core;
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

/** "05-", "3.1 ", "（二）", "9、", "6.4平台…": a place in a list before a title. */
function withoutListNumber(s: string): string {
  return s
    .replace(/^[(（]?(?:\d{1,3}|[一二三四五六七八九十]{1,3})(?:[.．]\d{1,2}){0,3}[)）]?\s*[.．、\-_—）)\s]\s*/, '')
    .replace(/^\d{1,2}(?:[.．]\d{1,2}){1,3}(?=[\u4e00-\u9fff])/, '')
    .trim();
}

function withoutWholeQuote(line: string): string {
  return /^《[^《》]{2,}》$/.test(line) ? line.slice(1, -1) : line;
}

/**
 * A title line as a form or a two-column cover sets it: "文件名称：某项目可行性研究报告" is the title after its label, and a
 * date or a page number far to its right ("…验收报告        2024年5月") is no part of it.
 */
function withoutLineFurniture(line: string): string {
  return line
    .replace(/^(?:文件|材料|文档|报告|资料|文本)(?:名称|标题)\s*[:：]\s*(?=\S{2,})/, '')
    .replace(/\s{3,}(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|(?:19|20)\d{2}[-./]\d{1,2}(?:[-./]\d{1,2})?|[〇零一二三四五六七八九十○]{4}年[一二三四五六七八九十]{1,2}月(?:[一二三四五六七八九十]{1,3}日)?|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d{1,3})$/, '');
}

/** "附件3：", "附件二 ": an enclosure's number before its title; a bare "附件" line is left as it is. */
function withoutEnclosureMarker(line: string): string {
  const rest = line.replace(/^附件\s*[\d一二三四五六七八九十]{1,3}\s*[:：.、\-_—]?\s*/, '');
  return rest.length >= 4 ? rest : line;
}

/**
 * What a file name says as a title: without its extension, its place in a list ("05-", "3.1 ", "A-", "附件3："), and a
 * document number before or after it ("常发改〔2024〕47号"). Underscores stay: the title reading splits parts on them.
 */
function fileNameTitle(base: string): string {
  let stem = withoutEnclosureMarker(base.replace(/\.[A-Za-z0-9]{1,5}$/, '').trim());
  for (let i = 0; i < 3; i++) {
    const before = stem;
    stem = withoutListNumber(stem)
      .replace(/^附件\s*[:：.、\-_—）)]?\s*/, '')
      .replace(/^[(（]?[A-Za-z]{1,2}[)）]?\s*[.．、\-_—）)\s]\s*/, '')
      .replace(/^[\u4e00-\u9fff]{1,8}[〔\[【(（]\s*(?:19|20)\d{2}\s*[〕\]】)）]\s*\d{1,4}\s*号\s*[-_—:：、\s]*/, '')
      .replace(/\s*[(（][\u4e00-\u9fff]{1,8}[〔\[【(（]\s*(?:19|20)\d{2}\s*[〕\]】)）]\s*\d{1,4}\s*号[)）]$/, '')
      // "…竣工验收报告及附件", "…可研报告附件": the document with what goes with it.
      .replace(/(?<=[\u4e00-\u9fff])(?:及|和|含)?附(?:件|表)\d{0,2}$/, '')
      .trim();
    if (stem === before) break;
  }
  return stem;
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
