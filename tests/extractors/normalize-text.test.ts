import { describe, expect, it } from 'vitest';
import { foldForMatching, normalizeText, stripPinyinAnnotations } from '../../extractors/normalize.ts';

describe('when a Traditional text carries pinyin annotations (§0.4)', () => {
  it('removes the annotations and converts to Simplified', () => {
    expect(normalizeText('《項(xiàng)目立項(xiàng)申報(bào)表》')).toBe('《项目立项申报表》');
  });

  it('removes the annotations before the script conversion, keeping Traditional characters', () => {
    expect(stripPinyinAnnotations('驗(yàn)收')).toBe('驗收');
  });

  it('also removes annotations written with full-width parentheses', () => {
    expect(normalizeText('項（xiàng）目')).toBe('项目');
  });

  it('resolves the alias wording of the municipal template', () => {
    expect(normalizeText('市信息化管理辦公室(以下簡(jiǎn)稱(chēng)市信息辦)')).toBe('市信息化管理办公室(以下简称市信息办)');
  });

  it('keeps bracketed Latin words that are not pinyin', () => {
    expect(normalizeText('操作系统(linux)')).toBe('操作系统(linux)');
    expect(normalizeText('数据库(MySQL)')).toBe('数据库(MySQL)');
  });
});

describe('when the text is Traditional Chinese', () => {
  it.each([
    ['驗收報告', '验收报告'],
    ['電子政務', '电子政务'],
    ['項目後期', '项目后期'],
  ])('converts %s to %s', (traditional, simplified) => {
    expect(normalizeText(traditional)).toBe(simplified);
  });

  it('leaves Simplified text as it is', () => {
    expect(normalizeText('计算机信息系统建设项目')).toBe('计算机信息系统建设项目');
  });
});

describe('when the text mixes full-width and half-width forms', () => {
  it('folds full-width brackets, commas, colons and digits', () => {
    expect(normalizeText('单价（万元）：１２３，４５')).toBe('单价(万元):123,45');
  });

  it('turns the ideographic space into an ordinary one between Latin words', () => {
    expect(normalizeText('Ｗｉｎｄｏｗｓ　Server')).toBe('Windows Server');
  });

  it('keeps Chinese-only punctuation', () => {
    expect(normalizeText('《通知》、〔2022〕。“三清单”')).toBe('《通知》、〔2022〕。“三清单”');
  });
});

describe('when OCR has put spaces between Chinese characters', () => {
  it('removes them', () => {
    expect(normalizeText('可 行 性 研 究 报 告')).toBe('可行性研究报告');
  });

  it('removes them next to brackets, punctuation and numbers', () => {
    expect(normalizeText('共 3 台 ， 单 价 （ 万 元 ）')).toBe('共3台,单价(万元)');
  });

  it('keeps the spaces between Latin words and numbers', () => {
    expect(normalizeText('Windows Server 2019')).toBe('Windows Server 2019');
  });

  it('keeps the spaces around the table-cell separator', () => {
    expect(normalizeText('服务器 | 2 | 台')).toBe('服务器 | 2 | 台');
  });
});

describe('when the text has layout noise', () => {
  it('collapses runs of spaces and tabs and trims lines', () => {
    expect(normalizeText('  Windows \t  Server   2019  ')).toBe('Windows Server 2019');
  });

  it('normalises line endings and keeps at most one blank line', () => {
    expect(normalizeText('　　第一条\r\n\r\n\r\n\r\n第二条\r第三条')).toBe('第一条\n\n第二条\n第三条');
  });

  it('strips the BOM and zero-width characters', () => {
    expect(normalizeText('\uFEFF验\u200B收\u200D报告\u2060')).toBe('验收报告');
  });

  it('composes decomposed characters (NFC)', () => {
    expect(normalizeText('cafe\u0301')).toBe('caf\u00e9');
  });

  it('gives the same result when applied twice', () => {
    const messy = '\uFEFF《項(xiàng)目立項(xiàng)申報(bào)表》\r\n可 行 性 （ 送 审 稿 ）  Windows　Server １２３';
    const once = normalizeText(messy);
    expect(normalizeText(once)).toBe(once);
  });
});

describe('when folding for substring matching', () => {
  it('removes all whitespace, including line breaks inside a title', () => {
    expect(foldForMatching('可行性\n研究 报告')).toBe('可行性研究报告');
  });

  it('treats Chinese and ASCII double quotes as equal', () => {
    expect(foldForMatching('数据“三清单”')).toBe(foldForMatching('数据"三清单"'));
    expect(foldForMatching('数据＂三清单＂')).toBe('数据"三清单"');
  });

  it('treats the two zero forms as equal', () => {
    expect(foldForMatching('二○一二年')).toBe(foldForMatching('二〇一二年'));
    expect(foldForMatching('二○一二年')).toBe('二〇一二年');
  });

  it('matches a Traditional, annotated, full-width title against its Simplified form', () => {
    const haystack = foldForMatching('附件：《項(xiàng)目立項(xiàng)申報(bào)表》（送審稿）');
    expect(haystack).toContain(foldForMatching('《项目立项申报表》 (送审稿)'));
  });
});
