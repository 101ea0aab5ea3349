import { describe, expect, it } from 'vitest';
import { extractFields } from '../../extractors/fields/extract.ts';
import { AggregatedFieldsSchema, aggregateFields as aggregate, fieldValueToScalar, investmentThresholdsWan, type FactsDocument } from '../../checklists/facts/index.ts';
import { loadChecklist } from '../../checklists/load.ts';

/** Aggregates as the changde checklist does: its catalogue, and its conditions that change at 50万元. */
const changde = loadChecklist('changde');
const aggregateFields = (documents: FactsDocument[]) =>
  aggregate({ documents, catalogue: changde.catalogue, investmentThresholdsWan: investmentThresholdsWan(changde) });

const PROJECT = '岳阳市城市运行管理平台三期建设项目';
const UNIT = '岳阳市城市管理和综合执法局';
const CONTRACTOR = '湖南星河软件股份有限公司';
const SUPERVISOR = '湖南正衡项目管理咨询有限公司';

function file(path: string, docTypes: string[], text: string | string[], source: 'text-layer' | 'ocr' = 'text-layer'): FactsDocument {
  const pages = (Array.isArray(text) ? text : [text]).map((t, i) => ({ n: i + 1, text: t, source }));
  return { path, docTypes, candidates: extractFields({ path, pages }) };
}

const approval = (total: string) =>
  file('一、立项/立项批复.pdf', ['approval_document'], `岳阳市数据资源局文件
岳数发〔2024〕17号
关于${PROJECT}立项的批复
${UNIT}：
经研究，同意${PROJECT}立项，项目总投资${total}万元，资金来源为市财政项目资金。
岳阳市数据资源局
2024年3月18日`);

const feasibility = (total: string) =>
  file('一、立项/可行性研究报告.docx', ['feasibility_report'], `${PROJECT}
可行性研究报告
项目名称：${PROJECT}
建设单位：${UNIT}
编制单位：湖南云帆规划设计研究院有限公司
编制日期：2023年12月1日
本项目总投资估算为${total}万元。`);

const review = (reviewed: string) =>
  file('一、立项/财政投资评审报告.pdf', ['fiscal_review_opinion'], `${PROJECT}
财政投资评审报告
项目名称：${PROJECT}
建设单位：${UNIT}
出具单位：岳阳市财政投资评审中心
日期：2024年2月20日
送审金额360.00万元，审定金额${reviewed}万元。`);

const contract = (number = 'YYCG-2024-0315', amount = '叁佰壹拾贰万元整（¥3,120,000.00元）') =>
  file(`二、建设/合同-${number}.pdf`, ['contract'], `${PROJECT}
政府采购合同
项目名称：${PROJECT}
甲方（采购人）：${UNIT}
乙方（供应商）：${CONTRACTOR}
合同编号：${number}
签订日期：2024年4月26日
合同总价为人民币${amount}，含税。`);

const supervisionContract = file('二、建设/监理服务合同.pdf', ['supervision_contract'], `${PROJECT}
监理服务合同
甲方：${UNIT}
乙方：${SUPERVISOR}
监理服务费为人民币叁万捌仟元整（¥38,000.00元）。
2024年4月10日`);

const supervisionReport = (total = '356.80') =>
  file('三、验收/监理总结报告.pdf', ['supervision_report'], `${PROJECT}
监理总结报告
项目名称：${PROJECT}
建设单位：${UNIT}
监理单位：${SUPERVISOR}
日期：2025年5月20日
${PROJECT}总投资 ${total} 万元，承建单位为${CONTRACTOR}，合同金额 312.00 万元。
${SUPERVISOR}`);

const trialRun = file('三、验收/系统试运行报告.docx', ['trial_run_report'], `${PROJECT}
系统试运行报告
项目名称：${PROJECT}
建设单位：${UNIT}
编制单位：${CONTRACTOR}
日期：2025年3月20日
系统试运行时间自2024年12月1日至2025年2月28日。
试运行合格，系统功能和性能满足合同要求。`);

