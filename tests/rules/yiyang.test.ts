import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOcrPool } from '../../extractors/ocr/index.ts';
import { runBatch } from '../../pipeline/batch.ts';
import { CompletenessReportSchema } from '../../pipeline/report/schema.ts';
import { loadChecklist } from '../../checklists/load.ts';
import { runBatchRules, type BatchDossier } from '../../checklists/rules/batch.ts';
import { dateValue, describeRuleCases, evaluateCase, termEvidence, type RuleCase } from './rule-cases.ts';

/** 《益阳市政府投资信息化建设项目管理办法》 rules (requirements §4.3), one table row per rule. */
const TEST = 'mlps_evaluation_report';
const DESIGN = 'preliminary_design';
// `planned` (totalInvestmentWan > 50, a local fact of yiyang.yaml) is settled by the presence evaluator before the rules
// run; the cases give it as the pipeline would.
const cases: RuleCase[] = [
  {
    rule: 'YY-T01', article: '第五条',
    pass: { stage: 'filing', facts: { totalInvestmentWan: 300, planned: true, planYear: 2025, filingDate: '2024-09-30' } },
    fire: { stage: 'filing', facts: { totalInvestmentWan: 300, planned: true, planYear: 2025, filingDate: '2024-10-08' } },
    silent: { stage: 'filing', facts: { totalInvestmentWan: 300, planned: true, planYear: 2025 } },
  },
  {
    rule: 'YY-T02', article: '第十五条',
    pass: { facts: { totalInvestmentWan: 300, planned: true, approvalDate: '2024-01-31', mainContractDate: '2024-07-31' } },
    fire: { facts: { totalInvestmentWan: 300, planned: true, approvalDate: '2024-01-31', procurementNoticeDate: '2024-08-01', mainContractDate: '2024-09-01' } },
    says: /采购公告日期（2024-08-01）/,
    silent: { facts: { totalInvestmentWan: 300, planned: true, approvalDate: '2024-01-31' } },
  },
  {
    rule: 'YY-T03', article: '第二十六条(二)',
    pass: { facts: { totalInvestmentWan: 300, trialRunStartDate: '2024-01-31', trialRunEndDate: '2024-04-30', acceptanceApplicationDate: '2024-05-06' } },
    fire: { facts: { totalInvestmentWan: 300, trialRunStartDate: '2024-01-31', trialRunEndDate: '2024-04-29', acceptanceApplicationDate: '2024-05-06' } },
    silent: { facts: { totalInvestmentWan: 300 } },
  },
  {
    rule: 'YY-T04', article: '第二十六条(四)',
    pass: { facts: { acceptanceDate: '2024-06-01' }, statements: [['docDate', '2024-05-20', TEST]] },
    fire: { facts: { acceptanceDate: '2024-06-01' }, statements: [['docDate', '2024-06-10', TEST]] },
    silent: { statements: [['docDate', '2024-06-10', TEST]] },
  },
  {
    rule: 'YY-T05', article: '第二十七条',
    pass: { facts: { hasNationalOrProvincialFunding: true, hasMunicipalMatching: true }, declared: { higherLevelApplicationDate: '2024-06-01' }, statements: [['docDate', '2024-05-10', 'pre_acceptance_report']] },
    fire: { facts: { hasNationalOrProvincialFunding: true, hasMunicipalMatching: true }, declared: { higherLevelApplicationDate: '2024-06-01' }, statements: [['docDate', '2024-06-10', 'pre_acceptance_report']] },
    silent: { facts: { hasNationalOrProvincialFunding: true, hasMunicipalMatching: true }, statements: [['docDate', '2024-06-10', 'pre_acceptance_report']] },
  },
  {
    rule: 'YY-T06', article: '第八条',
    pass: { facts: { totalInvestmentWan: 40, planned: false, mainContractDate: '2024-03-01' }, statements: [['docDate', '2024-03-05', 'record_filing_receipt'], ['partyA', '益阳市档案馆', 'contract']] },
    fire: { facts: { totalInvestmentWan: 40, planned: false, mainContractDate: '2024-03-01' }, statements: [['partyA', '益阳市档案馆', 'contract']] },
    says: /备案/,
    silent: { facts: { mainContractDate: '2024-03-01' }, statements: [['partyA', '益阳市档案馆', 'contract']] },
  },
  {
    rule: 'YY-T07', article: '第十四条',
    // 受理 2024-09-30 (the office's record) + 10 working days (National Day week not counted, Saturday 10-12 counted)
    // = 2024-10-18. In the fire case the 补正 from 10-08 to 10-10 is left out: 10-25 is still the 13th day.
    pass: { stage: 'filing', facts: { approvalDate: '2024-10-18' }, events: [{ kind: 'accepted', on: '2024-09-30' }], files: [['批复.pdf', 'approval_document', '批复']] },
    fire: {
      stage: 'filing',
      facts: { approvalDate: '2024-10-25' },
      events: [{ kind: 'accepted', on: '2024-09-30' }, { kind: 'supplement_requested', on: '2024-10-08' }, { kind: 'supplement_received', on: '2024-10-10' }],
      files: [['批复.pdf', 'approval_document', '批复']],
    },
    says: /共 13 个工作日（已扣除办理记录中的补正期间 2 个工作日）/,
    silent: { stage: 'filing', facts: { approvalDate: '2024-10-16' }, files: [['批复.pdf', 'approval_document', '批复']] },
  },
  {
    rule: 'YY-T08', article: '第二十六条(二)',
    pass: { facts: { acceptanceHeld: true, totalInvestmentWan: 300, acceptanceDate: '2024-03-15' }, events: [{ kind: 'accepted', on: '2024-03-01' }] },
    fire: { facts: { acceptanceHeld: true, totalInvestmentWan: 300, acceptanceDate: '2024-03-18' }, events: [{ kind: 'accepted', on: '2024-03-01' }] },
    says: /受理之日（2024-03-01）/,
    silent: { facts: { acceptanceHeld: true, totalInvestmentWan: 300, acceptanceDate: '2024-03-18' } },
  },
  {
    rule: 'YY-T09', article: '第五条',
    pass: { stage: 'filing', facts: { filingDate: '2024-09-20' }, statements: [['docDate', '2024-09-10', 'party_group_resolution']] },
    fire: { stage: 'filing', facts: { filingDate: '2024-09-20' }, statements: [['docDate', '2024-09-25', 'party_group_resolution']] },
    silent: { stage: 'filing', statements: [['docDate', '2024-09-25', 'party_group_resolution']] },
  },
  {
    rule: 'YY-C01', article: '第二十二条',
    pass: { facts: { totalInvestmentWan: 300, planned: true, approvedEstimateWan: 300, projectContractsTotalWan: 295 } },
    fire: { facts: { totalInvestmentWan: 300, planned: true, approvedEstimateWan: 300, projectContractsTotalWan: 300.5 } },
    says: /未见变更批复/,
    silent: { facts: { totalInvestmentWan: 300, planned: true, projectContractsTotalWan: 300.5 } },
  },
  {
    rule: 'YY-C02', article: '第二十六条(四)',
    pass: { facts: { contractor: '湖南甲科技有限公司', constructionUnit: '益阳市档案馆' }, statements: [['testingAgency', '湖南丁测评有限公司', TEST]] },
    fire: { facts: { contractor: '湖南甲科技有限公司', constructionUnit: '益阳市档案馆' }, statements: [['testingAgency', '湖南甲科技有限公司', TEST]] },
    says: /即承建单位/,
    silent: { statements: [['testingAgency', '湖南甲科技有限公司', TEST]] },
  },
  {
    rule: 'YY-V01', article: '第十九条',
    pass: { files: [['合同.pdf', 'contract', '付款方式']], terms: { paymentSchedule: schedule(['合同签订后', '30', 'signing'], ['竣工验收合格后', '55', 'acceptance'], ['验收满1年后评价合格且问题整改到位', '5', 'afterAcceptance', 1, '后评价合格且问题整改到位'], ['验收满2年考核合格', '5', 'afterAcceptance', 2, '考核合格'], ['验收满3年考核合格', '5', 'afterAcceptance', 3, '考核合格']) } },
    fire: { files: [['合同.pdf', 'contract', '付款方式']], terms: { paymentSchedule: schedule(['合同签订后', '30', 'signing'], ['竣工验收合格后', '65', 'acceptance'], ['验收满1年后', '5', 'afterAcceptance', 1, null]) } },
    says: /应付 95%[\s\S]*未约定竣工验收2年后支付 5%[\s\S]*竣工验收合格后（65%）/,
    silent: { files: [['合同.pdf', 'contract', '付款方式']] },
  },
  {
    rule: 'YY-V02', article: '第二十一条',
    pass: { files: [['合同.pdf', 'contract', '运维']], terms: { maintenancePeriod: period(36, '运维期为三年') } },
    fire: { files: [['合同.pdf', 'contract', '运维']], terms: { maintenancePeriod: period(12, '运维期为1年') } },
    says: /12 个月/,
    silent: { files: [['合同.pdf', 'contract', '合同价款为100万元。']] },
  },
  {
    rule: 'YY-V03', article: '第四十七条',
    pass: { stage: 'filing', facts: { totalInvestmentWan: 1000, civilWorksInvestmentWan: 300 } },
    fire: { stage: 'filing', facts: { totalInvestmentWan: 600, civilWorksInvestmentWan: 300 } },
    says: /分别审批/,
    silent: { stage: 'filing', facts: { totalInvestmentWan: 600 } },
  },
  {
    rule: 'YY-Q01', article: '第十条',
    pass: { stage: 'filing', facts: { totalInvestmentWan: 600, constructionUnit: '益阳市档案馆' }, statements: [['drafter', '湖南戊设计院有限公司', DESIGN]] },
    fire: { stage: 'filing', facts: { totalInvestmentWan: 600, constructionUnit: '益阳市档案馆' }, statements: [['drafter', '益阳市档案馆', DESIGN]] },
    silent: { stage: 'filing', facts: { totalInvestmentWan: 600 }, statements: [['drafter', '益阳市档案馆', DESIGN]] },
  },
  {
    rule: 'YY-Q02', article: '第十一条',
    pass: { stage: 'filing', facts: { totalInvestmentWan: 300 }, declared: { reviewMeetingHeld: true }, files: [['评审意见.pdf', 'technical_review_opinion', '专家组意见']] },
    fire: { stage: 'filing', facts: { totalInvestmentWan: 300 }, declared: { reviewMeetingHeld: false }, files: [['评审意见.pdf', 'technical_review_opinion', '专家组意见']] },
    silent: { stage: 'filing', facts: { totalInvestmentWan: 300 }, files: [['评审意见.pdf', 'technical_review_opinion', '专家组意见']] },
  },
  {
    rule: 'YY-Q03', article: '第二十六条(四)',
    pass: { files: [['等保测评.pdf', TEST, '等级测评结论：符合']] },
    fire: { files: [['等保测评.pdf', TEST, '等级测评结论：不符合']] },
    says: /不符合/,
    silent: {},
  },
  {
    rule: 'YY-Q04', article: '第二十六条(三)',
    pass: { files: [['共享说明.pdf', 'data_sharing_statement', '本项目数据资源已在市数据资源共享交换平台编目并共享。']] },
    fire: { files: [['共享说明.pdf', 'data_sharing_statement', '本项目为内部办公系统。']] },
    silent: { declared: { sharingExempt: true }, files: [['共享说明.pdf', 'data_sharing_statement', '本项目为内部办公系统。']] },
  },
  {
    rule: 'YY-K01', article: '第十一条',
    pass: { stage: 'filing', files: [['设计.pdf', DESIGN, '1.1 建设目标\n1.2 规划选址\n2.1 功能设计\n2.2 技术思路\n2.3 数据共享方案\n2.4 系统架构\n3.1 设备选型\n本项目投资概算为320万元。']] },
    fire: { stage: 'filing', files: [['设计.pdf', DESIGN, '1.1 建设目标\n2.1 功能设计\n系统架构、设备选型与投资概算详见可研报告。']] },
    says: /「系统架构」（仅在第1页顺带提及/,
    silent: { stage: 'filing' },
  },
  {
    rule: 'YY-K02', article: '第二十条',
    pass: { files: [['合同.pdf', 'contract', '第十条 付款方式\n有下列情形之一的，甲方有权书面通知乙方解除本合同：乙方逾期交付超过30日。']] },
    fire: { files: [['合同.pdf', 'contract', '第十条 付款方式\n本合同未尽事宜，双方协商解决，详见项目终止机制的相关规定。']] },
    says: /项目终止机制/,
    silent: {},
  },
  {
    rule: 'YY-K03', article: '第三十条',
    pass: { stage: 'filing', files: [['设计.pdf', DESIGN, '五、设备选型\n4服务器密码机符合 GM/T 0030,SM2/SM3/SM4 2']] },
    fire: { stage: 'filing', files: [['设计.pdf', DESIGN, '第六章 安全设计\n文中提到密码一词。']] },
    says: /密码应用/,
    silent: { stage: 'filing' },
  },
  {
    rule: 'YY-K04', article: '第三十八条',
    pass: { stage: 'filing', facts: { classified: false }, files: [['设计.pdf', DESIGN, '系统部署于市政务云，不再单独新建机房。新建会议室大屏显示系统及配套设备机房。']] },
    fire: { stage: 'filing', facts: { classified: false }, files: [['设计.pdf', DESIGN, '本项目新建数据中心机房一座。']] },
    says: /新建数据中心机房一座/,
    silent: { stage: 'filing', facts: { classified: true }, files: [['设计.pdf', DESIGN, '本项目新建数据中心机房一座。']] },
  },
  {
    rule: 'YY-K05', article: '第四十条',
    pass: { files: [['概算.pdf', 'budget_estimate', '地图服务依托智慧益阳时空大数据平台，不购买商业电子地图。']] },
    fire: { files: [['概算.pdf', 'budget_estimate', '采购商业电子地图数据 20万元']] },
    says: /商业电子地图/,
    silent: {},
  },
  {
    rule: 'YY-K06', article: '第四十一条',
    pass: { stage: 'filing', files: [['设计.pdf', DESIGN, '业务办理依托市“互联网+政务服务”一体化平台建设。']] },
    fire: { stage: 'filing', files: [['设计.pdf', DESIGN, '本项目新建部门政务服务平台一套。']] },
    // The flag quotes the sentence that raised it, so the officer judges it at a glance.
    says: /「本项目新建部门政务服务平台一套」/,
    silent: { stage: 'filing' },
  },
  {
    rule: 'YY-K07', article: '第四十二条',
    pass: { stage: 'filing', files: [['设计.pdf', DESIGN, '新增视频监控点位30个\n视频资源接入全市统一的视频共享交换平台']] },
    fire: { stage: 'filing', files: [['设计.pdf', DESIGN, '新增视频监控点位30个，录像保存30天']] },
    silent: { stage: 'filing', files: [['设计.pdf', DESIGN, '新建办公自动化系统']] },
  },
  {
    rule: 'YY-P02', article: '第二十六条(一)(二)',
    pass: { facts: { totalInvestmentWan: 199.99 } },
    fire: { facts: { totalInvestmentWan: 200 } },
    silent: {},
  },
  {
    rule: 'YY-P03', article: '第二十五条',
    pass: { files: [['备案回执.pdf', 'record_filing_receipt', '备案回执']] },
    fire: { files: [['合同.pdf', 'contract', '合同']] },
    says: /报备/,
  },
];

