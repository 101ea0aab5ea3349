import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadChecklist } from '../../checklists/load.ts';
import type { ExtractedFile } from '../../pipeline/model.ts';
import {
  docTypeChoices,
  formatBeijingTime,
  parseTypeArguments,
  resolveDocType,
  TypeArgumentError,
  TypeCorrectionError,
  type TypeCorrection,
} from '../../pipeline/corrections/index.ts';
import { renderHtml } from '../../pipeline/report/render-html.ts';
import { renderMarkdown } from '../../pipeline/report/render-markdown.ts';
import { CompletenessReportSchema } from '../../pipeline/report/schema.ts';
import { evaluateExtracted } from '../../pipeline/stages/evaluate.ts';

const CHECKLIST = 'changde';
const catalogue = loadChecklist(CHECKLIST).catalogue;
// A filing row that one feasibility study alone satisfies.
const ROW = loadChecklist(CHECKLIST).rows.find(
  (r) => r.stage === 'filing' && r.requirement.alternatives.some((a) => a.allOf.length === 1 && a.allOf[0] === 'feasibility_report'),
)!;

function textFile(path: string, text: string): ExtractedFile {
  const sha256 = createHash('sha256').update(path + text).digest('hex');
  return {
    file: { path, sha256, size: text.length, kind: 'text', localPath: '' },
    doc: { status: 'ok', pages: [{ n: 1, text, source: 'text-layer' }], meta: { pageCount: 1, ocrPages: 0 }, findings: [], extractorVersion: 'test' },
  };
}

const unnamed = textFile('附件3.txt', '关于项目情况的说明\n本项目拟建设统一的政务服务平台，现将有关情况说明如下。');
const feasibility = textFile('可研/可行性研究报告.txt', '某某市政务服务平台建设项目\n可行性研究报告\n第一章 项目概况');
const AT = '2026-12-04T09:05:00.000Z';

function evaluate(files: ExtractedFile[], corrections?: TypeCorrection[]) {
  return evaluateExtracted({ input: 'test', checklist: CHECKLIST, stage: 'filing', facts: {}, corrections, extracted: files, unreadableEntries: [], skipped: [], intakeFindings: [] });
}

