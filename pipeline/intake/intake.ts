import { createReadStream, type Dirent } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import yauzl from 'yauzl';
import type { FileFinding, FileKind } from '../../extractors/model.ts';
import { sniffKindOfFile } from '../../extractors/sniff.ts';
import {
  EncryptedArchive,
  type ArchiveEntry,
  type ArchiveListing,
  type ArchiveReader,
  type ExtractOutcome,
} from './archive-reader.ts';
import { surveyArchive, type ArchiveVerdict } from './archive-survey.ts';
import { formatBytes, IntakeError, intakeFinding } from './findings.ts';
import { isJunkEntry, isJunkFolder } from './junk.ts';
import { BudgetExceeded, copyMetered, type CopiedBytes, type CopyBudget } from './metered-copy.ts';
import { SevenZipReader, type SevenZipFormat } from './seven-zip.ts';
import { ZipReader } from './zip-reader.ts';
import {
  IntakeLimitsSchema,
  type DossierFile,
  type IntakeLimits,
  type IntakeResult,
  type UnreadableEntry,
} from './model.ts';

export interface IntakeOptions {
  /** Folder under which intake creates its own uniquely named work area; entry bytes go there and nowhere else. */
  workDir: string;
  /** Overrides of IntakeLimitsSchema's defaults. */
  limits?: Partial<IntakeLimits>;
  /** Called with each entry's path (as the user sees it) when intake reaches it: for progress display. */
  onEntry?: (path: string) => void;
}

/**
 * Below this many inflated bytes no entry is called a zip bomb: small repetitive files (blank forms, XML parts)
 * legitimately compress far beyond any sensible ratio, and so little output cannot hurt.
 */
export const COMPRESSION_RATIO_GRACE_BYTES = 1024 * 1024;


/**
 * Unpacks a dossier (a .zip, .rar or .7z, a folder or a single file) into a fresh work area under `options.workDir`
 * and says what is in it. Bad entries become findings and the rest goes on; only an input that cannot be read at all
 * throws an `IntakeError`.
 */
export async function intake(inputPath: string, options: IntakeOptions): Promise<IntakeResult> {
  const limits = IntakeLimitsSchema.parse(options.limits ?? {});
  const inputName = basename(resolve(inputPath)).normalize('NFC');
  const inputStat = await stat(inputPath).catch((cause: unknown) => {
    throw new IntakeError('INTAKE_INPUT_NOT_FOUND', inputPath, { cause });
  });
  if (!inputStat.isFile() && !inputStat.isDirectory()) {
    throw new IntakeError('INTAKE_UNSUPPORTED_INPUT', inputPath);
  }

  await mkdir(options.workDir, { recursive: true });
  const workArea = await mkdtemp(join(resolve(options.workDir), 'intake-'));
  const run = new IntakeRun(limits, workArea, inputPath, inputName, options.onEntry);
  try {
    if (inputStat.isDirectory()) {
      await run.walkFolder(inputPath, []);
    } else {
      await run.settle(inputName, { path: inputPath }, -1, true);
    }
  } catch (error) {
    await rm(workArea, { recursive: true, force: true });
    throw error;
  }
  return run.result();
}

/** What intake does with an archive entry, decided from its listing before anything is inflated. */
type EntryPlan =
  | 'directory'
  | 'traversal'
  | 'junk'
  | 'symlink'
  | 'encrypted'
  | 'unsupported'
  | 'too-large'
  | 'bomb'
  | 'copy';

interface PlannedEntry {
  entry: ArchiveEntry;
  plan: EntryPlan;
}

type ArchiveFormat = 'zip' | SevenZipFormat;

/** Which reader opens a file, if any: by its bytes, or by a .zip name when the bytes say nothing. */
function archiveFormat(kind: FileKind, userPath: string): ArchiveFormat | undefined {
  if (kind === 'zip' || kind === 'rar' || kind === '7z') return kind;
  if (kind === 'unknown' && extname(userPath).toLowerCase() === '.zip') return 'zip';
  return undefined;
}

/** Where a file's bytes are: still at the source (folder input), or already copied into the work area. */
interface Located {
  path: string;
  copied?: CopiedBytes;
}

