import { readFile } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectForSubmission, DossierQueue, startDossierWorker, submitDossier, type DistributedConfig, type DossierWorker } from '../../pipeline/queue/index.ts';
import type { CompletenessReport } from '../../pipeline/report/schema.ts';
import { createBlobStore } from '../../storage/index.ts';
import { bearer, multipart, startTestApi, type TestApi } from '../api/harness.ts';
import { startS3Server, type TestS3Server } from '../helpers/s3-server.ts';
import { purgePrefix, runCli, s3StorageConfig, SAMPLE_05, SHARED_REDIS_URL, testConfig, uniquePrefix } from '../queue/support/environment.ts';

/**
 * The three entry points run one flow (pipeline/flow.ts): `dossier check`, the embedded API and the queue's jobs must
 * give the same report for the same dossier. Only when it ran and how long the stages took may differ.
 */

const FACTS = { totalInvestmentWan: 150, classified: false, filingStep: 'approval' };

/**
 * What may differ between the paths: when it ran, how long the stages took, and the facts the API derives from its own
 * record of the dossier (受理, 收齐: evidence 办理记录), which a one-off `dossier check` has no record of.
 */
const fromOfficeRecord = (fact: CompletenessReport['facts'][string]) => JSON.stringify(fact).includes('"办理记录"');
function comparable(report: CompletenessReport) {
  const { generatedAt: _generatedAt, timings: _timings, facts, ...rest } = report;
  return { ...rest, facts: Object.fromEntries(Object.entries(facts).filter(([, fact]) => !fromOfficeRecord(fact))) };
}

describe('the same sample dossier through the CLI, the embedded API and the queue', () => {
  let api: TestApi;
  let s3: TestS3Server;
  let config: DistributedConfig;
  let connection: Redis;
  let worker: DossierWorker;
  const reports: Record<'cli' | 'api' | 'queue', CompletenessReport | undefined> = { cli: undefined, api: undefined, queue: undefined };

  beforeAll(async () => {
    api = await startTestApi();
    s3 = await startS3Server();
    config = testConfig({ prefix: uniquePrefix('same-report'), storage: s3StorageConfig(s3, 'same-report') });
    connection = await connectForSubmission(config.redis);
    worker = startDossierWorker({ config });
  });

  afterAll(async () => {
    await worker?.close({ graceMs: 10_000 });
    connection?.disconnect();
    if (config) await purgePrefix(SHARED_REDIS_URL, config.queue.prefix);
    await s3?.stop();
    await api?.close();
  });

  it('runs `dossier check` as a process', async () => {
    const factArgs = Object.entries(FACTS).flatMap(([name, value]) => ['--fact', `${name}=${value}`]);
    const cli = runCli(['check', SAMPLE_05, '--city', 'municipal-template', '--stage', 'filing', ...factArgs, '--format', 'json', '--no-cache'], {});
    const { code } = await cli.exited;
    expect([0, 1], cli.stderr()).toContain(code);
    reports.cli = JSON.parse(cli.stdout()) as CompletenessReport;
  }, 300_000);

  it('runs through the embedded API', async () => {
    const officer = await api.token('officer', { jurisdiction: 'municipal-template' });
    const body = multipart({ city: 'municipal-template', stage: 'filing', facts: JSON.stringify(FACTS) }, [
      { filename: 'dossier.zip', content: await readFile(SAMPLE_05) },
    ]);
    const upload = await api.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: { ...bearer(officer), ...body.headers }, payload: body.payload });
    expect(upload.statusCode, upload.body).toBe(202);
    await api.processor.idle();
    const report = await api.app.inject({ url: `/api/v1/dossiers/${upload.json().id}/report`, headers: bearer(officer) });
    expect(report.statusCode, report.body).toBe(200);
    reports.api = report.json() as CompletenessReport;
  }, 300_000);

  it('runs through the queue (BullMQ on Redis, S3 storage, a worker)', async () => {
    const store = createBlobStore(config.storage);
    const submission = await submitDossier({ archivePath: SAMPLE_05, checklist: 'municipal-template', stage: 'filing', facts: FACTS }, { store, connection, settings: config.queue });
    const queue = new DossierQueue({ store, connection, settings: config.queue });
    try {
      reports.queue = await queue.waitForReport(submission.dossierId, { timeoutMs: 280_000 });
    } finally {
      await queue.close();
    }
  }, 300_000);

  it('gives one report, whichever way the dossier came in', () => {
    expect(reports.cli, '`dossier check` 未产生报告').toBeDefined();
    expect(comparable(reports.api!)).toEqual(comparable(reports.cli!));
    expect(comparable(reports.queue!)).toEqual(comparable(reports.cli!));
    // The API kept the day it accepted the upload; the CLI has no such record.
    expect(reports.api!.facts.submissionAcceptedDate).toMatchObject({ source: 'derived', evidence: [expect.objectContaining({ label: '办理记录' })] });
    expect(reports.cli!.facts.submissionAcceptedDate).toBeUndefined();
    // Not three empty reports: the sample's files were read and one row is missing.
    expect(reports.cli!.files.length).toBeGreaterThan(0);
    expect(reports.cli!.summary.missing).toBeGreaterThan(0);
  });
});
