import type { FactsDocument } from './input.ts';
import { bestOf, candidatesOf, evidenceOf } from './term-evidence.ts';
import type { DossierTerms } from './terms-schema.ts';

/**
 * Evidence of an expert meeting (益阳第十一条 "组织有关单位和专家召开评审会"; 验收会): per document, the meeting's date,
 * the experts listed and whether a sign-in sheet or the experts' signatures are there. Documents with none of these
 * are left out.
 */
export function meetings(documents: FactsDocument[]): DossierTerms['meetings'] {
  return documents.flatMap((doc) => {
    const date = bestOf(doc, 'meetingDate');
    const lists = candidatesOf(doc, 'expertList');
    const signIn = candidatesOf(doc, 'signInSheet');
    if (!date && lists.length === 0 && signIn.length === 0) return [];
    const experts = [...new Set(lists.flatMap((c) => (c.value.kind === 'names' ? c.value.names : [])))];
    return [
      {
        path: doc.path,
        docTypes: doc.docTypes,
        meetingDate: date?.value.kind === 'date' ? date.value : null,
        experts,
        signIn: signIn.length > 0,
        evidence: [...(date ? [date] : []), ...lists, ...signIn].map(evidenceOf),
      },
    ];
  });
}
