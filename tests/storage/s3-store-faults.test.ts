import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PermanentStorageError, TransientStorageError } from '../../storage/errors.ts';
import { S3Store } from '../../storage/s3-store.ts';
import { startS3Server, type TestS3Server } from '../helpers/s3-server.ts';
import {
  FIVE_MIB,
  listKeys,
  makeS3Store,
  readText,
  sha256Of,
  sha256OfStream,
  streamInOddChunks,
  uniqueBucketName,
} from './store-fixtures.ts';

let s3: TestS3Server;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  await s3?.stop();
});
beforeEach(() => {
  s3.failNextPuts(0);
});

describe('when the bucket does not exist yet', () => {
  it('creates it on first use', async () => {
    const store = makeS3Store(s3, uniqueBucketName());
    await store.put('files/first', Buffer.from('x'));
    expect(await listKeys(store, '')).toEqual(['files/first']);
  });

  it('copes with two stores creating the same bucket at once', async () => {
    const bucket = uniqueBucketName();
    const [a, b] = [makeS3Store(s3, bucket), makeS3Store(s3, bucket)];
    await Promise.all([a.put('files/a', Buffer.from('a')), b.put('files/b', Buffer.from('b'))]);
    expect(await listKeys(a, 'files/')).toEqual(['files/a', 'files/b']);
  });
});

describe('when a large object is stored', () => {
  it('uploads it in parts of the configured size', async () => {
    const store = makeS3Store(s3);
    const before = s3.objectPutCount;
    const bytes = randomBytes(4 * FIVE_MIB + 17);
    await store.put('files/parts', streamInOddChunks(bytes));
    // Five PUTs (four full parts and the 17-byte tail) rather than one.
    expect(s3.objectPutCount - before).toBe(5);
    expect(await sha256OfStream(await store.get('files/parts'))).toEqual({ sha256: sha256Of(bytes), size: bytes.length });
  });

  it('uploads a large Buffer in parts too', async () => {
    const store = makeS3Store(s3);
    const before = s3.objectPutCount;
    const bytes = randomBytes(2 * FIVE_MIB + 1);
    expect((await store.put('files/buffer', bytes)).size).toBe(bytes.length);
    expect(s3.objectPutCount - before).toBe(3);
    expect((await sha256OfStream(await store.get('files/buffer'))).sha256).toBe(sha256Of(bytes));
  });

  it('sends an object that fits in one part as a single PUT', async () => {
    const store = makeS3Store(s3);
    const before = s3.objectPutCount;
    await store.put('files/small', streamInOddChunks(randomBytes(FIVE_MIB - 1)));
    expect(s3.objectPutCount - before).toBe(1);
  });
});

describe('when S3 answers 503 SlowDown to some writes', () => {
  it('retries a single-PUT write until it succeeds', async () => {
    const store = makeS3Store(s3);
    await store.put('dossiers/d1/report.json', Buffer.from('{}')); // creates the bucket outside the count
    s3.failNextPuts(2);
    const failedBefore = s3.failedPutCount;
    await store.putJson('dossiers/d1/report.json', { 结论: '材料齐全' });
    expect(s3.failedPutCount - failedBefore).toBe(2);
    expect(await store.getJson('dossiers/d1/report.json')).toEqual({ 结论: '材料齐全' });
  });

  it('retries the failed part of a 40 MB multipart upload and stores the stream intact', async () => {
    const store = makeS3Store(s3);
    const bytes = randomBytes(40 * 1024 * 1024);
    s3.failNextPuts(3);
    const failedBefore = s3.failedPutCount;
    const written = await store.put('files/large', streamInOddChunks(bytes));
    expect(s3.failedPutCount - failedBefore).toBe(3);
    expect(written.size).toBe(bytes.length);
    expect(await sha256OfStream(await store.get('files/large'))).toEqual({ sha256: sha256Of(bytes), size: bytes.length });
  });

  it('gives up after the configured attempts with a retryable error and leaves no partial object', async () => {
    const store = makeS3Store(s3);
    await store.put('dossiers/d1/report.html', Buffer.from('<p>上一版</p>'));
    s3.failNextPuts(100);
    const failedBefore = s3.failedPutCount;
    const error = await store.put('dossiers/d1/report.html', Buffer.from('<p>新版</p>')).catch((e: unknown) => e);
    s3.failNextPuts(0);

    expect(error).toBeInstanceOf(TransientStorageError);
    expect(error).toMatchObject({ retryable: true, code: 'STORAGE_TRANSIENT' });
    expect((error as Error).message).toContain('对象存储暂时不可用');
    expect(s3.failedPutCount - failedBefore).toBe(4);
    expect(await readText(store, 'dossiers/d1/report.html')).toBe('<p>上一版</p>');
  });

  it('aborts a multipart upload whose part keeps failing, so no object appears', async () => {
    const store = makeS3Store(s3);
    await store.put('files/other', Buffer.from('x'));
    const bytes = randomBytes(3 * FIVE_MIB);
    const source = streamInOddChunks(bytes);
    s3.failNextPuts(100);
    const error = await store.put('files/large', source).catch((e: unknown) => e);
    s3.failNextPuts(0);
    expect(error).toBeInstanceOf(TransientStorageError);
    expect(await store.head('files/large')).toBeNull();
    expect(source.destroyed).toBe(true);
  });
});

