import { Redis } from 'ioredis';

/** The Redis the tests use; .ci/run starts one on this address. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Throws, saying where it looked, when no Redis answers: a test that needs Redis fails instead of skipping. */
export async function requireRedis(url = TEST_REDIS_URL): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 1000, retryStrategy: () => null });
  redis.on('error', () => undefined);
  let answered = false;
  try {
    await redis.connect();
    answered = (await redis.ping()) === 'PONG';
  } catch {
    answered = false;
  } finally {
    redis.disconnect();
  }
  if (!answered) throw new Error(`${url} 上没有 Redis（no Redis answers at ${url}; .ci/run starts one, or set REDIS_URL）`);
}
