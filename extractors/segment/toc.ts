import type { PageLayout } from './layout.ts';
import { namesDocument } from './titles.ts';

/**
 * Reading a 目录: which pages hold it, and its entries (title, printed page number). Titles that wrap onto a second
 * line are joined; chapter lines (第X章, 一、, 1.2) are kept but marked, because in a volume they are parts of the
 * document above them, not documents of their own.
 */

export interface TocEntry {
  title: string;
  printed: number;
  /** A chapter, section or numbered part of the entry before it (第一章…, 一、…, 1.1…, 附录…). */
  chapter: boolean;
  /** Physical page of the 目录 line (for evidence). */
  tocPage: number;
}

export interface Toc {
  /** Physical pages the 目录 covers. */
  pages: number[];
  entries: TocEntry[];
}

const TOC_HEADING = /^(?:目\s*录|目\s*次|总\s*目\s*录|材料目录|资料目录|案卷目录|卷内目录|contents)$/i;
/** Title, a leader (dots, ellipses, middle dots, dashes, underscores) and a page number. */
const LEADER_ENTRY = /^(.*?)\s*(?:[…⋯‥]\s*|(?:[.．·•_—－-]\s*){2,})+\s*(?:第\s*)?(\d{1,4})\s*(?:页)?$/;
/** Without a leader: a title, at least one space and a page number (tables of contents typed by hand). */
const SPACED_ENTRY = /^(\S.*?\S)\s{1,}(?:第\s*)?(\d{1,4})\s*(?:页)?$/;
/** A title whose leader ran to the end of the line, its page number wrapped onto the next. */
const TRAILING_LEADER = /\s*(?:[…⋯‥]\s*|(?:[.．·•_—－-]\s*){2,})+$/;
const LEADER_ONLY = /^(?:[…⋯‥]\s*|(?:[.．·•_—－-]\s*){2,})+\s*(\d{1,4})$/;
const CHAPTER = /^(?:第\s*[一二三四五六七八九十百零〇\d]+\s*[章节篇部分条]|\d+(?:\.\d+)+|附\s*录|附\s*表|附\s*图)/;
/** 一、 1、 (一): in a volume's 目录 these number documents when the title names one, and chapters otherwise. */
const NUMBERED = /^(?:[一二三四五六七八九十]+\s*[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+\s*[、.．](?!\d))\s*/;
/** Bound attachments are documents of their own (附件1 XX批复). */
const ATTACHMENT = /^附\s*件\s*[\d一二三四五六七八九十]*\s*[:：、.．]?\s*/;

function entryOf(line: string): { title: string; printed: number } | undefined {
  const m = LEADER_ENTRY.exec(line);
  if (m) return { title: m[1]!.trim(), printed: Number(m[2]) };
  return undefined;
}

/** How many lines of a page read as 目录 entries. */
function entryLines(lines: string[]): number {
  return lines.filter((l) => LEADER_ENTRY.test(l)).length;
}

/**
 * The 目录 of a volume: a page headed 目录 (or holding at least four leader lines) in the first pages, and the pages
 * right after it that go on listing entries. Returns undefined when the file has none.
 */
export function findToc(layouts: PageLayout[]): Toc | undefined {
  const searchLimit = Math.min(layouts.length, 8);
  let start = -1;
  for (let i = 0; i < searchLimit; i++) {
    const lines = layouts[i]!.lines;
    const headed = lines.slice(0, 4).some((l) => TOC_HEADING.test(l.replace(/\s+/g, ' ').trim()));
    if ((headed && entryLines(lines) + spacedLines(lines) >= 2) || entryLines(lines) >= 4) {
      start = i;
      break;
    }
  }
  if (start < 0) return undefined;
  const pages = [layouts[start]!];
  for (let i = start + 1; i < layouts.length; i++) {
    const lines = layouts[i]!.lines;
    if (lines.length === 0) break;
    // A continuation page is mostly entries (a wrapped title's first half has no number, hence "mostly").
    const entries = entryLines(lines) + lines.filter((l) => LEADER_ONLY.test(l)).length;
    if (entries >= Math.max(2, lines.length * 0.5)) pages.push(layouts[i]!);
    else break;
  }
  const entries = parseEntries(pages);
  if (entries.length < 2) return undefined;
  return { pages: pages.map((p) => p.n), entries };
}

/**
 * A page that may be (part of) a 目录 from what little is read of it: headed 目录, or its visible lines already read
 * as entries. The cheap pass over a scanned volume reads such a page in full.
 */
export function mayHoldToc(layout: PageLayout): boolean {
  const lines = layout.lines;
  return lines.slice(0, 4).some((l) => TOC_HEADING.test(l.replace(/\s+/g, ' ').trim())) || entryLines(lines) >= 2;
}

function spacedLines(lines: string[]): number {
  return lines.filter((l) => SPACED_ENTRY.test(l)).length;
}

function parseEntries(pages: PageLayout[]): TocEntry[] {
  const useSpaced = pages.every((p) => entryLines(p.lines) === 0);
  const entries: TocEntry[] = [];
  // A wrapped title may continue on the next 目录 page.
  let pending = '';
  for (const page of pages) {
    for (const raw of page.lines) {
      const line = raw.trim();
      if (TOC_HEADING.test(line.replace(/\s+/g, ' '))) continue;
      const only = LEADER_ONLY.exec(line) ?? (TRAILING_LEADER.test(pending) ? /^(\d{1,4})$/.exec(line) : null);
      const entry = only ? { title: '', printed: Number(only[1]) } : (entryOf(line) ?? (useSpaced ? spacedOf(line) : undefined));
      if (!entry) {
        // The first half of a title that wraps; the line with the page number completes it.
        pending += line;
        continue;
      }
      const title = (pending.replace(TRAILING_LEADER, '') + entry.title).trim();
      pending = '';
      if (!title) continue;
      entries.push({ title, printed: entry.printed, chapter: isChapter(title), tocPage: page.n });
    }
  }
  // 1、2、3… number either the documents of a volume or the chapters of one; most of them decide for all of them.
  const numbered = entries.filter((e) => NUMBERED.test(e.title) && !CHAPTER.test(e.title));
  const documents = numbered.filter((e) => namesDocument(e.title.replace(NUMBERED, ''))).length;
  for (const e of numbered) e.chapter = documents * 2 < numbered.length;
  for (const e of entries) e.title = e.title.replace(NUMBERED, '');
  return entries;
}

function isChapter(title: string): boolean {
  if (ATTACHMENT.test(title)) return false;
  if (CHAPTER.test(title)) return true;
  if (NUMBERED.test(title)) return !namesDocument(title.replace(NUMBERED, ''));
  return false;
}

function spacedOf(line: string): { title: string; printed: number } | undefined {
  const m = SPACED_ENTRY.exec(line);
  return m ? { title: m[1]!.trim(), printed: Number(m[2]) } : undefined;
}

/** The entries that are documents: chapters fold into the document above them. */
export function documentEntries(toc: Toc): TocEntry[] {
  return toc.entries.filter((e) => !e.chapter);
}