describeRuleCases('yiyang', cases);

describe('YY-Q02 (第十一条): the opinion that shows the meeting answers the question', () => {
  it('asks nothing when the review opinion gives the meeting date and the experts', () => {
    const out = evaluateCase('yiyang', {
      stage: 'filing',
      facts: { totalInvestmentWan: 300 },
      files: [['评审意见.pdf', 'technical_review_opinion', '专家评审意见']],
      terms: { meetings: [{ path: '评审意见.pdf', docTypes: ['technical_review_opinion'], meetingDate: dateValue('2024-03-01'), experts: ['张三', '李四'], signIn: false, evidence: [termEvidence('评审意见.pdf', '专家组成员：张三、李四')] }] },
    });
    expect(out.questions.map((q) => q.ruleId)).not.toContain('YY-Q02');
    expect(out.findings.map((f) => f.ruleId)).not.toContain('YY-Q02');
  });
});

function schedule(...rows: Array<[string, string, 'signing' | 'delivery' | 'acceptance' | 'afterAcceptance' | 'warranty' | 'other', number?, (string | null)?]>) {
  const instalments = rows.map(([milestone, percent, stage, years, condition]) => ({ milestone, percent, stage, yearsAfterAcceptance: years ?? null, condition: condition ?? null, evidence: termEvidence('合同.pdf', `${milestone}支付${percent}%`) }));
  const sum = (xs: typeof instalments) => String(xs.reduce((n, i) => n + Number(i.percent), 0));
  return {
    path: '合同.pdf',
    instalments,
    totalPercent: sum(instalments),
    dueByAcceptancePercent: sum(instalments.filter((i) => !['afterAcceptance', 'warranty'].includes(i.stage))),
    retainedPercent: sum(instalments.filter((i) => ['afterAcceptance', 'warranty'].includes(i.stage))),
  };
}

