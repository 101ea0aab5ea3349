import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportJobId, startDossierWorker } from '../../pipeline/queue/index.ts';
import { CompletenessReportSchema } from '../../pipeline/report/schema.ts';
import { BlobNotFoundError, createBlobStore, reportKey, type BlobStore } from '../../storage/index.ts';
import { textDossier } from './support/dossiers.ts';
import { s3StorageConfig } from './support/environment.ts';
import { startTestQueue, type TestQueue } from './support/test-queue.ts';

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
  let t: TestQueue;

  beforeAll(async () => {
    t = await startTestQueue({ tag: 's3fault', bucket: BUCKET, proxy: true });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('retries the report job, never shows a partial report and writes it once', async () => {
    const archive = await textDossier({ seed: 31 });
    const options = { archivePath: archive, checklist: 'municipal-template', stage: 'filing' as const };
    // First run fills the extraction cache, so that the second dossier's only writes are its three report objects.
    const warmUp = startDossierWorker({ config: t.config });
    await t.queue.waitForReport((await t.queue.submit({ ...options, facts: { totalInvestmentWan: 100 } })).dossierId, { timeoutMs: 120_000 });
    await warmUp.close();

    const { dossierId } = await t.queue.submit({ ...options, facts: { totalInvestmentWan: 200 } });
    // Storage starts refusing right after report.html is written: more failures in a row than the store's own four
    // tries, so the job itself fails half-way through the report set and is retried.
    let armed = false;
    t.proxy!.onRecorded((r) => {
      if (!armed && r.method === 'PUT' && r.key === reportKey(dossierId, 'html') && r.status === 200) {
        armed = true;
        t.s3.failNextPuts(6);
      }
    });
    const watcher = watchReport(createBlobStore(s3StorageConfig(t.s3, BUCKET)), dossierId);
    const worker = startDossierWorker({ config: t.config });
    try {
      const report = await t.queue.waitForReport(dossierId, { timeoutMs: 120_000 });
      expect(report.facts.totalInvestmentWan).toMatchObject({ value: 200 });
    } finally {
      await watcher.stop();
      await worker.close();
    }

    expect(armed).toBe(true);
    expect(t.s3.failedPutCount).toBe(6);
    const refused = t.proxy!.requests().filter((r) => r.method === 'PUT' && r.status === 503);
    expect(refused.map((r) => r.key)).toEqual([...Array(4).fill(reportKey(dossierId, 'md')), ...Array(2).fill(reportKey(dossierId, 'html'))]);
    // The commit mark is written once; the HTML of the failed attempt is replaced by the retry's, so the set matches.
    expect(t.proxy!.successfulPuts(reportKey(dossierId, 'json'))).toBe(1);
    expect(t.proxy!.successfulPuts(reportKey(dossierId, 'md'))).toBe(1);
    expect(watcher.looks()).toBeGreaterThan(10);
    expect(watcher.sightings).toEqual([]);

    const job = await t.jobs.getJob(reportJobId(dossierId));
    expect(job!.attemptsStarted).toBe(2);
    expect(job!.stacktrace).toHaveLength(1);
  });
});
