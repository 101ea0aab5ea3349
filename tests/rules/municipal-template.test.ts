import { describeRuleCases, type RuleCase } from './rule-cases.ts';

/** 电子政务建设流程的通知（参考范文） rules (requirements §4.6), one table row per rule. */
const cases: RuleCase[] = [
  {
    rule: 'MT-T01', article: '三(四)1',
    pass: { facts: { trialRunConclusion: '合格', trialRunEndDate: '2024-05-31', preliminaryAcceptanceDate: '2024-06-05' } },
    fire: { facts: { trialRunConclusion: '合格', trialRunEndDate: '2024-05-31', preliminaryAcceptanceDate: '2024-05-20' } },
    silent: { facts: { trialRunEndDate: '2024-05-31' } },
  },
  {
    rule: 'MT-Q01', article: '三(四)1',
    pass: { facts: { preliminaryAcceptanceOrganizer: '甲监理有限公司', supervisor: '甲监理有限公司' } },
    fire: { facts: { preliminaryAcceptanceOrganizer: '乙科技有限公司', supervisor: '甲监理有限公司' } },
    silent: { facts: { supervisor: '甲监理有限公司' } },
  },
  {
    rule: 'MT-P01', article: '三(三)2',
    pass: { declared: { planJointlyConfirmed: true }, files: [['建设方案.pdf', 'construction_plan', '建设方案']] },
    fire: { declared: { planJointlyConfirmed: false }, files: [['建设方案.pdf', 'construction_plan', '建设方案']] },
    silent: { files: [['建设方案.pdf', 'construction_plan', '建设方案']] },
  },
  {
    rule: 'MT-P02', article: '三(三)1',
    pass: {
      files: [['建设方案.pdf', 'construction_plan', '建设方案'], ['征集公告.pdf', 'procurement_documents', '公开征集项目建设方案公告']],
      statements: [['drafter', '甲科技有限公司', 'construction_plan', '建设方案.pdf'], ['awardee', '甲科技有限公司', 'procurement_documents', '征集公告.pdf']],
    },
    fire: {
      files: [['建设方案.pdf', 'construction_plan', '建设方案'], ['征集公告.pdf', 'procurement_documents', '公开征集项目建设方案公告']],
      statements: [['drafter', '乙咨询有限公司', 'construction_plan', '建设方案.pdf'], ['awardee', '甲科技有限公司', 'procurement_documents', '征集公告.pdf']],
    },
    says: /不是同一单位/,
    silent: { files: [['建设方案.pdf', 'construction_plan', '建设方案']] },
  },
  {
    rule: 'MT-P03', article: '三(三)4',
    pass: { files: [['监理合同.pdf', 'supervision_contract', '经市信息办统一组织招标，甲方委托乙方承担监理']] },
    fire: { files: [['监理合同.pdf', 'supervision_contract', '甲方委托乙方承担监理']] },
    silent: {},
  },
  {
    rule: 'MT-P04', article: '三(二)3',
    pass: { statements: [['issuer', '某市信息化领导小组办公室', 'approval_document']] },
    fire: { statements: [['issuer', '某市发展和改革委员会', 'approval_document']] },
    says: /市信息化领导小组办公室/,
    silent: { files: [['立项批复.pdf', 'approval_document', '批复']] },
  },
];

describeRuleCases('municipal-template', cases);
