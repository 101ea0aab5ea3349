import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { Queue } from 'bullmq';
import {
  connectRedis,
  DossierManifestSchema,
  DossierQueue,
  loadDistributedConfig,
  QUEUE_NAME,
  type DistributedConfig,
  type RedisClient,
} from '../../pipeline/queue/index.ts';
import { BlobNotFoundError, manifestKey, type BlobStore } from '../../storage/index.ts';
import { clockEventsOf, type DossierRepository, type Manifest } from '../dossiers/records.ts';
import { finishCheck } from '../dossiers/rounds.ts';
import { blobExtractionCache } from '../../pipeline/extraction-cache.ts';
import type { ExtractionCache } from '../../pipeline/index.ts';
import type { DossierProcessor } from './processor.ts';
import { correctionsForRun, materialiseUpload } from './run-dossier.ts';

/**
 * The distributed mode behind the API (REDIS_URL set): the dossier goes to pipeline/queue's BullMQ flow and workers
 * elsewhere extract and report. The queue names dossiers by content (same archive + options → same queue id, so a
 * resubmission reuses the work); the API keeps its own id per upload and records the queue id in the record.
 *
 * Progress is polled from the queue for the dossiers this node submitted (and, after a restart, for every dossier
 * left queued or processing). When the queue has a report, it is copied under the API's id together with a
 * manifest in the API's shape, so re-checks and file links work as in the embedded mode. With several API nodes,
 * every node that recovered a dossier polls it; the copy is idempotent, but a completion webhook may then be sent
 * more than once (receivers deduplicate by `deliveryId`/dossier id).
 */
export class DistributedProcessor implements DossierProcessor {
  readonly mode = 'distributed' as const;
  private readonly watching = new Set<string>();
  private readonly listeners: Array<(id: string) => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  /** Where uploads are copied out before they are queued (see leftovers.ts). */
  private workRoot = tmpdir();
  /** The workers' extraction cache: a 补正 round is finished from it (api/dossiers/rounds.ts). */
  private readonly cache: ExtractionCache;

  private constructor(
    private readonly repo: DossierRepository,
    private readonly store: BlobStore,
    private readonly queue: DossierQueue,
    private readonly connection: RedisClient,
    readonly settings: DistributedConfig,
    private readonly log?: FastifyBaseLogger,
    private readonly pollMs = 1000,
  ) {
    this.cache = blobExtractionCache(store);
  }

  static async connect(parts: { repo: DossierRepository; store: BlobStore; log?: FastifyBaseLogger; env?: NodeJS.ProcessEnv; workRoot?: string }): Promise<DistributedProcessor> {
    const settings = loadDistributedConfig({ env: parts.env });
    // A single node or a Redis Cluster (REDIS_CLUSTER=true), as the workers use.
    const connection = await connectRedis(settings.redis);
    const queue = new DossierQueue({ store: parts.store, connection, settings: settings.queue });
    const processor = new DistributedProcessor(parts.repo, parts.store, queue, connection, settings, parts.log);
    if (parts.workRoot) processor.workRoot = parts.workRoot;
    processor.timer = setInterval(() => void processor.poll(), processor.pollMs);
    processor.timer.unref();
    return processor;
  }

  /** A BullMQ Queue on the same queue, for the admin dashboard. */
  dashboardQueue(): Queue {
    return new Queue(QUEUE_NAME, { connection: this.connection, prefix: this.settings.queue.prefix });
  }

