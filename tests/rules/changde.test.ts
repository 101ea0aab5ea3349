import { describe, expect, it } from 'vitest';
import { dateValue, describeRuleCases, evaluateCase, termEvidence, type RuleCase } from './rule-cases.ts';

/** 《常德市电子政务工程建设管理办法》 rules (requirements §4.2), one table row per rule. */
const cases: RuleCase[] = [
  {
    rule: 'CD-T01', article: '第七条',
    pass: { stage: 'filing', facts: { usesMunicipalProjectFund: true, planYear: 2025, filingDate: '2024-10-31' } },
    fire: { stage: 'filing', facts: { usesMunicipalProjectFund: true, planYear: 2025, filingDate: '2024-11-01' } },
    says: /2024-10-31/,
    silent: { stage: 'filing', facts: { usesMunicipalProjectFund: true, filingDate: '2024-11-01' } },
  },
  {
    rule: 'CD-T02', article: '第十五条',
    pass: { facts: { hasSupervisor: true, totalInvestmentWan: 120, supervisionContractDate: '2024-03-01', constructionStartDate: '2024-03-05' } },
    fire: { facts: { hasSupervisor: true, totalInvestmentWan: 120, supervisionContractDate: '2024-04-01', mainContractDate: '2024-03-05' } },
    silent: { facts: { hasSupervisor: true, totalInvestmentWan: 120, supervisionContractDate: '2024-04-01' } },
  },
  {
    rule: 'CD-T03', article: '第十七条第一款',
    pass: { facts: { selfInspectionDate: '2024-05-01', acceptanceApplicationDate: '2024-05-10' } },
    fire: { facts: { selfInspectionDate: '2024-05-20', acceptanceApplicationDate: '2024-05-10' } },
    silent: { facts: { acceptanceApplicationDate: '2024-05-10' } },
  },
  {
    rule: 'CD-T04', article: '第十一条第一款',
    // 收齐 from the office's record of the dossier: the first check with nothing error-level missing.
    pass: { stage: 'filing', events: [{ kind: 'accepted', on: '2024-02-27' }, { kind: 'complete', on: '2024-03-01' }], statements: [['docDate', '2024-03-21', 'technical_review_opinion']] },
    fire: { stage: 'filing', events: [{ kind: 'accepted', on: '2024-02-27' }, { kind: 'complete', on: '2024-03-01' }], statements: [['docDate', '2024-03-25', 'technical_review_opinion']] },
    says: /24 日，超过 20 日/,
    silent: { stage: 'filing', events: [{ kind: 'accepted', on: '2024-02-27' }], statements: [['docDate', '2024-03-25', 'technical_review_opinion']] },
  },
  {
    rule: 'CD-T05', article: '第十一条第一款',
    pass: {
      stage: 'filing',
      declared: { fiscalReviewAcceptedDate: '2024-03-01' },
      statements: [['docDate', '2024-03-28', 'fiscal_review_opinion', '财评.pdf']],
      files: [['财评.pdf', 'fiscal_review_opinion', '经本单位负责人批准，延长10日']],
    },
    fire: { stage: 'filing', declared: { fiscalReviewAcceptedDate: '2024-03-01' }, statements: [['docDate', '2024-04-05', 'fiscal_review_opinion']] },
    silent: { stage: 'filing', statements: [['docDate', '2024-04-05', 'fiscal_review_opinion']] },
  },
  {
    rule: 'CD-T06', article: '第十八条',
    // From 2024-09-30: the National Day week (10-01…07) is not counted and Saturday 10-12 (调休) is, so 11-01 is the
    // 20th working day and Monday 11-04 the 21st (chinese-days).
    pass: { facts: { acceptanceHeld: true, acceptanceDate: '2024-11-01' }, events: [{ kind: 'complete', on: '2024-09-30' }] },
    fire: { facts: { acceptanceHeld: true, acceptanceDate: '2024-11-04' }, events: [{ kind: 'complete', on: '2024-09-30' }] },
    says: /21 个工作日/,
    silent: { facts: { acceptanceHeld: true, acceptanceDate: '2024-10-30' } },
  },
  {
    rule: 'CD-C01', article: '第十五条',
    pass: { facts: { hasSupervisor: true, contractor: '湖南甲科技有限公司', supervisor: '湖南乙监理有限公司' } },
    fire: { facts: { hasSupervisor: true, contractor: '湖南甲科技有限公司', supervisor: '湖南甲科技有限公司' } },
    silent: { facts: { hasSupervisor: true, contractor: '湖南甲科技有限公司' } },
  },
  {
    rule: 'CD-V01', article: '第十一条第二款',
    pass: { facts: { changeOccurred: true, changeAmountWan: 5, contractAmountWan: 100, reviewedAmountWan: 100 }, files: [['变更批复.pdf', 'change_approval', '同意变更']] },
    fire: { facts: { changeOccurred: true, changeAmountWan: 5, contractAmountWan: 100, reviewedAmountWan: 100 } },
    silent: { facts: { changeOccurred: true, contractAmountWan: 100, reviewedAmountWan: 100 } },
  },
  {
    rule: 'CD-V02', article: '第十一条第二款',
    pass: {
      facts: { changeOccurred: true, changeAmountWan: 15, contractAmountWan: 100, reviewedAmountWan: 100 },
      statements: [['docDate', '2024-05-01', 'change_approval'], ['docDate', '2024-05-20', 'technical_review_opinion']],
    },
    fire: {
      facts: { changeOccurred: true, changeAmountWan: 15, contractAmountWan: 100, reviewedAmountWan: 100 },
      statements: [['docDate', '2024-05-01', 'change_approval'], ['docDate', '2024-01-20', 'technical_review_opinion']],
    },
    says: /早于变更文件日期/,
    silent: { facts: { changeOccurred: true, contractAmountWan: 100, reviewedAmountWan: 100 } },
  },
  {
    rule: 'CD-V03', article: '第十一条第二款',
    pass: { facts: { usesMunicipalProjectFund: true, changeOccurred: true, changeAmountWan: 20, contractAmountWan: 100, plannedFundWan: 110 }, files: [['财评.pdf', 'fiscal_review_opinion', '评审意见']] },
    fire: { facts: { usesMunicipalProjectFund: true, changeOccurred: true, changeAmountWan: 20, contractAmountWan: 100, plannedFundWan: 110 } },
    silent: { facts: { usesMunicipalProjectFund: true, changeOccurred: true, contractAmountWan: 100, plannedFundWan: 110 } },
  },
  {
    rule: 'CD-Q01', article: '第十四条',
    pass: { facts: { contractor: '湖南甲科技有限公司' }, files: [['资质.pdf', 'qualification_certificate', '证书持有单位：湖南甲科技有限公司\n信息系统集成']] },
    fire: { facts: { contractor: '湖南甲科技有限公司' }, files: [['资质.pdf', 'qualification_certificate', '证书持有单位：长沙丙网络有限公司']] },
    says: /湖南甲科技有限公司/,
    silent: { files: [['资质.pdf', 'qualification_certificate', '证书持有单位：长沙丙网络有限公司']] },
  },
  {
    rule: 'CD-Q02', article: '第十四条',
    pass: {
      facts: { hasSupervisor: true, totalInvestmentWan: 80, supervisor: '湖南乙监理有限公司' },
      files: [['监理资质.pdf', 'qualification_certificate', '湖南乙监理有限公司 信息系统工程监理资质\n总监理工程师：王五 监理工程师证书']],
    },
    fire: { facts: { hasSupervisor: true, totalInvestmentWan: 80, supervisor: '湖南乙监理有限公司' }, files: [['监理资质.pdf', 'qualification_certificate', '长沙丙网络有限公司 营业执照']] },
    silent: { facts: { hasSupervisor: true, totalInvestmentWan: 80 } },
  },
  {
    rule: 'CD-Q03', article: '第八条',
    pass: { stage: 'filing', facts: { usesMunicipalProjectFund: true, constructionUnit: '常德市档案馆' }, statements: [['drafter', '湖南甲科技有限公司', 'technical_plan']] },
    fire: { stage: 'filing', facts: { usesMunicipalProjectFund: true, constructionUnit: '常德市档案馆' }, statements: [['drafter', '常德市档案馆', 'technical_plan']] },
    says: /委托/,
    silent: { stage: 'filing', facts: { usesMunicipalProjectFund: true, constructionUnit: '常德市档案馆' }, files: [['技术方案.pdf', 'technical_plan', '一、项目概况']] },
  },
  {
    rule: 'CD-Q04', article: '第十七条第二款',
    pass: {
      facts: { major: true, contractor: '湖南甲科技有限公司', supervisor: '湖南乙监理有限公司' },
      statements: [['testingAgency', '湖南丁检测有限公司', 'third_party_test_report', '检测报告.pdf']],
      files: [['检测报告.pdf', 'third_party_test_report', '依据GB/T 22239-2019\n网络测试、应用系统功能测试、数据资源、安全保密测评\nCMA 证书编号']],
    },
    fire: {
      facts: { major: true, contractor: '湖南甲科技有限公司', supervisor: '湖南乙监理有限公司' },
      statements: [['testingAgency', '湖南甲科技有限公司', 'third_party_test_report', '检测报告.pdf']],
      files: [['检测报告.pdf', 'third_party_test_report', '依据GB/T 22239-2019\n网络测试、应用系统功能测试、数据资源、安全保密测评\nCMA 证书编号']],
    },
    says: /第三方/,
    silent: { facts: { contractor: '湖南甲科技有限公司' }, statements: [['testingAgency', '湖南甲科技有限公司', 'third_party_test_report']] },
  },
  {
    rule: 'CD-Q05', article: '第十六条',
    pass: { facts: { classified: true, acceptanceHeld: true }, files: [['验收报告.pdf', 'acceptance_report', '由市电子政务办、市国家保密局共同组织验收']] },
    fire: { facts: { classified: true, acceptanceHeld: true }, files: [['验收报告.pdf', 'acceptance_report', '由市电子政务办组织验收']] },
    says: /市国家保密局/,
    silent: { facts: { acceptanceHeld: true }, files: [['验收报告.pdf', 'acceptance_report', '由市电子政务办组织验收']] },
  },
  {
    rule: 'CD-K01', article: '第十一条第一款',
    pass: { stage: 'filing', files: [['技术方案.pdf', 'technical_plan', '一、功能设计\n二、系统架构\n三、技术参数\n四、产品价格']] },
    fire: { stage: 'filing', files: [['技术方案.pdf', 'technical_plan', '一、功能设计\n二、系统架构\n三、实施计划\n设备的技术参数和产品价格详见报价单。']] },
    says: /「技术参数」（仅在第1页顺带提及[\s\S]*「产品价格」/,
    silent: { stage: 'filing' },
  },
  {
    rule: 'CD-K02', article: '第二十三条',
    pass: { stage: 'filing', facts: { classified: false }, files: [['技术方案.pdf', 'technical_plan', '本项目不再新建机房，服务器托管至市级中心机房。']] },
    fire: { stage: 'filing', facts: { classified: false }, files: [['技术方案.pdf', 'technical_plan', '本项目拟在单位内新建一间标准化机房。']] },
    says: /新建一间标准化机房/,
    silent: { stage: 'filing', facts: { classified: true }, files: [['技术方案.pdf', 'technical_plan', '本项目拟在单位内新建一间标准化机房。']] },
  },
  {
    rule: 'CD-K03', article: '第六条',
    pass: { stage: 'filing', files: [['概算.pdf', 'budget_estimate', '一、投资概算\n二、资金来源\n申请市财政项目资金120万元']] },
    fire: { stage: 'filing', files: [['概算.pdf', 'budget_estimate', '一、投资概算\n硬件购置 80万元\n软件开发 40万元']] },
    says: /资金来源/,
    silent: { stage: 'filing' },
  },
  {
    rule: 'CD-P01', article: '第六条(二)',
    pass: { stage: 'filing', facts: { multiUnit: true }, declared: { applicantIsLeadUnit: true } },
    fire: { stage: 'filing', facts: { multiUnit: true }, declared: { applicantIsLeadUnit: false } },
    silent: { stage: 'filing', facts: { multiUnit: true } },
  },
  {
    rule: 'CD-P02', article: '第五条',
    pass: { stage: 'filing', facts: { usesMunicipalProjectFund: true }, declared: { municipalFullyFundedUnit: true } },
    fire: { stage: 'filing', facts: { usesMunicipalProjectFund: true }, declared: { municipalFullyFundedUnit: false } },
    silent: { stage: 'filing', facts: { usesMunicipalProjectFund: true } },
  },
  {
    rule: 'CD-P03', article: '第四条(二)',
    pass: { files: [['招标文件.pdf', 'procurement_documents', '招标文件（已备案，备案号 CD2024-011）']] },
    fire: { files: [['招标文件.pdf', 'procurement_documents', '招标文件 第一章 招标公告']] },
    says: /备案/,
    silent: {},
  },
];

