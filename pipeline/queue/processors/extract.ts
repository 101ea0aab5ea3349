import { createHash } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { UnrecoverableError } from 'bullmq';
import type { ExtractedDocument, ExtractionLimits, OcrEngine } from '../../../extractors/model.ts';
import { EXTRACTOR_VERSION } from '../../../extractors/registry.ts';
import type { FileExtractor } from '../../../extractors/isolation/isolated-extraction.ts';
import type { BlobStore } from '../../../storage/index.ts';
import type { ExtractionCache } from '../../model.ts';
import { extractOne } from '../../stages/extract.ts';
import type { ExtractJobData, ExtractJobResult, ExtractProgress } from '../model.ts';
import { classifyJobError } from './job-errors.ts';

export interface ExtractJobDeps {
  store: BlobStore;
  cache: ExtractionCache;
  ocr: OcrEngine;
  limits?: ExtractionLimits;
  /** How the file is read; default in an isolated child process (extractors/isolation). */
  extractFile?: FileExtractor;
  onProgress?: (progress: ExtractProgress) => void;
}

/**
 * One file of one dossier: the cached result when this content was read before (by any dossier), else the bytes
 * from storage through the extractor registry into the cache. Safe to run twice: the cache entry is keyed by
 * content and written whole, so a second run either finds it or writes the same thing again.
 */
export async function runExtractJob(data: ExtractJobData, deps: ExtractJobDeps): Promise<ExtractJobResult> {
  const startedAt = Date.now();
  try {
    let pagesDone = 0;
    let ocrPages = 0;
    const { doc, fromCache } = await extractOne(
      data.sha256,
      async () => {
        const bytes = await buffer(await deps.store.get(data.contentKey));
        const actual = createHash('sha256').update(bytes).digest('hex');
        if (actual !== data.sha256) {
          throw new UnrecoverableError(`存储中的文件内容与摘要不符（${data.contentKey}）：可能已损坏或被替换`);
        }
        return { path: data.path, bytes, kind: data.kind };
      },
      {
        ocr: deps.ocr,
        cache: deps.cache,
        requireCacheWrite: true,
        // A failing OCR engine says nothing about the file: let BullMQ retry the job.
        rethrowEngineErrors: true,
        ...(deps.limits ? { extractionLimits: deps.limits } : {}),
        ...(deps.extractFile ? { extractFile: deps.extractFile } : {}),
        onPage: ({ pageCount, source }) => {
          pagesDone += 1;
          if (source === 'ocr') ocrPages += 1;
          deps.onProgress?.({ path: data.path, pagesDone, pageCount, ocrPages });
        },
      },
    );
    return resultOf(data, doc, { cached: fromCache, startedAt });
  } catch (error) {
    throw classifyJobError(error);
  }
}

function resultOf(data: ExtractJobData, doc: ExtractedDocument, run: { cached: boolean; startedAt: number }): ExtractJobResult {
  return {
    sha256: data.sha256,
    // The cache key's version (the whole registry build), not the per-format version inside the document.
    extractorVersion: EXTRACTOR_VERSION,
    status: doc.status,
    pageCount: doc.meta.pageCount,
    ocrPages: run.cached ? 0 : doc.meta.ocrPages,
    cached: run.cached,
    startedAt: run.startedAt,
    finishedAt: Date.now(),
  };
}
