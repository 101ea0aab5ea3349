import { describe, expect, it } from 'vitest';
import { normalizeOcrText, removeSpacesBetweenHan } from '../../extractors/ocr/han-spacing.ts';

describe('when OCR puts spaces between Chinese characters', () => {
  it('removes spaces between two Han characters', () => {
    expect(removeSpacesBetweenHan('项目 名称  建设 单位')).toBe('项目名称建设单位');
  });

  it('removes spaces between Han characters and full-width punctuation on either side', () => {
    expect(removeSpacesBetweenHan('建设单位 ： 某市 数据局 。 特此 请示 ， 请予 审批')).toBe('建设单位：某市数据局。特此请示，请予审批');
    expect(removeSpacesBetweenHan('《 可行性 研究 报告 》')).toBe('《可行性研究报告》');
  });

  it('keeps spaces next to digits and Latin words, which may be real', () => {
    expect(removeSpacesBetweenHan('第 11 页 共 158 页')).toBe('第 11 页共 158 页');
    expect(removeSpacesBetweenHan('NNBM 8124-200 接收 机')).toBe('NNBM 8124-200 接收机');
  });
});

describe('when normalising a whole OCR page', () => {
  it('keeps line breaks, trims each line and collapses runs of blank lines', () => {
    const raw = '  关于 立项 的 请示  \n项目 名称 ： 智慧 政务\n\n\n\n   总投资 120 万元\n';
    expect(normalizeOcrText(raw)).toBe('关于立项的请示\n项目名称：智慧政务\n\n总投资 120 万元');
  });

  it('drops the bars tesseract reads from the vertical rules of a table, and the spaces they leave', () => {
    expect(normalizeOcrText('序号 | 费用名称 |规格型号 数量 ｜单价 (万元) | 金额')).toBe('序号费用名称规格型号数量单价 (万元) 金额');
  });

  it('turns Windows line endings into plain line breaks', () => {
    expect(normalizeOcrText('第一 行\r\n第二 行')).toBe('第一行\n第二行');
  });
});
