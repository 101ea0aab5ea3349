import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Page } from '../../extractors/model.ts';
import type { ExtractedFile } from '../../pipeline/model.ts';
import type { CompletenessReport } from '../../pipeline/report/schema.ts';
import { renderMarkdown } from '../../pipeline/report/render-markdown.ts';
import { evaluateExtracted } from '../../pipeline/stages/evaluate.ts';

/**
 * A page the cheap pass read only at its top and bottom may hold what a row needs (a 自审自查 chapter inside the
 * 竣工报告, changde CD-A02). Such a row is 需确认 naming the unread pages, never 缺失 — and a page that was read in
 * full and holds nothing keeps the row 缺失.
 */

const body = '项目组按照既定计划推进各项工作，各参建单位明确专人负责对接，保证了各阶段任务按期完成。';

function report(pages: Page[]): CompletenessReport {
  const sha256 = createHash('sha256').update(JSON.stringify(pages)).digest('hex');
  const extracted: ExtractedFile = {
    file: { path: '竣工报告（扫描件）.pdf', sha256, size: 1000, kind: 'pdf', localPath: '' },
    doc: { status: 'ok', pages, meta: { pageCount: pages.length, ocrPages: pages.length }, findings: [], extractorVersion: 'test' },
  };
  return evaluateExtracted({ input: 'test', checklist: 'changde', stage: 'acceptance', facts: {}, extracted: [extracted], unreadableEntries: [], skipped: [], intakeFindings: [] });
}

const page = (n: number, text: string, partial?: true): Page => ({ n, text, source: 'ocr', confidence: 90, ...(partial ? { partial } : {}) });
const opening = page(1, `某市政务服务平台建设项目竣工报告\n建设单位：某市数据资源局\n一、项目概况\n${body}`);
const closing = page(4, `${body}\n某市数据资源局\n2025年6月20日`);
const row = (r: CompletenessReport) => r.requirements.find((x) => x.id === 'CD-A02')!;

describe('a row whose section may sit on a partly read page', () => {
  it('is satisfied when the page was read and holds the 自审自查 chapter', () => {
    const read = report([opening, page(2, `二、建设内容\n${body}`), page(3, `四、自审自查情况\n${body}`), closing]);
    expect(row(read).status).toBe('satisfied');
  });

  it('is 需确认, naming the unread pages, when only the top and bottom of the pages between were read', () => {
    const skimmed = report([opening, page(2, '二、建设内容', true), page(3, body.slice(0, 20), true), closing]);
    const r = row(skimmed);
    expect(r.status).toBe('needs_confirmation');
    expect(r.message).toContain('第 2–3 页');
    expect(r.message).toContain('仅识别了页眉页脚');
  });

  it('stays 缺失 when every page was read in full and none holds the chapter', () => {
    const read = report([opening, page(2, `二、建设内容\n${body}`), page(3, body), closing]);
    expect(row(read).status).toBe('missing');
  });

  it('names the partly read pages of a bound volume in the segments of the report', () => {
    const volume = report([
      opening,
      page(2, '二、建设内容', true),
      page(3, `${body}\n某市数据资源局\n2025年6月20日`),
      page(4, `某市政务服务平台建设项目监理工作总结报告\n监理单位：某监理有限公司\n一、监理工作概况\n${body}`),
      page(5, '二、监理工作过程', true),
      page(6, `${body}\n某监理有限公司\n2025年6月18日`),
    ]);
    const segments = volume.files[0]!.segments;
    expect(segments.map((s) => [s.firstPage, s.lastPage, s.partlyReadPages ?? []])).toEqual([
      [1, 3, [2]],
      [4, 6, [5]],
    ]);
    expect(renderMarkdown(volume)).toContain('第 5 页仅识别页眉页脚用于分段');
  });
});
