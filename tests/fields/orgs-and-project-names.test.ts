import { describe, expect, it } from 'vitest';
import {
  compareProjectNames,
  creditCodeCheckCharacter,
  findAliases,
  findCreditCodes,
  isValidCreditCode,
  looksLikeOrg,
  normOrg,
  normProjectName,
  projectNameParts,
  sameOrg,
} from '../../extractors/fields/orgs.ts';

describe('when normalising organisation names (§5.5 norm)', () => {
  it.each([
    ['岳阳市数据资源局（盖章）', '岳阳市数据资源局'],
    ['岳阳市数据资源局(章)', '岳阳市数据资源局'],
    [' 岳阳市 数据资源局 ', '岳阳市数据资源局'],
    ['岳阳市数据资源局：', '岳阳市数据资源局'],
    ['湖南星河软件股份有限公司（公章）', '湖南星河软件股份有限公司'],
    ['市大数据局【市电子政务管理办公室】', '市大数据局(市电子政务管理办公室)'],
    ['市大数据局（市电子政务管理办公室）', '市大数据局(市电子政务管理办公室)'],
    ['市信息化管理辦公室', '市信息化管理办公室'],
    ['ＡＢＣ科技有限公司', 'ABC科技有限公司'],
  ])('norm(%s) = %s', (name, expected) => {
    expect(normOrg(name)).toBe(expected);
  });

  it('resolves aliases the document defines', () => {
    const aliases = findAliases('市信息化管理辦公室(以下簡稱市信息辦)负责项目验收。');
    expect(aliases.get('市信息办')).toBe('市信息化管理办公室');
    expect(normOrg('市信息辦', aliases)).toBe('市信息化管理办公室');
  });

  it('reads aliases in quotes and after a label', () => {
    const aliases = findAliases('甲方：岳阳市数据资源局（以下简称“甲方”）\n乙方：湖南星河软件股份有限公司（以下简称"乙方"）');
    expect(aliases.get('甲方')).toBe('岳阳市数据资源局');
    expect(aliases.get('乙方')).toBe('湖南星河软件股份有限公司');
  });

  it('tells organisation names from other text', () => {
    expect(looksLikeOrg('岳阳市数据资源局')).toBe(true);
    expect(looksLikeOrg('湖南正衡工程监理有限公司')).toBe(true);
    expect(looksLikeOrg('岳阳市人民政府办公室')).toBe(true);
    expect(looksLikeOrg('各有关单位')).toBe(false);
    expect(looksLikeOrg('项目已完成全部建设内容')).toBe(false);
    expect(looksLikeOrg('局')).toBe(false);
  });

  it('decides identity by credit code first, then by exact normalised name only', () => {
    expect(sameOrg({ name: '甲公司', creditCode: '91330100799655058B' }, { name: '乙公司', creditCode: '91330100799655058B' })).toBe(true);
    expect(sameOrg({ name: '湖南星河软件有限公司', creditCode: '91330100799655058B' }, { name: '湖南星河软件有限公司', creditCode: '914403001922038216' })).toBe(false);
    expect(sameOrg({ name: '湖南星河软件有限公司（盖章）' }, { name: '湖南星河软件有限公司' })).toBe(true);
    expect(sameOrg({ name: '湖南星河软件有限公司' }, { name: '湖南星河软件股份有限公司' })).toBe(false);
  });
});

describe('when validating 统一社会信用代码 (GB 32100-2015)', () => {
  it.each(['91330100799655058B', '914403001922038216', '9144030071526726XG', '91110000802100433B', '91110108551385082Q'])(
    'accepts the published code %s',
    (code) => {
      expect(isValidCreditCode(code)).toBe(true);
    },
  );

  it.each([
    ['a wrong check character', '91330100799655058C'],
    ['a changed digit', '91330100799655068B'],
    ['17 characters', '91330100799655058'],
    ['the letter I', '9133010079965505IB'],
    ['the letter O', '913301007996550O8B'],
  ])('rejects a code with %s', (_why, code) => {
    expect(isValidCreditCode(code)).toBe(false);
  });

  it('accepts full-width and lower-case forms of a valid code', () => {
    expect(isValidCreditCode('９１３３０１００７９９６５５０５８ｂ')).toBe(true);
  });

  it('computes the check character', () => {
    expect(creditCodeCheckCharacter('91330100799655058')).toBe('B');
    expect(creditCodeCheckCharacter('9133010079965505I')).toBeNull();
  });

  it('finds labelled codes in text and checks them', () => {
    const found = findCreditCodes('统一社会信用代码：914403001922038216\n统一社会信用代码:914403001922038217');
    expect(found.map((f) => [f.code, f.valid])).toEqual([
      ['914403001922038216', true],
      ['914403001922038217', false],
    ]);
  });
});

describe('when normalising project names (GEN-01)', () => {
  it.each([
    ['《岳阳市城市运行管理平台三期建设项目》', '岳阳市城市运行管理平台三期'],
    ['岳阳市城市运行管理平台三期建设项目', '岳阳市城市运行管理平台三期'],
    ['岳阳市城市运行管理平台三期项目', '岳阳市城市运行管理平台三期'],
    ['岳阳市城市运行管理平台（三期）工程', '岳阳市城市运行管理平台三期'],
    ['岳阳市不动产登记系统建设项目', '岳阳市不动产登记'],
    ['岳阳市 不动产登记系统', '岳阳市不动产登记'],
    ['岳陽市不動產登記系統', '岳阳市不动产登记'],
  ])('normalises %s to %s', (name, expected) => {
    expect(normProjectName(name)).toBe(expected);
  });

  it('reads phase markers and years', () => {
    expect(projectNameParts('岳阳市城市运行管理平台三期建设项目')).toMatchObject({ phase: '3', year: null });
    expect(projectNameParts('岳阳市城市运行管理平台第3期')).toMatchObject({ phase: '3' });
    expect(projectNameParts('2024年度岳阳市政务云租赁项目')).toMatchObject({ year: '2024', phase: null });
  });

  it('treats the same project written differently as the same', () => {
    expect(compareProjectNames('《岳阳市城市运行管理平台三期建设项目》', '岳阳市城市运行管理平台（三期）').same).toBe(true);
    expect(compareProjectNames('岳阳市城市运行管理平台三期建设项目', '岳阳市城市运行管理平台第三期项目').same).toBe(true);
  });

  it('keeps different phases apart however similar the names', () => {
    const comparison = compareProjectNames('岳阳市城市运行管理平台二期建设项目', '岳阳市城市运行管理平台三期建设项目');
    expect(comparison.similarity).toBe(1);
    expect(comparison.samePhase).toBe(false);
    expect(comparison.same).toBe(false);
  });

  it('keeps different years apart', () => {
    expect(compareProjectNames('2023年度岳阳市政务云租赁项目', '2024年度岳阳市政务云租赁项目').same).toBe(false);
  });

  it('keeps clearly different projects apart', () => {
    const comparison = compareProjectNames('岳阳市城市运行管理平台建设项目', '岳阳市智慧停车管理平台建设项目');
    expect(comparison.same).toBe(false);
    expect(comparison.similarity).toBeLessThan(0.9);
  });

  it('does not call a name the same as a longer name that contains it', () => {
    expect(compareProjectNames('岳阳市不动产登记系统', '岳阳市不动产登记系统升级改造项目').same).toBe(false);
  });
});
