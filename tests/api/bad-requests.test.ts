import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, checkedDossier, multipart, startTestApi, textDossierZip, type TestApi } from './harness.ts';

let api: TestApi;
let admin: string;

async function storedDossierObjects(): Promise<string[]> {
  const keys: string[] = [];
  for await (const item of api.ctx.store.list('dossiers/')) keys.push(item.key);
  return keys;
}

beforeAll(async () => {
  // 64 KiB is small enough to overflow in a test and large enough for the text fixtures.
  api = await startTestApi({ maxUploadBytes: 64 * 1024 });
  admin = await api.token('admin');
});
afterAll(async () => api.close());

describe('when an upload is larger than the configured limit', () => {
  it('answers 413 for one oversized file, keeps nothing, and does not store a truncated copy', async () => {
    const before = await storedDossierObjects();
    const body = multipart({ city: 'municipal-template', stage: 'filing' }, [{ filename: 'big.zip', content: Buffer.alloc(200 * 1024, 1) }]);
    const response = await api.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: { ...bearer(admin), ...body.headers }, payload: body.payload });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('UPLOAD_TOO_LARGE');
    expect(response.json().error.message).toContain('超过');
    expect(await storedDossierObjects()).toEqual(before);
  });

  it('answers 413 when the files together exceed it, though each fits', async () => {
    const before = await storedDossierObjects();
    const body = multipart({ city: 'municipal-template', stage: 'filing' }, [
      { filename: 'd/a.txt', content: Buffer.alloc(40 * 1024, 65) },
      { filename: 'd/b.txt', content: Buffer.alloc(40 * 1024, 66) },
    ]);
    const response = await api.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: { ...bearer(admin), ...body.headers }, payload: body.payload });
    expect(response.statusCode).toBe(413);
    expect(await storedDossierObjects()).toEqual(before);
  });

  it('answers 413 over a real connection while the client is still sending, and closes it', async () => {
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = api.app.server.address() as AddressInfo;
    const body = multipart({ city: 'municipal-template', stage: 'filing' }, [{ filename: 'big.zip', content: Buffer.alloc(2 * 1024 * 1024, 7) }]);
    const answer = await new Promise<{ status: number; connection?: string; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/dossiers', headers: { ...bearer(admin), ...body.headers, 'content-length': body.payload.length } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body: text }));
      });
      // The server may stop reading once it has answered; a reset after the answer is expected.
      req.on('error', (error) => (String(error).includes('EPIPE') || String(error).includes('ECONNRESET') ? undefined : reject(error)));
      req.end(body.payload);
    });
    expect(answer.status).toBe(413);
    expect(answer.connection).toBe('close');
    expect(JSON.parse(answer.body).error.code).toBe('UPLOAD_TOO_LARGE');
  });
});

describe('when the body is not what the route takes', () => {
  it('answers 415 to a JSON body on the upload route', async () => {
    const response = await api.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: bearer(admin), payload: { city: 'changde' } });
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(response.json().error.message).toContain('multipart/form-data');
  });

  it('answers 415 to a content type no route parses', async () => {
    const response = await api.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: { ...bearer(admin), 'content-type': 'application/x-unknown' }, payload: 'x' });
    expect(response.statusCode).toBe(415);
  });

  it('answers 400 naming the field when city or stage is missing or wrong', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ stage: 'filing' }, /city/],
      [{ city: 'municipal-template' }, /stage/],
      [{ city: 'atlantis', stage: 'filing' }, /atlantis/],
      [{ city: 'municipal-template', stage: 'demolition' }, /stage/],
      [{ city: 'municipal-template', stage: 'filing', facts: '{not json' }, /facts/],
      [{ city: 'municipal-template', stage: 'filing', facts: '{"major": "perhaps"}' }, /major/],
    ];
    for (const [fields, message] of cases) {
      const body = multipart(fields, [{ filename: 'x.zip', content: textDossierZip() }]);
      const response = await api.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: { ...bearer(admin), ...body.headers }, payload: body.payload });
      expect(response.statusCode, JSON.stringify(fields)).toBe(400);
      expect(response.json().error.message).toMatch(message);
    }
  });

  it('answers 400 when no file comes with the form', async () => {
    const body = multipart({ city: 'municipal-template', stage: 'filing' }, []);
    const response = await api.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: { ...bearer(admin), ...body.headers }, payload: body.payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('UPLOAD_EMPTY');
  });

  it('answers 400 to a multipart body cut short', async () => {
    const body = multipart({ city: 'municipal-template', stage: 'filing' }, [{ filename: 'x.zip', content: textDossierZip() }]);
    const cut = body.payload.subarray(0, body.payload.length - 200);
    const response = await api.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: { ...bearer(admin), ...body.headers }, payload: cut });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('UPLOAD_INCOMPLETE');
  });

  it('answers 400 with a message to a re-check whose JSON is broken or has the wrong shape', async () => {
    const id = await checkedDossier(api, admin);
    const broken = await api.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/recheck`, headers: { ...bearer(admin), 'content-type': 'application/json' }, payload: '{"facts":' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('INVALID_JSON');
    const shape = await api.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/recheck`, headers: bearer(admin), payload: { facts: 'major=true' } });
    expect(shape.statusCode).toBe(400);
    expect(shape.json().error.code).toBe('VALIDATION_FAILED');
    expect(shape.json().error.message).toContain('facts');
    const empty = await api.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/recheck`, headers: bearer(admin) });
    expect(empty.statusCode).toBe(400);
  });

  it('answers 400 to a token request with an unknown role', async () => {
    const response = await api.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer(admin), payload: { name: 'x', role: 'superuser' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('role');
  });
});

describe('when the callback URL points inside the network', () => {
  it.each(['http://127.0.0.1:9/hook', 'http://[::1]/hook', 'http://10.1.2.3/hook', 'http://169.254.169.254/latest/meta-data', 'http://localhost:8080/x', 'ftp://example.org/x', 'http://user:pw@example.org/'])(
    'refuses %s with 400',
    async (callbackUrl) => {
      const body = multipart({ city: 'municipal-template', stage: 'filing', callbackUrl }, [{ filename: 'x.zip', content: textDossierZip() }]);
      const response = await api.app.inject({ method: 'POST', url: '/api/v1/dossiers', headers: { ...bearer(admin), ...body.headers }, payload: body.payload });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('CALLBACK_URL_REFUSED');
    },
  );
});
