import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  connectForSubmission,
  DossierManifestSchema,
  DossierQueue,
  extractJobId,
  QUEUE_NAME,
  type DistributedConfig,
  type ExtractProgress,
} from '../../pipeline/queue/index.ts';
import { createBlobStore, manifestKey, type BlobStore } from '../../storage/index.ts';
import { startS3Server, type TestS3Server } from '../helpers/s3-server.ts';
import { scannedDossier, SCANNED_FILE } from './support/dossiers.ts';
import {
  childPids,
  configEnv,
  eventually,
  isAlive,
  killProcessGroup,
  purgePrefix,
  runCli,
  s3StorageConfig,
  SHARED_REDIS_URL,
  testConfig,
  uniquePrefix,
  type CliProcess,
} from './support/environment.ts';

describe('when a worker process receives SIGTERM', () => {
  let s3: TestS3Server;
  let config: DistributedConfig;
  let store: BlobStore;
  let connection: Redis;
  let queue: DossierQueue;
  let jobs: Queue;
  const workers: CliProcess[] = [];

  beforeAll(async () => {
    s3 = await startS3Server();
    config = testConfig({ prefix: uniquePrefix('sigterm'), storage: s3StorageConfig(s3, 'sigterm') });
    store = createBlobStore(config.storage);
    connection = await connectForSubmission(config.redis);
    queue = new DossierQueue({ store, connection, settings: config.queue });
    jobs = new Queue(QUEUE_NAME, { connection, prefix: config.queue.prefix });
  });

  afterAll(async () => {
    for (const w of workers) killProcessGroup(w.pid);
    await jobs?.close();
    await queue?.close();
    connection?.disconnect();
    if (config) await purgePrefix(SHARED_REDIS_URL, config.queue.prefix);
    await s3?.stop();
  });

  function startWorker(graceMs: number): CliProcess {
    const worker = runCli(['worker'], { ...configEnv(config), SHUTDOWN_GRACE_MS: String(graceMs) });
    workers.push(worker);
    return worker;
  }

  /** Submits an OCR-heavy dossier and returns once `worker` is half-way through OCR'ing its scanned file. */
  async function submitAndWaitForOcr(worker: CliProcess, pages: number, seed: number) {
    await worker.waitForStderr(/工作进程已启动/);
    const { dossierId } = await queue.submit({ archivePath: await scannedDossier({ pages, seed }), checklist: 'municipal-template', stage: 'filing' });
    const manifest = await store.getJson(manifestKey(dossierId), DossierManifestSchema);
    const ocrJobId = extractJobId(dossierId, manifest.files.find((f) => f.path === SCANNED_FILE)!.sha256);
    await eventually(async () => {
      const progress = (await jobs.getJob(ocrJobId))?.progress as ExtractProgress | undefined;
      return progress && progress.ocrPages >= 1 && progress.pagesDone < progress.pageCount ? progress : undefined;
    }, 'OCR to be half-way');
    return { dossierId, ocrJobId, sandboxes: await childPids(worker.pid) };
  }

  it('finishes the running job, stops its job processes and exits with code 0', async () => {
    const worker = startWorker(120_000);
    const { dossierId, ocrJobId, sandboxes } = await submitAndWaitForOcr(worker, 2, 61);
    expect(sandboxes.length).toBeGreaterThan(0);

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toMatchObject({ code: 0 });
    const job = (await jobs.getJob(ocrJobId))!;
    expect(await job.getState()).toBe('completed');
    expect(job.processedBy).toContain(`:${worker.pid}`);
    expect(job.stalledCounter).toBe(0);
    expect(sandboxes.filter(isAlive)).toEqual([]);
    expect(worker.stderr()).toContain('工作进程已停止');

    const next = startWorker(120_000);
    const report = await queue.waitForReport(dossierId, { timeoutMs: 120_000 });
    expect(report.summary.ocrPages).toBe(2);
    next.child.kill('SIGTERM');
    expect(await next.exited).toMatchObject({ code: 0 });
  });

  it('hands a job that outlasts the grace period back to the queue at once, for another worker', async () => {
    const worker = startWorker(500);
    const { dossierId, ocrJobId, sandboxes } = await submitAndWaitForOcr(worker, 3, 62);

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toMatchObject({ code: 0 });
    expect(await jobs.getJobState(ocrJobId)).toBe('waiting');
    expect(worker.stderr()).toMatch(/交还 1 个未完成的任务/);
    await eventually(async () => (sandboxes.every((pid) => !isAlive(pid)) ? true : undefined), 'the job processes to be gone', 30_000);

    const next = startWorker(120_000);
    const report = await queue.waitForReport(dossierId, { timeoutMs: 170_000 });
    expect(report.summary.ocrPages).toBe(3);
    const job = (await jobs.getJob(ocrJobId))!;
    expect(job.processedBy).toContain(`:${next.pid}`);
    expect(job.stalledCounter).toBe(0);
    next.child.kill('SIGTERM');
    expect(await next.exited).toMatchObject({ code: 0 });
  });
});
