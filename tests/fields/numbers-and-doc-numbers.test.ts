import { describe, expect, it } from 'vitest';
import { decodeChineseNumber, decodeChineseYear } from '../../extractors/fields/chinese-numerals.ts';
import { addDecimalStrings, canonicalDecimal, compareDecimalStrings, subtractDecimalStrings } from '../../extractors/fields/decimal.ts';
import { findDocNumbers, normDocNumber, parseDocNumber } from '../../extractors/fields/doc-numbers.ts';

describe('when decoding Chinese numerals', () => {
  it.each([
    ['一百二十', '120'],
    ['一百二十点五', '120.5'],
    ['两千', '2000'],
    ['两百', '200'],
    ['十', '10'],
    ['十五', '15'],
    ['一千零五', '1005'],
    ['一万零五百', '10500'],
    ['三百零五万', '3050000'],
    ['十二亿三千四百万', '1234000000'],
    ['壹佰贰拾叁万肆仟伍佰', '1234500'],
    ['拾万', '100000'],
    ['壹拾万', '100000'],
    ['貳佰參拾萬', '2300000'],
    ['陸仟', '6000'],
    ['壹億零伍拾萬', '100500000'],
    ['一万二', '12000'],
    ['三千五', '3500'],
    ['一百二', '120'],
    ['廿五', '25'],
    ['零点五', '0.5'],
    ['二〇二三', '2023'],
  ])('reads %s as %s', (text, expected) => {
    expect(decodeChineseNumber(text)).toBe(expected);
  });

  it.each(['', '万', '点', '一点二点三', '一百二十X', '元'])('rejects %j', (text) => {
    expect(decodeChineseNumber(text)).toBeNull();
  });

  it('reads years written digit by digit with any zero form', () => {
    expect(decodeChineseYear('二○一二')).toBe(2012);
    expect(decodeChineseYear('二〇一二')).toBe(2012);
    expect(decodeChineseYear('二零一二')).toBe(2012);
    expect(decodeChineseYear('二O一二')).toBe(2012);
    expect(decodeChineseYear('二〇一')).toBeNull();
  });
});

describe('when doing decimal arithmetic on amounts', () => {
  it('adds and subtracts exactly', () => {
    expect(addDecimalStrings('0.1', '0.2')).toBe('0.3');
    expect(addDecimalStrings('44.35', '75.65')).toBe('120');
    expect(subtractDecimalStrings('120', '117.94')).toBe('2.06');
  });

  it('compares exactly, so 49.99 stays below 50', () => {
    expect(compareDecimalStrings('49.99', '50')).toBe(-1);
    expect(compareDecimalStrings('50.00', '50')).toBe(0);
    expect(compareDecimalStrings('200.0001', '200')).toBe(1);
  });

  it('canonicalises trailing zeros and separators', () => {
    expect(canonicalDecimal('120.00')).toBe('120');
    expect(canonicalDecimal('1,234.50')).toBe('1234.5');
    expect(canonicalDecimal('0.0500')).toBe('0.05');
    expect(canonicalDecimal('abc')).toBeNull();
  });
});

describe('when reading 文号', () => {
  it.each([
    ['益政办发〔2022〕22号', '益政办发〔2022〕22号'],
    ['常政办发[2009]27号', '常政办发〔2009〕27号'],
    ['沈数管发［2018］2号', '沈数管发〔2018〕2号'],
    ['舒政办【2018】44号', '舒政办〔2018〕44号'],
    ['益智建发(2020)2号', '益智建发〔2020〕2号'],
    ['益智建发（2020）2号', '益智建发〔2020〕2号'],
    ['常政务办﹝2023﹞34号', '常政务办〔2023〕34号'],
    ['舒发改〔2022〕第074号', '舒发改〔2022〕74号'],
    ['常政务办 〔2023〕 034 号', '常政务办〔2023〕34号'],
    ['常政务办[2023)34号', '常政务办〔2023〕34号'],
  ])('normalises %s to %s', (text, expected) => {
    expect(parseDocNumber(text)?.normalized).toBe(expected);
  });

  it('separates the abbreviation from the prose around it', () => {
    const found = findDocNumbers('根据《办法》（益政办发〔2022〕22号）和常经信发〔2021〕5号文件精神');
    expect(found.map((d) => d.normalized)).toEqual(['益政办发〔2022〕22号', '常经信发〔2021〕5号']);
  });

  it('drops a conjunction left after a prose word', () => {
    expect(findDocNumbers('按照文件和常政务办〔2023〕34号要求')[0]!.issuerAbbrev).toBe('常政务办');
  });

  it('never takes a 索引号 or 统一登记号 for a 文号', () => {
    expect(findDocNumbers('索 引 号：006466311/2022-1652089 统一登记号：YYCR-2022-01017')).toEqual([]);
  });

  it('compares 文号 written with different brackets as equal', () => {
    expect(normDocNumber('益政办发[2022]22号')).toBe(normDocNumber('益政办发〔2022〕第22号'));
  });

  it('keeps offsets into the original text', () => {
    const text = '经批复（常政务办〔2023〕34号），总投资120万元';
    const [number] = findDocNumbers(text);
    expect(text.slice(number!.start, number!.end)).toBe('常政务办〔2023〕34号');
  });
});
