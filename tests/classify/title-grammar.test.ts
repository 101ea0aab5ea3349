import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from '../../extractors/model.ts';
import { DocTypeClassifier } from '../../checklists/classify.ts';
import { evaluatePresenceDetailed, type PresenceFile } from '../../checklists/evaluate.ts';
import { loadCatalogue, loadChecklist } from '../../checklists/load.ts';
import { parseFactArguments } from '../../checklists/facts/index.ts';
import { createOcrPool } from '../../extractors/ocr/index.ts';
import { checkDossier } from '../../pipeline/check-dossier.ts';
import { renderHtml } from '../../pipeline/report/render-html.ts';
import { renderMarkdown } from '../../pipeline/report/render-markdown.ts';

const classifier = new DocTypeClassifier(loadCatalogue());

function classify(path: string, ...texts: string[]) {
  return classifier.classify({ path, readable: true, pages: texts.map((text, i): Page => ({ n: i + 1, text, source: 'text-layer' })) });
}
const top = (r: ReturnType<typeof classify>) => (r.unsure ? 'unsure' : r.docTypes[0]!.id);
/** Each title, alone on a page, is the catch-all: none of our documents. */
/** A Changde acceptance check of a folder holding one text file, as a user's dossier would be checked. */
async function checkOneFile(name: string, text: string) {
  const dir = await mkdtemp(join(tmpdir(), 'one-file-dossier-'));
  const ocr = createOcrPool({ size: 1 });
  try {
    await writeFile(join(dir, name), text);
    return await checkDossier({ input: dir, checklist: 'changde', stage: 'acceptance', facts: parseFactArguments([]), ocr });
  } finally {
    await ocr.close();
    await rm(dir, { recursive: true, force: true });
  }
}
function expectNoneOfOurs(titles: string[]): void {
  for (const title of titles) expect(classify('scan.pdf', title).docTypes[0]!.id, title).toBe('other_material');
}

describe('when a title is in no list but its grammar names the type (head + nearest modifier)', () => {
  it('reads every procurement method and stage of 《政府采购法》 and its 实施条例 as a procurement record', () => {
    for (const title of [
      '某县政务服务中心网络安全设备采购项目邀请招标公告',
      '某县不动产登记系统升级改造项目竞争性谈判公告',
      '某市大数据平台运维服务项目竞争性磋商公告',
      '某局视频会议系统维护服务单一来源采购公示',
      '某县电子政务外网设备询价公告',
      '某市2025年度办公设备框架协议采购征集公告',
      '某县政务云服务项目磋商文件',
      '某市一网通办平台二期项目成交结果公告',
      '某县智慧城管项目中标结果公告',
      '某区政务外网安全服务项目成交通知书',
      '某市数据共享交换平台项目(二次)废标公告',
      '某县12345热线系统项目更正公告',
      '某局信息系统运维服务项目成交通告',
    ]) {
      const r = classify('x.pdf', title);
      expect(top(r), title).toBe('procurement_documents');
    }
  });

  it('reads service agreements of every kind as a maintenance agreement, a development contract as a contract', () => {
    for (const title of ['某平台维保服务合同书', '某系统驻场服务协议', '某中心机房运行维护服务协议书', '某平台运维服务项目采购合同', '某系统技术支持服务协议']) {
      expect(top(classify('x.pdf', title)), title).toBe('om_agreement');
    }
    expect(top(classify('x.pdf', '某系统软件定制开发合同'))).toBe('contract');
    expect(top(classify('x.pdf', '某平台监理服务采购合同'))).toBe('supervision_contract');
  });

  it('maps the GB/T 8567-2006 document set onto our types where they are one, and leaves the rest to the catch-all', () => {
    const cases: Array<[string, string]> = [
      ['某系统可行性分析(研究)报告', 'feasibility_report'],
      ['某系统软件需求规格说明', 'requirements_analysis'],
      ['某系统软件(结构)设计说明', 'preliminary_design'],
      ['某系统概要设计说明书', 'preliminary_design'],
      ['某系统软件测试报告', 'test_report'],
      ['某系统项目开发总结报告', 'completion_report'],
      ['某系统接口设计说明', 'interface_spec'],
      ['某系统软件用户手册', 'other_material'],
      ['某系统软件开发计划', 'unsure'],
    ];
    for (const [title, type] of cases) expect(top(classify('x.pdf', title)), title).toBe(type);
  });

  it('reads the subject before a generic 建设/改造 (等保, 密码) as a security plan, but not the bare word 安全', () => {
    for (const title of ['某区电子政务外网等级保护建设方案', '某平台二级等保建设方案', '某系统国产密码改造方案', '某单位信息系统等级保护(三级)建设方案']) {
      expect(top(classify('x.pdf', title)), title).toBe('security_plan');
    }
    // A public-security video network or a work-safety platform is built by a construction plan like any other system.
    for (const title of ['某市公共安全视频监控建设联网应用项目建设方案', '某县安全生产监管平台建设方案']) {
      expect(top(classify('x.pdf', title)), title).toBe('construction_plan');
    }
    // The evaluator's work plan for a 密评 is neither the project's implementation plan nor its security plan.
    expect(top(classify('x.pdf', '某平台商用密码应用安全性评估实施方案'))).toBe('unsure');
  });

  it('decides heads with unseen modifiers by the catalogue: tests, completion, interfaces, postponement, submission forms', () => {
    const cases: Array<[string, string]> = [
      ['某系统自测报告', 'test_report'],
      ['某系统软件评测报告', 'third_party_test_report'],
      ['某平台CMA软件测试报告', 'third_party_test_report'],
      ['某系统交工报告', 'completion_report'],
      ['某平台项目实施报告', 'completion_report'],
      // GB/T 8567's 接口需求规格说明 states requirements; the delivered interfaces are documented by 接口设计说明.
      ['某系统接口需求规格说明', 'requirements_analysis'],
      ['某平台HIS接口协议', 'interface_spec'],
      ['某系统对接接口设计', 'interface_spec'],
      ['某项目延迟验收申请报告', 'extension_application'],
      ['某工程竣工报验单', 'acceptance_application'],
      ['某工程竣工验收记录', 'acceptance_report'],
      ['某项目竣工决算审计结果', 'settlement_report'],
      ['服务协议(网站维护)', 'om_agreement'],
      ['某平台服务合同(运维)', 'om_agreement'],
    ];
    for (const [title, type] of cases) expect(top(classify('x.pdf', title)), title).toBe(type);
  });

  it('reads a title joined to a name or an issuer by a dash, a middle dot or a colon', () => {
    const cases: Array<[string, string]> = [
      ['测试报告 - 某文档管理系统', 'test_report'],
      ['整改说明 — 某认证系统', 'rectification_report'],
      ['某平台 · 成本估算', 'budget_estimate'],
      ['某市政务服务局:某平台优化升级项目采购需求公开', 'procurement_documents'],
      ['Web项目建议书：某商城', 'project_proposal'],
    ];
    for (const [title, type] of cases) expect(top(classify('x.pdf', title)), title).toBe(type);
  });

  it('takes the longer head a title ends with: a 清单 is no 验收单, a 行动方案 or a 填报说明 is none of ours', () => {
    expect(classify('x.pdf', '某软件项目验收全流程资料清单').docTypes[0]!.id).not.toBe('acceptance_report');
    expect(classify('x.pdf', '某市数字政府建设“十四五”行动方案').docTypes[0]!.id).toBe('other_material');
    expect(classify('x.pdf', '共享数据需求填报说明').docTypes[0]!.id).toBe('other_material');
    // The generic 表 still takes its modifier: a 决算审批表 is a settlement paper.
    expect(top(classify('x.pdf', '某建设项目竣工财务决算审批表'))).toBe('settlement_report');
    // A 验收方案 plans the acceptance; it is not its outcome.
    expect(classify('x.pdf', '某系统初步验收方案').docTypes[0]!.id).toBe('other_material');
  });

  it('keeps other administrations\' approvals and acceptances (环评, 节能, 消防) and a legal representative\'s paper out of our types', () => {
    for (const title of ['某项目环境影响评价审批意见', '某项目节能审查意见', '某大楼消防验收意见书', '某公司项目法人资格证明']) {
      expect(classify('x.pdf', title).docTypes[0]!.id, title).toBe('other_material');
    }
  });

  it('reads an official letter that 报送 a paper by its title, but never a body line that refers to one', () => {
    expect(top(classify('x.pdf', '某局关于报送某项目验收申请的函'))).toBe('acceptance_application');
    expect(classify('x.pdf', '根据某局关于某项目的批复').docTypes[0]!.evidence.rule).not.toBe('title');
    // A letter submitting a plan reports no completed works.
    expect(classify('x.pdf', '某单位关于某项目实施方案的报告').docTypes[0]!.id).not.toBe('completion_report');
  });

  it('keeps budget-performance papers (绩效自评, 绩效目标申报表) out of the self-inspection and application types', () => {
    for (const title of ['某中心2024年度项目支出绩效单位自评报告', '某单位子活动支出绩效目标申报表']) {
      expect(classify('x.pdf', title).docTypes[0]!.id, title).toBe('other_material');
    }
  });

  it('resolves an unseen modifier combination with a known head to the nearest type, less sure than a listed title', () => {
    const listed = classify('x.pdf', '某平台建设项目竣工验收报告');
    const unseen = classify('x.pdf', '某平台建设项目终验报告书');
    expect(top(unseen)).toBe('acceptance_report');
    expect(unseen.docTypes[0]!.evidence.rule).toBe('title-grammar');
    expect(unseen.docTypes[0]!.confidence).toBeLessThan(listed.docTypes[0]!.confidence);
    expect(unseen.grade).toBe('good');
  });

  it('does not let a document named inside a rule or guide type the guide (head-final)', () => {
    expect(top(classify('x.pdf', '某市政府投资信息化项目可行性研究报告编制指南'))).toBe('other_material');
    expect(top(classify('x.pdf', '信息化项目运维合同规范与实务操作指南'))).toBe('other_material');
  });

  it('reads an application for project funds, an acceptance 申报表, a head with an appendage and a security technology by the same grammar', () => {
    const cases: Array<[string, string]> = [
      ['某高校改善办学条件专项资金申报书', 'application_form'],
      ['某工程竣工验收申报表', 'acceptance_application'],
      ['某系统验收申请申报书', 'acceptance_application'],
      // "及对策", "及附表" join an appendage to the real head; the head still decides.
      ['某软件系统实施计划方案及对策', 'implementation_plan'],
      ['某平台安全保障方案及附表', 'security_plan'],
      ['某单位内网防火墙部署的解决方案', 'security_plan'],
      ['某平台入侵检测系统建设方案', 'security_plan'],
    ];
    for (const [title, type] of cases) expect(top(classify('x.pdf', title)), title).toBe(type);
  });

  it('keeps the rectification of an audit\'s or an inspection tour\'s findings out of the rectification and fiscal review types', () => {
    for (const title of ['某市2023年度本级预算执行和其他财政收支审计查出问题整改情况的报告', '某县委巡察反馈意见整改情况报告']) {
      const r = classify('x.pdf', title);
      expect(['rectification_report', 'fiscal_review_opinion'], title).not.toContain(r.docTypes[0]!.id);
    }
    expect(top(classify('x.pdf', '某平台项目验收整改报告'))).toBe('rectification_report');
  });

  it('reads a procurement notice whose project name runs past sixty characters by its title', () => {
    const title = '某省某市某区行政审批服务局2025年度政务服务一体化平台及数据共享交换系统升级改造和运行维护服务项目(第二次)竞争性磋商公告';
    expect(title.length).toBeGreaterThan(60);
    const r = classify('x.pdf', title);
    expect(top(r)).toBe('procurement_documents');
    expect(r.docTypes[0]!.evidence.rule).not.toBe('content');
  });

  it('reads the title of a form from its first table cells (a photographed 申报表)', () => {
    const ocrForm = '某县电子政务建设项目立项审批表      填报日期：2024年3月1日\n项目名称    某县智慧社区平台\n建设单位    某县民政局';
    expect(top(classify('IMG_0412.jpg', ocrForm))).toBe('application_form');
    const docxRow = '某县政务信息化项目验收意见表 | 编号：2024-07\n项目名称 | 某县不动产登记系统';
    expect(top(classify('table.docx', docxRow))).toBe('acceptance_report');
  });
});

