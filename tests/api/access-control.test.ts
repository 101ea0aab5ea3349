import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { bearer, checkedDossier, multipart, startTestApi, textDossierZip, type TestApi } from './harness.ts';

let api: TestApi;
let unitA: string;
let unitA2: string;
let unitB: string;
let officerHere: string;
let officerElsewhere: string;
let admin: string;
let dossierId: string;
let batchId: string;

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.token('admin');
  unitA = await api.token('unit', { unit: '甲单位' });
  unitA2 = await api.token('unit', { unit: '甲单位', name: '甲单位另一位经办人' });
  unitB = await api.token('unit', { unit: '乙单位' });
  officerHere = await api.token('officer', { jurisdiction: 'municipal-template' });
  officerElsewhere = await api.token('officer', { jurisdiction: 'changde' });
  dossierId = await checkedDossier(api, unitA);
  const body = multipart({ city: 'municipal-template', stage: 'filing' }, [
    { filename: 'a.zip', content: textDossierZip() },
    { filename: 'b.zip', content: textDossierZip() },
  ]);
  const batch = await api.app.inject({ method: 'POST', url: '/api/v1/batches', headers: { ...bearer(unitA), ...body.headers }, payload: body.payload });
  expect(batch.statusCode).toBe(202);
  batchId = batch.json().id;
  await api.processor.idle();
});
afterAll(async () => api.close());

/** Every route that reads or changes one dossier or batch. */
function scopedRoutes(): Array<{ name: string; request: InjectOptions }> {
  const d = `/api/v1/dossiers/${dossierId}`;
  return [
    { name: 'status', request: { method: 'GET', url: d } },
    { name: 'report', request: { method: 'GET', url: `${d}/report` } },
    { name: 'report.html', request: { method: 'GET', url: `${d}/report.html` } },
    { name: 'file', request: { method: 'GET', url: `${d}/files/0` } },
    { name: 'recheck', request: { method: 'POST', url: `${d}/recheck`, payload: { facts: { filingStep: 'approval' } } } },
    { name: 'share', request: { method: 'POST', url: `${d}/share`, payload: {} } },
    { name: 'webhook', request: { method: 'GET', url: `${d}/webhook` } },
    { name: 'delete', request: { method: 'DELETE', url: d } },
    { name: 'batch', request: { method: 'GET', url: `/api/v1/batches/${batchId}` } },
    { name: 'batch csv', request: { method: 'GET', url: `/api/v1/batches/${batchId}?format=csv` } },
  ];
}

function uploadRequest(url: string): InjectOptions {
  const body = multipart({ city: 'municipal-template', stage: 'filing' }, [{ filename: 'x.zip', content: textDossierZip() }]);
  return { method: 'POST', url, headers: body.headers, payload: body.payload };
}

function everyProtectedRoute(): Array<{ name: string; request: InjectOptions }> {
  return [
    ...scopedRoutes(),
    { name: 'upload', request: uploadRequest('/api/v1/dossiers') },
    { name: 'batch upload', request: uploadRequest('/api/v1/batches') },
    { name: 'list', request: { method: 'GET', url: '/api/v1/dossiers' } },
    { name: 'checklists', request: { method: 'GET', url: '/api/v1/checklists' } },
    { name: 'checklist', request: { method: 'GET', url: '/api/v1/checklists/changde' } },
    { name: 'me', request: { method: 'GET', url: '/api/v1/me' } },
    { name: 'tokens', request: { method: 'GET', url: '/api/v1/tokens' } },
    { name: 'create token', request: { method: 'POST', url: '/api/v1/tokens', payload: { name: 'x', role: 'admin' } } },
    { name: 'revoke token', request: { method: 'DELETE', url: '/api/v1/tokens/0123456789abcdef' } },
  ];
}

function withToken(request: InjectOptions, token: string): InjectOptions {
  return { ...request, headers: { ...(request.headers as Record<string, string>), ...bearer(token) } };
}

async function dossierUnchanged(): Promise<void> {
  const status = await api.app.inject({ url: `/api/v1/dossiers/${dossierId}`, headers: bearer(admin) });
  expect(status.statusCode).toBe(200);
  expect(status.json().facts).toEqual({});
  expect(status.json().result.rechecks).toBe(0);
}

