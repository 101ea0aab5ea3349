import { describeRuleCases, type RuleCase } from './rule-cases.ts';

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
      files: [['建设方案.pdf', PLAN, '现状 需求分析 编制依据 总体目标 投资概算 主要建设内容 技术参数 流程设计 总体架构 数据共享 进度安排 商用密码 安全保障']],
    },
    fire: { stage: 'filing', files: [['建设方案.pdf', PLAN, '现状 需求分析 编制依据']] },
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
    pass: { files: [['三清单.pdf', 'data_three_lists', '数据责任清单 数据需求清单 数据负面清单（无）']] },
    fire: { files: [['三清单.pdf', 'data_three_lists', '数据责任清单 数据需求清单']] },
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
