import { randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { BlobStore } from '../../storage/blob-store.ts';
import { BlobNotFoundError, CorruptBlobError, InvalidKeyError, StorageError } from '../../storage/errors.ts';
import { startS3Server, type TestS3Server } from '../helpers/s3-server.ts';
import {
  FIVE_MIB,
  listKeys,
  makeLocalStore,
  makeS3Store,
  makeTempDir,
  readText,
  sha256Of,
  sha256OfStream,
  streamInOddChunks,
  untilDrained,
} from './store-fixtures.ts';

// One behaviour, two implementations: every test below runs against a local folder and against a real S3 server.
let s3: TestS3Server;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  await s3?.stop();
});

interface Implementation {
  name: string;
  open(): Promise<{ store: BlobStore; close(): Promise<void> }>;
}

const implementations: Implementation[] = [
  {
    name: 'a local folder',
    async open() {
      const temp = await makeTempDir('local-store');
      return { store: makeLocalStore(temp.dir), close: temp.remove };
    },
  },
  {
    name: 'an S3 bucket',
    async open() {
      return { store: makeS3Store(s3), close: async () => undefined };
    },
  },
];

const CHINESE_KEY = 'dossiers/d-001/original/立项阶段/关于某市政务云平台建设项目可行性研究报告的批复（终稿）.pdf';

const INVALID_KEYS: [string, string][] = [
  ['dossiers/../secrets', '..'],
  ['../outside', '..'],
  ['/etc/passwd', '绝对路径'],
  ['C:/Windows/win.ini', '盘符'],
  ['dossiers\\d1\\report.json', '反斜杠'],
  ['dossiers//report.json', '空路径段'],
  ['dossiers/d1/', '空路径段'],
  ['', '为空'],
  ['dossiers/d1/a\u0000.pdf', 'NUL'],
  ['dossiers/./report.json', '“.”'],
];

