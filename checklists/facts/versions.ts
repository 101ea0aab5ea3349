import type { FactsDocument } from './input.ts';
import { bestOf, evidenceOf } from './term-evidence.ts';
import type { DossierTerms } from './terms-schema.ts';

/**
 * Version markers (GEN-11: the approved plan is not a 送审稿 or 征求意见稿) and drafters (常德第八条, 益阳第十条, 沈阳第九条:
 * who wrote the plan), per document.
 */
const DRAFT = /送审稿|评审稿|报批稿|修订稿|征求意见稿|讨论稿|初稿|报审稿/;

export function versionMarkers(documents: FactsDocument[]): DossierTerms['versions'] {
  return documents.flatMap((doc) => {
    const c = bestOf(doc, 'versionMarker');
    if (!c || c.value.kind !== 'text') return [];
    return [{ path: doc.path, docTypes: doc.docTypes, marker: c.value.text, final: !DRAFT.test(c.value.text), evidence: evidenceOf(c) }];
  });
}

export function drafters(documents: FactsDocument[]): DossierTerms['drafters'] {
  return documents.flatMap((doc) => {
    const c = bestOf(doc, 'drafter');
    if (!c || c.value.kind !== 'org' || c.confidence < 0.5) return [];
    return [{ path: doc.path, docTypes: doc.docTypes, name: c.value.name, normalized: c.value.normalized, evidence: evidenceOf(c) }];
  });
}
