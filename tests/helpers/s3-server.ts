import { createRequire } from 'node:module';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * A real S3-speaking server on loopback for tests: s3rver (Koa) with two additions in front of its own middleware:
 * - it answers "list in-progress multipart uploads" (GET /<bucket>?uploads) with an empty list. s3rver answers
 *   NotImplemented, and the minio client asks that question before every multipart upload, so without this any
 *   object larger than one part fails;
 * - fault injection: {@link TestS3Server.failNextPuts} makes the next n object PUTs answer 503 SlowDown
 *   ({@link TestS3Server.failNextRequests} does the same for GET, HEAD or DELETE).
 * Behind them, its store writes each object whole (`atomicPuts`), as S3 does.
 */
export interface TestS3Server {
  /** Host name to give the client (no scheme, no port). */
  endpoint: string;
  port: number;
  useSSL: false;
  accessKey: string;
  secretKey: string;
  region: string;
  /** Folder where s3rver keeps buckets; removed by stop(). */
  directory: string;
  /**
   * The next `count` object PUTs (single uploads and multipart parts; not bucket creation) read the request body and
   * answer `status` (default 503) with an S3 `SlowDown` error instead of storing anything.
   */
  failNextPuts(count: number, status?: number): void;
  /**
   * Same for other object requests: the next `count` requests with this method (`GET`, `HEAD`, `DELETE`, `PUT`) on an
   * object answer `status` (default 503). Replaces any pending failures.
   */
  failNextRequests(count: number, options?: { method?: string; status?: number }): void;
  /** Object PUTs seen so far, failed ones included. */
  readonly objectPutCount: number;
  /** Object PUTs answered with an injected failure so far. */
  readonly failedPutCount: number;
  /** Object requests of any method answered with an injected failure so far. */
  readonly failedRequestCount: number;
  stop(): Promise<void>;
}

// s3rver accepts only its built-in dummy account.
const S3RVER_ACCESS_KEY = 'S3RVER';
const S3RVER_SECRET_KEY = 'S3RVER';

interface KoaContext {
  method: string;
  path: string;
  query: Record<string, unknown>;
  req: AsyncIterable<unknown>;
  status: number;
  type: string;
  body: unknown;
}
type KoaMiddleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
/** The parts of s3rver's filesystem store that `atomicPuts` replaces and uses. */
interface S3rverStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  putObject(object: { bucket: string; key: string; content: Buffer | NodeJS.ReadableStream; metadata: unknown }): Promise<{ size: number; md5: string }>;
  putMetadata(bucket: string, key: string, metadata: unknown, md5: string): Promise<void>;
}

interface S3rverInstance {
  store: S3rverStore;
  middleware: KoaMiddleware[];
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

const require = createRequire(import.meta.url);

function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function emptyMultipartUploadList(bucket: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `<Bucket>${xmlEscape(bucket)}</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker>` +
    '<NextKeyMarker></NextKeyMarker><NextUploadIdMarker></NextUploadIdMarker>' +
    '<MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>'
  );
}

function slowDownError(resource: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>' +
    `<Resource>${xmlEscape(resource)}</Resource><RequestId>injected-fault</RequestId></Error>`
  );
}

export async function startS3Server(): Promise<TestS3Server> {
  const S3rver = require('s3rver') as S3rverConstructor;
  const directory = await mkdtemp(path.join(tmpdir(), 's3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    vhostBuckets: false,
    resetOnClose: false,
  });

  let pendingFailures = 0;
  let failingMethod = 'PUT';
  let failureStatus = 503;
  let objectPutCount = 0;
  let failedPutCount = 0;
  let failedRequestCount = 0;

  const frontDoor: KoaMiddleware = async (ctx, next) => {
    // "/bucket/key…" has at least two segments; "/bucket" alone is bucket-level.
    const segments = ctx.path.split('/').filter((s) => s !== '');
    const bucket = segments[0] ?? '';
    if (ctx.method === 'GET' && segments.length === 1 && 'uploads' in ctx.query) {
      ctx.status = 200;
      ctx.type = 'application/xml';
      ctx.body = emptyMultipartUploadList(decodeURIComponent(bucket));
      return;
    }
    // Listing is a GET on the bucket itself; "object requests" here means bucket listings too, but not bucket creation.
    const isObjectRequest = segments.length >= 2 || (ctx.method === 'GET' && segments.length === 1);
    if (ctx.method === 'PUT' && segments.length >= 2) objectPutCount += 1;
    if (isObjectRequest && ctx.method === failingMethod && pendingFailures > 0) {
      pendingFailures -= 1;
      failedRequestCount += 1;
      if (ctx.method === 'PUT') failedPutCount += 1;
      // Read the body first: answering mid-upload would reset the connection, which is a different fault.
      for await (const _chunk of ctx.req) void _chunk;
      ctx.status = failureStatus;
      ctx.type = 'application/xml';
      ctx.body = slowDownError(ctx.path);
      return;
    }
    await next();
  };
  // Koa composes its middleware list when the server starts listening, so putting ours first here is enough.
  server.middleware.unshift(frontDoor);
  atomicPuts(server.store);

  const address = await server.run();
  let stopped = false;
  const failNextRequests = (count: number, { method = 'PUT', status = 503 }: { method?: string; status?: number } = {}) => {
    pendingFailures = count;
    failingMethod = method.toUpperCase();
    failureStatus = status;
  };

  return {
    endpoint: '127.0.0.1',
    port: address.port,
    useSSL: false,
    accessKey: S3RVER_ACCESS_KEY,
    secretKey: S3RVER_SECRET_KEY,
    region: 'us-east-1',
    directory,
    failNextPuts(count: number, status = 503) {
      failNextRequests(count, { method: 'PUT', status });
    },
    failNextRequests,
    get objectPutCount() {
      return objectPutCount;
    },
    get failedPutCount() {
      return failedPutCount;
    },
    get failedRequestCount() {
      return failedRequestCount;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      server.httpServer?.closeAllConnections();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * s3rver writes an object in place, so a GET during a PUT reads half of it (and for a buffered body it even answers
 * before the file is flushed). S3 never shows a partial object: a PUT replaces it whole. The object is written to a
 * temporary file beside it (a name s3rver's listing skips) and renamed over it once closed.
 */
function atomicPuts(store: S3rverStore): void {
  store.putObject = async (object) => {
    const objectPath = store.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(path.dirname(objectPath), { recursive: true });
    const partial = `${objectPath}.partial-${randomBytes(6).toString('hex')}`;
    const md5 = createHash('md5');
    let size = 0;
    const content = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        md5.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    try {
      await pipeline(content, counted, createWriteStream(partial));
      await rename(partial, objectPath);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    const digest = md5.digest('hex');
    await store.putMetadata(object.bucket, object.key, object.metadata, digest);
    return { size, md5: digest };
  };
}