describe('an officer corrects a file’s doc type', () => {
  it('has a filing row to test with', () => {
    expect(ROW, 'changde has no filing row satisfied by a feasibility study alone').toBeDefined();
  });

  it('turns the row satisfied when the file is corrected to the type it requires, and says who and when', () => {
    const before = evaluate([unnamed]);
    expect(before.requirements.find((r) => r.id === ROW.id)?.status).not.toBe('satisfied');
    expect(before.files[0]!.docTypes.map((d) => d.id)).not.toContain('feasibility_report');

    const after = evaluate([unnamed], [{ path: '附件3.txt', docType: 'feasibility_report', by: '张三', at: AT }]);
    const row = after.requirements.find((r) => r.id === ROW.id)!;
    expect(row.status).toBe('satisfied');
    expect(row.evidence[0]).toMatchObject({ path: '附件3.txt', quote: '人工指定：可行性研究报告（张三，2026年12月4日 17:05）' });
    const file = after.files[0]!;
    expect(file.docTypes[0]).toMatchObject({ id: 'feasibility_report', confidence: 1, evidence: { rule: 'officer' } });
    expect(file.needsReview).toBe(false);
    expect(file.correction).toMatchObject({ docType: 'feasibility_report', name: '可行性研究报告', by: '张三', at: AT });
    expect(file.correction!.classifiedAs).toEqual(before.files[0]!.docTypes.map((d) => ({ id: d.id, name: d.name })));
    expect(() => CompletenessReportSchema.parse(after)).not.toThrow();
  });

  it('restores the classifier’s answer when the correction is removed', () => {
    const before = evaluate([unnamed, feasibility]);
    const corrected = evaluate([unnamed, feasibility], [{ path: '可研/可行性研究报告.txt', docType: 'other_material', by: '李四', at: AT }]);
    expect(before.requirements.find((r) => r.id === ROW.id)?.status).toBe('satisfied');
    // "Not a required document": the study no longer counts.
    expect(corrected.requirements.find((r) => r.id === ROW.id)?.status).not.toBe('satisfied');
    expect(corrected.files[1]!.docTypes.map((d) => d.id)).toEqual(['other_material']);

    const restored = evaluate([unnamed, feasibility], []);
    expect(restored.requirements.map((r) => [r.id, r.status])).toEqual(before.requirements.map((r) => [r.id, r.status]));
    expect(restored.files.map((f) => f.docTypes)).toEqual(before.files.map((f) => f.docTypes));
    expect(restored.files.every((f) => f.correction === undefined)).toBe(true);
  });

  it('names a file by its SHA-256 as well as by its path, and takes the later of two corrections', () => {
    const report = evaluate(
      [unnamed],
      [
        { path: unnamed.file.sha256, docType: 'project_proposal', by: '张三', at: AT },
        { path: unnamed.file.sha256, docType: 'feasibility_report', by: '李四', at: AT },
      ],
    );
    expect(report.files[0]!.correction).toMatchObject({ docType: 'feasibility_report', by: '李四' });
  });

  it('accepts the type’s Chinese name and gives the implied types too', () => {
    const implying = catalogue.docTypes.find((t) => t.implies.length > 0)!;
    const report = evaluate([unnamed], [{ path: '附件3.txt', docType: implying.name, by: '张三', at: AT }]);
    expect(report.files[0]!.docTypes.map((d) => d.id)).toEqual([implying.id, ...implying.implies]);
  });

  it('refuses an unknown type in Chinese, naming the close ids', () => {
    const error = (() => {
      try {
        evaluate([unnamed], [{ path: '附件3.txt', docType: 'feasibilty_report', by: '张三', at: AT }]);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(TypeCorrectionError);
    expect((error as TypeCorrectionError).code).toBe('UNKNOWN_DOC_TYPE');
    expect((error as Error).message).toContain('未知的材料类型“feasibilty_report”');
    expect((error as Error).message).toContain('feasibility_report（可行性研究报告）');
    expect(() => resolveDocType(catalogue, '可行性')).toThrow(/feasibility_report/);
    expect(() => resolveDocType(catalogue, 'zzzzzzzz')).toThrow(/other_material/);
  });

  it('refuses a path that names no file of the dossier, naming the close paths', () => {
    expect(() => evaluate([unnamed, feasibility], [{ path: '可研/可行性研究报告.pdf', docType: 'feasibility_report', by: '张三', at: AT }])).toThrow(
      /材料中没有文件“可研\/可行性研究报告\.pdf”。相近的文件：可研\/可行性研究报告\.txt/,
    );
  });

  it('shows 已人工指定类型 with who and when in Markdown and HTML', () => {
    const report = evaluate([unnamed], [{ path: '附件3.txt', docType: 'feasibility_report', by: '张三', at: AT }]);
    const note = '已人工指定类型（张三，2026年12月4日 17:05；';
    expect(renderMarkdown(report)).toContain(note);
    expect(renderHtml(report)).toContain(note);
    expect(renderMarkdown(evaluate([unnamed]))).not.toContain('已人工指定类型');
  });
});

describe('--type arguments', () => {
  it('splits at the last "=" and records the CLI as who', () => {
    expect(parseTypeArguments(['a=b/c.pdf=feasibility_report'], 'cli', AT)).toEqual([{ path: 'a=b/c.pdf', docType: 'feasibility_report', by: 'cli', at: AT }]);
  });

  it('refuses an argument without a path or a type', () => {
    expect(() => parseTypeArguments(['feasibility_report'])).toThrow(TypeArgumentError);
    expect(() => parseTypeArguments(['a.pdf='])).toThrow(/文件路径=材料类型/);
  });
});

describe('the choices an officer picks from', () => {
  it('lists the stage’s required types first, then the others, then “not a required document”', () => {
    const groups = docTypeChoices(loadChecklist(CHECKLIST), 'filing');
    expect(groups.map((g) => g.label)).toEqual(['本阶段清单要求的材料', '其他材料类型', '不属于所需材料']);
    expect(groups[0]!.docTypes.map((d) => d.id)).toContain('feasibility_report');
    expect(groups[2]!.docTypes.map((d) => d.id)).toEqual(['other_material']);
    const all = groups.flatMap((g) => g.docTypes.map((d) => d.id));
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual(catalogue.docTypes.map((t) => t.id).sort());
  });

  it('formats times in Beijing time', () => {
    expect(formatBeijingTime('2026-12-31T16:30:00Z')).toBe('2027年1月1日 00:30');
  });
});
