import { type PageLayout } from './layout.ts';
import type { Segment, SegmentBoundary } from './schema.ts';
import { CHAPTER_HEADING, DATE_LINE, DOCUMENT_NUMBER, namesDocument } from './titles.ts';

/**
 * Without a 目录, a volume is split where a page begins a document: a title block at its top, a 公文 header with a
 * 文号, a cover page, printed page numbers starting again at 1, or the first page after a blank sheet. A page that
 * continues (running header, numbering goes on, no title) stays with the page before. The cues are strict on purpose:
 * a wrong split of a single report costs more than a missed one, which the officer can still make.
 */

/** How many content lines at the top are searched for a title block. */
const TITLE_ZONE = 4;
/** A cover page holds little text. */
const COVER_MAX_LINES = 14;
const UNIT_LINE = /(?:^(?:建设单位|编制单位|申报单位|项目单位|承建单位|委托单位|报送单位|单位名称|申请单位)\s*[:：]?)|(?:(?:公司|集团|局|委员会|委|中心|政府|办公室|研究院|设计院|研究所|事务所|大学|学院|学校)\s*[(（]?(?:盖章|章)?[)）]?$)/;
const PROJECT_LINE = /项目|工程|系统|平台/;
/** A line under a title: (试行), (教育部令第41号…), (送审稿). */
const SUPPORT_LINE = /^[(（].{2,}/;

interface TitleBlock {
  title: string;
  /** Content lines the title takes (titles wrap). */
  lines: number;
}

/** The title at the top of a page: one line, or two or three lines that read as one title together. */
export function titleBlock(lines: string[]): TitleBlock | undefined {
  for (let start = 0; start < Math.min(2, lines.length); start++) {
    // A 公文 header (XX文件, XX人民政府) or a 文号 may stand above the title.
    if (start === 1 && !/(?:文件|政府|委员会|办公室|局|公司)$/.test(lines[0]!) && !DOCUMENT_NUMBER.test(lines[0]!)) break;
    let joined = '';
    for (let k = start; k < Math.min(start + 3, lines.length); k++) {
      const line = lines[k]!;
      if (k === start && CHAPTER_HEADING.test(line)) break;
      if (line.length > 40 || /[。；;!！?？]/.test(line)) break;
      joined += line;
      if (namesDocument(joined)) return { title: joined.replace(/[，,。.、·]$/, ''), lines: k - start + 1 + start };
    }
  }
  return undefined;
}

function isCover(lines: string[]): boolean {
  if (lines.length === 0 || lines.length > COVER_MAX_LINES) return false;
  if (lines.some((l) => /[。；;]$/.test(l))) return false;
  const titled = lines.slice(0, 6).some((l, i) => namesDocument(l) || (i > 0 && namesDocument(lines[i - 1]! + l)));
  const dated = lines.some((l) => DATE_LINE.test(l) || /(?:日期|时间)\s*[:：]\s*\d{4}/.test(l));
  const unit = lines.some((l) => UNIT_LINE.test(l));
  return titled && (dated || unit) && lines.some((l) => PROJECT_LINE.test(l));
}

/** Why this page begins a document, or undefined when it continues the one before. */
export function startCue(layout: PageLayout, previous: PageLayout | undefined): { boundary: SegmentBoundary; title?: string } | undefined {
  const lines = layout.lines;
  const block = titleBlock(lines);
  const top = lines.slice(0, TITLE_ZONE + 2);
  if (previous && previous.printed !== undefined && layout.printed === 1 && previous.printed > 1) return { boundary: 'numbering-restart', title: block?.title };
  if (!block) return isCover(lines) ? { boundary: 'cover', title: lines.find((l) => namesDocument(l)) } : undefined;
  const after = lines.slice(block.lines, block.lines + 3);
  if (top.some((l) => DOCUMENT_NUMBER.test(l))) return { boundary: 'document-number', title: block.title };
  if (isCover(lines)) return { boundary: 'cover', title: block.title };
  if (after.some((l) => SUPPORT_LINE.test(l) || DATE_LINE.test(l) || UNIT_LINE.test(l))) return { boundary: 'title', title: block.title };
  // A bare title counts when the page before ended like a document ends: with a date, a signature or a seal line.
  if (previous && endsDocument(previous)) return { boundary: 'title', title: block.title };
  return undefined;
}

function endsDocument(layout: PageLayout): boolean {
  const tail = layout.lines.slice(-3);
  return tail.some((l) => DATE_LINE.test(l) || /(?:盖章|签字|签章|\(章\)|（章）)\s*[:：]?$/.test(l) || UNIT_LINE.test(l));
}

export function cueSegments(layouts: PageLayout[]): Segment[] {
  const segments: Segment[] = [];
  let previous: PageLayout | undefined;
  let afterBlank = false;
  for (const layout of layouts) {
    if (layout.blank) {
      const last = segments[segments.length - 1];
      if (last?.role === 'blank') last.lastPage = layout.n;
      else segments.push({ firstPage: layout.n, lastPage: layout.n, role: 'blank', boundary: 'separator' });
      afterBlank = true;
      continue;
    }
    const current = [...segments].reverse().find((s) => s.role !== 'blank');
    const cue = startCue(layout, previous);
    if (!current || cue || afterBlank) {
      const boundary: SegmentBoundary = cue?.boundary ?? (current ? 'separator' : 'single');
      segments.push({ firstPage: layout.n, lastPage: layout.n, role: 'document', boundary, titleLine: cue?.title ?? titleBlock(layout.lines)?.title });
    } else {
      current.lastPage = layout.n;
      // Blank pages inside a document (a left page kept empty) would have started a new one; they did not here.
    }
    previous = layout;
    afterBlank = false;
  }
  return segments;
}