describe.each(implementations)('when the blob store is $name', (implementation) => {
  let store: BlobStore;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ store, close } = await implementation.open());
  });
  afterEach(async () => {
    await close();
  });

  describe('when an object is written and read back', () => {
    it('returns the same bytes, size and a modification time', async () => {
      const bytes = Buffer.from('完整性检查报告 v1\n', 'utf8');
      const written = await store.put('dossiers/d1/report.md', bytes, { contentType: 'text/markdown' });
      expect(written.size).toBe(bytes.length);
      expect(await readText(store, 'dossiers/d1/report.md')).toBe('完整性检查报告 v1\n');
      const head = await store.head('dossiers/d1/report.md');
      expect(head?.size).toBe(bytes.length);
      expect(head?.lastModified).toBeInstanceOf(Date);
      expect(Number.isNaN(head?.lastModified.getTime())).toBe(false);
    });

    it('accepts a stream and reports how many bytes it stored', async () => {
      const result = await store.put('files/a', Readable.from([Buffer.from('ab'), Buffer.from('cde')]));
      expect(result.size).toBe(5);
      expect(await readText(store, 'files/a')).toBe('abcde');
    });

    it('stores an empty object', async () => {
      expect((await store.put('files/empty', Buffer.alloc(0))).size).toBe(0);
      expect((await store.head('files/empty'))?.size).toBe(0);
      expect(await readText(store, 'files/empty')).toBe('');
    });

    it('replaces the previous object under the same key', async () => {
      await store.put('dossiers/d1/manifest.json', Buffer.from('old'));
      await store.put('dossiers/d1/manifest.json', Buffer.from('new!'));
      expect(await readText(store, 'dossiers/d1/manifest.json')).toBe('new!');
      expect((await store.head('dossiers/d1/manifest.json'))?.size).toBe(4);
    });
  });

  describe('when the key holds Chinese characters', () => {
    it('stores, lists and reads the object under exactly that key', async () => {
      await store.put(CHINESE_KEY, Buffer.from('批复内容'));
      expect(await listKeys(store, 'dossiers/d-001/original/')).toEqual([CHINESE_KEY]);
      expect(await readText(store, CHINESE_KEY)).toBe('批复内容');
      expect((await store.head(CHINESE_KEY))?.size).toBe(Buffer.byteLength('批复内容'));
    });
  });

  describe('when the object does not exist', () => {
    it('get throws BlobNotFoundError naming the key, which no retry can fix', async () => {
      const error = await store.get('dossiers/d1/缺失.pdf').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BlobNotFoundError);
      expect(error).toMatchObject({ code: 'BLOB_NOT_FOUND', retryable: false, key: 'dossiers/d1/缺失.pdf' });
      expect((error as Error).message).toContain('对象不存在');
    });

    it('head answers null', async () => {
      expect(await store.head('dossiers/d1/missing.json')).toBeNull();
    });

    it('getJson throws BlobNotFoundError', async () => {
      await expect(store.getJson('dossiers/d1/missing.json')).rejects.toBeInstanceOf(BlobNotFoundError);
    });

    it('treats a "folder" that only holds other objects as missing', async () => {
      await store.put('dossiers/d1/original/a.pdf', Buffer.from('x'));
      expect(await store.head('dossiers/d1/original')).toBeNull();
      await expect(store.get('dossiers/d1/original')).rejects.toBeInstanceOf(BlobNotFoundError);
    });
  });

  describe('when listing', () => {
    beforeEach(async () => {
      for (const key of [
        'dossiers/abc/original/一/二/三/深层文件.docx',
        'dossiers/abc/original/封面.pdf',
        'dossiers/abc/report.json',
        'dossiers/abd/report.json',
        'files/0001',
      ]) {
        await store.put(key, Buffer.from(key));
      }
    });

    it('returns every object under the prefix at any depth, with sizes', async () => {
      const items: { key: string; size: number }[] = [];
      for await (const item of store.list('dossiers/abc/')) items.push(item);
      items.sort((a, b) => a.key.localeCompare(b.key));
      expect(items).toEqual(
        [
          'dossiers/abc/original/一/二/三/深层文件.docx',
          'dossiers/abc/original/封面.pdf',
          'dossiers/abc/report.json',
        ]
          .sort((a, b) => a.localeCompare(b))
          .map((key) => ({ key, size: Buffer.byteLength(key) })),
      );
    });

    it('treats the prefix as a plain string prefix, as S3 does', async () => {
      expect(await listKeys(store, 'dossiers/ab')).toEqual(
        [
          'dossiers/abc/original/一/二/三/深层文件.docx',
          'dossiers/abc/original/封面.pdf',
          'dossiers/abc/report.json',
          'dossiers/abd/report.json',
        ].sort(),
      );
      expect(await listKeys(store, 'dossiers/abc/original/封')).toEqual(['dossiers/abc/original/封面.pdf']);
    });

    it('lists everything for an empty prefix and nothing for an unknown one', async () => {
      expect(await listKeys(store, '')).toHaveLength(5);
      expect(await listKeys(store, 'extracted/')).toEqual([]);
    });

    it('no longer lists a deleted object', async () => {
      await store.delete('dossiers/abc/report.json');
      expect(await listKeys(store, 'dossiers/abc/')).not.toContain('dossiers/abc/report.json');
    });
  });

  describe('when deleting', () => {
    it('removes the object', async () => {
      await store.put('files/gone', Buffer.from('x'));
      await store.delete('files/gone');
      expect(await store.head('files/gone')).toBeNull();
      await expect(store.get('files/gone')).rejects.toBeInstanceOf(BlobNotFoundError);
    });

    it('does not complain about an object that is already gone, so a retried delete is harmless', async () => {
      await expect(store.delete('files/never-existed')).resolves.toBeUndefined();
    });
  });

  describe('when the key breaks the key rules', () => {
    it.each(INVALID_KEYS)('refuses %j in every operation, explaining in Chinese (%s)', async (key, reasonPart) => {
      const attempts = [
        () => store.put(key, Buffer.from('x')),
        () => store.get(key),
        () => store.head(key),
        () => store.delete(key),
        () => store.putJson(key, {}),
      ];
      for (const attempt of attempts) {
        const error = await attempt().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidKeyError);
        expect(error).toMatchObject({ code: 'INVALID_KEY', retryable: false });
        expect((error as Error).message).toContain(reasonPart);
        expect((error as Error).message).toMatch(/[\u4e00-\u9fff]/);
      }
      expect(await listKeys(store, '')).toEqual([]);
    });

    it('refuses a listing prefix that climbs out', async () => {
      const listing = async () => {
        for await (const item of store.list('dossiers/../')) void item;
      };
      await expect(listing()).rejects.toBeInstanceOf(InvalidKeyError);
    });
  });

  describe('when storing JSON', () => {
    const reportSchema = z.object({ schemaVersion: z.literal(1), 结论: z.string() });

    it('reads back the same value, validated by a schema', async () => {
      await store.putJson('dossiers/d1/report.json', { schemaVersion: 1, 结论: '材料齐全' });
      expect(await store.getJson('dossiers/d1/report.json', reportSchema)).toEqual({ schemaVersion: 1, 结论: '材料齐全' });
    });

    it('reports bytes that are not JSON as a corrupt object', async () => {
      await store.put('dossiers/d1/report.json', Buffer.from('{"schemaVersion":1,'));
      const error = await store.getJson('dossiers/d1/report.json').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CorruptBlobError);
      expect((error as Error).message).toContain('不是有效的 JSON');
    });

    it('reports JSON that does not match the schema as a corrupt object', async () => {
      await store.putJson('dossiers/d1/report.json', { schemaVersion: 2 });
      await expect(store.getJson('dossiers/d1/report.json', reportSchema)).rejects.toBeInstanceOf(CorruptBlobError);
    });
  });

  describe('when a 40 MB stream is stored', () => {
    it('reads back byte for byte (same SHA-256 and size)', async () => {
      const bytes = randomBytes(40 * 1024 * 1024);
      const written = await store.put('files/large', streamInOddChunks(bytes));
      expect(written.size).toBe(bytes.length);
      expect((await store.head('files/large'))?.size).toBe(bytes.length);
      expect(await sha256OfStream(await store.get('files/large'))).toEqual({
        sha256: sha256Of(bytes),
        size: bytes.length,
      });
    });
  });

  describe('while a write is in progress', () => {
    it('readers keep seeing the previous version until the write completes', async () => {
      await store.put('dossiers/d1/report.html', Buffer.from('<p>旧报告</p>'));
      const source = new PassThrough();
      const writing = store.put('dossiers/d1/report.html', source);
      source.write(Buffer.alloc(1024 * 1024, 0x41));
      await untilDrained(source);

      expect(await readText(store, 'dossiers/d1/report.html')).toBe('<p>旧报告</p>');
      expect(await listKeys(store, 'dossiers/d1/')).toEqual(['dossiers/d1/report.html']);

      source.end(Buffer.from('end'));
      await writing;
      expect((await store.head('dossiers/d1/report.html'))?.size).toBe(1024 * 1024 + 3);
    });
  });

  describe('when the source stream fails part-way', () => {
    it('rejects with the stream’s own error and leaves the previous version intact', async () => {
      await store.put('dossiers/d1/report.json', Buffer.from('{"version":"old"}'));
      const source = new PassThrough();
      const writing = store.put('dossiers/d1/report.json', source);
      // More than two parts' worth, so an S3 upload is already in multipart when the source breaks.
      source.write(randomBytes(2 * FIVE_MIB + 123));
      await untilDrained(source);
      const broken = new Error('上传连接中断');
      source.destroy(broken);

      const error = await writing.catch((e: unknown) => e);
      expect(error).toBe(broken);
      expect(error).not.toBeInstanceOf(StorageError);
      expect(await readText(store, 'dossiers/d1/report.json')).toBe('{"version":"old"}');
      expect(await listKeys(store, '')).toEqual(['dossiers/d1/report.json']);
    });

    it('stores nothing when there was no previous version', async () => {
      const failing = Readable.from(
        (async function* () {
          yield randomBytes(1024);
          throw new Error('解压失败');
        })(),
      );
      await expect(store.put('dossiers/d2/original/a.zip', failing)).rejects.toThrow('解压失败');
      expect(await store.head('dossiers/d2/original/a.zip')).toBeNull();
      expect(await listKeys(store, '')).toEqual([]);
    });
  });
});
