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
 * The API in distributed mode against a real Redis (the one .ci/run starts): uploads go to pipeline/queue's BullMQ
 * flow, a worker in this process does the work, and the API copies the result under its own id. Fails, saying so,
 * when no Redis answers.
 */

const REDIS_URL = TEST_REDIS_URL;

describe('when the API runs in distributed mode', () => {
  const prefix = `dapi-${process.pid}-${Date.now().toString(36)}`;
  let dataDir: string;
  let ctx: AppContext;
  let app: FastifyInstance;
  let worker: DossierWorker;
  let admin: string;
  let unit: string;
  let id: string;

  beforeAll(async () => {
    await requireRedis(REDIS_URL);
    dataDir = await mkdtemp(join(tmpdir(), 'api-distributed-'));
    const env = { REDIS_URL, QUEUE_PREFIX: prefix, STORAGE: 'local', DATA_DIR: dataDir, WORKER_CONCURRENCY: '1' };
    worker = startDossierWorker({ config: loadDistributedConfig({ env }) });
    ctx = await createContext(parseApiConfig({ redisUrl: REDIS_URL, rateLimit: { max: 0, uploads: 0 }, bootstrapAdmin: false }), {
      store: new LocalFolderStore({ root: dataDir }),
      processor: (parts) => DistributedProcessor.connect({ ...parts, env }),
    });
    app = await buildApp(ctx, { logger: false });
    await app.ready();
    admin = (await ctx.tokens.create({ name: 'admin', role: 'admin' })).token;
    unit = (await ctx.tokens.create({ name: 'unit', role: 'unit', unit: '某单位' })).token;

    const body = multipart({ city: 'municipal-template', stage: 'filing' }, [{ filename: 'dossier.zip', content: textDossierZip() }]);
    const created = await app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: { ...bearer(unit), ...body.headers }, payload: body.payload });
    expect(created.statusCode).toBe(202);
    id = created.json().id;
    for (let i = 0; i < 600; i++) {
      const status = (await app.inject({ url: `/api/v1/dossiers/${id}`, headers: bearer(unit) })).json().status;
      if (status === 'done' || status === 'failed') break;
      await sleep(200);
    }
  });

  afterAll(async () => {
    await app?.close();
    await ctx?.close();
    await worker?.close({ graceMs: 10_000 });
    await purgePrefix(REDIS_URL, prefix);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('says so on the readiness endpoint', async () => {
    const ready = (await app.inject({ url: '/ready' })).json();
    expect(ready).toMatchObject({ ready: true, mode: 'distributed' });
  });

  it('reaches done through the queue and serves the report under the API id', async () => {
    const status = (await app.inject({ url: `/api/v1/dossiers/${id}`, headers: bearer(unit) })).json();
    expect(status.status).toBe('done');
    const report = (await app.inject({ url: `/api/v1/dossiers/${id}/report`, headers: bearer(unit) })).json();
    expect(report.requirements.find((r: { id: string }) => r.id === 'MT-F03').status).toBe('missing');
    expect((await app.inject({ url: `/api/v1/dossiers/${id}/files/0`, headers: bearer(unit) })).statusCode).toBe(200);
  });

  it('re-checks from the extractions the workers cached', async () => {
    const response = await app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/recheck`, headers: bearer(unit), payload: { facts: { filingStep: 'approval' } } });
    expect(response.statusCode).toBe(200);
    expect(response.json().report.filingStep).toBe('approval');
  });

  it('shows the queue dashboard to admins only', async () => {
    expect((await app.inject({ url: '/admin/queues' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/admin/queues', headers: bearer(unit) })).statusCode).toBe(403);
    const board = await app.inject({ url: '/admin/queues', headers: bearer(admin) });
    expect(board.statusCode).toBe(200);
    expect(board.body).toContain('Bull');
  });
});
