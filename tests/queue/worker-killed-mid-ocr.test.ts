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
import { createBlobStore, manifestKey, reportKey, type BlobStore } from '../../storage/index.ts';
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
import { startRecordingProxy, type RecordingS3Proxy } from './support/s3-proxy.ts';

const BUCKET = 'kill-test';
const PAGES = 4;

describe('when a worker process is killed (kill -9) in the middle of an OCR job', () => {
  let s3: TestS3Server;
  let proxy: RecordingS3Proxy;
  let config: DistributedConfig;
  let store: BlobStore;
  let connection: Redis;
  let queue: DossierQueue;
  let jobs: Queue;
  const workers: CliProcess[] = [];

  beforeAll(async () => {
    s3 = await startS3Server();
    proxy = await startRecordingProxy(s3.port, BUCKET);
    // Everyone, workers included, reaches S3 through the recording proxy.
    config = testConfig({ prefix: uniquePrefix('kill'), storage: s3StorageConfig(s3, BUCKET, proxy.port) });
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
    await proxy?.stop();
    await s3?.stop();
  });

  it('completes the job on another worker, writes the report once and loses nothing', async () => {
    const archive = await scannedDossier({ pages: PAGES, seed: 11 });
    const first = runCli(['worker'], configEnv(config));
    workers.push(first);
    await first.waitForStderr(/工作进程已启动/);

    const { dossierId } = await queue.submit({ archivePath: archive, checklist: 'municipal-template', stage: 'filing' });
    const manifest = await store.getJson(manifestKey(dossierId), DossierManifestSchema);
    const scanned = manifest.files.find((f) => f.path === SCANNED_FILE)!;
    const ocrJobId = extractJobId(dossierId, scanned.sha256);

    // Mid-OCR: at least one page recognised, pages still to go.
    const midway = await eventually(async () => {
      const progress = (await jobs.getJob(ocrJobId))?.progress as ExtractProgress | undefined;
      return progress && progress.ocrPages >= 1 && progress.pagesDone < progress.pageCount ? progress : undefined;
    }, 'the first worker to OCR a page');
    expect(midway.pageCount).toBe(PAGES);
    const sandboxes = await childPids(first.pid);
    expect(sandboxes.length).toBeGreaterThan(0);

    first.child.kill('SIGKILL');
    expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });
    expect(await jobs.getJobState(ocrJobId)).toBe('active');
    // The orphaned job process notices that its worker is gone and stops instead of finishing a job nobody collects.
    await eventually(async () => (sandboxes.every((pid) => !isAlive(pid)) ? true : undefined), 'the orphaned job processes to exit', 30_000);

    const second = runCli(['worker'], configEnv(config));
    workers.push(second);
    const report = await queue.waitForReport(dossierId, { timeoutMs: 170_000 });

    const ocrJob = (await jobs.getJob(ocrJobId))!;
    expect(await ocrJob.getState()).toBe('completed');
    expect(ocrJob.processedBy).toContain(`:${second.pid}`);
    expect(ocrJob.stalledCounter).toBeGreaterThanOrEqual(1);

    expect(report.files.map((f) => f.path).sort()).toEqual(manifest.files.map((f) => f.path).sort());
    expect(report.files.find((f) => f.path === SCANNED_FILE)).toMatchObject({ status: 'ok' });
    expect(report.summary.ocrPages).toBe(PAGES);
    for (const format of ['json', 'html', 'md'] as const) {
      expect(proxy.successfulPuts(reportKey(dossierId, format)), `report.${format} writes`).toBe(1);
    }

    second.child.kill('SIGTERM');
    expect(await second.exited).toMatchObject({ code: 0 });
  });
});