describeRuleCases('changde', cases);

describe('CD-C01 (第十五条): one 统一社会信用代码 under two names', () => {
  const party = (name: string, creditCode: string, valid: boolean, path: string) => ({
    name, normalized: name, creditCode, creditCodeValid: valid, evidence: [termEvidence(path, `乙方：${name} 统一社会信用代码：${creditCode}`)],
  });
  const dossier = (code: string, valid = true) => ({
    facts: { hasSupervisor: true, contractor: '湖南甲科技有限公司', supervisor: '湖南乙监理有限公司' },
    terms: {
      contracts: [
        { path: '合同.pdf', docTypes: ['contract'], partyA: null, partyB: party('湖南甲科技有限公司', '91430100MA4L0XXX1A', true, '合同.pdf') },
        { path: '监理合同.pdf', docTypes: ['supervision_contract'], partyA: null, partyB: party('湖南乙监理有限公司', code, valid, '监理合同.pdf') },
      ],
    },
  });
  it('fires when the contractor and the supervisor carry the same valid code, quoting both contracts', () => {
    const f = evaluateCase('changde', dossier('91430100MA4L0XXX1A')).findings.filter((x) => x.ruleId === 'CD-C01');
    expect(f).toHaveLength(1);
    expect(f[0]!.evidence.map((e) => e.path)).toEqual(['合同.pdf', '监理合同.pdf']);
  });
  it('says nothing when the codes differ or one fails its check character', () => {
    expect(evaluateCase('changde', dossier('91430100MA4L0YYY2B')).findings.filter((x) => x.ruleId === 'CD-C01')).toEqual([]);
    expect(evaluateCase('changde', dossier('91430100MA4L0XXX1A', false)).findings.filter((x) => x.ruleId === 'CD-C01')).toEqual([]);
  });
});

