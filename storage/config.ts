import { z } from 'zod';
import type { BlobStore } from './blob-store.ts';
import { StorageConfigError } from './errors.ts';
import { LocalFolderStore } from './local-folder-store.ts';
import { DEFAULT_RETRY_POLICY } from './retry.ts';
import { DEFAULT_PART_SIZE_BYTES, S3Store } from './s3-store.ts';

/**
 * Storage settings, from the environment (`storageConfigFromEnv`) or from an object (`parseStorageConfig`).
 *
 *   STORAGE        local | s3                       default local
 *   DATA_DIR       folder of the local store        default ./data
 *   S3_ENDPOINT    host name, or http(s)://host:port (then port and TLS come from the URL)
 *   S3_PORT        default 443 with TLS, 80 without
 *   S3_USE_SSL     true | false                     default true
 *   S3_BUCKET      created on first use when missing
 *   S3_ACCESS_KEY, S3_SECRET_KEY
 *   S3_REGION      default us-east-1
 */

function requiredText(what: string) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `未设置${what}` : `${what}必须是文本`) })
    .trim()
    .min(1, `${what}不能为空`);
}

const localConfigSchema = z.object({
  kind: z.literal('local'),
  /** Folder of the local store. Default `./data`. */
  dataDir: z.string().trim().min(1, '数据目录不能为空').default('./data'),
});

const s3ConfigSchema = z.object({
  kind: z.literal('s3'),
  endpoint: requiredText('对象存储服务地址'),
  port: z.coerce
    .number({ error: '端口必须是数字' })
    .int('端口必须是整数')
    .min(1, '端口必须在 1–65535 之间')
    .max(65535, '端口必须在 1–65535 之间')
    .optional(),
  useSSL: z
    .union([z.boolean(), z.stringbool()], { error: '只能是 true 或 false' })
    .optional(),
  bucket: requiredText('存储桶名称').regex(
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    '存储桶名称须为 3–63 位小写字母、数字、“.”或“-”，并以字母或数字开头和结尾',
  ),
  accessKey: requiredText('访问密钥 ID'),
  secretKey: requiredText('秘密访问密钥'),
  region: z.string().trim().min(1, '区域不能为空').default('us-east-1'),
  /** See S3StoreOptions.partSizeBytes. */
  partSizeBytes: z
    .number()
    .int()
    .min(5 * 1024 * 1024, '分片大小不能小于 5 MiB')
    .max(5 * 1024 * 1024 * 1024, '分片大小不能大于 5 GiB')
    .default(DEFAULT_PART_SIZE_BYTES),
  retry: z
    .object({
      attempts: z.number().int().min(1).max(20).default(DEFAULT_RETRY_POLICY.attempts),
      baseDelayMs: z.number().int().min(0).default(DEFAULT_RETRY_POLICY.baseDelayMs),
      maxDelayMs: z.number().int().min(0).default(DEFAULT_RETRY_POLICY.maxDelayMs),
    })
    .default(DEFAULT_RETRY_POLICY),
});

type S3ConfigBeforeEndpoint = z.output<typeof s3ConfigSchema>;

/** A URL-shaped endpoint is split into host, port and TLS, which is what the client wants. */
function normaliseEndpoint(config: S3ConfigBeforeEndpoint, context: z.RefinementCtx) {
  if (!config.endpoint.includes('://')) {
    return { ...config, useSSL: config.useSSL ?? true };
  }
  let url: URL;
  try {
    url = new URL(config.endpoint);
  } catch {
    context.addIssue({ code: 'custom', path: ['endpoint'], message: '不是有效的地址' });
    return z.NEVER;
  }
  if (!['http:', 'https:'].includes(url.protocol) || (url.pathname !== '/' && url.pathname !== '') || url.search !== '') {
    context.addIssue({
      code: 'custom',
      path: ['endpoint'],
      message: '只能是主机名或“http(s)://主机:端口”，不能带路径（桶名请写在 S3_BUCKET）',
    });
    return z.NEVER;
  }
  const urlUsesTls = url.protocol === 'https:';
  if (config.useSSL !== undefined && config.useSSL !== urlUsesTls) {
    context.addIssue({ code: 'custom', path: ['useSSL'], message: `与地址中的协议 ${url.protocol} 矛盾` });
    return z.NEVER;
  }
  return {
    ...config,
    endpoint: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: config.port ?? (url.port === '' ? undefined : Number(url.port)),
    useSSL: urlUsesTls,
  };
}

export const storageConfigSchema = z.discriminatedUnion('kind', [localConfigSchema, s3ConfigSchema.transform(normaliseEndpoint)], {
  error: '只能是 local 或 s3',
});

export type StorageConfig = z.output<typeof storageConfigSchema>;
export type StorageConfigInput = z.input<typeof storageConfigSchema>;
export type LocalStorageConfig = Extract<StorageConfig, { kind: 'local' }>;
export type S3StorageConfig = Extract<StorageConfig, { kind: 's3' }>;

/** The environment variable of each storage setting (also read by the queue's configuration). */
export const STORAGE_ENV_NAMES: Record<string, string> = {
  kind: 'STORAGE',
  dataDir: 'DATA_DIR',
  endpoint: 'S3_ENDPOINT',
  port: 'S3_PORT',
  useSSL: 'S3_USE_SSL',
  bucket: 'S3_BUCKET',
  accessKey: 'S3_ACCESS_KEY',
  secretKey: 'S3_SECRET_KEY',
  region: 'S3_REGION',
};

/** Validates a config object. Throws StorageConfigError listing every problem in Chinese (never echoing secrets). */
export function parseStorageConfig(input: unknown): StorageConfig {
  const result = storageConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || 'kind';
    const envName = STORAGE_ENV_NAMES[field];
    return `${envName === undefined ? field : `${envName}（${field}）`}：${issue.message}`;
  });
  throw new StorageConfigError(`存储配置无效：\n- ${problems.join('\n- ')}`, problems);
}

/** Reads the variables listed at the top of this file. Empty variables count as unset. */
export function storageConfigFromEnv(env: NodeJS.ProcessEnv = process.env): StorageConfig {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const kind = read('STORAGE') ?? 'local';
  if (kind === 'local') return parseStorageConfig({ kind, dataDir: read('DATA_DIR') });
  if (kind === 's3') {
    return parseStorageConfig({
      kind,
      endpoint: read('S3_ENDPOINT'),
      port: read('S3_PORT'),
      useSSL: read('S3_USE_SSL'),
      bucket: read('S3_BUCKET'),
      accessKey: read('S3_ACCESS_KEY'),
      secretKey: read('S3_SECRET_KEY'),
      region: read('S3_REGION'),
    });
  }
  return parseStorageConfig({ kind });
}

/** The blob store the settings describe. Does no I/O: an S3 bucket is checked (and created) on first use. */
export function createBlobStore(config: StorageConfig | StorageConfigInput = storageConfigFromEnv()): BlobStore {
  const parsed = parseStorageConfig(config);
  if (parsed.kind === 'local') return new LocalFolderStore({ root: parsed.dataDir });
  return new S3Store(parsed);
}
