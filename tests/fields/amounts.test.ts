import { describe, expect, it } from 'vitest';
import { detectUnitNote, findAmountPairs, findAmounts, parseAmount, unitFromHeader } from '../../extractors/fields/amounts.ts';

describe('when an amount is written in Arabic digits', () => {
  it.each([
    ['120万元', '120', '万元'],
    ['1,200,000.00元', '120', '元'],
    ['¥1,200,000.00', '120', '元'],
    ['￥120万', '120', '万元'],
    ['RMB 120万元', '120', '万元'],
    ['人民币120万元', '120', '万元'],
    ['0.12亿元', '1200', '亿元'],
    ['１２０万元', '120', '万元'],
    ['１，２００，０００．００元', '120', '元'],
    ['1,234,500元', '123.45', '元'],
    ['49.99万元', '49.99', '万元'],
    ['49.990万元', '49.99', '万元'],
    ['0.01万元', '0.01', '万元'],
    ['12.345678万元', '12.345678', '万元'],
    ['120.00 万元', '120', '万元'],
    ['3500千元', '350', '千元'],
    ['1.5百万元', '150', '百万元'],
    ['999,999.99元', '99.999999', '元'],
  ])('reads %s as %s万元', (text, wan, unit) => {
    const amount = parseAmount(text)!;
    expect(amount.form).toBe('arabic');
    expect(amount.wan).toBe(wan);
    expect(amount.unit).toBe(unit);
  });

  it('keeps the value in 元 exactly as well', () => {
    expect(parseAmount('1,234,500.50元')!.yuan).toBe('1234500.5');
    expect(parseAmount('0.12亿元')!.yuan).toBe('12000000');
  });

  it('does not introduce floating-point error where a float would (0.1 + 0.2 style values)', () => {
    expect(parseAmount('0.3万元')!.yuan).toBe('3000');
    expect(parseAmount('1.1亿元')!.wan).toBe('11000');
    expect(parseAmount('4999.99元')!.wan).toBe('0.499999');
  });
});

describe('when an amount is written in lower-case Chinese numerals', () => {
  it.each([
    ['一百二十万元', '120'],
    ['一百二十点五万元', '120.5'],
    ['两千元', '0.2'],
    ['两百万元', '200'],
    ['三千万元', '3000'],
    ['十万元', '10'],
    ['一千零五万元', '1005'],
    ['一点二亿元', '12000'],
    ['十二亿三千四百万元', '123400'],
    ['一百万零五百元', '100.05'],
  ])('reads %s as %s万元', (text, wan) => {
    const amount = parseAmount(text)!;
    expect(amount.form).toBe('chinese');
    expect(amount.wan).toBe(wan);
  });
});

describe('when an amount is written in 大写', () => {
  it.each([
    ['人民币壹佰贰拾叁万肆仟伍佰元整', '123.45'],
    ['壹佰万元整', '100'],
    ['拾万元', '10'],
    ['拾万元整', '10'],
    ['壹拾万元整', '10'],
    ['贰万玖仟玖佰元整', '2.99'],
    ['陆拾贰万肆仟壹佰元整', '62.41'],
    ['壹佰零伍万元正', '105'],
    ['伍佰捌拾万零叁仟元整', '580.3'],
    ['壹亿零伍拾万元整', '10050'],
    ['壹佰贰拾叁元肆角伍分', '0.012345'],
    ['壹佰元零伍分', '0.010005'],
    ['叁万元伍角', '3.00005'],
    ['貳佰參拾萬圓整', '230'],
    ['壹拾貳萬參仟元整', '12.3'],
    ['陸萬元整', '6'],
    ['壹億元整', '10000'],
  ])('reads %s as %s万元', (text, wan) => {
    const amount = parseAmount(text)!;
    expect(amount.form).toBe('daxie');
    expect(amount.wan).toBe(wan);
  });
});

