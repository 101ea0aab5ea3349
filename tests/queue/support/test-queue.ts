import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  connectForSubmission,
  DossierQueue,
  QUEUE_NAME,
  type DistributedConfig,
  type ExtractProgress,
  type QueueSettings,
} from '../../../pipeline/queue/index.ts';
import { createBlobStore, type BlobStore } from '../../../storage/index.ts';
import { startS3Server, type TestS3Server } from '../../helpers/s3-server.ts';
import { eventually, purgePrefix, s3StorageConfig, SHARED_REDIS_URL, testConfig, uniquePrefix } from './environment.ts';
import { startRecordingProxy, type RecordingS3Proxy } from './s3-proxy.ts';

/**
 * What the queue tests that submit through the real queue set up the same way: an S3 test server (optionally behind
 * the recording proxy, which everyone then goes through), a queue prefix of their own on the shared Redis, the
 * submitting side (store, connection, DossierQueue) and BullMQ's view of the jobs. Workers stay with each test.
 */
export interface TestQueue {
  s3: TestS3Server;
  /** Present when started with `proxy: true`. */
  proxy: RecordingS3Proxy | undefined;
  config: DistributedConfig;
  store: BlobStore;
  connection: Redis;
  queue: DossierQueue;
  /** BullMQ's own view of the queue, to read job states, progress and who processed a job. */
  jobs: Queue;
  /** Closes all of it and deletes the prefix's keys. */
  close(): Promise<void>;
}

export async function startTestQueue(options: { tag: string; bucket: string; proxy?: boolean; queue?: Partial<QueueSettings> }): Promise<TestQueue> {
  const s3 = await startS3Server();
  const proxy = options.proxy ? await startRecordingProxy(s3.port, options.bucket) : undefined;
  const config = testConfig({ prefix: uniquePrefix(options.tag), storage: s3StorageConfig(s3, options.bucket, proxy?.port), queue: options.queue });
  const store = createBlobStore(config.storage);
  const connection = await connectForSubmission(config.redis);
  const queue = new DossierQueue({ store, connection, settings: config.queue });
  const jobs = new Queue(QUEUE_NAME, { connection, prefix: config.queue.prefix });
  return {
    s3,
    proxy,
    config,
    store,
    connection,
    queue,
    jobs,
    async close() {
      await jobs.close();
      await queue.close();
      connection.disconnect();
      await purgePrefix(SHARED_REDIS_URL, config.queue.prefix);
      await proxy?.stop();
      await s3.stop();
    },
  };
}

/** Waits until the extract job is half-way through OCR: at least one page recognised, pages still to go. */
export function ocrHalfWay(jobs: Queue, jobId: string, what: string): Promise<ExtractProgress> {
  return eventually(async () => {
    const progress = (await jobs.getJob(jobId))?.progress as ExtractProgress | undefined;
    return progress && progress.ocrPages >= 1 && progress.pagesDone < progress.pageCount ? progress : undefined;
  }, what);
}
