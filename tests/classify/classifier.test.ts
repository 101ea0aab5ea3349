import { describe, expect, it } from 'vitest';
import type { Page } from '../../extractors/model.ts';
import { DocTypeClassifier } from '../../checklists/classify.ts';
import { loadCatalogue } from '../../checklists/load.ts';

const classifier = new DocTypeClassifier(loadCatalogue());

function page(text: string, source: Page['source'] = 'text-layer', n = 1): Page {
  return { n, text, source };
}

function classify(path: string, ...texts: string[]) {
  return classifier.classify({ path, readable: true, pages: texts.map((t, i) => page(t, 'text-layer', i + 1)) });
}

const ids = (r: ReturnType<typeof classify>) => r.docTypes.map((d) => d.id);

describe('when the title names the document', () => {
  it('takes the type from the title on the first page, with the page and the quote as evidence', () => {
    const r = classify('scan0003.pdf', '绿水县政务服务平台建设项目\n可行性研究报告\n编制单位：某某咨询有限公司\n二〇二四年三月');
    expect(ids(r)).toEqual(['feasibility_report']);
    expect(r.docTypes[0]!.evidence).toMatchObject({ page: 1, rule: 'title' });
    expect(r.docTypes[0]!.evidence.quote).toContain('可行性研究报告');
  });

  it('reads a Chinese title head-final: an approval of a feasibility report is an approval, not the report', () => {
    const r = classify('x.pdf', '绿水县发展和改革局\n绿发改审〔2024〕12号\n关于绿水县政务服务平台建设项目可行性研究报告的批复\n县数据资源局：');
    expect(ids(r)[0]).toBe('feasibility_approval');
    expect(ids(r)).not.toContain('feasibility_report');
  });

  it('prefers the most specific term at the head: a supervision contract is not just a contract', () => {
    expect(ids(classify('a.pdf', '绿水县政务服务平台建设项目\n监理服务合同\n甲方：绿水县数据资源局'))).toEqual(['supervision_contract']);
  });

  it('recognises a title that wraps over several lines, down to a one-character tail', () => {
    const r = classify('IMG_0001.jpg', '绿水县数据资源局文件\n绿数发〔2024〕3号\n关于绿水县政务服务\n平台建设项目立项的批\n复\n县政务服务中心：');
    expect(ids(r)).toEqual(['approval_document']);
  });

  it('strips draft markers such as （送审稿） before matching', () => {
    expect(ids(classify('b.pdf', '绿水县政务服务平台建设项目初步设计方案（送审稿）'))).toEqual(['preliminary_design']);
  });

  it('reads Traditional Chinese titles after conversion', () => {
    expect(ids(classify('c.pdf', '青禾市生態環境監測平台建設項目\n項目可行性研究報告'))).toEqual(['feasibility_report']);
  });
});

describe('when one document carries two types', () => {
  it('labels a combined 系统试运行和初步验收报告 with both types', () => {
    const r = classify('新建 Microsoft Word 文档.docx', '绿水县政务服务平台建设项目\n系统试运行和初步验收报告\n一、试运行情况');
    expect(ids(r)).toEqual(expect.arrayContaining(['trial_run_report', 'preliminary_acceptance_report']));
  });

  it('labels 可行性研究报告暨初步设计方案 with both planning types', () => {
    const r = classify('d.pdf', '绿水县政务服务平台建设项目可行性研究报告暨初步设计方案');
    expect(ids(r)).toEqual(expect.arrayContaining(['feasibility_report', 'preliminary_design']));
  });

  it('gives an accredited third-party test report the test-report label too', () => {
    const r = classify('e.pdf', '绿水县政务服务平台\n第三方软件测评报告\n测评机构：某某软件测评中心');
    expect(ids(r)).toEqual(['third_party_test_report', 'test_report']);
  });

  it('does not give a contractor’s own function test report the third-party label', () => {
    expect(ids(classify('f.pdf', '绿水县政务服务平台建设项目\n项目功能测试报告'))).toEqual(['test_report']);
  });
});

describe('when a document only mentions another document', () => {
  it('does not become the supervision report because its text says 详见监理报告', () => {
    const r = classify('竣工报告.pdf', '绿水县政务服务平台建设项目\n项目竣工报告\n工程质量情况详见监理报告。\n监理报告\n');
    expect(ids(r)).toEqual(['completion_report']);
  });

  it('does not become a feasibility report because a sentence starts with 根据可行性研究报告', () => {
    const r = classify('g.pdf', '根据可行性研究报告的建设内容，本项目已完成全部建设任务。\n绿水县政务服务平台建设项目\n项目竣工报告');
    expect(ids(r)).toEqual(['completion_report']);
  });

  it('ignores the numbered enclosure list of an application letter', () => {
    const r = classify('h.pdf', '关于申请绿水县政务服务平台建设项目竣工验收的请示\n县数据资源局：\n现申请竣工验收。\n附件：\n1.监理报告\n2.竣工报告');
    expect(ids(r)).toEqual(['acceptance_application']);
  });
});

