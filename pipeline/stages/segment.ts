import { z } from 'zod';
import type { DocTypeClassifier } from '../../checklists/classify.ts';
import { layoutPages, segmentDocumentPages, segmentFileRun, segmentPages, type Segment } from '../../extractors/segment/index.ts';
import type { Page } from '../../extractors/model.ts';
import type { ClassifiedFile, ClassifiedSegment } from '../model.ts';

/**
 * One file, several documents; several files, one document (pipeline/flow.ts, between classify and fields).
 *
 * A readable file whose pages hold more than one document (a bound 汇编, a scanner run of stamped documents) gets its
 * segments, each classified on its own pages. A run of photos of one document's pages joins the first photo. A file
 * of one document, a duplicate, or a file whose type an officer set keeps exactly what it had.
 */

/**
 * The officer's segmentation of one file: the pages where its documents start. Pages before the first start are
 * front matter (cover, 目录); a single start keeps the file one document (merges what the segmentation split).
 */
export const SegmentationCorrectionSchema = z.object({
  /** The file as the report's files[].path names it. */
  path: z.string().min(1),
  starts: z.array(z.number().int().positive()).min(1),
});
export type SegmentationCorrection = z.infer<typeof SegmentationCorrectionSchema>;

export class SegmentArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SegmentArgumentError';
  }
}

/** `--pages 汇编.pdf=1,4,9`: the file and the pages its documents start on. */
export function parseSegmentArguments(args: readonly string[]): SegmentationCorrection[] {
  return args.map((arg) => {
    const eq = arg.lastIndexOf('=');
    const path = eq > 0 ? arg.slice(0, eq).trim().replace(/\\/g, '/') : '';
    const starts = eq > 0 ? arg.slice(eq + 1).split(/[,，、\s]+/).filter(Boolean).map(Number) : [];
    if (!path || starts.length === 0 || starts.some((n) => !Number.isInteger(n) || n < 1)) {
      throw new SegmentArgumentError(`--pages 应写成“文件路径=各份材料的起始页”，如 --pages 验收资料汇编.pdf=1,4,9（收到：“${arg}”）`);
    }
    return { path, starts };
  });
}

export function withSegments(file: ClassifiedFile, classifier: DocTypeClassifier, officer?: SegmentationCorrection): ClassifiedFile {
  if (file.doc.status !== 'ok' || file.duplicateOf || file.correction) return file;
  const segments = officer ? officerSegments(file.doc.pages, officer.starts) : segmentPages(file.doc.pages);
  if (segments.filter((s) => s.role === 'document').length < 2) return officer ? { ...file, segments: undefined } : file;
  const folder = file.file.path.includes('/') ? file.file.path.slice(0, file.file.path.lastIndexOf('/') + 1) : '';
  const layouts = layoutPages(file.doc.pages);
  const classified: ClassifiedSegment[] = segments.map((segment) => {
    const pages = segmentDocumentPages(file.doc.pages, segment, layouts);
    // The volume's own name says nothing about the documents bound in it, so each is classified by its pages alone.
    const classification = classifier.classify({ path: `${folder}第${segment.firstPage}-${segment.lastPage}页`, readable: segment.role === 'document', pages });
    return { segment, pages, classification };
  });
  return { ...file, segments: classified };
}

/** Segments that start where the officer said; the pages before the first start are front matter. */
export function officerSegments(pages: readonly Page[], starts: readonly number[]): Segment[] {
  if (pages.length === 0) return [];
  const first = pages[0]!.n;
  const last = pages[pages.length - 1]!.n;
  const sorted = [...new Set(starts.filter((n) => n >= first && n <= last))].sort((a, b) => a - b);
  if (sorted.length === 0) sorted.push(first);
  const out: Segment[] = sorted[0]! > first ? [{ firstPage: first, lastPage: sorted[0]! - 1, role: 'front-matter', boundary: 'officer' }] : [];
  sorted.forEach((start, i) => out.push({ firstPage: start, lastPage: (sorted[i + 1] ?? last + 1) - 1, role: 'document', boundary: 'officer' }));
  return out;
}

