import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultExtractionLimits } from '../../extractors/limits.ts';
import type { ExtractedDocument, OcrEngine } from '../../extractors/model.ts';
import { extractPdf } from '../../extractors/pdf/index.ts';
import { findToc, layoutPages, segmentPages, type Segment } from '../../extractors/segment/index.ts';
import { sharedPath } from '../helpers/shared-data.ts';

/**
 * The 2025 学生手册 of 杭州电子科技大学信息工程学院: 176 pages bound by WPS, a 目录 on pages 2–3 listing 31
 * regulations, printed page numbers 3 lower than the PDF's (samples/real/SOURCES.md).
 */
const VOLUME = sharedPath('samples', 'real', 'pdf', 'hdu_xgxy_xuesheng_shouce_2025_huibian_wps.pdf');
/** The one document the 目录 misplaces: it says printed 134 (with the 补充规定), the document starts on printed 130. */
const MISPLACED = '关于学生参加学科竞赛活动有关学业奖励的规定(试行)';

const noOcr: OcrEngine = {
  recognize: () => Promise.reject(new Error('这份汇编有文字层，不应调用 OCR')),
  close: () => Promise.resolve(),
};

let doc: ExtractedDocument;

beforeAll(async () => {
  doc = await extractPdf({ path: 'xuesheng_shouce.pdf', bytes: await readFile(VOLUME), kind: 'pdf' }, { ocr: noOcr, limits: defaultExtractionLimits });
}, 120_000);

function fold(s: string): string {
  return s.replace(/[^\p{Script=Han}\p{L}\p{N}]/gu, '');
}

/** The top of a physical page, running header and page number included, folded for comparison. */
function topOf(page: number): string {
  return fold(doc.pages[page - 1]!.text.split('\n').slice(0, 8).join(''));
}

describe('when a real 汇编 binds 31 regulations behind a two-page 目录', () => {
  let segments: Segment[];
  beforeAll(() => {
    segments = segmentPages(doc.pages);
  });

  it('reads the 目录 on pages 2–3, wrapped titles joined, with all 31 entries', () => {
    const toc = findToc(layoutPages(doc.pages))!;
    expect(toc.pages).toEqual([2, 3]);
    expect(toc.entries).toHaveLength(31);
    expect(toc.entries.map((e) => e.title)).toContain('杭州电子科技大学信息工程学院关于学生参加毕业设计(论文)的若干规定');
    expect(toc.entries.map((e) => e.title)).toContain('杭州电子科技大学信息工程学院“互联网+”大学生创新创业大赛奖励办法(试行)');
    expect(toc.entries.filter((e) => e.printed === 134)).toHaveLength(2);
  });

  it('gives 31 document segments, one per 目录 entry, after a front matter of pages 1–3', () => {
    const documents = segments.filter((s) => s.role === 'document');
    expect(documents).toHaveLength(31);
    expect(segments[0]).toMatchObject({ firstPage: 1, lastPage: 3, role: 'front-matter' });
    const toc = findToc(layoutPages(doc.pages))!;
    expect(documents.map((s) => s.titleLine)).toEqual(toc.entries.map((e) => e.title));
  });

  it('starts each document on its printed page + 3, and the misplaced one where its title really stands', () => {
    const documents = segments.filter((s) => s.role === 'document');
    for (const s of documents) {
      if (s.titleLine === MISPLACED) {
        expect(s.printedPage).toBe(134);
        expect(s.firstPage).toBe(133);
      } else {
        expect(s.firstPage, s.titleLine).toBe(s.printedPage! + 3);
      }
    }
    // Independent of the 目录: the start page carries the title, except where the page words it differently
    // (学生校解除处分管理办法(试行), 学士学位授予工作细则); those are found near enough or placed by the offset.
    const untitled = documents.filter((s) => !topOf(s.firstPage).includes(fold(s.titleLine!))).map((s) => s.firstPage);
    expect(untitled).toEqual([94, 129]);
    expect(documents.filter((s) => s.located === false).map((s) => s.firstPage)).toEqual([129]);
  });

  it('covers every page once, the ranges touching end to start, the last ending on page 176', () => {
    for (let i = 1; i < segments.length; i++) expect(segments[i]!.firstPage).toBe(segments[i - 1]!.lastPage + 1);
    expect(segments[segments.length - 1]!.lastPage).toBe(176);
    expect(segments.find((s) => s.firstPage === 137)).toMatchObject({ lastPage: 139, titleLine: '关于学生参加学科竞赛活动有关学业奖励的补充规定' });
  });

  it('finds the same 31 starts from the title blocks alone when the cover and 目录 are gone', () => {
    const body = doc.pages.filter((p) => p.n > 3);
    const cued = segmentPages(body).filter((s) => s.role === 'document');
    const fromToc = segments.filter((s) => s.role === 'document');
    expect(cued.map((s) => s.firstPage)).toEqual(fromToc.map((s) => s.firstPage));
    expect(cued.map((s) => s.lastPage)).toEqual(fromToc.map((s) => s.lastPage));
    expect(cued.every((s) => s.boundary !== 'toc')).toBe(true);
  });
});

afterAll(() => undefined);