describe('when S3 answers 503 to some reads and deletes', () => {
  it('retries get, head, list and delete until they succeed', async () => {
    const store = makeS3Store(s3);
    await store.put('dossiers/d1/original/申请表.pdf', Buffer.from('申请表'));
    await store.put('dossiers/d1/report.json', Buffer.from('{}'));
    const failedBefore = s3.failedRequestCount;

    s3.failNextRequests(2, { method: 'GET' });
    expect(await readText(store, 'dossiers/d1/original/申请表.pdf')).toBe('申请表');
    s3.failNextRequests(2, { method: 'HEAD' });
    expect((await store.head('dossiers/d1/report.json'))?.size).toBe(2);
    s3.failNextRequests(2, { method: 'GET' });
    expect(await listKeys(store, 'dossiers/d1/')).toEqual(['dossiers/d1/original/申请表.pdf', 'dossiers/d1/report.json']);
    s3.failNextRequests(2, { method: 'DELETE' });
    await store.delete('dossiers/d1/report.json');

    expect(s3.failedRequestCount - failedBefore).toBe(8);
    expect(await store.head('dossiers/d1/report.json')).toBeNull();
  });
});

describe('when the S3 server cannot be reached', () => {
  it('reports a retryable error after retrying', async () => {
    const server = await startS3Server();
    const store = makeS3Store(server);
    await store.put('files/a', Buffer.from('a'));
    await server.stop();
    const error = await store.get('files/a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientStorageError);
    expect((error as TransientStorageError).retryable).toBe(true);
    expect(((error as Error).cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('turns a connection lost in the middle of a download into a retryable error on the stream', async () => {
    const server = await startS3Server();
    const store = makeS3Store(server);
    await store.put('files/large', randomBytes(3 * FIVE_MIB));
    const download = await store.get('files/large');
    let stopping: Promise<void> | undefined;
    const reading = (async () => {
      let received = 0;
      for await (const chunk of download) {
        received += (chunk as Buffer).length;
        if (received > 1024 * 1024) stopping ??= server.stop();
      }
      return received;
    })();
    const error = await reading.catch((e: unknown) => e);
    await stopping;
    expect(error).toBeInstanceOf(TransientStorageError);
    expect((error as TransientStorageError).retryable).toBe(true);
  });
});

describe('when the credentials are wrong', () => {
  it('fails at once with an error that says retrying will not help and names the settings to check', async () => {
    const store = new S3Store({
      endpoint: s3.endpoint,
      port: s3.port,
      useSSL: false,
      accessKey: 'WRONG',
      secretKey: 'WRONG',
      bucket: uniqueBucketName(),
      retry: { attempts: 4, baseDelayMs: 5 },
    });
    const error = await store.put('files/a', Buffer.from('a')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentStorageError);
    expect((error as PermanentStorageError).retryable).toBe(false);
    expect((error as Error).message).toContain('S3_ACCESS_KEY');
  });
});
