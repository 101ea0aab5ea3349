import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker, type Job } from 'bullmq';
import { Cluster } from 'ioredis';
import { workerCpuPlan, type WorkerCpuPlan } from '../cpu-plan.ts';
import type { DistributedConfig } from './config.ts';
import { QUEUE_NAME } from './model.ts';
import { encodeRuntime, RUNTIME_ENV } from './processors/runtime.ts';
import { patientConnection, requireRedisUrl } from './redis.ts';

export const SANDBOX_PROCESSOR_FILE = fileURLToPath(new URL('./processors/sandbox-entry.mjs', import.meta.url));

export interface DossierWorkerOptions {
  config: DistributedConfig;
  /** Shown in BullMQ's job records as the worker that ran a job; default `<host>:<pid>`. */
  name?: string;
  /** One line per notable event (job failed, Redis trouble); default none. */
  log?: (line: string) => void;
}

export interface DossierWorker {
  readonly worker: Worker;
  /** How `queue.concurrency` (the cores this process may use) is shared out: jobs at once × OCR threads per job. */
  readonly plan: WorkerCpuPlan;
  /**
   * Stops taking jobs and lets the running ones finish; after `graceMs` (default from config) the ones still running
   * are handed back to the queue for another worker and their child processes are killed. Idempotent.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

/**
 * A worker process's BullMQ worker: jobs run sandboxed in child processes (PDF parsing and OCR cannot starve lock
 * renewal), locks are short so a dead worker's job is taken over within seconds, and every job is safe to run twice.
 */
export function startDossierWorker(options: DossierWorkerOptions): DossierWorker {
  const { config } = options;
  const log = options.log ?? (() => undefined);
  const plan = workerCpuPlan(config.queue.concurrency, config.queue.ocrThreadsPerJob);
  const runtime = encodeRuntime({
    storage: config.storage,
    redisUrl: requireRedisUrl(config.redis, '工作进程'),
    redisCluster: config.redis.cluster,
    prefix: config.queue.prefix,
    ocrThreadsPerJob: plan.ocrThreadsPerJob,
    reportClaimTtlMs: Math.max(60_000, config.queue.lockDurationMs * 6),
  });
  const connection = patientConnection(config.redis);
  const worker = new Worker(QUEUE_NAME, SANDBOX_PROCESSOR_FILE, {
    connection,
    prefix: config.queue.prefix,
    name: options.name ?? `${hostname()}:${process.pid}`,
    // Each job is one sandboxed process: one reader and its own OCR pool; jobs × threads stays within the cores.
    concurrency: plan.jobsAtOnce,
    lockDuration: config.queue.lockDurationMs,
    stalledInterval: config.queue.stalledIntervalMs,
    maxStalledCount: config.queue.maxStalledCount,
    workerForkOptions: { env: { ...process.env, [RUNTIME_ENV]: runtime } },
  });

  const active = new Map<string, Job>();
  worker.on('active', (job) => {
    if (job.id !== undefined) active.set(job.id, job);
  });
  const forget = (job: Job | undefined) => {
    if (job?.id !== undefined) active.delete(job.id);
  };
  worker.on('completed', forget);
  worker.on('failed', (job, error) => {
    forget(job);
    log(`任务失败：${job?.id ?? '?'}（第 ${job?.attemptsMade ?? '?'} 次）：${error.message}`);
  });
  // Without a listener an 'error' event would crash the process; Redis outages are expected and survived.
  let lastError = '';
  worker.on('error', (error) => {
    if (error.message !== lastError) log(`队列连接出错（将自动重试）：${error.message}`);
    lastError = error.message;
  });

  let closing: Promise<void> | undefined;
  const close = (closeOptions: { graceMs?: number } = {}): Promise<void> => {
    closing ??= (async () => {
      const graceMs = closeOptions.graceMs ?? config.queue.shutdownGraceMs;
      const finished = worker.close().then(() => true);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      });
      const inTime = await Promise.race([finished, timedOut]);
      clearTimeout(timer);
      // A cluster client was made here (BullMQ closes only the connections it opened itself).
      const closeOwnConnection = () => (connection instanceof Cluster ? connection.quit().then(() => undefined, () => connection.disconnect()) : undefined);
      if (inTime) return closeOwnConnection();
      log(`停机宽限时间已到，交还 ${active.size} 个未完成的任务`);
      // Hand the jobs back now instead of waiting for their locks to expire; if this fails (Redis away), the
      // stalled-job check of the other workers takes them over once the locks run out.
      await Promise.allSettled([...active.values()].map((job) => (job.token ? job.moveToWait(job.token) : Promise.resolve())));
      killSandboxChildren(worker);
      await finished.catch(() => undefined);
      await closeOwnConnection();
    })();
    return closing;
  };

  return { worker, plan, close };
}

/**
 * BullMQ offers no way to stop a sandboxed job that is running; after the grace period its child process is killed
 * (its OCR threads die with it). This reaches into the worker's child pool, which BullMQ does not expose; should a
 * version rename it, nothing is killed and the children end when this process exits (they stop on 'disconnect').
 */
function killSandboxChildren(worker: Worker): void {
  const pool = (worker as unknown as { childPool?: { retained?: Record<string, { kill(signal: NodeJS.Signals): Promise<void> }> } }).childPool;
  for (const child of Object.values(pool?.retained ?? {})) void child.kill('SIGKILL').catch(() => undefined);
}
