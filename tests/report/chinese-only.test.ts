import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createOcrPool } from '../../extractors/ocr/index.ts';
import { checkDossier } from '../../pipeline/check-dossier.ts';
import { renderHtml } from '../../pipeline/report/render-html.ts';
import { renderMarkdown } from '../../pipeline/report/render-markdown.ts';
import { readableQuote } from '../../pipeline/report/labels.ts';
import { htmlText, latinWords, markdownText } from '../helpers/latin-words.ts';
import { runExtractionCache } from '../helpers/run-cache.ts';
import { loadSampleTruths } from '../helpers/truth.ts';

/**
 * Issue 15: the Markdown and HTML reports of the shared sample dossiers, checked without declared facts (so every
 * question, unknown fact and unread file shows), contain no English word or internal id outside file names, URLs,
 * commands to type and ids in small grey type after their Chinese label.
 */

const ocr = createOcrPool({ size: 1 });
afterAll(() => ocr.close());

describe('the rendered reports of the sample dossiers are Chinese where a person reads', () => {
  it('the scanner finds what it is meant to find', () => {
    expect(latinWords(markdownText('请声明：是否重大（命令行 `--fact major=值`）；未知事实 major')).map((h) => h.word)).toEqual(['major']);
    expect(latinWords('（从文件名看应为：training_report）').map((h) => h.word)).toEqual(['training_report']);
    expect(latinWords('见 09-用户培训报告.pdf 与 https://例子/a?x=abc，Microsoft Word 文档', ['09-用户培训报告.pdf'])).toEqual([]);
    expect(latinWords(htmlText('<p>是否重大 <small class="id">major</small></p><p>由规则 changeOccurred</p>')).map((h) => h.word)).toEqual(['changeOccurred']);
  });

  it('quotes lose the spaces OCR left inside Chinese words, Latin words keep theirs', () => {
    expect(readableQuote('第三方测试报 告\n（CMA 认证）  Microsoft Word 文档', 80)).toBe('第三方测试报告（CMA 认证） Microsoft Word 文档');
  });

  for (const { dir, truth } of loadSampleTruths()) {
    it(`${truth.id}: Markdown and HTML`, async () => {
      const report = await checkDossier({ input: join(dir, truth.archive), checklist: truth.city, stage: truth.stage, facts: {}, ocr, cache: runExtractionCache() });
      const paths = [...report.files.map((f) => f.path), ...report.skipped];
      const found = [
        ...latinWords(markdownText(renderMarkdown(report)), paths).map((h) => `Markdown：${h.word} ← ${h.context}`),
        ...latinWords(htmlText(renderHtml(report)), paths).map((h) => `HTML：${h.word} ← ${h.context}`),
      ];
      // Chinese items are separated with the Chinese '；', never an ASCII ';' (quotes of the regulations stay verbatim).
      const unquotedMarkdown = markdownText(renderMarkdown(report)).replace(/「[^」]*」/g, '「」');
      const unquotedHtml = htmlText(renderHtml(report).replace(/<q>[\s\S]*?<\/q>/g, '<q></q>'));
      for (const [name, text] of [['Markdown', unquotedMarkdown], ['HTML', unquotedHtml]] as const) {
        for (const m of text.matchAll(/[\u4e00-\u9fff）]\s*;\s*[\u4e00-\u9fff（]/g)) found.push(`${name}：半角分号 ← ${text.slice(Math.max(0, m.index! - 20), m.index! + 20)}`);
      }
      expect(found).toEqual([]);
      // checked against its own city, no sample is taken for another city's
      expect(report.cityMismatch).toBeUndefined();
    }, 300_000);
  }
});
