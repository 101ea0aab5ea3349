import { createHash, type Hash } from 'node:crypto';
import { open, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname } from 'node:path';
import { crc32 } from 'node:zlib';
import sevenZipPackage, { type SevenZipModule, type SevenZipModuleFactory, type SevenZipModuleOptions } from '7z-wasm';
import type {
  ArchiveEntry,
  ArchiveListing,
  ArchiveReader,
  ExtractOutcome,
  ExtractRequest,
} from './archive-reader.ts';
import { EncryptedArchive, UnopenableArchive } from './archive-reader.ts';
import { decodeEntryName } from './entry-names.ts';
import { BudgetExceeded, type BudgetOverrun, type CopyBudget } from './metered-copy.ts';
import { readRarHeaders, type RarHeaderSummary } from './rar-headers.ts';

/*
 * RAR4, RAR5 and 7z are read with 7z-wasm (7-Zip 24.09 compiled to WASM: no system binary, the RAR and 7z decoders of
 * 7-Zip itself). Why: one reader for all three kinds with one set of file-system hooks, at the speed and memory of
 * node-unrar-js on RAR (192 MiB RAR5, loaded machine: 106 MB/s, 122 MB peak vs 122 MB/s, 81 MB peak), which reads RAR
 * only and hides attributes and host OS (so symlinks); libarchive.js was ruled out because it extracts into memory.
 * 200 MB 7z (LZMA2): 16 MB/s, 129 MB peak. `npx tsx bench/archive.ts formats` measures again.
 *
 * 7-Zip runs inside the WASM sandbox with three mounts: the archive's folder (read), an in-memory staging folder it
 * extracts "to", and the work area. Every file it opens under the staging folder is redirected to a work-area path
 * that intake chose (or to /dev/null for entries intake did not ask for), and every write passes a meter that
 * enforces the byte budget on the bytes actually produced. Symbolic links cannot be created at all, so nothing the
 * archive says can point 7-Zip anywhere else. A password is always given (a wrong one), so 7-Zip never prompts.
 */

const require = createRequire(import.meta.url);
/** Any password: with one given, 7-Zip reports an encrypted entry or header as a wrong password instead of asking. */
const NO_PASSWORD = '-pintake-has-no-password';
const STAGING = '/out';
const O_CREAT = 64;
const O_EXCL = 128;
const O_TRUNC = 512;
const EPERM = 63;

// The package is CommonJS whose module.exports is the factory; under Node's ESM interop that is the default import,
// which its typings (written for bundlers) do not say.
const SevenZip = sevenZipPackage as unknown as SevenZipModuleFactory;

let compiled: Promise<WebAssembly.Module> | undefined;

/** The WASM is compiled once per process; each archive gets a fresh instance (7-Zip keeps global state). */
function compiledSevenZip(): Promise<WebAssembly.Module> {
  compiled ??= readFile(require.resolve('7z-wasm/7zz.wasm')).then((bytes) => WebAssembly.compile(bytes));
  return compiled;
}

interface SevenZipRun {
  module: SevenZipModule;
  /** Lines 7-Zip printed to stdout and stderr during the last call. */
  output: string[];
  errors: string[];
  /** Raw bytes written to stdout and stderr during the current call. */
  stdout: ByteCollector;
  stderr: ByteCollector;
}

/** Output arrives in many small writes (a line, often a character): copied into one growing buffer. */
class ByteCollector {
  private bytes = Buffer.allocUnsafe(64 * 1024);
  private length = 0;

  add(source: Int8Array, offset: number, length: number): void {
    if (this.length + length > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + length));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    this.bytes.set(new Uint8Array(source.buffer, source.byteOffset + offset, length), this.length);
    this.length += length;
  }

  take(): string {
    const text = this.bytes.toString('utf8', 0, this.length);
    this.length = 0;
    return text;
  }
}

