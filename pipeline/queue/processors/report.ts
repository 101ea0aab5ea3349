import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { UnrecoverableError } from 'bullmq';
import type { ExtractedDocument } from '../../../extractors/model.ts';
import { EXTRACTOR_VERSION } from '../../../extractors/registry.ts';
import type { BlobStore } from '../../../storage/index.ts';
import type { ExtractionCache, ExtractedFile } from '../../model.ts';
import { evaluateExtracted } from '../../stages/evaluate.ts';
import { distinctContents, linkDuplicates } from '../../stages/link-duplicates.ts';
import { mapLimited } from '../../concurrency.ts';
import type { CompletenessReport } from '../../report/schema.ts';
import {
  DossierManifestSchema,
  ExtractJobResultSchema,
  type DossierManifest,
  type ExtractJobResult,
  type ReportJobData,
  type ReportJobResult,
} from '../model.ts';
import { hasStoredReport, readStoredReport, writeReportSet } from '../report-store.ts';
import { classifyJobError } from './job-errors.ts';
import type { ReportWriteGuard } from './report-guard.ts';

export interface ReportJobDeps {
  store: BlobStore;
  cache: ExtractionCache;
  guard: ReportWriteGuard;
}

/**
 * The parent job of a dossier: manifest + the children's cached extractions → `evaluateExtracted` (the same pure
 * function the embedded mode calls) → report objects, written once. A second run (takeover after a crash, a
 * resubmission) finds the report and only confirms it.
 */
export async function runReportJob(
  data: ReportJobData,
  childValues: Record<string, unknown>,
  deps: ReportJobDeps,
): Promise<ReportJobResult> {
  try {
    const earlier = await readStoredReport(deps.store, data.dossierId);
    if (earlier) return summaryOf(data.dossierId, earlier, false);

    const manifest = await deps.store.getJson(data.manifestKey, DossierManifestSchema);
    const children = Object.values(childValues).map((value) => ExtractJobResultSchema.parse(value));
    const extracted = await loadExtractions(manifest, children, deps.cache);
    const report = await withChecklist(manifest, (checklist) =>
      evaluateExtracted({
        input: manifest.input,
        checklist,
        stage: manifest.options.stage,
        facts: manifest.options.facts,
        corrections: manifest.options.corrections,
        segmentations: manifest.options.segmentations,
        events: manifest.options.events,
        extracted,
        unreadableEntries: manifest.unreadableEntries,
        skipped: manifest.skipped,
        intakeFindings: manifest.intakeFindings,
        timings: {
          intakeMs: manifest.intakeMs,
          extractMs: extractionSpanMs(children),
          // The whole check, from the start of intake at submission to now, in this process's clock.
          startedAt: performance.now() - (Date.now() - Date.parse(manifest.createdAt)) - manifest.intakeMs,
        },
      }),
    );

    const wrote = await deps.guard.exclusive(data.dossierId, async () => {
      if (await hasStoredReport(deps.store, data.dossierId)) return false;
      await writeReportSet(deps.store, data.dossierId, report);
      return true;
    });
    return summaryOf(data.dossierId, report, wrote);
  } catch (error) {
    throw classifyJobError(error);
  }
}

async function loadExtractions(manifest: DossierManifest, children: ExtractJobResult[], cache: ExtractionCache): Promise<ExtractedFile[]> {
  const versionBySha = new Map(children.map((c) => [c.sha256, c.extractorVersion]));
  const contents = distinctContents(manifest.files);
  const docs = await mapLimited(contents, 8, async (first): Promise<ExtractedDocument> => {
    const doc = await cache.get(first.sha256, versionBySha.get(first.sha256) ?? EXTRACTOR_VERSION);
    if (doc === null) throw new UnrecoverableError(`找不到文件“${first.path}”的提取结果（可能已被删除），请重新提交`);
    return doc;
  });
  const files = manifest.files.map((f) => ({ path: f.path, sha256: f.sha256, size: f.size, kind: f.kind, localPath: f.contentKey }));
  return linkDuplicates(files, new Map(contents.map((f, i) => [f.sha256, docs[i]!])));
}

/** A user's own checklist travels as text in the manifest; the loader wants a file. */
async function withChecklist<T>(manifest: DossierManifest, use: (checklist: string) => T): Promise<T> {
  const ref = manifest.options.checklist;
  if (ref.kind === 'shipped') return use(ref.id);
  const dir = await mkdtemp(join(tmpdir(), 'dossier-checklist-'));
  try {
    const path = join(dir, basename(ref.name));
    await writeFile(path, ref.text);
    return use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function extractionSpanMs(children: ExtractJobResult[]): number {
  if (children.length === 0) return 0;
  return Math.max(...children.map((c) => c.finishedAt)) - Math.min(...children.map((c) => c.startedAt));
}

function summaryOf(dossierId: string, report: CompletenessReport, wroteReport: boolean): ReportJobResult {
  return {
    dossierId,
    complete: report.complete,
    missing: report.summary.missing,
    unreadable: report.summary.unreadable,
    needsConfirmation: report.summary.needsConfirmation,
    files: report.summary.files,
    ocrPages: report.summary.ocrPages,
    wroteReport,
  };
}
