import { describe, expect, it } from 'vitest';
import { best, extract, valuesOf } from './extract-helpers.ts';

const CONTRACT = `岳阳市城市运行管理平台三期建设项目
政府采购合同
项目名称：岳阳市城市运行管理平台三期建设项目
甲方（采购人）：岳阳市城市管理和综合执法局
乙方（供应商）：湖南星河软件股份有限公司
合同编号：YYCG-2024-0315
签订日期：2024年4月26日
一、合同标的
乙方按照招标文件及投标文件要求，完成岳阳市城市运行管理平台三期建设项目的软件开发、设备供货、安装调
试及系统集成。
二、合同金额
合同总价为人民币叁佰壹拾贰万元整（¥3,120,000.00元），含税。
三、工期与交付
乙方应自合同签订之日起9个月内完成建设并通过验收。
四、付款方式
合同签订后支付30%，初验合格后支付40%，竣工验收合格后支付25%，剩余5%作为质保金。`;

const SIGNATURES = `甲方（盖章）：岳阳市城市管理和综合执法局
统一社会信用代码：11430600MB1A2345XK
法定代表人：周建国
地址：岳阳市岳阳楼区金鹗中路88号
乙方（盖章）：湖南星河软件股份有限公司
统一社会信用代码：914403001922038216
法定代表人：李文华
地址：长沙市岳麓区麓谷大道627号`;

describe('when reading a contract with 甲方/乙方 blocks', () => {
  const candidates = extract([CONTRACT, SIGNATURES]);

  it('reads both parties and the roles their qualifiers name', () => {
    expect(valuesOf(candidates, 'partyA')).toContain('岳阳市城市管理和综合执法局');
    expect(valuesOf(candidates, 'partyB')).toContain('湖南星河软件股份有限公司');
    expect(valuesOf(candidates, 'constructionUnit')).toContain('岳阳市城市管理和综合执法局');
    expect(valuesOf(candidates, 'contractor')).toContain('湖南星河软件股份有限公司');
    expect(best(candidates, 'partyA')!.party).toBe('A');
  });

  it('drops the seal note from a party written in the signature block', () => {
    const signed = candidates.filter((c) => c.field === 'partyB' && c.provenance.page === 2);
    expect(signed.map((c) => c.value)).toEqual([expect.objectContaining({ name: '湖南星河软件股份有限公司' })]);
    expect(signed[0]!.provenance.label).toBe('乙方(盖章)');
  });

  it('reads the contract amount from 大写 and records the 大写/小写 pair', () => {
    const amount = best(candidates, 'contractAmount')!;
    expect(amount.value).toMatchObject({ kind: 'amount', wan: '312', form: 'daxie', taxIncluded: true });
    const pair = best(candidates, 'amountPairs')!;
    expect(pair.value).toMatchObject({ kind: 'amountPair', equal: true });
  });

  it('reads the number, the signing date and the agreed completion', () => {
    expect(valuesOf(candidates, 'contractNumber')).toEqual(['YYCG-2024-0315']);
    expect(valuesOf(candidates, 'signDate')).toEqual(['2024-04-26']);
    expect(best(candidates, 'contractAgreedAcceptance')!.value).toEqual({ kind: 'relativeDate', anchor: '合同签订', amount: 9, unit: 'month', bound: 'within' });
  });

  it('attaches credit codes, legal representatives and addresses to the party above them', () => {
    const identifiers = candidates.filter((c) => c.field === 'orgIdentifier').map((c) => c.value);
    expect(identifiers).toContainEqual({
      kind: 'orgIdentifier',
      org: '湖南星河软件股份有限公司',
      creditCode: '914403001922038216',
      creditCodeValid: true,
      legalRepresentative: '李文华',
      address: '长沙市岳麓区麓谷大道627号',
    });
    expect(identifiers).toContainEqual(expect.objectContaining({ org: '岳阳市城市管理和综合执法局', creditCodeValid: false }));
  });

  it('takes no payment term for a preliminary acceptance or its date', () => {
    expect(valuesOf(candidates, 'preliminaryAcceptanceConclusion')).toEqual([]);
    expect(valuesOf(candidates, 'preliminaryAcceptanceDate')).toEqual([]);
  });
});

describe('when an OCR\'d contract has odd spacing and full-width colons', () => {
  const OCR = `政 府 采 购 合 同
甲 方 （ 采 购 人 ） ： 岳阳市城市管理和综合执法局
乙 方 ：
湖南星河软件股份有限公司
合同金额 ： ３１２．００ 万元
甲方（盖章）：岳阳市城市管理和综合执法局 乙方（盖章）：湖南星河软件股份有限公司`;
  const candidates = extract(OCR, 'ocr');

  it('reads labels despite the spaces', () => {
    expect(valuesOf(candidates, 'partyA')).toContain('岳阳市城市管理和综合执法局');
    expect(valuesOf(candidates, 'contractAmount')).toEqual(['312']);
  });

  it('takes a value written on the line after its label', () => {
    expect(valuesOf(candidates, 'partyB')).toContain('湖南星河软件股份有限公司');
  });

  it('splits two labels written on one line, even when OCR lost the gap between them', () => {
    const line = extract('甲方（盖章）：岳阳市城市管理和综合执法局    乙方（盖章）：湖南星河软件股份有限公司', 'ocr');
    expect(valuesOf(line, 'partyA')).toEqual(['岳阳市城市管理和综合执法局']);
    expect(valuesOf(line, 'partyB')).toEqual(['湖南星河软件股份有限公司']);
  });
});

