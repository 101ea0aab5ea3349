import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ERRORS, ApiError } from '../../api/errors.ts';
import { ErrorResponse } from '../../api/schemas.ts';
import { bearer, startTestApi, type TestApi } from './harness.ts';

const DOC = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'api.md'), 'utf8');

describe('when the error registry is read', () => {
  it.each(Object.entries(API_ERRORS))('%s is documented in docs/api.md with its status', (code, { status }) => {
    const row = DOC.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
    expect(row, `docs/api.md 缺少错误码 ${code}`).toBeDefined();
    expect(row).toContain(`| ${status} |`);
  });

  it.each(Object.entries(API_ERRORS))('%s has a Chinese message and an HTTP error status', (_code, { status, message }) => {
    expect(message).toMatch(/[\u4e00-\u9fff]/);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(600);
  });

  it('documents no code that the registry does not have', () => {
    const documented = [...DOC.matchAll(/^\| `([A-Z_]+)` \| \d{3} \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(API_ERRORS).sort());
  });

  it('puts the detail after the registry message', () => {
    const error = new ApiError('VALIDATION_FAILED', 'city：必填');
    expect(error.statusCode).toBe(400);
    expect(error.message).toBe('请求内容不符合要求：city：必填');
  });
});

describe('when the API answers with an error', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api.close());

  it('uses the one documented body shape', async () => {
    const admin = await api.token('admin');
    const answers = await Promise.all([
      api.app.inject({ url: '/api/v1/me' }),
      api.app.inject({ url: '/api/v1/dossiers/d_missing', headers: bearer(admin) }),
      api.app.inject({ url: '/no/such/page' }),
      api.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer(admin), payload: {} }),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([401, 404, 404, 400]);
    for (const a of answers) {
      expect(a.headers['content-type']).toMatch(/^application\/json/);
      expect(ErrorResponse.safeParse(a.json()).success, a.body).toBe(true);
    }
  });
});