describe('when title and content disagree', () => {
  it('lets the content decide a title read only by its grammar, and says so in the evidence', () => {
    const r = classify(
      'x.pdf',
      '某县智慧社区平台项目实施工作报告\n一、试运行期间系统运行稳定\n试运行开始于2024年1月，试运行结束于2024年4月\n二、试运行情况\n系统运行稳定，未发生故障',
    );
    expect(r.docTypes[0]!.id).toBe('trial_run_report');
    expect(r.docTypes[0]!.evidence.rule).toBe('content');
    expect(r.docTypes[0]!.evidence.note).toContain('按内容判定');
  });
});

describe('when the best type is weak', () => {
  const weak = () => classify('scan.pdf', '某县智慧社区平台建设项目报告\n一、建设进度\n二、竣工');

  it('stays the catch-all, grades the file poor and carries its two best candidates with scores and evidence', () => {
    const r = weak();
    expect(r.unsure).toBe(true);
    expect(r.grade).toBe('poor');
    expect(r.docTypes.map((d) => d.id)).toEqual(['other_material']);
    expect(r.candidates).toHaveLength(2);
    expect(r.candidates[0]).toMatchObject({ id: 'completion_report' });
    expect(r.candidates[0]!.score).toBeGreaterThan(r.candidates[1]!.score);
    expect(r.candidates[0]!.evidence.note).toContain('报告');
  });

  it('makes a row whose only candidate is that file need confirmation, naming the file, instead of missing', () => {
    const r = weak();
    const file: PresenceFile = {
      path: '材料/建设项目报告.pdf',
      status: 'ok',
      docTypes: r.docTypes.map((d) => ({ id: d.id, confidence: d.confidence, evidence: d.evidence })),
      unsureCandidates: r.candidates.map((c) => ({ id: c.id, score: c.score })),
    };
    const evaluation = evaluatePresenceDetailed({ checklist: loadChecklist('changde'), stage: 'acceptance', facts: {}, files: [file] });
    const row = evaluation.results.find((x) => x.id === 'CD-A06')!;
    expect(row.status).toBe('needs_confirmation');
    expect(row.message).toContain('材料/建设项目报告.pdf');
    expect(row.message).toContain('可能是竣工报告');
    expect(row.evidence.map((e) => e.path)).toEqual(['材料/建设项目报告.pdf']);
    // Without the unsure file the same row is missing.
    const without = evaluatePresenceDetailed({ checklist: loadChecklist('changde'), stage: 'acceptance', facts: {}, files: [] });
    expect(without.results.find((x) => x.id === 'CD-A06')!.status).toBe('missing');
  });

  it('lists the file under 需人工确认的文件 with 可能是 and its 把握度 in both report renderings', async () => {
    const report = await checkOneFile('材料一.txt', '某县智慧社区平台建设项目报告\n一、建设进度\n二、竣工\n');
    const file = report.files.find((f) => f.path.endsWith('材料一.txt'))!;
    expect(file.grade).toBe('poor');
    expect(file.candidates?.[0]).toMatchObject({ id: 'completion_report', name: '竣工报告' });
    expect(report.requirements.find((r) => r.id === 'CD-A06')!.status).toBe('needs_confirmation');
    const md = renderMarkdown(report);
    expect(md).toContain('## 需人工确认的文件（1）');
    expect(md).toMatch(/材料一\.txt：可能是：竣工报告（把握度 0\.\d\d）/);
    const html = renderHtml(report);
    expect(html).toContain('需人工确认的文件（1）');
    expect(html).toContain('可能是：竣工报告（把握度');
  });
});

