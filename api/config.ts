import { z } from 'zod';
import { coresSchema, defaultCores } from '../pipeline/cpu-plan.ts';

/**
 * Settings of the HTTP API, read from the environment by {@link apiConfigFromEnv} (storage settings are read by
 * storage/config.ts: STORAGE, DATA_DIR, S3_*). Every option carries its default here, where it is declared.
 *
 *   HOST, PORT                      listen address                              default 127.0.0.1:3000
 *   PUBLIC_URL                      base URL written into webhooks and share links  default http://HOST:PORT
 *   MAX_UPLOAD_MB                   total bytes one upload may carry            default 512
 *   MAX_UPLOAD_FILES                files in one upload (a picked folder)       default 2000
 *   PROCESS_CONCURRENCY             cores the embedded checking may use (the meaning of every --concurrency,
 *                                   pipeline/cpu-plan.ts): OCR threads, files read at once and dossiers checked
 *                                   at once are all this many                   default the machine's cores
 *   REDIS_URL                       set: distributed mode (BullMQ); unset: embedded
 *   DATABASE_URL                    postgres://… : records and audit log in PostgreSQL; unset: SQLite in the data folder
 *   WEBHOOK_SECRET                  HMAC key of webhook signatures; unset: generated once and kept in storage
 *   WEBHOOK_ALLOW_PRIVATE           true: callbacks to loopback/private addresses allowed (tests, closed networks)
 *   WEBHOOK_MAX_ATTEMPTS            default 6
 *   WEBHOOK_BASE_DELAY_MS           first retry delay, doubled each time        default 5000
 *   WEBHOOK_TIMEOUT_MS              per attempt                                 default 10000
 *   RATE_LIMIT_MAX                  requests per client IP per minute (0: off)  default 600
 *   RATE_LIMIT_UPLOADS              uploads per client IP per minute (0: off)   default 30
 *   SHARE_LINK_HOURS                default lifetime of a share link            default 72
 *   BOOTSTRAP_ADMIN                 false: never create the first admin token   default true
 *   TRUST_PROXY                     true: read client IPs from X-Forwarded-For  default false
 *   LOG_LEVEL                       pino level                                  default info
 */
export const ApiConfigSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  /** No trailing slash. */
  publicUrl: z.url().optional(),
  maxUploadBytes: z.number().int().positive().default(512 * 1024 * 1024),
  maxUploadFiles: z.number().int().positive().default(2000),
  /** Cores the embedded checking may use; the OCR pool, readers and dossiers in flight are sized from it (cpuPlan). */
  processConcurrency: coresSchema.default(() => defaultCores()),
  redisUrl: z.string().optional(),
  /** PostgreSQL for records and the audit log; unset: SQLite in a local data folder (object storage alone with S3). */
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'DATABASE_URL 应为 postgres:// 地址').optional(),
  webhook: z
    .object({
      secret: z.string().min(16, 'WEBHOOK_SECRET 至少 16 个字符').optional(),
      allowPrivateTargets: z.boolean().default(false),
      maxAttempts: z.number().int().min(1).max(20).default(6),
      baseDelayMs: z.number().int().min(0).default(5000),
      timeoutMs: z.number().int().positive().default(10_000),
    })
    .prefault({}),
  rateLimit: z
    .object({
      /** Per client IP and minute; 0 turns the limit off. */
      max: z.number().int().min(0).default(600),
      uploads: z.number().int().min(0).default(30),
    })
    .prefault({}),
  shareLinkHours: z.number().positive().max(24 * 90).default(72),
  bootstrapAdmin: z.boolean().default(true),
  trustProxy: z.boolean().default(false),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * How long a dossier record read from storage is trusted before it is read again. Infinite in embedded mode (this
   * process is the only writer); short in distributed mode, where workers write statuses too.
   */
  recordCacheMs: z.number().int().min(0).optional(),
});
export type ApiConfig = z.output<typeof ApiConfigSchema>;
export type ApiConfigInput = z.input<typeof ApiConfigSchema>;

export function parseApiConfig(input: ApiConfigInput = {}): ApiConfig {
  const result = ApiConfigSchema.safeParse(input);
  if (!result.success) {
    throw new Error(`API 配置无效：\n- ${result.error.issues.map((i) => `${i.path.join('.') || '（整体）'}：${i.message}`).join('\n- ')}`);
  }
  return result.data;
}

export function apiConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const read = (name: string) => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const num = (name: string) => (read(name) === undefined ? undefined : Number(read(name)));
  const bool = (name: string) => (read(name) === undefined ? undefined : ['1', 'true', 'yes'].includes(read(name)!.toLowerCase()));
  const mb = num('MAX_UPLOAD_MB');
  return parseApiConfig({
    host: read('HOST'),
    port: num('PORT'),
    publicUrl: read('PUBLIC_URL')?.replace(/\/+$/, ''),
    maxUploadBytes: mb === undefined ? undefined : Math.round(mb * 1024 * 1024),
    maxUploadFiles: num('MAX_UPLOAD_FILES'),
    processConcurrency: num('PROCESS_CONCURRENCY'),
    redisUrl: read('REDIS_URL'),
    databaseUrl: read('DATABASE_URL'),
    webhook: {
      secret: read('WEBHOOK_SECRET'),
      allowPrivateTargets: bool('WEBHOOK_ALLOW_PRIVATE'),
      maxAttempts: num('WEBHOOK_MAX_ATTEMPTS'),
      baseDelayMs: num('WEBHOOK_BASE_DELAY_MS'),
      timeoutMs: num('WEBHOOK_TIMEOUT_MS'),
    },
    rateLimit: { max: num('RATE_LIMIT_MAX'), uploads: num('RATE_LIMIT_UPLOADS') },
    shareLinkHours: num('SHARE_LINK_HOURS'),
    bootstrapAdmin: bool('BOOTSTRAP_ADMIN'),
    trustProxy: bool('TRUST_PROXY'),
    logLevel: read('LOG_LEVEL') as ApiConfig['logLevel'] | undefined,
  });
}
