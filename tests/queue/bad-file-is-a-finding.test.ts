import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  connectForSubmission,
  DossierManifestSchema,
  DossierQueue,
  extractJobId,
  QUEUE_NAME,
  startDossierWorker,
  type DistributedConfig,
  type DossierWorker,
} from '../../pipeline/queue/index.ts';
import { createBlobStore, manifestKey, type BlobStore } from '../../storage/index.ts';
import { startS3Server, type TestS3Server } from '../helpers/s3-server.ts';
import { DAMAGED_FILE, textDossier } from './support/dossiers.ts';
import { purgePrefix, s3StorageConfig, SHARED_REDIS_URL, testConfig, uniquePrefix } from './support/environment.ts';

describe('when a dossier holds a damaged file', () => {
  let s3: TestS3Server;
  let config: DistributedConfig;
  let store: BlobStore;
  let connection: Redis;
  let worker: DossierWorker;

  beforeAll(async () => {
    s3 = await startS3Server();
    // A Redis Cluster style hash-tag prefix, to show BullMQ and the report claim work with it.
    config = testConfig({ prefix: `{${uniquePrefix('badfile')}}`, storage: s3StorageConfig(s3, 'bad-file') });
    store = createBlobStore(config.storage);
    connection = await connectForSubmission(config.redis);
    worker = startDossierWorker({ config });
  });

  afterAll(async () => {
    await worker?.close();
    connection?.disconnect();
    if (config) await purgePrefix(SHARED_REDIS_URL, config.queue.prefix);
    await s3?.stop();
  });

  it('reports the file as unreadable after one attempt instead of retrying it', async () => {
    const queue = new DossierQueue({ store, connection, settings: config.queue });
    const jobs = new Queue(QUEUE_NAME, { connection, prefix: config.queue.prefix });
    try {
      const { dossierId } = await queue.submit({ archivePath: await textDossier({ seed: 41 }), checklist: 'municipal-template', stage: 'filing' });
      const report = await queue.waitForReport(dossierId, { timeoutMs: 120_000 });

      expect(report.files.find((f) => f.path === DAMAGED_FILE)).toMatchObject({ status: 'unreadable' });
      expect(report.findings.some((f) => f.evidence.some((e) => e.path === DAMAGED_FILE))).toBe(true);
      const manifest = await store.getJson(manifestKey(dossierId), DossierManifestSchema);
      const job = await jobs.getJob(extractJobId(dossierId, manifest.files.find((f) => f.path === DAMAGED_FILE)!.sha256));
      expect(await job!.getState()).toBe('completed');
      expect(job!.attemptsStarted).toBe(1);
      expect(job!.stacktrace).toEqual([]);
    } finally {
      await jobs.close();
      await queue.close();
    }
  });
});