async function startSevenZip(): Promise<SevenZipRun> {
  const options = {
    print: () => undefined,
    printErr: () => undefined,
    // End of input: should anything ever ask, it gets no answer rather than waiting for one.
    stdin: () => null,
    instantiateWasm: (
      imports: WebAssembly.Imports,
      receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
    ) => {
      void compiledSevenZip()
        .then(async (module) => receive(await WebAssembly.instantiate(module, imports), module))
        .catch(() => undefined);
      return {};
    },
  } as unknown as Partial<SevenZipModuleOptions>;
  const module = await SevenZip(options);
  const run: SevenZipRun = { module, output: [], errors: [], stdout: new ByteCollector(), stderr: new ByteCollector() };
  // The terminal emulation handles output a byte at a time (4 s for the listing of 100,000 entries); the bytes are
  // taken in bulk at the write call instead.
  const fs = module.FS as unknown as HookableFs;
  const { write } = fs;
  fs.write = (stream, buffer, offset, length, position, canOwn) => {
    const fd = (stream as { fd?: number }).fd;
    if (fd !== 1 && fd !== 2) return write(stream, buffer, offset, length, position, canOwn);
    (fd === 1 ? run.stdout : run.stderr).add(buffer, offset, length);
    return length;
  };
  return run;
}

/** The emscripten FS calls this module replaces; typed loosely because 7z-wasm's typings leave them out. */
interface HookableFs {
  open(path: string, flags: number, mode?: number): EmscriptenStream;
  write(stream: EmscriptenStream, buffer: Int8Array, offset: number, length: number, position?: number, canOwn?: boolean): number;
  close(stream: EmscriptenStream): void;
  isClosed(stream: EmscriptenStream): boolean;
  symlink(...args: unknown[]): unknown;
  utime(path: string, ...args: unknown[]): unknown;
  chmod(path: string, ...args: unknown[]): unknown;
  mkdir(path: string, mode?: number): unknown;
  mount(type: unknown, options: unknown, mountpoint: string): unknown;
  ErrnoError: new (errno: number) => Error;
}
type EmscriptenStream = object;

export type SevenZipFormat = 'rar' | '7z';

export class SevenZipReader implements ArchiveReader {
  private run: SevenZipRun | undefined;
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