function period(months: number, text: string) {
  return { months, from: null, text, docTypes: ['contract'], evidence: termEvidence('合同.pdf', text) };
}

describe('YY-P01 (第十六条) sees a whole batch', () => {
  const rules = loadChecklist('yiyang').boundRules;
  const dossier = (id: string, projectName: string, totalInvestmentWan: number, constructionUnit = '益阳市档案馆', year = 2024): BatchDossier => ({
    id,
    projectName,
    totalInvestmentWan,
    constructionUnit,
    year,
    evidence: [{ path: `${id}/申报表.pdf`, page: 1, quote: `${projectName} ${totalInvestmentWan}万元` }],
  });

  it('flags parts of one unit and year, each under 50万, that add up to it', () => {
    const found = runBatchRules(rules, [dossier('a', '益阳市档案数字化一期项目', 45), dossier('b', '益阳市档案数字化二期项目', 40), dossier('c', '益阳市会议室改造', 30)]);
    expect(found).toHaveLength(1);
    expect(found[0]!.ruleId).toBe('YY-P01');
    expect(found[0]!.dossiers).toEqual(['a', 'b']);
    expect(found[0]!.article).toBe('第十六条');
    expect(found[0]!.evidence.map((e) => e.path)).toEqual(['a/申报表.pdf', 'b/申报表.pdf']);
  });

  it('passes when the parts stay under the threshold together, or are different units or years', () => {
    expect(runBatchRules(rules, [dossier('a', '益阳市档案数字化一期项目', 20), dossier('b', '益阳市档案数字化二期项目', 20)])).toEqual([]);
    expect(runBatchRules(rules, [dossier('a', '益阳市档案数字化一期项目', 45), dossier('b', '益阳市档案数字化二期项目', 40, '益阳市气象局')])).toEqual([]);
    expect(runBatchRules(rules, [dossier('a', '益阳市档案数字化一期项目', 45), dossier('b', '益阳市档案数字化二期项目', 40, '益阳市档案馆', 2025)])).toEqual([]);
  });

  it('says nothing of a dossier whose unit, year or total is unknown, and never runs on one dossier', () => {
    expect(runBatchRules(rules, [dossier('a', '益阳市档案数字化一期项目', 45), { ...dossier('b', '益阳市档案数字化二期项目', 40), year: undefined }])).toEqual([]);
    const single = evaluateCase('yiyang', { facts: { totalInvestmentWan: 45 } });
    expect(single.findings.map((f) => f.ruleId)).not.toContain('YY-P01');
  });
});