describe('when a title wraps the document in the forms real titles take (letters that send it, standards, editions, textbook names)', () => {
  it('leaves a letter that sends a document unsure, with that document as the candidate, while an application sent by letter stays the application', () => {
    for (const [title, sent] of [
      ['关于报送某市智慧交通项目可行性研究报告的函', 'feasibility_report'],
      ['关于上报某县政务云平台项目建议书的请示', 'project_proposal'],
      ['关于呈报某局数据中心升级改造初步设计方案的报告', 'preliminary_design'],
    ] as const) {
      const r = classify('x.pdf', title);
      expect(r.unsure, title).toBe(true);
      expect(r.candidates[0]!.id, title).toBe(sent);
      expect(r.candidates[0]!.evidence.note, title).toContain('报送');
    }
    // The letter is the application when what it sends is an application.
    expect(top(classify('x.pdf', '某局关于报送某项目验收申请的函'))).toBe('acceptance_application');
    expect(top(classify('x.pdf', '关于报送某项目竣工验收申请报告的函'))).toBe('acceptance_application');
    // Without a sending verb the title is read by its own head: an approval of the report, not a letter sending it.
    expect(top(classify('x.pdf', '关于某市智慧交通项目可行性研究报告的批复'))).toBe('feasibility_approval');
  });

  it('reads a standard that specifies one of our documents as none of them, but not a bare code above a title', () => {
    for (const title of ['GB/T 9999—2030 信息技术 数据共享接口规范', 'DB99/T 1234-2031 政务数据服务接口规范', '某省政务服务规范 第3部分:统一身份认证接口规范']) {
      expect(top(classify('x.pdf', title)), title).toBe('other_material');
    }
    expect(top(classify('x.pdf', 'GB/T 8567-2006', '某系统软件需求规格说明书'))).toBe('requirements_analysis');
  });

  it('reads past an edition, a version, a file-name underscore and book-title marks', () => {
    const cases: Array<[string, string]> = [
      ['某平台项目-技术方案-B版', 'technical_plan'],
      ['某系统项目实施方案-Word版', 'implementation_plan'],
      ['某平台接口规范文档V2.1b', 'interface_spec'],
      ['某系统项目管理计划书_第三组_某某', 'project_plan'],
      ['《某市政务云运维服务合同》GF2099', 'om_agreement'],
    ];
    for (const [title, type] of cases) expect(top(classify('x.pdf', title)), title).toBe(type);
  });

  it('reads the software-engineering names of the GB/T 8567 set and their textbook synonyms', () => {
    const cases: Array<[string, string]> = [
      ['某系统测试结果报告', 'test_report'],
      ['某平台压测报告', 'test_report'],
      ['某系统软件需求规约', 'requirements_analysis'],
      ['某平台接口规约', 'interface_spec'],
      ['某系统软件架构文档', 'preliminary_design'],
      ['某平台总体设计', 'preliminary_design'],
      ['某系统开发完成报告', 'completion_report'],
      ['某平台项目交付总结', 'completion_report'],
      ['某项目可行性研究报告文本', 'feasibility_report'],
      ['某系统代码清单', 'source_code'],
    ];
    for (const [title, type] of cases) expect(top(classify('x.pdf', title)), title).toBe(type);
    // A list of registration codes is no program code, whatever else it may be.
    const codes = classify('x.pdf', '某单位统一社会信用代码清单');
    expect([...codes.docTypes, ...codes.candidates].map((t) => t.id)).not.toContain('source_code');
  });

  it('keeps a title out of a type whose exclusion fires even when a modifier further from the head names another', () => {
    // 改革 excludes the implementation plan; 建设, further from 方案, must not make it a construction plan.
    expect(top(classify('x.pdf', '某市投资项目审批制度改革实施方案'))).not.toBe('construction_plan');
    expect(top(classify('x.pdf', '某局信息化项目建设整改工作方案'))).toBe('other_material');
    expect(top(classify('x.pdf', '某单位网络安全工作机制建设方案'))).not.toBe('construction_plan');
    // An exclusion that is another type's modifier hands the title over: 推迟 + 验收申请 is an extension.
    expect(top(classify('x.pdf', '某平台推迟验收申请报告'))).toBe('extension_application');
  });

  it('reads a head-first title followed by the name of the system, and a document joined to an untyped appendage', () => {
    const first = classify('x.pdf', '项目建议书某县智慧农业监管平台');
    expect(top(first)).toBe('project_proposal');
    expect(first.docTypes[0]!.evidence.note).toContain('开头');
    expect(top(classify('x.pdf', '项目计划书某市政务服务数据采集系统'))).toBe('project_plan');
    // A head-first term followed by another noun is not read as the term's type.
    expect(top(classify('x.pdf', '可行性研究报告评审会'))).not.toBe('feasibility_report');
    expect(top(classify('x.pdf', '某工程监理月报及工程动态表'))).toBe('supervision_report');
  });

  it('reads past a document site\'s sample collections and reads cost estimates and bare interfaces by their heads', () => {
    const cases: Array<[string, string]> = [
      ['某工程委托监理的合同示范文本5篇', 'supervision_contract'],
      ['某系统监理合同范文合集七篇', 'supervision_contract'],
      ['某单位信息系统安全检查整改报告范文集', 'rectification_report'],
      ['某平台 API 成本测算', 'budget_estimate'],
      ['某系统开发成本核算明细表', 'budget_estimate'],
      ['某平台所需接口', 'interface_spec'],
    ];
    for (const [title, type] of cases) expect(top(classify('x.pdf', title)), title).toBe(type);
    // 费用 alone does not make a cost table: a change's cost approval form is the change's approval.
    expect(top(classify('x.pdf', '某系统设计变更费用审批表'))).toBe('change_approval');
  });

  it('leaves a bare 测评报告 unsure between a lab\'s evaluation and an 等级保护 evaluation, unless a modifier or the body decides', () => {
    const bare = classify('x.pdf', '某市供电公司调度自动化系统测评报告');
    expect(bare.unsure).toBe(true);
    expect(bare.candidates.map((c) => c.id).sort()).toEqual(['mlps_evaluation_report', 'third_party_test_report']);
    expect(bare.candidates[0]!.evidence.note).toContain('等级保护');
    expect(top(classify('x.pdf', '某平台软件测评报告'))).toBe('third_party_test_report');
    expect(top(classify('x.pdf', '某系统网络安全等级保护测评报告'))).toBe('mlps_evaluation_report');
    const byBody = classify('x.pdf', '某系统测评报告\n测评机构：某测评中心\n委托单位：某局\n测评结论：通过\n检测依据：GB/T 25000.51');
    expect(top(byBody)).toBe('third_party_test_report');
    expect(byBody.docTypes[0]!.evidence.note).toContain('按内容判定');
  });

  it('reads an article about a document as none of our types, and a modifier inside a system\'s name as part of the name', () => {
    for (const title of ['某软件文档系列之三如何撰写系统试运行报告', '【竣工决算审计】vs【结算审核】', '验收报告与初验报告的区别']) {
      expect(top(classify('x.pdf', title)), title).toBe('other_material');
    }
    // 测评 names what the system does; the document is its team's test report.
    expect(top(classify('x.pdf', '某测评系统测试报告'))).toBe('test_report');
    expect(top(classify('x.pdf', '某采购平台运维服务合同'))).toBe('om_agreement');
  });

  it('reads past an acronym after the title, keeps a land pre-review and a permit extension out of our types', () => {
    expect(top(classify('x.pdf', '某系统软件需求规格说明书SRS'))).toBe('requirements_analysis');
    expect(top(classify('x.pdf', '某平台产品需求文档 revised'))).toBe('requirements_analysis');
    expect(top(classify('x.pdf', '某项目竣工验收预审意见表'))).toBe('pre_acceptance_report');
    expect(top(classify('x.pdf', '某项目用地预审意见'))).not.toBe('pre_acceptance_report');
    expect(top(classify('x.pdf', '关于申请某工程施工许可证延期的报告'))).not.toBe('extension_application');
    expect(top(classify('x.pdf', '某区政务云项目投标文件技术标'))).toBe('procurement_documents');
    expect(top(classify('x.pdf', '某平台招标技术需求书'))).toBe('procurement_documents');
    expect(top(classify('x.pdf', '某管理系统需求书'))).toBe('requirements_analysis');
  });

  it('reads a news headline, a format guide, a textbook chapter and a standard with a division slash as none of our types', () => {
    for (const title of [
      '某市智慧法院项目一、二标段通过初步验收',
      '某县政务服务平台正式上线',
      '项目建议书的格式',
      '某项目施工总结范文:如何撰写一份实用的项目总结报告',
      '软件工程第3章软件开发成本估算',
      'DB99∕T 1234.4-2031 政府网站集约化平台 第4部分:接口规范',
    ]) {
      expect(top(classify('x.pdf', title)), title).toBe('other_material');
    }
  });

  it('reads a feasibility assessment as the study, an assessment of the report as not, and past a download page\'s words', () => {
    expect(top(classify('x.pdf', '某市智慧交通项目实施可行性评估'))).toBe('feasibility_report');
    expect(top(classify('x.pdf', '某平台建设可行性评估报告'))).toBe('feasibility_report');
    expect(top(classify('x.pdf', '某平台可行性研究报告评估报告'))).not.toBe('feasibility_report');
    expect(top(classify('x.pdf', '某系统需求规格说明书V10Word文件下载'))).toBe('requirements_analysis');
    expect(top(classify('x.pdf', '某区视频监控运维服务项目竞采公告(服务类)'))).toBe('procurement_documents');
    expect(top(classify('x.pdf', '某局网络维护合同汇总'))).toBe('om_agreement');
    expect(top(classify('x.pdf', '某系统运维外包协议范例'))).toBe('om_agreement');
  });

  it('reads a plan handed down as a document, a change control form, and keeps a performance evaluation out of the fiscal review', () => {
    expect(top(classify('x.pdf', '某市年度投资计划下达文件'))).toBe('annual_plan_notice');
    expect(top(classify('x.pdf', '某平台项目变更控制表'))).toBe('change_approval');
    expect(top(classify('x.pdf', '某区财政支出项目事前绩效评估报告'))).not.toBe('fiscal_review_opinion');
  });

  it('keeps an effect evaluation, a government\'s final accounts and a framework plan out of our types, and reads procurement projects', () => {
    expect(top(classify('x.pdf', '某市智慧城市项目实施效果评估报告'))).not.toBe('completion_report');
    expect(top(classify('x.pdf', '某县财政决算审计报告'))).not.toBe('settlement_report');
    expect(top(classify('x.pdf', '某省智慧消防建设框架方案'))).toBe('other_material');
    expect(top(classify('x.pdf', '某区城市建设局2031年度环境监测政府采购项目'))).toBe('procurement_documents');
    expect(top(classify('x.pdf', '某平台招标项目需求及技术要求'))).toBe('procurement_documents');
    expect(top(classify('x.pdf', '某法院业务系统建设方案精选文档可编辑(DOC 17页)'))).toBe('construction_plan');
  });
});

describe('when the page yields no title and the file name must say what the file is', () => {
  const untitledBody = '第一章 概述\n本章说明项目的背景和总体情况。';
  const byName = (path: string) => classifier.classify({ path, readable: true, pages: [{ n: 1, text: untitledBody, source: 'text-layer' }] });
  const unreadable = (path: string) => classifier.classify({ path, readable: false, pages: [] }).nameDocTypes;

  it('reads the file name by the title grammar, past its place in the dossier, its enclosure number, its edition and a document number', () => {
    for (const [path, expected] of [
      ['05-某市城市管理平台竣工验收报告（终稿）.pdf', 'acceptance_report'],
      ['附件3：某区政务外网运维服务协议.docx', 'om_agreement'],
      ['3.2 某县不动产登记系统竞争性磋商文件.pdf', 'procurement_documents'],
      ['某发改〔2024〕47号关于某市数据中台项目可行性研究报告的批复.pdf', 'feasibility_approval'],
      ['关于某市数据中台项目初步设计的批复（某发改〔2024〕52号）.pdf', 'approval_document'],
      ['（二）某局协同办公系统监理总结报告.pdf', 'supervision_report'],
    ] as const) {
      const r = byName(path);
      expect(r.docTypes[0]?.id, path).toBe(expected);
      expect(r.docTypes[0]?.evidence.rule, path).toBe('file-name');
      expect(unreadable(path)[0], path).toBe(expected);
    }
  });

  it('keeps a file named after a guide, an article or a standard about one of our documents out of that type', () => {
    for (const path of ['某市数据平台可行性研究报告编制指南.pdf', '如何编写软件需求规格说明书.docx', 'DB99T 1234—2024 政务数据共享接口规范.pdf', 'DB99∕T 1235—2024 政务数据开放接口规范.pdf']) {
      expect(byName(path).docTypes[0]?.id, path).not.toBe('feasibility_report');
      expect(unreadable(path), path).toEqual([]);
    }
  });

  it('offers what the file name says as a candidate when the page\'s own title leaves the file unsure', () => {
    const r = classifier.classify({ path: 'dossier/05-某市智慧城管平台监理工作总结（终稿）.pdf', readable: true, pages: [{ n: 1, text: '某市智慧城管平台总结\n一、概述', source: 'text-layer' }] });
    expect(r.unsure).toBe(true);
    expect(r.candidates[0]).toMatchObject({ id: 'supervision_report', evidence: { rule: 'file-name' } });
  });

  it('reads an enclosure number before a title on the page itself', () => {
    const r = classify('scan.pdf', '附件2：某区政务外网运维服务协议\n甲方：某区大数据中心');
    expect(top(r)).toBe('om_agreement');
  });
});