class IntakeRun {
  private readonly files: DossierFile[] = [];
  private readonly skipped: string[] = [];
  private readonly findings: FileFinding[] = [];
  private readonly unreadableEntries: UnreadableEntry[] = [];
  private readonly listedPaths = new Set<string>();
  private entriesSeen = 0;
  private totalBytes = 0;
  private localFileCount = 0;
  /** Set once a global limit is hit: nothing further is unpacked. */
  private stopped = false;

  constructor(
    private readonly limits: IntakeLimits,
    private readonly workArea: string,
    private readonly inputPath: string,
    private readonly inputName: string,
    private readonly onEntry: ((path: string) => void) | undefined,
  ) {}

  result(): IntakeResult {
    return {
      files: this.files,
      skipped: this.skipped,
      findings: this.findings,
      unreadableEntries: this.unreadableEntries,
      workArea: this.workArea,
    };
  }

  async walkFolder(folderPath: string, parentSegments: string[]): Promise<void> {
    const dirents = (await readdir(folderPath, { withFileTypes: true })).sort(byName);
    for (const dirent of dirents) {
      if (this.stopped) return;
      const segments = [...parentSegments, dirent.name.normalize('NFC')];
      const userPath = segments.join('/');
      const sourcePath = join(folderPath, dirent.name);
      // A link in an uploaded folder could point anywhere on this machine; it is never followed.
      if (dirent.isSymbolicLink()) {
        this.onEntry?.(userPath);
        this.findings.push(intakeFinding('INTAKE_SYMLINK', userPath));
      } else if (dirent.isDirectory()) {
        if (isJunkFolder(dirent.name)) await this.skipFolder(sourcePath, segments);
        else await this.walkFolder(sourcePath, segments);
      } else if (dirent.isFile()) {
        if (!this.admitEntry(this.inputName)) return;
        this.onEntry?.(userPath);
        if (isJunkEntry(segments)) this.skipped.push(userPath);
        else await this.settle(userPath, { path: sourcePath }, -1, false);
      }
    }
  }

  /**
   * Decides what a file is and what becomes of it: archives are opened (their entries listed instead of them),
   * everything else is listed as a dossier file. `containerDepth` is the archive depth of whatever holds the file:
   * -1 for the input itself or a folder, 0 for the top archive, and so on.
   */
  async settle(userPath: string, located: Located, containerDepth: number, topLevel: boolean): Promise<void> {
    const kind: FileKind =
      located.copied?.size === 0 ? 'unknown' : await sniffKindOfFile(located.path, basename(userPath));
    const format = archiveFormat(kind, userPath);
    if (format === undefined) {
      await this.list(userPath, located, kind);
      return;
    }
    const listedKind: FileKind = format;

    const archiveDepth = containerDepth + 1;
    if (archiveDepth > this.limits.maxDepth) {
      this.findings.push(intakeFinding('INTAKE_DEPTH_LIMIT', userPath, this.limits.maxDepth));
      await this.list(userPath, located, listedKind);
      return;
    }
    const prefix = topLevel ? '' : `${userPath}/`;
    const outcome = await this.unpackArchive(format, located.path, userPath, prefix, archiveDepth, topLevel);
    if (outcome === 'unopenable') {
      this.findings.push(intakeFinding('INTAKE_CORRUPT_ARCHIVE', userPath));
      await this.list(userPath, located, listedKind);
      return;
    }
    // A refused nested archive is a file of the dossier that cannot be read; the input itself is not a file of it.
    if (outcome === 'refused' && !topLevel) this.unreadableEntries.push({ path: userPath, reason: 'refused' });
    if (outcome === 'encrypted' && !topLevel) this.unreadableEntries.push({ path: userPath, reason: 'encrypted' });
    // Unpacked, its entries are the dossier's files now; refused, it is reported. Either way its copy only costs disk.
    if (located.copied) await rm(located.path, { force: true });
  }

