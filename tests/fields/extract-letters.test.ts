import { describe, expect, it } from 'vitest';
import { best, extract, valuesOf } from './extract-helpers.ts';

const APPROVAL = `岳阳市数据资源局文件
岳数发〔2024〕17号
关于岳阳市城市运行管理平台三期建设项目
立项的批复
岳阳市城市管理和综合执法局：
你局报送的《关于岳阳市城市运行管理平台三期建设项目立项的请示》及相关材料收悉。经研究，批复如下：
一、同意岳阳市城市运行管理平台三期建设项目立项。
二、项目总投资 356.80 万元，资金来源为市财政项目资金。
三、请严格按照批复内容组织实施，不得擅自变更。
岳阳市数据资源局
2024年3月18日
抄送：岳阳市财政局`;

describe('when reading an approval letter', () => {
  const candidates = extract(APPROVAL);

  it('reads the issuer from the letterhead and the 文号 under it', () => {
    expect(valuesOf(candidates, 'issuer')).toContain('岳阳市数据资源局');
    expect(valuesOf(candidates, 'docNumber')).toEqual(['岳数发〔2024〕17号']);
  });

  it('joins a title broken over two lines and takes the project name from it', () => {
    expect(valuesOf(candidates, 'title')).toEqual(['关于岳阳市城市运行管理平台三期建设项目立项的批复']);
    expect(valuesOf(candidates, 'projectName')).toContain('岳阳市城市运行管理平台三期建设项目');
  });

  it('reads the addressee, the closing unit and the closing date', () => {
    expect(valuesOf(candidates, 'addressee')).toEqual(['岳阳市城市管理和综合执法局']);
    expect(valuesOf(candidates, 'signatory')).toEqual(['岳阳市数据资源局']);
    expect(valuesOf(candidates, 'docDate')).toEqual(['2024-03-18']);
  });

  it('reads the total investment with its provenance', () => {
    const total = best(candidates, 'totalInvestment')!;
    expect(total.value).toMatchObject({ kind: 'amount', wan: '356.8' });
    expect(total.provenance).toMatchObject({ path: 'doc.pdf', page: 1, source: 'text-layer' });
    expect(total.provenance.quote).toContain('项目总投资356.80万元');
  });

  it('does not take the date after 抄送 or anything in the body for the closing block', () => {
    expect(valuesOf(candidates, 'signatory')).not.toContain('岳阳市财政局');
  });
});

describe('when reading an OCR\'d approval photo', () => {
  // Real tesseract output of a photographed approval: misread characters, lost punctuation, wrapped lines.
  const OCR = `岳阳市数据资源局文件
岳数发 [2024] 17 号
关于岳阳市城市运行管理平台三期建设项目立项的扯
复
岳阳市城市管理和综合执法局:
你局报送的关于岳阳市城市运行管理平台三期建设项目的请示及相关材料收悉。经研究，批复如下:
.、同意岳阳市城市运行管理平台三期建设项目立项、项目总投资 356.80 万元，资金来源; 市财政
项目资金。四、请产格按照批复内容组织实施，
岳阳市数据资源局
2024-03-18`;
  const candidates = extract(OCR, 'ocr');

  it('still finds the 文号, the title and the amount', () => {
    expect(valuesOf(candidates, 'docNumber')).toEqual(['岳数发〔2024〕17号']);
    expect(valuesOf(candidates, 'projectName')).toContain('岳阳市城市运行管理平台三期建设项目');
    expect(valuesOf(candidates, 'totalInvestment')).toContain('356.8');
  });

  it('marks the candidates as OCR and trusts them a little less', () => {
    const total = best(candidates, 'totalInvestment')!;
    expect(total.provenance.source).toBe('ocr');
    const textLayer = best(extract(APPROVAL), 'totalInvestment')!;
    expect(total.confidence).toBeLessThan(textLayer.confidence);
  });
});

describe('when reading a request for acceptance', () => {
  const REQUEST = `关于申请岳阳市城市运行管理平台三期建设项目竣工
验收的请示
市数据资源局：
岳阳市城市运行管理平台三期建设项目经市数据资源局批复（岳数发〔2024〕17号），总
投资 356.80 万元。项目已完成全部建设内容，具备竣工验收条件。
特申请组织竣工验收，妥否，请批示。
附件：竣工验收资料清单
岳阳市城市管理和综合执法局
2025 年 06 月 09 日`;
  const candidates = extract(REQUEST);

  it('takes the project from the title and the date from the closing block', () => {
    expect(valuesOf(candidates, 'projectName')).toEqual(['岳阳市城市运行管理平台三期建设项目']);
    expect(valuesOf(candidates, 'docDate')).toEqual(['2025-06-09']);
    expect(valuesOf(candidates, 'acceptanceApplicationDate')).toEqual(['2025-06-09']);
    expect(valuesOf(candidates, 'signatory')).toEqual(['岳阳市城市管理和综合执法局']);
  });

  it('reads a total that quotes the approval across a line break', () => {
    const total = best(candidates, 'totalInvestment')!;
    expect(total.value).toMatchObject({ wan: '356.8' });
    expect(total.basis).toBe('approvedQuoted');
  });

  it('records the cited approval number as cited, not as its own 文号', () => {
    expect(valuesOf(candidates, 'docNumber')).toEqual([]);
    expect(valuesOf(candidates, 'citedDocNumber')).toEqual(['岳数发〔2024〕17号']);
  });
});

