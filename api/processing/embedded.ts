import type { FastifyBaseLogger } from 'fastify';
import { IntakeError } from '../../pipeline/intake/index.ts';
import { ChecklistValidationError } from '../../pipeline/index.ts';
import type { DossierRepository, Progress } from '../dossiers/records.ts';
import { finishCheck } from '../dossiers/rounds.ts';
import { cpuPlan, type CpuPlan } from '../../pipeline/cpu-plan.ts';
import type { DossierProcessor } from './processor.ts';
import { runDossierJob, type DossierJobContext } from './run-dossier.ts';

export interface EmbeddedProcessorOptions {
  repo: DossierRepository;
  job: DossierJobContext;
  /**
   * How the cores are shared out (PROCESS_CONCURRENCY through cpuPlan): `dossiersAtOnce` dossiers run at once, each
   * reading up to `filesAtOnce` files (the readers themselves are capped process-wide by useCpuPlan). Default: one core.
   */
  plan?: CpuPlan;
  log?: FastifyBaseLogger;
  /** Minimum time between two progress writes to storage; the in-memory status is always current. Default 1000. */
  progressWriteMs?: number;
}

/** Starts of one dossier's check that may end without a result (a crash) before it is no longer queued on start. */
export const MAX_ATTEMPTS = 2;

const INTERRUPTED_MESSAGE = '处理两次均未完成（可能是某个文件导致处理中断），请重新检查或联系管理员';

/**
 * A small in-process job runner: a FIFO of dossier ids, at most `concurrency` running. Jobs live in storage (the
 * dossier record's status), not in memory: after a restart {@link recover} queues whatever was queued or running.
 */
export class EmbeddedProcessor implements DossierProcessor {
  readonly mode = 'embedded' as const;
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private running = 0;
  private closed = false;
  private readonly listeners: Array<(id: string) => void> = [];
  private idleWaiters: Array<() => void> = [];

  readonly plan: CpuPlan;

  constructor(private readonly options: EmbeddedProcessorOptions) {
    this.plan = options.plan ?? cpuPlan(1);
  }

  async submit(dossierId: string): Promise<void> {
    if (this.closed || this.queued.has(dossierId)) return;
    this.queued.add(dossierId);
    this.queue.push(dossierId);
    this.pump();
  }

  onFinished(listener: (dossierId: string) => void): void {
    this.listeners.push(listener);
  }

  async ready(): Promise<{ ok: boolean; detail: string }> {
    return this.closed
      ? { ok: false, detail: '处理器已关闭' }
      : { ok: true, detail: `内置处理：排队 ${this.queue.length}，处理中 ${this.running}` };
  }

  /**
   * Queues dossiers a previous run left queued or half done — unless their check was already started
   * {@link MAX_ATTEMPTS} times without finishing: such a dossier is most likely what stopped the process, and it ends
   * as failed (the officer can check it again) instead of stopping every start after this one. Returns how many
   * were queued again.
   */
  async recover(): Promise<number> {
    const { repo, log } = this.options;
    let n = 0;
    for await (const id of repo.ids()) {
      const record = await repo.get(id).catch(() => null);
      if (!record || (record.status !== 'queued' && record.status !== 'processing')) continue;
      if ((record.attempts ?? 0) < MAX_ATTEMPTS) {
        await this.submit(id);
        n += 1;
        continue;
      }
      const failed = await repo.update(id, (r) =>
        r.status === 'queued' || r.status === 'processing'
          ? { ...r, status: 'failed', error: { code: 'PROCESSING_INTERRUPTED', message: INTERRUPTED_MESSAGE }, progress: { ...r.progress, stage: 'failed', message: INTERRUPTED_MESSAGE } }
          : r,
      );
      log?.warn({ dossierId: id, attempts: record.attempts }, 'dossier interrupted twice, not queued again');
      if (failed?.status === 'failed') this.notify(id);
    }
    return n;
  }

  /** Resolves when nothing is queued or running (tests, graceful shutdown). */
  idle(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    // Running jobs finish (their records would otherwise stay "processing" until the next start recovers them).
    if (this.running > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    const limit = this.plan.dossiersAtOnce;
    while (!this.closed && this.running < limit && this.queue.length > 0) {
      const id = this.queue.shift()!;
      this.running += 1;
      void this.run(id).finally(() => {
        this.queued.delete(id);
        this.running -= 1;
        this.pump();
        if (this.running === 0 && this.queue.length === 0) {
          const waiters = this.idleWaiters;
          this.idleWaiters = [];
          for (const w of waiters) w();
        }
      });
    }
  }

  private async run(id: string): Promise<void> {
    const { repo, log } = this.options;
    // Counted before any work: a start that kills the process must still count.
    const record = await repo.update(id, (r) => ({
      ...r,
      status: 'processing',
      error: undefined,
      attempts: (r.attempts ?? 0) + 1,
      progress: { stage: 'intake', done: 0, total: 0, percent: 1, message: '开始检查' },
    }));
    if (!record) return; // deleted while queued
    let lastWrite = 0;
    let pendingWrite: Promise<unknown> = Promise.resolve();
    const writeEvery = this.options.progressWriteMs ?? 1000;
    const onProgress = (progress: Progress) => {
      const current = { ...record, progress, updatedAt: new Date().toISOString() };
      repo.remember(current);
      const now = Date.now();
      if (now - lastWrite >= writeEvery) {
        lastWrite = now;
        pendingWrite = pendingWrite.then(() => repo.update(id, (r) => (r.status === 'processing' ? { ...r, progress } : r))).catch(() => undefined);
      }
    };
    try {
      const { report, manifest } = await runDossierJob({ ...this.options.job, extractConcurrency: this.plan.filesAtOnce }, record, onProgress);
      await pendingWrite;
      const done = await finishCheck({ repo, cache: this.options.job.cache }, id, report, manifest);
      log?.info({ dossierId: id, complete: report.complete, ms: Math.round(report.timings.totalMs) }, 'dossier checked');
      if (!done) return; // deleted while running
    } catch (error) {
      await pendingWrite;
      const known = error instanceof IntakeError || error instanceof ChecklistValidationError;
      const code = error instanceof IntakeError ? error.code : error instanceof ChecklistValidationError ? 'CHECKLIST_INVALID' : 'PROCESSING_FAILED';
      const message = known ? (error as Error).message : `检查过程中出错：${(error as Error)?.message ?? String(error)}`;
      log?.warn({ dossierId: id, err: error }, 'dossier failed');
      const failed = await repo
        .update(id, (r) => ({ ...r, status: 'failed', error: { code, message }, progress: { ...r.progress, stage: 'failed', message } }))
        .catch(() => null);
      if (!failed) return;
    }
    this.notify(id);
  }

  private notify(id: string): void {
    for (const listener of this.listeners) {
      try {
        listener(id);
      } catch (error) {
        this.options.log?.error({ err: error, dossierId: id }, 'finish listener failed');
      }
    }
  }
}
