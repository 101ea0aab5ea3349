import type { FactsDocument } from './input.ts';
import { candidatesOf, evidenceOf, hasType } from './term-evidence.ts';
import type { ServicePeriod } from './terms-schema.ts';

/**
 * The agreed O&M period (益阳第二十一条 "约定建设后的运维期一般不少于3年") and warranty period: only what a contract or an
 * O&M agreement agrees counts (a proposal's "运维期三年" is a plan, not an agreement). Several stated: the longest,
 * since one clause may cover a part ("关键部件") and the rule asks whether the agreement reaches three years.
 */
const AGREEMENT_TYPES = ['contract', 'om_agreement'];

function longest(documents: FactsDocument[], field: 'maintenancePeriod' | 'warrantyPeriod'): ServicePeriod | null {
  let best: ServicePeriod | null = null;
  for (const doc of documents.filter((d) => hasType(d, AGREEMENT_TYPES))) {
    for (const c of candidatesOf(doc, field)) {
      if (c.value.kind !== 'duration') continue;
      if (!best || c.value.months > best.months) best = { months: c.value.months, from: c.value.from, text: c.value.text, docTypes: doc.docTypes, evidence: evidenceOf(c) };
    }
  }
  return best;
}

export const maintenancePeriod = (documents: FactsDocument[]) => longest(documents, 'maintenancePeriod');
export const warrantyPeriod = (documents: FactsDocument[]) => longest(documents, 'warrantyPeriod');
