import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createOcrPool, type OcrPool } from '../../extractors/ocr/index.ts';
import { checkDossier } from '../../pipeline/check-dossier.ts';
import {
  connectForSubmission,
  DossierManifestSchema,
  DossierQueue,
  QUEUE_NAME,
  reportJobId,
  startDossierWorker,
  submitDossier,
  type DistributedConfig,
  type DossierStatus,
  type DossierWorker,
  type ExtractJobResult,
} from '../../pipeline/queue/index.ts';
import type { CompletenessReport } from '../../pipeline/report/schema.ts';
import { contentFileKey, createBlobStore, manifestKey, originalFileKey, reportKey, type BlobStore } from '../../storage/index.ts';
import { startS3Server, type TestS3Server } from '../helpers/s3-server.ts';
import { purgePrefix, s3StorageConfig, SAMPLE_05, SHARED_REDIS_URL, testConfig, uniquePrefix } from './support/environment.ts';

const OPTIONS = {
  checklist: 'municipal-template',
  stage: 'filing' as const,
  facts: { totalInvestmentWan: 150, classified: false, filingStep: 'approval' },
};

/** What may differ between two runs of the same check: when it ran and how long the stages took. */
function comparable(report: CompletenessReport) {
  const { generatedAt: _generatedAt, timings: _timings, ...rest } = report;
  return rest;
}

describe('when a dossier goes through the queue', () => {
  let s3: TestS3Server;
  let config: DistributedConfig;
  let store: BlobStore;
  let connection: Redis;
  let worker: DossierWorker;
  let queue: DossierQueue;
  let ocr: OcrPool;

  beforeAll(async () => {
    s3 = await startS3Server();
    config = testConfig({ prefix: uniquePrefix('happy'), storage: s3StorageConfig(s3, 'happy-path'), queue: { concurrency: 2 } });
    store = createBlobStore(config.storage);
    connection = await connectForSubmission(config.redis);
    worker = startDossierWorker({ config });
    queue = new DossierQueue({ store, connection, settings: config.queue });
    ocr = createOcrPool({ size: 1 });
  });

  afterAll(async () => {
    await worker?.close({ graceMs: 10_000 });
    await queue?.close();
    connection?.disconnect();
    await ocr?.close();
    if (config) await purgePrefix(SHARED_REDIS_URL, config.queue.prefix);
    await s3?.stop();
  });

  it('writes the report the embedded check gives for the same archive', async () => {
    const submission = await submitDossier({ archivePath: SAMPLE_05, ...OPTIONS }, { store, connection, settings: config.queue });
    expect(submission).toMatchObject({ reused: false, state: 'queued', files: 4, extractJobs: 4, uploaded: 8 });

    const seen: DossierStatus[] = [];
    const queued = await queue.waitForReport(submission.dossierId, { timeoutMs: 170_000, onProgress: (s) => seen.push(s) });
    const embedded = await checkDossier({ input: SAMPLE_05, ...OPTIONS, ocr });

    expect(comparable(queued)).toEqual(comparable(embedded));
    expect(queued.summary.ocrPages).toBeGreaterThan(0);
    // Progress went through files done/total and pages OCR'd on the way.
    expect(seen.at(-1)).toMatchObject({ state: 'completed', filesDone: 4, filesTotal: 4 });
    expect(seen.some((s) => s.ocrPages > 0)).toBe(true);
  });

  it('keeps originals, content, manifest and all three report formats under the documented keys', async () => {
    const { dossierId } = await queue.submit({ archivePath: SAMPLE_05, ...OPTIONS });
    const manifest = await store.getJson(manifestKey(dossierId), DossierManifestSchema);
    expect(manifest.files.map((f) => f.path).sort()).toEqual(
      ['03-专家评审意见.docx', '下达2023年度电子政务项目建设计划的通知.pdf', '项目立项申报表.pdf', '项目建议书.pdf'].sort(),
    );
    for (const file of manifest.files) {
      expect(await store.head(contentFileKey(file.sha256))).toMatchObject({ size: file.size });
      expect(await store.head(originalFileKey(dossierId, file.path))).toMatchObject({ size: file.size });
    }
    for (const format of ['json', 'html', 'md'] as const) expect(await store.head(reportKey(dossierId, format))).not.toBeNull();
  });

  it('answers a resubmission of the same archive and options with the earlier dossier, without new jobs', async () => {
    const first = await queue.submit({ archivePath: SAMPLE_05, ...OPTIONS });
    const jobsBefore = await countJobs(config);
    const again = await queue.submit({ archivePath: SAMPLE_05, ...OPTIONS, facts: { filingStep: 'approval', classified: false, totalInvestmentWan: 150 } });
    expect(again).toMatchObject({ dossierId: first.dossierId, jobId: reportJobId(first.dossierId), reused: true, state: 'completed', uploaded: 0 });
    expect(await countJobs(config)).toBe(jobsBefore);
  });

  it('reads every file from the extraction cache when the same archive comes with other options', async () => {
    const putsBefore = s3.objectPutCount;
    const other = await queue.submit({ archivePath: SAMPLE_05, ...OPTIONS, facts: { ...OPTIONS.facts, totalInvestmentWan: 90 } });
    expect(other.reused).toBe(false);
    const report = await queue.waitForReport(other.dossierId, { timeoutMs: 120_000 });

    const parent = await new Queue(QUEUE_NAME, { connection, prefix: config.queue.prefix }).getJob(reportJobId(other.dossierId));
    const children = Object.values((await parent!.getChildrenValues()) as Record<string, ExtractJobResult>);
    expect(children).toHaveLength(4);
    expect(children.every((c) => c.cached && c.ocrPages === 0)).toBe(true);
    expect(report.facts.totalInvestmentWan).toMatchObject({ value: 90 });
    // New objects: originals under the new dossier, its manifest and its three report files; no file content, no extraction.
    expect(s3.objectPutCount - putsBefore).toBe(4 + 1 + 3);
  });

  it('carries the office record of the dossier (受理 date) to the worker, whose rules see it as a fact from 办理记录', async () => {
    const events = [{ kind: 'accepted' as const, on: '2026-09-01' }];
    const withRecord = await queue.submit({ archivePath: SAMPLE_05, ...OPTIONS, events });
    const manifest = await store.getJson(manifestKey(withRecord.dossierId), DossierManifestSchema);
    expect(manifest.options.events).toEqual(events);
    const report = await queue.waitForReport(withRecord.dossierId, { timeoutMs: 120_000 });
    expect(report.facts.submissionAcceptedDate).toMatchObject({ value: '2026-09-01' });
  });
});

async function countJobs(config: DistributedConfig): Promise<number> {
  const connection = await connectForSubmission(config.redis);
  const q = new Queue(QUEUE_NAME, { connection, prefix: config.queue.prefix });
  try {
    const counts = await q.getJobCounts();
    return Object.values(counts).reduce((a, b) => a + b, 0);
  } finally {
    await q.close();
    connection.disconnect();
  }
}
