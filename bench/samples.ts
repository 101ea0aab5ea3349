import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOcrPool } from '../extractors/ocr/index.ts';
import { checkDossier } from '../pipeline/check-dossier.ts';
import { parseFactArguments } from '../checklists/facts/index.ts';
import { compareWithTruth, factPairs, loadSampleTruths } from '../tests/helpers/truth.ts';

export interface SampleBenchRow {
  id: string;
  files: number;
  ocrPages: number;
  seconds: number;
  matchesTruth: boolean;
  timingsMs: Record<string, number>;
}

/** Seconds per sample dossier, cold (no extraction cache), with one OCR pool of two workers as the CLI uses. */
export async function runSamplesBench(options: { log?: (line: string) => void } = {}): Promise<SampleBenchRow[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const ocr = createOcrPool({ size: 2 });
  const rows: SampleBenchRow[] = [];
  try {
    for (const { dir, truth } of loadSampleTruths()) {
      const started = performance.now();
      const report = await checkDossier({ input: join(dir, truth.archive), checklist: truth.city, stage: truth.stage, facts: parseFactArguments(factPairs(truth.facts)), ocr });
      const seconds = (performance.now() - started) / 1000;
      const row = { id: truth.id, files: report.summary.files, ocrPages: report.summary.ocrPages, seconds: Math.round(seconds * 10) / 10, matchesTruth: compareWithTruth(report, truth).length === 0, timingsMs: report.timings };
      rows.push(row);
      log(`  ${row.id}: ${row.seconds} s, ${row.files} files, ${row.ocrPages} OCR pages, truth ${row.matchesTruth ? 'reproduced' : 'NOT reproduced'}`);
    }
  } finally {
    await ocr.close();
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runSamplesBench();
