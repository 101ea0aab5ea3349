import { mkdtemp, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OcrEngineError } from '../../extractors/registry.ts';
import type { OcrEngine } from '../../extractors/model.ts';
import { blobExtractionCache } from '../../pipeline/extraction-cache.ts';
import { runExtractJob } from '../../pipeline/queue/processors/extract.ts';
import { EXTRACTOR_VERSION } from '../../extractors/registry.ts';
import { contentFileKey, LocalFolderStore, TransientStorageError, type BlobStore } from '../../storage/index.ts';
import { scannedPdf } from './support/dossiers.ts';

const brokenEngine: OcrEngine = {
  recognize: async () => {
    throw new Error('tesseract worker exited');
  },
  close: async () => undefined,
};

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('when an extract job meets trouble', () => {
  let root: string;
  let store: BlobStore;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'extract-job-'));
    store = new LocalFolderStore({ root });
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('lets an OCR engine failure through so the job is retried, and caches nothing', async () => {
    const bytes = await scannedPdf(51, 1);
    const sha = sha256(bytes);
    await store.put(contentFileKey(sha), bytes);
    const cache = blobExtractionCache(store);
    const run = runExtractJob({ dossierId: 'd-test', sha256: sha, contentKey: contentFileKey(sha), path: '扫描件.pdf', kind: 'pdf' }, { store, cache, ocr: brokenEngine });
    await expect(run).rejects.toBeInstanceOf(OcrEngineError);
    await expect(run).rejects.not.toHaveProperty('name', 'UnrecoverableError');
    expect(await cache.get(sha, EXTRACTOR_VERSION)).toBeNull();
  });

  it('gives up at once (no retries) when the file is not in storage', async () => {
    const sha = sha256(Buffer.from('never uploaded'));
    const run = runExtractJob({ dossierId: 'd-test', sha256: sha, contentKey: contentFileKey(sha), path: 'a.pdf', kind: 'pdf' }, { store, cache: blobExtractionCache(store), ocr: brokenEngine });
    await expect(run).rejects.toHaveProperty('name', 'UnrecoverableError');
  });

  it('gives up at once when the stored bytes do not match the hash the job names', async () => {
    const sha = sha256(Buffer.from('the real content'));
    await store.put(contentFileKey(sha), Buffer.from('something else'));
    const run = runExtractJob({ dossierId: 'd-test', sha256: sha, contentKey: contentFileKey(sha), path: 'a.txt', kind: 'text' }, { store, cache: blobExtractionCache(store), ocr: brokenEngine });
    await expect(run).rejects.toThrow(/内容与摘要不符/);
    await expect(run).rejects.toHaveProperty('name', 'UnrecoverableError');
  });

  it('retries when storage is only briefly unavailable', async () => {
    const bytes = Buffer.from('项目立项申报表', 'utf8');
    const sha = sha256(bytes);
    const flaky: BlobStore = Object.assign(Object.create(store) as BlobStore, {
      get: async () => {
        throw new TransientStorageError('对象存储暂时不可用（测试）');
      },
    });
    const run = runExtractJob({ dossierId: 'd-test', sha256: sha, contentKey: contentFileKey(sha), path: 'a.txt', kind: 'text' }, { store: flaky, cache: blobExtractionCache(store), ocr: brokenEngine });
    await expect(run).rejects.toBeInstanceOf(TransientStorageError);
  });

  it('turns a damaged file into a status and caches it, so it is never read again', async () => {
    const bytes = (await scannedPdf(52, 1)).subarray(0, 2000);
    const sha = sha256(bytes);
    await store.put(contentFileKey(sha), bytes);
    const cache = blobExtractionCache(store);
    const data = { dossierId: 'd-test', sha256: sha, contentKey: contentFileKey(sha), path: '损坏.pdf', kind: 'pdf' as const };
    const first = await runExtractJob(data, { store, cache, ocr: brokenEngine });
    expect(first).toMatchObject({ status: 'unreadable', cached: false });
    const again = await runExtractJob(data, { store, cache, ocr: brokenEngine });
    expect(again).toMatchObject({ status: 'unreadable', cached: true, extractorVersion: EXTRACTOR_VERSION });
  });
});
