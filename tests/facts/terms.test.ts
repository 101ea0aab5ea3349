import { beforeAll, describe, expect, it } from 'vitest';
import { extractFields } from '../../extractors/fields/extract.ts';
import {
  aggregateFields,
  aggregateTerms,
  DossierTermsSchema,
  factsFromFields,
  investmentThresholdsWan,
  ruleContext,
  type FactsDocument,
} from '../../checklists/facts/index.ts';
import { loadChecklist } from '../../checklists/load.ts';
import { creditCodeOf, makeDocument, PROFILES, type ProjectProfile } from '../fixtures/dossiers/documents.ts';
import { HUAXIN_PDF, readTextLayers } from '../pdf/text-layers.ts';

/**
 * The dossier's clause facts (checklists/facts/terms.ts): one generated dossier per profile with every clause-bearing
 * document, the same without them, and a real 招标文件 whose model contract states its schedule twice.
 */

const changde = loadChecklist('changde');
const profiles = Object.values(PROFILES) as ProjectProfile[];

function file(path: string, docTypes: string[], pages: string[], source: 'text-layer' | 'ocr' = 'text-layer'): FactsDocument {
  return { path, docTypes, candidates: extractFields({ path, pages: pages.map((text, i) => ({ n: i + 1, text, source })) }) };
}

function generated(docType: string, p: ProjectProfile, options: Parameters<typeof makeDocument>[2] = {}): FactsDocument {
  const doc = makeDocument(docType, p, options);
  return file(`${docType}.pdf`, doc.docTypes, [doc.lines.join('\n')]);
}

/** A dossier with every document that carries a clause the rules read. */
function fullDossier(p: ProjectProfile): FactsDocument[] {
  return [
    generated('procurement_documents', p, { flavour: 'award' }),
    generated('contract', p, { sections: ['om_agreement'] }),
    generated('supervision_contract', p),
    generated('change_approval', p),
    generated('third_party_test_report', p),
    generated('qualification_certificate', p),
    generated('technical_review_opinion', p),
  ];
}

describe('a generated dossier with every clause-bearing document', () => {
  it('settles parties, awardee, schedule, periods, change, tests, certificates and meetings for every profile', () => {
    for (const p of profiles) {
      const terms = aggregateTerms(fullDossier(p));
      expect(() => DossierTermsSchema.parse(terms), p.key).not.toThrow();

      const main = terms.contracts.find((c) => c.docTypes.includes('contract'))!;
      expect([main.partyA?.name, main.partyB?.name], p.key).toEqual([p.constructionUnit, p.contractor]);
      expect([main.partyA?.creditCode, main.partyA?.creditCodeValid], p.key).toEqual([creditCodeOf(p.constructionUnit, '11'), true]);
      expect([main.partyB?.creditCode, main.partyB?.creditCodeValid], p.key).toEqual([creditCodeOf(p.contractor, '91'), true]);
      const supervision = terms.contracts.find((c) => c.docTypes.includes('supervision_contract'))!;
      expect(supervision.partyB?.name, p.key).toBe(p.supervisor);
      expect(terms.awardee?.name, p.key).toBe(p.contractor);

      expect(terms.paymentSchedule, p.key).toMatchObject({ path: 'contract.pdf', totalPercent: '100', dueByAcceptancePercent: '85', retainedPercent: '15' });
      expect(terms.paymentSchedule!.instalments.map((i) => i.percent), p.key).toEqual(['30', '40', '15', '15']);
      expect(terms.paymentSchedule!.instalments[0]!.evidence, p.key).toMatchObject({ path: 'contract.pdf', page: 1, source: 'text-layer' });

      expect(terms.warrantyPeriod, p.key).toMatchObject({ months: 36, from: '竣工验收合格' });
      expect(terms.maintenancePeriod?.months, p.key).toBe(36);

      expect(terms.changes.map((c) => [c.direction, c.wan]), p.key).toEqual([['increase', '8.6']]);

      expect(terms.testReports, p.key).toEqual([
        expect.objectContaining({ agency: p.testingAgency, marks: expect.arrayContaining([expect.objectContaining({ mark: 'CMA' }), expect.objectContaining({ mark: 'CNAS' })]) }),
      ]);

      const contractorCertificate = terms.certificates.find((c) => c.holder === p.contractor);
      expect(contractorCertificate, p.key).toMatchObject({ level: '叁级', validUntil: { precision: 'day' } });
      expect(terms.certificates.some((c) => c.holder === p.supervisor), p.key).toBe(true);

      const review = terms.meetings.find((m) => m.docTypes.includes('technical_review_opinion'))!;
      expect(review.meetingDate?.iso, p.key).toBe(p.dates.technicalReview);
      expect(review.experts, p.key).toEqual(p.people.experts);
      expect(review.signIn, p.key).toBe(true);
    }
  });

  it('derives changeAmountWan from the change document, and a declared value wins', () => {
    const p = profiles[0]!;
    const fields = aggregateFields({ documents: fullDossier(p), catalogue: changde.catalogue, investmentThresholdsWan: investmentThresholdsWan(changde) });
    const derived = factsFromFields({}, fields).changeAmountWan!;
    expect(derived).toMatchObject({ value: 8.6, source: 'derived' });
    expect(derived.evidence![0]).toMatchObject({ path: 'change_approval.pdf', page: 1 });
    expect(derived.evidence![0]!.quote).toContain('8.60万元');
    expect(factsFromFields({ changeAmountWan: 20 }, fields).changeAmountWan).toEqual({ value: 20, source: 'declared' });
  });

  it('hands the clause facts to the rules as ctx.terms', () => {
    const p = profiles[0]!;
    const ctx = ruleContext({ stage: 'acceptance', facts: {}, documents: fullDossier(p), files: [] });
    expect(ctx.terms.paymentSchedule?.retainedPercent).toBe('15');
    expect(ctx.terms.maintenancePeriod?.months).toBe(36);
  });
});

