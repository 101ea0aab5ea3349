import { Job, Queue } from 'bullmq';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BlobStore } from '../../storage/index.ts';
import type { CompletenessReport } from '../report/schema.ts';
import { ExtractJobResultSchema, ExtractProgressSchema, reportJobId, type ExtractJobData } from './model.ts';
import { hasStoredReport, readStoredReport } from './report-store.ts';
import { QueueUnavailableError } from './redis.ts';

/**
 * The reading side of the distributed mode: where a submitted dossier stands, and waiting for its report.
 * Submission (pipeline/queue/client.ts) and status share nothing but the queue and the store.
 */

export type DossierState = 'queued' | 'running' | 'completed' | 'failed' | 'unknown';

export interface DossierStatus {
  dossierId: string;
  state: DossierState;
  filesDone: number;
  filesTotal: number;
  /** Pages OCR'd so far (finished files plus pages of files in progress). */
  ocrPages: number;
  failedReason?: string;
}

export class DossierFailedError extends Error {
  override readonly name = 'DossierFailedError';
  constructor(
    readonly dossierId: string,
    reason: string,
  ) {
    super(`案卷 ${dossierId} 检查失败：${reason}`);
  }
}

/** Status and waiting over one BullMQ queue and the report store. */
export class DossierStatusReader {
  constructor(
    private readonly queue: Queue,
    private readonly store: BlobStore,
  ) {}

  async status(dossierId: string): Promise<DossierStatus> {
    const reportReady = await hasStoredReport(this.store, dossierId);
    try {
      const job = await this.queue.getJob(reportJobId(dossierId));
      if (!job) return { dossierId, state: reportReady ? 'completed' : 'unknown', filesDone: 0, filesTotal: 0, ocrPages: 0 };
      const state = await job.getState();
      const counts = await job.getDependenciesCount();
      const filesDone = counts.processed ?? 0;
      const filesTotal = filesDone + (counts.unprocessed ?? 0) + (counts.failed ?? 0) + (counts.ignored ?? 0);
      let ocrPages = 0;
      for (const value of Object.values(await job.getChildrenValues())) {
        const parsed = ExtractJobResultSchema.safeParse(value);
        if (parsed.success) ocrPages += parsed.data.ocrPages;
      }
      if (!reportReady) ocrPages += await this.pagesInProgress(job);
      const progress = { dossierId, filesDone, filesTotal, ocrPages };
      if (reportReady) return { ...progress, state: 'completed' };
      if (state === 'failed') return { ...progress, state: 'failed', failedReason: await this.failureReason(job) };
      // The report job has finished but the report is not in storage: it was deleted. A resubmission redoes it.
      if (state === 'completed') return { ...progress, state: 'unknown' };
      const startedAnything = filesDone > 0 || state === 'active' || ocrPages > 0;
      return { ...progress, state: startedAnything ? 'running' : 'queued' };
    } catch (error) {
      if (reportReady) return { dossierId, state: 'completed', filesDone: 0, filesTotal: 0, ocrPages: 0 };
      throw asQueueError(error);
    }
  }

  /**
   * Waits until the report is in storage and returns it. Polls, so it rides out a Redis outage (reporting it
   * through `onProgress` as state 'unknown' with `waitingForRedis`) instead of depending on one event stream.
   */
  async waitForReport(
    dossierId: string,
    options: { timeoutMs?: number; pollMs?: number; onProgress?: (status: DossierStatus & { waitingForRedis?: boolean }) => void } = {},
  ): Promise<CompletenessReport> {
    const deadline = Date.now() + (options.timeoutMs ?? Number.POSITIVE_INFINITY);
    const pollMs = options.pollMs ?? 500;
    for (;;) {
      let status: DossierStatus | undefined;
      try {
        status = await this.status(dossierId);
      } catch (error) {
        if (!(error instanceof QueueUnavailableError)) throw error;
        options.onProgress?.({ dossierId, state: 'unknown', filesDone: 0, filesTotal: 0, ocrPages: 0, waitingForRedis: true });
      }
      if (status) {
        options.onProgress?.(status);
        if (status.state === 'completed') {
          const report = await readStoredReport(this.store, dossierId);
          if (report) return report;
        }
        if (status.state === 'failed') throw new DossierFailedError(dossierId, status.failedReason ?? '未知原因');
        if (status.state === 'unknown') throw new DossierFailedError(dossierId, '队列中没有这个案卷，也没有它的报告（可能已过期或从未提交）');
      }
      if (Date.now() >= deadline) throw new Error(`等待案卷 ${dossierId} 的报告超时`);
      await sleep(pollMs);
    }
  }

  readReport(dossierId: string): Promise<CompletenessReport | null> {
    return readStoredReport(this.store, dossierId);
  }

  /** A parent failed by a child says only "child … failed"; the child knows why. */
  private async failureReason(parent: Job): Promise<string> {
    const dependencies = await parent.getDependencies({ failed: { count: 10 }, unprocessed: { count: 100 } });
    for (const key of [...(dependencies.failed ?? []), ...(dependencies.unprocessed ?? [])]) {
      const child = await this.queue.getJob(jobIdOfKey(key));
      if (child?.failedReason) return `文件“${(child.data as ExtractJobData).path}”无法处理：${child.failedReason}`;
    }
    return parent.failedReason ?? '未知原因';
  }

  private async pagesInProgress(parent: Job): Promise<number> {
    const dependencies = await parent.getDependencies({ unprocessed: { count: 50 } });
    const jobIds = (dependencies.unprocessed ?? []).map(jobIdOfKey);
    let pages = 0;
    for (const id of jobIds) {
      const child = await this.queue.getJob(id);
      const progress = ExtractProgressSchema.safeParse(child?.progress);
      if (progress.success) pages += progress.data.ocrPages;
    }
    return pages;
  }
}

/** `<prefix>:checks:<jobId>` → job id (ids never contain ':'). */
function jobIdOfKey(key: string): string {
  return key.slice(key.lastIndexOf(':') + 1);
}

/** ioredis says "Stream isn't writeable…" or "Connection is closed." while Redis is away: say it plainly. */
export function asQueueError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (/Stream isn't writeable|Connection is closed|ECONNREFUSED|ETIMEDOUT|ECONNRESET|MaxRetriesPerRequest/i.test(message)) {
    return new QueueUnavailableError(`与 Redis 的连接中断（${message}）。请确认 Redis 可用后重试`, { cause: error });
  }
  return error instanceof Error ? error : new Error(message);
}
