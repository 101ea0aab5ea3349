import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentFileKey, originalsPrefix } from '../../storage/index.ts';
import { bearer, checkedDossier, multipart, startTestApi, textDossierZip, uploadDossier, type TestApi } from './harness.ts';

let api: TestApi;
let admin: string;

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.token('admin');
});
afterAll(async () => api.close());

describe('when a unit uploads a dossier', () => {
  let unit: string;
  let id: string;

  beforeAll(async () => {
    unit = await api.token('unit', { unit: '青禾市档案馆' });
    const response = await uploadDossier(api, unit);
    expect(response.statusCode).toBe(202);
    const body = response.json();
    id = body.id;
    expect(body.statusUrl).toBe(`/api/v1/dossiers/${id}`);
    expect(response.headers.location).toBe(body.statusUrl);
    await api.processor.idle();
  });

  it('reports status done with the verdict and 100 % progress', async () => {
    const response = await api.app.inject({ url: `/api/v1/dossiers/${id}`, headers: bearer(unit) });
    expect(response.statusCode).toBe(200);
    const status = response.json();
    expect(status.status).toBe('done');
    expect(status.progress.percent).toBe(100);
    expect(status.result.complete).toBe(false);
    expect(status.submittedBy).toEqual({ role: 'unit', unit: '青禾市档案馆' });
    expect(status.input).toMatchObject({ name: 'dossier.zip', kind: 'archive', files: 1 });
  });

  it('serves the report as JSON by default, with the missing 需求分析报告', async () => {
    const response = await api.app.inject({ url: `/api/v1/dossiers/${id}/report`, headers: bearer(unit) });
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const report = response.json();
    expect(report.files.map((f: { path: string }) => f.path).sort()).toEqual(['可行性研究报告.txt', '项目立项申报表.txt']);
    expect(report.requirements.find((r: { id: string }) => r.id === 'MT-F03').status).toBe('missing');
  });

  it('serves HTML for Accept: text/html, with links to the files', async () => {
    const response = await api.app.inject({ url: `/api/v1/dossiers/${id}/report`, headers: { ...bearer(unit), accept: 'text/html' } });
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toMatch(/需补正（\d+ 项必须补正/);
    expect(response.body).toContain(`/api/v1/dossiers/${id}/files/`);
  });

  it('serves Markdown for ?format=md whatever the Accept header says', async () => {
    const response = await api.app.inject({ url: `/api/v1/dossiers/${id}/report?format=md`, headers: { ...bearer(unit), accept: 'text/html' } });
    expect(response.headers['content-type']).toMatch(/^text\/markdown/);
    expect(response.body).toMatch(/^# 材料完整性检查报告/);
  });

  it('answers 406 when the client accepts no format the report has', async () => {
    const response = await api.app.inject({ url: `/api/v1/dossiers/${id}/report`, headers: { ...bearer(unit), accept: 'image/png' } });
    expect(response.statusCode).toBe(406);
    expect(response.json().error.code).toBe('NOT_ACCEPTABLE');
  });

  it('returns an original file byte for byte, named in UTF-8', async () => {
    const report = (await api.app.inject({ url: `/api/v1/dossiers/${id}/report`, headers: bearer(unit) })).json();
    const n = report.files.findIndex((f: { path: string }) => f.path === '项目立项申报表.txt');
    const response = await api.app.inject({ url: `/api/v1/dossiers/${id}/files/${n}`, headers: bearer(unit) });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('项目名称：青禾市智慧档案管理系统建设项目');
    expect(response.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('项目立项申报表.txt')}`);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers 404 for a file number past the end', async () => {
    const response = await api.app.inject({ url: `/api/v1/dossiers/${id}/files/99`, headers: bearer(unit) });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('FILE_NOT_FOUND');
  });
});

describe('when facts are declared on a checked dossier', () => {
  it('re-evaluates from stored extractions, without the uploaded files', async () => {
    const id = await checkedDossier(api, admin);
    const before = (await api.app.inject({ url: `/api/v1/dossiers/${id}/report`, headers: bearer(admin) })).json();
    expect(before.filingStep).toBe('plan');

    // Nothing to unpack or read any more: only the manifest and the extraction cache can answer the re-check.
    for await (const item of api.ctx.store.list(originalsPrefix(id))) await api.ctx.store.delete(item.key);
    for (const f of before.files) await api.ctx.store.delete(contentFileKey(f.sha256));

    const response = await api.app.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${id}/recheck`,
      headers: bearer(admin),
      payload: { facts: { filingStep: 'approval' } },
    });
    expect(response.statusCode).toBe(200);
    const { dossier, report } = response.json();
    expect(report.filingStep).toBe('approval');
    expect(report.facts.filingStep).toMatchObject({ value: 'approval', source: 'declared' });
    expect(report.requirements.map((r: { id: string }) => r.id)).toContain('MT-F04');
    expect(dossier.facts).toEqual({ filingStep: 'approval' });
    expect(dossier.result.rechecks).toBe(1);

    const stored = (await api.app.inject({ url: `/api/v1/dossiers/${id}/report`, headers: bearer(admin) })).json();
    expect(stored.filingStep).toBe('approval');
  });

  it('takes text values as the CLI does and withdraws a declaration with null', async () => {
    const id = await checkedDossier(api, admin, { facts: { filingStep: 'approval' } });
    const declare = await api.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/recheck`, headers: bearer(admin), payload: { facts: { totalInvestmentWan: '80万元', filingStep: null } } });
    expect(declare.statusCode).toBe(200);
    expect(declare.json().dossier.facts).toEqual({ totalInvestmentWan: 80 });
  });

  it('refuses an unknown fact with 400 naming it', async () => {
    const id = await checkedDossier(api, admin);
    const response = await api.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/recheck`, headers: bearer(admin), payload: { facts: { noSuchFact: true } } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'UNKNOWN_FACT' });
    expect(response.json().error.message).toContain('noSuchFact');
  });
});

