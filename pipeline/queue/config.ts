import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';
import { defaultCores, MAX_CORES } from '../cpu-plan.ts';
import { parseStorageConfig, STORAGE_ENV_NAMES, type StorageConfig } from '../../storage/index.ts';

/**
 * Settings of the distributed mode, from the environment and/or a config file (YAML or JSON), validated with zod.
 * The environment wins over the file, field by field, so a container can override one value of a shared file.
 *
 *   DOSSIER_CONFIG             path of the config file (or `--config`)
 *   REDIS_URL                  redis://[:password@]host:6379[/db] or rediss://…; unset = embedded mode
 *   REDIS_CLUSTER              true: REDIS_URL names one or more seed nodes of a Redis Cluster (comma-separated);
 *                              the prefix must then carry a hash tag
 *   QUEUE_PREFIX               key prefix of every queue key; default `dossier`. For Redis Cluster use a hash tag,
 *                              `{dossier}`, so all keys of the queue land in one slot (BullMQ's Lua scripts need that)
 *   WORKER_CONCURRENCY         cores one worker process may use (the meaning of every --concurrency, pipeline/cpu-plan.ts):
 *                              it runs ⌊cores ÷ OCR_THREADS_PER_JOB⌋ jobs at once, each in its own child process with
 *                              that many OCR threads; default: the machine's cores
 *   OCR_THREADS_PER_JOB        tesseract workers per running job (at most WORKER_CONCURRENCY); default 1
 *   QUEUE_LOCK_DURATION_MS     job lock; a dead worker's job is taken over after about this plus the stalled interval
 *   QUEUE_STALLED_INTERVAL_MS  how often workers look for jobs whose lock expired
 *   QUEUE_MAX_STALLED_COUNT    takeovers of one job before it is failed; default 3
 *   JOB_ATTEMPTS               tries per job for transient failures (storage, OCR engine); default 5
 *   JOB_BACKOFF_MS             first retry delay, doubled each retry; default 2000
 *   SHUTDOWN_GRACE_MS          on SIGTERM, how long running jobs may take to finish before they are released
 *   REDIS_CONNECT_TIMEOUT_MS   how long a submission waits for Redis before giving up; default 5000
 *   STORAGE, DATA_DIR, S3_*    object storage, see storage/config.ts
 *
 * Config file shape:
 *   redis:   { url, cluster, connectTimeoutMs }
 *   queue:   { prefix, concurrency, ocrThreadsPerJob, lockDurationMs, stalledIntervalMs, maxStalledCount,
 *              attempts, backoffMs, shutdownGraceMs, keepCompletedSeconds, keepFailedSeconds }
 *   storage: { kind: local | s3, dataDir | endpoint, port, useSSL, bucket, accessKey, secretKey, region }
 */

export class QueueConfigError extends Error {
  override readonly name = 'QueueConfigError';
  constructor(
    message: string,
    readonly problems: readonly string[] = [],
  ) {
    super(message);
  }
}

