import { createHash } from 'node:crypto';
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { BlobStore } from '../../storage/index.ts';
import { ApiError } from '../errors.ts';

/**
 * Reads a multipart upload part by part and streams every file straight into the blob store: nothing is held in
 * memory beyond a chunk. Each file is hashed and counted on the way through (one transform, no extra listeners);
 * the total across files is capped. A file that hits busboy's per-file limit arrives truncated with no error
 * (STACK-NOTES), so `truncated` is checked after every file.
 */

export interface StoredUpload {
  /** The file's path as sent (a picked folder keeps its relative paths), normalised. */
  path: string;
  key: string;
  size: number;
  sha256: string;
}

export interface UploadResult {
  fields: Map<string, string[]>;
  files: StoredUpload[];
  /** Files sent under one of {@link ReceiveOptions.attachments}' field names, read into memory and not stored. */
  attachments: Map<string, { filename: string; bytes: Buffer }>;
}

export interface ReceiveOptions {
  store: BlobStore;
  maxBytes: number;
  /** The storage key for a file, from its validated path and its position in the upload. */
  keyFor: (path: string, index: number) => string;
  /** Called once, when the first file starts, with the fields sent before it: a bad form fails before any upload. */
  beforeFirstFile?: (fields: Map<string, string[]>) => Promise<void>;
  /**
   * Field names whose file is not a dossier's but goes with the upload (a batch's facts sheet), with the most bytes
   * each may have; such a file is kept in memory, one per name.
   */
  attachments?: Record<string, { maxBytes: number; label: string }>;
}

export async function receiveUpload(request: FastifyRequest, options: ReceiveOptions): Promise<UploadResult> {
  if (!request.isMultipart()) throw new ApiError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传文件');
  const fields = new Map<string, string[]>();
  const files: StoredUpload[] = [];
  const attachments: UploadResult['attachments'] = new Map();
  let total = 0;
  try {
    for await (const part of request.parts()) {
      const attachment = part.type === 'file' ? options.attachments?.[part.fieldname] : undefined;
      if (part.type === 'file' && attachment) {
        if (attachments.has(part.fieldname)) throw new ApiError('VALIDATION_FAILED', `${attachment.label}只能上传一个`);
        attachments.set(part.fieldname, { filename: part.filename, bytes: await readSmall(part.file, attachment.maxBytes, attachment.label) });
        continue;
      }
      if (part.type === 'field') {
        const value = typeof part.value === 'string' ? part.value : String(part.value);
        if (part.valueTruncated) throw new ApiError('UPLOAD_TOO_LARGE', `字段 ${part.fieldname} 过长`);
        fields.set(part.fieldname, [...(fields.get(part.fieldname) ?? []), value]);
        continue;
      }
      if (files.length === 0) await options.beforeFirstFile?.(fields);
      const path = uploadPath(part.filename);
      const key = options.keyFor(path, files.length);
      const meter = new MeteredHash(options.maxBytes - total);
      // pipeline, not pipe: busboy may already have destroyed the part (a body cut short) before we get here, and
      // only pipeline carries that into the meter instead of leaving it waiting forever.
      pipeline(part.file, meter, () => undefined);
      await options.store.put(key, meter as Readable, { contentType: 'application/octet-stream' });
      // Registered before the await would be too late to matter; busboy sets the flag when it cuts the file.
      if (part.file.truncated) {
        files.push({ path, key, size: meter.bytes, sha256: '' });
        throw new ApiError('UPLOAD_TOO_LARGE', `文件“${path}”超过上限 ${formatMb(options.maxBytes)}`);
      }
      total += meter.bytes;
      files.push({ path, key, size: meter.bytes, sha256: meter.digest() });
    }
  } catch (error) {
    await Promise.all(files.map((f) => options.store.delete(f.key).catch(() => undefined)));
    throw translateUploadError(error, options.maxBytes);
  }
  return { fields, files, attachments };
}

async function readSmall(stream: AsyncIterable<Buffer>, maxBytes: number, label: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > maxBytes) throw new ApiError('UPLOAD_TOO_LARGE', `${label}超过上限 ${formatMb(maxBytes)}`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

class UploadOverLimit extends Error {}

class MeteredHash extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');
  private hex: string | undefined;

  constructor(private readonly remaining: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.remaining) {
      callback(new UploadOverLimit());
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  digest(): string {
    this.hex ??= this.hash.digest('hex');
    return this.hex;
  }
}

function translateUploadError(error: unknown, maxBytes: number): unknown {
  if (error instanceof ApiError) return error;
  if (error instanceof UploadOverLimit) return new ApiError('UPLOAD_TOO_LARGE', `上传总大小超过上限 ${formatMb(maxBytes)}`);
  const code = (error as { code?: string } | null)?.code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new ApiError('UPLOAD_TOO_LARGE', `单个文件超过上限 ${formatMb(maxBytes)}`);
  if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') return new ApiError('UPLOAD_TOO_MANY_FILES');
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') return new ApiError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传文件');
  if (code === 'FST_PROTO_VIOLATION') return new ApiError('VALIDATION_FAILED', '字段名不允许使用对象原型属性名');
  if (code === 'FST_MP_PREMATURE_CLOSE' || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE') return new ApiError('UPLOAD_INCOMPLETE');
  if (error instanceof Error && /Unexpected end of (multipart )?(data|form)|Malformed part header|Part terminated early/i.test(error.message)) {
    return new ApiError('UPLOAD_INCOMPLETE', '数据不完整或格式错误');
  }
  return error;
}

function formatMb(bytes: number): string {
  return `${+(bytes / 1024 / 1024).toFixed(1)} MB`;
}

// C0 controls and DEL never belong in a file name a person chose.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * A file name from the upload as a safe relative path: `/`-separated, NFC, no `..`, no absolute or drive paths, no
 * backslashes. A hostile name is refused (400), never silently repaired.
 */
export function uploadPath(filename: string | undefined): string {
  const name = (filename ?? '').normalize('NFC');
  const problem = pathProblem(name);
  if (problem) throw new ApiError('INVALID_FILE_PATH', `“${name.slice(0, 80)}”${problem}`);
  return name
    .split('/')
    .filter((s) => s !== '.')
    .join('/');
}

function pathProblem(name: string): string | undefined {
  if (name.trim() === '') return '：文件名为空';
  if (CONTROL.test(name)) return '含控制字符';
  if (name.includes('\\')) return '含反斜杠';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return '是绝对路径';
  const segments = name.split('/');
  if (segments.some((s) => s === '..')) return '含“..”路径段';
  // "." and "./." name the folder itself, not a file; dropping the dots would leave an empty path.
  if (segments.every((s) => s === '.')) return '不是文件名（只有“.”）';
  if (segments.some((s) => s === '')) return '含空路径段';
  if (segments.some((s) => Buffer.byteLength(s, 'utf8') > 255)) return '的某一段超过 255 字节';
  if (Buffer.byteLength(name, 'utf8') > 800) return '过长';
  return undefined;
}