describe('when a title carries what a dossier adds to it (list numbers, volumes, worded editions) or hands down a paper', () => {
  it('reads a numbered first line as the title only when it names one of our documents, and a little less surely', () => {
    const numbered = classify('scan.pdf', '7、某区政务云平台试运行记录表\n记录时间：2024年3月');
    expect(top(numbered)).toBe('trial_run_report');
    expect(numbered.docTypes[0]!.confidence).toBeLessThan(classify('scan.pdf', '某区政务云平台试运行记录表\n记录时间：2024年3月').docTypes[0]!.confidence);
    expect(top(classify('scan.pdf', '6.4某平台概要设计说明书'))).toBe('preliminary_design');
    // A numbered section heading naming nothing of ours does not stand in for the title.
    expect(top(classify('scan.pdf', '1. 项目概述\n本项目建设内容包括……'))).not.toBe('preliminary_design');
  });

  it('reads a notice that hands down a plan as the plan, a notice that issues a rule as none, and a policy plan issued by notice as none', () => {
    expect(top(classify('scan.pdf', '某市人民政府办公室关于印发2025年某市市本级政府投资项目计划的通知'))).toBe('annual_plan_notice');
    expect(top(classify('scan.pdf', '某省发展改革委关于印发《某省政府投资项目计划管理办法》的通知'))).toBe('other_material');
    expect(top(classify('scan.pdf', '某市人民政府关于印发《某市数字政府建设实施方案》的通知'))).not.toBe('implementation_plan');
  });

  it('reads past a volume, a worded edition and a plus sign, and reads 结项, 维修 and 代维 and a trial run\'s 评价意见 by the grammar', () => {
    for (const [title, expected] of [
      ['某市数据中台项目合同-上册', 'contract'],
      ['某县政务外网项目初步验收报告2.0-盖章编码版', 'preliminary_acceptance_report'],
      ['某局协同办公系统项目技术协议+某某科技有限公司', 'contract'],
      ['某市医保平台项目结项报告', 'completion_report'],
      ['某中心机房设备维修服务合同', 'om_agreement'],
      ['某局服务器代维协议', 'om_agreement'],
      ['某区政务云平台试运行评价意见', 'trial_run_report'],
      ['某区政务服务系统变更申请报告', 'change_approval'],
    ] as const) {
      expect(top(classify('scan.pdf', title)), title).toBe(expected);
    }
  });

  it('keeps a year\'s work summary, a department\'s published final accounts and a question about contracts out of our types', () => {
    for (const title of ['某局2024年年度工作总结', '某局2023年部门决算公开报告', '中标通知书发出后多少天内签订合同', '软件测评报告需要提交哪些材料?']) {
      // Unsure or not, the file stays the catch-all: it satisfies no row.
      expect(classify('scan.pdf', title).docTypes[0]!.id, title).toBe('other_material');
    }
  });
});

describe('when a cover sets the project\'s name above the document\'s own name', () => {
  it('reads the two lines together where the lower alone decides nothing, and lets the document\'s name below decide over a name that reads as a document', () => {
    // "总结（建设单位）" alone has no deciding word; with the project's name above it, it is the project's summary.
    expect(top(classify('scan.pdf', '某市智慧党建管理平台项目\n总结（建设单位）\n某某科技有限公司'))).toBe('completion_report');
    // "技术服务合同书" decides by itself: the project's name does not turn it into a maintenance agreement.
    expect(top(classify('scan.pdf', '某市信息系统运行维护服务项目\n技术服务合同书\n某某科技有限公司'))).toBe('contract');
    expect(top(classify('scan.pdf', '某市智慧城管平台\n建设项目\n可行性研究报告\n某某咨询有限公司'))).toBe('feasibility_report');
    // "…政府采购项目" alone reads as a procurement record; the document's name below it is what the file is.
    expect(top(classify('scan.pdf', '某县政务服务中心政府采购项目\n项目建设单位：某县政务服务中心\n竣工验收报告'))).toBe('acceptance_report');
    // A document's own name with its edition in brackets is no project's name: an enclosure named below it does not decide.
    expect(top(classify('scan.pdf', '某市政务平台竣工验收报告（终稿）\n附件：测试报告\n某某科技有限公司'))).toBe('acceptance_report');
    expect(top(classify('scan.pdf', '某市智慧城管平台（一期）\n系统试运行总结报告'))).toBe('trial_run_report');
    // With no document's name below, the name line keeps its reading.
    expect(top(classify('scan.pdf', '某县政务服务中心政府采购项目\n一、项目基本情况\n采购人：某县政务服务中心'))).toBe('procurement_documents');
  });

  it('keeps policy plans, market studies and acceptance plans out of the plan types', () => {
    expectNoneOfOurs(['某州促进数字经济发展实施方案', '2025年某市中国信创行业市场需求分析及投资前景趋势报告', '某县视频监控联网应用项目竣工验收方案']);
  });
});

describe('when a first page could be read several ways (review of the cover, list-number and file-name readings)', () => {
  it('takes the document\'s name below a project\'s name whole, with its own wrapped ending', () => {
    expect(top(classify('scan.pdf', '某市政务云平台项目\n可行性研究报告\n的批复\n某局：'))).toBe('feasibility_approval');
    expect(top(classify('scan.pdf', '某市政务云平台项目\n可行性研究报告\n评审意见'))).toBe('technical_review_opinion');
    expect(top(classify('scan.pdf', '某市政务云平台项目\n初步设计方案及概算\n的批复'))).toBe('approval_document');
  });

  it('keeps a title that ends in a phase or a lot, and a contract whose project\'s name mentions maintenance', () => {
    expect(top(classify('scan.pdf', '某市政务云平台项目竣工验收意见（一期）\n经验收组审阅了竣工报告'))).toBe('acceptance_report');
    expect(top(classify('scan.pdf', '某市政务云平台项目采购合同（第一包）\n甲方：某局\n乙方：某公司\n项目监理报告和验收报告由乙方提供'))).toBe('contract');
    expect(top(classify('scan.pdf', '软件测试报告——某市不动产登记系统\n委托单位：某局\n测试依据：需求规格说明书'))).toBe('test_report');
    expect(top(classify('scan.pdf', '某市公共设施维护管理平台项目\n软件开发合同书'))).toBe('contract');
  });

  it('reads no article into OCR\'s question mark, a form\'s row label or a system named for writing', () => {
    const ocr = classifier.classify({ path: 'scan.pdf', readable: true, pages: [{ n: 1, text: '关于某市政务云平台项目初步设计?案的批复', source: 'ocr' }] });
    expect(ocr.docTypes[0]!.id).toBe('approval_document');
    expect(top(classify('scan.pdf', '某市政务信息化项目竣工验收申请表\n是否通过初验\n是'))).toBe('acceptance_application');
    expect(top(classify('scan.pdf', '某市公文协同写作平台项目可行性研究报告'))).toBe('feasibility_report');
    // A question in a text layer is still an article; a slogan for a subtitle leaves the file unsure, never typed.
    expect(classify('scan.pdf', '软件测评报告需要提交哪些材料?(附清单)').docTypes[0]!.id).toBe('other_material');
    const slogan = classify('scan.pdf', '第三方测评报告:确保项目成功交付的关键环节');
    expect(slogan.unsure).toBe(true);
    expect(slogan.candidates.map((c) => c.id)).toContain('third_party_test_report');
  });

  it('takes no title from a page that lists documents or opens with a section number', () => {
    for (const text of ['1.项目建议书……1\n2.可行性研究报告……5\n3.初步设计方案……20', '1.某项目竣工报告\n2.某项目监理报告', '（二）竣工验收报告\n本项目于2024年完成']) {
      expect(classify('scan.pdf', text).docTypes[0]!.id, text).toBe('other_material');
    }
  });

  it('lets a partial file name say what an unreadable file would have been, and leaves a scan with no title unsure by it', () => {
    expect(classifier.classify({ path: '某项目合同签字页.pdf', readable: false, pages: [] }).nameDocTypes).toEqual(['contract']);
    expect(classifier.classify({ path: '某项目竣工验收报告及附件.pdf', readable: false, pages: [] }).nameDocTypes).toEqual(['acceptance_report']);
    const scan = classifier.classify({ path: '某项目合同签字页.pdf', readable: true, pages: [{ n: 1, text: '第一章 概述\n本章说明项目背景。', source: 'ocr' }] });
    expect(scan.unsure).toBe(true);
    expect(scan.candidates[0]!.id).toBe('contract');
  });
});


