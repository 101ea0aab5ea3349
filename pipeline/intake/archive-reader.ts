import type { DecodedEntryName } from './entry-names.ts';
import type { BudgetExceeded, CopiedBytes, CopyBudget } from './metered-copy.ts';

/**
 * What intake asks of every archive format (zip, RAR4, RAR5, 7z): list the entries with what planning needs, then
 * write chosen entries to work-area paths under a byte budget. Planning, limits and findings live in intake.ts
 * once for all formats; a reader only knows its format.
 */
export interface ArchiveEntry {
  name: DecodedEntryName;
  isSymlink: boolean;
  isEncrypted: boolean;
  /** A compression method this reader cannot produce bytes for. */
  unsupportedMethod: boolean;
  /** As the header declares it; the bytes actually produced are metered separately. */
  uncompressedSize: number;
  /**
   * The entry's own compressed size, for the per-entry ratio check; undefined when the entry shares a compressed
   * block with others (solid 7z/RAR), where only the archive-wide ratio can be judged.
   */
  compressedSize?: number;
  /** Whether the data is compressed at all (a stored entry has no ratio to judge). */
  compressed: boolean;
  /** The CRC the header declares, when it declares one: the bytes produced must match it. */
  crc32?: number;
  /** Where the entry's record starts in the archive (zip only), for the overlap check in archive-survey.ts. */
  span?: { localHeaderOffset: number; nameLength: number };
}

export interface ArchiveListing {
  entries: ArchiveEntry[];
  /** Set when the directory broke part-way: the entries before it are still good. */
  breakCause?: unknown;
}

export type ExtractOutcome =
  | { kind: 'copied'; copied: CopiedBytes }
  | { kind: 'overrun'; exceeded: BudgetExceeded }
  /** The reader could not produce the bytes (damaged data, wrong password, unknown method …). */
  | { kind: 'failed'; cause: unknown };

export interface ExtractRequest {
  /** Entries to write, in archive order (a subset of what `list` returned, same objects). */
  entries: readonly ArchiveEntry[];
  /** A fresh work-area path for an entry; called once per entry, just before it is written. */
  destination: (entry: ArchiveEntry) => string;
  /**
   * The budget for an entry, asked just before it is written (what is left of the total changes as nested archives
   * are unpacked). A reader that writes several entries in one pass meters their sum against the total it was given.
   */
  budget: (entry: ArchiveEntry) => CopyBudget;
}

export interface ArchiveReader {
  /** Size of the archive file itself. */
  readonly archiveBytes: number;
  /** At most `allowance` entries, in archive order, directories included. Reads no entry data. */
  list(allowance: number): Promise<ArchiveListing>;
  /**
   * Yields one outcome per requested entry, in order. A reader may write lazily (zip: one entry per step, so a
   * nested archive is settled before the next entry is read) or in one pass (7-Zip: solid blocks are decoded once);
   * stopping the iteration early removes whatever was written and not yet yielded.
   */
  extract(request: ExtractRequest): AsyncGenerator<{ entry: ArchiveEntry; localPath: string; outcome: ExtractOutcome }>;
  close(): Promise<void>;
}

/** The input cannot be opened as an archive of this format at all. */
export class UnopenableArchive extends Error {
  constructor(cause: unknown) {
    super('archive cannot be opened', { cause });
  }
}

/** The archive's headers (its file list) are encrypted: nothing can be listed without the password. */
export class EncryptedArchive extends Error {
  /** 'RAR4', 'RAR5' or '7z', for the message. */
  constructor(readonly format: string) {
    super(`${format} archive with encrypted headers`);
  }
}