const application = file('三、验收/申请竣工验收的请示.pdf', ['acceptance_application'], `关于申请${PROJECT}竣工验收的请示
市数据资源局：
${PROJECT}经市数据资源局批复（岳数发〔2024〕17号），总投资 356.80 万元。项目已完成全部建设内容，具备竣工验收条件。
${UNIT}
2025年6月9日`);

describe('when choosing the total investment (§2.1 precedence)', () => {
  it('takes the approval\'s figure over every other document and never a contract price', () => {
    const result = aggregateFields([feasibility('350.00'), review('340.00'), contract(), supervisionReport('356.80'), approval('356.80')]);
    const total = result.fields.totalInvestmentWan!;
    expect(fieldValueToScalar(total.value)).toBe('356.8');
    expect(total.provenance.path).toBe('一、立项/立项批复.pdf');
    expect(total.alternatives.map((a) => fieldValueToScalar(a.value))).toEqual(expect.arrayContaining(['350', '340']));
    expect(total.alternatives.map((a) => fieldValueToScalar(a.value))).not.toContain('312');
  });

  it('lists every stated total when they disagree, with sources', () => {
    const result = aggregateFields([feasibility('350.00'), supervisionReport('356.80'), approval('356.80')]);
    const conflict = result.conflicts.find((c) => c.field === 'totalInvestmentWan')!;
    expect(conflict.values.map((v) => fieldValueToScalar(v.value)).sort()).toEqual(['350', '356.8']);
    expect(conflict.values.find((v) => fieldValueToScalar(v.value) === '356.8')!.sources).toHaveLength(2);
  });

  it('prefers a document quoting the approved total over the reviewed amount', () => {
    const result = aggregateFields([review('340.00'), feasibility('350.00'), application]);
    expect(fieldValueToScalar(result.fields.totalInvestmentWan!.value)).toBe('356.8');
  });

  it('falls back to the reviewed amount, then to the estimate', () => {
    expect(fieldValueToScalar(aggregateFields([feasibility('350.00'), review('340.00')]).fields.totalInvestmentWan!.value)).toBe('340');
    expect(fieldValueToScalar(aggregateFields([feasibility('350.00'), supervisionReport('356.80')]).fields.totalInvestmentWan!.value)).toBe('350');
  });

  it('uses the annual plan\'s row for this project before an estimate', () => {
    const plan = file('计划通知.pdf', ['annual_plan_notice'], `关于下达2024年度电子政务项目建设计划的通知
序号 项目名称 建设单位 计划投资（万元）
1 岳阳市智慧停车管理平台建设项目 岳阳市公安局 218.40
2 ${PROJECT} ${UNIT} 356.80`);
    const result = aggregateFields([plan, feasibility('350.00')]);
    expect(fieldValueToScalar(result.fields.totalInvestmentWan!.value)).toBe('356.8');
    expect(fieldValueToScalar(result.fields.plannedFundWan!.value)).toBe('356.8');
  });

  it('says when the differing totals fall on different sides of a threshold', () => {
    const result = aggregateFields([approval('49.99'), feasibility('50.00')]);
    expect(fieldValueToScalar(result.fields.totalInvestmentWan!.value)).toBe('49.99');
    const conflict = result.conflicts.find((c) => c.field === 'totalInvestmentWan')!;
    expect(conflict.thresholdsStraddled).toEqual([50]);
    expect(conflict.message).toContain('50万元');
  });

  it('reports no conflict when every document agrees', () => {
    const result = aggregateFields([approval('356.80'), supervisionReport('356.80'), application]);
    expect(result.conflicts.filter((c) => c.field === 'totalInvestmentWan')).toEqual([]);
    expect(result.fields.totalInvestmentWan!.support).toBe(3);
  });
});

