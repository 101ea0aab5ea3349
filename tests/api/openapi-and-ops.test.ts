import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApi, type TestApi } from './harness.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => api.close());

describe('when the OpenAPI document is generated from the zod schemas', () => {
  it('lists every API route with its parameters and responses', async () => {
    const doc = (await api.app.inject({ url: '/docs/json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const [path, method] of <Array<[string, string]>>[
      ['/api/v1/dossiers', 'post'],
      ['/api/v1/dossiers/{id}', 'get'],
      ['/api/v1/dossiers/{id}/report', 'get'],
      ['/api/v1/dossiers/{id}/files/{n}', 'get'],
      ['/api/v1/dossiers/{id}/recheck', 'post'],
      ['/api/v1/dossiers/{id}', 'delete'],
      ['/api/v1/batches', 'post'],
      ['/api/v1/batches/{id}', 'get'],
      ['/api/v1/checklists', 'get'],
      ['/api/v1/checklists/{id}', 'get'],
    ]) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
    const status = doc.paths['/api/v1/dossiers/{id}'].get;
    expect(status.parameters.find((p: { name: string }) => p.name === 'id').schema.pattern).toBeDefined();
    expect(status.responses['200'].content['application/json'].schema.properties.progress).toBeDefined();
    expect(doc.paths['/api/v1/dossiers/{id}/recheck'].post.requestBody.content['application/json'].schema.properties.facts).toBeDefined();
    expect(status.responses['404'].content['application/json'].schema.properties.error.properties.code.enum).toContain('DOSSIER_NOT_FOUND');
  });

  it('serves Swagger UI at /docs without a token', async () => {
    const response = await api.app.inject({ url: '/docs' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('swagger-initializer.js');
  });
});

describe('when an operator probes the service', () => {
  it('answers health and readiness without a token', async () => {
    expect((await api.app.inject({ url: '/health' })).json()).toEqual({ status: 'ok' });
    const ready = await api.app.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ ready: true, mode: 'embedded' });
  });

  it('says not ready once the processor is closed', async () => {
    const other = await startTestApi();
    await other.processor.close();
    const ready = await other.app.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().ready).toBe(false);
    await other.close();
  });
});

describe('when any page is served', () => {
  it('carries security headers', async () => {
    const response = await api.app.inject({ url: '/ui/index.html' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });
});

describe('when a client sends too many requests', () => {
  it('answers 429 RATE_LIMITED with Retry-After', async () => {
    const limited = await startTestApi({ rateLimit: { max: 3, uploads: 1 } });
    const token = await limited.token('admin');
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await limited.app.inject({ url: '/api/v1/me', headers: bearer(token) })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    const refused = await limited.app.inject({ url: '/api/v1/me', headers: bearer(token) });
    expect(refused.json().error.code).toBe('RATE_LIMITED');
    expect(refused.headers['retry-after']).toBeDefined();
    await limited.close();
  });
});
