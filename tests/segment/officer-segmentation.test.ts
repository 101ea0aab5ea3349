import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ExtractedFile } from '../../pipeline/model.ts';
import type { CompletenessReport } from '../../pipeline/report/schema.ts';
import { evaluateExtracted } from '../../pipeline/stages/evaluate.ts';
import { parseSegmentArguments, SegmentArgumentError, type SegmentationCorrection } from '../../pipeline/stages/segment.ts';

/** Pages as extraction gives them; evaluation reads them again with the officer's page starts, extraction is not repeated. */
function volume(path: string, texts: string[]): ExtractedFile {
  const sha256 = createHash('sha256').update(path + texts.join('\f')).digest('hex');
  return {
    file: { path, sha256, size: texts.join('').length, kind: 'pdf', localPath: '' },
    doc: {
      status: 'ok',
      pages: texts.map((text, i) => ({ n: i + 1, text, source: 'text-layer' as const })),
      meta: { pageCount: texts.length, ocrPages: 0 },
      findings: [],
      extractorVersion: 'test',
    },
  };
}

const body = '本项目按照建设方案组织实施，各项工作均已按计划完成，系统运行稳定，相关数据已迁移完毕。';
// Two documents with nothing between them that marks a new start: the second title stands bare at the top of page 3.
const pasted = volume('资料合订本.pdf', [
  '某市政务服务平台建设项目可行性研究报告\n编制单位：某咨询有限公司\n2025年3月\n第一章 总论\n' + body,
  '第二章 建设必要性\n' + body,
  '某市政务服务平台建设项目实施方案\n第一章 建设目标\n' + body,
  '第二章 实施计划\n' + body,
]);

function evaluate(segmentations?: SegmentationCorrection[]): CompletenessReport {
  return evaluateExtracted({ input: 'test', checklist: 'changde', stage: 'acceptance', facts: {}, segmentations, extracted: [pasted], unreadableEntries: [], skipped: [], intakeFindings: [] });
}

const satisfiedBy = (report: CompletenessReport, docType: string) =>
  report.requirements.filter((r) => r.status === 'satisfied' && r.evidence.some((e) => e.docType === docType));

describe('when the segmentation missed a document and the officer splits the file', () => {
  it('keeps the file whole without the officer: the 实施方案 on page 3 counts for nothing', () => {
    const report = evaluate();
    expect(report.files[0]!.segments).toEqual([]);
    expect(satisfiedBy(report, 'implementation_plan')).toEqual([]);
  });

  it('splits where the officer says and re-evaluates the rows from the pages already read', () => {
    const report = evaluate([{ path: '资料合订本.pdf', starts: [1, 3] }]);
    expect(report.files[0]!.segments.map((s) => [s.firstPage, s.lastPage, s.boundary, s.docTypes[0]?.id])).toEqual([
      [1, 2, 'officer', 'feasibility_report'],
      [3, 4, 'officer', 'implementation_plan'],
    ]);
    const plan = satisfiedBy(report, 'implementation_plan');
    expect(plan.length).toBeGreaterThan(0);
    expect(plan[0]!.evidence[0]).toMatchObject({ path: '资料合订本.pdf', pageRange: { first: 3, last: 4 } });
  });

  it('merges back into one document when the officer gives a single start', () => {
    const split = evaluate([{ path: '资料合订本.pdf', starts: [1, 3] }]);
    const merged = evaluate([{ path: '资料合订本.pdf', starts: [1] }]);
    expect(merged.files[0]!.segments).toEqual([]);
    expect(merged.requirements.map((r) => [r.id, r.status])).toEqual(evaluate().requirements.map((r) => [r.id, r.status]));
    expect(merged.requirements.map((r) => r.status)).not.toEqual(split.requirements.map((r) => r.status));
  });
});

describe('when the officer writes the page starts on the command line', () => {
  it('reads 文件=起始页,… with Chinese or ASCII commas and Windows separators', () => {
    expect(parseSegmentArguments(['资料\\汇编.pdf=1，4,9', '合订本.pdf=1'])).toEqual([
      { path: '资料/汇编.pdf', starts: [1, 4, 9] },
      { path: '合订本.pdf', starts: [1] },
    ]);
  });

  it('says in Chinese how to write it when a start is missing or not a page', () => {
    expect(() => parseSegmentArguments(['汇编.pdf='])).toThrow(SegmentArgumentError);
    expect(() => parseSegmentArguments(['汇编.pdf=0,3'])).toThrow(/起始页/);
  });
});
