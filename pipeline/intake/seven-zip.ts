import { rm, stat, open } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type {
  ArchiveEntry,
  ArchiveListing,
  ArchiveReader,
  ExtractOutcome,
  ExtractRequest,
} from './archive-reader.ts';
import { EncryptedArchive, UnopenableArchive } from './archive-reader.ts';
import { decodeEntryName } from './entry-names.ts';
import { BudgetExceeded } from './metered-copy.ts';
import { readRarHeaders, type RarHeaderSummary } from './rar-headers.ts';
import type { EngineRequest, ExtractPlan, ListReply, WrittenEntry } from './seven-zip-engine.ts';

/*
 * RAR4, RAR5 and 7z are read with 7z-wasm (7-Zip 24.09 compiled to WASM: no system binary, the RAR and 7z decoders of
 * 7-Zip itself). Why: one reader for all three kinds with one set of file-system hooks, at the speed and memory of
 * node-unrar-js on RAR (192 MiB RAR5, loaded machine: 106 MB/s, 122 MB peak vs 122 MB/s, 81 MB peak), which reads RAR
 * only and hides attributes and host OS (so symlinks); libarchive.js was ruled out because it extracts into memory.
 * Through intake, ~200 MB of the same content (bench/archive.ts formats, loaded 2-core machine): zip 75 MB/s,
 * RAR5 (stored) 133 MB/s, 7z (LZMA2) 27 MB/s; peak 131 / 152 / 152 MB; longest event-loop stall 34 / 61 / 102 ms.
 *
 * 7-Zip works synchronously, so it runs in a worker thread (seven-zip-engine.ts): the caller's event loop keeps
 * serving while a large archive is decoded, and a run that stops making progress is ended from here.
 */

/** A 7-Zip run that reads or writes nothing for this long is stopped and its archive treated as unreadable. */
export const SEVEN_ZIP_STALL_MS = 60_000;
const WORKER_ENTRY = new URL('./seven-zip-worker.mjs', import.meta.url);
const MAX_IDLE_WORKERS = 2;

export class SevenZipStalled extends Error {
  constructor() {
    super(`7-Zip made no progress for ${SEVEN_ZIP_STALL_MS / 1000} s`);
  }
}

const idleWorkers: Worker[] = [];
let nextRequestId = 0;

/** Runs one engine request in a worker (reused between requests; idle ones never keep the process alive). */
function runInWorker<T>(request: EngineRequest): Promise<T> {
  const reused = idleWorkers.pop();
  // No inherited flags: the entry registers its own loader, and flags such as --input-type break a file entry.
  const worker = reused ?? new Worker(WORKER_ENTRY, { execArgv: [] });
  worker.ref();
  const id = ++nextRequestId;
  return new Promise<T>((resolve, reject) => {
    const stall = setTimeout(() => {
      finish();
      void worker.terminate();
      reject(new SevenZipStalled());
    }, SEVEN_ZIP_STALL_MS);
    const onMessage = (message: { id?: number; progress?: boolean; ok?: boolean; result?: T; error?: string }) => {
      if (message.id !== id) return;
      if (message.progress) {
        stall.refresh();
        return;
      }
      finish();
      release(worker);
      if (message.ok) resolve(message.result as T);
      else reject(new Error(message.error));
    };
    const onError = (error: unknown) => {
      finish();
      void worker.terminate();
      reject(error);
    };
    const onExit = (code: number) => {
      finish();
      reject(new Error(`7-Zip worker exited with code ${code}`));
    };
    const finish = () => {
      clearTimeout(stall);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ id, request });
  });
}

function release(worker: Worker): void {
  worker.unref();
  if (idleWorkers.length < MAX_IDLE_WORKERS) idleWorkers.push(worker);
  else void worker.terminate();
}

export type SevenZipFormat = 'rar' | '7z';

export class SevenZipReader implements ArchiveReader {
  private readonly listedPaths = new Map<ArchiveEntry, string>();
  private typeSwitch = '-t7z';
  /** Every listed entry, in archive order. */
  private readonly listed: ArchiveEntry[] = [];
  /** RAR4 entries whose name is legacy bytes beyond ASCII: 7-Zip's own reading of them is not a stable string. */
  private readonly legacyNamed = new Set<ArchiveEntry>();

  private constructor(
    private readonly archivePath: string,
    private readonly format: SevenZipFormat,
    readonly archiveBytes: number,
  ) {}

  static async open(archivePath: string, format: SevenZipFormat): Promise<SevenZipReader> {
    const { size } = await stat(archivePath);
    return new SevenZipReader(archivePath, format, size);
  }

