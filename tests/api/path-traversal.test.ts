import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, checkedDossier, multipart, startTestApi, textDossierZip, type TestApi } from './harness.ts';

let api: TestApi;
let admin: string;
let id: string;

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.token('admin');
  id = await checkedDossier(api, admin);
});
afterAll(async () => api.close());

// Encoded so that inject (which resolves literal dot segments like a browser) delivers them as they are.
const ATTACKS = ['..%2F..%2Fetc%2Fpasswd', '..%2F', '..%5C..%5Cwindows', '%2Fetc%2Fpasswd', 'a%00b', '....%2F%2F', '%2e%2e%2f'];

describe('when a path parameter tries to climb out', () => {
  const routes: Array<[string, (attack: string) => { method: 'GET' | 'POST' | 'DELETE'; url: string; payload?: object }]> = [
    ['dossier id', (a) => ({ method: 'GET', url: `/api/v1/dossiers/${a}` })],
    ['dossier id of the report', (a) => ({ method: 'GET', url: `/api/v1/dossiers/${a}/report` })],
    ['dossier id of a delete', (a) => ({ method: 'DELETE', url: `/api/v1/dossiers/${a}` })],
    ['dossier id of a re-check', (a) => ({ method: 'POST', url: `/api/v1/dossiers/${a}/recheck`, payload: { facts: {} } })],
    ['file number', (a) => ({ method: 'GET', url: `/api/v1/dossiers/${id}/files/${a}` })],
    ['batch id', (a) => ({ method: 'GET', url: `/api/v1/batches/${a}` })],
    ['checklist id', (a) => ({ method: 'GET', url: `/api/v1/checklists/${a}` })],
    ['token id', (a) => ({ method: 'DELETE', url: `/api/v1/tokens/${a}` })],
    ['share link', (a) => ({ method: 'GET', url: `/s/${a}` })],
    ['shared file number', (a) => ({ method: 'GET', url: `/api/v1/shared/${'A'.repeat(43)}/files/${a}` })],
    ['UI asset', (a) => ({ method: 'GET', url: `/ui/${a}` })],
  ];
  for (const [name, build] of routes) {
    it(`answers 400 for the ${name}`, async () => {
      for (const attack of ATTACKS) {
        const response = await api.app.inject({ ...build(attack), headers: bearer(admin) });
        expect(response.statusCode, `${name}: ${attack}`).toBe(400);
        expect(response.json().error.code).toBe('INVALID_PARAMETER');
      }
    });
  }

  it('answers 400 for a query parameter outside its set', async () => {
    const response = await api.app.inject({ url: `/api/v1/dossiers/${id}/report?format=..%2F..%2Fetc`, headers: bearer(admin) });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('INVALID_PARAMETER');
  });
});

describe('when a raw request carries literal dot segments', () => {
  it('answers 400 before any route or file is looked at', async () => {
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = api.app.server.address() as AddressInfo;
    for (const path of [`/api/v1/dossiers/../../etc/passwd`, `/ui/../../package.json`, `/api/v1/dossiers/${id}/files/../../../etc/passwd`, '/s/..', '/api/v1/dossiers/%2E%2E', '/api/v1/batches/%2e%2e/x']) {
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path, headers: bearer(admin) }, (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(answer.status, path).toBe(400);
      expect(JSON.parse(answer.body).error.code).toBe('INVALID_PARAMETER');
    }
  });
});

describe('when an uploaded file name tries to climb out', () => {
  it.each(['../../etc/passwd', '/etc/passwd', 'a/../../b.txt', '..\\..\\evil.txt', 'C:/Windows/evil.txt', 'a//b.txt', 'a\u0001b.txt'])('refuses %s with 400 and stores nothing', async (filename) => {
    const before: string[] = [];
    for await (const item of api.ctx.store.list('')) before.push(item.key);
    const body = multipart({ city: 'municipal-template', stage: 'filing' }, [{ filename, content: textDossierZip() }]);
    const response = await api.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: { ...bearer(admin), ...body.headers }, payload: body.payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('INVALID_FILE_PATH');
    const after: string[] = [];
    for await (const item of api.ctx.store.list('')) after.push(item.key);
    expect(after.sort()).toEqual(before.sort());
  });
});
