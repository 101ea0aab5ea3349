import { PassThrough, type Readable } from 'node:stream';
import { Client, S3Error } from 'minio';
import type { z } from 'zod';
import {
  decodeJson,
  encodeJson,
  JSON_CONTENT_TYPE,
  readAll,
  type BlobBody,
  type BlobHead,
  type BlobListing,
  type BlobStore,
  type PutOptions,
  type PutResult,
} from './blob-store.ts';
import {
  BlobNotFoundError,
  PermanentStorageError,
  StorageError,
  TransientStorageError,
} from './errors.ts';
import { assertValidKey, assertValidPrefix } from './object-key.ts';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from './retry.ts';
import { partsOf, SourceStreamFailure } from './source-stream.ts';

/** Connection settings for an S3-compatible service (MinIO, AWS S3, Ceph RGW…). */
export interface S3StoreOptions {
  /** Host name or IP of the service, without scheme or port (`minio.internal`). */
  endpoint: string;
  /** TCP port. Default: 443 with TLS, 80 without. */
  port?: number;
  /** Use HTTPS. Default true. */
  useSSL?: boolean;
  /** Bucket holding every object; created on first use when missing. */
  bucket: string;
  accessKey: string;
  secretKey: string;
  /** Region the bucket is created in and requests are signed for. Default `us-east-1` (MinIO's default). */
  region?: string;
  /**
   * Objects larger than this are uploaded in parts of this size (multipart upload); smaller ones in one PUT.
   * Also the most memory one upload holds (plus one part being read ahead). Minimum 5 MiB (S3 rule). Default 16 MiB.
   */
  partSizeBytes?: number;
  /** Retries for each request after network errors, 5xx and throttling. Default {@link DEFAULT_RETRY_POLICY}. */
  retry?: Partial<RetryPolicy>;
}

export const DEFAULT_PART_SIZE_BYTES = 16 * 1024 * 1024;
const MIN_PART_SIZE_BYTES = 5 * 1024 * 1024;

// Server answers that mean "not now" rather than "never".
const TRANSIENT_S3_CODES = new Set([
  'SlowDown',
  'InternalError',
  'ServiceUnavailable',
  'RequestTimeout',
  'OperationAborted',
  'Throttling',
  'ThrottlingException',
  'TooManyRequests',
  'RequestLimitExceeded',
  'XMinioServerNotInitialized',
  'XMinioReadQuorum',
  'XMinioWriteQuorum',
]);
const NOT_FOUND_CODES = new Set(['NoSuchKey', 'NotFound']);
const CREDENTIAL_CODES = new Set(['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch']);
// Connection-level failures: the request may never have reached the server, or its answer was lost.
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/**
 * The client turns a 408/429/5xx answer into a plain Error before the S3 error body is read (even with its own retry
 * disabled); the status survives only in the message. Covered by the fault tests, so a client upgrade that changes
 * the wording shows up there.
 */
const RETRYABLE_STATUS_MESSAGE = /Retryable HTTP status: (\d{3})/;

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/**
 * Objects in one bucket of an S3-compatible service, through the minio client (the only module that imports it).
 * Every request is retried with backoff on transient failures; a stream is never read twice, because uploads go in
 * parts that are kept in memory until acknowledged. An object becomes visible only when its upload completes.
 */
export class S3Store implements BlobStore {
  readonly kind = 's3' as const;
  readonly location: string;
  readonly bucket: string;
  readonly partSizeBytes: number;
  private readonly region: string;
  private readonly retryPolicy: RetryPolicy;
  private readonly client: Client;
  private bucketReady: Promise<void> | undefined;

  constructor(options: S3StoreOptions) {
    const useSSL = options.useSSL ?? true;
    this.bucket = options.bucket;
    this.region = options.region ?? 'us-east-1';
    this.partSizeBytes = options.partSizeBytes ?? DEFAULT_PART_SIZE_BYTES;
    if (this.partSizeBytes < MIN_PART_SIZE_BYTES) {
      throw new RangeError(`partSizeBytes must be at least ${MIN_PART_SIZE_BYTES} (S3 minimum part size)`);
    }
    this.retryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    const port = options.port ?? (useSSL ? 443 : 80);
    this.location = `${useSSL ? 'https' : 'http'}://${options.endpoint}:${port}/${options.bucket}`;
    this.client = new Client({
      endPoint: options.endpoint,
      port,
      useSSL,
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      region: this.region,
      partSize: this.partSizeBytes,
      // One retry policy for everything, ours: the client's own retry hides the S3 error code and logs to the console.
      retryOptions: { disableRetry: true },
    });
  }