describe('when a first page sets the title below a page header, wraps it, or names a contract and an approval in new ways', () => {
  const ids = (r: ReturnType<typeof classify>) => r.docTypes.map((d) => d.id);

  it('reads the line below an issuer\'s name or a document number as the first line: numbered titles and articles alike', () => {
    // A numbered title only below a formal header (an enclosure label, a document number, a letterhead); an article
    // below the issuer's name as well.
    expect(top(classify('scan.pdf', '附件2\n9、初步验收意见'))).toBe('preliminary_acceptance_report');
    expect(top(classify('scan.pdf', '某发改投〔2024〕47号\n6、试运行记录表'))).toBe('trial_run_report');
    expect(top(classify('scan.pdf', '某某市政务服务数据管理局\n如何撰写系统试运行报告'))).toBe('other_material');
    // A title line above keeps its place: the numbered line below it is a section.
    expect(top(classify('scan.pdf', '某市智慧城管平台项目可行性研究报告\n1、项目概况'))).toBe('feasibility_report');
  });

  it('reads a numbered title above the body\'s own sections, but still takes none from a numbered list', () => {
    expect(top(classify('scan.pdf', '6、试运行记录表\n一、系统概况\n系统于2024年3月上线试运行。'))).toBe('trial_run_report');
    expect(classify('scan.pdf', '1、某项目竣工报告\n2、某项目监理报告').docTypes[0]!.id).toBe('other_material');
  });

  it('reads a long title wrapped anywhere as a whole, but not a guide\'s part, a page number or a cover\'s name line', () => {
    expect(top(classify('scan.pdf', '汕头市第四人民医院医疗设备市\n场调研公告（含电子胃肠镜）\n某某医院\n二〇二五年三月'))).toBe('procurement_documents');
    expect(top(classify('scan.pdf', '某市发展和改革委员会关于某市智慧城管平\n台建设项目可行性研究报告的批\n复'))).toBe('feasibility_approval');
    expect(classify('scan.pdf', '信息化项目可行性研究报告编\n制指南').docTypes[0]!.id).toBe('other_material');
    expect(classify('scan.pdf', '深圳市政府投资信息化工程建设项目初步设计及概算编制指南\n\n第 1 页 共 20 页').docTypes[0]!.id).toBe('other_material');
    expect(top(classify('scan.pdf', '某市公共设施维护管理平台项目\n软件开发合同书'))).toBe('contract');
  });

  it('reads a contract to build and maintain as both papers, and the work nearest the head as what a contract commissions', () => {
    expect(ids(classify('scan.pdf', '某学校信息化平台建设与维护承包合同'))).toEqual(['contract', 'om_agreement']);
    expect(ids(classify('scan.pdf', '某市政务云平台建设及运维服务合同'))).toEqual(expect.arrayContaining(['contract', 'om_agreement']));
    expect(ids(classify('scan.pdf', '某市公共设施维护管理平台项目软件开发合同书'))).toEqual(['contract']);
    expect(ids(classify('scan.pdf', '某平台维保技术服务合同'))).toEqual(['om_agreement']);
    // Not for plans: an 等保 建设方案 is still the security plan.
    expect(top(classify('scan.pdf', '某系统等级保护三级建设方案'))).toBe('security_plan');
  });

  it('reads an approval that adjusts an approved paper, and a letter applying for that, as a change', () => {
    expect(top(classify('scan.pdf', '关于调整某某人民医院建设项目可行性研究报告的批复'))).toBe('change_approval');
    expect(top(classify('scan.pdf', '某区发展和改革委员会关于同意调整某中学新建项目总投资概算的批复'))).toBe('change_approval');
    expect(top(classify('scan.pdf', '关于申请变更某示范园三期建设项目初步设计批复的函'))).toBe('change_approval');
    expect(top(classify('scan.pdf', '关于某市政务云平台建设项目可行性研究报告的批复'))).toBe('feasibility_approval');
  });

  it('reads English initials and unbracketed editions in vendors\' file names, and 投标须知 as procurement', () => {
    expect(top(classify('scan.pdf', 'AI课程教辅系统_SRS_V1.0_Baseline'))).toBe('requirements_analysis');
    expect(top(classify('scan.pdf', 'TEST_EXECUTION_REPORT'))).toBe('test_report');
    expect(top(classify('scan.pdf', '某市智慧城管平台可行性研究报告终稿'))).toBe('feasibility_report');
    // Initials are words of their own: "users" carries no "srs".
    expect(classify('scan.pdf', 'users guide').docTypes[0]!.id).toBe('other_material');
    expect(top(classify('scan.pdf', '某县网站运维服务采购项目投标须知'))).toBe('procurement_documents');
  });

  it('keeps a notice that launches work from being a plan handed down', () => {
    expect(classify('scan.pdf', '关于启动2026年度项目库建设工作的通知').docTypes[0]!.id).toBe('other_material');
    expect(top(classify('scan.pdf', '关于下达2024年度政务信息化建设项目计划的通知'))).toBe('annual_plan_notice');
  });
});

describe('when the fourth session\'s readings meet pages they were not meant for (review of header, wrap, contract and change readings)', () => {
  it('keeps a title whose line below ends in a guide\'s or a drawing\'s word: 附图, 填报说明, 投标人须知, 验收程序', () => {
    expect(top(classify('scan.pdf', '某某市政务云平台建设项目竣工验收报告\n附图\n一、项目概况'))).toBe('acceptance_report');
    expect(top(classify('scan.pdf', '某某市政务云平台建设方案\n网络拓扑图\n一、建设背景'))).toBe('construction_plan');
    expect(top(classify('scan.pdf', '政府投资信息化项目立项申请表\n填报说明\n1.本表由项目建设单位填写。'))).toBe('application_form');
    expect(top(classify('scan.pdf', '某某市智慧城管平台建设项目招标文件\n投标人须知'))).toBe('procurement_documents');
  });

  it('lets a cover\'s name line not carry its words into the document\'s own name below (整改, 试运行, 运维 in the name)', () => {
    expect(top(classify('scan.pdf', '某某市政务信息系统网络安全等级保护整改建设\n项目竣工验收报告\n建设单位：某某市大数据局\n2024年12月'))).toBe('acceptance_report');
    expect(top(classify('scan.pdf', '某某市一网统管城市运行监测试运行优化提升\n项目竣工验收报告'))).toBe('acceptance_report');
    expect(top(classify('scan.pdf', '某某市医保信息系统运维能力升级改造\n政府采购项目合同书\n甲方：某局'))).toBe('contract');
  });

  it('reads 调整 and 变更 as the approval\'s verb only, not inside a system\'s name', () => {
    expect(top(classify('scan.pdf', '关于某某市产业结构调整监测平台项目可行性研究报告的批复'))).toBe('feasibility_approval');
    expect(top(classify('scan.pdf', '关于某某市不动产变更登记系统项目可行性研究报告的批复'))).toBe('feasibility_approval');
    expect(top(classify('scan.pdf', '关于某某市医保支付方式调整配套信息系统建设项目立项的批复'))).toBe('approval_document');
    expect(top(classify('scan.pdf', '关于某项目可行性研究报告调整的批复'))).toBe('change_approval');
    expect(top(classify('scan.pdf', '某市不动产变更登记系统需求规格说明书'))).toBe('requirements_analysis');
    expect(top(classify('scan.pdf', '4.2.2 需求变更控制报告'))).toBe('change_approval');
  });

  it('keeps a maintenance contract carried out by a project (实施) a maintenance agreement, and item-level and bid-evaluation forms unsure', () => {
    expect(top(classify('scan.pdf', '某某市电子政务外网运维服务项目实施合同'))).toBe('om_agreement');
    expect(classify('scan.pdf', '某某项目设备到货验收表').unsure).toBe(true);
    expect(top(classify('scan.pdf', '某某项目竞争性磋商供应商资格性评审表'))).not.toBe('technical_review_opinion');
    // Bid evaluation is told by its phrases, so a system named for suppliers keeps its review opinion.
    expect(top(classify('scan.pdf', '某市供应商管理系统需求评审意见'))).toBe('technical_review_opinion');
  });

  it('takes no numbered title from a list with items below, nor from a body page under a unit\'s running header', () => {
    expect(top(classify('scan.pdf', '1.项目建议书\n（1）项目建议书批复\n2.可行性研究报告'))).not.toBe('project_proposal');
    expect(top(classify('scan.pdf', '某某市政务服务数据管理局\n1.项目基本情况\n某某项目由我局负责建设…\n2.建设内容'))).not.toBe('project_summary');
    expect(top(classify('scan.pdf', '某某县人民政府办公室\n4.初步设计\n根据批复，…'))).not.toBe('preliminary_design');
  });

  it('stops an issuer\'s open 公文 title at the unit and date lines, and reads English initials after the Chinese title', () => {
    expect(top(classify('scan.pdf', '某某市大数据局关于某某平台\n建设实施方案\n某某市大数据局\n2024年3月'))).toBe('implementation_plan');
    expect(top(classify('scan.pdf', '某某系统架构评审表(SAD)'))).not.toBe('preliminary_design');
    expect(classify('scan.pdf', 'SRS\n某某市公积金管理系统用户手册').docTypes[0]!.id).toBe('other_material');
    expect(top(classify('scan.pdf', 'Software Requirements Specification (SRS)\n某某系统需求评审意见'))).toBe('technical_review_opinion');
    // A line of Latin letters above counts as a page header: an article below it is still an article.
    expect(classify('scan.pdf', 'Software Testing\n如何撰写软件测试报告').docTypes[0]!.id).toBe('other_material');
  });
});

