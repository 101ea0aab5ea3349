import { afterAll, describe, expect, it } from 'vitest';
import { createOcrPool } from '../../extractors/ocr/index.ts';
import { checkDossier } from '../../pipeline/check-dossier.ts';
import { parseFactArguments } from '../../checklists/facts/index.ts';
import type { CompletenessReport } from '../../pipeline/report/schema.ts';
import { ensureDossier, standardDossiers } from '../fixtures/dossiers/build.ts';
import { runExtractionCache } from '../helpers/run-cache.ts';
import { compareWithTruth, factPairs, type Truth } from '../helpers/truth.ts';

const ocr = createOcrPool({ size: 2 });
afterAll(() => ocr.close());

/**
 * End to end on generated dossiers, one complete-ish and one with gaps per jurisdiction and stage, each with its own
 * traps (GBK names, scans and photos, misleading and uninformative names, "详见监理报告", combined reports, a corrupt or
 * encrypted only carrier, duplicates, nested zips, junk). Their truth is worked out by hand in the specs.
 */
describe('when generated dossiers of every jurisdiction and stage are checked', () => {
  for (const spec of standardDossiers()) {
    it(`${spec.id} (${spec.traps.join(', ')}) matches its truth`, async () => {
      const built = await ensureDossier(spec);
      const truth = built.truth as unknown as Truth & { traps: string[]; junk: string[] };
      const report = await checkDossier({
        input: built.inputPath,
        checklist: truth.city,
        stage: truth.stage,
        facts: parseFactArguments(factPairs(truth.facts)),
        ocr,
        // What is under test is the whole check against the truth, not reading: a file read before in this run (the
        // same bytes in tests/e2e/format-dossiers.test.ts's RAR, 7z and OFD variants) is read once.
        cache: runExtractionCache(),
      });
      expect(compareWithTruth(report, truth)).toEqual([]);
      // Only error-level gaps make a dossier incomplete; a missing warning-level row is advice (建议补充).
      const mustSupply = report.requirements.filter((r) => truth.expectedMissingRows.includes(r.id) && r.severity === 'error');
      expect(report.complete).toBe(mustSupply.length === 0);
      for (const trap of truth.traps) checkTrap(trap, report, truth);
    });
  }
});

function checkTrap(trap: string, report: CompletenessReport, truth: Truth & { junk: string[] }): void {
  const [kind, docType] = trap.split(':');
  if (kind === 'corrupt_only_carrier' || kind === 'encrypted_only_carrier') {
    const row = report.requirements.find((r) => r.docTypes.includes(docType!) && truth.expectedMissingRows.includes(r.id));
    expect(row?.status, `${trap}: the row needing ${docType} says the only carrier could not be read`).toBe('unreadable');
    const file = report.files.find((f) => f.status !== 'ok' && f.contentDocTypes.includes(docType!));
    expect(file, `${trap}: the unreadable file is listed with what it would have been`).toBeDefined();
  }
  if (kind === 'junk') expect(report.skipped.length).toBe(truth.junk.length);
  if (kind === 'duplicate') expect(report.files.some((f) => f.duplicateOf)).toBe(true);
  if (kind === 'see_supervision_report') {
    const supervision = report.requirements.filter((r) => r.docTypes.some((t) => t === 'supervision_report'));
    for (const row of supervision) if (truth.expectedMissingRows.includes(row.id)) expect(row.status).toBe('missing');
  }
}
