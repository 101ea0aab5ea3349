import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiConfigFromEnv, parseApiConfig } from '../../api/config.ts';
import type { EmbeddedProcessor } from '../../api/processing/embedded.ts';
import { startServer, type RunningServer } from '../../api/server.ts';
import { sharedIsolatedExtraction } from '../../extractors/isolation/isolated-extraction.ts';
import { closeSharedOcrPool, getSharedOcrPool } from '../../extractors/ocr/index.ts';
import { runBatch } from '../../pipeline/batch.ts';
import { defaultCores } from '../../pipeline/cpu-plan.ts';
import { sharedPath } from '../helpers/shared-data.ts';

/**
 * `--concurrency` means one thing everywhere: the cores the process may use. In a batch and in the API the one OCR
 * pool, the reader processes and the dossiers in flight are all sized from it (the queue worker: worker-cores.test.ts).
 * Counts are read from the real pool and readers while real dossiers are checked; nothing here measures time.
 */
describe('when dossier batch is given --concurrency', () => {
  let folder: string;
  let out: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'cores-batch-in-'));
    out = await mkdtemp(join(tmpdir(), 'cores-batch-out-'));
    for (const name of ['甲.zip', '乙.zip', '丙.zip']) await copyFile(sharedPath('samples', 'dossiers', 'sample-05-mt-filing', 'dossier.zip'), join(folder, name));
  });
  afterAll(async () => {
    await closeSharedOcrPool();
    await rm(folder, { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  });

  async function batchWith(concurrency: number) {
    let inFlight = 0;
    let peakDossiers = 0;
    let ocrSize = 0;
    const summary = await runBatch({
      folder,
      checklist: 'municipal-template',
      stage: 'filing',
      facts: { filingStep: 'approval' },
      outDir: out,
      concurrency,
      onPlan: () => {
        ocrSize = getSharedOcrPool().stats().size;
      },
      onProgress: (e) => {
        if (e.stage === 'dossier-start') peakDossiers = Math.max(peakDossiers, ++inFlight);
        if (e.stage === 'dossier-done') inFlight -= 1;
      },
    });
    const readers = sharedIsolatedExtraction();
    await closeSharedOcrPool();
    return { summary, ocrSize, peakDossiers, readerCap: readers.readerCap, peakReaders: readers.stats().peakBusy };
  }

  it('with 1 core: one OCR thread, one file read at a time, one dossier at a time', async () => {
    const run = await batchWith(1);
    expect(run.summary.rows.filter((r) => !r.failure)).toHaveLength(3);
    expect(run).toMatchObject({ ocrSize: 1, peakDossiers: 1, readerCap: 1, peakReaders: 1 });
  });

  it('with 2 cores: two OCR threads, two dossiers in flight, and still no more than two files read at once between them', async () => {
    const run = await batchWith(2);
    expect(run.summary.rows.filter((r) => !r.failure)).toHaveLength(3);
    expect(run).toMatchObject({ ocrSize: 2, peakDossiers: 2, readerCap: 2 });
    expect(run.peakReaders).toBeLessThanOrEqual(2);
  });
});

describe('when the API checks dossiers itself (PROCESS_CONCURRENCY)', () => {
  let dataDir: string;
  let server: RunningServer | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cores-api-'));
    process.env.DATA_DIR = dataDir;
    delete process.env.STORAGE;
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it.each([1, 3])('with %i cores sizes the OCR pool, the readers and the dossiers in flight to that', async (cores) => {
    server = await startServer(parseApiConfig({ host: '127.0.0.1', port: 0, bootstrapAdmin: false, logLevel: 'silent', processConcurrency: cores }), {});
    const processor = server.ctx.processor as EmbeddedProcessor;
    expect(getSharedOcrPool().stats().size).toBe(cores);
    expect(sharedIsolatedExtraction().readerCap).toBe(cores);
    expect(processor.plan).toEqual({ cores, ocrWorkers: cores, filesAtOnce: cores, dossiersAtOnce: cores });
  });

  it('reads PROCESS_CONCURRENCY as cores, defaulting to the machine’s, and refuses 0', () => {
    expect(apiConfigFromEnv({ PROCESS_CONCURRENCY: '2' }).processConcurrency).toBe(2);
    expect(apiConfigFromEnv({}).processConcurrency).toBe(defaultCores());
    expect(() => apiConfigFromEnv({ PROCESS_CONCURRENCY: '0' })).toThrow(/不能小于 1/);
  });
});
