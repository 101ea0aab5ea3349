import type { FastifyReply } from 'fastify';
import type { CompletenessReport } from '../../pipeline/report/schema.ts';
import { contentFileKey, type BlobStore } from '../../storage/index.ts';
import { ApiError } from '../errors.ts';

// Only types a browser shows without running anything of the file's are shown inline; the rest is a download.
const INLINE_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  txt: 'text/plain; charset=utf-8',
};
const DOWNLOAD_TYPES: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  doc: 'application/msword',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  xls: 'application/vnd.ms-excel',
  ofd: 'application/ofd',
  zip: 'application/zip',
};

/** Streams file `n` of the report (its index in `report.files`, as the HTML report and the UI link it). */
export async function sendDossierFile(reply: FastifyReply, store: BlobStore, report: CompletenessReport, n: number): Promise<FastifyReply> {
  const file = report.files[n];
  if (!file || !/^[0-9a-f]{64}$/.test(file.sha256)) throw new ApiError('FILE_NOT_FOUND', `编号 ${n}`);
  const name = file.path.split('/').at(-1) ?? 'file';
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  const inline = INLINE_TYPES[ext];
  const type = inline ?? DOWNLOAD_TYPES[ext] ?? 'application/octet-stream';
  const stream = await store.get(contentFileKey(file.sha256));
  return reply
    .header('content-type', type)
    .header('content-length', String(file.size))
    .header('content-disposition', contentDisposition(name, inline !== undefined))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, max-age=3600')
    .send(stream);
}

/** A Content-Disposition value that keeps a Chinese file name (RFC 6266) with an ASCII fallback for old clients. */
export function contentDisposition(name: string, inline = false): string {
  return `${inline ? 'inline' : 'attachment'}; filename="${asciiFallback(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function asciiFallback(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return ascii.replace(/_+/g, '_') || 'file';
}
