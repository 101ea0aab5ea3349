import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFactArguments } from '../../checklists/facts/index.ts';
import { loadChecklist } from '../../checklists/load.ts';
import { createOcrPool } from '../../extractors/ocr/index.ts';
import { buildNoticeContent, noticeParagraphs } from '../../pipeline/notice/content.ts';
import { checkDossier } from '../../pipeline/check-dossier.ts';
import { renderHtml } from '../../pipeline/report/render-html.ts';
import { renderMarkdown } from '../../pipeline/report/render-markdown.ts';
import { CompletenessReportSchema, type CompletenessReport } from '../../pipeline/report/schema.ts';
import { runExtractionCache } from '../helpers/run-cache.ts';
import { factPairs, loadSampleTruths } from '../helpers/truth.ts';

/** The asked rules' questions and the 人工核验要点 through the real pipeline, in the report, its renderings and the notice. */
const ocr = createOcrPool({ size: 2 });
afterAll(() => ocr.close());

async function check(id: string, extraFacts: string[] = []): Promise<CompletenessReport> {
  const { dir, truth } = loadSampleTruths().find((s) => s.truth.id === id)!;
  return checkDossier({ input: join(dir, truth.archive), checklist: truth.city, stage: truth.stage, facts: parseFactArguments([...factPairs(truth.facts), ...extraFacts]), ocr, cache: runExtractionCache() });
}

describe('an asked rule (SY-P03, 沈阳 第十七条) on sample-03', () => {
  let asked: CompletenessReport;
  let declared: CompletenessReport;
  beforeAll(async () => {
    asked = await check('sample-03-shenyang-acceptance');
    declared = await check('sample-03-shenyang-acceptance', ['quarterlyProgressPushed=false']);
  });

  it('puts its question in the report, in Chinese, naming the fact to declare', () => {
    const q = asked.questions.find((x) => x.ruleId === 'SY-P03');
    expect(q?.fact).toBe('quarterlyProgressPushed');
    expect(q?.factLabel).toBe('已按季度推送项目进展');
    expect(q?.question).toMatch(/按季度.*？$/);
    expect(q?.article).toBe('第十七条');
    expect(asked.findings.map((f) => f.ruleId)).not.toContain('SY-P03');
  });

  it('shows the question under 需确认事项 in Markdown and HTML', () => {
    const md = renderMarkdown(asked);
    const confirm = md.slice(md.indexOf('## 需确认事项'), md.indexOf('## 其他问题'));
    expect(confirm).toContain('SY-P03');
    expect(confirm).toContain('--fact quarterlyProgressPushed=值');
    expect(renderHtml(asked)).toContain('data-testid="rule-question"');
  });

  it('checks the rule once the fact is declared: no question, a finding on the declared value', () => {
    expect(declared.questions.map((x) => x.ruleId)).not.toContain('SY-P03');
    const f = declared.findings.find((x) => x.ruleId === 'SY-P03');
    expect(f?.message).toMatch(/未按季度推送/);
    expect(f?.evidence[0]?.label).toBe('已声明');
  });

  it('asks the officer in the notice, in words, without the fact key', () => {
    const content = buildNoticeContent(asked, loadChecklist('shenyang'), {});
    expect(content.questions.some((q) => q.includes('按季度'))).toBe(true);
    expect(content.questions.join('')).not.toContain('quarterlyProgressPushed');
  });
});

describe('a rule for the reviewer (CD-C02, 常德 第十三条) on sample-01', () => {
  let report: CompletenessReport;
  beforeAll(async () => {
    report = await check('sample-01-changde-acceptance');
  });

  it('lists it with the article, what to look at and the dossier files where to look', () => {
    const item = report.reviewItems.find((r) => r.ruleId === 'CD-C02');
    expect(item?.article).toBe('第十三条');
    expect(item?.look).toMatch(/技术方案/);
    expect(item?.lookIn).toContain('技术方案');
    expect(item?.places.map((p) => p.path)).toEqual(expect.arrayContaining([expect.stringMatching(/项目技术方案\.pdf$/), expect.stringMatching(/系统集成合同\.pdf$/)]));
    for (const p of item!.places) expect(p.page).toBeGreaterThan(0);
    expect(CompletenessReportSchema.parse(JSON.parse(JSON.stringify(report))).reviewItems).toEqual(report.reviewItems);
  });

  it('shows a 人工核验要点 section in Markdown and HTML with the file and pages and the reason', () => {
    const md = renderMarkdown(report);
    const section = md.slice(md.indexOf('## 人工核验要点'), md.indexOf('## 已提交材料'));
    expect(section).toContain('CD-C02');
    expect(section).toMatch(/查看：.*项目技术方案\.pdf 第1(–\d+)?页/);
    expect(section).toContain('为何人工核验：');
    expect(renderHtml(report)).toContain('data-testid="review-item"');
  });

  it('gives the notice the same points in words, with no rule id', () => {
    const content = buildNoticeContent(report, loadChecklist('changde'), {});
    expect(content.reviewPoints.map((r) => r.title)).toContain('采购的技术设备指标与经评审的技术方案一致');
    const text = noticeParagraphs(content, (n) => '一二三四五六七八九十'[n - 1]!).map((p) => p.text).join('\n');
    expect(text).toContain('审核中人工核验的要点');
    expect(text).not.toContain('CD-C02');
  });
});