describe('when a dossier numbers a short title, a title with a colon, or a standard, or wraps a guide\'s name', () => {
  it('reads "5、合同" and "3、自查报告：某某系统" as the line without its number would be read', () => {
    expect(top(classify('scan.pdf', '5、合同\n甲方：某某市大数据局\n乙方：某某科技有限公司'))).toBe('contract');
    expect(top(classify('scan.pdf', '3、自查报告：某某政务服务平台'))).toBe('self_inspection_report');
  });

  it('keeps a numbered standard a standard, not the document its part names', () => {
    expect(classify('scan.pdf', '5、深圳市电子政务应用服务规范 第9部分:电子表单服务接口规范').docTypes[0]!.id).toBe('other_material');
  });

  it('reads past a file\'s extension shown on a page and a document number\'s brackets inside a remark', () => {
    expect(top(classify('scan.pdf', '某市社会保障信息系统工程项目可行性研究报告 (3).doc'))).toBe('feasibility_report');
    expect(top(classify('scan.pdf', '关于某区域人工影响天气能力建设项目可行性研究报告的批复(发改农经[2017]118号)'))).toBe('feasibility_approval');
  });

  it('reads a guide whose name wrapped after a document\'s name as the guide, and a drawing below a report as a part of it', () => {
    expect(classify('scan.pdf', '电子政务工程建设项目需求分析报告\n编制指南').docTypes[0]!.id).toBe('other_material');
    expect(top(classify('scan.pdf', '某某市政务云平台建设项目竣工验收报告\n附图\n一、项目概况'))).toBe('acceptance_report');
  });
});

describe('when a first page sets its title over a table of contents, under a cover\'s control labels, or names a copy', () => {
  it('reads a title above a table of contents or a section\'s heading as the title alone', () => {
    expect(top(classify('scan.pdf', '某市政务云平台项目可行性分析(研究)报告\n目 录\n1 概述 ........ 1\n2 建设内容 ........ 3'))).toBe('feasibility_report');
    expect(top(classify('scan.pdf', '测试分析报告\n目录\n第一章 引言\n第二章 测试结果'))).toBe('test_report');
    expect(top(classify('scan.pdf', '某某系统软件需求规格说明书\n1 概述\n本文档说明系统的功能需求。'))).toBe('requirements_analysis');
  });

  it('reads a title below a cover\'s document number and secrecy label as below a page header: numbered titles and articles alike', () => {
    expect(top(classify('scan.pdf', '文档编号：ZH-2024-017\n密级：内部\n6.4平台概要设计说明书'))).toBe('preliminary_design');
    expect(top(classify('scan.pdf', '版本号：V1.0\n7、验收结论\n经验收组评议，同意通过验收。'))).toBe('acceptance_report');
    expect(classify('scan.pdf', '文档编号：ZH-2024-017\n密级：内部\n如何确保移交源码齐全').docTypes[0]!.id).toBe('other_material');
  });

  it('reads what a bracket says the document holds (含附件), a copy\'s word after a separator and a version before an edition', () => {
    expect(top(classify('scan.pdf', '某市数据共享平台项目合同（含技术附件）'))).toBe('contract');
    expect(top(classify('scan.pdf', '某县智慧党建平台项目可行性研究报告（含附件）'))).toBe('feasibility_report');
    expect(top(classify('scan.pdf', '某某系统测试分析报告_扫描件'))).toBe('test_report');
    expect(top(classify('scan.pdf', '软件需求规约v2 副本'))).toBe('requirements_analysis');
    expect(top(classify('scan.pdf', '软件架构文档v2终稿'))).toBe('preliminary_design');
  });

  it('reads a title quoted whole in book-title marks, and a markdown file\'s name shown on a page', () => {
    expect(top(classify('scan.pdf', '《服务协议(网站维护)2025年》'))).toBe('om_agreement');
    expect(classify('scan.pdf', '《关于报批某市智慧环保(二期)项目可行性研究报告的请示》').docTypes[0]!.id).toBe('other_material');
    expect(top(classify('scan.pdf', '项目开发总结报告.md'))).toBe('completion_report');
    expect(top(classify('scan.pdf', '学校收费管理系统需求文档.md'))).toBe('requirements_analysis');
  });

  it('keeps a standard coded with a hyphen, news that a paper was approved, programmes and a government\'s special work report out of our types', () => {
    expectNoneOfOurs([
      'DB14-T 2831-2023 商务诚信公共服务平台信息交换接口规范',
      '某某水库工程可行性研究报告获国家发改委批复',
      '“十四五”期间推进智慧水利建设实施方案',
      '某市数字政府建设“十四五”行动方案',
      '某市推进养老服务发展的实施方案',
      '某镇居家养老服务试点实施方案',
      '某市人民政府关于公安机关信息化建设情况的专项工作报告',
    ]);
  });
});

describe('when a page sets digits full-width, prints its number above the title, or a cover page carries only 正本', () => {
  it('reads full-width digits and letters as their ASCII forms: a numbered title, a version', () => {
    expect(top(classify('scan.pdf', '６.４平台概要设计说明书'))).toBe('preliminary_design');
    expect(top(classify('scan.pdf', 'ＸＸ平台需求规格说明书Ｖ１.０'))).toBe('requirements_analysis');
  });

  it('reads the line below the first page\'s number as the first line, but a numbered line there as a body page\'s section', () => {
    expect(top(classify('scan.pdf', '- 1 -\n某某系统测试报告'))).toBe('test_report');
    expect(classify('scan.pdf', '第1页共20页\n技术服务合同属于什么合同类型').docTypes[0]!.id).toBe('other_material');
    expect(top(classify('某市政务云项目可行性研究报告.pdf', '第1页共30页\n1.建设方案\n本项目建设内容包括门户和数据交换。'))).not.toBe('construction_plan');
    expect(top(classify('scan.pdf', '- 3 -\n1.项目基本情况\n2.建设内容'))).not.toBe('project_summary');
  });

  it('reads the next page\'s first line as the first line when the cover carries only 正本 or nothing, but not its numbered section', () => {
    expect(top(classify('scan.pdf', '正本', '某某平台需求规格说明书\n某某科技有限公司'))).toBe('requirements_analysis');
    expect(classify('scan.pdf', '', '中标通知书多少天签合同').docTypes[0]!.id).toBe('other_material');
    expect(top(classify('某市政务云项目初步设计.pdf', '', '1、实施方案\n本项目分三个阶段实施。'))).not.toBe('implementation_plan');
  });
});

describe('when a plan is an administration\'s policy, a summary an organisation\'s year, or a word names a neighbour\'s paper', () => {
  it('keeps a plan opened by a place or an administration that builds nothing, and a plan for a span of years, out of the plan types', () => {
    expectNoneOfOurs(['某市公共数据资源授权运营实施方案', '民政局下乡实施方案', '某省智慧交通建设方案(2021-2023年)', '2018年—2020年环境信息化建设方案']);
    expect(top(classify('scan.pdf', '某市统一电子政务平台建设实施方案'))).toBe('implementation_plan');
    expect(top(classify('scan.pdf', '某市2025-2026年数字政府网络安全运营服务项目投标方案'))).toBe('procurement_documents');
  });

  it('reads a project\'s 工作总结 as its completion report, not an organisation\'s', () => {
    expect(top(classify('scan.pdf', '某某项目工作总结'))).toBe('completion_report');
    expect(classify('scan.pdf', '村级综合服务中心工作总结').docTypes[0]!.id).not.toBe('completion_report');
  });

  it('reads 检验报告 as a test lab\'s report, 升级协议 as a contract and 需求陈述书 as requirements', () => {
    expect(top(classify('scan.pdf', '视频安防监控系统检验报告'))).toBe('third_party_test_report');
    expect(top(classify('scan.pdf', '银行金融系统升级协议'))).toBe('contract');
    expect(top(classify('scan.pdf', '需求陈述书-某某智慧社区项目'))).toBe('requirements_analysis');
  });

  it('reads a tender for a project named for 备案 as procurement, and keeps disclosures, sponsors\' opinions and unpacking records out', () => {
    expect(top(classify('scan.pdf', '某保险公司2023年网络安全等级保护测评备案项目招标文件招标公告'))).toBe('procurement_documents');
    expectNoneOfOurs(['关于全资子公司重大项目进展暨中标候选公示的提示性公告', '某证券股份有限公司关于某科技股份有限公司部分募投项目变更的核查意见', '7、设备开箱验收记录']);
  });
});

describe('when a form or a two-column cover sets the title in a row with other things', () => {
  it('reads the title before a date or a page number set far to its right, and after a form\'s label for the document\'s name', () => {
    expect(top(classify('scan.pdf', '合同        2024年5月'))).toBe('contract');
    expect(top(classify('scan.pdf', '7.1_项目建设总结        二〇二四年五月'))).toBe('completion_report');
    expect(top(classify('scan.pdf', '文件名称：某某市政务云平台项目可行性研究报告\n编制单位：某某咨询公司'))).toBe('feasibility_report');
  });

  it('reads a form\'s first cell as a title with its own parts, but no bare head in a short cell over the title below', () => {
    expect(top(classify('scan.pdf', '自查报告：某某政务服务平台 | 填报日期：2024年5月 | 编号：001'))).toBe('self_inspection_report');
    expect(top(classify('scan.pdf', '批复 | 某发改〔2024〕12号\n关于某项目可行性研究报告的批复'))).toBe('feasibility_approval');
    expect(top(classify('scan.pdf', '某某市数据局关于某项目的说明\n合同 | 有 | 第3页'))).not.toBe('contract');
  });

  it('takes a unit\'s name as whole, not as a title wrapped onto the short title below, and no 公文 opening as a unit', () => {
    expect(top(classify('scan.pdf', '某某市政务服务数据管理局\n实施方案\n一、项目概况'))).toBe('implementation_plan');
    expect(classify('scan.pdf', '关于转发市政务服务中心管理办公室\n《某市政府大数据中心建设方案》\n的通知').docTypes[0]!.id).toBe('other_material');
  });
});

