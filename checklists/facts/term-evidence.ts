import type { FieldCandidate, FieldName } from '../../extractors/fields/schema.ts';
import type { FactsDocument } from './input.ts';
import type { TermEvidence } from './terms-schema.ts';

/** Shared by the clause-fact files: a candidate's provenance as evidence, and a document's candidates of one field. */

export function evidenceOf(c: FieldCandidate): TermEvidence {
  const p = c.provenance;
  return { path: p.path, page: p.page, label: p.label, quote: p.quote, source: p.source };
}

/** The document's candidates of `field`, in the order the extractor read them. */
export function candidatesOf(doc: FactsDocument, field: FieldName): FieldCandidate[] {
  return doc.candidates.filter((c) => c.field === field);
}

/** The most confident candidate of `field` in the document (the first read on a tie). */
export function bestOf(doc: FactsDocument, field: FieldName): FieldCandidate | null {
  let best: FieldCandidate | null = null;
  for (const c of candidatesOf(doc, field)) if (!best || c.confidence > best.confidence) best = c;
  return best;
}

export const hasType = (doc: FactsDocument, types: readonly string[]) => doc.docTypes.some((t) => types.includes(t));

/** Organisation names as compared: norm() already applied, minus a bracket that only carries a certificate number. */
export function bareOrg(normalized: string): string {
  return normalized.replace(/\([^()]*(?:CMA|CNAS|证书|编号|认定|认可)[^()]*\)/g, '');
}
