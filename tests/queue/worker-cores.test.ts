import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDistributedConfig, startDossierWorker } from '../../pipeline/queue/index.ts';
import { RUNTIME_ENV, runtimeFromEnv } from '../../pipeline/queue/processors/runtime.ts';
import { purgePrefix, SHARED_REDIS_URL, uniquePrefix } from './support/environment.ts';

/**
 * `dossier worker --concurrency N` (WORKER_CONCURRENCY) is the cores the worker process may use, as in `dossier batch`
 * and the API: a real BullMQ worker on the real Redis is started and asked what it runs at once and what each job's
 * sandboxed process is told to start as its OCR pool.
 */
describe('when a queue worker is given a number of cores', () => {
  let dataDir: string;
  const prefix = uniquePrefix('cores');
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'worker-cores-'));
  });
  afterAll(async () => {
    await purgePrefix(SHARED_REDIS_URL, prefix);
    await rm(dataDir, { recursive: true, force: true });
  });

  async function started(env: Record<string, string>) {
    const config = loadDistributedConfig({ env: { REDIS_URL: SHARED_REDIS_URL, QUEUE_PREFIX: prefix, DATA_DIR: dataDir, ...env } });
    const handle = startDossierWorker({ config });
    await handle.worker.waitUntilReady();
    const forkEnv = (handle.worker.opts as { workerForkOptions?: { env?: NodeJS.ProcessEnv } }).workerForkOptions?.env ?? {};
    const runtime = runtimeFromEnv({ [RUNTIME_ENV]: forkEnv[RUNTIME_ENV] });
    await handle.close({ graceMs: 5_000 });
    return { jobsAtOnce: handle.worker.concurrency, ocrThreadsPerJob: runtime.ocrThreadsPerJob, plan: handle.plan };
  }

  it('runs one job per core, each with one OCR thread, by default', async () => {
    expect(await started({ WORKER_CONCURRENCY: '3' })).toMatchObject({ jobsAtOnce: 3, ocrThreadsPerJob: 1 });
  });

  it('with two OCR threads a job, runs half as many jobs so jobs × threads stays within the cores', async () => {
    expect(await started({ WORKER_CONCURRENCY: '4', OCR_THREADS_PER_JOB: '2' })).toMatchObject({ jobsAtOnce: 2, ocrThreadsPerJob: 2 });
    expect(await started({ WORKER_CONCURRENCY: '3', OCR_THREADS_PER_JOB: '2' })).toMatchObject({ jobsAtOnce: 1, ocrThreadsPerJob: 2 });
  });

  it('never gives one job more OCR threads than the worker has cores', async () => {
    expect(await started({ WORKER_CONCURRENCY: '1', OCR_THREADS_PER_JOB: '4' })).toMatchObject({ jobsAtOnce: 1, ocrThreadsPerJob: 1 });
  });
});
