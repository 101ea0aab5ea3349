import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../api/context.ts';
import { startDistributedApi, type DistributedTestApi } from './distributed-harness.ts';
import { bearer, textDossierZip } from './harness.ts';

/**
 * The officer's type correction with the API in distributed mode (a real Redis, a BullMQ worker in this process):
 * re-evaluated from the shared extraction cache like a facts re-check, and carried through the queue when the
 * dossier has to be checked again from its upload.
 */

const ZIP = textDossierZip([{ name: '附件3.txt', data: '补充材料\n项目组成员：张三、李四、王五。\n', utf8Flag: true }]);
type Report = { requirements: Array<{ id: string; status: string }>; files: Array<{ path: string; correction?: { docType: string; by: string } }> };

describe('when an officer corrects a file’s type in distributed mode', () => {
  let d: DistributedTestApi;
  let app: FastifyInstance;
  let ctx: AppContext;
  let officer: string;
  let id: string;

  const waitDone = () => d.waitDone(id, officer);
  beforeAll(async () => {
    d = await startDistributedApi('dcorr');
    ({ app, ctx } = d);
    officer = (await ctx.tokens.create({ name: '李审核', role: 'officer', jurisdiction: 'municipal-template' })).token;
    id = await d.upload(officer, { city: 'municipal-template', stage: 'filing', facts: JSON.stringify({ filingStep: 'approval' }) }, ZIP);
    expect(await waitDone()).toBe('done');
  });

  afterAll(async () => {
    await d?.close();
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