describe('when a folder is picked instead of an archive', () => {
  it('keeps the relative paths and checks the folder as one dossier', async () => {
    const body = multipart({ city: 'municipal-template', stage: 'filing' }, [
      { filename: '青禾档案/项目立项申报表.txt', content: '项目立项申报表\n项目名称：青禾市智慧档案管理系统建设项目\n' },
      { filename: '青禾档案/附件/可行性研究报告.txt', content: '可行性研究报告\n第一章 概述\n' },
    ]);
    const response = await api.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: { ...bearer(admin), ...body.headers }, payload: body.payload });
    expect(response.statusCode).toBe(202);
    await api.processor.idle();
    const id = response.json().id;
    const status = (await api.app.inject({ url: `/api/v1/dossiers/${id}`, headers: bearer(admin) })).json();
    expect(status.input).toMatchObject({ name: '青禾档案', kind: 'folder', files: 2 });
    const report = (await api.app.inject({ url: `/api/v1/dossiers/${id}/report`, headers: bearer(admin) })).json();
    expect(report.files.map((f: { path: string }) => f.path).sort()).toEqual(['附件/可行性研究报告.txt', '项目立项申报表.txt']);
  });

  it('refuses two files with the same path', async () => {
    const body = multipart({ city: 'municipal-template', stage: 'filing' }, [
      { filename: 'a/x.txt', content: '1' },
      { filename: 'a/x.txt', content: '2' },
    ]);
    const response = await api.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: { ...bearer(admin), ...body.headers }, payload: body.payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('INVALID_FILE_PATH');
  });
});