/**
 * Photos of one document's pages (IMG_0011.jpg, IMG_0012.jpg… the later ones without a title) become one document:
 * the first photo is classified on all their pages, numbered in order, and the others point to it.
 */
export function withPhotoSeries(files: ClassifiedFile[], classifier: DocTypeClassifier): ClassifiedFile[] {
  const candidates = files.filter((f) => f.doc.status === 'ok' && !f.duplicateOf && !f.correction);
  const groups = segmentFileRun(candidates.map((f) => ({ path: f.file.path, isImage: f.file.kind === 'image', pages: f.doc.pages })));
  if (groups.length === 0) return files;
  const byPath = new Map(files.map((f) => [f.file.path, f]));
  const out = new Map(files.map((f) => [f.file.path, f]));
  for (const group of groups) {
    const pages: Page[] = group.paths.flatMap((p) => byPath.get(p)!.doc.pages).map((page, i) => ({ ...page, n: i + 1 }));
    const head = byPath.get(group.paths[0]!)!;
    const classification = classifier.classify({ path: head.file.path, readable: true, pages });
    out.set(head.file.path, { ...head, classification, series: { paths: group.paths, pages } });
    for (const member of group.paths.slice(1)) out.set(member, { ...byPath.get(member)!, seriesOf: head.file.path });
  }
  return files.map((f) => out.get(f.file.path)!);
}

/** Character shingles of a text, for telling the same document apart from a similar one. */
function shingles(pages: readonly Page[]): Set<string> {
  const text = pages.map((p) => p.text).join('').replace(/[^\p{Script=Han}\p{L}\p{N}]/gu, '');
  const out = new Set<string>();
  for (let i = 0; i + 8 <= text.length; i += 2) out.add(text.slice(i, i + 8));
  return out;
}

/** Share of the smaller set found in the larger. */
function overlap(a: Set<string>, b: Set<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size === 0) return 0;
  let shared = 0;
  for (const s of small) if (large.has(s)) shared++;
  return shared / small.size;
}

/** How much of two texts must agree (and how close their lengths) for them to be the same document. */
const SAME_DOCUMENT = 0.9;

/**
 * A document bound in a volume and also delivered as a loose file is linked to the loose file, not counted twice:
 * the segment keeps its place in the volume, the loose file carries the evidence.
 */
export function linkBoundDuplicates(files: ClassifiedFile[]): ClassifiedFile[] {
  const loose = files
    .filter((f) => f.doc.status === 'ok' && !f.duplicateOf && !f.segments && !f.seriesOf)
    .map((f) => ({ path: f.file.path, shingles: shingles(f.series?.pages ?? f.doc.pages) }))
    .filter((f) => f.shingles.size >= 20);
  if (loose.length === 0) return files;
  return files.map((f) => {
    if (!f.segments) return f;
    const segments = f.segments.map((s) => {
      if (s.segment.role !== 'document') return s;
      const own = shingles(s.pages);
      const twin = loose.find((l) => Math.min(own.size, l.shingles.size) / Math.max(own.size, l.shingles.size) >= SAME_DOCUMENT && overlap(own, l.shingles) >= SAME_DOCUMENT);
      return twin ? { ...s, duplicateOf: twin.path } : s;
    });
    return { ...f, segments };
  });
}

/** The documents of a file for presence, fields and rules: its document segments, its photo series, or itself. */
export function documentsOf(file: ClassifiedFile): Array<{ pages: Page[]; classification: ClassifiedFile['classification']; pageRange?: { first: number; last: number } }> {
  if (file.seriesOf) return [];
  if (file.series) return [{ pages: file.series.pages, classification: file.classification }];
  if (!file.segments) return [{ pages: file.doc.pages, classification: file.classification }];
  return file.segments
    .filter((s) => s.segment.role === 'document' && !s.duplicateOf)
    .map((s) => ({ pages: s.pages, classification: s.classification, pageRange: { first: s.segment.firstPage, last: s.segment.lastPage } }));
}
