import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type OcrEngine, runDossierFlow, type ExtractionCache, type ProgressEvent, evaluateExtracted, linkDuplicates, readCachedExtractions, storeContents } from '../../pipeline/index.ts';
import type { CompletenessReport } from '../../pipeline/report/schema.ts';
import { originalFileKey, type BlobStore } from '../../storage/index.ts';
import { clockEventsOf, type DossierRecord, type Manifest, type Progress } from '../dossiers/records.ts';

/**
 * One dossier, start to finish, in this process: originals from storage → intake → file bytes to content-addressed
 * storage → extract (cached by content) → evaluate → report. What a re-check needs later (the manifest, the
 * extracted text) is left in storage, so a re-check with new facts never unpacks or reads a file again.
 */

export interface DossierJobContext {
  store: BlobStore;
  ocr: OcrEngine;
  cache: ExtractionCache;
  /** Files extracted at the same time within the dossier. */
  extractConcurrency?: number;
  /**
   * Folder for the per-check work folders (`dossier-api-*`), cleared of a crashed run's leftovers on start
   * (leftovers.ts). Default: the system temporary folder, which nothing clears.
   */
  workRoot?: string;
}

export interface DossierJobResult {
  report: CompletenessReport;
  manifest: Manifest;
}

export async function runDossierJob(ctx: DossierJobContext, record: DossierRecord, onProgress: (p: Progress) => void): Promise<DossierJobResult> {
  const root = ctx.workRoot ?? tmpdir();
  await mkdir(root, { recursive: true });
  const workDir = await mkdtemp(join(root, 'dossier-api-'));
  try {
    onProgress({ stage: 'intake', done: 0, total: 0, percent: 2, message: '正在读取上传的文件' });
    const inputPath = await materialiseUpload(ctx.store, record, join(workDir, 'input'));

    let extractTotal = 0;
    const { report, intake: intakeResult } = await runDossierFlow({
      input: inputPath,
      inputName: record.input.name,
      checklist: record.city,
      stage: record.stage,
      facts: record.facts,
      events: clockEventsOf(record),
      corrections: correctionsForRun(record),
      segmentations: record.segmentations,
      workDir: join(workDir, 'work'),
      ocr: ctx.ocr,
      cache: ctx.cache,
      concurrency: ctx.extractConcurrency ?? 2,
      storeContents: async (files) => {
        await storeContents(ctx.store, files);
        extractTotal = new Set(files.map((f) => f.sha256)).size;
        onProgress({ stage: 'extract', done: 0, total: extractTotal, percent: 8, message: `正在提取文字（共 ${extractTotal} 个文件）` });
      },
      onProgress: (e: ProgressEvent) => {
        if (e.stage === 'intake') {
          onProgress({ stage: 'intake', done: 0, total: 0, percent: 5, path: e.path, message: `正在解包：${e.path}` });
        } else if (e.stage === 'extract') {
          onProgress({ stage: 'extract', done: e.done, total: e.total, percent: Math.round(8 + (84 * e.done) / Math.max(1, e.total)), path: e.path, message: `已提取 ${e.done}/${e.total}：${e.path}` });
        } else {
          onProgress({ stage: 'evaluate', done: extractTotal, total: extractTotal, percent: 95, message: '正在按检查清单核对' });
        }
      },
    });
    const manifest: Manifest = {
      files: intakeResult.files.map(({ localPath: _localPath, ...file }) => file),
      skipped: intakeResult.skipped,
      findings: intakeResult.findings,
      unreadableEntries: intakeResult.unreadableEntries,
    };
    return { report, manifest };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * Re-evaluation with other facts or type corrections from what the first run left in storage. Null when an extraction is no longer
 * cached (the extractor was upgraded since): the dossier must then be processed again.
 */
export async function reevaluate(ctx: Pick<DossierJobContext, 'cache'>, record: DossierRecord, manifest: Manifest): Promise<CompletenessReport | null> {
  const docs = await readCachedExtractions(ctx.cache, manifest.files);
  if (!docs) return null;
  const extracted = linkDuplicates(manifest.files.map((file) => ({ ...file, localPath: '' })), docs);
  return evaluateExtracted({
    input: record.input.name,
    checklist: record.city,
    stage: record.stage,
    facts: record.facts,
    events: clockEventsOf(record),
    corrections: record.typeCorrections,
    segmentations: record.segmentations,
    extracted,
    unreadableEntries: manifest.unreadableEntries,
    skipped: manifest.skipped,
    intakeFindings: manifest.findings,
  });
}

/**
 * The type corrections a run from the files can apply. A 补正 round's folder lacks the unreadable entries carried from
 * earlier rounds; corrections naming them are applied when the round is finished (api/dossiers/rounds.ts).
 */
export function correctionsForRun(record: DossierRecord): DossierRecord['typeCorrections'] {
  const round = record.rounds?.at(-1);
  if (!round || round.n < 2 || !round.files || !record.typeCorrections) return record.typeCorrections;
  const paths = new Set(round.files.map((f) => f.path));
  return record.typeCorrections.filter((c) => paths.has(c.path));
}

/**
 * Copies the uploaded originals out of storage into `dir` and says what intake should open: the single archive or
 * file, or the folder the picked files came from.
 */
export async function materialiseUpload(store: BlobStore, record: DossierRecord, dir: string): Promise<string> {
  const round = record.rounds?.at(-1);
  if (round && round.n >= 2 && round.files) {
    // A 补正 round is its files as a folder, at the paths the report shows; named like the upload, so that the
    // report's input (in either mode, the queue takes the folder's name) stays the same.
    const folder = join(dir, basename(record.input.name) || 'dossier');
    for (const file of round.files) {
      const target = join(folder, ...file.path.split('/'));
      await mkdir(dirname(target), { recursive: true });
      await pipeline(await store.get(file.key), createWriteStream(target));
    }
    return folder;
  }
  for (const part of record.input.parts) {
    const target = join(dir, ...part.path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await pipeline(await store.get(originalFileKey(record.id, part.path)), createWriteStream(target));
  }
  if (record.input.kind === 'archive') return join(dir, ...record.input.parts[0]!.path.split('/'));
  const tops = new Set(record.input.parts.map((p) => p.path.split('/')[0]!));
  const nested = record.input.parts.every((p) => p.path.includes('/'));
  // A picked folder arrives as "项目材料/…": open that folder so paths in the report read as the user sees them.
  return tops.size === 1 && nested ? join(dir, [...tops][0]!) : dir;
}
