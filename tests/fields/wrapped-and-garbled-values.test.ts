import { describe, expect, it } from 'vitest';
import { findAmountPairs } from '../../extractors/fields/amounts.ts';
import { extractFields } from '../../extractors/fields/extract.ts';

describe('when a line break cuts an organisation name', () => {
  it('joins the start of the next line: 常德市水利 / 局，… is 常德市水利局', () => {
    const candidates = extractFields({ path: 'a.pdf', pages: [{ n: 1, text: '项目名称:某某平台建设项目。项目建设单位:常德市水利\n局，项目总投资138.6万元。', source: 'text-layer' }] });
    const units = candidates.filter((c) => c.field === 'constructionUnit').map((c) => (c.value.kind === 'org' ? c.value.name : ''));
    expect(units).toEqual(['常德市水利局']);
  });
});

describe('when OCR garbles a 大写 amount', () => {
  it('does not read the digits before the slip as the amount, so no false 大写/小写 mismatch arises', () => {
    expect(findAmountPairs('项目总投资138.6万元(大写:人民币壹佰参拾抽万陆作元整)')).toEqual([]);
  });

  it('still pairs a clean 大写 amount with its 小写 figure', () => {
    const [pair] = findAmountPairs('合同金额：人民币（大写）壹佰叁拾捌万陆仟元整（小写：¥1,386,000.00）');
    expect(pair?.daxie.wan).toBe('138.6');
    expect(pair?.equal).toBe(true);
  });
});

describe('when OCR misreads the first 大写 digit', () => {
  it('does not read 人民币起万零壹佰元整 as 1.01万元', () => {
    expect(findAmountPairs('监理服务费为人民币起万零壹佰元整(20,100.00元)。')).toEqual([]);
  });
});
