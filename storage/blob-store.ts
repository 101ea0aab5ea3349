import type { Readable } from 'node:stream';
import { z } from 'zod';
import { CorruptBlobError } from './errors.ts';

/**
 * Where the product keeps bytes: uploads, extracted text, reports. Two implementations share this contract and one
 * test suite (tests/storage/blob-store-contract.test.ts): {@link import('./local-folder-store.ts').LocalFolderStore}
 * for the embedded mode, {@link import('./s3-store.ts').S3Store} for the distributed mode.
 *
 * Guarantees common to both:
 * - keys obey storage/object-key.ts; a bad key throws InvalidKeyError before any I/O;
 * - a write is all-or-nothing: until `put` resolves, readers see the previous object (or none), never a part;
 * - failures are StorageError subclasses whose `retryable` says whether calling again can help.
 */
export interface BlobStore {
  /** Which implementation this is, for logs and health output. */
  readonly kind: 'local' | 's3';
  /** Human-readable location (folder path or endpoint/bucket), for logs. Never contains secrets. */
  readonly location: string;

  /** Stores the object, replacing any previous one under the key. A stream is consumed exactly once. */
  put(key: string, body: BlobBody, options?: PutOptions): Promise<PutResult>;
  /** Opens the object for reading. Throws BlobNotFoundError (before returning) when it does not exist. */
  get(key: string): Promise<Readable>;
  /** Size and modification time, or `null` when there is no such object. */
  head(key: string): Promise<BlobHead | null>;
  /**
   * Every object whose key starts with `prefix`, at any depth (S3 semantics: `''` lists all, `a/` lists folder a).
   * Order is unspecified.
   */
  list(prefix: string): AsyncIterable<BlobListing>;
  /** Removes the object. Deleting a missing object is not an error, so a retried delete is harmless. */
  delete(key: string): Promise<void>;

  /** Stores `value` as UTF-8 JSON with content type `application/json`. */
  putJson(key: string, value: unknown): Promise<PutResult>;
  /**
   * Reads a JSON object, validated by `schema` when given. Throws BlobNotFoundError when missing and
   * CorruptBlobError when the bytes are not JSON or do not match the schema.
   */
  getJson<T = unknown>(key: string, schema?: z.ZodType<T>): Promise<T>;
}

export type BlobBody = Readable | Buffer;

export interface PutOptions {
  /** MIME type stored with the object (S3 `Content-Type`). Ignored by the local store. Default: none. */
  contentType?: string;
}

export interface PutResult {
  /** Bytes stored. */
  size: number;
  /** Entity tag reported by S3; absent for the local store. */
  etag?: string;
}

export interface BlobHead {
  size: number;
  lastModified: Date;
}

export interface BlobListing {
  key: string;
  size: number;
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export function encodeJson(value: unknown): Buffer {
  const text = JSON.stringify(value, null, 2);
  // JSON.stringify(undefined) is undefined: storing it would create an object nobody can parse back.
  if (text === undefined) throw new TypeError('putJson: value cannot be serialised to JSON');
  return Buffer.from(text, 'utf8');
}

export function decodeJson<T>(key: string, bytes: Buffer, schema?: z.ZodType<T>): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new CorruptBlobError(key, '不是有效的 JSON', { cause: error });
  }
  if (schema === undefined) return parsed as T;
  const result = schema.safeParse(parsed);
  if (!result.success) throw new CorruptBlobError(key, z.prettifyError(result.error), { cause: result.error });
  return result.data;
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}