describe('when reading a supervision contract', () => {
  const SUPERVISION = `岳阳市城市运行管理平台三期建设项目
监理服务合同
甲方：岳阳市城市管理和综合执法局
乙方（供应商）：湖南正衡项目管理咨询有限公司
二、监理费用
监理服务费为人民币叁万捌仟元整（¥38,000.00元）。
委托人（盖章）：岳阳市城市管理和综合执法局
监理人（盖章）：湖南正衡项目管理咨询有限公司
2024年4月10日`;
  const candidates = extract(SUPERVISION);

  it('names the supervisor from the generic party labels, never the contractor', () => {
    expect(valuesOf(candidates, 'supervisor')).toContain('湖南正衡项目管理咨询有限公司');
    expect(valuesOf(candidates, 'contractor')).toEqual([]);
  });

  it('reads the fee as this contract\'s amount', () => {
    expect(valuesOf(candidates, 'contractAmount')).toEqual(['3.8']);
  });

  it('reads 委托人 as the construction unit', () => {
    expect(valuesOf(candidates, 'constructionUnit')).toContain('岳阳市城市管理和综合执法局');
  });
});

describe('when a table row carries label and value in cells', () => {
  const TABLE = `项目名称 | 岳阳市城市运行管理平台三期建设项目 | 建设单位 | 岳阳市城市管理和综合执法局
项目投资（万元） | 356.80 | 建设年度 | 2024年3月至2024年12月
承建单位 | 湖南星河软件股份有限公司 | 监理单位 | 湖南正衡项目管理咨询有限公司`;
  const candidates = extract(TABLE, 'text-layer', 'form.docx');

  it('reads each label cell with the cell after it', () => {
    expect(valuesOf(candidates, 'projectName')).toEqual(['岳阳市城市运行管理平台三期建设项目']);
    expect(valuesOf(candidates, 'constructionUnit')).toEqual(['岳阳市城市管理和综合执法局']);
    expect(valuesOf(candidates, 'contractor')).toEqual(['湖南星河软件股份有限公司']);
    expect(valuesOf(candidates, 'supervisor')).toEqual(['湖南正衡项目管理咨询有限公司']);
  });

  it('gives a bare number the unit of its label', () => {
    const amount = best(candidates, 'totalInvestment')!;
    expect(amount.value).toMatchObject({ wan: '356.8', unitSource: 'column' });
  });
});

describe('when an OCR\'d key/value table lost its colons', () => {
  const OCR = `项目名称岳阳市城市运行管理平台三期建设项目
建设单位岳阳市城市管理和综合执法局
建设单位共有业务事项47项`;
  const candidates = extract(OCR, 'ocr');

  it('reads a label running straight into a value that validates', () => {
    expect(valuesOf(candidates, 'projectName')).toEqual(['岳阳市城市运行管理平台三期建设项目']);
    expect(valuesOf(candidates, 'constructionUnit')).toEqual(['岳阳市城市管理和综合执法局']);
  });
});

describe('when reading a notice of award', () => {
  const NOTICE = `中标通知书
湖南星河软件股份有限公司：
岳阳市城市运行管理平台三期建设项目（项目编号：YYCG-2024-0088）于2024年4月2日开标，经评标委员会评审，确定贵公司为中标人，中标金额：人民币叁佰壹拾贰万元整（¥3,120,000.00）。
岳阳市城市管理和综合执法局
2024年4月12日`;
  const candidates = extract(NOTICE);

  it('takes the addressee as the awardee', () => {
    expect(valuesOf(candidates, 'awardee')).toEqual(['湖南星河软件股份有限公司']);
    expect(valuesOf(candidates, 'contractAmount')).toContain('312');
  });
});

describe('when reading a tender document (real-world layout)', () => {
  // Wording and wrapping as in a real 99-page WPS 招标文件.
  const TENDER = `1、招标条件
本招标项目山西华阳集团新能股份有限公司一矿阎家庄风井项目采购，项目资金来源为项目资金，招标人为山西华阳集团新能股份有限公
司一矿。本项目已具备招标条件，现对该项目进行国内公开招标。
2.1 项目名称：山西华阳集团新能股份有限公司一矿阎家庄风井项目（阎家庄 35/6KV
变电站 35KV 开关柜）采购
2.2 招标编号：JSH2023-15-35-103
1.1.1.2 合同协议书：指买方和卖方共同签署的合同协议书。
卖方：指与买方签订合同协议书的中标人。
招标人：（盖单位章）
（1）中标服务费按“计价格〔2002〕1980 号”及“发
改价格〔2011〕534 号”相关规定标准计取，以中标通知书所列金额为计费基数。`;
  const candidates = extract(TENDER);

  it('reads a role stated in a sentence wrapped inside the name', () => {
    expect(valuesOf(candidates, 'constructionUnit')).toEqual(['山西华阳集团新能股份有限公司一矿']);
  });

  it('continues a project name whose bracket is still open on the next line', () => {
    expect(valuesOf(candidates, 'projectName')).toEqual(['山西华阳集团新能股份有限公司一矿阎家庄风井项目(阎家庄35/6KV变电站35KV 开关柜)采购']);
  });

  it('takes no definition and no seal placeholder for a party', () => {
    expect(valuesOf(candidates, 'partyB')).toEqual([]);
    expect(valuesOf(candidates, 'constructionUnit')).not.toContain('(盖单位章)');
  });

  it('reads a 文号 that a line break split', () => {
    expect(valuesOf(candidates, 'citedDocNumber').sort()).toEqual(['发改价格〔2011〕534号', '计价格〔2002〕1980号']);
  });
});
