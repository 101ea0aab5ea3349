import { open, readFile } from 'node:fs/promises';
import { sharedIsolatedExtraction, TRANSIENT_LIMIT_CODES, type FileExtractor, type FileOnDisk } from '../../extractors/isolation/isolated-extraction.ts';
import { defaultExtractionLimits } from '../../extractors/limits.ts';
import type { ExtractedDocument, ExtractionContext, ExtractionLimits, ExtractorInput, OcrEngine } from '../../extractors/model.ts';
import { EXTRACTOR_VERSION, OcrEngineError } from '../../extractors/registry.ts';
import { mapLimited } from '../concurrency.ts';
import type { DossierFile } from '../intake/model.ts';
import type { ExtractedFile, ExtractionCache, ProgressEvent } from '../model.ts';
import { distinctContents, linkDuplicates } from './link-duplicates.ts';

/** The extract stage: every distinct content read once, through the cache, in an isolated reader process. */

export interface ExtractOptions {
  ocr: OcrEngine;
  extractionLimits?: ExtractionLimits;
  cache?: ExtractionCache;
  /** Let OCR engine failures reject (the queue retries the job) instead of marking the file unread. */
  rethrowEngineErrors?: boolean;
  /** Files extracted at the same time; OCR inside is bounded by the pool anyway. */
  concurrency?: number;
  /**
   * How one file is read. Default: in a child process with time, memory and page limits (extractors/isolation), so
   * no file can hang or crash the caller. Tests may pass extractDocument to read in-process.
   */
  extractFile?: FileExtractor;
  onProgress?: (event: ProgressEvent) => void;
  /**
   * Fail when the result cannot be cached. The queue's report job reads results only from the cache, so there a
   * failed write must fail (and retry) the file's job; elsewhere the result in hand is enough.
   */
  requireCacheWrite?: boolean;
}

export async function extractAll(files: DossierFile[], options: ExtractOptions): Promise<ExtractedFile[]> {
  const unique = distinctContents(files);
  let done = 0;
  let ocrPages = 0;
  const docs = await mapLimited(unique, options.concurrency ?? 2, async (file) => {
    // The reader process reads the file from intake's folder itself: this process never holds its bytes.
    const read = async (): Promise<ExtractorInput | FileOnDisk> =>
      NOT_READ_KINDS.has(file.kind)
        ? { path: file.path, kind: file.kind, bytes: await readHead(file.localPath) }
        : { path: file.path, kind: file.kind, localPath: file.localPath };
    const { doc } = await extractOne(file.sha256, read, options);
    done += 1;
    ocrPages += doc.meta.ocrPages;
    options.onProgress?.({ stage: 'extract', done, total: unique.length, path: file.path, ocrPages });
    return doc;
  });
  return linkDuplicates(files, new Map(unique.map((f, i) => [f.sha256, docs[i]!])));
}

/**
 * One content: the cached result when it was read before, else its bytes (`read` is called only then) read now and
 * cached, unless the result may differ on a quieter machine. Used by extractAll and by the queue's per-file job.
 */
export async function extractOne(
  sha256: string,
  read: () => Promise<ExtractorInput | FileOnDisk>,
  options: ExtractOptions & { onPage?: ExtractionContext['onPage'] },
): Promise<{ doc: ExtractedDocument; fromCache: boolean }> {
  const cached = await options.cache?.get(sha256, EXTRACTOR_VERSION).catch(() => null);
  if (cached) return { doc: cached, fromCache: true };
  const input = await read();
  const given = options.extractFile;
  const extractFile = given
    ? async (input: ExtractorInput | FileOnDisk, c: ExtractionContext) => given('localPath' in input ? { path: input.path, kind: input.kind, bytes: await readFile(input.localPath) } : input, c)
    : sharedIsolatedExtraction().extract;
  const ctx: ExtractionContext = {
    ocr: options.ocr,
    limits: options.extractionLimits ?? defaultExtractionLimits,
    ...(options.onPage ? { onPage: options.onPage } : {}),
  };
  try {
    const doc = await extractFile(input, ctx);
    if (isWorthCaching(doc)) {
      const writing = options.cache?.put(sha256, EXTRACTOR_VERSION, doc);
      await (options.requireCacheWrite ? writing : writing?.catch(() => undefined));
    }
    return { doc, fromCache: false };
  } catch (error) {
    // The OCR engine itself failed (not the file): report the file as unread for now, and cache nothing so a
    // later run reads it. The queue worker instead lets this error through so the job is retried.
    if (!(error instanceof OcrEngineError) || options.rethrowEngineErrors) throw error;
    const doc: ExtractedDocument = {
      status: 'unreadable',
      message: error.message,
      pages: [],
      meta: { pageCount: 0, ocrPages: 0 },
      findings: [],
      extractorVersion: EXTRACTOR_VERSION,
    };
    return { doc, fromCache: false };
  }
}

/**
 * What an earlier run left in the cache for these contents, for a re-check with new facts (stages 3–5 of flow.ts
 * without reading a file again). Null when any content is no longer cached (the extractors changed since).
 */
export async function readCachedExtractions(
  cache: ExtractionCache,
  files: ReadonlyArray<{ sha256: string }>,
): Promise<Map<string, ExtractedDocument> | null> {
  const docs = new Map<string, ExtractedDocument>();
  for (const { sha256 } of distinctContents(files)) {
    const doc = await cache.get(sha256, EXTRACTOR_VERSION);
    if (!doc) return null;
    docs.set(sha256, doc);
  }
  return docs;
}

/** A file given up on a time limit may read fine on a quieter machine: ask again next time. */
export function isWorthCaching(doc: ExtractedDocument): boolean {
  return !doc.findings.some((finding) => TRANSIENT_LIMIT_CODES.has(finding.code));
}

/** Kinds no extractor reads (they are listed as unsupported): their head is enough, however large the file. */
const NOT_READ_KINDS = new Set(['unknown', 'rar', '7z']);

async function readHead(path: string, bytes = 64 * 1024): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
