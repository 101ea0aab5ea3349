import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createOcrPool } from '../../extractors/ocr/index.ts';
import { checkDossier } from '../../pipeline/check-dossier.ts';
import { parseFactArguments } from '../../checklists/facts/index.ts';
import { runExtractionCache } from '../helpers/run-cache.ts';
import { compareWithTruth, factPairs, loadSampleTruths } from '../helpers/truth.ts';

const ocr = createOcrPool({ size: 2 });
afterAll(() => ocr.close());

describe('when an officer checks the shared sample dossiers', () => {
  for (const { dir, truth } of loadSampleTruths()) {
    it(`${truth.id} reproduces its truth.json: doc types per file, missing rows, fields`, async () => {
      const report = await checkDossier({
        input: join(dir, truth.archive),
        checklist: truth.city,
        stage: truth.stage,
        facts: parseFactArguments(factPairs(truth.facts)),
        ocr,
        cache: runExtractionCache(),
      });
      expect(compareWithTruth(report, truth)).toEqual([]);
      // Only error-level gaps make a dossier incomplete; a missing warning-level row is advice (建议补充).
      const mustSupply = report.requirements.filter((r) => truth.expectedMissingRows.includes(r.id) && r.severity === 'error');
      expect(report.complete).toBe(mustSupply.length === 0);
      expect(report.verdict.outcome).toBe(mustSupply.length === 0 ? 'complete' : 'needs_supplement');
    });
  }
});