    const run = await this.start();
    const code = this.call(run, ['l', '-slt', this.typeSwitch, '-sccUTF-8', NO_PASSWORD, '-y', this.inputPath()]);
    if (run.errors.some((line) => line.includes('Cannot open encrypted archive'))) {
      throw new EncryptedArchive(rar?.version ?? '7z');
    }
    const blocks = parseTechnicalListing(run.output);
    if (blocks === undefined) throw new UnopenableArchive(new Error(run.errors.join('\n') || `7-Zip exit ${code}`));

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
    const breakCause = code === 2 ? new Error(run.errors.join('\n').trim()) : undefined;
    return breakCause === undefined ? { entries } : { entries, breakCause };
  }

  async *extract(request: ExtractRequest): AsyncGenerator<{ entry: ArchiveEntry; localPath: string; outcome: ExtractOutcome }> {
    if (request.entries.length === 0) return;
    const sinks = this.extractAll(request);
    let yielded = 0;
    try {
      for (const entry of request.entries) {
        const sink = sinks.get(entry);
        if (sink === undefined) {
          yielded++;
          yield { entry, localPath: '', outcome: { kind: 'failed', cause: new Error('7-Zip produced no bytes for this entry') } };
          continue;
        }
        const outcome: ExtractOutcome = sink.overrun
          ? { kind: 'overrun', exceeded: new BudgetExceeded(sink.overrun) }
          : { kind: 'copied', copied: { sha256: sink.hash.digest('hex'), size: sink.bytes, crc32: sink.crc } };
        if (outcome.kind === 'overrun') await rm(sink.hostPath, { force: true });
        yielded++;
        yield { entry, localPath: sink.hostPath, outcome };
      }
    } finally {
      // Stopped early (a global limit): what was written for the entries not taken goes.
      for (const entry of request.entries.slice(yielded)) {
        const sink = sinks.get(entry);
        if (sink) await rm(sink.hostPath, { force: true });
      }
    }
  }

  async close(): Promise<void> {
    this.run = undefined;
  }

  private async start(): Promise<SevenZipRun> {
    if (this.run) return this.run;
    const run = await startSevenZip();
    const fs = run.module.FS as unknown as HookableFs;
    fs.mkdir('/in');
    fs.mount(run.module.NODEFS, { root: dirname(this.archivePath) }, '/in');
    // Nothing in an archive may become a link, inside the sandbox or out of it.
    fs.symlink = () => {
      throw new fs.ErrnoError(EPERM);
    };
    this.run = run;
    return run;
  }

  private inputPath(): string {
    return `/in/${basename(this.archivePath)}`;
  }

  private call(run: SevenZipRun, args: string[]): number {
    run.stdout.take();
    run.stderr.take();
    let code: number;
    let thrown: unknown;
    // Emscripten's exit sets process.exitCode to 7-Zip's; the CLI's exit code (1 = 材料不齐全) must stay its own.
    const exitCodeBefore = process.exitCode;
    try {
      code = (run.module.callMain(args) as unknown as number | undefined) ?? 0;
    } catch (error) {
      // An abort leaves the instance unusable; a new one is started for any further call.
      thrown = error;
      this.run = undefined;
      code = 2;
    } finally {
      process.exitCode = exitCodeBefore;
    }
    run.output = run.stdout.take().split(/\r?\n/);
    run.errors = run.stderr.take().split(/\r?\n/);
    if (thrown !== undefined) run.errors.push(String(thrown));
    return code;
  }

  /** One 7-Zip pass over the archive: solid blocks are decoded once, each wanted entry lands in its own file. */
  private extractAll(request: ExtractRequest): Map<ArchiveEntry, Sink> {
    const sinks = new Map<ArchiveEntry, Sink>();
    const run = this.run;
    if (run === undefined) return sinks;
    const fs = run.module.FS as unknown as HookableFs;
    // Which entry 7-Zip is writing is told by the path it opens: the listed path under the staging folder. A RAR4
    // name in legacy bytes reaches the listing and the open call as two different strings, so those entries are
    // matched by order instead (7-Zip writes in archive order); a wrong match would still fail the CRC check.
    const wanted = new Set(request.entries);
    const byPath = new Map<string, ArchiveEntry[]>();
    const byOrder: ArchiveEntry[] = [];
    for (const entry of this.listed) {
      if (entry.name.isDirectory) continue;
      if (this.legacyNamed.has(entry)) {
        byOrder.push(entry);
        continue;
      }
      const staged = `${STAGING}/${this.listedPaths.get(entry) ?? ''}`;
      byPath.set(staged, [...(byPath.get(staged) ?? []), entry]);
    }
    const pass = { bytes: 0, totalBytesLeft: Number.POSITIVE_INFINITY };
    const mounts = new Map<string, string>();
    const byStream = new Map<EmscriptenStream, Sink>();
    const { open, write, close, utime, chmod, mkdir } = fs;
    const closed = new Set<EmscriptenStream>();
    let wantedLeft = wanted.size;

    const mountFor = (hostPath: string): string => {
      const folder = dirname(hostPath);
      let mountpoint = mounts.get(folder);
      if (mountpoint === undefined) {
        mountpoint = `/work${mounts.size}`;
        mkdir(mountpoint);
        fs.mount(run.module.NODEFS, { root: folder }, mountpoint);
        mounts.set(folder, mountpoint);
      }
      return `${mountpoint}/${basename(hostPath)}`;
    };

    fs.mkdir(STAGING);
    fs.open = (path, flags, mode) => {
      if (typeof path !== 'string' || !path.startsWith(`${STAGING}/`) || (flags & 3) === 0) return open(path, flags, mode);
      // Every wanted entry written and closed: the rest of the archive (say 90,000 entries past the entry limit)
      // is not decoded at all. Throwing out of the file system ends 7-Zip's run.
      if (wantedLeft === 0 && closed.size === byStream.size) throw new PassComplete();
      const entry = byPath.get(path)?.shift() ?? (/^[\x20-\x7e]*$/.test(path) ? undefined : byOrder.shift());
      if (entry === undefined || !wanted.has(entry) || sinks.has(entry)) {
        return open('/dev/null', flags & ~(O_CREAT | O_EXCL | O_TRUNC), mode);
      }
      const hostPath = request.destination(entry);
      const stream = open(mountFor(hostPath), flags | O_CREAT | O_EXCL, 0o600);
      const budget = request.budget(entry);
      // Nothing else writes during the pass, so the first entry's view of the total holds for all of them.
      if (pass.totalBytesLeft === Number.POSITIVE_INFINITY) pass.totalBytesLeft = budget.totalBytesLeft;
      const sink = new Sink(hostPath, budget, pass);
      wantedLeft--;
      sinks.set(entry, sink);
      byStream.set(stream, sink);
      return stream;
    };
    fs.write = (stream, buffer, offset, length, position, canOwn) => {
      const sink = byStream.get(stream);
      if (sink === undefined) return write(stream, buffer, offset, length, position, canOwn);
      const chunk = new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length);
      if (!sink.take(chunk)) return length; // over budget: counted, then dropped
      return write(stream, buffer, offset, length, position, canOwn);
    };
    fs.close = (stream) => {
      if (byStream.has(stream)) closed.add(stream);
      close(stream);
    };
    // Times and modes are set on the staging path, which never holds the file: nothing to do there.
    fs.utime = (path, ...args) => (path.startsWith(`${STAGING}/`) ? 0 : utime(path, ...args));
    fs.chmod = (path, ...args) => (typeof path === 'string' && path.startsWith(`${STAGING}/`) ? 0 : chmod(path, ...args));
    // Directories exist only in the in-memory staging folder (and the mounts above).
    fs.mkdir = (path, mode) => {
      if (typeof path === 'string' && (path === STAGING || path.startsWith(`${STAGING}/`))) return mkdir(path, mode);
      throw new fs.ErrnoError(EPERM);
    };

    this.call(run, ['x', this.typeSwitch, '-sccUTF-8', NO_PASSWORD, '-y', '-aoa', '-bd', `-o${STAGING}`, this.inputPath()]);
    for (const stream of byStream.keys()) {
      try {
        if (!fs.isClosed(stream)) fs.close(stream);
      } catch {
        // An instance that aborted may not close cleanly; the host file is complete as far as it got.
      }
    }
    this.run = undefined;
    return sinks;
  }
}

class PassComplete extends Error {}

/** Meters one entry's bytes as 7-Zip writes them (the same rules as copyMetered, on a synchronous path). */
class Sink {
  readonly hash: Hash = createHash('sha256');
  bytes = 0;
  crc = 0;
  overrun: BudgetOverrun | undefined;

  constructor(
    readonly hostPath: string,
    private readonly budget: CopyBudget,
    private readonly pass: { bytes: number; totalBytesLeft: number },
  ) {}

  /** False once the entry is over a limit: its bytes are no longer written. */
  take(chunk: Uint8Array): boolean {
    if (this.overrun) return false;
    this.bytes += chunk.length;
    this.pass.bytes += chunk.length;
    const { ratio, maxEntryBytes } = this.budget;
    if (ratio && this.bytes > ratio.graceBytes && this.bytes > ratio.compressedBytes * ratio.maxRatio) {
      this.overrun = 'compression-ratio';
    } else if (this.bytes > maxEntryBytes) this.overrun = 'entry-size';
    else if (this.pass.bytes > this.pass.totalBytesLeft) this.overrun = 'total-size';
    if (this.overrun) return false;
    this.hash.update(chunk);
    this.crc = crc32(chunk, this.crc);
    return true;
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
