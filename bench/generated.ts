import { createOcrPool } from '../extractors/ocr/index.ts';
import { checkDossier } from '../pipeline/check-dossier.ts';
import { parseFactArguments } from '../checklists/facts/index.ts';
import { localExtractionCache } from '../pipeline/extraction-cache.ts';
import { compareWithTruth, factPairs, type Truth } from '../tests/helpers/truth.ts';
import { ensureDossier, standardDossiers } from '../tests/fixtures/dossiers/build.ts';
const ocr = createOcrPool({ size: 2 });
const only = process.argv[2];
let ok = 0;
const specs = standardDossiers().filter((s) => !only || s.id.includes(only));
for (const spec of specs) {
  const built = await ensureDossier(spec);
  const truth = built.truth as unknown as Truth;
  const t = Date.now();
  const report = await checkDossier({ input: built.inputPath, checklist: truth.city, stage: truth.stage, facts: parseFactArguments(factPairs(truth.facts)), ocr, cache: localExtractionCache('/tmp/dossier-cache') });
  const m = compareWithTruth(report, truth);
  if (m.length === 0) ok++;
  console.log(truth.id, ((Date.now() - t) / 1000).toFixed(1) + 's', m.length === 0 ? 'OK' : JSON.stringify(m));
}
console.log(`${ok}/${specs.length} OK`);
await ocr.close();