describe('when an amount carries no unit of its own', () => {
  it('takes the unit of the column header before that of the document note', () => {
    const amount = parseAmount('120.00', { column: '万元', document: '元' })!;
    expect(amount.wan).toBe('120');
    expect(amount.unitSource).toBe('column');
  });

  it('falls back to the document note', () => {
    const amount = parseAmount('1200000', { document: '元' })!;
    expect(amount.wan).toBe('120');
    expect(amount.unitSource).toBe('document');
  });

  it('lets an explicit suffix win over both', () => {
    expect(parseAmount('120元', { column: '万元', document: '万元' })!.wan).toBe('0.012');
  });

  it('leaves the value indeterminate instead of guessing', () => {
    const amount = parseAmount('120')!;
    expect(amount.wan).toBeNull();
    expect(amount.unit).toBeNull();
  });
});

describe('when finding amounts in running text', () => {
  it('finds each amount with its offsets', () => {
    const text = '送审金额120.00万元，审定金额117.94万元，审减2.06万元。';
    const found = findAmounts(text);
    expect(found.map((a) => a.wan)).toEqual(['120', '117.94', '2.06']);
    for (const a of found) expect(text.slice(a.start, a.end)).toBe(a.raw);
  });

  it('does not take counts of things for money', () => {
    expect(findAmounts('年办件量约32万件，服务人口1.2亿人次')).toEqual([]);
  });

  it('does not take years, percentages or bare numbers for money', () => {
    expect(findAmounts('2023年完成37.0%，共47项')).toEqual([]);
  });

  it('does not read ordinary words containing numerals as money', () => {
    expect(findAmounts('统一身份认证单元，第三方测评，一式六份')).toEqual([]);
  });

  it('keeps offsets into the original text when it has full-width characters', () => {
    const text = '合同金额：￥１２０，０００元';
    const [amount] = findAmounts(text);
    expect(amount!.wan).toBe('12');
    expect(text.slice(amount!.start, amount!.end)).toBe('￥１２０，０００元');
  });
});

describe('when an amount is stated in 大写 and 小写 together', () => {
  it('pairs "人民币（大写）：…（小写）：¥…" and finds them equal', () => {
    const [pair] = findAmountPairs('人民币（大写）：壹佰贰拾万元整（小写）：¥1,200,000.00');
    expect(pair!.daxie.wan).toBe('120');
    expect(pair!.arabic.wan).toBe('120');
    expect(pair!.equal).toBe(true);
  });

  it('pairs a figure followed by its 大写 in brackets', () => {
    const [pair] = findAmountPairs('本项目总投资估算为120.00万元（大写：壹佰贰拾万元整），资金来源为财政资金。');
    expect(pair!.equal).toBe(true);
    expect(pair!.daxie.raw).toBe('壹佰贰拾万元整');
  });

  it('reports a pair whose two forms disagree', () => {
    const [pair] = findAmountPairs('合同总价为人民币捌拾捌万肆仟壹佰元整（¥884,000.00元），含税。');
    expect(pair!.daxie.wan).toBe('88.41');
    expect(pair!.arabic.wan).toBe('88.4');
    expect(pair!.equal).toBe(false);
  });

  it('does not pair two amounts that are separated by other words', () => {
    expect(findAmountPairs('送审金额壹佰贰拾万元整，审定金额117.94万元')).toEqual([]);
  });
});

describe('when a unit is given outside the amount', () => {
  it.each([
    ['单位：万元', '万元'],
    ['金额单位:元', '元'],
    ['（单位：万元）', '万元'],
  ])('reads the document note %s', (text, unit) => {
    expect(detectUnitNote(text)).toBe(unit);
  });

  it.each([
    ['项目投资（万元）', '万元'],
    ['计划投资(万元)', '万元'],
    ['单价/元', '元'],
    ['金额（单位：亿元）', '亿元'],
  ])('reads the column header %s', (text, unit) => {
    expect(unitFromHeader(text)).toBe(unit);
  });

  it('finds no unit where none is written', () => {
    expect(unitFromHeader('项目投资')).toBeNull();
    expect(detectUnitNote('项目总投资见附表')).toBeNull();
  });
});
