import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.ts';
import { parseApiConfig } from '../../api/config.ts';
import { createContext, type AppContext } from '../../api/context.ts';
import { DistributedProcessor } from '../../api/processing/distributed.ts';
import { startDossierWorker, type DossierWorker } from '../../pipeline/queue/index.ts';
import { createBlobStore } from '../../storage/index.ts';
import { ensureDossier, standardDossiers } from '../fixtures/dossiers/build.ts';
import { requireRedis, TEST_REDIS_URL } from '../helpers/redis.ts';
import { startS3Server, type TestS3Server } from '../helpers/s3-server.ts';
import { writeZip } from '../helpers/zip-writer.ts';
import { configEnv, purgePrefix, s3StorageConfig, testConfig, uniquePrefix } from '../queue/support/environment.ts';
import { bearer, multipart } from './harness.ts';

/**
 * The unit's feedback loop in distributed mode, on the real parts: records and audit log in PostgreSQL, files in S3
 * (s3rver on loopback through the minio client), the checks on a BullMQ worker over Redis. The same steps as the
 * browser test in embedded mode: an incomplete upload, the notice, a 补正 link, the unit's round with the two
 * missing files, 材料齐全 with the 收齐 date and the deadline, and every step in the audit log.
 */

const PG_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const MISSING = ['2.可行性研究报告.pdf', '5.技术方案.pdf'];

describe('the unit’s feedback loop with PostgreSQL, S3 and queue workers', () => {
  const prefix = uniquePrefix('feedback');
  const database = `dossier_loop_${process.pid}_${Date.now()}`;
  let s3: TestS3Server;
  let worker: DossierWorker;
  let ctx: AppContext;
  let app: FastifyInstance;
  let officer: string;
  let folder: string;
  let id: string;

  async function waitSettled(): Promise<{ status: string; result?: { verdict?: string } }> {
    for (let i = 0; i < 900; i++) {
      const view = (await app.inject({ url: `/api/v1/dossiers/${id}`, headers: bearer(officer) })).json();
      if (view.status === 'done' || view.status === 'failed') return view;
      await sleep(200);
    }
    throw new Error('检查没有在三分钟内完成');
  }

  beforeAll(async () => {
    await requireRedis(TEST_REDIS_URL);
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    try {
      await admin.connect();
    } catch (cause) {
      throw new Error(`PostgreSQL 未运行（${PG_ADMIN_URL}）：请按 .ci/run 的方式启动（PostgreSQL is not answering）`, { cause });
    }
    await admin.query(`create database ${database}`);
    await admin.end();
    const databaseUrl = new URL(PG_ADMIN_URL);
    databaseUrl.pathname = `/${database}`;

    s3 = await startS3Server();
    const config = testConfig({ redisUrl: TEST_REDIS_URL, prefix, storage: s3StorageConfig(s3, 'feedback-loop') });
    worker = startDossierWorker({ config });
    ctx = await createContext(parseApiConfig({ redisUrl: TEST_REDIS_URL, databaseUrl: databaseUrl.toString(), rateLimit: { max: 0, uploads: 0 }, bootstrapAdmin: false }), {
      store: createBlobStore(config.storage),
      processor: (parts) => DistributedProcessor.connect({ ...parts, env: configEnv(config) }),
    });
    app = await buildApp(ctx, { logger: false });
    await app.ready();
    officer = (await ctx.tokens.create({ name: '李审核', role: 'officer', jurisdiction: 'changde' })).token;

    const spec = standardDossiers().find((s) => s.id === 'gen-changde-filing-complete');
    if (!spec) throw new Error('standard dossier gen-changde-filing-complete is gone: pick another complete changde filing dossier');
    folder = (await ensureDossier(spec)).inputPath;
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await ctx?.close();
    await worker?.close({ graceMs: 10_000 });
    await purgePrefix(TEST_REDIS_URL, prefix);
    await s3?.stop();
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect().then(() => admin.query(`drop database if exists ${database}`)).finally(() => admin.end());
  });

  it('goes from 需补正 through the notice and the unit’s round to 材料齐全, all of it audited', async () => {
    const names = (await readdir(folder)).filter((n) => n !== 'Thumbs.db' && !MISSING.includes(n));
    const zip = writeZip(await Promise.all(names.map(async (n) => ({ name: n, data: await readFile(join(folder, n)), utf8Flag: true }))));
    const body = multipart({ city: 'changde', stage: 'filing' }, [{ filename: '智慧停车诱导系统申报材料.zip', content: zip }]);
    const created = await app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: { ...bearer(officer), ...body.headers }, payload: body.payload });
    expect(created.statusCode).toBe(202);
    id = created.json().id;
    expect((await waitSettled()).result?.verdict).toMatch(/^需补正（2 项必须补正/);

    // Listed by the database: a search by project name finds it.
    const listed = (await app.inject({ url: '/api/v1/dossiers?q=智慧停车&verdict=needs_supplement', headers: bearer(officer) })).json();
    expect(listed.dossiers.map((d: { id: string }) => d.id)).toEqual([id]);

    const notice = await app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/notices`, headers: bearer(officer), payload: { format: 'docx', docNumber: '常数据补〔2026〕12号', deadline: '2026-12-18' } });
    expect(notice.statusCode).toBe(201);
    expect(notice.json().notice.mustSupply).toBe(2);

    const share = (await app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/share`, headers: bearer(officer), payload: { allowSupplement: true } })).json();
    const round = multipart({}, await Promise.all(MISSING.map(async (n) => ({ filename: n, content: await readFile(join(folder, n)) }))));
    const sent = await app.inject({ method: 'POST', url: `/api/v1/shared/${share.token}/rounds`, headers: round.headers, payload: round.payload });
    expect(sent.statusCode, sent.body).toBe(202);
    expect((await waitSettled()).result?.verdict).toMatch(/^材料齐全/);

    const rounds = (await app.inject({ url: `/api/v1/dossiers/${id}/rounds`, headers: bearer(officer) })).json();
    const second = rounds.rounds.find((r: { n: number }) => r.n === 2);
    expect(JSON.stringify(second)).toContain('CD-F02');
    expect(JSON.stringify(second)).toContain('CD-F05');
    const view = (await app.inject({ url: `/api/v1/dossiers/${id}`, headers: bearer(officer) })).json();
    expect(view.clocks[0]).toMatchObject({ title: '技术方案评审', state: 'running', dayKind: 'calendar' });
    expect(view.clocks[0].text).toMatch(/收齐材料起20日内，截止\d{4}年\d{1,2}月\d{1,2}日/);

    const audit = (await app.inject({ url: `/api/v1/dossiers/${id}/audit`, headers: bearer(officer) })).json();
    const steps = audit.entries.map((e: { action: string; actor: string }) => `${e.action}:${e.actor}`);
    for (const step of ['uploaded:李审核', 'notice_generated:李审核', 'shared:李审核', 'supplemented:分享链接']) expect(steps).toContain(step);

    // The records are rows of PostgreSQL, not objects of the bucket.
    const client = new pg.Client({ connectionString: `${PG_ADMIN_URL.replace(/\/[^/]*$/, '')}/${database}` });
    await client.connect();
    try {
      const { rows } = await client.query('select verdict, project_name from dossiers where id = $1', [id]);
      expect(rows).toEqual([{ verdict: 'complete', project_name: expect.stringContaining('智慧停车') }]);
    } finally {
      await client.end();
    }
  }, 600_000);
});
