import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcrPool } from '../../extractors/ocr/index.ts';
import { checkDossier } from '../../pipeline/check-dossier.ts';
import { parseFactArguments } from '../../checklists/facts/index.ts';
import { renderHtml } from '../../pipeline/report/render-html.ts';
import { renderMarkdown } from '../../pipeline/report/render-markdown.ts';
import type { CompletenessReport } from '../../pipeline/report/schema.ts';
import { runExtractionCache } from '../helpers/run-cache.ts';
import { factPairs, loadSampleTruths } from '../helpers/truth.ts';

const ocr = createOcrPool({ size: 2 });

function withoutSealCrops(html: string): string {
  return html.replace(/<img class="seal" src="data:image\/png;base64,[A-Za-z0-9+/]+=*" alt="印章图像">/g, '');
}
afterAll(() => ocr.close());

describe('the reports people read', () => {
  let report: CompletenessReport;
  beforeAll(async () => {
    const { dir, truth } = loadSampleTruths().find((s) => s.truth.id === 'sample-06-changde-acceptance')!;
    report = await checkDossier({ input: join(dir, truth.archive), checklist: truth.city, stage: truth.stage, facts: parseFactArguments(factPairs(truth.facts)), ocr, cache: runExtractionCache() });
  });

  it('Markdown puts missing items first, each with its article and what to submit, then the file table', () => {
    const md = renderMarkdown(report);
    const missingAt = md.indexOf('## 缺失材料');
    expect(missingAt).toBeGreaterThan(0);
    expect(md.indexOf('## 需确认事项')).toBeGreaterThan(missingAt);
    expect(md.indexOf('## 文件清单')).toBeGreaterThan(md.indexOf('## 其他问题'));
    const missing = md.slice(missingAt, md.indexOf('## 需确认事项'));
    expect(missing).toContain('CD-A10');
    expect(missing).toContain('依据：第十七条');
    expect(missing).toContain('应提交：');
    expect(md).toContain('09-用户培训报告.pdf');
  });

  it('HTML is one self-contained page: no scripts, no external resources, text escaped', () => {
    const html = renderHtml({ ...report, fields: { ...report.fields, projectName: { value: '<script>alert(1)</script>', provenance: null, alternatives: [] } } });
    // Seal crops are inline PNGs (data: URLs), the only images the page may carry.
    expect(withoutSealCrops(html)).not.toMatch(/<script|src=|<link|https?:\/\//);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('data-row="CD-A10"');
    expect(html).toMatch(/需补正（\d+ 项必须补正/);
  });

  it('shows a hostile file name as text wherever it appears: file table, evidence and link', () => {
    const hostile = '<script>alert(1)</script>.pdf';
    const renamed = report.files[0]!.path;
    const rename = (path: string) => (path === renamed ? hostile : path);
    const withHostileName: CompletenessReport = {
      ...report,
      files: report.files.map((f) => ({ ...f, path: rename(f.path) })),
      requirements: report.requirements.map((r) => ({ ...r, evidence: r.evidence.map((e) => ({ ...e, path: rename(e.path) })) })),
      findings: [...report.findings, { ruleId: 'TEST-1', severity: 'warning', message: '测试', evidence: [{ path: hostile, page: 1, quote: '"><img src=x onerror=alert(1)>' }] }],
    };
    for (const html of [renderHtml(withHostileName), renderHtml(withHostileName, { fileHref: (i, path) => `/files/${i}?name=${path}&"x"` })]) {
      expect(withoutSealCrops(html)).not.toMatch(/<script|<img/);
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;.pdf');
      expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    }
    const linked = renderHtml(withHostileName, { fileHref: (i, path) => `/files/${i}?name=${path}&"x"` });
    expect(linked).toContain('<a href="/files/0?name=&lt;script&gt;alert(1)&lt;/script&gt;.pdf&amp;&quot;x&quot;">&lt;script&gt;');
  });

  it('asks for the fact to declare when a row needs confirmation', () => {
    const row = { ...report.requirements.find((r) => r.id === 'CD-A12')!, status: 'needs_confirmation' as const, unknownFacts: ['major'] };
    const withQuestion = { ...report, requirements: [row], summary: { ...report.summary, needsConfirmation: 1 } };
    // The Chinese label first; the key only in the command to type, or in small grey type after the label.
    expect(renderMarkdown(withQuestion)).toContain('请声明：重大电子政务工程（命令行 `--fact major=值`）');
    expect(renderHtml(withQuestion)).toContain('请声明：重大电子政务工程 <small class="id">major</small>');
  });
});
