import { describe, expect, it } from 'vitest';
import { DocTypeClassifier } from '../../checklists/classify.ts';
import { loadCatalogue } from '../../checklists/load.ts';
import { makeDocument, PROFILES, SUPPORTED_DOCUMENT_KINDS } from '../fixtures/dossiers/documents.ts';

const classifier = new DocTypeClassifier(loadCatalogue());
const profiles = Object.values(PROFILES).flat();

/**
 * Every document the dossier generator can write — each doc type, each invented project, three phrasings — is
 * classified from its text alone under an uninformative file name: the title decides, not the name.
 */
describe('when any kind of document arrives under an uninformative name', () => {
  for (const kind of SUPPORTED_DOCUMENT_KINDS) {
    it(`recognises ${kind} in every project and phrasing`, () => {
      const wrong: string[] = [];
      for (const [i, profile] of profiles.entries()) {
        for (const variant of [0, 1, 2]) {
          let doc;
          try {
            doc = makeDocument(kind, profile, { variant });
          } catch {
            continue; // the type does not exist for this city
          }
          const r = classifier.classify({ path: `scan${i}${variant}.pdf`, readable: true, pages: [{ n: 1, text: doc.lines.join('\n'), source: 'text-layer' }] });
          const got = r.docTypes.map((d) => d.id);
          const firstOk = doc.docTypes.length > 1 ? doc.docTypes.includes(got[0]!) : got[0] === doc.docTypes[0];
          if (!firstOk || !doc.docTypes.every((t) => got.includes(t))) wrong.push(`${doc.title} → ${got.join(',')}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  }
});