describe('when a letter ends with an annex table after the closing block', () => {
  const NOTICE = `岳阳市数据资源局文件
岳数发〔2023〕41号
关于下达2024年度电子政务项目建设计划的通知
各有关单位：
经研究，现将2024年度电子政务项目建设计划下达给你们，请认真组织实施。
附件：2024年度项目计划表
岳阳市数据资源局
2023年12月8日
序号 项目名称 建设单位 计划投资（万元）
1 岳阳市智慧停车管理平台建设项目 岳阳市公安局 218.40
2 岳阳市城市运行管理平台三期建设项目 岳阳市城市管理和综合执法局 356.80`;
  const candidates = extract(NOTICE);

  it('still finds the closing date above the table', () => {
    expect(valuesOf(candidates, 'docDate')).toEqual(['2023-12-08']);
  });

  it('reads each row of the plan table, even with the cells run together', () => {
    const rows = candidates.filter((c) => c.field === 'planEntry').map((c) => c.value);
    expect(rows).toEqual([
      expect.objectContaining({ projectName: '岳阳市智慧停车管理平台建设项目', constructionUnit: '岳阳市公安局', amount: expect.objectContaining({ wan: '218.4', unitSource: 'column' }) }),
      expect.objectContaining({ projectName: '岳阳市城市运行管理平台三期建设项目', constructionUnit: '岳阳市城市管理和综合执法局', amount: expect.objectContaining({ wan: '356.8' }) }),
    ]);
  });

  it('takes no project name from a title about many projects', () => {
    expect(valuesOf(candidates, 'projectName')).toEqual([]);
  });
});

describe('when reading a real 公文 that is not about a project', () => {
  // Text of samples/real/ofd/ofdrw_n_gongwen_iofd.ofd (路卫发〔2011〕76号), line by line as laid out on its two pages.
  const PAGE_1 = `测试符路桥区卫生局文件
路卫发〔2011〕76号
关于同意张阿三同志辞职的批复
区中医院：
你院《关于给张阿三同志辞职的请示》（路中医发
〔2011〕10号）收悉。
张阿三，男，1978年2月出生，籍贯江西新建，2001年9月参
加工作，本科学历，主治医师，系区中医院职工。
该同志由于家庭、籍贯等原因，从2006年1月至今未到单位
上班，期间院方曾多次与其联系，均被拒绝回院。2011年3月1日
该同志向医院递交辞职报告，鉴于本人实际情况，根据《浙江省
专业技术人员和管理人员辞职暂行办法》（浙人才〔1993〕73
号）文件精神，经研究，同意张阿三同志辞职。
— 1 —`;
  const PAGE_2 = `测试符路桥区卫生局办公室
2011年3月10日
测试符路桥区卫生局办公室2011年3月10日印发
— 2 —`;
  const candidates = extract([PAGE_1, PAGE_2], 'text-layer', 'gongwen.ofd');

  it('reads the letter\'s own parts', () => {
    expect(valuesOf(candidates, 'issuer')).toEqual(['测试符路桥区卫生局']);
    expect(valuesOf(candidates, 'docNumber')).toEqual(['路卫发〔2011〕76号']);
    expect(valuesOf(candidates, 'title')).toEqual(['关于同意张阿三同志辞职的批复']);
    expect(valuesOf(candidates, 'addressee')).toEqual(['区中医院']);
    expect(valuesOf(candidates, 'signatory')).toEqual(['测试符路桥区卫生局办公室']);
    expect(valuesOf(candidates, 'docDate')).toEqual(['2011-03-10']);
    expect(best(candidates, 'docDate')!.provenance.page).toBe(2);
  });

  it('reads cited 文号 even when a line break splits them', () => {
    expect(valuesOf(candidates, 'citedDocNumber').sort()).toEqual(['浙人才〔1993〕73号', '路中医发〔2011〕10号']);
  });

  it('takes no project name from a title that names none', () => {
    expect(valuesOf(candidates, 'projectName')).toEqual([]);
  });
});