  async submit(dossierId: string): Promise<void> {
    const record = await this.repo.get(dossierId);
    if (!record) return;
    await mkdir(this.workRoot, { recursive: true });
    const dir = await mkdtemp(join(this.workRoot, 'dossier-enqueue-'));
    try {
      const archivePath = await materialiseUpload(this.store, record, dir);
      const submission = await this.queue.submit({ archivePath, checklist: record.city, stage: record.stage, facts: record.facts, corrections: correctionsForRun(record), segmentations: record.segmentations, events: clockEventsOf(record) });
      await this.repo.update(dossierId, (r) => ({
        ...r,
        queueId: submission.dossierId,
        status: 'processing',
        progress: { stage: 'extract', done: 0, total: submission.files, percent: 5, message: submission.reused ? '已有相同材料的检查结果，正在取回' : '已提交到处理队列' },
      }));
      this.watching.add(dossierId);
    } catch (error) {
      await this.repo.update(dossierId, (r) => ({ ...r, status: 'failed', error: { code: 'QUEUE_UNAVAILABLE', message: `提交到处理队列失败：${(error as Error).message}` } }));
      this.finished(dossierId);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Watches dossiers a previous run left in flight. */
  async recover(): Promise<number> {
    let n = 0;
    for await (const id of this.repo.ids()) {
      const record = await this.repo.get(id).catch(() => null);
      if (record?.status === 'processing' && record.queueId) {
        this.watching.add(id);
        n += 1;
      } else if (record?.status === 'queued') {
        await this.submit(id);
        n += 1;
      }
    }
    return n;
  }

  onFinished(listener: (dossierId: string) => void): void {
    this.listeners.push(listener);
  }

  async ready(): Promise<{ ok: boolean; detail: string }> {
    try {
      await this.connection.ping();
      return { ok: true, detail: `分布式处理：Redis 正常，本节点跟踪 ${this.watching.size} 份材料` };
    } catch (error) {
      return { ok: false, detail: `Redis 不可用：${(error as Error).message}` };
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.queue.close();
    this.connection.disconnect();
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      for (const id of [...this.watching]) await this.pollOne(id).catch((error) => this.log?.warn({ err: error, dossierId: id }, 'queue status failed'));
    } finally {
      this.polling = false;
    }
  }

  private async pollOne(id: string): Promise<void> {
    const record = await this.repo.get(id);
    if (!record?.queueId || record.status !== 'processing') {
      this.watching.delete(id);
      return;
    }
    const status = await this.queue.status(record.queueId);
    if (status.state === 'completed') {
      const report = await this.queue.readReport(record.queueId);
      const manifest = await this.manifestOf(record.queueId);
      if (!report || !manifest) return;
      await finishCheck({ repo: this.repo, cache: this.cache }, id, report, manifest, status.filesTotal);
      this.finished(id);
      return;
    }
    if (status.state === 'failed' || status.state === 'unknown') {
      const message = status.failedReason ?? '处理队列中已没有这份材料（可能已过期）';
      await this.repo.update(id, (r) => ({ ...r, status: 'failed', error: { code: 'PROCESSING_FAILED', message }, progress: { ...r.progress, stage: 'failed', message } }));
      this.finished(id);
      return;
    }
    const percent = status.filesTotal > 0 ? Math.round(8 + (84 * status.filesDone) / status.filesTotal) : 5;
    if (percent !== record.progress.percent) {
      await this.repo.update(id, (r) => ({
        ...r,
        progress: { stage: 'extract', done: status.filesDone, total: status.filesTotal, percent, message: `已提取 ${status.filesDone}/${status.filesTotal}（OCR ${status.ocrPages} 页）` },
      }));
    }
  }

  private async manifestOf(queueId: string): Promise<Manifest | null> {
    try {
      const m = await this.store.getJson(manifestKey(queueId), DossierManifestSchema);
      return {
        files: m.files.map((f) => ({ path: f.path, sha256: f.sha256, size: f.size, kind: f.kind })),
        skipped: m.skipped,
        findings: m.intakeFindings,
        unreadableEntries: m.unreadableEntries,
      };
    } catch (error) {
      if (error instanceof BlobNotFoundError) return null;
      throw error;
    }
  }

  private finished(id: string): void {
    this.watching.delete(id);
    for (const l of this.listeners) l(id);
  }
}