  async put(key: string, body: BlobBody, options: PutOptions = {}): Promise<PutResult> {
    assertValidKey(key);
    const headers: Record<string, string> = {};
    if (options.contentType !== undefined) headers['Content-Type'] = options.contentType;
    try {
      await this.ensureBucket();
      if (Buffer.isBuffer(body) && body.length <= this.partSizeBytes) return await this.putSingle(key, body, headers);
      const parts = Buffer.isBuffer(body) ? slicesOf(body, this.partSizeBytes) : partsOf(body, this.partSizeBytes);
      return await this.putParts(key, parts, headers);
    } catch (error) {
      if (!Buffer.isBuffer(body)) body.destroy();
      if (error instanceof SourceStreamFailure) throw error.original;
      throw error;
    }
  }

  async get(key: string): Promise<Readable> {
    assertValidKey(key);
    const response = await this.request('get', key, async () => {
      await this.ensureBucket();
      return this.client.getObject(this.bucket, key);
    });
    // A connection that breaks mid-body should reach the reader as a StorageError that says it may be retried.
    const body = new PassThrough();
    response.on('error', (error) => body.destroy(this.translate(error, 'get', key)));
    body.on('close', () => response.destroy());
    return response.pipe(body);
  }

  async head(key: string): Promise<BlobHead | null> {
    assertValidKey(key);
    try {
      return await this.request('head', key, async () => {
        await this.ensureBucket();
        const stat = await this.client.statObject(this.bucket, key);
        return { size: stat.size, lastModified: stat.lastModified };
      });
    } catch (error) {
      if (error instanceof BlobNotFoundError) return null;
      throw error;
    }
  }

  async *list(prefix: string): AsyncIterable<BlobListing> {
    assertValidPrefix(prefix);
    // One page (up to 1,000 keys) per request, each retried on its own like any other request; after a transient
    // failure the listing resumes at the continuation token of the page it was on, so no key is handed out twice.
    let continuationToken = '';
    do {
      const token = continuationToken;
      const page = await this.request('list', prefix, async () => {
        await this.ensureBucket();
        return this.client.listObjectsV2Query(this.bucket, prefix, token, '', 1000, '');
      });
      for (const item of page.objects) {
        if (item.name !== undefined) yield { key: item.name, size: item.size };
      }
      continuationToken = page.isTruncated ? page.nextContinuationToken : '';
    } while (continuationToken !== '');
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    await this.request('delete', key, async () => {
      await this.ensureBucket();
      await this.client.removeObject(this.bucket, key);
    });
  }

  async putJson(key: string, value: unknown): Promise<PutResult> {
    return this.put(key, encodeJson(value), { contentType: JSON_CONTENT_TYPE });
  }

  async getJson<T = unknown>(key: string, schema?: z.ZodType<T>): Promise<T> {
    // Reading a whole small object is repeatable, so a body cut off half-way is retried like any other request.
    const bytes = await this.request('get', key, async () => {
      await this.ensureBucket();
      return readAll(await this.client.getObject(this.bucket, key));
    });
    return decodeJson(key, bytes, schema);
  }

  private async putSingle(key: string, body: Buffer, headers: Record<string, string>): Promise<PutResult> {
    const result = await this.request('put', key, () => this.client.putObject(this.bucket, key, body, body.length, headers));
    return { size: body.length, etag: result.etag };
  }

