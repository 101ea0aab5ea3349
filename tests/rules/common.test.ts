import { describeRuleCases, type RuleCase } from './rule-cases.ts';

/**
 * Integrity rules for every city (requirements §4.1, checklists/rules/common.yaml), evaluated with the changde
 * checklist. GEN-10 (seals) is tested with the seal reader (tests of checklists/rules/seal-checks.ts).
 */
const cases: RuleCase[] = [
  {
    rule: 'GEN-01', article: 'GEN-01',
    pass: { statements: [['projectName', '常德市数字档案馆建设项目', 'approval_document', 'a.pdf'], ['projectName', '《常德市数字档案馆建设》', 'contract', 'b.pdf']] },
    fire: { statements: [['projectName', '常德市数字档案馆一期建设项目', 'approval_document', 'a.pdf'], ['projectName', '常德市数字档案馆二期建设项目', 'contract', 'b.pdf']] },
    silent: { statements: [['projectName', '常德市数字档案馆一期建设项目', 'approval_document', 'a.pdf']] },
  },
  {
    rule: 'GEN-02', article: 'GEN-02',
    pass: { statements: [['constructionUnit', '常德市档案馆', 'approval_document', 'a.pdf'], ['constructionUnit', '常德市档案馆', 'contract', 'b.pdf']] },
    fire: { statements: [['constructionUnit', '常德市档案馆', 'approval_document', 'a.pdf'], ['constructionUnit', '常德市气象局', 'contract', 'b.pdf']] },
    silent: { statements: [['constructionUnit', '常德市档案馆', 'approval_document', 'a.pdf']] },
  },
  {
    rule: 'GEN-03', article: 'GEN-03',
    pass: { facts: { totalInvestmentWan: 120 }, statements: [['totalInvestment', '120.00', 'feasibility_report']] },
    fire: { facts: { totalInvestmentWan: 120 }, statements: [['totalInvestment', '45', 'feasibility_report']] },
    says: /50万元/,
    silent: { statements: [['totalInvestment', '45', 'feasibility_report']] },
  },
  {
    rule: 'GEN-05', article: 'GEN-05',
    pass: { facts: { approvalDate: '2024-01-10', mainContractDate: '2024-02-01', acceptanceDate: '2024-09-01' } },
    fire: { facts: { approvalDate: '2024-03-10', mainContractDate: '2024-02-01' } },
    silent: { facts: { approvalDate: '2024-03-10' } },
  },
  {
    rule: 'GEN-06', article: 'GEN-06',
    pass: {
      facts: { constructionUnit: '常德市档案馆' },
      statements: [['partyA', '常德市档案馆', 'contract', '合同.pdf'], ['partyB', '湖南甲科技有限公司', 'contract', '合同.pdf'], ['awardee', '湖南甲科技有限公司', 'procurement_documents', '中标通知书.pdf']],
    },
    fire: {
      facts: { constructionUnit: '常德市档案馆' },
      statements: [['partyA', '常德市档案馆', 'contract', '合同.pdf'], ['partyB', '湖南乙网络有限公司', 'contract', '合同.pdf'], ['awardee', '湖南甲科技有限公司', 'procurement_documents', '中标通知书.pdf']],
    },
    says: /合同乙方（「湖南乙网络有限公司」）与中标/,
    silent: { statements: [['partyB', '湖南乙网络有限公司', 'contract', '合同.pdf']] },
  },
  {
    rule: 'GEN-07', article: 'GEN-07',
    pass: { facts: { projectContractsTotalWan: 100, totalInvestmentWan: 120 } },
    fire: { facts: { projectContractsTotalWan: 120.01, totalInvestmentWan: 120 } },
    silent: { facts: { totalInvestmentWan: 120 } },
  },
  {
    rule: 'GEN-08', article: 'GEN-08',
    pass: { facts: { approvalDate: '2013-05-01' }, regulation: { entryIntoForce: '2012-04-01' } },
    fire: { facts: { approvalDate: '2011-05-01' }, regulation: { entryIntoForce: '2012-04-01' } },
    says: /2012-04-01/,
    silent: { regulation: { entryIntoForce: '2012-04-01' } },
  },
  {
    rule: 'GEN-09', article: 'GEN-09',
    pass: { facts: { formalOperationDate: '2024-07-01', acceptanceDate: '2024-06-20', acceptanceHeld: true } },
    fire: { facts: { formalOperationDate: '2024-06-01', acceptanceDate: '2024-06-20', acceptanceHeld: true } },
    says: /正式运行（2024-06-01）早于竣工验收/,
    silent: { facts: { acceptanceDate: '2024-06-20' } },
  },
  {
    rule: 'GEN-11', article: 'GEN-11',
    pass: {
      statements: [['versionMarker', '送审稿', 'feasibility_report', '可研送审稿.pdf'], ['versionMarker', '报批稿', 'feasibility_report', '可研报批稿.pdf']],
      files: [['批复.pdf', 'feasibility_approval', '批复']],
    },
    fire: { statements: [['versionMarker', '征求意见稿', 'feasibility_report', '可研.pdf']], files: [['批复.pdf', 'feasibility_approval', '批复']] },
    says: /征求意见稿/,
    silent: { statements: [['versionMarker', '征求意见稿', 'feasibility_report', '可研.pdf']] },
  },
];

describeRuleCases('changde', cases);
