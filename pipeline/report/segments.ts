import { describePages } from '../../extractors/pdf/page-ranges.ts';
import type { Evidence, ReportFile, ReportSegment } from './schema.ts';

/** How the report words a bound volume's documents: `汇编.pdf，第4–19页：竣工验收报告（目录）`. */

export const SEGMENT_BOUNDARY_LABEL: Record<ReportSegment['boundary'], string> = {
  single: '整份文件',
  toc: '目录',
  title: '标题',
  'document-number': '公文文号',
  cover: '封面',
  'numbering-restart': '页码重新从1开始',
  separator: '空白分隔页之后',
  'photo-series': '连续拍摄的页面',
  officer: '人工调整',
};

export function pageRangeText(range: { first: number; last: number }): string {
  return range.first === range.last ? `第${range.first}页` : `第${range.first}–${range.last}页`;
}

/** One line per segment of a file that binds several documents. */
export function segmentLines(file: ReportFile): string[] {
  if (file.series && file.series.length > 1) {
    const what = file.docTypes.map((d) => d.name).join('、') || '未能识别';
    return [`${file.series.join('、')}：${what}（${SEGMENT_BOUNDARY_LABEL['photo-series']}，共${file.series.length}页）`];
  }
  return file.segments.map((s) => {
    const range = pageRangeText({ first: s.firstPage, last: s.lastPage });
    const what =
      s.role === 'front-matter' ? '封面、目录等' : s.role === 'blank' ? '空白页' : s.docTypes.map((d) => d.name).join('、') || '未能识别';
    const evidence = [SEGMENT_BOUNDARY_LABEL[s.boundary], s.titleLine && s.role === 'document' ? `「${s.titleLine}」` : ''].filter(Boolean).join('');
    const twin = s.duplicateOf ? `；与 ${s.duplicateOf} 相同，只计一次` : '';
    const partly = s.partlyReadPages?.length ? `；${describePages(s.partlyReadPages)}仅识别页眉页脚用于分段` : '';
    return `${file.path}，${range}：${what}（${evidence}${s.needsReview ? '；需人工查看' : ''}${twin}${partly}）`;
  });
}

/** `汇编.pdf，第4–19页` for evidence inside a bound volume, the bare path otherwise. */
export function evidenceWhere(e: Pick<Evidence, 'path' | 'pageRange'>): string {
  return `${e.path ?? ''}${e.pageRange ? `，${pageRangeText(e.pageRange)}` : ''}`;
}