describe('YY-P01 in a real dossier batch', () => {
  it('writes the finding into the reports of the split parts only', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'yy-p01-in-'));
    const out = await mkdtemp(join(tmpdir(), 'yy-p01-out-'));
    const form = (name: string, wan: number) =>
      `益阳市政府投资信息化建设项目申报表\n项目名称：${name}\n建设单位：益阳市档案馆\n项目总投资：${wan}万元\n申报单位（盖章）：益阳市档案馆\n2024年9月10日\n`;
    for (const [dir, name, wan] of [['甲', '益阳市档案数字化一期项目', 45], ['乙', '益阳市档案数字化二期项目', 40], ['丙', '益阳市会议室视频系统改造', 30]] as const) {
      await mkdir(join(folder, dir));
      await writeFile(join(folder, dir, '申报表.txt'), form(name, wan));
    }
    // Text files need no OCR; the pool is there because a batch always has one.
    const ocr = createOcrPool({ size: 1 });
    try {
      await runBatch({ folder, checklist: 'yiyang', stage: 'filing', facts: {}, outDir: out, concurrency: 1, ocr });
    } finally {
      await ocr.close();
    }
    const report = async (dir: string) => CompletenessReportSchema.parse(JSON.parse(await readFile(join(out, dir, 'report.json'), 'utf8')));
    for (const dir of ['甲', '乙']) {
      const f = (await report(dir)).findings.filter((x) => x.ruleId === 'YY-P01');
      expect(f, dir).toHaveLength(1);
      expect(f[0]!.message).toMatch(/合计 85 万元达到 50 万元/);
      expect(f[0]!.evidence.map((e) => e.path)).toEqual(expect.arrayContaining(['甲/申报表.txt', '乙/申报表.txt']));
      expect(await readFile(join(out, dir, 'report.md'), 'utf8')).toContain('YY-P01');
    }
    expect((await report('丙')).findings.map((x) => x.ruleId)).not.toContain('YY-P01');
  });
});

