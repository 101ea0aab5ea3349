import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlobStore, parseStorageConfig, storageConfigFromEnv } from '../../storage/config.ts';
import { StorageConfigError } from '../../storage/errors.ts';
import { LocalFolderStore } from '../../storage/local-folder-store.ts';
import { S3Store } from '../../storage/s3-store.ts';
import { startS3Server, type TestS3Server } from '../helpers/s3-server.ts';
import { readText, uniqueBucketName } from './store-fixtures.ts';

function configError(run: () => unknown): StorageConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof StorageConfigError) return error;
    throw error;
  }
  throw new Error('expected a StorageConfigError');
}

describe('when nothing is configured', () => {
  it('uses the local folder ./data', () => {
    expect(storageConfigFromEnv({})).toEqual({ kind: 'local', dataDir: './data' });
    const store = createBlobStore(storageConfigFromEnv({}));
    expect(store).toBeInstanceOf(LocalFolderStore);
    expect(store.location).toBe(path.resolve('data'));
  });

  it('treats empty variables as unset', () => {
    expect(storageConfigFromEnv({ STORAGE: '', DATA_DIR: '  ' })).toEqual({ kind: 'local', dataDir: './data' });
  });
});

describe('when DATA_DIR is set', () => {
  it('puts the local store there', () => {
    expect(createBlobStore(storageConfigFromEnv({ DATA_DIR: '/srv/dossiers' })).location).toBe('/srv/dossiers');
  });
});

describe('when STORAGE=s3 but settings are missing', () => {
  it('names every missing variable in Chinese', () => {
    const error = configError(() => storageConfigFromEnv({ STORAGE: 's3', S3_ENDPOINT: 'minio' }));
    expect(error.retryable).toBe(false);
    expect(error.problems).toEqual([
      'S3_BUCKET（bucket）：未设置存储桶名称',
      'S3_ACCESS_KEY（accessKey）：未设置访问密钥 ID',
      'S3_SECRET_KEY（secretKey）：未设置秘密访问密钥',
    ]);
    expect(error.message).toContain('存储配置无效');
  });
});

describe('when a setting is malformed', () => {
  it('says which and why, without echoing the secret key', () => {
    const error = configError(() =>
      storageConfigFromEnv({
        STORAGE: 's3',
        S3_ENDPOINT: 'minio',
        S3_PORT: '九千',
        S3_USE_SSL: 'maybe',
        S3_BUCKET: 'Dossiers_2024',
        S3_ACCESS_KEY: 'key',
        S3_SECRET_KEY: 'top-secret-value',
      }),
    );
    expect(error.problems.map((p) => p.split('：')[0])).toEqual([
      'S3_PORT（port）',
      'S3_USE_SSL（useSSL）',
      'S3_BUCKET（bucket）',
    ]);
    expect(error.message).not.toContain('top-secret-value');
  });

  it('rejects a STORAGE value other than local or s3', () => {
    expect(configError(() => storageConfigFromEnv({ STORAGE: 'ftp' })).problems).toEqual([
      'STORAGE（kind）：只能是 local 或 s3',
    ]);
  });
});

describe('when S3 is configured from the environment', () => {
  const base = { STORAGE: 's3', S3_BUCKET: 'dossiers', S3_ACCESS_KEY: 'a', S3_SECRET_KEY: 'b' };

  it('reads port, TLS and region', () => {
    expect(
      storageConfigFromEnv({ ...base, S3_ENDPOINT: 'minio', S3_PORT: '9000', S3_USE_SSL: 'false', S3_REGION: 'cn-north-1' }),
    ).toMatchObject({ kind: 's3', endpoint: 'minio', port: 9000, useSSL: false, region: 'cn-north-1', bucket: 'dossiers' });
  });

  it('defaults to TLS and region us-east-1', () => {
    expect(storageConfigFromEnv({ ...base, S3_ENDPOINT: 'minio' })).toMatchObject({ useSSL: true, region: 'us-east-1' });
  });

  it('accepts an endpoint written as a URL and takes port and TLS from it', () => {
    expect(storageConfigFromEnv({ ...base, S3_ENDPOINT: 'http://minio.internal:9000' })).toMatchObject({
      endpoint: 'minio.internal',
      port: 9000,
      useSSL: false,
    });
  });

  it('refuses a URL endpoint with a path, pointing to S3_BUCKET', () => {
    const error = configError(() => storageConfigFromEnv({ ...base, S3_ENDPOINT: 'https://s3.example.com/dossiers' }));
    expect(error.problems[0]).toContain('S3_BUCKET');
  });

  it('refuses S3_USE_SSL that contradicts the URL scheme', () => {
    const error = configError(() => storageConfigFromEnv({ ...base, S3_ENDPOINT: 'https://s3.example.com', S3_USE_SSL: 'false' }));
    expect(error.problems[0]).toContain('S3_USE_SSL');
  });
});

describe('when a config object is given directly', () => {
  it('fills the defaults', () => {
    expect(parseStorageConfig({ kind: 's3', endpoint: 'minio', bucket: 'abc', accessKey: 'a', secretKey: 'b' })).toMatchObject({
      partSizeBytes: 16 * 1024 * 1024,
      retry: { attempts: 4, baseDelayMs: 200, maxDelayMs: 5000 },
    });
  });

  it('refuses a part size below the S3 minimum of 5 MiB', () => {
    const error = configError(() =>
      parseStorageConfig({ kind: 's3', endpoint: 'm', bucket: 'abc', accessKey: 'a', secretKey: 'b', partSizeBytes: 1024 }),
    );
    expect(error.problems[0]).toContain('5 MiB');
  });
});

describe('when the store is created from S3 settings', () => {
  let s3: TestS3Server;
  beforeAll(async () => {
    s3 = await startS3Server();
  });
  afterAll(async () => {
    await s3?.stop();
  });

  it('talks to that server and bucket', async () => {
    const bucket = uniqueBucketName();
    const store = createBlobStore(
      storageConfigFromEnv({
        STORAGE: 's3',
        S3_ENDPOINT: `http://${s3.endpoint}:${s3.port}`,
        S3_BUCKET: bucket,
        S3_ACCESS_KEY: s3.accessKey,
        S3_SECRET_KEY: s3.secretKey,
      }),
    );
    expect(store).toBeInstanceOf(S3Store);
    expect(store.location).toBe(`http://${s3.endpoint}:${s3.port}/${bucket}`);
    await store.put('dossiers/d1/report.md', Buffer.from('# 报告'));
    expect(await readText(store, 'dossiers/d1/report.md')).toBe('# 报告');
  });
});
