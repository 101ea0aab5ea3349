import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../api/context.ts';
import { dossier } from '../cli/run.ts';
import { startDistributedApi, type DistributedTestApi } from './distributed-harness.ts';
import { bearer, multipart, textDossierZip } from './harness.ts';

/**
 * 补正 rounds with the API in distributed mode (a real Redis, a BullMQ worker in this process): a round goes through
 * the queue like an upload, only its new file is extracted, and the diff and the kept reports are the embedded mode's.
 */

const ZIP = textDossierZip([{ name: '附件/加密附件.txt', data: '机密', utf8Flag: true, encrypted: true }]);
const ANALYSIS = '青禾市智慧档案管理系统建设项目需求分析报告\n第一章 需求概述\n本报告分析档案管理业务需求。\n';
type Report = { generatedAt: string; requirements: Array<{ id: string; status: string }>; files: Array<{ path: string }> };

describe('when a unit supplements its dossier in distributed mode', () => {
  let d: DistributedTestApi;
  let app: FastifyInstance;
  let ctx: AppContext;
  let unit: string;
  let id: string;

  const waitDone = () => d.waitDone(id, unit);
  async function extractedKeys(): Promise<string[]> {
    const keys: string[] = [];
    for await (const item of ctx.store.list('extracted/')) keys.push(item.key);
    return keys;
  }

  beforeAll(async () => {
    d = await startDistributedApi('drounds');
    ({ app, ctx } = d);
    unit = (await ctx.tokens.create({ name: '档案馆经办人', role: 'unit', unit: '青禾市档案馆' })).token;
    id = await d.upload(unit, { city: 'municipal-template', stage: 'filing', facts: JSON.stringify({ filingStep: 'approval' }) }, ZIP);
    expect(await waitDone()).toBe('done');
  });

  afterAll(async () => {
    await d?.close();
  });

  it('adds the missing file through the queue, extracting only that file', async () => {
    const first = (await app.inject({ url: `/api/v1/dossiers/${id}/report`, headers: bearer(unit) })).json() as Report;
    expect(first.requirements.find((r) => r.id === 'MT-F03')?.status).toBe('missing');
    const cachedBefore = await extractedKeys();

    const body = multipart({}, [{ filename: '需求分析报告.txt', content: ANALYSIS }]);
    const response = await app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/rounds`, headers: { ...bearer(unit), ...body.headers }, payload: body.payload });
    expect(response.statusCode).toBe(202);
    expect(await waitDone()).toBe('done');

    const added = (await extractedKeys()).filter((k) => !cachedBefore.includes(k));
    expect(added).toHaveLength(1);
    const second = (await app.inject({ url: `/api/v1/dossiers/${id}/report`, headers: bearer(unit) })).json() as Report;
    expect(second.requirements.find((r) => r.id === 'MT-F03')?.status).toBe('satisfied');
    // The first upload's encrypted entry is carried into the round.
    expect(second.files.map((f) => f.path).sort()).toEqual([...first.files.map((f) => f.path), '需求分析报告.txt'].sort());

    const { rounds } = (await app.inject({ url: `/api/v1/dossiers/${id}/rounds`, headers: bearer(unit) })).json();
    expect(rounds.map((r: { n: number }) => r.n)).toEqual([1, 2]);
    expect(rounds[1].diff.newlySatisfied.map((r: { id: string }) => r.id)).toContain('MT-F03');
    expect(rounds[1].diff.files.added).toEqual(['需求分析报告.txt']);
    expect((await app.inject({ url: `/api/v1/dossiers/${id}/rounds/1/report`, headers: bearer(unit) })).json()).toEqual(first);
  });

  it('takes a round from the command line through the same queue', async () => {
    const queueBefore = (await ctx.repo.get(id))?.queueId;
    expect(queueBefore).toBeTruthy();
    const dir = await mkdtemp(join(tmpdir(), 'rounds-distributed-cli-'));
    try {
      await writeFile(join(dir, '附件说明.txt'), '附件说明\n本材料附件包括项目组成员名单。\n');
      const { stdout } = await dossier(['supplement', id, join(dir, '附件说明.txt'), '--by', '运维'], { env: d.env });
      expect(stdout).toMatch(/^第 3 轮补正检查完成：/);
      expect(stdout).toContain('新增文件：附件说明.txt');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const { rounds } = (await app.inject({ url: `/api/v1/dossiers/${id}/rounds`, headers: bearer(unit) })).json();
    expect(rounds.map((r: { n: number; by: string }) => [r.n, r.by]).at(-1)).toEqual([3, '运维']);
    // The queue checked it: the record names a new queue dossier (this API node's records are trusted for 1 s).
    await sleep(1100);
    const queueAfter = (await ctx.repo.get(id))?.queueId;
    expect(queueAfter).toBeTruthy();
    expect(queueAfter).not.toBe(queueBefore);
  });
});