  /**
   * Lists the archive's entries first and refuses the archive as a whole, before inflating anything, when the
   * listing betrays a bomb or more than the allowance (see archive-survey.ts); then takes its entries in order.
   * The same for every format: only `ArchiveReader` differs. 'unopenable' when the archive could not be opened at
   * all (and is not the top-level input, which throws).
   */
  private async unpackArchive(
    format: ArchiveFormat,
    archivePath: string,
    archiveName: string,
    prefix: string,
    depth: number,
    topLevel: boolean,
  ): Promise<'unpacked' | 'unopenable' | 'refused' | 'encrypted'> {
    const unopenable = (cause: unknown): 'unopenable' => {
      if (topLevel) throw new IntakeError('INTAKE_CORRUPT_ARCHIVE', this.inputPath, { displayName: archiveName, cause });
      return 'unopenable';
    };
    let reader: ArchiveReader;
    try {
      reader = format === 'zip' ? await ZipReader.open(archivePath) : await SevenZipReader.open(archivePath, format);
    } catch (cause) {
      if (isEnvironmentError(cause)) throw cause;
      return unopenable(cause);
    }

    try {
      const allowance = Math.max(this.limits.maxEntries - this.entriesSeen, 0) + 1;
      let listing: ArchiveListing;
      try {
        listing = await reader.list(allowance);
      } catch (cause) {
        if (cause instanceof EncryptedArchive) {
          if (topLevel) {
            throw new IntakeError('INTAKE_ENCRYPTED_ARCHIVE', this.inputPath, { displayName: archiveName, detail: cause.format, cause });
          }
          this.findings.push(intakeFinding('INTAKE_ENCRYPTED_ARCHIVE', archiveName, undefined, cause.format));
          return 'encrypted';
        }
        if (isEnvironmentError(cause)) throw cause;
        return unopenable(cause);
      }
      if (listing.entries.length === 0 && listing.breakCause !== undefined) return unopenable(listing.breakCause);
      const planned = listing.entries.map((entry) => ({ entry, plan: this.planEntry(entry) }));
      if (!this.admitArchive(reader.archiveBytes, planned, archiveName)) return 'refused';
      await this.takeEntries(reader, planned, archiveName, prefix, depth);
      // The directory broke part-way: what came before it is kept, the break is reported.
      if (listing.breakCause !== undefined) this.findings.push(intakeFinding('INTAKE_CORRUPT_ARCHIVE', archiveName));
    } finally {
      await reader.close();
    }
    return 'unpacked';
  }

  /** What becomes of an entry, from its listing alone. */
  private planEntry(entry: ArchiveEntry): EntryPlan {
    const { name } = entry;
    if (name.isDirectory) return 'directory';
    // Names never become file names on disk (the work area uses counters), but an entry that tries to escape
    // says something about the archive, and the user should hear it.
    if (yauzl.validateFileName(name.forValidation) !== null) return 'traversal';
    if (isJunkEntry(name.path.split('/'))) return 'junk';
    if (entry.isSymlink) return 'symlink';
    if (entry.isEncrypted) return 'encrypted';
    if (entry.unsupportedMethod) return 'unsupported';
    // What the header admits to is refused before inflating anything; what it hides is caught while copying.
    if (entry.uncompressedSize > this.limits.maxEntryBytes) return 'too-large';
    if (
      entry.compressed &&
      entry.compressedSize !== undefined &&
      entry.uncompressedSize > COMPRESSION_RATIO_GRACE_BYTES &&
      entry.uncompressedSize > entry.compressedSize * this.limits.maxCompressionRatio
    ) {
      return 'bomb';
    }
    return 'copy';
  }

  /** False (with a finding) when the listing as a whole betrays a bomb or promises more than is left to write. */
  private admitArchive(archiveBytes: number, planned: readonly PlannedEntry[], archiveName: string): boolean {
    const bytesLeft = this.limits.maxTotalBytes - this.totalBytes;
    const verdict = surveyArchive(
      planned.map(({ entry, plan }) => ({
        localHeaderOffset: entry.span?.localHeaderOffset,
        nameLength: entry.span?.nameLength ?? 0,
        compressedSize: entry.compressedSize ?? 0,
        uncompressedSize: entry.uncompressedSize,
        counted: plan === 'copy',
      })),
      {
        archiveBytes,
        bytesLeft,
        maxRatio: this.limits.maxCompressionRatio,
        graceBytes: COMPRESSION_RATIO_GRACE_BYTES,
      },
    );
    if (verdict.verdict === 'ok') return true;
    if (verdict.verdict === 'too-large') {
      this.findings.push(
        intakeFinding('INTAKE_ARCHIVE_TOO_LARGE', archiveName, bytesLeft, formatBytes(verdict.declaredBytes)),
      );
    } else {
      this.findings.push(intakeFinding('INTAKE_ZIP_BOMB', archiveName, undefined, bombDetail(verdict, archiveBytes, this.limits)));
    }
    return false;
  }