describe('CD-Q01 (第十四条): a certificate out of date on the contract day', () => {
  const certificate = (validUntil: string) => ({
    holder: '湖南甲科技有限公司', holderNormalized: '湖南甲科技有限公司', type: '信息系统建设和服务能力等级证书', level: 'CS2', number: 'CS2-4300-000123',
    issuedOn: null, validFrom: null, validUntil: dateValue(validUntil),
    docTypes: ['qualification_certificate'], evidence: termEvidence('资质.pdf', `有效期至${validUntil}`),
  });
  const dossier = (validUntil: string) => ({
    facts: { contractor: '湖南甲科技有限公司', mainContractDate: '2024-03-01' },
    files: [['资质.pdf', 'qualification_certificate', '湖南甲科技有限公司 信息系统建设和服务能力等级证书']] as Array<[string, string, string]>,
    terms: { certificates: [certificate(validUntil)] },
  });
  it('fires when the certificate expired before the contract was signed, quoting its validity', () => {
    const f = evaluateCase('changde', dossier('2023-12-31')).findings.filter((x) => x.ruleId === 'CD-Q01');
    expect(f.map((x) => x.message).join()).toMatch(/至 2023-12-31.*2024-03-01/);
    expect(f[0]!.evidence[0]).toMatchObject({ path: '资质.pdf', quote: '有效期至2023-12-31' });
  });
  it('passes a certificate valid on that day', () => {
    expect(evaluateCase('changde', dossier('2025-12-31')).findings.filter((x) => x.ruleId === 'CD-Q01')).toEqual([]);
  });
});

describe('CD-C02 (第十三条) is for the reviewer', () => {
  it('lists what to compare and where, with the reviewed plan and the contract named by page', () => {
    const out = evaluateCase('changde', {
      files: [['技术方案.pdf', 'technical_plan', '设备清单'], ['合同.pdf', 'contract', '设备清单']],
    });
    const item = out.reviewItems.find((r) => r.ruleId === 'CD-C02');
    expect(item?.article).toBe('第十三条');
    expect(item?.reason).toMatch(/人工/);
    expect(item?.places.map((p) => p.path)).toEqual(['技术方案.pdf', '合同.pdf']);
    expect(item?.places[0]?.firstPage).toBe(1);
    expect(out.findings.filter((f) => f.ruleId === 'CD-C02')).toEqual([]);
  });

  it('is not listed for a filing or without a technical plan', () => {
    expect(evaluateCase('changde', { stage: 'filing', files: [['技术方案.pdf', 'technical_plan', 'x']] }).reviewItems.map((r) => r.ruleId)).not.toContain('CD-C02');
    expect(evaluateCase('changde', { files: [['合同.pdf', 'contract', 'x']] }).reviewItems.map((r) => r.ruleId)).not.toContain('CD-C02');
  });
});