describe('when the fifth session\'s readings meet pages they were not meant for (review of policy, period, remark and split readings)', () => {
  it('keeps a bureau\'s project plan, a plan for a platform\'s years and a 十四五 project a plan', () => {
    expect(top(classify('scan.pdf', '某县公安局视频监控联网实施方案\n某某科技有限公司\n二〇二四年五月'))).toBe('implementation_plan');
    expect(top(classify('scan.pdf', '智慧社区建设实施方案'))).toBe('implementation_plan');
    expect(top(classify('scan.pdf', '某市政务云平台建设方案(2022-2024年)'))).toBe('construction_plan');
    expect(top(classify('scan.pdf', '某市“十四五”电子政务项目建设方案'))).toBe('construction_plan');
    expect(top(classify('scan.pdf', '某市大数据局网络安全等级保护整改建设方案（2024-2025年)'))).toBe('security_plan');
    expectNoneOfOurs(['“十四五”期间推进智慧水利建设实施方案', '某市推动制造业高质量发展实施方案', '某县“互联网+党建”先锋行动实施方案']);
  });

  it('splits a dated monthly report at its dash, and reads a reference cue inside a trailing bracket as a reference', () => {
    expect(top(classify('scan.pdf', '某市政务云项目监理月报—2024年5月'))).toBe('supervision_report');
    expect(top(classify('scan.pdf', '本项目已于2024年5月完成竣工验收（依据竣工验收报告）'))).not.toBe('acceptance_report');
  });

  it('keeps a project named for its delivery an acceptance, and an equipment intake check no lab\'s report', () => {
    expect(top(classify('scan.pdf', '某市政务云服务器到货安装项目验收报告'))).toBe('acceptance_report');
    expect(top(classify('scan.pdf', '某市政务云设备进场检验报告'))).not.toBe('third_party_test_report');
    expect(top(classify('scan.pdf', '某市电子政务外网升级改造工作总结'))).toBe('completion_report');
  });

  it('reads an approval that adjusts a project\'s contents, and a request to, as a change; a result list as none', () => {
    expect(top(classify('scan.pdf', '关于同意某工程调整项目建设内容的批复'))).toBe('change_approval');
    expect(top(classify('scan.pdf', '关于某生态旅游基础设施建设项目(一期)调整部分建设内容的请示'))).toBe('change_approval');
    expect(classify('scan.pdf', '2021年度某市科技研发平台验收结果公示名单').docTypes[0]!.id).toBe('other_material');
  });

  it('reads a template with its sample, a project\'s 立项申请单, a settlement audit\'s result notice and a single source\'s justification', () => {
    expect(top(classify('scan.pdf', '项目实施方案格式及范文'))).toBe('implementation_plan');
    expect(top(classify('scan.pdf', '项目立项申请单'))).toBe('application_form');
    expect(top(classify('scan.pdf', '某镇2018年高标准农田建设项目工程结算情况审计结果公告'))).toBe('settlement_report');
    expect(classify('scan.pdf', '某县2023年度财务收支审计结果公告').docTypes[0]!.id).toBe('other_material');
    expect(top(classify('scan.pdf', '关于某信息管理系统单一来源采购申请理由'))).toBe('procurement_documents');
  });
});

describe('when the fifth session\'s later readings meet everyday forms (second review: forms, covers, programmes)', () => {
  it('keeps payment, seal and access forms (申请单) and intake or delivery checks (验收表) unsure, not a project\'s papers', () => {
    for (const title of ['某项目付款申请单', '某项目合同用印申请单', '电子政务外网接入申请单', '材料进场验收表', '某项目到货及安装验收报告']) {
      expect(top(classify('scan.pdf', title)), title).toBe('unsure');
    }
  });

  it('reads a numbered title below 正本, 副本 or 封面, on its page or the next, but not below a blank cover', () => {
    expect(top(classify('scan.pdf', '正本\n2、某县政务外网项目初步设计方案\n某某设计院'))).toBe('preliminary_design');
    expect(top(classify('scan.pdf', '副本\n5、某系统采购合同'))).toBe('contract');
    expect(top(classify('scan.pdf', '正本', '3、某项目竣工验收报告'))).toBe('acceptance_report');
    expect(top(classify('某市政务云项目初步设计.pdf', '', '1、实施方案\n本项目分三个阶段实施。'))).not.toBe('implementation_plan');
  });

  it('keeps a platform for public data\'s operation a project, a project plan for its years a plan, and a party group\'s resolution its own', () => {
    expect(top(classify('scan.pdf', '某市公共数据授权运营平台建设项目实施方案'))).toBe('implementation_plan');
    expect(top(classify('scan.pdf', '某县电子政务外网升级改造实施方案（2024-2025年）'))).toBe('implementation_plan');
    expect(top(classify('scan.pdf', '某局党组审议通过某系统建设项目实施方案的决议'))).toBe('party_group_resolution');
  });
});

describe('when a cover wraps a long title whose first line alone names one of our documents', () => {
  it('lets the whole wrapped title decide: a guide, a letter that sends a paper, or another of our documents', () => {
    expect(classify('scan.pdf', '国家电子政务工程建设项目需求分析\n报告编制要求(试用)\n某某科技有限公司\n二〇二四年五月').docTypes[0]!.id).toBe('other_material');
    expect(top(classify('scan.pdf', '关于报送某县高级中学新校区建设\n项目可行性研究报告的报告\n某某科技有限公司\n二〇二四年五月'))).not.toBe('feasibility_report');
    expect(top(classify('scan.pdf', '某某服务集团有限公司人力资源服务\n分公司综合事务部2025年度合同\n雇员补充医疗保险采购项目(二次)\n招标公告'))).toBe('procurement_documents');
  });

  it('keeps the title its own when the line below names a part of it, or the first line is short', () => {
    expect(top(classify('scan.pdf', '某某市政务云平台建设项目竣工验收报告\n附图\n一、项目概况'))).toBe('acceptance_report');
    expect(top(classify('scan.pdf', '某市政务云平台可行性研究报告\n某某科技有限公司\n二〇二四年五月'))).toBe('feasibility_report');
  });
});

describe('when a plan speaks a government\'s words of policy, an agreement maintains before it builds, or a title asks a question', () => {
  it('leaves a plan in words of policy that names nothing a project builds unsure, the plan its candidate, and reads a project\'s plan in them as a plan', () => {
    for (const title of ['某省进一步优化政务服务便民热线工作的实施方案', '某市推进以区县城为重要载体的城镇化建设实施方案', '某自治区数字政府建设实施方案', '某省政务信息系统整合共享实施方案', '基层党支部标准化建设实施方案']) {
      const r = classify('scan.pdf', title);
      expect(r.docTypes[0]!.id, title).toBe('other_material');
      expect(r.unsure, title).toBe(true);
      expect(r.candidates.map((c) => c.id), title).toContain('implementation_plan');
    }
    expect(top(classify('scan.pdf', '某市加快推进政务云平台建设项目实施方案'))).toBe('implementation_plan');
    expect(top(classify('scan.pdf', '某省政务信息系统整合共享项目实施方案'))).toBe('implementation_plan');
  });

  it('reads an agreement that maintains and then upgrades as the maintenance agreement first, and one that builds and maintains as the contract first', () => {
    const maintains = classify('scan.pdf', '某信息系统维护与升级服务协议(2024年度)');
    expect(maintains.docTypes.map((d) => d.id).slice(0, 2)).toEqual(['om_agreement', 'contract']);
    const builds = classify('scan.pdf', '某系统建设与维护合同');
    expect(builds.docTypes.map((d) => d.id).slice(0, 2)).toEqual(['contract', 'om_agreement']);
    expect(top(classify('scan.pdf', '某市公共设施维护管理平台项目软件开发合同书'))).toBe('contract');
  });

  it('keeps a question, an illustrated how-to and an industry\'s market study out of our types, and reads an added investment\'s approval as a change', () => {
    expectNoneOfOurs(['竣工验收报告需要具备哪些条件', 'usb哪几根是电源线接口图解说明', '某某行业市场调研分析报告', '响应速度解决方案']);
    expect(top(classify('scan.pdf', '某某市发展和改革委员会关于某某工程增加投资的批复'))).toBe('change_approval');
    expect(top(classify('scan.pdf', '某项目采购需求调研报告'))).not.toBe('other_material');
    expect(top(classify('scan.pdf', '某系统项目响应文件'))).toBe('procurement_documents');
  });

  it('reads a title closed by its year in brackets as the title, and a document number above a title as no title', () => {
    expect(top(classify('scan.pdf', '政务云平台验收报告(2023)'))).toBe('acceptance_report');
    expect(top(classify('scan.pdf', '合同(2024)'))).toBe('contract');
    expect(top(classify('scan.pdf', '某县发改投〔2024〕47号\n某县政务云平台项目可行性研究报告'))).toBe('feasibility_report');
    expect(classify('scan.pdf', '某县发改投〔2024〕47号').docTypes[0]!.id).toBe('other_material');
  });

  it('reads a power monitoring system\'s 测评报告 as the 等级保护 evaluation, and keeps another bare 测评报告 unsure between the two', () => {
    const power = classify('scan.pdf', '某风电场电力监控系统测评报告(2024)');
    expect(top(power)).toBe('mlps_evaluation_report');
    expect(power.docTypes[0]!.evidence.note).toContain('电力监控');
    const bare = classify('scan.pdf', '某光伏电站测评报告');
    expect(top(bare)).toBe('unsure');
    expect(bare.candidates.map((c) => c.id).sort()).toEqual(['mlps_evaluation_report', 'third_party_test_report']);
  });
});