describe('when choosing the organisations', () => {
  const dossier = [approval('356.80'), feasibility('356.80'), contract(), supervisionContract, supervisionReport(), trialRun, application];
  const result = aggregateFields(dossier);

  it('finds the construction unit most documents name, the approval\'s addressee and the contract\'s 甲方 among them', () => {
    expect(fieldValueToScalar(result.fields.constructionUnit!.value)).toBe(UNIT);
    expect(result.fields.constructionUnit!.support).toBeGreaterThanOrEqual(5);
  });

  it('takes the contractor from the contract\'s 乙方, not from the supervision contract\'s', () => {
    expect(fieldValueToScalar(result.fields.contractor!.value)).toBe(CONTRACTOR);
    expect(fieldValueToScalar(result.fields.partyB!.value)).toBe(CONTRACTOR);
  });

  it('takes the supervisor from the supervision documents', () => {
    expect(fieldValueToScalar(result.fields.supervisor!.value)).toBe(SUPERVISOR);
  });

  it('lets the majority win over one document naming someone else, and reports the disagreement', () => {
    const odd = file('其他/会议纪要.pdf', ['other_material'], `会议纪要\n建设单位：岳阳市数据资源局`);
    const withOdd = aggregateFields([...dossier, odd]);
    expect(fieldValueToScalar(withOdd.fields.constructionUnit!.value)).toBe(UNIT);
    const conflict = withOdd.conflicts.find((c) => c.field === 'constructionUnit')!;
    expect(conflict.values.map((v) => fieldValueToScalar(v.value))).toEqual(expect.arrayContaining([UNIT, '岳阳市数据资源局']));
  });

  it('does not take the supervision contract\'s 乙方 for the contractor when there is no main contract', () => {
    const only = aggregateFields([supervisionContract]);
    expect(only.fields.contractor).toBeUndefined();
    expect(fieldValueToScalar(only.fields.supervisor!.value)).toBe(SUPERVISOR);
  });
});

describe('when choosing the project name (GEN-01)', () => {
  it('folds an OCR misreading into the name the text layer gives', () => {
    const ocrApproval = file('立项批复.jpg', ['approval_document'], `关于岳阳市城市运行管理平台三期建设项目立项的批复\n${UNIT}：`, 'ocr');
    const misread = file('扫描件.pdf', ['other_material'], `岳阳市城市运行管埋平台三期建设项目\n会议纪要`, 'ocr');
    const result = aggregateFields([ocrApproval, misread, feasibility('356.80'), supervisionReport()]);
    expect(fieldValueToScalar(result.fields.projectName!.value)).toBe(PROJECT);
    expect(result.conflicts.filter((c) => c.field === 'projectName')).toEqual([]);
  });

  it('reports a document that names another phase', () => {
    const otherPhase = file('监理报告.pdf', ['supervision_report'], `项目名称：岳阳市城市运行管理平台二期建设项目\n监理单位：${SUPERVISOR}`);
    const result = aggregateFields([approval('356.80'), feasibility('356.80'), otherPhase]);
    expect(fieldValueToScalar(result.fields.projectName!.value)).toBe(PROJECT);
    const conflict = result.conflicts.find((c) => c.field === 'projectName')!;
    expect(conflict.values.map((v) => fieldValueToScalar(v.value))).toContain('岳阳市城市运行管理平台二期建设项目');
  });
});

describe('when deriving dates from typed documents', () => {
  const result = aggregateFields([approval('356.80'), contract(), supervisionContract, trialRun, application]);
  const scalar = (name: string) => (result.fields[name] ? fieldValueToScalar(result.fields[name]!.value) : undefined);

  it('reads approval, contract and supervision-contract dates', () => {
    expect(scalar('approvalDate')).toBe('2024-03-18');
    expect(scalar('approvalDocNumber')).toBe('岳数发〔2024〕17号');
    expect(scalar('mainContractDate')).toBe('2024-04-26');
    expect(scalar('supervisionContractDate')).toBe('2024-04-10');
  });

  it('splits the trial-run period and dates the report and the application', () => {
    expect(scalar('trialRunStartDate')).toBe('2024-12-01');
    expect(scalar('trialRunEndDate')).toBe('2025-02-28');
    expect(scalar('trialRunReportDate')).toBe('2025-03-20');
    expect(scalar('trialRunConclusion')).toBe('合格');
    expect(scalar('acceptanceApplicationDate')).toBe('2025-06-09');
  });

  it('takes the self-inspection date from a section of the completion report', () => {
    const completion = file('竣工报告.pdf', ['completion_report'], `竣工报告\n日期：2025年6月1日\n2025年5月26日，${UNIT}组织项目组对项目进行了自审自查。`);
    expect(fieldValueToScalar(aggregateFields([completion]).fields.selfInspectionDate!.value)).toBe('2025-05-26');
  });
});

