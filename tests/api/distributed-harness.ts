import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { loadDistributedConfig, startDossierWorker, type DossierWorker } from '../../pipeline/queue/index.ts';
import { LocalFolderStore } from '../../storage/index.ts';
import { buildApp } from '../../api/app.ts';
import { parseApiConfig } from '../../api/config.ts';
import { createContext, type AppContext } from '../../api/context.ts';
import { DistributedProcessor } from '../../api/processing/distributed.ts';
import { requireRedis, TEST_REDIS_URL } from '../helpers/redis.ts';
import { purgePrefix } from '../queue/support/environment.ts';
import { bearer, multipart } from './harness.ts';

/**
 * The API in distributed mode for the API tests: a real Redis under a queue prefix of its own, a BullMQ worker in
 * this process (one job at a time), and a local data folder the API and the worker share.
 */
export interface DistributedTestApi {
  prefix: string;
  dataDir: string;
  /** The environment the worker and the API's queue client were configured from (for a CLI run against them). */
  env: Record<string, string>;
  ctx: AppContext;
  app: FastifyInstance;
  worker: DossierWorker;
  /** Uploads `zip` as `token` (202 expected) and returns the dossier id. */
  upload(token: string, fields: Record<string, string>, zip: Buffer): Promise<string>;
  /** Polls the dossier until it is done or failed (or a two-minute wait runs out: 'timeout'). */
  waitDone(id: string, token: string): Promise<string>;
  close(): Promise<void>;
}

export async function startDistributedApi(tag: string): Promise<DistributedTestApi> {
  await requireRedis(TEST_REDIS_URL);
  const prefix = `${tag}-${process.pid}-${Date.now().toString(36)}`;
  const dataDir = await mkdtemp(join(tmpdir(), `api-${tag}-`));
  const env = { REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, STORAGE: 'local', DATA_DIR: dataDir, WORKER_CONCURRENCY: '1' };
  const worker = startDossierWorker({ config: loadDistributedConfig({ env }) });
  const ctx = await createContext(parseApiConfig({ redisUrl: TEST_REDIS_URL, rateLimit: { max: 0, uploads: 0 }, bootstrapAdmin: false }), {
    store: new LocalFolderStore({ root: dataDir }),
    processor: (parts) => DistributedProcessor.connect({ ...parts, env }),
  });
  const app = await buildApp(ctx, { logger: false });
  await app.ready();
  return {
    prefix,
    dataDir,
    env,
    ctx,
    app,
    worker,
    async upload(token, fields, zip) {
      const body = multipart(fields, [{ filename: 'dossier.zip', content: zip }]);
      const created = await app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: { ...bearer(token), ...body.headers }, payload: body.payload });
      expect(created.statusCode).toBe(202);
      return created.json().id as string;
    },
    async waitDone(id, token) {
      for (let i = 0; i < 600; i++) {
        const status = (await app.inject({ url: `/api/v1/dossiers/${id}`, headers: bearer(token) })).json().status as string;
        if (status === 'done' || status === 'failed') return status;
        await sleep(200);
      }
      return 'timeout';
    },
    async close() {
      await app.close();
      await ctx.close();
      await worker.close({ graceMs: 10_000 });
      await purgePrefix(TEST_REDIS_URL, prefix);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