const boundedInt = (what: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${what}必须是数字` })
    .int(`${what}必须是整数`)
    .min(min, `${what}不能小于 ${min}`)
    .max(max, `${what}不能大于 ${max}`);

function isRedisUrl(value: string): boolean {
  try {
    return ['redis:', 'rediss:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

// One address, or (for a cluster) several seed nodes separated by commas.
const redisUrlSchema = z
  .string()
  .trim()
  .refine((value) => value.split(',').every((part) => isRedisUrl(part.trim())), '必须是 redis://主机:端口 或 rediss://主机:端口 形式的地址');

// BullMQ joins prefix, queue name and job id with ':'; braces are allowed for a Redis Cluster hash tag.
const prefixSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.{}-]{1,64}$/, '只能由英文字母、数字、“_”“-”“.”和花括号组成（如 dossier 或 {dossier}），最长 64 个字符')
  .refine((p) => !p.includes('{') || /^[^{}]*\{[^{}]+\}[^{}]*$/.test(p), '花括号须成对出现且括起非空的哈希标签，如 {dossier}');

export const queueSettingsSchema = z.object({
  prefix: prefixSchema.default('dossier'),
  /** Cores this worker process may use; jobs at once and OCR threads per job are derived from it (workerCpuPlan). */
  concurrency: boundedInt('并发数', 1, MAX_CORES).default(() => defaultCores()),
  ocrThreadsPerJob: boundedInt('每个任务的 OCR 线程数', 1, 16).default(1),
  lockDurationMs: boundedInt('任务锁时长', 1000, 600_000).default(10_000),
  stalledIntervalMs: boundedInt('停滞检查间隔', 1000, 600_000).default(5_000),
  maxStalledCount: boundedInt('停滞接管次数', 0, 100).default(3),
  attempts: boundedInt('重试次数', 1, 50).default(5),
  backoffMs: boundedInt('重试等待', 0, 3_600_000).default(2_000),
  shutdownGraceMs: boundedInt('停机宽限时间', 0, 3_600_000).default(60_000),
  keepCompletedSeconds: boundedInt('已完成任务保留时间', 0, 365 * 86_400).default(86_400),
  keepFailedSeconds: boundedInt('失败任务保留时间', 0, 365 * 86_400).default(7 * 86_400),
});
export type QueueSettings = z.output<typeof queueSettingsSchema>;

export const redisSettingsSchema = z
  .object({
    url: redisUrlSchema.optional(),
    cluster: z.union([z.boolean(), z.stringbool()], { error: '只能是 true 或 false' }).default(false),
    connectTimeoutMs: boundedInt('Redis 连接超时', 100, 120_000).default(5_000),
  })
  .strict()
  .superRefine((settings, context) => {
    if (!settings.cluster && settings.url?.includes(',')) {
      context.addIssue({ code: 'custom', path: ['url'], message: '多个地址只用于 Redis Cluster（REDIS_CLUSTER=true）' });
    }
  });
export type RedisSettings = z.output<typeof redisSettingsSchema>;

const fileSchema = z
  .object({
    redis: z.record(z.string(), z.unknown()).optional(),
    queue: z.record(z.string(), z.unknown()).optional(),
    storage: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export interface DistributedConfig {
  redis: RedisSettings;
  queue: QueueSettings;
  storage: StorageConfig;
}

const QUEUE_ENV: Record<keyof QueueSettings, string> = {
  prefix: 'QUEUE_PREFIX',
  concurrency: 'WORKER_CONCURRENCY',
  ocrThreadsPerJob: 'OCR_THREADS_PER_JOB',
  lockDurationMs: 'QUEUE_LOCK_DURATION_MS',
  stalledIntervalMs: 'QUEUE_STALLED_INTERVAL_MS',
  maxStalledCount: 'QUEUE_MAX_STALLED_COUNT',
  attempts: 'JOB_ATTEMPTS',
  backoffMs: 'JOB_BACKOFF_MS',
  shutdownGraceMs: 'SHUTDOWN_GRACE_MS',
  keepCompletedSeconds: 'JOB_KEEP_COMPLETED_SECONDS',
  keepFailedSeconds: 'JOB_KEEP_FAILED_SECONDS',
};
const REDIS_ENV: Record<keyof RedisSettings, string> = { url: 'REDIS_URL', cluster: 'REDIS_CLUSTER', connectTimeoutMs: 'REDIS_CONNECT_TIMEOUT_MS' };

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Config file; default `DOSSIER_CONFIG` from the environment, else none. */
  file?: string;
}

/** Reads and validates the settings. Throws QueueConfigError (or StorageConfigError) naming every problem in Chinese. */
export function loadDistributedConfig(options: LoadConfigOptions = {}): DistributedConfig {
  const env = options.env ?? process.env;
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const filePath = options.file ?? read('DOSSIER_CONFIG');
  const file = filePath === undefined ? {} : readConfigFile(filePath);

  const overlay = (base: Record<string, unknown> | undefined, names: Record<string, string>) => {
    const merged: Record<string, unknown> = { ...base };
    for (const [field, envName] of Object.entries(names)) {
      const value = read(envName);
      if (value !== undefined) merged[field] = value;
    }
    return merged;
  };

  const problems: string[] = [];
  const parse = <T>(schema: z.ZodType<T>, value: unknown, section: string, names: Record<string, string>): T | undefined => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const field = issue.path.map(String).join('.');
      const envName = names[field];
      problems.push(`${envName === undefined ? `${section}.${field}` : `${envName}（${section}.${field}）`}：${issue.message}`);
    }
    return undefined;
  };
  const redis = parse(redisSettingsSchema, overlay(file.redis, REDIS_ENV), 'redis', REDIS_ENV);
  const queue = parse(queueSettingsSchema.strict(), overlay(file.queue, QUEUE_ENV), 'queue', QUEUE_ENV);
  // BullMQ's scripts touch several keys of a queue at once; a cluster allows that only within one hash slot.
  if (redis?.cluster && queue && !/\{[^{}]+\}/.test(queue.prefix)) {
    problems.push(`QUEUE_PREFIX（queue.prefix）：Redis Cluster 需要带哈希标签的前缀，如 {${queue.prefix}}，使队列的所有键落在同一个槽`);
  }
  if (problems.length > 0 || redis === undefined || queue === undefined) {
    throw new QueueConfigError(`队列配置无效：\n- ${problems.join('\n- ')}`, problems);
  }
  const storageInput = overlay(file.storage, STORAGE_ENV_NAMES);
  storageInput.kind ??= 'local';
  return { redis, queue, storage: parseStorageConfig(storageInput) };
}

function readConfigFile(path: string): z.infer<typeof fileSchema> {
  let raw: unknown;
  try {
    raw = YAML.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message.split('\n')[0];
    throw new QueueConfigError(`无法读取配置文件 ${path}：${reason}`);
  }
  const result = fileSchema.safeParse(raw ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.map(String).join('.') || '（顶层）'}：${i.code === 'unrecognized_keys' ? `未知的配置项 ${i.keys.join('、')}（只能有 redis、queue、storage）` : i.message}`);
    throw new QueueConfigError(`配置文件 ${path} 无效：\n- ${problems.join('\n- ')}`, problems);
  }
  return result.data;
}

/** The Redis address without its password, for messages and logs. */
export function redactRedisUrl(url: string): string {
  return url
    .split(',')
    .map((part) => {
      try {
        const parsed = new URL(part.trim());
        if (parsed.password !== '') parsed.password = '***';
        return parsed.toString();
      } catch {
        return '（无效地址）';
      }
    })
    .join(',');
}
