import type { RedisOptions as BullmqRedisOptions } from 'bullmq';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { QueueConfigError, redactRedisUrl, type RedisSettings } from './config.ts';

/** One Redis, or a Redis Cluster (REDIS_CLUSTER=true); BullMQ and every call here accept either. */
export type RedisClient = Redis | Cluster;

/** Redis cannot be reached: nothing was submitted. Retrying later may work. */
export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError';
  readonly code = 'QUEUE_UNAVAILABLE';
  readonly retryable = true;
}

/** REDIS_URL is not set but the distributed mode was asked for. */
export class QueueNotConfiguredError extends Error {
  override readonly name = 'QueueNotConfiguredError';
  readonly code = 'QUEUE_NOT_CONFIGURED';
  readonly retryable = false;
}

export function requireRedisUrl(settings: RedisSettings, what: string): string {
  if (settings.url === undefined) {
    throw new QueueNotConfiguredError(`${what}需要 Redis：请设置 REDIS_URL（如 redis://127.0.0.1:6379），或在配置文件的 redis.url 中填写`);
  }
  return settings.url;
}

export function redisOptionsFromUrl(url: string): RedisOptions {
  const parsed = new URL(url);
  const db = parsed.pathname.replace(/^\//, '');
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    username: parsed.username === '' ? undefined : decodeURIComponent(parsed.username),
    password: parsed.password === '' ? undefined : decodeURIComponent(parsed.password),
    db: db === '' ? 0 : Number(db),
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
  };
}

interface ClientBehaviour {
  lazyConnect?: boolean;
  enableOfflineQueue?: boolean;
  maxRetriesPerRequest?: number | null;
  retryStrategy?: (times: number) => number | null;
}

/**
 * A client for the configured Redis. For a cluster, REDIS_URL names seed nodes (user, password and TLS are taken from
 * the first); ioredis discovers the others and follows slot moves.
 */
export function createRedisClient(settings: RedisSettings, behaviour: ClientBehaviour = {}): RedisClient {
  const url = requireRedisUrl(settings, 'Redis 连接');
  const seeds = url.split(',').map((part) => redisOptionsFromUrl(part.trim()));
  const first = seeds[0]!;
  if (!settings.cluster) {
    return new Redis({ ...first, connectTimeout: settings.connectTimeoutMs, ...behaviour });
  }
  return new Cluster(
    seeds.map((seed) => ({ host: seed.host, port: seed.port })),
    {
      lazyConnect: behaviour.lazyConnect,
      enableOfflineQueue: behaviour.enableOfflineQueue,
      enableReadyCheck: true,
      clusterRetryStrategy: behaviour.retryStrategy,
      redisOptions: {
        username: first.username,
        password: first.password,
        tls: first.tls,
        connectTimeout: settings.connectTimeoutMs,
        maxRetriesPerRequest: behaviour.maxRetriesPerRequest,
      },
    },
  );
}

const reconnectWithBackoff = (times: number) => Math.min(200 * times, 3_000);

/**
 * How workers and event listeners connect: they wait for Redis as long as it takes (reconnecting with a capped
 * backoff) and queue their commands meanwhile, so an outage pauses work instead of losing it. BullMQ requires
 * `maxRetriesPerRequest: null` for its blocking connections. A cluster needs a client instance; a single node is
 * given as options, so that BullMQ opens and closes its connections itself.
 */
export function patientConnection(settings: RedisSettings): BullmqRedisOptions | Cluster {
  const behaviour = { maxRetriesPerRequest: null, retryStrategy: reconnectWithBackoff };
  if (settings.cluster) return createRedisClient(settings, behaviour) as Cluster;
  return {
    ...redisOptionsFromUrl(requireRedisUrl(settings, '工作进程')),
    ...behaviour,
    enableReadyCheck: true,
    connectTimeout: settings.connectTimeoutMs,
  };
}

/**
 * A connection for submitting and reading status. It fails fast: a bounded connect timeout, no offline queue (a
 * command while Redis is away fails at once rather than hanging), and it is proven usable (PING) before it is
 * returned. Afterwards it reconnects by itself, so a long-lived API process survives an outage.
 */
export async function connectRedis(settings: RedisSettings): Promise<RedisClient> {
  const url = requireRedisUrl(settings, '提交');
  const redis = createRedisClient(settings, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: reconnectWithBackoff,
  });
  let lastError: Error | undefined;
  // Later errors surface on the commands that hit them; the listener also keeps them from being unhandled.
  redis.on('error', (error: Error) => {
    lastError = error;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${settings.connectTimeoutMs} 毫秒内未连上`)), settings.connectTimeoutMs + 500);
    });
    await Promise.race([redis.connect().then(() => redis.ping()), timeout]);
  } catch (error) {
    redis.disconnect();
    const reason = describeRedisError(lastError ?? (error as Error));
    throw new QueueUnavailableError(
      `无法连接 Redis（${redactRedisUrl(url)}）：${reason}。材料未提交。请确认 Redis 已启动、REDIS_URL 正确且网络可达后重试`,
      { cause: lastError ?? error },
    );
  } finally {
    clearTimeout(timer);
  }
  return redis;
}

/** {@link connectRedis} for a single Redis, typed as one. A cluster needs connectRedis (its client is a Cluster). */
export async function connectForSubmission(settings: RedisSettings): Promise<Redis> {
  if (settings.cluster) {
    throw new QueueConfigError('REDIS_CLUSTER=true：集群连接请用 connectRedis()（返回 ioredis 的 Cluster 客户端）');
  }
  return (await connectRedis(settings)) as Redis;
}

function describeRedisError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return '连接被拒绝（服务未运行或端口不对）';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return '找不到主机';
  if (code === 'ETIMEDOUT') return '连接超时';
  if (/NOAUTH|WRONGPASS|invalid password/i.test(error.message)) return '认证失败（检查 REDIS_URL 中的用户名和密码）';
  return error.message;
}