describe('when the sixth session\'s readings meet pages they were not meant for (review of programme, exclusion, field and cover readings)', () => {
  it('never loses a project\'s plan to a programme reading: the plan stays the candidate, and the body\'s markers decide', () => {
    const cover = classify('scan.pdf', '某市档案馆馆藏档案数字化加工\n工作实施方案\n某市档案馆\n二〇二四年五月');
    expect(cover.unsure).toBe(true);
    expect(cover.candidates.map((c) => c.id)).toContain('implementation_plan');
    const withBody = classify('scan.pdf', '某市档案馆馆藏档案数字化加工工作实施方案\n一、实施步骤\n二、进度安排\n三、项目组织\n四、组织与人员');
    expect(top(withBody)).toBe('implementation_plan');
    expect(top(classify('scan.pdf', '某县便民服务中心标准化建设项目实施方案'))).toBe('implementation_plan');
    expect(top(classify('scan.pdf', '某市城镇化监测平台建设方案'))).toBe('construction_plan');
    expect(top(classify('某市城镇化监测平台建设方案.pdf', ''))).toBe('construction_plan');
  });

  it('keeps a platform for an industry\'s market regulation procured, and a software test of a power monitoring system a software test', () => {
    expect(top(classify('scan.pdf', '某省建筑行业市场监管一体化平台建设项目招标公告'))).toBe('procurement_documents');
    expect(top(classify('scan.pdf', '某变电站电力监控系统性能测评报告'))).toBe('unsure');
    const lab = classify('scan.pdf', '某变电站电力监控系统测评报告\n委托单位：某公司\n检测依据：GB/T 25000.51\n检测机构：某检测中心 CMA\n测评结论：通过');
    expect(top(lab)).toBe('third_party_test_report');
    expect(top(classify('01-某风电场电力监控系统_测评报告.pdf', ''))).toBe('mlps_evaluation_report');
  });

  it('reads a system named for maintenance and upgrades as what its contract develops, not a maintenance agreement', () => {
    expect(classify('scan.pdf', '某市设备维护与升级管理系统开发合同').docTypes.map((d) => d.id)).toEqual(['contract']);
    expect(top(classify('scan.pdf', '某数据中心机房运维和改造工程施工合同'))).toBe('contract');
  });

  it('keeps a cover\'s year line, an illustrated edition and a bidder\'s letter of response, and reads a request for added investment as a change', () => {
    expect(top(classify('scan.pdf', '某县政务外网建设项目\n初步设计方案\n（2024）\n某设计院'))).toBe('preliminary_design');
    expect(top(classify('scan.pdf', '某系统初步设计方案（图解版）'))).toBe('preliminary_design');
    expect(top(classify('scan.pdf', '某系统建设项目响应函'))).toBe('procurement_documents');
    expect(top(classify('scan.pdf', '关于某项目申请追加投资的请示'))).toBe('change_approval');
    expectNoneOfOurs(['一图读懂某市政务服务平台建设方案']);
  });

  it('reads a notice that conveys the acceptance opinion as the acceptance report', () => {
    expect(top(classify('scan.pdf', '关于某县电子政务外网项目竣工验收意见的通知'))).toBe('acceptance_report');
    expect(top(classify('scan.pdf', '关于召开某县电子政务外网项目竣工验收会议的通知'))).not.toBe('acceptance_report');
  });
});

describe('when the mended readings meet numbered lines, procurements of studies and other fields\' power monitoring (second review)', () => {
  it('makes the implementation plan\'s row need confirmation, naming the file, when its only plan reads as a programme', async () => {
    const report = await checkOneFile('实施方案.txt', '某市档案馆馆藏档案数字化加工工作实施方案\n某市档案馆\n二〇二四年五月\n');
    const file = report.files.find((f) => f.path.endsWith('实施方案.txt'))!;
    expect(file.candidates?.map((c) => c.id)).toContain('implementation_plan');
    const row = report.requirements.find((r) => r.id === 'CD-A05')!;
    expect(row.status).toBe('needs_confirmation');
    expect(row.message).toContain('实施方案.txt');
    expect(renderMarkdown(report)).toMatch(/实施方案\.txt：可能是：实施方案/);
  });

  it('keeps a numbered plan that reads as a programme as the page\'s title, unsure with the plan as candidate', () => {
    const r = classify('scan.pdf', '1、某市档案馆馆藏档案数字化加工工作实施方案\n编制单位：某科技有限公司');
    expect(r.unsure).toBe(true);
    expect(r.candidates.map((c) => c.id)).toContain('implementation_plan');
  });

  it('reads a procurement of a market study or for an industry\'s needs as procurement, and the study itself as none of ours', () => {
    expect(top(classify('scan.pdf', '某市文化广电旅游行业市场调研服务项目竞争性磋商公告'))).toBe('procurement_documents');
    expect(top(classify('scan.pdf', '面向医疗行业需求的数据中台建设项目招标公告'))).toBe('procurement_documents');
    expect(top(classify('04-某行业市场调研服务项目竞争性磋商文件.pdf', ''))).toBe('procurement_documents');
    expect(classify('scan.pdf', '物业管理行业市场调研分析报告').docTypes[0]!.id).toBe('other_material');
  });

  it('decides a power monitoring system\'s 测评报告 for 等级保护 only at a power plant or grid, not in a building or a metro line', () => {
    expect(top(classify('scan.pdf', '某光伏电站电力监控系统测评报告'))).toBe('mlps_evaluation_report');
    expect(top(classify('scan.pdf', '某市轨道交通1号线电力监控系统测评报告'))).toBe('unsure');
    expect(top(classify('scan.pdf', '某大厦智能化工程电力监控系统测评报告'))).toBe('unsure');
  });

  it('reads investment raised or added, however phrased, as a change, but not a request to pay it out', () => {
    expect(top(classify('scan.pdf', '关于同意调增某系统建设项目投资的批复'))).toBe('change_approval');
    expect(top(classify('scan.pdf', '关于某项目调增投资的请示'))).toBe('change_approval');
    expect(top(classify('scan.pdf', '关于申请追加某项目投资的请示'))).toBe('change_approval');
    expect(top(classify('scan.pdf', '关于某项目追加投资资金拨付的请示'))).not.toBe('change_approval');
  });

  it('reads a phase after a programme\'s title as a project, and several building words after maintenance as both papers', () => {
    expect(top(classify('scan.pdf', '某市智慧城市建设实施方案（二期）'))).toBe('implementation_plan');
    expect(classify('scan.pdf', '某系统维护与升级改造服务合同').docTypes.map((d) => d.id).slice(0, 2)).toEqual(['om_agreement', 'contract']);
    expect(top(classify('scan.pdf', '某数据中心机房运维和改造工程施工合同'))).toBe('contract');
  });
});

describe('when the mended readings meet purchases of studies, substations and more phrasings (third review)', () => {
  it('reads the purchase of a market-study report as procurement and a buyer\'s market survey notice too', () => {
    expect(top(classify('scan.pdf', '某市文旅行业市场调研报告编制服务项目竞争性磋商公告'))).toBe('procurement_documents');
    expect(top(classify('02-某行业市场调研报告编制服务招标文件.pdf', ''))).toBe('procurement_documents');
    expect(top(classify('scan.pdf', '某医院医疗设备采购市场调研公告'))).toBe('procurement_documents');
    expect(classify('scan.pdf', '物业管理行业市场调研分析报告').docTypes[0]!.id).toBe('other_material');
  });

  it('does not take a building\'s substation or a charging station for a power plant', () => {
    for (const title of ['某医院新院区变配电站电力监控系统测评报告', '某公交集团充电站电力监控系统测评报告', '某市城市运行调度指挥中心电力监控系统测评报告']) {
      expect(top(classify('scan.pdf', title)), title).toBe('unsure');
    }
    expect(top(classify('scan.pdf', '某水电站电力监控系统测评报告'))).toBe('mlps_evaluation_report');
  });

  it('reads more phrasings of an investment change, and maintenance with a second development or installation as both papers', () => {
    for (const title of ['关于某项目投资概算调增的请示', '关于某项目增加建设内容及投资的请示', '关于某县智慧医疗项目调减投资的批复', '关于核增某系统建设项目投资的复函']) {
      expect(top(classify('scan.pdf', title)), title).toBe('change_approval');
    }
    for (const title of ['某系统驻场运维与二次开发服务合同', '某系统维保及升级服务采购合同', '某系统运维和安装调试服务合同']) {
      expect(classify('scan.pdf', title).docTypes.map((d) => d.id).slice(0, 2), title).toEqual(['om_agreement', 'contract']);
    }
  });

  it('keeps a deepened design\'s plan a plan, and reads a notice of the preliminary acceptance opinion as that opinion', () => {
    expect(top(classify('scan.pdf', '某市数据中台深化设计实施方案'))).toBe('implementation_plan');
    expect(top(classify('scan.pdf', '关于某项目初步验收意见的通知'))).toBe('preliminary_acceptance_report');
  });
});