describe('YY-T07 (第十四条): 受理 from the office record or declared', () => {
  const base = { stage: 'filing' as const, facts: { approvalDate: '2024-10-21' }, files: [['批复.pdf', 'approval_document', '批复']] as Array<[string, string, string]> };

  it('cites the office record as the evidence of the 受理 day', () => {
    const out = evaluateCase('yiyang', { ...base, events: [{ kind: 'accepted', on: '2024-09-30' }] });
    const f = out.findings.find((x) => x.ruleId === 'YY-T07')!;
    expect(f.message).toContain('共 11 个工作日');
    expect(f.evidence[0]).toMatchObject({ label: '办理记录', quote: expect.stringContaining('2024-09-30 受理') });
  });

  it('counts from a declared 受理 day over the record (a dossier checked without the API, or a correction)', () => {
    const out = evaluateCase('yiyang', { ...base, events: [{ kind: 'accepted', on: '2024-10-14' }], declared: { submissionAcceptedDate: '2024-09-30' } });
    expect(out.findings.find((x) => x.ruleId === 'YY-T07')?.message).toContain('受理之日（2024-09-30）');
    expect(out.questions.filter((q) => q.ruleId === 'YY-T07')).toEqual([]);
  });
});

describe('YY-C01 (第二十二条) (b): the contract scope against the approved design is for the reviewer', () => {
  it('is listed with the contract and the design once the rule applies, and its amount check still runs', () => {
    const out = evaluateCase('yiyang', {
      facts: { planned: true, projectContractsTotalWan: 120, approvedEstimateWan: 100 },
      files: [['合同.pdf', 'contract', '合同'], ['初步设计.pdf', 'preliminary_design', '初步设计']],
    });
    const item = out.reviewItems.find((r) => r.ruleId === 'YY-C01')!;
    expect(item.places.map((p) => p.path).sort()).toEqual(['初步设计.pdf', '合同.pdf']);
    expect(out.findings.some((f) => f.ruleId === 'YY-C01' && /超过批复的投资概算/.test(f.message))).toBe(true);
  });

  it('is not listed for a filing', () => {
    expect(evaluateCase('yiyang', { stage: 'filing', facts: { planned: true } }).reviewItems.some((r) => r.ruleId === 'YY-C01')).toBe(false);
  });
});
