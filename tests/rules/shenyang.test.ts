import { describe, expect, it } from 'vitest';
import { describeRuleCases, evaluateCase, type RuleCase } from './rule-cases.ts';

/** 《沈阳市电子政务工程建设项目管理试行办法》 rules (requirements §4.4), one table row per rule. */
const cases: RuleCase[] = [
  {
    rule: 'SY-T01', article: '第七条',
    pass: { stage: 'filing', facts: { planYear: 2025, filingDate: '2024-08-10' } },
    fire: { stage: 'filing', facts: { planYear: 2025, filingDate: '2024-08-21' } },
    says: /2024-08-20/,
    silent: { stage: 'filing', facts: { filingDate: '2024-08-21' } },
  },
  {
    rule: 'SY-T02', article: '第九条第二款',
    pass: { stage: 'filing', facts: { planYear: 2025, fsrSubmissionDate: '2024-09-30' }, statements: [['docDate', '2024-10-15', 'feasibility_report']] },
    // Without the platform's receipt the report's own date is a lower bound: after the deadline, the push was late.
    fire: { stage: 'filing', facts: { planYear: 2025 }, statements: [['docDate', '2024-10-15', 'feasibility_report']] },
    says: /下限/,
    silent: { stage: 'filing', facts: { planYear: 2025 }, statements: [['docDate', '2024-09-15', 'feasibility_report']] },
  },
  {
    rule: 'SY-V01', article: '第十九条',
    pass: { facts: { approvedEstimateWan: 100, settlementAmountWan: 110, projectContractsTotalWan: 120 }, files: [['概算调整批复.pdf', 'change_approval', '同意调整概算']] },
    fire: { facts: { approvedEstimateWan: 100, settlementAmountWan: 111 } },
    says: /超出 10% 以上/,
    silent: { facts: { settlementAmountWan: 111 } },
  },
  {
    rule: 'SY-V02', article: '第十八条',
    pass: { facts: { approvedEstimateWan: 100 }, statements: [['procurementBudget', '98', 'procurement_documents']] },
    fire: { facts: { approvedEstimateWan: 100 }, statements: [['procurementBudget', '105', 'procurement_documents']] },
    silent: { statements: [['procurementBudget', '105', 'procurement_documents']] },
  },
  {
    rule: 'SY-Q01', article: '第九条第一款',
    pass: { stage: 'filing', facts: { totalInvestmentWan: 300, constructionUnit: '沈阳市档案馆' }, statements: [['drafter', '辽宁甲咨询有限公司', 'feasibility_report']] },
    fire: { stage: 'filing', facts: { totalInvestmentWan: 300, constructionUnit: '沈阳市档案馆' }, statements: [['drafter', '沈阳市档案馆', 'feasibility_report']] },
    silent: { stage: 'filing', facts: { totalInvestmentWan: 80, constructionUnit: '沈阳市档案馆' }, statements: [['drafter', '沈阳市档案馆', 'implementation_plan']] },
  },
  {
    rule: 'SY-Q02', article: '第九条第一款',
    pass: { stage: 'filing', facts: { totalInvestmentWan: 300 }, declared: { simpleProject: true }, files: [['实施方案.pdf', 'implementation_plan', '实施方案']] },
    fire: { stage: 'filing', facts: { totalInvestmentWan: 300 }, declared: { simpleProject: false }, files: [['实施方案.pdf', 'implementation_plan', '实施方案']] },
    silent: { stage: 'filing', facts: { totalInvestmentWan: 300 }, files: [['实施方案.pdf', 'implementation_plan', '实施方案']] },
  },
  {
    rule: 'SY-Q03', article: '第二十一条',
    pass: { facts: { classified: true, acceptanceHeld: true }, files: [['验收报告.pdf', 'acceptance_report', '市公安局网络安全保卫支队、市保密局派员参加验收']] },
    fire: { facts: { classified: true, acceptanceHeld: true }, files: [['验收报告.pdf', 'acceptance_report', '市大数据局组织专家验收']] },
    says: /保密部门/,
    silent: { facts: { acceptanceHeld: true }, files: [['验收报告.pdf', 'acceptance_report', '市大数据局组织专家验收']] },
  },
  {
    rule: 'SY-K01', article: '第十条',
    pass: {
      stage: 'filing',
      files: [['可研.pdf', 'feasibility_report', '第一章 建设基础条件\n第二章 项目建设的必要性\n第三章 建设方案\n第四章 运营模式\n项目资金来源为市级财政资金。\n第五章 技术方案\n第六章 资源整合方案\n第七章 设备选型\n第八章 投资估算\n第九章 安全评估\n第十章 保密事项']],
    },
    // Words in running text are no chapters: "设备选型详见附表" and "安全评估另行委托" mention them in passing.
    fire: { stage: 'filing', files: [['可研.pdf', 'feasibility_report', '第一章 项目建设的必要性\n第二章 建设方案\n本项目设备选型详见附表，安全评估另行委托，投资估算、资源整合与运营模式按惯例处理。']] },
    says: /「设备选型」（仅在第1页顺带提及/,
    silent: { stage: 'filing' },
  },
  {
    rule: 'SY-P01', article: '第六条',
    pass: { stage: 'filing', files: [['申报书.pdf', 'application_form', '项目储备库编号：SY2024-018']] },
    fire: { stage: 'filing', files: [['申报书.pdf', 'application_form', '项目名称：沈阳市档案数字化']] },
    silent: { stage: 'filing' },
  },
  {
    rule: 'SY-P02', article: '第十八条',
    pass: { files: [['招标公告.pdf', 'procurement_documents', '本项目通过沈阳市公共资源交易中心平台公开招标']] },
    fire: { files: [['招标公告.pdf', 'procurement_documents', '本项目采用单一来源采购']] },
    silent: {},
  },
  {
    rule: 'SY-P03', article: '第十七条',
    pass: { declared: { quarterlyProgressPushed: true } },
    fire: { declared: { quarterlyProgressPushed: false } },
    silent: {},
  },
  {
    rule: 'SY-P04', article: '第二十五条',
    pass: { facts: { itPartOfCivilWorksProject: false } },
    fire: { facts: { itPartOfCivilWorksProject: true } },
    says: /基本建设项目/,
    silent: {},
  },
];

