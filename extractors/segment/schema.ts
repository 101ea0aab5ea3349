import { z } from 'zod';

/**
 * How a segment's first page was recognised as the start of a document: `toc` a 目录 entry located on the page;
 * `title` a title block at the top; `document-number` a 公文 header with its 文号; `cover` a cover page (project,
 * unit, date); `numbering-restart` printed page numbers starting again at 1; `separator` the first page after a blank
 * sheet; `photo-series` the first photo of a run of photographed pages; `officer` an officer's split; `single` the
 * file is one document.
 */
export const SegmentBoundarySchema = z.enum(['single', 'toc', 'title', 'document-number', 'cover', 'numbering-restart', 'separator', 'photo-series', 'officer']);
export type SegmentBoundary = z.infer<typeof SegmentBoundarySchema>;

export const SegmentSchema = z.object({
  /** Physical pages of the file (Page.n), inclusive. */
  firstPage: z.number().int().positive(),
  lastPage: z.number().int().positive(),
  /** `document` is classified like a file; `front-matter` (cover, 前言, 目录 of a volume) and `blank` are not. */
  role: z.enum(['document', 'front-matter', 'blank']),
  boundary: SegmentBoundarySchema,
  /** The title the boundary rests on (the 目录's wording for `toc`). */
  titleLine: z.string().optional(),
  /** The printed page number the 目录 gives. */
  printedPage: z.number().int().optional(),
  /** For `toc`: false when the title was not found on the pages and the printed number alone placed it. */
  located: z.boolean().optional(),
});
export type Segment = z.infer<typeof SegmentSchema>;
