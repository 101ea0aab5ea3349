import { describe, expect, it } from 'vitest';
import { CompletenessReportSchema } from '../../pipeline/report/schema.ts';
import { ensureDossier, standardDossiers } from '../fixtures/dossiers/build.ts';
import type { DossierSpec } from '../fixtures/dossiers/spec.ts';
import { compareWithTruth, factPairs, type Truth } from '../helpers/truth.ts';
import { dossier } from '../cli/run.ts';

/**
 * Issue 10: a dossier that arrives as RAR5 or 7z, or whose approval is an OFD and whose estimate an .xls, gives the
 * same answer through `dossier check` as the same dossier as a zip of PDFs. The specs are the standard generated
 * dossiers with only the container or the formats changed, so their truth is unchanged.
 */

function standard(id: string): DossierSpec {
  const spec = standardDossiers().find((s) => s.id === id);
  if (!spec) throw new Error(`standard dossier ${id} is gone: pick another one for this test`);
  return structuredClone(spec);
}

function formatDossiers(): Array<{ spec: DossierSpec; what: string }> {
  const rar = standard('gen-changde-acceptance-complete');
  rar.id = 'fmt-rar5-changde-acceptance';
  rar.container = 'rar5';
  rar.archive = '内涝预警调度系统竣工验收资料.rar';

  const rar4 = standard('gen-changde-acceptance-gaps');
  rar4.id = 'fmt-rar4-gbk-changde-acceptance';
  rar4.container = 'rar4-gbk';
  rar4.archive = '竣工验收资料（补）.rar';
  // Nested zips stay zips inside the RAR.

  const sevenZip = standard('gen-yiyang-acceptance-complete');
  sevenZip.id = 'fmt-7z-yiyang-acceptance';
  sevenZip.container = '7z';
  sevenZip.archive = '医保智能监管平台验收资料.7z';
  expect(Object.keys(sevenZip.nestedArchives ?? {})).toEqual(['测评报告.zip']);

  const ofdAndXls = standard('gen-mt-acceptance-complete');
  ofdAndXls.id = 'fmt-ofd-xls-mt-acceptance';
  for (const file of ofdAndXls.files) {
    if (!('docTypes' in file)) continue;
    if (file.docTypes.includes('approval_document')) Object.assign(file, { path: file.path.replace(/\.pdf$/, '.ofd'), format: 'ofd' });
    if (file.docTypes.includes('budget_estimate')) Object.assign(file, { path: file.path.replace(/\.pdf$/, '.xls'), format: 'xls' });
  }
  expect(ofdAndXls.files.filter((f) => 'format' in f && (f.format === 'ofd' || f.format === 'xls'))).toHaveLength(2);

  return [
    { spec: rar, what: 'a RAR5 acceptance dossier with Chinese folder and file names' },
    { spec: rar4, what: 'a RAR4 dossier whose names are GBK bytes only, with gaps' },
    { spec: sevenZip, what: 'a 7z acceptance dossier holding a nested zip' },
    { spec: ofdAndXls, what: 'a dossier whose approval is an OFD and whose estimate is an .xls' },
  ];
}

describe('dossiers in every format a unit sends reproduce their truth through dossier check', () => {
  for (const { spec, what } of formatDossiers()) {
    it(`${what} (${spec.id})`, async () => {
      const built = await ensureDossier(spec);
      const truth = built.truth as unknown as Truth;
      // With this run's extraction cache: the documents inside the RAR, the 7z and beside the OFD are the same bytes
      // as in the zip variants (tests/e2e/generated-dossiers.test.ts), read once a run; what is new here, the
      // containers and the OFD and .xls files, is read here.
      const args = ['check', built.inputPath, '--city', truth.city, '--stage', truth.stage, '--format', 'json'];
      for (const pair of factPairs(truth.facts)) args.push('--fact', pair);
      const { code, stdout, stderr } = await dossier(args);
      expect([0, 1], stderr).toContain(code);
      const report = CompletenessReportSchema.parse(JSON.parse(stdout));
      expect(compareWithTruth(report, truth)).toEqual([]);
      const mustSupply = report.requirements.filter((r) => truth.expectedMissingRows.includes(r.id) && r.severity === 'error');
      expect(report.verdict.outcome).toBe(mustSupply.length === 0 ? 'complete' : 'needs_supplement');
      expect(code).toBe(report.verdict.outcome === 'complete' ? 0 : 1);
      const kinds = new Set(report.files.map((f) => f.kind));
      if (spec.id.includes('ofd')) {
        expect(kinds).toContain('ofd');
        expect(kinds).toContain('xls');
      }
      // Every file the truth calls readable was read, whatever container carried it.
      const unreadable = new Set(truth.files.filter((f) => f.corrupt).map((f) => f.path));
      for (const file of report.files.filter((f) => !f.duplicateOf)) expect(file.status === 'ok', file.path).toBe(!unreadable.has(file.path));
    });
  }
});
