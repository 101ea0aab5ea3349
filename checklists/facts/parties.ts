import { isValidCreditCode, normOrg } from '../../extractors/fields/orgs.ts';
import type { FieldCandidate } from '../../extractors/fields/schema.ts';
import type { FactsDocument } from './input.ts';
import { bestOf, candidatesOf, evidenceOf, hasType } from './term-evidence.ts';
import type { ContractParty, DossierTerms } from './terms-schema.ts';

/**
 * Contract parties (GEN-06, 常德第十五条, 益阳第二十六条(四)): 甲方/乙方 of each contract with the 统一社会信用代码 stated
 * in the party's block, and the awardee of the 中标/成交通知书. A code is attached only to the party it stands under
 * (extract.ts readIdentifiers), never to the nearest name by guess.
 */

export const CONTRACT_TYPES = ['contract', 'supervision_contract', 'om_agreement'] as const;

function party(doc: FactsDocument, c: FieldCandidate | null): ContractParty | null {
  if (!c || c.value.kind !== 'org') return null;
  const normalized = c.value.normalized;
  const identifier = candidatesOf(doc, 'orgIdentifier').find((i) => i.value.kind === 'orgIdentifier' && i.value.org === normalized && i.value.creditCode);
  const code = identifier?.value.kind === 'orgIdentifier' ? identifier.value.creditCode : null;
  return {
    name: c.value.name,
    normalized,
    creditCode: code,
    creditCodeValid: code ? isValidCreditCode(code) : null,
    evidence: identifier ? [evidenceOf(c), evidenceOf(identifier)] : [evidenceOf(c)],
  };
}

export function contractParties(documents: FactsDocument[]): DossierTerms['contracts'] {
  return documents
    .filter((doc) => hasType(doc, CONTRACT_TYPES))
    .map((doc) => ({ path: doc.path, docTypes: doc.docTypes, partyA: party(doc, bestOf(doc, 'partyA')), partyB: party(doc, bestOf(doc, 'partyB')) }))
    .filter((c) => c.partyA || c.partyB);
}

export function awardee(documents: FactsDocument[]): DossierTerms['awardee'] {
  let best: FieldCandidate | null = null;
  for (const doc of documents.filter((d) => hasType(d, ['procurement_documents']))) {
    const c = bestOf(doc, 'awardee');
    if (c && (!best || c.confidence > best.confidence)) best = c;
  }
  if (!best || best.value.kind !== 'org') return null;
  return { name: best.value.name, normalized: normOrg(best.value.name), evidence: evidenceOf(best) };
}
