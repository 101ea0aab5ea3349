import type { FactsDocument } from './input.ts';
import { bareOrg, bestOf, candidatesOf, evidenceOf, hasType } from './term-evidence.ts';
import type { DossierTerms } from './terms-schema.ts';

/**
 * Test and evaluation reports with their agency and accreditation marks (益阳第二十六条(四) "第三方测评机构", 常德第十七条
 * 第二款 "相应资质"): whether the tester is third-party is the rule's comparison with contractor, supervisor and
 * construction unit; here is what each report says about who tested and under which mark.
 */
export const TEST_REPORT_TYPES = ['third_party_test_report', 'test_report', 'mlps_evaluation_report', 'crypto_assessment_report', 'classified_system_evaluation'];

export function testReports(documents: FactsDocument[]): DossierTerms['testReports'] {
  return documents
    .filter((doc) => hasType(doc, TEST_REPORT_TYPES))
    .map((doc) => {
      const agency = bestOf(doc, 'testingAgency');
      const seen = new Set<string>();
      const marks = candidatesOf(doc, 'accreditation').flatMap((c) => {
        if (c.value.kind !== 'accreditation') return [];
        const key = `${c.value.mark}|${c.value.number ?? ''}`;
        if (seen.has(key)) return [];
        seen.add(key);
        return [{ mark: c.value.mark, number: c.value.number, org: c.value.org, evidence: evidenceOf(c) }];
      });
      return { path: doc.path, docTypes: doc.docTypes, agency: agency?.value.kind === 'org' ? bareOrg(agency.value.normalized) : null, marks };
    });
}
