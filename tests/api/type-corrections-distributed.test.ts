import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDistributedConfig, startDossierWorker, type DossierWorker } from '../../pipeline/queue/index.ts';
import { LocalFolderStore } from '../../storage/index.ts';
import { buildApp } from '../../api/app.ts';
import { parseApiConfig } from '../../api/config.ts';
import { createContext, type AppContext } from '../../api/context.ts';
import { DistributedProcessor } from '../../api/processing/distributed.ts';
import { requireRedis, TEST_REDIS_URL } from '../helpers/redis.ts';
import { purgePrefix } from '../queue/support/environment.ts';
import { bearer, multipart, textDossierZip } from './harness.ts';

/**
 * The officer's type correction with the API in distributed mode (a real Redis, a BullMQ worker in this process):
 * re-evaluated from the shared extraction cache like a facts re-check, and carried through the queue when the
 * dossier has to be checked again from its upload.
 */

const ZIP = textDossierZip([{ name: '附件3.txt', data: '补充材料\n项目组成员：张三、李四、王五。\n', utf8Flag: true }]);
type Report = { requirements: Array<{ id: string; status: string }>; files: Array<{ path: string; correction?: { docType: string; by: string } }> };

describe('when an officer corrects a file’s type in distributed mode', () => {
  const prefix = `dcorr-${process.pid}-${Date.now().toString(36)}`;
  let dataDir: string;
  let ctx: AppContext;
  let app: FastifyInstance;
  let worker: DossierWorker;
  let officer: string;
  let id: string;

  async function waitDone(): Promise<string> {
    for (let i = 0; i < 600; i++) {
      const status = (await app.inject({ url: `/api/v1/dossiers/${id}`, headers: bearer(officer) })).json().status as string;
      if (status === 'done' || status === 'failed') return status;
      await sleep(200);
    }
    return 'timeout';
  }

  beforeAll(async () => {
    await requireRedis(TEST_REDIS_URL);
    dataDir = await mkdtemp(join(tmpdir(), 'api-corrections-distributed-'));
    const env = { REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, STORAGE: 'local', DATA_DIR: dataDir, WORKER_CONCURRENCY: '1' };
    worker = startDossierWorker({ config: loadDistributedConfig({ env }) });
    ctx = await createContext(parseApiConfig({ redisUrl: TEST_REDIS_URL, rateLimit: { max: 0, uploads: 0 }, bootstrapAdmin: false }), {
      store: new LocalFolderStore({ root: dataDir }),
      processor: (parts) => DistributedProcessor.connect({ ...parts, env }),
    });
    app = await buildApp(ctx, { logger: false });
    await app.ready();
    officer = (await ctx.tokens.create({ name: '李审核', role: 'officer', jurisdiction: 'municipal-template' })).token;
    const body = multipart({ city: 'municipal-template', stage: 'filing', facts: JSON.stringify({ filingStep: 'approval' }) }, [{ filename: 'dossier.zip', content: ZIP }]);
    const created = await app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: { ...bearer(officer), ...body.headers }, payload: body.payload });
    expect(created.statusCode).toBe(202);
    id = created.json().id;
    expect(await waitDone()).toBe('done');
  });

  afterAll(async () => {
    await app?.close();
    await ctx?.close();
    await worker?.close({ graceMs: 10_000 });
    await purgePrefix(TEST_REDIS_URL, prefix);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('re-evaluates from the shared extraction cache at once', async () => {
    const before = (await app.inject({ url: `/api/v1/dossiers/${id}/report`, headers: bearer(officer) })).json() as Report;
    expect(before.requirements.find((r) => r.id === 'MT-F03')?.status).toBe('missing');
    const response = await app.inject({ method: 'PUT', url: `/api/v1/dossiers/${id}/files/type`, headers: bearer(officer), payload: { path: '附件3.txt', docType: 'requirements_analysis' } });
    expect(response.statusCode).toBe(200);
    const report = response.json().report as Report;
    expect(report.requirements.find((r) => r.id === 'MT-F03')?.status).toBe('satisfied');
    expect(report.files.find((f) => f.path === '附件3.txt')?.correction).toMatchObject({ docType: 'requirements_analysis', by: '李审核' });
  });

  it('carries the corrections through the queue when the extractions are gone', async () => {
    // An extractor upgrade leaves no cached extraction: the dossier goes back to the queue from its upload.
    for await (const item of ctx.store.list('extracted/')) await ctx.store.delete(item.key);
    const response = await app.inject({ method: 'PUT', url: `/api/v1/dossiers/${id}/files/type`, headers: bearer(officer), payload: { path: '可行性研究报告.txt', docType: 'other_material' } });
    expect(response.statusCode).toBe(202);
    expect(await waitDone()).toBe('done');
    const report = (await app.inject({ url: `/api/v1/dossiers/${id}/report`, headers: bearer(officer) })).json() as Report;
    expect(report.requirements.find((r) => r.id === 'MT-F03')?.status).toBe('satisfied');
    expect(report.requirements.find((r) => r.id === 'MT-F02')?.status).toBe('missing');
    expect(report.files.filter((f) => f.correction).map((f) => [f.path, f.correction!.docType]).sort()).toEqual([
      ['可行性研究报告.txt', 'other_material'],
      ['附件3.txt', 'requirements_analysis'],
    ]);
  });
});
