import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, checkedDossier, startTestApi, type TestApi } from './harness.ts';

let api: TestApi;
let admin: string;
let unit: string;
let colleague: string;
let officer: string;
let otherOfficer: string;
let dossierId: string;

const UNIT = '分享测试单位';

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.token('admin');
  unit = await api.token('unit', { unit: UNIT, name: '王五' });
  colleague = await api.token('unit', { unit: UNIT, name: '赵六' });
  officer = await api.token('officer', { jurisdiction: 'municipal-template' });
  otherOfficer = await api.token('officer', { jurisdiction: 'changde' });
  dossierId = await checkedDossier(api, unit);
});
afterAll(async () => api.close());

async function share(token: string, id = dossierId): Promise<{ id: string; token: string }> {
  const created = await api.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/share`, headers: bearer(token), payload: {} });
  expect(created.statusCode, created.body).toBe(201);
  return created.json();
}

async function list(token: string, id = dossierId) {
  return api.app.inject({ url: `/api/v1/dossiers/${id}/shares`, headers: bearer(token) });
}

async function revoke(token: string, shareId: string, id = dossierId) {
  return api.app.inject({ method: 'DELETE', url: `/api/v1/dossiers/${id}/shares/${shareId}`, headers: bearer(token) });
}

async function opens(link: string): Promise<boolean> {
  const response = await api.app.inject({ url: `/api/v1/shared/${link}/report` });
  if (response.statusCode !== 200) expect(response.json().error.code).toBe('SHARE_LINK_INVALID');
  return response.statusCode === 200;
}

describe('when the creator of a share link manages it', () => {
  it('lists it without the link itself, and revoking it closes it at once', async () => {
    const link = await share(unit);
    expect(link.id).toMatch(/^[0-9a-f]{64}$/);
    expect(await opens(link.token)).toBe(true);

    const listed = await list(unit);
    expect(listed.statusCode).toBe(200);
    const mine = listed.json().shares.find((s: { id: string }) => s.id === link.id);
    expect(mine).toMatchObject({ state: 'active', createdBy: { name: '王五' } });
    expect(listed.body).not.toContain(link.token);

    const revoked = await revoke(unit, link.id);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ id: link.id, state: 'revoked' });
    expect(revoked.json().revokedAt).toBeDefined();
    expect(await opens(link.token)).toBe(false);
    expect((await api.app.inject({ url: `/s/${link.token}` })).statusCode).toBe(404);
    expect((await list(unit)).json().shares.find((s: { id: string }) => s.id === link.id).state).toBe('revoked');
  });
});

describe('when someone else who can see the dossier manages the link', () => {
  it('hides it from a colleague of the same unit, who cannot revoke it', async () => {
    const link = await share(unit);
    expect((await list(colleague)).json().shares.map((s: { id: string }) => s.id)).not.toContain(link.id);
    const refused = await revoke(colleague, link.id);
    expect(refused.statusCode).toBe(404);
    expect(refused.json().error.code).toBe('SHARE_LINK_NOT_FOUND');
    expect(await opens(link.token)).toBe(true);
  });

  it('lets the officer of the jurisdiction see and revoke it', async () => {
    const link = await share(unit);
    expect((await list(officer)).json().shares.map((s: { id: string }) => s.id)).toContain(link.id);
    expect((await revoke(officer, link.id)).statusCode).toBe(200);
    expect(await opens(link.token)).toBe(false);
  });

  it('lets an admin see and revoke it', async () => {
    const link = await share(unit);
    expect((await list(admin)).json().shares.map((s: { id: string }) => s.id)).toContain(link.id);
    expect((await revoke(admin, link.id)).statusCode).toBe(200);
    expect(await opens(link.token)).toBe(false);
  });

  it('answers 404 to an officer of another jurisdiction, as for a dossier that does not exist', async () => {
    const link = await share(unit);
    expect((await list(otherOfficer)).json().error.code).toBe('DOSSIER_NOT_FOUND');
    expect((await revoke(otherOfficer, link.id)).json().error.code).toBe('DOSSIER_NOT_FOUND');
    expect(await opens(link.token)).toBe(true);
  });

  it("answers 404 to a link id of another dossier, and 400 to an id that is not one", async () => {
    const other = await checkedDossier(api, unit);
    const link = await share(unit, other);
    const crossed = await revoke(unit, link.id);
    expect(crossed.statusCode).toBe(404);
    expect(crossed.json().error.code).toBe('SHARE_LINK_NOT_FOUND');
    expect(await opens(link.token)).toBe(true);
    expect((await revoke(unit, 'not-an-id')).statusCode).toBe(400);
  });
});

describe("when the creator's token is revoked", () => {
  it('stops every link it made, and the list says why', async () => {
    const leaving = await api.token('unit', { unit: UNIT, name: '离职人员' });
    const link = await share(leaving);
    expect(await opens(link.token)).toBe(true);
    const tokenId = leaving.split('_')[1]!;
    expect((await api.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${tokenId}`, headers: bearer(admin) })).statusCode).toBe(200);
    expect(await opens(link.token)).toBe(false);
    expect((await api.app.inject({ url: `/api/v1/shared/${link.token}/files/0` })).statusCode).toBe(404);
    const listed = (await list(officer)).json().shares.find((s: { id: string }) => s.id === link.id);
    expect(listed.state).toBe('creator_revoked');
  });
});

describe('when the OpenAPI document is read', () => {
  it('describes listing and revoking share links from their zod schemas', async () => {
    const doc = (await api.app.inject({ url: '/docs/json' })).json();
    const listing = doc.paths['/api/v1/dossiers/{id}/shares'].get;
    expect(listing.responses['200'].content['application/json'].schema.properties.shares.items.properties.state.enum).toContain('revoked');
    const revoking = doc.paths['/api/v1/dossiers/{id}/shares/{shareId}'].delete;
    expect(revoking.parameters.find((p: { name: string }) => p.name === 'shareId').schema.pattern).toBeDefined();
    expect(revoking.responses['404'].content['application/json'].schema.properties.error.properties.code.enum).toContain('SHARE_LINK_NOT_FOUND');
    expect(doc.paths['/api/v1/dossiers/{id}/share'].post.responses['201'].content['application/json'].schema.properties.id).toBeDefined();
  });
});
