import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../api/context.ts';
import { startDistributedApi, type DistributedTestApi } from './distributed-harness.ts';
import { bearer, textDossierZip } from './harness.ts';

/**
 * The API in distributed mode against a real Redis (the one .ci/run starts): uploads go to pipeline/queue's BullMQ
 * flow, a worker in this process does the work, and the API copies the result under its own id. Fails, saying so,
 * when no Redis answers.
 */

describe('when the API runs in distributed mode', () => {
  let d: DistributedTestApi;
  let ctx: AppContext;
  let app: FastifyInstance;
  let admin: string;
  let unit: string;
  let id: string;

  beforeAll(async () => {
    d = await startDistributedApi('dapi');
    ({ app, ctx } = d);
    admin = (await ctx.tokens.create({ name: 'admin', role: 'admin' })).token;
    unit = (await ctx.tokens.create({ name: 'unit', role: 'unit', unit: '某单位' })).token;
    id = await d.upload(unit, { city: 'municipal-template', stage: 'filing' }, textDossierZip());
    await d.waitDone(id, unit);
  });

  afterAll(async () => {
    await d?.close();
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
