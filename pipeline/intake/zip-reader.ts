import yauzl from 'yauzl';
import { openZipFile } from '../../extractors/sniff.ts';
import type { ArchiveEntry, ArchiveListing, ArchiveReader, ExtractOutcome, ExtractRequest } from './archive-reader.ts';
import { UnopenableArchive } from './archive-reader.ts';
import { decodeEntryName } from './entry-names.ts';
import { BudgetExceeded, copyMetered } from './metered-copy.ts';

const STORED = 0;
const DEFLATED = 8;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** Zip through yauzl, one entry at a time: each entry is streamed from the archive into its work-area file. */
export class ZipReader implements ArchiveReader {
  private readonly records = new Map<ArchiveEntry, yauzl.Entry>();

  private constructor(private readonly zip: yauzl.ZipFile) {}

  get archiveBytes(): number {
    return this.zip.fileSize;
  }

  static async open(archivePath: string): Promise<ZipReader> {
    try {
      return new ZipReader(
        await openZipFile(archivePath, {
          lazyEntries: true,
          autoClose: false,
          // Raw name bytes: intake decodes them itself (GBK vs UTF-8) and validates them itself, so one bad name
          // cannot abort the whole archive.
          decodeStrings: false,
          // Sizes are checked against the bytes actually produced, after the copy.
          validateEntrySizes: false,
        }),
      );
    } catch (cause) {
      throw new UnopenableArchive(cause);
    }
  }

  /** Reads the central directory only; nothing is inflated. */
  async list(allowance: number): Promise<ArchiveListing> {
    const entries: ArchiveEntry[] = [];
    const iterator = this.zip.eachEntry();
    try {
      while (entries.length < allowance) {
        const next = await iterator.next();
        if (next.done) break;
        const record = next.value;
        const entry: ArchiveEntry = {
          name: decodeEntryName(record.fileNameRaw, record.generalPurposeBitFlag, record.extraFields),
          isSymlink: ((record.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK,
          isEncrypted: record.isEncrypted(),
          unsupportedMethod: record.compressionMethod !== STORED && record.compressionMethod !== DEFLATED,
          uncompressedSize: record.uncompressedSize,
          compressedSize: record.compressedSize,
          compressed: record.compressionMethod === DEFLATED,
          crc32: record.crc32,
          span: { localHeaderOffset: record.relativeOffsetOfLocalHeader, nameLength: record.fileNameLength },
        };
        this.records.set(entry, record);
        entries.push(entry);
      }
    } catch (breakCause) {
      return { entries, breakCause };
    } finally {
      await iterator.return?.();
    }
    return { entries };
  }

  async *extract(request: ExtractRequest): AsyncGenerator<{ entry: ArchiveEntry; localPath: string; outcome: ExtractOutcome }> {
    for (const entry of request.entries) {
      const record = this.records.get(entry)!;
      const localPath = request.destination(entry);
      let outcome: ExtractOutcome;
      try {
        const stream = await this.zip.openReadStreamPromise(record);
        const copied = await copyMetered(stream, localPath, request.budget(entry));
        outcome = { kind: 'copied', copied };
      } catch (error) {
        outcome = error instanceof BudgetExceeded ? { kind: 'overrun', exceeded: error } : { kind: 'failed', cause: error };
      }
      yield { entry, localPath, outcome };
    }
  }

  async close(): Promise<void> {
    this.zip.close();
  }
}
