import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { openZipFile } from '../../pipeline/index.ts';
import {
  COMPRESSION_RATIO_GRACE_BYTES,
  decodeEntryName,
  formatBytes,
  IntakeLimitsSchema,
  isJunkEntry,
  surveyArchive,
  type DirectoryEntry,
} from '../../pipeline/intake/index.ts';
import { ApiError } from '../errors.ts';

/**
 * A batch may arrive as one zip holding many dossiers: either a zip of zips (each inner .zip is a dossier) or a zip
 * of folders (each top-level folder is a dossier). This reads the central directory only and says which, so the
 * caller can stream the pieces into storage; anything else is one dossier.
 *
 * Splitting inflates the pieces into storage, so the zip rules intake applies to any archive hold here too, before
 * a byte is written: the pieces together must fit the upload limit (by the sizes the directory declares, and again
 * by the bytes really produced), entries sharing one block or inflating far beyond the archive are a bomb, and a
 * piece whose CRC does not match is damaged. A refusal is an ApiError; the caller removes whatever it stored.
 */

export type BatchLayout =
  | { kind: 'single' }
  | { kind: 'zips'; dossiers: Array<{ name: string; entry: string }> }
  | { kind: 'folders'; dossiers: Array<{ name: string; files: Array<{ entry: string; path: string }> }> };

export interface SplitLimits {
  /** Bytes all the pieces together may inflate to: the upload limit, as if they had been uploaded one by one. */
  maxBytes: number;
  /** Pieces (inner archives, or files of the folders) the split may store: the upload's file limit. */
  maxPieces: number;
}

interface ListedEntry {
  /** Decoded '/'-separated path. */
  path: string;
  /** Key to find it again: the raw name bytes in hex (decoding may map two names to one). */
  id: string;
}

interface Listing {
  /** Entries that may become pieces: not hostile, junk, encrypted, symlinks or oddly compressed. */
  entries: ListedEntry[];
  /** Every directory record, for the survey; `id` says which listed entry it is, if any. */
  records: Array<Omit<DirectoryEntry, 'counted'> & { id: string | undefined; deflated: boolean }>;
  archiveBytes: number;
}

const STORED = 0;
const DEFLATED = 8;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
/** The same limits intake applies to any archive it opens. */
const ZIP_LIMITS = IntakeLimitsSchema.parse({});

export async function batchLayout(zipPath: string, limits: SplitLimits): Promise<BatchLayout> {
  let listing: Listing;
  try {
    listing = await listEntries(zipPath);
  } catch {
    return { kind: 'single' };
  }
  const layout = layoutOf(listing.entries);
  if (layout.kind !== 'single') assertSplittable(listing, layout, limits);
  return layout;
}

function layoutOf(entries: ListedEntry[]): BatchLayout {
  if (entries.length === 0) return { kind: 'single' };
  if (entries.every((e) => /\.zip$/i.test(e.path))) {
    if (entries.length < 2 && !entries[0]!.path.includes('/')) {
      // One inner zip alone is still a batch of one; say so explicitly rather than guess.
      return { kind: 'zips', dossiers: [{ name: baseName(entries[0]!.path), entry: entries[0]!.id }] };
    }
    return { kind: 'zips', dossiers: entries.map((e) => ({ name: baseName(e.path), entry: e.id })) };
  }
  const topLevelFiles = entries.filter((e) => !e.path.includes('/'));
  const folders = new Map<string, Array<{ entry: string; path: string }>>();
  for (const e of entries) {
    const [top, ...rest] = e.path.split('/');
    if (rest.length === 0) continue;
    folders.set(top!, [...(folders.get(top!) ?? []), { entry: e.id, path: e.path }]);
  }
  if (topLevelFiles.length === 0 && folders.size >= 2) {
    return { kind: 'folders', dossiers: [...folders].map(([name, files]) => ({ name, files })) };
  }
  return { kind: 'single' };
}

/** Refuses, from the directory alone, a split that would write more than the limits allow or that is a bomb. */
function assertSplittable(listing: Listing, layout: Exclude<BatchLayout, { kind: 'single' }>, limits: SplitLimits): void {
  const pieces = new Set(layout.kind === 'zips' ? layout.dossiers.map((d) => d.entry) : layout.dossiers.flatMap((d) => d.files.map((f) => f.entry)));
  const records = listing.records.map((r) => ({ ...r, counted: r.id !== undefined && pieces.has(r.id) }));
  const verdict = surveyArchive(records, {
    archiveBytes: listing.archiveBytes,
    bytesLeft: limits.maxBytes,
    maxRatio: ZIP_LIMITS.maxCompressionRatio,
    graceBytes: COMPRESSION_RATIO_GRACE_BYTES,
  });
  const declared = formatBytes(verdict.declaredBytes);
  if (verdict.verdict === 'overlap') {
    throw new ApiError('VALIDATION_FAILED', `批次压缩包疑似压缩炸弹（${verdict.overlappingEntries} 个条目的数据位置与其他条目重叠），已拒绝解压`);
  }
  if (verdict.declaredBytes > limits.maxBytes) {
    throw new ApiError('UPLOAD_TOO_LARGE', `批次中的材料解开后共 ${declared}，超过上传上限 ${formatBytes(limits.maxBytes)}，已拒绝解压`);
  }
  if (verdict.verdict === 'ratio') {
    throw new ApiError(
      'UPLOAD_TOO_LARGE',
      `批次压缩包疑似压缩炸弹（${formatBytes(listing.archiveBytes)} 的压缩包声明解压后共 ${declared}，超过 ${ZIP_LIMITS.maxCompressionRatio} 倍的上限），已拒绝解压`,
    );
  }
  for (const r of records) {
    if (r.counted && r.deflated && isRatioBomb(r.uncompressedSize, r.compressedSize)) {
      throw new ApiError('UPLOAD_TOO_LARGE', `批次中的“${pathOf(listing, r.id)}”压缩比异常高（疑似压缩炸弹），已拒绝解压`);
    }
  }
  if (pieces.size > limits.maxPieces) {
    throw new ApiError('UPLOAD_TOO_MANY_FILES', `批次压缩包中有 ${pieces.size} 个文件，超过上限 ${limits.maxPieces} 个`);
  }
}