describe('when summing contract amounts', () => {
  it('adds different main contracts and counts a copy of one contract once', () => {
    const second = contract('YYCG-2024-0420', '伍拾万元整（¥500,000.00元）');
    const copy = { ...contract(), path: '副本/合同.pdf' };
    const result = aggregateFields([contract(), copy, second, supervisionContract]);
    expect(fieldValueToScalar(result.fields.contractAmountWan!.value)).toBe('362');
    expect(fieldValueToScalar(result.fields.projectContractsTotalWan!.value)).toBe('365.8');
  });
});

describe('when a document states 大写 and 小写 that disagree', () => {
  it('reports the mismatch (GEN-04)', () => {
    const result = aggregateFields([contract('YYCG-2024-0315', '叁佰壹拾贰万元整（¥3,210,000.00元）')]);
    const conflict = result.conflicts.find((c) => c.kind === 'daxie-xiaoxie-mismatch')!;
    expect(conflict.message).toContain('312');
    expect(conflict.message).toContain('321');
  });
});

describe('when a cost table does not add up', () => {
  it('reports the itemisation (GEN-04)', () => {
    const estimate = file('概算.pdf', ['budget_estimate'], `费用名称 | 金额（万元）
软件开发费 | 200.00
硬件设备购置费 | 150.00
合计 | 356.80`);
    const conflict = aggregateFields([estimate]).conflicts.find((c) => c.kind === 'itemization-mismatch')!;
    expect(conflict.message).toBe('分项合计 350万元 与所列合计 356.8万元 不符');
  });
});

describe('when a test report was commissioned by the contractor', () => {
  it('does not report a construction-unit disagreement for its 委托单位', () => {
    const test = file('测试报告.pdf', ['test_report'], `测试报告\n委托单位：${CONTRACTOR}\n测评机构：岳阳市软件测评中心`);
    const result = aggregateFields([approval('356.80'), contract(), test]);
    expect(fieldValueToScalar(result.fields.constructionUnit!.value)).toBe(UNIT);
    expect(result.conflicts.filter((c) => c.field === 'constructionUnit')).toEqual([]);
    expect(fieldValueToScalar(result.fields.testingAgency!.value)).toBe('岳阳市软件测评中心');
  });
});

describe('when the output is validated', () => {
  it('matches its own schema and keeps per-document fields', () => {
    const result = aggregateFields([approval('356.80'), contract(), trialRun]);
    expect(() => AggregatedFieldsSchema.parse(result)).not.toThrow();
    const approvalDoc = result.documents.find((d) => d.path === '一、立项/立项批复.pdf')!;
    expect(fieldValueToScalar(approvalDoc.fields.issuer!.value)).toBe('岳阳市数据资源局');
  });

  it('returns no fields for a dossier with nothing readable', () => {
    expect(aggregateFields([])).toEqual({ fields: {}, conflicts: [], documents: [] });
  });
});

describe('when an approval both mentions the requested figure and fixes another', () => {
  it('takes the figure the approval fixes', () => {
    const feasibilityApproval = file('可研批复.pdf', ['feasibility_approval'], `关于${PROJECT}可行性研究报告的批复
${UNIT}：
你单位报送的可行性研究报告收悉。报告提出项目总投资360.00万元。经审核，核定项目总投资为356.80万元。`);
    expect(fieldValueToScalar(aggregateFields([feasibilityApproval]).fields.totalInvestmentWan!.value)).toBe('356.8');
  });
});
