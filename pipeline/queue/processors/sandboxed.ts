import { Job, Queue, UnrecoverableError, type SandboxedJob } from 'bullmq';
import type { z } from 'zod';
import { createOcrPool, type OcrPool } from '../../../extractors/ocr/index.ts';
import { createBlobStore } from '../../../storage/index.ts';
import { blobExtractionCache } from '../../extraction-cache.ts';
import { EXTRACT_JOB, ExtractJobDataSchema, QUEUE_NAME, REPORT_JOB, ReportJobDataSchema } from '../model.ts';
import { createRedisClient, type RedisClient } from '../redis.ts';
import { runExtractJob } from './extract.ts';
import { runReportJob } from './report.ts';
import { redisReportGuard } from './report-guard.ts';
import { runtimeFromEnv } from './runtime.ts';

/**
 * The processor BullMQ runs in a child process (see sandbox-entry.mjs). PDF parsing is synchronous and OCR is
 * CPU-heavy; here they can take all the CPU they want without delaying the worker's lock renewals, which happen in
 * the parent process. One child runs one job at a time and is reused, so its OCR pool stays warm between jobs.
 */

const runtime = runtimeFromEnv();
const store = createBlobStore(runtime.storage);
const cache = blobExtractionCache(store);
let ocrPool: OcrPool | undefined;
let redis: RedisClient | undefined;
let queue: Queue | undefined;
let current: Promise<unknown> | undefined;

function connection(): RedisClient {
  redis ??= createRedisClient(
    { url: runtime.redisUrl, cluster: runtime.redisCluster, connectTimeoutMs: 10_000 },
    { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(200 * times, 3_000) },
  );
  return redis;
}

export default async function processDossierJob(job: SandboxedJob): Promise<unknown> {
  const run = dispatch(job);
  current = run;
  try {
    return await run;
  } finally {
    current = undefined;
  }
}

async function dispatch(job: SandboxedJob): Promise<unknown> {
  switch (job.name) {
    case EXTRACT_JOB: {
      ocrPool ??= createOcrPool({ size: runtime.ocrThreadsPerJob });
      return runExtractJob(parseData(ExtractJobDataSchema, job), {
        store,
        cache,
        ocr: ocrPool,
        onProgress: (progress) => void job.updateProgress(progress).catch(() => undefined),
      });
    }
    case REPORT_JOB: {
      const data = parseData(ReportJobDataSchema, job);
      // Read directly rather than through the sandbox's IPC proxy, which gives up after 5 s (0.5 s under NODE_ENV=test).
      queue ??= new Queue(QUEUE_NAME, { connection: connection(), prefix: runtime.prefix });
      const parent = await Job.fromId(queue, job.id);
      if (!parent) throw new Error(`任务 ${job.id} 已不在队列中`);
      const childValues = await parent.getChildrenValues();
      return runReportJob(data, childValues, {
        store,
        cache,
        guard: redisReportGuard(connection(), { prefix: runtime.prefix, ttlMs: runtime.reportClaimTtlMs }),
      });
    }
    default:
      throw new UnrecoverableError(`未知的任务类型：${job.name}`);
  }
}

function parseData<T>(schema: z.ZodType<T>, job: SandboxedJob): T {
  const parsed = schema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`任务 ${job.id} 的数据格式不正确：${parsed.error.message}`);
  return parsed.data;
}

async function closeRuntime(): Promise<void> {
  const closing = Promise.allSettled([ocrPool?.close(), queue?.close()]);
  await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
  redis?.disconnect();
}

// BullMQ's child wrapper has already installed its SIGTERM/SIGINT handlers (finish the current job, send its result,
// exit). Ours go in front: let the job finish, close the OCR pool, then hand over to BullMQ's, which still sends
// the result before exiting.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  const bullmqHandlers = process.listeners(signal);
  process.removeAllListeners(signal);
  process.once(signal, () => {
    void (async () => {
      await current?.catch(() => undefined);
      await closeRuntime();
      for (const handler of bullmqHandlers) handler(signal);
    })();
  });
}

// The worker that forked us is gone (killed, crashed): nobody can take our result, and its lock is expiring so that
// another worker redoes the job. Stop now rather than burn CPU on an orphaned job.
process.once('disconnect', () => process.exit(0));
