import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  connectForSubmission,
  DossierQueue,
  QUEUE_NAME,
  reportJobId,
  startDossierWorker,
  type DistributedConfig,
} from '../../pipeline/queue/index.ts';
import { CompletenessReportSchema } from '../../pipeline/report/schema.ts';
import { BlobNotFoundError, createBlobStore, reportKey, type BlobStore } from '../../storage/index.ts';
import { startS3Server, type TestS3Server } from '../helpers/s3-server.ts';
import { textDossier } from './support/dossiers.ts';
import { purgePrefix, s3StorageConfig, SHARED_REDIS_URL, testConfig, uniquePrefix } from './support/environment.ts';
import { startRecordingProxy, type RecordingS3Proxy } from './support/s3-proxy.ts';

const BUCKET = 'write-faults';

/**
 * Reads the report objects over and over while the report job runs, and notes every moment a reader could have seen
 * a partial report: report.json present while the HTML or Markdown is missing or cut short, or a JSON that does not
 * validate.
 */
function watchReport(store: BlobStore, dossierId: string) {
  const sightings: string[] = [];
  let looks = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      looks += 1;
      try {
        const json = CompletenessReportSchema.safeParse(await store.getJson(reportKey(dossierId, 'json')));
        if (!json.success) sightings.push('report.json does not validate');
        const html = await readText(store, reportKey(dossierId, 'html'));
        const md = await readText(store, reportKey(dossierId, 'md'));
        if (html === null || !html.trimEnd().endsWith('</html>')) sightings.push('report.json without a whole report.html');
        else if (json.success && !html.includes(json.data.generatedAt)) sightings.push('report.html from another run than report.json');
        if (md === null || md.length === 0) sightings.push('report.json without report.md');
      } catch (error) {
        if (!(error instanceof BlobNotFoundError)) sightings.push(`read failed: ${String(error)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    sightings,
    looks: () => looks,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

async function readText(store: BlobStore, key: string): Promise<string | null> {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of await store.get(key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  } catch (error) {
    if (error instanceof BlobNotFoundError) return null;
    throw error;
  }
}

describe('when object storage refuses writes half-way through writing the report', () => {
  let s3: TestS3Server;
  let proxy: RecordingS3Proxy;
  let config: DistributedConfig;
  let store: BlobStore;
  let connection: Redis;
  let queue: DossierQueue;

  beforeAll(async () => {
    s3 = await startS3Server();
    proxy = await startRecordingProxy(s3.port, BUCKET);
    config = testConfig({ prefix: uniquePrefix('s3fault'), storage: s3StorageConfig(s3, BUCKET, proxy.port) });
    store = createBlobStore(config.storage);
    connection = await connectForSubmission(config.redis);
    queue = new DossierQueue({ store, connection, settings: config.queue });
  });

  afterAll(async () => {
    await queue?.close();
    connection?.disconnect();
    if (config) await purgePrefix(SHARED_REDIS_URL, config.queue.prefix);
    await proxy?.stop();
    await s3?.stop();
  });

  it('retries the report job, never shows a partial report and writes it once', async () => {
    const archive = await textDossier({ seed: 31 });
    const options = { archivePath: archive, checklist: 'municipal-template', stage: 'filing' as const };
    // First run fills the extraction cache, so that the second dossier's only writes are its three report objects.
    const warmUp = startDossierWorker({ config });
    await queue.waitForReport((await queue.submit({ ...options, facts: { totalInvestmentWan: 100 } })).dossierId, { timeoutMs: 120_000 });
    await warmUp.close();

    const { dossierId } = await queue.submit({ ...options, facts: { totalInvestmentWan: 200 } });
    // Storage starts refusing right after report.html is written: more failures in a row than the store's own four
    // tries, so the job itself fails half-way through the report set and is retried.
    let armed = false;
    proxy.onRecorded((r) => {
      if (!armed && r.method === 'PUT' && r.key === reportKey(dossierId, 'html') && r.status === 200) {
        armed = true;
        s3.failNextPuts(6);
      }
    });
    const watcher = watchReport(createBlobStore(s3StorageConfig(s3, BUCKET)), dossierId);
    const worker = startDossierWorker({ config });
    try {
      const report = await queue.waitForReport(dossierId, { timeoutMs: 120_000 });
      expect(report.facts.totalInvestmentWan).toMatchObject({ value: 200 });
    } finally {
      await watcher.stop();
      await worker.close();
    }

    expect(armed).toBe(true);
    expect(s3.failedPutCount).toBe(6);
    const refused = proxy.requests().filter((r) => r.method === 'PUT' && r.status === 503);
    expect(refused.map((r) => r.key)).toEqual([...Array(4).fill(reportKey(dossierId, 'md')), ...Array(2).fill(reportKey(dossierId, 'html'))]);
    // The commit mark is written once; the HTML of the failed attempt is replaced by the retry's, so the set matches.
    expect(proxy.successfulPuts(reportKey(dossierId, 'json'))).toBe(1);
    expect(proxy.successfulPuts(reportKey(dossierId, 'md'))).toBe(1);
    expect(watcher.looks()).toBeGreaterThan(10);
    expect(watcher.sightings).toEqual([]);

    const jobs = new Queue(QUEUE_NAME, { connection, prefix: config.queue.prefix });
    const job = await jobs.getJob(reportJobId(dossierId));
    await jobs.close();
    expect(job!.attemptsStarted).toBe(2);
    expect(job!.stacktrace).toHaveLength(1);
  });
});