describe('when the file name and the content disagree', () => {
  it('lets the content decide against a misleading file name', () => {
    const r = classify('项目建议书.pdf', '青禾市生态环境监测平台建设项目\n可行性研究报告');
    expect(ids(r)).toEqual(['feasibility_report']);
  });

  it('uses the file name, with lower confidence, when the content names no type', () => {
    const r = classify('07.监理报告.pdf', '本期工作中，我方对进度、质量进行了控制。');
    expect(ids(r)).toEqual(['supervision_report']);
    expect(r.docTypes[0]!.evidence.rule).toBe('file-name');
    expect(r.docTypes[0]!.confidence).toBeLessThan(0.8);
  });

  it('says what an unreadable file would have been from its name, but gives it no type', () => {
    const r = classifier.classify({ path: '09-用户培训报告.pdf', readable: false, pages: [] });
    expect(r.docTypes).toEqual([]);
    expect(r.nameDocTypes).toEqual(['training_report']);
  });
});

describe('when OCR misreads the title', () => {
  it('accepts one wrong character where the type sits, at the end of the title', () => {
    const r = classifier.classify({ path: 'scan0012.pdf', readable: true, pages: [page('绿水县政务服务平台建设项目\n监理服务合后\n项目名称：绿水县政务服务平台', 'ocr')] });
    expect(ids(r)).toEqual(['supervision_contract']);
  });

  it('does not accept a one-character slip in the middle of a sentence-like line', () => {
    const r = classifier.classify({ path: 'scan0013.pdf', readable: true, pages: [page('同意该项目申报下年度计划', 'ocr')] });
    expect(ids(r)).not.toContain('application_form');
  });
});

describe('when nothing names the type', () => {
  it('falls back to specific content markers', () => {
    const r = classify('IMG_20240521.jpg', '某某中心\n经前置技术审查，现提出意见如下：\n与市智慧城市和大数据中心平台对接。');
    expect(ids(r)).toEqual(['pre_technical_review_opinion']);
    expect(r.docTypes[0]!.evidence.rule).toBe('content');
  });

  it('types a letter whose title names no catalogued document as other material, keeping what it states as a section', () => {
    const r = classify('02.申报的请示.pdf', '关于申报绿水县政务服务平台建设项目的请示\n县政务管理服务局：\n该项目已经本单位党组审议通过。\n妥否，请批示。');
    expect(ids(r)).toEqual(['other_material']);
    expect(r.sections.map((s) => s.docType)).toContain('party_group_resolution');
  });

  it('flags a file that matches nothing as other material for a person to look at', () => {
    const r = classify('随手记.txt', '今天天气很好。');
    expect(ids(r)).toEqual(['other_material']);
    expect(r.needsReview).toBe(true);
  });
});

describe('when a document has delimited sections of other types', () => {
  it('reports headed sections such as 项目概要 and 投资概算 inside a proposal, with their page', () => {
    const r = classify('建议书.docx', '绿水县政务服务平台建设项目\n项目建议书\n一、项目概要\n本项目……', '二、投资概算\n总投资 260 万元');
    expect(ids(r)).toEqual(['project_proposal']);
    const sections = Object.fromEntries(r.sections.map((s) => [s.docType, s.page]));
    expect(sections.project_summary).toBe(1);
    expect(sections.budget_estimate).toBe(2);
  });
});

describe('when a title ends in 文件', () => {
  it('takes 招标文件 as the title, and a letterhead 某某局文件 as no title', () => {
    expect(ids(classify('x.pdf', '某某公司一矿风井项目开关柜采购\n招标编号:JSH2023-15\n招标文件\n某某招标代理有限公司\n2023年3月'))).toEqual(['procurement_documents']);
    expect(ids(classify('y.pdf', '益阳市发展和改革委员会文件\n益发改投〔2024〕47号\n关于某某项目可行性研究报告的批复'))).toEqual(['feasibility_approval']);
  });
});

describe('when OCR drops or adds a character in the title', () => {
  const ocr = (text: string) => classifier.classify({ path: 'IMG_0002.jpg', readable: true, pages: [page(text, 'ocr')] }).docTypes.map((d) => d.id);

  it('reads 前技术审查意见 (置 lost) as the pre-technical review opinion', () => {
    expect(ocr('某某大数据中心\n关于某某平台项目的\n前技术审查意见\n某某局：')).toEqual(['pre_technical_review_opinion']);
  });

  it('reads 系统试运行报报告 (a doubled character) as a trial-run report', () => {
    expect(ocr('某某平台建设项目\n系统试运行报报告')).toEqual(['trial_run_report']);
  });

  it('still needs the slip to be where the type sits, at the end of the title', () => {
    expect(ocr('前技术审查意见书的附件目录如下')).not.toContain('pre_technical_review_opinion');
  });
});