  /**
   * Multipart upload driven here rather than by the client's putObject(stream): that one leaves an error of the
   * source stream unhandled (the process crashes) and retries nothing per part. Each part is retried on its own,
   * the next part is read while the current one uploads, and a failed upload is aborted so no parts linger.
   */
  private async putParts(key: string, parts: AsyncGenerator<Buffer>, headers: Record<string, string>): Promise<PutResult> {
    const first = await parts.next();
    const firstPart = first.done === true ? Buffer.alloc(0) : first.value;
    if (firstPart.length < this.partSizeBytes) return this.putSingle(key, firstPart, headers);

    const uploadId = await this.request('put', key, () =>
      this.client.initiateNewMultipartUpload(this.bucket, key, headers),
    );
    const uploaded: { part: number; etag: string }[] = [];
    let size = 0;
    let inFlight: Promise<void> | undefined;
    const startPart = (partNumber: number, payload: Buffer): Promise<void> => {
      const upload = this.request('put', key, () =>
        this.client.uploadPart({ bucketName: this.bucket, objectName: key, uploadID: uploadId, partNumber, headers: {} }, payload),
      ).then(({ etag }) => {
        uploaded.push({ part: partNumber, etag });
      });
      // Observed later with await; this keeps a failure during the next read from counting as unhandled.
      upload.catch(() => undefined);
      return upload;
    };
    try {
      let partNumber = 1;
      inFlight = startPart(partNumber, firstPart);
      size += firstPart.length;
      for (let next = await parts.next(); next.done !== true; next = await parts.next()) {
        await inFlight;
        partNumber += 1;
        inFlight = startPart(partNumber, next.value);
        size += next.value.length;
      }
      await inFlight;
      uploaded.sort((a, b) => a.part - b.part);
      const result = await this.request('put', key, () =>
        this.client.completeMultipartUpload(this.bucket, key, uploadId, uploaded),
      );
      return { size, etag: result.etag };
    } catch (error) {
      await parts.return(undefined).catch(() => undefined);
      // Let a part still on the wire finish first, or it could land after the abort.
      await inFlight?.catch(() => undefined);
      await this.abortUpload(key, uploadId);
      throw error;
    }
  }

  private async abortUpload(key: string, uploadId: string): Promise<void> {
    try {
      await this.request('abort', key, () => this.client.abortMultipartUpload(this.bucket, key, uploadId));
    } catch {
      // The object was never completed, so nothing is visible; leftover parts only cost space until the bucket's
      // lifecycle rule for incomplete uploads (if any) removes them.
    }
  }

  private ensureBucket(): Promise<void> {
    this.bucketReady ??= this.request('bucket', this.bucket, async () => {
      if (await this.client.bucketExists(this.bucket)) return;
      try {
        await this.client.makeBucket(this.bucket, this.region);
      } catch (error) {
        // Another worker created it between our check and our request.
        if (!['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes(errorCode(error) ?? '')) throw error;
      }
    }).catch((error: unknown) => {
      this.bucketReady = undefined;
      throw error;
    });
    return this.bucketReady;
  }

  private request<T>(operation: string, key: string, call: () => Promise<T>): Promise<T> {
    return withRetry(this.retryPolicy, async () => {
      try {
        return await call();
      } catch (error) {
        throw this.translate(error, operation, key);
      }
    });
  }

  private translate(error: unknown, operation: string, key: string): StorageError {
    if (error instanceof StorageError) return error;
    const code = errorCode(error) ?? '';
    const detail = error instanceof Error && error.message !== '' ? `${code} ${error.message}`.trim() : code || String(error);
    if (NOT_FOUND_CODES.has(code) && operation !== 'bucket') return new BlobNotFoundError(key, { cause: error });
    if (code === 'NoSuchBucket') {
      // Deleted behind our back: let the retry create it again.
      this.bucketReady = undefined;
      return new TransientStorageError(`对象存储桶“${this.bucket}”不存在（${operation} ${key}）`, { cause: error });
    }
    const retryableStatus = error instanceof Error ? RETRYABLE_STATUS_MESSAGE.exec(error.message)?.[1] : undefined;
    if (retryableStatus !== undefined) {
      return new TransientStorageError(`对象存储暂时不可用（${operation} ${key}）：HTTP ${retryableStatus}`, { cause: error });
    }
    if (TRANSIENT_S3_CODES.has(code) || TRANSIENT_NETWORK_CODES.has(code)) {
      return new TransientStorageError(`对象存储暂时不可用（${operation} ${key}）：${detail}`, { cause: error });
    }
    // A failed HEAD has no body, so the client reports 5xx other than 503 with an empty code; treat it as passing.
    if (error instanceof S3Error && code === '') {
      return new TransientStorageError(`对象存储返回了未说明原因的错误（${operation} ${key}）`, { cause: error });
    }
    if (CREDENTIAL_CODES.has(code)) {
      return new PermanentStorageError(
        `对象存储拒绝访问（${operation} ${key}）：${detail}。请检查 S3_ACCESS_KEY、S3_SECRET_KEY 与桶权限`,
        { cause: error },
      );
    }
    return new PermanentStorageError(`对象存储操作失败（${operation} ${key}）：${detail}`, { cause: error });
  }
}

async function* slicesOf(buffer: Buffer, partSize: number): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < buffer.length; offset += partSize) yield buffer.subarray(offset, offset + partSize);
}