  /** Entries in archive order: the refused ones reported, the rest written by the reader and then settled. */
  private async takeEntries(
    reader: ArchiveReader,
    planned: readonly PlannedEntry[],
    archiveName: string,
    prefix: string,
    depth: number,
  ): Promise<void> {
    const toCopy = planned.filter(({ plan }) => plan === 'copy').map(({ entry }) => entry);
    const written = reader.extract({
      entries: toCopy,
      destination: () => this.nextLocalPath(),
      budget: (entry) => ({
        ...this.budget(),
        ratio:
          entry.compressed && entry.compressedSize !== undefined
            ? {
                compressedBytes: entry.compressedSize,
                maxRatio: this.limits.maxCompressionRatio,
                graceBytes: COMPRESSION_RATIO_GRACE_BYTES,
              }
            : undefined,
      }),
    });
    try {
      for (const { entry, plan } of planned) {
        if (!this.admitEntry(archiveName)) break;
        const userPath = this.reportEntry(entry, plan, prefix);
        if (userPath === undefined) continue;
        if (this.totalBytes + entry.uncompressedSize > this.limits.maxTotalBytes) {
          this.stopForTotalSize(userPath);
          return;
        }
        const next = await written.next();
        if (next.done) return;
        await this.takeWritten(userPath, entry, next.value.localPath, next.value.outcome, depth);
        if (this.stopped) return;
      }
    } finally {
      await written.return(undefined);
    }
  }

  /** Reports an entry that is not copied and returns undefined; returns the user path of one to copy. */
  private reportEntry(entry: ArchiveEntry, plan: EntryPlan, prefix: string): string | undefined {
    const { name } = entry;
    if (plan === 'directory') return undefined;
    if (plan === 'traversal') {
      this.onEntry?.(prefix + name.asWritten);
      this.findings.push(intakeFinding('INTAKE_PATH_TRAVERSAL', prefix + name.asWritten));
      return undefined;
    }
    const userPath = prefix + name.path;
    this.onEntry?.(userPath);
    if (plan === 'junk') {
      this.skipped.push(userPath);
      return undefined;
    }
    if (name.undecodable) this.findings.push(intakeFinding('INTAKE_UNDECODABLE_NAME', userPath));
    switch (plan) {
      case 'symlink':
        this.findings.push(intakeFinding('INTAKE_SYMLINK', userPath));
        return undefined;
      case 'encrypted':
        this.refuse(userPath, 'INTAKE_ENCRYPTED_ENTRY', 'encrypted');
        return undefined;
      case 'unsupported':
        this.refuse(userPath, 'INTAKE_UNSUPPORTED_COMPRESSION', 'unsupported');
        return undefined;
      case 'too-large':
        this.refuse(userPath, 'INTAKE_ENTRY_TOO_LARGE', 'refused', this.limits.maxEntryBytes);
        return undefined;
      case 'bomb':
        this.refuse(userPath, 'INTAKE_ZIP_BOMB', 'refused');
        return undefined;
      case 'copy':
        return userPath;
    }
  }

  private async takeWritten(
    userPath: string,
    entry: ArchiveEntry,
    localPath: string,
    outcome: ExtractOutcome,
    depth: number,
  ): Promise<void> {
    if (outcome.kind === 'overrun') {
      this.reportOverrun(userPath, outcome.exceeded);
      return;
    }
    if (outcome.kind === 'failed') {
      if (isEnvironmentError(outcome.cause)) throw outcome.cause;
      this.refuse(userPath, 'INTAKE_CORRUPT_ENTRY', 'corrupt');
      return;
    }
    const { copied } = outcome;
    if (copied.size !== entry.uncompressedSize || (entry.crc32 !== undefined && copied.crc32 !== entry.crc32)) {
      await rm(localPath, { force: true });
      this.refuse(userPath, 'INTAKE_CORRUPT_ENTRY', 'corrupt');
      return;
    }
    this.totalBytes += copied.size;
    await this.settle(userPath, { path: localPath, copied }, depth, false);
  }