describe('when a report is shared', () => {
  it('opens without a token until the link expires', async () => {
    const id = await checkedDossier(api, admin);
    const created = await api.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/share`, headers: bearer(admin), payload: { hours: 1 } });
    expect(created.statusCode).toBe(201);
    const { token, url } = created.json();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url).toMatch(new RegExp(`/s/${token}$`));

    const page = await api.app.inject({ url: `/s/${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/需补正（\d+ 项必须补正/);
    expect(page.body).toContain(`/api/v1/shared/${token}/files/0`);
    expect((await api.app.inject({ url: `/api/v1/shared/${token}/report` })).json().input).toBe('dossier.zip');
    expect((await api.app.inject({ url: `/api/v1/shared/${token}/files/0` })).statusCode).toBe(200);

    const expired = await api.ctx.shares.create(id, 1, 'test', new Date(Date.now() - 2 * 3_600_000));
    const gone = await api.app.inject({ url: `/s/${expired.token}` });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('SHARE_LINK_INVALID');
  });

  it('stores only a hash of the link', async () => {
    const id = await checkedDossier(api, admin);
    const { token } = (await api.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/share`, headers: bearer(admin), payload: {} })).json();
    // Share links are rows of the data folder's database: the link's SHA-256 is stored, never the link itself.
    const stored = await databaseBytes(api.dataDir);
    expect(stored.includes(createHash('sha256').update(token).digest('hex'))).toBe(true);
    expect(stored.includes(token)).toBe(false);
  });
});

/** The SQLite database of a data folder with its write-ahead log, as bytes (what a thief of the folder would get). */
async function databaseBytes(dataDir: string): Promise<string> {
  const folder = join(dataDir, '.database');
  const parts = await Promise.all((await readdir(folder)).map((name) => readFile(join(folder, name))));
  return Buffer.concat(parts).toString('latin1');
}

describe('when a dossier is deleted', () => {
  it('is gone for its owner and its share links stop working', async () => {
    const unit = await api.token('unit', { unit: '删除测试单位' });
    const id = await checkedDossier(api, unit);
    const { token } = (await api.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/share`, headers: bearer(unit), payload: {} })).json();
    const deleted = await api.app.inject({ method: 'DELETE', url: `/api/v1/dossiers/${id}`, headers: bearer(unit) });
    expect(deleted.statusCode).toBe(204);
    expect((await api.app.inject({ url: `/api/v1/dossiers/${id}`, headers: bearer(unit) })).statusCode).toBe(404);
    expect((await api.app.inject({ url: `/s/${token}` })).statusCode).toBe(404);
    const left: string[] = [];
    for await (const item of api.ctx.store.list(`dossiers/${id}/`)) left.push(item.key);
    expect(left).toEqual([]);
  });

  it('cannot be deleted by an officer, who reviews but does not discard', async () => {
    const officer = await api.token('officer', { jurisdiction: 'municipal-template' });
    const id = await checkedDossier(api, admin);
    const response = await api.app.inject({ method: 'DELETE', url: `/api/v1/dossiers/${id}`, headers: bearer(officer) });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('FORBIDDEN');
  });
});

describe('when the upload is not a readable dossier', () => {
  it('marks the dossier failed with the intake message, and the report route says so', async () => {
    const response = await uploadDossier(api, admin, { zip: Buffer.from('PK\u0003\u0004 this is not really a zip'), filename: 'broken.zip' });
    expect(response.statusCode).toBe(202);
    await api.processor.idle();
    const id = response.json().id;
    const status = (await api.app.inject({ url: `/api/v1/dossiers/${id}`, headers: bearer(admin) })).json();
    expect(status.status).toBe('failed');
    expect(status.error.code).toMatch(/^INTAKE_/);
    const report = await api.app.inject({ url: `/api/v1/dossiers/${id}/report`, headers: bearer(admin) });
    expect(report.statusCode).toBe(409);
    expect(report.json().error.code).toBe('DOSSIER_FAILED');
  });
});

describe('when listing dossiers', () => {
  it('shows only what the caller may see, newest first', async () => {
    const unit = await api.token('unit', { unit: '列表测试单位' });
    const mine = await checkedDossier(api, unit, { zip: textDossierZip() });
    await checkedDossier(api, admin);
    const { dossiers } = (await api.app.inject({ url: '/api/v1/dossiers', headers: bearer(unit) })).json();
    expect(dossiers.map((d: { id: string }) => d.id)).toEqual([mine]);
  });
});
