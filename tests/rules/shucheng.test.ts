import { describe, expect, it } from 'vitest';
import { describeRuleCases, evaluateCase, type RuleCase } from './rule-cases.ts';

/** 《舒城县电子政务项目建设管理办法》 rules (requirements §4.5), one table row per rule. */
const PLAN = 'construction_plan';
const cases: RuleCase[] = [
  {
    rule: 'SC-T01', article: '第九条第一款',
    pass: { stage: 'filing', facts: { planYear: 2025, filingDate: '2024-07-31' } },
    fire: { stage: 'filing', facts: { planYear: 2025, filingDate: '2024-08-01' } },
    silent: { stage: 'filing', facts: { filingDate: '2024-08-01' } },
  },
  {
    rule: 'SC-T02', article: '第二十条第一款',
    pass: { facts: { trialRunStartDate: '2024-01-31', trialRunEndDate: '2024-02-29', trialRunReportDate: '2024-03-01', acceptanceApplicationDate: '2024-03-05' } },
    fire: { facts: { trialRunStartDate: '2024-01-31', trialRunEndDate: '2024-02-28', trialRunReportDate: '2024-03-01', acceptanceApplicationDate: '2024-03-05' } },
    silent: { facts: { trialRunEndDate: '2024-02-28' } },
  },
  {
    rule: 'SC-T03', article: '第二十一条',
    pass: { facts: { contractAgreedAcceptanceDate: '2024-06-30', acceptanceApplicationDate: '2024-08-01' }, statements: [['docDate', '2024-06-20', 'extension_application']] },
    fire: { facts: { contractAgreedAcceptanceDate: '2024-06-30', acceptanceApplicationDate: '2024-08-01' } },
    says: /延期验收申请/,
    silent: { facts: { acceptanceApplicationDate: '2024-08-01' } },
  },
  {
    rule: 'SC-T04', article: '第十七条',
    pass: { facts: { procurementNoticeDate: '2024-03-01' }, statements: [['docDate', '2024-01-15', 'annual_plan_notice']] },
    fire: { facts: { procurementNoticeDate: '2024-03-01' }, statements: [['docDate', '2024-04-15', 'annual_plan_notice']] },
    silent: { statements: [['docDate', '2024-04-15', 'annual_plan_notice']] },
  },
  {
    rule: 'SC-K01', article: '第九条第二款',
    pass: {
      stage: 'filing',
      files: [['建设方案.pdf', PLAN, '一、电子政务现状\n二、需求分析\n三、编制依据\n四、建设目标\n五、投资概算及资金筹措\n六、主要建设内容\n七、设备参数\n八、业务流程\n九、技术架构\n十、数据资源共享开放\n十一、进度计划\n本项目密码应用方案如下：采用国产商用密码。\n十三、安全保障']],
    },
    // 密码 appears, but only in a sentence that sends the reader elsewhere: no 密码应用 section.
    fire: { stage: 'filing', files: [['建设方案.pdf', PLAN, '一、电子政务现状\n二、需求分析\n三、编制依据\n密码应用详见安全方案，不在本方案中展开。']] },
    says: /未见「密码应用」（仅在第1页顺带提及：「密码应用详见安全方案/,
    silent: { stage: 'filing' },
  },
  {
    rule: 'SC-K02', article: '第九条第一款',
    pass: { stage: 'filing', files: [['申报表.pdf', 'application_form', '建设单位 项目名称 项目简要说明及建设依据 项目投资（万元） 资金筹措 负责人 联系人 联系电话 电子邮箱\n建设年度：2025年1月至2025年12月']] },
    fire: { stage: 'filing', files: [['申报表.pdf', 'application_form', '建设单位 项目名称 项目简要说明及建设依据 项目投资（万元） 资金筹措 负责人 联系人 联系电话\n建设年度：2025年度']] },
    says: /电子邮箱[\s\S]*YYYY年MM月至YYYY年MM月/,
    silent: { stage: 'filing' },
  },
  {
    rule: 'SC-K03', article: '第十八条',
    pass: { files: [['合同.pdf', 'contract', '附件3 数据“三清单”']] },
    fire: { files: [['合同.pdf', 'contract', '第五条 付款方式']] },
    silent: {},
  },
  {
    rule: 'SC-K04', article: '第十八条',
    pass: { files: [['三清单.pdf', 'data_three_lists', '一、数据责任清单\n二、数据需求清单\n三、数据负面清单（无）']] },
    fire: { files: [['三清单.pdf', 'data_three_lists', '一、数据责任清单\n二、数据需求清单\n负面清单按有关规定另行报送。']] },
    says: /数据负面清单/,
    silent: {},
  },
  {
    rule: 'SC-K05', article: '第八条',
    pass: { stage: 'filing', files: [['建设方案.pdf', PLAN, '系统部署在县电子政务外网政务云上。']] },
    fire: { stage: 'filing', files: [['建设方案.pdf', PLAN, '系统采用B/S架构。']] },
    silent: { stage: 'filing' },
  },
  {
    rule: 'SC-K06', article: '第二十五条',
    pass: { stage: 'filing', facts: { projectKind: 'new' }, files: [['建设方案.pdf', PLAN, '硬件资源纳入县政务云数据中心。\n五、运维费用']] },
    fire: { stage: 'filing', facts: { projectKind: 'new' }, files: [['建设方案.pdf', PLAN, '本项目新建应用类数据中心一处。\n五、运维费用']] },
    says: /新建应用类数据中心一处/,
    silent: { stage: 'filing', files: [['建设方案.pdf', PLAN, '本项目新建应用类数据中心一处。']] },
  },
  {
    rule: 'SC-K07', article: '第十七条',
    pass: { facts: { softwareDevelopment: true }, files: [['概算.pdf', 'budget_estimate', '软件开发 50\n系统测评费 3\n等级保护测评 4\n密码应用安全性评估 5']] },
    fire: { facts: { softwareDevelopment: true }, files: [['概算.pdf', 'budget_estimate', '软件开发 50\n系统测评费 3']] },
    says: /等级保护测评[\s\S]*密评/,
    silent: { files: [['概算.pdf', 'budget_estimate', '软件开发 50']] },
  },
  {
    rule: 'SC-Q01', article: '第九条第三款',
    pass: { stage: 'filing', facts: { totalInvestmentWan: 600 }, files: [['建议书.pdf', 'project_proposal', '项目建议书'], ['实施方案.pdf', 'implementation_plan', '实施方案']] },
    fire: { stage: 'filing', facts: { totalInvestmentWan: 600 }, files: [['建议书.pdf', 'project_proposal', '项目建议书']] },
    silent: { stage: 'filing', files: [['建议书.pdf', 'project_proposal', '项目建议书']] },
  },
  {
    rule: 'SC-Q02', article: '第二十条第二款',
    pass: { facts: { acceptanceHeld: true }, files: [['验收报告.pdf', 'acceptance_report', '由建设单位联合县数管局组织、县公共资源交易中心见证']] },
    fire: { facts: { acceptanceHeld: true }, files: [['验收报告.pdf', 'acceptance_report', '由建设单位组织专家验收']] },
    silent: { files: [['验收报告.pdf', 'acceptance_report', '由建设单位组织专家验收']] },
  },
  {
    rule: 'SC-P01', article: '第十六条',
    pass: { stage: 'filing', files: [['申报表.pdf', 'application_form', '项目责任人：张三']] },
    fire: { stage: 'filing', files: [['申报表.pdf', 'application_form', '项目名称：舒城县档案数字化']] },
    silent: { stage: 'filing' },
  },
];

