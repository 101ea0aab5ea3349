import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorResponse } from '../../api/schemas.ts';
import { bearer, multipart, startTestApi, textDossierZip, type TestApi } from './harness.ts';

let api: TestApi;
let admin: string;

async function storedKeys(): Promise<string[]> {
  const keys: string[] = [];
  for await (const item of api.ctx.store.list('')) keys.push(item.key);
  return keys.sort();
}

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.token('admin');
});
afterAll(async () => api.close());

describe('when a multipart upload names no boundary', () => {
  it.each(['/api/v1/dossiers', '/api/v1/batches'])('%s answers 400 MULTIPART_BOUNDARY_MISSING in Chinese and keeps nothing', async (url) => {
    const before = await storedKeys();
    const body = multipart({ city: 'municipal-template', stage: 'filing' }, [{ filename: 'x.zip', content: textDossierZip() }]);
    const response = await api.app.inject({ method: 'POST', url, headers: { ...bearer(admin), 'content-type': 'multipart/form-data' }, payload: body.payload });
    expect(response.statusCode).toBe(400);
    expect(ErrorResponse.safeParse(response.json()).success, response.body).toBe(true);
    expect(response.json().error.code).toBe('MULTIPART_BOUNDARY_MISSING');
    expect(response.json().error.message).toMatch(/boundary/);
    expect(response.json().error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(await storedKeys()).toEqual(before);
  });

  it('answers the same to an empty boundary parameter', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/api/v1/dossiers',
      headers: { ...bearer(admin), 'content-type': 'multipart/form-data; charset=utf-8' },
      payload: 'city=x',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('MULTIPART_BOUNDARY_MISSING');
  });
});

describe('when an uploaded file is named "."', () => {
  it.each(['.', './.'])('refuses %s with INVALID_FILE_PATH like the other bad names', async (filename) => {
    const before = await storedKeys();
    const body = multipart({ city: 'municipal-template', stage: 'filing' }, [{ filename, content: textDossierZip() }]);
    const response = await api.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: { ...bearer(admin), ...body.headers }, payload: body.payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('INVALID_FILE_PATH');
    expect(await storedKeys()).toEqual(before);
  });

  it('refuses it in a batch too', async () => {
    const body = multipart({ city: 'municipal-template', stage: 'filing' }, [{ filename: '.', content: textDossierZip() }]);
    const response = await api.app.inject({ method: 'POST', url: '/api/v1/batches', headers: { ...bearer(admin), ...body.headers }, payload: body.payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('INVALID_FILE_PATH');
  });
});
