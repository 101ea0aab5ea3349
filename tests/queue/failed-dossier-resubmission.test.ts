import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  connectForSubmission,
  DossierFailedError,
  DossierManifestSchema,
  DossierQueue,
  QUEUE_NAME,
  startDossierWorker,
  type DistributedConfig,
  type DossierWorker,
} from '../../pipeline/queue/index.ts';
import { contentFileKey, createBlobStore, manifestKey, type BlobStore } from '../../storage/index.ts';
import { startS3Server, type TestS3Server } from '../helpers/s3-server.ts';
import { FORM_FILE, textDossier } from './support/dossiers.ts';
import { eventually, purgePrefix, s3StorageConfig, SHARED_REDIS_URL, testConfig, uniquePrefix } from './support/environment.ts';

describe('when a file of a queued dossier has vanished from storage', () => {
  let s3: TestS3Server;
  let config: DistributedConfig;
  let store: BlobStore;
  let connection: Redis;
  let queue: DossierQueue;
  let worker: DossierWorker | undefined;

  beforeAll(async () => {
    s3 = await startS3Server();
    config = testConfig({ prefix: uniquePrefix('vanished'), storage: s3StorageConfig(s3, 'vanished') });
    store = createBlobStore(config.storage);
    connection = await connectForSubmission(config.redis);
    queue = new DossierQueue({ store, connection, settings: config.queue });
  });

  afterAll(async () => {
    await worker?.close();
    await queue?.close();
    connection?.disconnect();
    if (config) await purgePrefix(SHARED_REDIS_URL, config.queue.prefix);
    await s3?.stop();
  });

  it('fails the dossier at once with the reason, and a resubmission uploads the file again and completes', async () => {
    const options = { archivePath: await textDossier({ seed: 81 }), checklist: 'municipal-template', stage: 'filing' as const };
    const first = await queue.submit(options);
    const manifest = await store.getJson(manifestKey(first.dossierId), DossierManifestSchema);
    await store.delete(contentFileKey(manifest.files.find((f) => f.path === FORM_FILE)!.sha256));

    worker = startDossierWorker({ config });
    const failure = queue.waitForReport(first.dossierId, { timeoutMs: 120_000 });
    await expect(failure).rejects.toBeInstanceOf(DossierFailedError);
    await expect(failure).rejects.toThrow(`文件“${FORM_FILE}”无法处理：对象不存在：files/`);
    expect((await queue.status(first.dossierId)).state).toBe('failed');

    // While a sibling file is still being read the old flow cannot be cleared (a submission then asks to retry later).
    const jobs = new Queue(QUEUE_NAME, { connection, prefix: config.queue.prefix });
    await eventually(async () => ((await jobs.getActiveCount()) === 0 ? true : undefined), 'the other files to finish');
    await jobs.close();
    const again = await queue.submit(options);
    expect(again).toMatchObject({ dossierId: first.dossierId, reused: false, uploaded: 1 });
    const report = await queue.waitForReport(again.dossierId, { timeoutMs: 120_000 });
    expect(report.files.find((f) => f.path === FORM_FILE)).toMatchObject({ status: 'ok' });
  });
});
