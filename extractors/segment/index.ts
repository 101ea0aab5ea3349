import type { Page } from '../model.ts';
import { cueSegments } from './cues.ts';
import { layoutPages, type PageLayout } from './layout.ts';
import { locateEntries } from './locate.ts';
import { documentEntries, findToc, type Toc } from './toc.ts';
import type { Segment } from './schema.ts';

export { SegmentSchema, SegmentBoundarySchema, type Segment, type SegmentBoundary } from './schema.ts';
export { layoutPages, type PageLayout } from './layout.ts';
export { findToc, type Toc, type TocEntry } from './toc.ts';
export { segmentFileRun, type RunFile, type FileRunGroup } from './photo-series.ts';

/**
 * One file, several documents: a bound volume (汇编) with or without a 目录, a scanner run of several stamped
 * documents. Pages → segments, each a page range with how its start was found. A file that is one document gives one
 * segment covering all its pages, which callers treat exactly as the file itself.
 */
export function segmentPages(pages: readonly Page[]): Segment[] {
  if (pages.length === 0) return [];
  const whole: Segment[] = [{ firstPage: pages[0]!.n, lastPage: pages[pages.length - 1]!.n, role: 'document', boundary: 'single' }];
  if (pages.length < 2) return whole;
  const layouts = layoutPages(pages);
  const toc = findToc(layouts);
  // A 目录 of chapters only is the 目录 of one document: the file is that document.
  if (toc && documentEntries(toc).length < 2 && toc.entries.some((e) => e.chapter)) return whole;
  const fromToc = toc ? tocSegments(layouts, toc) : undefined;
  if (fromToc) return fromToc;
  const cued = cueSegments(layouts);
  return cued.filter((s) => s.role === 'document').length > 1 ? cued : whole;
}

/**
 * The pages of one segment as a document of its own: the volume's running header, footer and printed page numbers
 * removed (they would read as the title of every document in it), page numbers (Page.n) kept as the file's.
 */
export function segmentDocumentPages(pages: readonly Page[], segment: Pick<Segment, 'firstPage' | 'lastPage'>, layouts: readonly PageLayout[] = layoutPages(pages)): Page[] {
  return pages.flatMap((page, i) => (page.n >= segment.firstPage && page.n <= segment.lastPage ? [{ ...page, text: layouts[i]!.lines.join('\n') }] : []));
}

/** Segments read from the file's 目录, or undefined when it has none listing at least two documents. */
function tocSegments(layouts: PageLayout[], toc: Toc): Segment[] | undefined {
  const entries = documentEntries(toc);
  if (entries.length < 2) return undefined;
  const tocLast = Math.max(...toc.pages);
  const located = locateEntries(layouts, entries, tocLast);
  const first = layouts[0]!.n;
  const last = layouts[layouts.length - 1]!.n;
  const segments: Segment[] = [];
  const frontEnd = Math.min(located[0]!.page, last + 1) - 1;
  if (frontEnd >= first) segments.push({ firstPage: first, lastPage: frontEnd, role: 'front-matter', boundary: 'toc', titleLine: '目录' });
  for (let i = 0; i < located.length; i++) {
    const entry = located[i]!;
    const next = located.slice(i + 1).find((e) => e.page > entry.page);
    const lastPage = next ? next.page - 1 : last;
    const previous = segments[segments.length - 1];
    // Two documents the 目录 places on the same page cannot be told apart by pages: they make one segment.
    if (previous && previous.role === 'document' && previous.firstPage === entry.page) {
      previous.titleLine = `${previous.titleLine}；${entry.title}`;
      continue;
    }
    segments.push({ firstPage: entry.page, lastPage, role: 'document', boundary: 'toc', titleLine: entry.title, printedPage: entry.printed, located: entry.found });
  }
  return segments;
}
