import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './harness.ts';

/**
 * Against a real port on loopback: a bounded burst (3× the limit, 10 requests at a time) of requests that are refused
 * anyway — no token, a wrong token, a guessed share link, a probed address — must run into the rate limit like
 * signed-in requests do.
 */

const LIMIT = 20;
let api: TestApi | undefined;

afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function burst(path: string, headers: Record<string, string> = {}): Promise<number[]> {
  api = await startTestApi({ rateLimit: { max: LIMIT, uploads: 5 } });
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = api.app.server.address() as AddressInfo;
  const statuses: number[] = [];
  for (let sent = 0; sent < LIMIT * 3; sent += 10) {
    const answers = await Promise.all(Array.from({ length: 10 }, () => fetch(`http://127.0.0.1:${port}${path}`, { headers })));
    for (const answer of answers) {
      statuses.push(answer.status);
      if (answer.status === 429) {
        const body = (await answer.json()) as { error: { code: string } };
        expect(body.error.code).toBe('RATE_LIMITED');
        expect(answer.headers.get('retry-after')).not.toBeNull();
      } else await answer.arrayBuffer();
    }
  }
  return statuses;
}

function expectLimited(statuses: number[], refusal: number): void {
  expect(statuses.filter((s) => s === refusal)).toHaveLength(LIMIT);
  expect(statuses.filter((s) => s === 429)).toHaveLength(LIMIT * 2);
  expect(statuses.every((s) => s === refusal || s === 429)).toBe(true);
}

const randomLink = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');

describe('when a client hammers the API without signing in', () => {
  it('limits requests without a token', async () => {
    expectLimited(await burst('/api/v1/dossiers'), 401);
  });

  it('limits requests with a wrong token', async () => {
    expectLimited(await burst('/api/v1/me', { authorization: `Bearer dkt_0123456789abcdef_${'x'.repeat(43)}` }), 401);
  });

  it('limits guesses of share links', async () => {
    expectLimited(await burst(`/api/v1/shared/${randomLink()}/report`), 404);
  });

  it('limits guesses of share pages', async () => {
    expectLimited(await burst(`/s/${randomLink()}`), 404);
  });

  it('limits probing for addresses that do not exist', async () => {
    expectLimited(await burst('/wp-admin/setup.php'), 404);
  });
});
