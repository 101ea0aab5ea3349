import { describe, expect, it } from 'vitest';
import type { Page } from '../../extractors/model.ts';
import { pagesToReadInFull } from '../../extractors/pdf/skim.ts';

/**
 * Which skimmed pages the cheap pass reads in full (extractors/pdf/skim.ts), on pages as the bands give them: only the
 * top and bottom of a skimmed page is known.
 */

const body = '项目组按照既定计划推进各项工作，各参建单位明确专人负责对接，保证了各阶段任务按期完成。';
const full = (n: number, text: string): Page => ({ n, text, source: 'ocr', confidence: 90 });
const skimmed = (n: number, text: string): Page => ({ n, text, source: 'ocr', confidence: 90, partial: true });

describe('the pages the cheap pass reads in full', () => {
  it('are the first and last page of each document the bands find, not the pages between', () => {
    const pages = [
      skimmed(1, `某市政务服务平台建设项目竣工报告\n建设单位：某市数据资源局\n一、项目概况\n${body}`),
      skimmed(2, `二、建设内容\n${body}\n${body}`),
      skimmed(3, `${body}\n${body}`),
      skimmed(4, `${body}\n某市数据资源局\n2025年6月20日`),
      skimmed(5, `关于某市政务服务平台建设项目竣工验收的请示\n某数〔2025〕12号\n${body}`),
      skimmed(6, `${body}\n某市数据资源局\n2025年6月21日`),
    ];
    expect(pagesToReadInFull(pages)).toEqual([1, 4, 5, 6]);
  });

  it('include the page before a title that did not start a document, whose closing the bottom band may have missed', () => {
    const pages = [
      full(1, `某市政务服务平台建设项目实施方案\n建设单位：某市数据资源局\n一、建设目标\n${body}`),
      skimmed(2, `二、实施计划\n${body}`),
      // The bands of a short last page: its signature and date stand in the middle, unread.
      skimmed(3, `三、质量控制\n${body}`),
      full(4, `中标通知书\n采购项目编号：CG-2025-121\n某科技有限公司：\n${body}\n2025年7月20日`),
    ];
    expect(pagesToReadInFull(pages)).toContain(3);
    expect(pagesToReadInFull(pages)).not.toContain(2);
  });

  it('include pages whose bands show nothing and pages that may hold a 目录', () => {
    const pages = [
      full(1, `某市政务服务平台建设项目验收资料汇编\n某市数据资源局\n2025年6月`),
      skimmed(2, '目录'),
      skimmed(3, ''),
      full(4, `某市政务服务平台建设项目竣工报告\n建设单位：某市数据资源局\n${body}`),
    ];
    expect(pagesToReadInFull(pages)).toEqual(expect.arrayContaining([2, 3]));
  });

  it('are none once every page the segmentation leans on was read', () => {
    expect(pagesToReadInFull([full(1, `某市政务服务平台建设项目竣工报告\n${body}`), skimmed(2, body), full(3, `${body}\n2025年6月20日`)])).toEqual([]);
  });
});