describeRuleCases('shucheng', cases);

const FORM_HEAD = '建设单位  舒城县数据资源管理局\n项目名称  舒城县政务数据平台\n建设年度  2025年1月至2025年12月\n负责人  张三\n联系人  李四\n联系电话  0564-1234567\n电子邮箱  a@example.gov.cn';

describe('SC-K02 (附件2) (b)(c): the form adds up and keeps its summary short', () => {
  const cases: Array<{ name: string; form: string; says?: RegExp }> = [
    { name: 'passes columns that add up to the investment and a short summary', form: '项目投资（万元）  320.00\n资金筹措  财政资金（万元）300.00；银行货款（万元）0.00；自筹（万元）20.00；其他（万元）0.00\n项目简要说明及建设依据  建设全县统一的政务数据平台。' },
    { name: 'fires on columns that do not add up, quoting both rows', form: '项目投资（万元）  320.00\n资金筹措  财政资金（万元）300.00；银行货款（万元）0.00；自筹（万元）10.00；其他（万元）0.00\n项目简要说明及建设依据  建设平台。', says: /= 310\.00 万元，与项目投资（320\.00万元）不符/ },
    { name: 'fires on a summary over 200 characters', form: `项目投资（万元）  320.00\n项目简要说明及建设依据  ${'建设全县统一的政务数据共享交换平台，'.repeat(12)}\n资金筹措  财政资金（万元）320.00`, says: /「项目简要说明及建设依据」共 2\d\d 字，超过 200 字/ },
    { name: 'says nothing of the sum when the columns are not on the form', form: '项目投资（万元）  320.00\n资金筹措  见附表\n项目简要说明及建设依据  建设平台。' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = evaluateCase('shucheng', { stage: 'filing', files: [['申报表.pdf', 'application_form', `${FORM_HEAD}\n${c.form}`]] });
      const found = out.findings.filter((f) => f.ruleId === 'SC-K02');
      if (!c.says) return expect(found.map((f) => f.message)).toEqual([]);
      expect(found.map((f) => f.message).join('\n')).toMatch(c.says);
      for (const f of found) expect(f.evidence.every((e) => e.path === '申报表.pdf' && e.quote)).toBe(true);
    });
  }

  it('lists (f) 宋体五号字 for the reviewer, naming the form', () => {
    const out = evaluateCase('shucheng', { stage: 'filing', files: [['申报表.pdf', 'application_form', FORM_HEAD]] });
    const item = out.reviewItems.find((r) => r.ruleId === 'SC-K02')!;
    expect(item.look).toContain('宋体五号字');
    expect(item.places.map((p) => p.path)).toEqual(['申报表.pdf']);
  });
});

describe('SC-Q01 (第九条第三款) below 500万元: a bundled proposal', () => {
  const cases: Array<{ name: string; total?: number; proposal: string; fires: boolean }> = [
    { name: 'passes a proposal the county bureau bundled', total: 120, proposal: '舒城县2025年度电子政务项目（打捆）项目建议书\n由县数管局会同各项目建设单位打捆编制。', fires: false },
    { name: 'fires on a proposal of its own under 500万元', total: 120, proposal: '舒城县政务数据平台项目建议书\n编制单位：舒城县某某局', fires: true },
    { name: 'says nothing while the investment is unknown', proposal: '舒城县政务数据平台项目建议书', fires: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = evaluateCase('shucheng', { stage: 'filing', ...(c.total ? { facts: { totalInvestmentWan: c.total } } : {}), files: [['建议书.pdf', 'project_proposal', c.proposal]] });
      const found = out.findings.filter((f) => f.ruleId === 'SC-Q01');
      expect(found.length > 0).toBe(c.fires);
      if (c.fires) expect(found[0]!.message).toContain('打捆编制');
      // The project list of the bundle is for the reviewer in every case.
      expect(out.reviewItems.some((r) => r.ruleId === 'SC-Q01')).toBe(true);
    });
  }
});