  async list(allowance: number): Promise<ArchiveListing> {
    const rar = this.format === 'rar' ? await readRarHeaders(this.archivePath, allowance) : undefined;
    if (this.format === 'rar' && rar === undefined) throw new UnopenableArchive(new Error('no RAR signature'));
    if (rar?.encryptedHeaders) throw new EncryptedArchive(rar.version);
    // 7-Zip aborts (instead of reporting) on a 7z whose header is encrypted, so that case is seen first.
    if (this.format === '7z' && (await sevenZipHeaderEncrypted(this.archivePath))) throw new EncryptedArchive('7z');
    // The type is fixed: left to guess, 7-Zip opens a damaged RAR as some other format and lists that instead.
    this.typeSwitch = rar === undefined ? '-t7z' : rar.version === 'RAR5' ? '-trar5' : '-trar';

    let reply: ListReply;
    try {
      reply = await runInWorker<ListReply>({ kind: 'list', archivePath: this.archivePath, typeSwitch: this.typeSwitch });
    } catch (cause) {
      throw new UnopenableArchive(cause);
    }
    if (reply.errors.some((line) => line.includes('Cannot open encrypted archive'))) {
      throw new EncryptedArchive(rar?.version ?? '7z');
    }
    const blocks = parseTechnicalListing(reply.output);
    if (blocks === undefined) {
      throw new UnopenableArchive(new Error(reply.errors.join('\n').trim() || `7-Zip exit ${reply.code}`));
    }

    const solid7z = this.format === '7z' && blocks.archive.get('Solid') === '+';
    const entries: ArchiveEntry[] = [];
    this.listed.length = 0;
    for (const [index, block] of blocks.entries.slice(0, allowance).entries()) {
      const entry = toArchiveEntry(block, rar, index, solid7z);
      this.listedPaths.set(entry, block.get('Path') ?? '');
      const rar4 = rar?.rar4Entries[index];
      if (rar4 !== undefined && !rar4.hasUnicodeName && rar4.legacyName.some((byte) => byte >= 0x80)) {
        this.legacyNamed.add(entry);
      }
      this.listed.push(entry);
      entries.push(entry);
    }
    // Exit code 2 is a fatal error: the listing stops where the archive broke.
    const breakCause = reply.code === 2 ? new Error(reply.errors.join('\n').trim()) : undefined;
    return breakCause === undefined ? { entries } : { entries, breakCause };
  }

  async *extract(request: ExtractRequest): AsyncGenerator<{ entry: ArchiveEntry; localPath: string; outcome: ExtractOutcome }> {
    if (request.entries.length === 0) return;
    const indexOf = new Map(this.listed.map((entry, index) => [entry, index]));
    // Which entry 7-Zip is writing is told by the path it opens: the listed path under its staging folder. A RAR4
    // name in legacy bytes reaches the listing and the open call as two different strings, so those entries are
    // matched by order instead (7-Zip writes in archive order).
    const plan: ExtractPlan = {
      kind: 'extract',
      archivePath: this.archivePath,
      typeSwitch: this.typeSwitch,
      byPath: [],
      byOrder: [],
      wanted: [],
      totalBytesLeft: 0,
    };
    for (const [index, entry] of this.listed.entries()) {
      if (entry.name.isDirectory) continue;
      if (this.legacyNamed.has(entry)) plan.byOrder.push(index);
      else plan.byPath.push([this.listedPaths.get(entry) ?? '', index]);
    }
    for (const entry of request.entries) {
      const budget = request.budget(entry);
      // Nothing else writes during the pass, so the first entry's view of the total holds for all of them.
      if (plan.wanted.length === 0) plan.totalBytesLeft = budget.totalBytesLeft;
      plan.wanted.push({ index: indexOf.get(entry)!, hostPath: request.destination(entry), budget });
    }

    let written = new Map<number, WrittenEntry>();
    let failure: unknown;
    try {
      written = new Map((await runInWorker<WrittenEntry[]>(plan)).map((item) => [item.index, item]));
    } catch (error) {
      failure = error;
    }
    let yielded = 0;
    try {
      for (const [position, entry] of request.entries.entries()) {
        const { index, hostPath } = plan.wanted[position]!;
        const item = written.get(index);
        let outcome: ExtractOutcome;
        if (item === undefined) {
          await rm(hostPath, { force: true });
          outcome = { kind: 'failed', cause: failure ?? new Error('7-Zip produced no bytes for this entry') };
        } else if (item.overrun) {
          await rm(hostPath, { force: true });
          outcome = { kind: 'overrun', exceeded: new BudgetExceeded(item.overrun) };
        } else {
          outcome = { kind: 'copied', copied: { sha256: item.sha256, size: item.size, crc32: item.crc32 } };
        }
        yielded++;
        yield { entry, localPath: hostPath, outcome };
      }
    } finally {
      // Stopped early (a global limit): what was written for the entries not taken goes.
      for (const { hostPath } of plan.wanted.slice(yielded)) await rm(hostPath, { force: true });
    }
  }

