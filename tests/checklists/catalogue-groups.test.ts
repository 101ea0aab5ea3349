import { describe, expect, it } from 'vitest';
import { DOC_TYPE_GROUP_NAMES } from '../../checklists/catalogue-schema.ts';
import { DocTypeClassifier } from '../../checklists/classify.ts';
import { docTypeGroup, documentRank, inDocTypeGroup } from '../../checklists/doc-type-groups.ts';
import { CATALOGUE_PATH, loadCatalogue, prepareCatalogue, readDataFile } from '../../checklists/load.ts';

const catalogue = loadCatalogue();
const rawCatalogue = () => readDataFile(CATALOGUE_PATH) as Record<string, any>;

describe('the doc-type lists code reads are catalogue data', () => {
  it('has every group the code reads, each naming catalogued doc types', () => {
    for (const name of DOC_TYPE_GROUP_NAMES) {
      expect(docTypeGroup(catalogue, name).length, name).toBeGreaterThan(0);
      for (const id of docTypeGroup(catalogue, name)) expect(catalogue.byId.has(id), `${name}: ${id}`).toBe(true);
    }
  });

  it('ranks documents as field aggregation does today: approval, review, design or proposal, application form, the rest', () => {
    expect(documentRank(catalogue, ['feasibility_approval'])).toBe(0);
    expect(documentRank(catalogue, ['fiscal_review_opinion'])).toBe(1);
    expect(documentRank(catalogue, ['feasibility_report'])).toBe(2);
    expect(documentRank(catalogue, ['project_plan'])).toBe(2);
    expect(documentRank(catalogue, ['application_form'])).toBe(3);
    expect(documentRank(catalogue, ['contract'])).toBe(4);
    expect(documentRank(catalogue, ['application_form', 'approval_document'])).toBe(0);
  });

  it('tells the approval decisions from the annual plan notice', () => {
    expect(inDocTypeGroup(catalogue, 'approval', ['annual_plan_notice'])).toBe(true);
    expect(inDocTypeGroup(catalogue, 'approvalDecision', ['annual_plan_notice'])).toBe(false);
    expect(inDocTypeGroup(catalogue, 'approvalDecision', ['out_of_plan_approval'])).toBe(true);
  });

  it('names other_material as the catch-all and makes a third-party test report a test report too', () => {
    expect(catalogue.catchAll).toBe('other_material');
    expect(catalogue.byId.get('third_party_test_report')?.implies).toEqual(['test_report']);
  });
});

describe('when the catalogue’s groups are broken, it fails at load', () => {
  it('rejects a group naming a doc type that is not catalogued', () => {
    const raw = rawCatalogue();
    raw.groups.review.docTypes.push('expert_review_opinion');
    expect(() => prepareCatalogue(raw)).toThrow(/文档类型组 review：文档类型 expert_review_opinion 不在目录中/);
  });

  it('rejects a catalogue without a group the code reads', () => {
    const raw = rawCatalogue();
    delete raw.groups.approvalStepEvidence;
    expect(() => prepareCatalogue(raw)).toThrow(/groups\.approvalStepEvidence/);
  });

  it('rejects a precedence tier naming no known group', () => {
    const raw = rawCatalogue();
    raw.documentPrecedence.push(['contracts']);
    expect(() => prepareCatalogue(raw)).toThrow(/未知的文档类型组 contracts/);
  });

  it('rejects an implied type that is not catalogued, and a catch-all that is not', () => {
    const raw = rawCatalogue();
    raw.docTypes.find((t: { id: string }) => t.id === 'third_party_test_report').implies = ['test_reprot'];
    raw.catchAll = 'other';
    const error = (() => {
      try {
        prepareCatalogue(raw);
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(error).toContain('文档类型 third_party_test_report 的 implies：test_reprot 不是目录中的其他文档类型');
    expect(error).toContain('兜底类型 catchAll：文档类型 other 不在目录中');
  });

  it('rejects a refined or an ambiguous type that is not catalogued, and an ambiguous term no type lists', () => {
    const raw = rawCatalogue();
    raw.docTypes.find((t: { id: string }) => t.id === 'om_agreement').refines = 'contrakt';
    raw.ambiguousTitleTerms = [{ term: '评测报告书', docTypes: ['third_party_test_report', 'mlps_report'], note: '两可' }];
    expect(() => prepareCatalogue(raw)).toThrow(/om_agreement 的 refines：contrakt/);
    expect(() => prepareCatalogue(raw)).toThrow(/歧义标题词 评测报告书：文档类型 mlps_report 不在目录中/);
    expect(() => prepareCatalogue(raw)).toThrow(/歧义标题词 评测报告书：它所列的文档类型都没有把它列为标题词/);
  });

  it('rejects an ambiguous term whose deciding words name a type the term does not', () => {
    const raw = rawCatalogue();
    raw.ambiguousTitleTerms = [{ term: '测评报告', docTypes: ['third_party_test_report', 'mlps_evaluation_report'], note: '两可', decidedBy: [{ docType: 'crypto_assessment_report', words: ['密码'] }] }];
    expect(() => prepareCatalogue(raw)).toThrow(/歧义标题词 测评报告：decidedBy 的 crypto_assessment_report 不是它所列的文档类型/);
  });
});

describe('when a catalogue names another catch-all', () => {
  it('the classifier falls back to that type', () => {
    const raw = rawCatalogue();
    raw.catchAll = 'record_filing_receipt';
    const classifier = new DocTypeClassifier(prepareCatalogue(raw));
    const result = classifier.classify({ path: 'x.txt', readable: true, pages: [{ n: 1, text: '一些说明文字，没有标题', source: 'text-layer' }] as never });
    expect(result.docTypes.map((d) => d.id)).toEqual(['record_filing_receipt']);
  });
});
