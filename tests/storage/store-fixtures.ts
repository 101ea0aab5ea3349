import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { BlobStore } from '../../storage/blob-store.ts';
import { LocalFolderStore } from '../../storage/local-folder-store.ts';
import { S3Store } from '../../storage/s3-store.ts';
import type { TestS3Server } from '../helpers/s3-server.ts';

export const FIVE_MIB = 5 * 1024 * 1024;

/** Short waits so retry tests stay quick; the behaviour under test is the count, not the delay. */
export const FAST_RETRY = { attempts: 4, baseDelayMs: 5, maxDelayMs: 50 };

export async function makeTempDir(label: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), `${label}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export function makeLocalStore(root: string): LocalFolderStore {
  return new LocalFolderStore({ root });
}

let bucketCounter = 0;
export function uniqueBucketName(): string {
  bucketCounter += 1;
  return `test-${process.pid}-${bucketCounter}-${randomBytes(3).toString('hex')}`;
}

export function makeS3Store(server: TestS3Server, bucket = uniqueBucketName()): S3Store {
  return new S3Store({
    endpoint: server.endpoint,
    port: server.port,
    useSSL: server.useSSL,
    accessKey: server.accessKey,
    secretKey: server.secretKey,
    region: server.region,
    bucket,
    // The smallest part S3 allows, so a modest test object already needs several parts.
    partSizeBytes: FIVE_MIB,
    retry: FAST_RETRY,
  });
}

export function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function sha256OfStream(stream: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** Streams `bytes` in chunks of an odd size, so part boundaries never line up with chunk boundaries. */
export function streamInOddChunks(bytes: Buffer, chunkSize = 1_000_003): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < bytes.length; offset += chunkSize) yield bytes.subarray(offset, offset + chunkSize);
    })(),
  );
}

export async function readText(store: BlobStore, key: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.get(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function listKeys(store: BlobStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const item of store.list(prefix)) keys.push(item.key);
  return keys.sort();
}

/** Resolves once the store has pulled everything written so far out of `source`. */
export async function untilDrained(source: PassThrough): Promise<void> {
  for (let i = 0; i < 1000 && source.readableLength > 0; i += 1) await new Promise((r) => setTimeout(r, 5));
  // Give a store that writes straight to the final place the chance to do so, so the assertion after can catch it.
  await new Promise((r) => setTimeout(r, 50));
}
