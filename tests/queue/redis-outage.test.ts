import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import {
  connectForSubmission,
  DossierManifestSchema,
  DossierQueue,
  extractJobId,
  QUEUE_NAME,
  QueueUnavailableError,
  type DossierStatus,
  type ExtractProgress,
} from '../../pipeline/queue/index.ts';
import { createBlobStore, manifestKey, reportKey } from '../../storage/index.ts';
import { startS3Server, type TestS3Server } from '../helpers/s3-server.ts';
import { scannedDossier, SCANNED_FILE } from './support/dossiers.ts';
import {
  configEnv,
  eventually,
  freePort,
  killProcessGroup,
  runCli,
  s3StorageConfig,
  SAMPLE_05,
  testConfig,
  uniquePrefix,
  type CliProcess,
} from './support/environment.ts';
import { startOwnRedis, type OwnRedis } from './support/own-redis.ts';
import { startRecordingProxy, type RecordingS3Proxy } from './support/s3-proxy.ts';

const BUCKET = 'outage-test';

describe('when Redis is unreachable at submission', () => {
  let s3: TestS3Server;
  let silent: Server;

  beforeAll(async () => {
    s3 = await startS3Server();
    // Accepts TCP connections and never says a word: the case a plain connect timeout does not cover.
    silent = createServer(() => undefined);
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
  });

  afterAll(async () => {
    silent?.close();
    await s3?.stop();
  });

  it('`dossier submit` exits with code 2, says so in Chinese and uploads nothing', async () => {
    const deadPort = await freePort();
    const config = testConfig({ redisUrl: `redis://127.0.0.1:${deadPort}`, prefix: uniquePrefix('dead'), storage: s3StorageConfig(s3, BUCKET) });
    const cli = runCli(['submit', SAMPLE_05, '--city', 'municipal-template', '--stage', 'filing', '--wait'], configEnv(config));
    expect(await cli.exited).toMatchObject({ code: 2 });
    expect(cli.stderr()).toContain(`错误：无法连接 Redis（redis://127.0.0.1:${deadPort}`);
    expect(cli.stderr()).toMatch(/连接被拒绝.*材料未提交/);
    const objects = [];
    for await (const o of createBlobStore(config.storage).list('')) objects.push(o.key);
    expect(objects).toEqual([]);
  });

  it('gives up after the connect timeout when the address answers but is not Redis', async () => {
    const port = (silent.address() as { port: number }).port;
    const attempt = connectForSubmission({ url: `redis://127.0.0.1:${port}`, cluster: false, connectTimeoutMs: 300 });
    await expect(attempt).rejects.toBeInstanceOf(QueueUnavailableError);
    await expect(attempt).rejects.toThrow(/无法连接 Redis.*300 毫秒内未连上/);
  });
});

describe('when Redis goes away after a submission was accepted', () => {
  let s3: TestS3Server;
  let proxy: RecordingS3Proxy;
  let redis: OwnRedis;
  let worker: CliProcess | undefined;

  beforeAll(async () => {
    s3 = await startS3Server();
    proxy = await startRecordingProxy(s3.port, BUCKET);
    redis = await startOwnRedis({ persistence: true });
  });

  afterAll(async () => {
    if (worker) killProcessGroup(worker.pid);
    await redis?.stop();
    await proxy?.stop();
    await s3?.stop();
  });

  it('finishes the dossier once Redis is back, with the report written once', async () => {
    const config = testConfig({ redisUrl: redis.url, prefix: uniquePrefix('outage'), storage: s3StorageConfig(s3, BUCKET, proxy.port) });
    const store = createBlobStore(config.storage);
    worker = runCli(['worker'], configEnv(config));
    await worker.waitForStderr(/工作进程已启动/);

    const connection = await connectForSubmission(config.redis);
    const queue = new DossierQueue({ store, connection, settings: config.queue });
    const jobs = new Queue(QUEUE_NAME, { connection, prefix: config.queue.prefix });
    jobs.on('error', () => undefined);
    try {
      const { dossierId } = await queue.submit({ archivePath: await scannedDossier({ pages: 3, seed: 21 }), checklist: 'municipal-template', stage: 'filing' });
      const manifest = await store.getJson(manifestKey(dossierId), DossierManifestSchema);
      const ocrJobId = extractJobId(dossierId, manifest.files.find((f) => f.path === SCANNED_FILE)!.sha256);
      await eventually(async () => {
        const progress = (await jobs.getJob(ocrJobId))?.progress as ExtractProgress | undefined;
        return progress && progress.ocrPages >= 1 ? progress : undefined;
      }, 'OCR to be under way');

      await redis.kill();
      await worker.waitForStderr(/队列连接出错/);
      const duringOutage = queue.status(dossierId);
      await expect(duringOutage).rejects.toBeInstanceOf(QueueUnavailableError);
      await redis.restart();

      const seen: Array<DossierStatus & { waitingForRedis?: boolean }> = [];
      const report = await queue.waitForReport(dossierId, { timeoutMs: 170_000, onProgress: (s) => seen.push(s) });
      expect(report.files.map((f) => f.path).sort()).toEqual(manifest.files.map((f) => f.path).sort());
      expect(report.summary.ocrPages).toBe(3);
      expect(await jobs.getJobState(ocrJobId)).toBe('completed');
      expect(proxy.successfulPuts(reportKey(dossierId, 'json'))).toBe(1);
    } finally {
      await jobs.close();
      await queue.close();
      connection.disconnect();
    }
  });
});