describe('a dossier without those clauses', () => {
  it('states no clause fact and derives no change amount', () => {
    for (const p of profiles) {
      const documents = [generated('approval_document', p), generated('completion_report', p), generated('supervision_report', p)];
      const terms = aggregateTerms(documents);
      expect(terms, p.key).toMatchObject({ contracts: [], awardee: null, paymentSchedule: null, maintenancePeriod: null, warrantyPeriod: null, changes: [], testReports: [], certificates: [] });
      const fields = aggregateFields({ documents, catalogue: changde.catalogue, investmentThresholdsWan: investmentThresholdsWan(changde) });
      expect(factsFromFields({}, fields).changeAmountWan, p.key).toBeUndefined();
    }
  });

  it('takes a plan\'s intended O&M period for no agreement, and a report without marks has none', () => {
    const proposal = file('建议书.pdf', ['project_proposal'], ['项目建成后运维期三年，运维费用纳入部门预算。']);
    const report = file('测评报告.pdf', ['third_party_test_report'], ['测评机构：湖南某某检测技术有限公司\n测评结论：通过。']);
    const terms = aggregateTerms([proposal, report]);
    expect(terms.maintenancePeriod).toBeNull();
    expect(terms.testReports).toEqual([expect.objectContaining({ agency: '湖南某某检测技术有限公司', marks: [] })]);
  });

  it('keeps a change document whose amount has no unit out of changeAmountWan', () => {
    const change = file('变更批复.pdf', ['change_approval'], ['关于某某项目变更的批复\n二、变更金额：增加8.6。']);
    const fields = aggregateFields({ documents: [change], catalogue: changde.catalogue, investmentThresholdsWan: investmentThresholdsWan(changde) });
    expect(factsFromFields({}, fields).changeAmountWan).toBeUndefined();
  });

  it('reads an OCR-spaced contract\'s parties with their codes', () => {
    const text = '甲 方 ： 常 德 市 某 某 局\n统 一 社 会 信 用 代 码 ： 11430700MB12345674\n乙 方 ： 湖 南 某 某 信 息 技 术 有 限 公 司\n统 一 社 会 信 用 代 码 ： 91430700MA4L123459';
    const terms = aggregateTerms([file('合同.jpg', ['contract'], [text], 'ocr')]);
    expect(terms.contracts).toEqual([
      expect.objectContaining({
        partyA: expect.objectContaining({ name: '常德市某某局', creditCode: '11430700MB12345674', creditCodeValid: true }),
        partyB: expect.objectContaining({ name: '湖南某某信息技术有限公司', creditCode: '91430700MA4L123459', creditCodeValid: true }),
      }),
    ]);
    expect(terms.contracts[0]!.partyA!.evidence[0]!.source).toBe('ocr');
  });
});

describe('a real 招标文件 with a model contract (huaxin)', () => {
  let pages: string[];
  beforeAll(async () => {
    pages = await readTextLayers(HUAXIN_PDF);
  });

  it('is a tender, not an agreement: no payment schedule or warranty is settled from it', () => {
    const terms = aggregateTerms([file('招标文件.pdf', ['procurement_documents'], pages)]);
    expect(terms.paymentSchedule).toBeNull();
    expect(terms.warrantyPeriod).toBeNull();
    expect(terms.changes).toEqual([]);
  });

  it('read as the contract, the 专用条款 schedule (the later one adding up to 100%) is the schedule', () => {
    const terms = aggregateTerms([file('合同.pdf', ['contract'], pages)]);
    expect(terms.paymentSchedule).toMatchObject({ totalPercent: '100', dueByAcceptancePercent: '90', retainedPercent: '10' });
    expect(terms.paymentSchedule!.instalments.map((i) => [i.evidence.page, i.percent, i.stage])).toEqual([
      [56, '60', 'delivery'],
      [56, '30', 'acceptance'],
      [56, '10', 'warranty'],
    ]);
    expect(terms.warrantyPeriod?.months).toBe(12);
    expect(terms.maintenancePeriod).toBeNull();
  });
});