  async close(): Promise<void> {
    this.listed.length = 0;
  }
}

const SEVEN_ZIP_SIGNATURE = Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]);
const SEVEN_ZIP_ENCODED_HEADER = 0x17;
const SEVEN_ZIP_AES = Buffer.from([0x06, 0xf1, 0x07, 0x01]);

/**
 * A 7z's file list is encrypted when its header is an "encoded header" (0x17) whose coders include AES: the encoded
 * header's description is small and plain, only the header it describes is encrypted.
 */
async function sevenZipHeaderEncrypted(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const start = Buffer.alloc(32);
    await handle.read(start, 0, 32, 0);
    if (!start.subarray(0, 6).equals(SEVEN_ZIP_SIGNATURE)) return false;
    const offset = 32 + Number(start.readBigUInt64LE(12));
    const size = Math.min(Number(start.readBigUInt64LE(20)), 4096);
    const header = Buffer.alloc(size);
    await handle.read(header, 0, size, offset);
    return header[0] === SEVEN_ZIP_ENCODED_HEADER && header.includes(SEVEN_ZIP_AES);
  } catch {
    return false;
  } finally {
    await handle.close();
  }
}

type Block = Map<string, string>;

/** `7zz l -slt`: archive properties, a line of ten dashes, then one "Key = Value" block per entry. */
function parseTechnicalListing(lines: readonly string[]): { archive: Block; entries: Block[] } | undefined {
  const divider = lines.indexOf('----------');
  if (divider < 0) return undefined;
  const archive: Block = new Map();
  for (const line of lines.slice(0, divider)) addProperty(archive, line);
  const entries: Block[] = [];
  let current: Block | undefined;
  for (const line of lines.slice(divider + 1)) {
    if (line === '') {
      current = undefined;
      continue;
    }
    if (current === undefined) {
      if (!line.startsWith('Path = ')) continue;
      current = new Map();
      entries.push(current);
    }
    addProperty(current, line);
  }
  return { archive, entries };
}

function addProperty(block: Block, line: string): void {
  const separator = line.indexOf(' = ');
  if (separator > 0) block.set(line.slice(0, separator), line.slice(separator + 3));
  else if (line.endsWith(' =')) block.set(line.slice(0, -2), '');
}

const UTF8_FLAG = 0x800;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const UNIX_HOST = 3;

function toArchiveEntry(block: Block, rar: RarHeaderSummary | undefined, index: number, solid7z: boolean): ArchiveEntry {
  const path = block.get('Path') ?? '';
  const attributes = block.get('Attributes') ?? '';
  // RAR listings say "Folder = +"; 7z listings only set the directory attribute (D, before any Unix mode string).
  const isDirectory = block.get('Folder') === '+' || /^[A-Z]*D/.test(attributes);
  const rar4 = rar?.rar4Entries[index];
  // A RAR4 name without the Unicode flag is decoded like a zip name without the UTF-8 flag: UTF-8 when it is valid
  // UTF-8 (Unix tools), else GB18030 (Chinese Windows); 7-Zip's own reading of those bytes is locale noise.
  const name =
    rar4 !== undefined && !rar4.hasUnicodeName
      ? decodeEntryName(isDirectory ? Buffer.concat([rar4.legacyName, Buffer.from('/')]) : rar4.legacyName, 0)
      : decodeEntryName(Buffer.from(isDirectory ? `${path}/` : path, 'utf8'), UTF8_FLAG);
  const isSymlink =
    ['Symbolic Link', 'Hard Link', 'Copy Link'].some((key) => (block.get(key) ?? '') !== '') ||
    /(^|\s)l[r-][w-][xsS-]/.test(attributes) ||
    (rar4 !== undefined && rar4.hostOs === UNIX_HOST && (rar4.attributes & S_IFMT) === S_IFLNK);
  const method = block.get('Method') ?? '';
  const packed = block.get('Packed Size') ?? '';
  const crcText = block.get('CRC') ?? '';
  return {
    name,
    isSymlink,
    isEncrypted: block.get('Encrypted') === '+',
    unsupportedMethod: false,
    uncompressedSize: Number(block.get('Size') ?? 0) || 0,
    // In a solid 7z block only the first entry shows a packed size, and it is the whole block's.
    compressedSize: solid7z || packed === '' ? undefined : Number(packed),
    // Stored data: "Copy" in 7z, "m0" in RAR4 ("m0:17") and RAR5 ("v6:128K:m0").
    compressed: !/^Copy$|(^|:)m0(:|$)/.test(method),
    crc32: /^[0-9A-F]{8}$/i.test(crcText) ? Number.parseInt(crcText, 16) : undefined,
  };
}