describe('when no token is sent', () => {
  it.each(everyProtectedRoute().map((r) => [r.name, r.request] as const))('%s answers 401', async (_name, request) => {
    const response = await api.app.inject(request);
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('AUTH_REQUIRED');
    expect(response.json().error.message).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('when the token is not valid', () => {
  it('answers 401 to a malformed, an unknown and a revoked token alike', async () => {
    const revoked = await api.token('unit', { unit: '甲单位' });
    const revokedId = revoked.split('_')[1]!;
    expect((await api.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${revokedId}`, headers: bearer(admin) })).statusCode).toBe(200);
    const forged = `dkt_${revokedId}_${'A'.repeat(43)}`;
    for (const token of ['not-a-token', 'dkt_0123456789abcdef_' + 'x'.repeat(43), revoked, forged]) {
      const response = await api.app.inject({ url: `/api/v1/dossiers/${dossierId}`, headers: bearer(token) });
      expect(response.statusCode, token).toBe(401);
      expect(response.json().error.code).toBe('AUTH_INVALID');
    }
    const notBearer = await api.app.inject({ url: '/api/v1/me', headers: { authorization: 'Basic YTpi' } });
    expect(notBearer.statusCode).toBe(401);
  });

  it('answers 401 once the token has expired', async () => {
    const { token } = await api.ctx.tokens.create({ name: '过期', role: 'admin', expiresInDays: 1 }, new Date(Date.now() - 3 * 86_400_000));
    expect((await api.app.inject({ url: '/api/v1/me', headers: bearer(token) })).statusCode).toBe(401);
  });

  it('keeps only a SHA-256 of the secret in storage', async () => {
    const token = await api.token('admin');
    const [, id, secret] = /^dkt_([0-9a-f]{16})_(.+)$/.exec(token)!;
    const stored = JSON.stringify(await api.ctx.tokens.get(id!));
    expect(stored).not.toContain(secret);
    expect(stored).toMatch(/"secretSha256":"[0-9a-f]{64}"/);
    // Nor anywhere in the data folder's database file.
    const folder = join(api.dataDir, '.database');
    const bytes = Buffer.concat(await Promise.all((await readdir(folder)).map((name) => readFile(join(folder, name)))));
    expect(bytes.includes(Buffer.from(secret!))).toBe(false);
  });
});

describe("when a unit reads or changes another unit's dossier", () => {
  it.each(scopedRoutes().map((r) => [r.name, r.request] as const))('%s answers 404 as if it did not exist', async (_name, request) => {
    const response = await api.app.inject(withToken(request, unitB));
    expect(response.statusCode).toBe(404);
    expect(['DOSSIER_NOT_FOUND', 'BATCH_NOT_FOUND']).toContain(response.json().error.code);
  });

  it('leaves the dossier as it was', dossierUnchanged);

  it('lets another token of the same unit see it', async () => {
    expect((await api.app.inject({ url: `/api/v1/dossiers/${dossierId}`, headers: bearer(unitA2) })).statusCode).toBe(200);
  });
});

describe('when an officer of another jurisdiction asks', () => {
  it.each(scopedRoutes().map((r) => [r.name, r.request] as const))('%s answers 404', async (_name, request) => {
    const response = await api.app.inject(withToken(request, officerElsewhere));
    expect(response.statusCode).toBe(404);
  });

  it('leaves the dossier as it was', dossierUnchanged);

  it('refuses an upload for a city outside the jurisdiction', async () => {
    const response = await api.app.inject(withToken(uploadRequest('/api/v1/dossiers'), officerElsewhere));
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('OFFICER_OUT_OF_JURISDICTION');
  });
});

describe('when the officer of the jurisdiction asks', () => {
  it('reads the status, report, file and batch', async () => {
    for (const url of [`/api/v1/dossiers/${dossierId}`, `/api/v1/dossiers/${dossierId}/report`, `/api/v1/dossiers/${dossierId}/files/0`, `/api/v1/batches/${batchId}`]) {
      expect((await api.app.inject({ url, headers: bearer(officerHere) })).statusCode, url).toBe(200);
    }
  });
});

describe('when a non-admin manages tokens', () => {
  it('answers 403', async () => {
    for (const token of [unitA, officerHere]) {
      const response = await api.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer(token), payload: { name: 'x', role: 'admin' } });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('FORBIDDEN');
    }
  });

  it('lets an admin create an officer token that then works', async () => {
    const created = await api.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer(admin), payload: { name: '李四', role: 'officer', jurisdiction: 'municipal-template' } });
    expect(created.statusCode).toBe(201);
    const me = await api.app.inject({ url: '/api/v1/me', headers: bearer(created.json().token) });
    expect(me.json()).toMatchObject({ name: '李四', role: 'officer', jurisdiction: 'municipal-template' });
    const listed = (await api.app.inject({ url: '/api/v1/tokens', headers: bearer(admin) })).json();
    expect(JSON.stringify(listed)).not.toContain('secretSha256');
  });

  it('refuses an officer token without a jurisdiction', async () => {
    const response = await api.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer(admin), payload: { name: 'x', role: 'officer' } });
    expect(response.statusCode).toBe(400);
  });
});

describe('when the web UI signs in with a session cookie', () => {
  it('reads with the cookie, and changes only with the X-Dossier-UI header', async () => {
    const session = await api.app.inject({ method: 'POST', url: '/api/v1/session', payload: { token: unitA } });
    expect(session.statusCode).toBe(200);
    const setCookie = String(session.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = setCookie.split(';')[0]!;
    expect((await api.app.inject({ url: `/api/v1/dossiers/${dossierId}`, headers: { cookie } })).statusCode).toBe(200);

    const forged = await api.app.inject({ method: 'POST', url: `/api/v1/dossiers/${dossierId}/share`, headers: { cookie }, payload: {} });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.code).toBe('CSRF_HEADER_MISSING');
    const fromUi = await api.app.inject({ method: 'POST', url: `/api/v1/dossiers/${dossierId}/share`, headers: { cookie, 'x-dossier-ui': '1' }, payload: {} });
    expect(fromUi.statusCode).toBe(201);
  });

  it('refuses a wrong token at sign-in', async () => {
    const response = await api.app.inject({ method: 'POST', url: '/api/v1/session', payload: { token: 'dkt_0123456789abcdef_' + 'y'.repeat(43) } });
    expect(response.statusCode).toBe(401);
    expect(response.headers['set-cookie']).toBeUndefined();
  });
});
