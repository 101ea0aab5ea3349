import type { DossierFact } from './derive.ts';
import type { FactsDocument } from './input.ts';
import { awardee, contractParties } from './parties.ts';
import { changeAmounts } from './changes.ts';
import { certificates } from './certificates.ts';
import { meetings } from './meetings.ts';
import { paymentSchedule } from './payment.ts';
import { maintenancePeriod, warrantyPeriod } from './service-periods.ts';
import { testReports } from './testing.ts';
import { drafters, versionMarkers } from './versions.ts';
import type { DossierTerms } from './terms-schema.ts';
import { addDecimalStrings } from '../../extractors/fields/decimal.ts';

/**
 * The dossier's clause facts (terms-schema.ts), one concern per file: parties.ts, payment.ts, service-periods.ts,
 * changes.ts, testing.ts, certificates.ts, meetings.ts, versions.ts. Pure over the documents' field candidates.
 */
export function aggregateTerms(documents: FactsDocument[]): DossierTerms {
  return {
    contracts: contractParties(documents),
    awardee: awardee(documents),
    paymentSchedule: paymentSchedule(documents),
    maintenancePeriod: maintenancePeriod(documents),
    warrantyPeriod: warrantyPeriod(documents),
    changes: changeAmounts(documents),
    testReports: testReports(documents),
    certificates: certificates(documents),
    meetings: meetings(documents),
    versions: versionMarkers(documents),
    drafters: drafters(documents),
  };
}

/** Whether any document stated any clause. */
export function termsStated(terms: DossierTerms): boolean {
  return Object.values(terms).some((v) => (Array.isArray(v) ? v.length > 0 : v !== null));
}

/**
 * Facts of checklists/facts.yaml that the clause facts settle: `changeAmountWan` ("变更文件所载金额"), the sum of the
 * amounts the change documents state, when every one of them gives its unit.
 */
export const TERM_FACTS = ['changeAmountWan'] as const;

export function termFacts(terms: DossierTerms): Record<string, DossierFact> {
  const facts: Record<string, DossierFact> = {};
  const changes = terms.changes;
  if (changes.length > 0 && changes.every((c) => c.wan !== null)) {
    const total = changes.reduce((sum, c) => addDecimalStrings(sum, c.wan!.replace(/^-/, '')), '0');
    const first = changes[0]!.evidence;
    facts.changeAmountWan = {
      value: Number(total),
      source: 'derived',
      from: changes.length === 1 ? `${first.path} 第${first.page}页「${first.label}」` : `${changes.length}份变更文件所载金额之和`,
      evidence: changes.map((c) => ({ path: c.evidence.path, page: c.evidence.page, quote: c.evidence.quote, source: c.evidence.source, label: c.evidence.label })),
    };
  }
  return facts;
}