function isRatioBomb(producedBytes: number, compressedBytes: number): boolean {
  return producedBytes > COMPRESSION_RATIO_GRACE_BYTES && producedBytes > compressedBytes * ZIP_LIMITS.maxCompressionRatio;
}

function pathOf(listing: Listing, id: string | undefined): string {
  return listing.entries.find((e) => e.id === id)?.path ?? '?';
}

/**
 * Streams the named entries, one at a time, in central-directory order. Each stream fails with an ApiError when
 * its data is damaged (bad deflate data, wrong size, wrong CRC) or inflates past the ratio its header admitted.
 */
export async function forEachEntry(zipPath: string, wanted: ReadonlySet<string>, take: (id: string, stream: Readable) => Promise<void>): Promise<void> {
  const zip = await openZipFile(zipPath, { lazyEntries: true, autoClose: false, decodeStrings: false });
  try {
    for await (const entry of zip.eachEntry()) {
      const id = entry.fileNameRaw.toString('hex');
      if (!wanted.has(id)) continue;
      const name = decodeEntryName(entry.fileNameRaw, entry.generalPurposeBitFlag, entry.extraFields).path;
      const damaged = new ApiError('VALIDATION_FAILED', `批次压缩包中的“${name}”已损坏，无法解开`);
      let sourceFailed = false;
      let source: Readable;
      try {
        source = await zip.openReadStreamPromise(entry);
      } catch {
        throw damaged;
      }
      source.once('error', () => {
        sourceFailed = true;
      });
      const checked = new EntryCheck(entry, name, damaged);
      pipeline(source, checked, () => undefined);
      try {
        await take(id, checked);
      } catch (error) {
        throw sourceFailed ? damaged : error;
      }
    }
  } finally {
    zip.close();
  }
}

/** Counts and checksums an entry's bytes on their way to storage. */
class EntryCheck extends Transform {
  private bytes = 0;
  private crc = 0;

  constructor(
    private readonly entry: yauzl.Entry,
    private readonly name: string,
    private readonly damaged: ApiError,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.entry.compressionMethod === DEFLATED && isRatioBomb(this.bytes, this.entry.compressedSize)) {
      callback(new ApiError('UPLOAD_TOO_LARGE', `批次中的“${this.name}”压缩比异常高（疑似压缩炸弹），已拒绝解压`));
      return;
    }
    this.crc = crc32(chunk, this.crc);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    callback(this.crc === this.entry.crc32 && this.bytes === this.entry.uncompressedSize ? null : this.damaged);
  }
}

async function listEntries(zipPath: string): Promise<Listing> {
  const zip = await openZipFile(zipPath, { lazyEntries: true, autoClose: false, decodeStrings: false });
  const listing: Listing = { entries: [], records: [], archiveBytes: zip.fileSize };
  try {
    for await (const entry of zip.eachEntry()) {
      const record = {
        localHeaderOffset: entry.relativeOffsetOfLocalHeader,
        nameLength: entry.fileNameLength,
        compressedSize: entry.compressedSize,
        uncompressedSize: entry.uncompressedSize,
        deflated: entry.compressionMethod === DEFLATED,
        id: undefined as string | undefined,
      };
      listing.records.push(record);
      // Beyond what intake would open in one archive, the split is not attempted: intake reports the excess.
      if (listing.records.length > ZIP_LIMITS.maxEntries) throw new Error('too many entries to split');
      const name = decodeEntryName(entry.fileNameRaw, entry.generalPurposeBitFlag, entry.extraFields);
      if (name.isDirectory) continue;
      // Hostile, junk, encrypted, linked or oddly compressed entries are left out of the split; intake reports such
      // things inside each dossier, but at this level there is no dossier to report them in.
      if (yauzl.validateFileName(name.forValidation) !== null) continue;
      if (isJunkEntry(name.path.split('/'))) continue;
      if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) continue;
      if (entry.isEncrypted() || (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED)) continue;
      record.id = entry.fileNameRaw.toString('hex');
      listing.entries.push({ path: name.path, id: record.id });
    }
  } finally {
    zip.close();
  }
  return listing;
}

function baseName(path: string): string {
  return path.split('/').at(-1)!;
}
