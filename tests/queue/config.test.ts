import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dossierIdFor, loadDistributedConfig, QueueConfigError, redactRedisUrl } from '../../pipeline/queue/index.ts';
import { StorageConfigError } from '../../storage/index.ts';
import { runCli } from './support/environment.ts';

describe('when the distributed settings are read', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'queue-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('uses defaults that recover a dead worker’s job within seconds', () => {
    const config = loadDistributedConfig({ env: { REDIS_URL: 'redis://10.0.0.5:6379' } });
    expect(config.redis).toMatchObject({ url: 'redis://10.0.0.5:6379', connectTimeoutMs: 5000 });
    expect(config.queue).toMatchObject({ prefix: 'dossier', lockDurationMs: 10_000, stalledIntervalMs: 5_000, ocrThreadsPerJob: 1 });
    expect(config.storage).toMatchObject({ kind: 'local', dataDir: './data' });
  });

  it('leaves REDIS_URL unset when it is not given (the embedded mode)', () => {
    expect(loadDistributedConfig({ env: {} }).redis.url).toBeUndefined();
  });

  it('accepts a Redis Cluster hash-tag prefix', () => {
    expect(loadDistributedConfig({ env: { QUEUE_PREFIX: '{dossier}' } }).queue.prefix).toBe('{dossier}');
  });

  it('for a Redis Cluster, takes several seed nodes and insists on a hash-tag prefix', () => {
    const env = { REDIS_URL: 'redis://10.0.0.1:7000,redis://10.0.0.2:7000', REDIS_CLUSTER: 'true' };
    expect(loadDistributedConfig({ env: { ...env, QUEUE_PREFIX: '{dossier}' } }).redis).toMatchObject({ cluster: true, url: env.REDIS_URL });
    expect(() => loadDistributedConfig({ env })).toThrow(/QUEUE_PREFIX（queue\.prefix）：Redis Cluster 需要带哈希标签的前缀，如 \{dossier\}/);
    expect(() => loadDistributedConfig({ env: { REDIS_URL: env.REDIS_URL } })).toThrow(/多个地址只用于 Redis Cluster/);
  });

  it('refuses a prefix with a colon or unbalanced braces, naming the variable in Chinese', () => {
    expect(() => loadDistributedConfig({ env: { QUEUE_PREFIX: 'a:b' } })).toThrow(/QUEUE_PREFIX（queue\.prefix）：只能由英文字母/);
    expect(() => loadDistributedConfig({ env: { QUEUE_PREFIX: '{a}{b}' } })).toThrow(/花括号须成对出现/);
  });

  it('lists every bad value at once', () => {
    try {
      loadDistributedConfig({ env: { REDIS_URL: 'http://cache:6379', WORKER_CONCURRENCY: '0', QUEUE_LOCK_DURATION_MS: 'soon' } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(QueueConfigError);
      const problems = (error as QueueConfigError).problems.join('\n');
      expect(problems).toMatch(/REDIS_URL（redis\.url）：必须是 redis:\/\//);
      expect(problems).toMatch(/WORKER_CONCURRENCY（queue\.concurrency）：并发数不能小于 1/);
      expect(problems).toMatch(/QUEUE_LOCK_DURATION_MS（queue\.lockDurationMs）：任务锁时长必须是数字/);
    }
  });

  it('reads a YAML config file, with the environment winning field by field', async () => {
    const file = path.join(dir, 'dossier.yaml');
    await writeFile(
      file,
      [
        'redis: { url: "redis://:s3cret@redis.internal:6379/2" }',
        'queue: { prefix: "{dossier}", concurrency: 3 }',
        'storage: { kind: s3, endpoint: "http://minio.internal:9000", bucket: dossiers, accessKey: ak, secretKey: sk }',
      ].join('\n'),
    );
    const config = loadDistributedConfig({ file, env: { WORKER_CONCURRENCY: '2', S3_BUCKET: 'dossiers-test' } });
    expect(config.redis.url).toBe('redis://:s3cret@redis.internal:6379/2');
    expect(config.queue).toMatchObject({ prefix: '{dossier}', concurrency: 2 });
    expect(config.storage).toMatchObject({ kind: 's3', endpoint: 'minio.internal', port: 9000, useSSL: false, bucket: 'dossiers-test' });
    expect(redactRedisUrl(config.redis.url!)).toBe('redis://:***@redis.internal:6379/2');
  });

  it('refuses unknown sections of the file and incomplete S3 settings', async () => {
    const unknown = path.join(dir, 'unknown.yaml');
    await writeFile(unknown, 'reddis: { url: "redis://x:6379" }\n');
    expect(() => loadDistributedConfig({ file: unknown, env: {} })).toThrow(/未知的配置项 reddis/);
    expect(() => loadDistributedConfig({ env: { STORAGE: 's3', S3_ENDPOINT: 'minio' } })).toThrow(StorageConfigError);
  });

  it('`dossier worker` without REDIS_URL says what to set and exits with code 2', async () => {
    const cli = runCli(['worker'], {});
    expect(await cli.exited).toMatchObject({ code: 2 });
    expect(cli.stderr()).toMatch(/需要 Redis：请设置 REDIS_URL/);
  });
});

describe('when a dossier id is derived', () => {
  const base = {
    sourceSha256: 'a'.repeat(64),
    checklist: { kind: 'shipped' as const, id: 'changde', sha256: 'b'.repeat(64) },
    stage: 'filing',
    facts: { major: true, funding: ['central', 'city'] } as Record<string, boolean | string[]>,
    versions: ['x'],
  };

  it('gives the same id for the same archive and options, whatever the order of facts and set values', () => {
    const again = { ...base, facts: { funding: ['city', 'central'], major: true } };
    expect(dossierIdFor(again)).toBe(dossierIdFor(base));
    expect(dossierIdFor(base)).toMatch(/^d-[0-9a-f]{32}$/);
  });

  it('gives another id when the archive, a fact, the stage, the checklist content or the software changes', () => {
    const id = dossierIdFor(base);
    expect(dossierIdFor({ ...base, sourceSha256: 'c'.repeat(64) })).not.toBe(id);
    expect(dossierIdFor({ ...base, facts: { ...base.facts, major: false } })).not.toBe(id);
    expect(dossierIdFor({ ...base, stage: 'acceptance' })).not.toBe(id);
    expect(dossierIdFor({ ...base, checklist: { ...base.checklist, sha256: 'd'.repeat(64) } })).not.toBe(id);
    expect(dossierIdFor({ ...base, versions: ['y'] })).not.toBe(id);
  });

  it('gives another id when the office record of the dossier (受理, 收齐) differs, and the same id when there is none', () => {
    const id = dossierIdFor(base);
    expect(dossierIdFor({ ...base, events: [] })).toBe(id);
    const received = dossierIdFor({ ...base, events: [{ kind: 'accepted', on: '2026-09-01' }] });
    expect(received).not.toBe(id);
    expect(dossierIdFor({ ...base, events: [{ kind: 'accepted', on: '2026-09-01' }, { kind: 'complete', on: '2026-09-20' }] })).not.toBe(received);
  });
});
