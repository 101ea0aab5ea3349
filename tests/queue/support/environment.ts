import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { queueSettingsSchema, type DistributedConfig, type QueueSettings } from '../../../pipeline/queue/index.ts';
import { parseStorageConfig, type StorageConfig } from '../../../storage/index.ts';
import type { TestS3Server } from '../../helpers/s3-server.ts';
import { sharedPath } from '../../helpers/shared-data.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SHARED_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const SAMPLE_05 = sharedPath('samples', 'dossiers', 'sample-05-mt-filing', 'dossier.zip');

/** A queue prefix no other test run uses, so runs against the shared Redis never see each other's jobs. */
export function uniquePrefix(tag: string): string {
  return `dqt-${tag}-${process.pid}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Deletes every key of a test prefix (SCAN, never KEYS, and never FLUSHALL: the Redis is shared). */
export async function purgePrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } catch {
    // Cleanup of a Redis that is gone (outage tests) has nothing to delete.
  } finally {
    redis.disconnect();
  }
}

export function s3StorageConfig(s3: Pick<TestS3Server, 'endpoint' | 'port' | 'accessKey' | 'secretKey' | 'region'>, bucket: string, port = s3.port): StorageConfig {
  return parseStorageConfig({
    kind: 's3',
    endpoint: s3.endpoint,
    port,
    useSSL: false,
    bucket,
    accessKey: s3.accessKey,
    secretKey: s3.secretKey,
    region: s3.region,
    // Short waits keep the fault tests quick; the number of tries is the product's default.
    retry: { attempts: 4, baseDelayMs: 50, maxDelayMs: 400 },
  });
}

/** Settings for tests: short locks so a dead worker's job is taken over in seconds, quick retries. */
export function testConfig(options: { redisUrl?: string; cluster?: boolean; prefix: string; storage: StorageConfig; queue?: Partial<QueueSettings> }): DistributedConfig {
  return {
    redis: { url: options.redisUrl ?? SHARED_REDIS_URL, cluster: options.cluster ?? false, connectTimeoutMs: 2_000 },
    queue: queueSettingsSchema.parse({
      prefix: options.prefix,
      concurrency: 1,
      lockDurationMs: 4_000,
      stalledIntervalMs: 2_000,
      backoffMs: 300,
      shutdownGraceMs: 30_000,
      ...options.queue,
    }),
    storage: options.storage,
  };
}

/** The same settings as environment variables, for a worker started as its own process (`dossier worker`). */
export function configEnv(config: DistributedConfig): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    REDIS_URL: config.redis.url,
    REDIS_CLUSTER: String(config.redis.cluster),
    REDIS_CONNECT_TIMEOUT_MS: String(config.redis.connectTimeoutMs),
    QUEUE_PREFIX: config.queue.prefix,
    WORKER_CONCURRENCY: String(config.queue.concurrency),
    OCR_THREADS_PER_JOB: String(config.queue.ocrThreadsPerJob),
    QUEUE_LOCK_DURATION_MS: String(config.queue.lockDurationMs),
    QUEUE_STALLED_INTERVAL_MS: String(config.queue.stalledIntervalMs),
    QUEUE_MAX_STALLED_COUNT: String(config.queue.maxStalledCount),
    JOB_ATTEMPTS: String(config.queue.attempts),
    JOB_BACKOFF_MS: String(config.queue.backoffMs),
    SHUTDOWN_GRACE_MS: String(config.queue.shutdownGraceMs),
  };
  const s = config.storage;
  if (s.kind === 'local') return { ...env, STORAGE: 'local', DATA_DIR: s.dataDir };
  return {
    ...env,
    STORAGE: 's3',
    S3_ENDPOINT: s.endpoint,
    S3_PORT: String(s.port),
    S3_USE_SSL: String(s.useSSL),
    S3_BUCKET: s.bucket,
    S3_ACCESS_KEY: s.accessKey,
    S3_SECRET_KEY: s.secretKey,
    S3_REGION: s.region,
  };
}

export interface CliProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything written to stderr so far. */
  stderr(): string;
  stdout(): string;
  /** Resolves when stderr has a line matching `pattern`. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Exit code (null when killed by a signal) and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `bin/dossier.mjs <args>` as its own process, the way an operator would. */
export function runCli(args: string[], env: NodeJS.ProcessEnv): CliProcess {
  // The variables of the test runner (NODE_ENV=test, VITEST…) are left out on purpose: the CLI must work without them.
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/dossier.mjs'), ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that killProcessGroup also ends the sandboxed job processes it forked, even after
    // the worker itself was killed and they were handed to init (a CI run once left one running for an hour).
    detached: true,
  });
  let stderr = '';
  let stdout = '';
  const waiters: Array<{ pattern: RegExp; resolve: () => void }> = [];
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const w of [...waiters]) {
      if (w.pattern.test(stderr)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  return {
    child,
    pid: child.pid!,
    stderr: () => stderr,
    stdout: () => stdout,
    exited,
    waitForStderr(pattern, timeoutMs = 120_000) {
      if (pattern.test(stderr)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no stderr line matching ${pattern} within ${timeoutMs} ms; stderr so far:\n${stderr}`)), timeoutMs);
        waiters.push({ pattern, resolve: () => (clearTimeout(timer), resolve()) });
        void exited.then(({ code, signal }) => {
          clearTimeout(timer);
          reject(new Error(`process exited (${code ?? signal}) before a stderr line matching ${pattern}; stderr:\n${stderr}`));
        });
      });
    },
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGKILL to a CLI process started by {@link runCli} and to everything in its process group. */
export function killProcessGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is gone already.
  }
}

/** Direct children of a process (Linux /proc), to find a worker's sandboxed job processes. */
export async function childPids(pid: number): Promise<number[]> {
  const { readFile } = await import('node:fs/promises');
  try {
    const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8');
    return text.split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  server.close();
  await once(server, 'close');
  return port;
}

/** Polls `check` until it returns a value other than undefined; generous timeouts, no timing assertions. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 120_000, pollMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
