import { join } from 'node:path';
import { createOcrPool } from '../extractors/ocr/index.ts';
import { checkDossier } from '../pipeline/check-dossier.ts';
import { parseFactArguments } from '../pipeline/facts.ts';
import { localExtractionCache } from '../pipeline/extraction-cache.ts';
import { compareWithTruth, factPairs, loadSampleTruths } from '../tests/helpers/truth.ts';
const ocr = createOcrPool({ size: 2 });
const only = process.argv[2];
for (const { dir, truth } of loadSampleTruths()) {
  if (only && !truth.id.includes(only)) continue;
  const t = Date.now();
  const report = await checkDossier({ input: join(dir, truth.archive), checklist: truth.city, stage: truth.stage, facts: parseFactArguments(factPairs(truth.facts)), ocr, cache: localExtractionCache('/tmp/dossier-cache') });
  const m = compareWithTruth(report, truth);
  console.log(truth.id, ((Date.now() - t) / 1000).toFixed(1) + 's', m.length === 0 ? 'OK' : JSON.stringify(m, null, 0));
  if (process.env.FINDINGS) for (const f of report.findings) console.log('   ', f.ruleId, f.severity, f.message.slice(0, 120));
}
await ocr.close();
