import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.ts';
import { parseApiConfig } from '../../api/config.ts';
import { createContext, type AppContext } from '../../api/context.ts';
import { DistributedProcessor } from '../../api/processing/distributed.ts';
import { ErrorResponse } from '../../api/schemas.ts';
import { LocalFolderStore } from '../../storage/index.ts';
import { requireRedis, TEST_REDIS_URL } from '../helpers/redis.ts';
import { purgePrefix } from '../queue/support/environment.ts';
import { bearer, startTestApi, type TestApi } from './harness.ts';

/**
 * Errors that do not come from our routes — the router's, Node's HTTP parser's, bull-board's — still answer with the
 * documented `{"error":{"code","message"}}` and a registry code.
 */

function expectDocumented(status: number, contentType: unknown, text: string, code: string): void {
  expect(String(contentType)).toMatch(/^application\/json/);
  const body = JSON.parse(text);
  expect(ErrorResponse.safeParse(body).success, text).toBe(true);
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(/[\u4e00-\u9fff]/);
  expect(status).toBeGreaterThanOrEqual(400);
}

/** Sends raw bytes and returns the raw answer (the parser's refusals close the connection). */
function rawExchange(port: number, request: string): Promise<{ status: number; contentType?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('error', (error) => (text ? undefined : reject(error)));
    socket.on('close', () => {
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), contentType: /content-type: ([^\r]+)/i.exec(head)?.[1], body });
    });
    socket.write(request);
  });
}

describe('when the router or the HTTP parser refuses a request', () => {
  let api: TestApi;
  let admin: string;
  let port: number;
  beforeAll(async () => {
    api = await startTestApi();
    admin = await api.token('admin');
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    port = (api.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => api.close());

  it('answers 414 URI_TOO_LONG to a path parameter past the limit', async () => {
    const response = await api.app.inject({ url: `/api/v1/dossiers/${'a'.repeat(300)}`, headers: bearer(admin) });
    expect(response.statusCode).toBe(414);
    expectDocumented(response.statusCode, response.headers['content-type'], response.body, 'URI_TOO_LONG');
    expect(response.json().requestId).toBeDefined();
  });

  it('answers 414 over a real connection too', async () => {
    const answer = await fetch(`http://127.0.0.1:${port}/api/v1/shared/${'A'.repeat(250)}/report`);
    expect(answer.status).toBe(414);
    expectDocumented(answer.status, answer.headers.get('content-type'), await answer.text(), 'URI_TOO_LONG');
  });

  it('answers 400 INVALID_PARAMETER to a path the router cannot decode', async () => {
    const answer = await rawExchange(port, 'GET /api/v1/dossiers/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer.status).toBe(400);
    expectDocumented(answer.status, answer.contentType, answer.body, 'INVALID_PARAMETER');
  });

  it('answers 431 HEADERS_TOO_LARGE to headers over 16 KB', async () => {
    const answer = await rawExchange(port, `GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-Padding: ${'p'.repeat(20_000)}\r\n\r\n`);
    expect(answer.status).toBe(431);
    expectDocumented(answer.status, answer.contentType, answer.body, 'HEADERS_TOO_LARGE');
  });

  it('answers 400 MALFORMED_REQUEST to bytes that are not HTTP', async () => {
    const answer = await rawExchange(port, 'HELLO THERE\r\n\r\n');
    expect(answer.status).toBe(400);
    expectDocumented(answer.status, answer.contentType, answer.body, 'MALFORMED_REQUEST');
  });
});

const REDIS_URL = TEST_REDIS_URL;

describe('when the queue dashboard refuses a request', () => {
  const prefix = `eshape-${process.pid}-${Date.now().toString(36)}`;
  let dataDir: string;
  let ctx: AppContext;
  let app: FastifyInstance;
  let admin: string;
  let unit: string;

  beforeAll(async () => {
    await requireRedis(REDIS_URL);
    dataDir = await mkdtemp(join(tmpdir(), 'api-dashboard-errors-'));
    const env = { REDIS_URL, QUEUE_PREFIX: prefix, STORAGE: 'local', DATA_DIR: dataDir };
    ctx = await createContext(parseApiConfig({ redisUrl: REDIS_URL, rateLimit: { max: 0, uploads: 0 }, bootstrapAdmin: false }), {
      store: new LocalFolderStore({ root: dataDir }),
      processor: (parts) => DistributedProcessor.connect({ ...parts, env }),
    });
    app = await buildApp(ctx, { logger: false });
    await app.ready();
    admin = (await ctx.tokens.create({ name: 'admin', role: 'admin' })).token;
    unit = (await ctx.tokens.create({ name: 'unit', role: 'unit', unit: '某单位' })).token;
  });

  afterAll(async () => {
    await app?.close();
    await ctx?.close();
    await purgePrefix(REDIS_URL, prefix);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('answers 401 AUTH_REQUIRED without a token', async () => {
    for (const url of ['/admin/queues', '/admin/queues/api/queues']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(401);
      expectDocumented(response.statusCode, response.headers['content-type'], response.body, 'AUTH_REQUIRED');
      expect(response.json().requestId).toBeDefined();
    }
  });

  it('answers 403 FORBIDDEN to a non-admin', async () => {
    const response = await app.inject({ url: '/admin/queues/api/queues', headers: bearer(unit) });
    expect(response.statusCode).toBe(403);
    expectDocumented(response.statusCode, response.headers['content-type'], response.body, 'FORBIDDEN');
  });

  it("answers bull-board's own 404 in the documented shape, keeping its key for its UI", async () => {
    const response = await app.inject({ url: '/admin/queues/api/queues/no-such-queue/1', headers: bearer(admin) });
    expect(response.statusCode).toBe(404);
    expectDocumented(response.statusCode, response.headers['content-type'], response.body, 'NOT_FOUND');
    expect(response.json().error.key).toBe('ERRORS.QUEUE_NOT_FOUND');
    expect(response.json().requestId).toBeDefined();
  });

  it('still serves the dashboard and its data to an admin', async () => {
    const response = await app.inject({ url: '/admin/queues/api/queues', headers: bearer(admin) });
    expect(response.statusCode).toBe(200);
    expect(response.json().queues).toBeDefined();
  });
});
