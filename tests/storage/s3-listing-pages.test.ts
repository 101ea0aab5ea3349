import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type TestS3Server } from '../helpers/s3-server.ts';
import { makeS3Store } from './store-fixtures.ts';

let s3: TestS3Server;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  await s3?.stop();
});

/** What the S3 client throws for a throttled request: an error carrying the S3 error code. */
const slowDown = () => Object.assign(new Error('Please reduce your request rate.'), { code: 'SlowDown' });

type PageQuery = (bucket: string, prefix: string, continuationToken: string) => Promise<{ objects: { name?: string; size: number }[]; isTruncated: boolean; nextContinuationToken: string }>;

// The test server answers 500 to any truncated ListObjectsV2, so the pages are served here and the bucket by it.
describe('when a listing spans several pages and S3 says SlowDown before the second one', () => {
  it('retries that page from its continuation token and hands out every key exactly once, in order', async () => {
    const store = makeS3Store(s3);
    await store.put('dossiers/d1/report.json', Buffer.from('{}'));
    const pages: Record<string, { keys: string[]; next: string }> = {
      '': { keys: ['dossiers/d1/a.pdf', 'dossiers/d1/b.pdf'], next: 'token-2' },
      'token-2': { keys: ['dossiers/d1/c.pdf'], next: 'token-3' },
      'token-3': { keys: ['dossiers/d1/d.pdf'], next: '' },
    };
    const asked: string[] = [];
    let slowDowns = 2;
    const query: PageQuery = async (_bucket, _prefix, token) => {
      asked.push(token);
      if (token === 'token-2' && slowDowns-- > 0) throw slowDown();
      const page = pages[token]!;
      return { objects: page.keys.map((name) => ({ name, size: 1 })), isTruncated: page.next !== '', nextContinuationToken: page.next };
    };
    (store as unknown as { client: { listObjectsV2Query: PageQuery } }).client.listObjectsV2Query = query;

    const listed: string[] = [];
    for await (const item of store.list('dossiers/d1/')) listed.push(item.key);

    expect(listed).toEqual(['dossiers/d1/a.pdf', 'dossiers/d1/b.pdf', 'dossiers/d1/c.pdf', 'dossiers/d1/d.pdf']);
    expect(asked).toEqual(['', 'token-2', 'token-2', 'token-2', 'token-3']);
  });

  it('gives up on a page after the configured attempts with a retryable error', async () => {
    const store = makeS3Store(s3);
    await store.put('dossiers/d2/report.json', Buffer.from('{}'));
    let asked = 0;
    const query: PageQuery = async () => {
      asked += 1;
      throw slowDown();
    };
    (store as unknown as { client: { listObjectsV2Query: PageQuery } }).client.listObjectsV2Query = query;

    const listing = async () => {
      for await (const item of store.list('dossiers/d2/')) void item;
    };
    await expect(listing()).rejects.toMatchObject({ code: 'STORAGE_TRANSIENT', retryable: true });
    expect(asked).toBe(4);
  });
});
