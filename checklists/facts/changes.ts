import type { FactsDocument } from './input.ts';
import { bestOf, evidenceOf, hasType } from './term-evidence.ts';
import type { DossierTerms } from './terms-schema.ts';

/**
 * Change amounts (常德第十一条第二款 "变更额度"): the amount each change document states, one per document (its most
 * confident statement). A sentence elsewhere that mentions an increase is not a change document's amount.
 */
export function changeAmounts(documents: FactsDocument[]): DossierTerms['changes'] {
  return documents
    .filter((doc) => hasType(doc, ['change_approval']))
    .flatMap((doc) => {
      const c = bestOf(doc, 'changeAmount');
      if (!c || c.value.kind !== 'change') return [];
      return [{ direction: c.value.direction, wan: c.value.amount.wan, docTypes: doc.docTypes, evidence: evidenceOf(c) }];
    });
}
