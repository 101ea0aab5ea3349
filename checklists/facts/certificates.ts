import type { FactsDocument } from './input.ts';
import { candidatesOf, evidenceOf } from './term-evidence.ts';
import type { CertificateTerms } from './terms-schema.ts';

/**
 * Qualification certificates (常德第十四条, 第八条; 沈阳第九条): holder, type, level, number and validity, from whatever
 * file carries them (a certificate scan, a bid's 资格证明 section). Whether one is valid on the relevant date is the
 * rule's comparison; a certificate without a stated end of validity has validUntil null.
 */
export function certificates(documents: FactsDocument[]): CertificateTerms[] {
  const seen = new Set<string>();
  return documents.flatMap((doc) =>
    candidatesOf(doc, 'certificate').flatMap((c) => {
      if (c.value.kind !== 'certificate') return [];
      const { kind: _kind, ...value } = c.value;
      const key = `${value.holderNormalized}|${value.number ?? ''}|${value.level ?? ''}|${value.validUntil?.iso ?? ''}`;
      if (seen.has(key)) return [];
      seen.add(key);
      return [{ ...value, docTypes: doc.docTypes, evidence: evidenceOf(c) }];
    }),
  );
}