describeRuleCases('shenyang', cases);

describe('SY-V02 (第十八条) (b)(c): parameter changes reviewed by 市大数据局', () => {
  const base = { facts: { approvedEstimateWan: 100 }, files: [['招标文件.pdf', 'procurement_documents', '技术参数']] as Array<[string, string, string]> };
  const cases: Array<{ name: string; issuer?: string; fires: boolean }> = [
    { name: 'passes a change opinion issued by 市大数据局', issuer: '沈阳市大数据管理局', fires: false },
    { name: 'fires on a change opinion issued by another office', issuer: '沈阳市财政局', fires: true },
    { name: 'says nothing without a change opinion', fires: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = evaluateCase('shenyang', { ...base, statements: [['procurementBudget', '98', 'procurement_documents', '招标文件.pdf'], ...(c.issuer ? [['issuer', c.issuer, 'change_approval', '审核意见.pdf'] as [string, string, string, string]] : [])] });
      const found = out.findings.filter((f) => f.ruleId === 'SY-V02');
      expect(found.length > 0).toBe(c.fires);
      if (c.fires) expect(found[0]!.message).toContain('市大数据局（市电子政务管理办公室）');
    });
  }

  it('lists (b) the parameters against the approved plan for the reviewer, with the procurement file', () => {
    const out = evaluateCase('shenyang', { ...base, statements: [['procurementBudget', '98', 'procurement_documents', '招标文件.pdf']] });
    const item = out.reviewItems.find((r) => r.ruleId === 'SY-V02')!;
    expect(item.reason).toMatch(/逐项/);
    expect(item.places.map((p) => p.path)).toContain('招标文件.pdf');
  });
});