  /** Copies a file from the source into the work area if it is not there yet, then lists it. */
  private async list(userPath: string, located: Located, kind: FileKind): Promise<void> {
    let copied = located.copied;
    let localPath = located.path;
    if (copied === undefined) {
      localPath = this.nextLocalPath();
      try {
        copied = await copyMetered(createReadStream(located.path), localPath, this.budget());
      } catch (error) {
        if (error instanceof BudgetExceeded) {
          this.reportOverrun(userPath, error);
          return;
        }
        throw error;
      }
      this.totalBytes += copied.size;
    }
    if (this.listedPaths.has(userPath)) this.findings.push(intakeFinding('INTAKE_DUPLICATE_PATH', userPath));
    this.listedPaths.add(userPath);
    this.files.push({ path: userPath, sha256: copied.sha256, size: copied.size, kind, localPath });
  }

  private async skipFolder(folderPath: string, segments: string[]): Promise<void> {
    const dirents = (await readdir(folderPath, { withFileTypes: true })).sort(byName);
    for (const dirent of dirents) {
      const inner = [...segments, dirent.name.normalize('NFC')];
      if (dirent.isDirectory()) await this.skipFolder(join(folderPath, dirent.name), inner);
      else this.skipped.push(inner.join('/'));
    }
  }

  private admitEntry(containerName: string): boolean {
    if (this.stopped) return false;
    this.entriesSeen++;
    if (this.entriesSeen <= this.limits.maxEntries) return true;
    this.findings.push(intakeFinding('INTAKE_TOO_MANY_ENTRIES', containerName, this.limits.maxEntries));
    this.stopped = true;
    return false;
  }

  private budget(): CopyBudget {
    return {
      maxEntryBytes: this.limits.maxEntryBytes,
      totalBytesLeft: this.limits.maxTotalBytes - this.totalBytes,
    };
  }

  private reportOverrun(userPath: string, exceeded: BudgetExceeded): void {
    if (exceeded.overrun === 'total-size') this.stopForTotalSize(userPath);
    else if (exceeded.overrun === 'entry-size') {
      this.refuse(userPath, 'INTAKE_ENTRY_TOO_LARGE', 'refused', this.limits.maxEntryBytes);
    } else this.refuse(userPath, 'INTAKE_ZIP_BOMB', 'refused');
  }

  private stopForTotalSize(userPath: string): void {
    this.findings.push(intakeFinding('INTAKE_TOO_LARGE', userPath, this.limits.maxTotalBytes));
    this.stopped = true;
  }

  private refuse(
    userPath: string,
    code: 'INTAKE_ENCRYPTED_ENTRY' | 'INTAKE_CORRUPT_ENTRY' | 'INTAKE_UNSUPPORTED_COMPRESSION' | 'INTAKE_ZIP_BOMB' | 'INTAKE_ENTRY_TOO_LARGE',
    reason: UnreadableEntry['reason'],
    limit?: number,
  ): void {
    this.findings.push(intakeFinding(code, userPath, limit));
    this.unreadableEntries.push({ path: userPath, reason });
  }

  /** Work-area files are named by a counter, never by anything taken from the archive. */
  private nextLocalPath(): string {
    this.localFileCount++;
    return join(this.workArea, String(this.localFileCount).padStart(6, '0'));
  }
}

function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Failures of this machine (disk full, permissions) rather than of the archive's bytes. */
function isEnvironmentError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && ['ENOSPC', 'EACCES', 'EPERM', 'EMFILE', 'ENFILE', 'EROFS', 'EDQUOT'].includes(code);
}

/** Why the directory looks like a bomb, in a few Chinese words for the finding. */
function bombDetail(
  verdict: Extract<ArchiveVerdict, { verdict: 'overlap' | 'ratio' }>,
  archiveBytes: number,
  limits: IntakeLimits,
): string {
  const declared = `按目录声明解压后共 ${formatBytes(verdict.declaredBytes)}`;
  if (verdict.verdict === 'overlap') {
    return `${verdict.overlappingEntries} 个条目的数据位置与其他条目重叠，同一段数据被反复计入；${declared}`;
  }
  return `${formatBytes(archiveBytes)} 的压缩包${declared}，是其 ${Math.round(verdict.ratio)} 倍，超过 ${limits.maxCompressionRatio} 倍的上限`;
}
