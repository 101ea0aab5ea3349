import { createHash, type Hash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname } from 'node:path';
import { crc32 } from 'node:zlib';
import sevenZipPackage, { type SevenZipModule, type SevenZipModuleFactory, type SevenZipModuleOptions } from '7z-wasm';
import type { BudgetOverrun, CopyBudget } from './metered-copy.ts';

/**
 * Drives 7z-wasm; runs inside the worker thread of seven-zip-worker.mjs, so that 7-Zip's synchronous work never
 * blocks the caller's event loop and a run that stops making progress can be ended from outside (see seven-zip.ts).
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
/** Progress is reported at most this often (it resets the caller's stall timer). */
const PROGRESS_EVERY_MS = 1_000;

// The package is CommonJS whose module.exports is the factory; under Node's ESM interop that is the default import,
// which its typings (written for bundlers) do not say.
const SevenZip = sevenZipPackage as unknown as SevenZipModuleFactory;

let compiled: Promise<WebAssembly.Module> | undefined;

/** The WASM is compiled once per thread; each call gets a fresh instance (7-Zip keeps global state). */
function compiledSevenZip(): Promise<WebAssembly.Module> {
  compiled ??= readFile(require.resolve('7z-wasm/7zz.wasm')).then((bytes) => WebAssembly.compile(bytes));
  return compiled;
}

export interface ListRequest {
  kind: 'list';
  archivePath: string;
  typeSwitch: string;
}

export interface ListReply {
  code: number;
  output: string[];
  errors: string[];
}

export interface ExtractPlan {
  kind: 'extract';
  archivePath: string;
  typeSwitch: string;
  /** Non-directory entries by the path 7-Zip lists for them (index into the listing). */
  byPath: [string, number][];
  /** Entries whose listed path cannot be trusted to equal the path 7-Zip opens (RAR4 legacy names): by order. */
  byOrder: number[];
  /** Entries to write: where, and under which budget. */
  wanted: { index: number; hostPath: string; budget: CopyBudget }[];
  /** What is left of the whole intake's allowance when the pass starts. */
  totalBytesLeft: number;
}

export interface WrittenEntry {
  index: number;
  hostPath: string;
  sha256: string;
  size: number;
  crc32: number;
  overrun?: BudgetOverrun;
}

export type EngineRequest = ListRequest | ExtractPlan;

/** The emscripten FS calls this module replaces; typed loosely because 7z-wasm's typings leave them out. */
interface HookableFs {
  open(path: string, flags: number, mode?: number): EmscriptenStream;
  write(stream: EmscriptenStream, buffer: Int8Array, offset: number, length: number, position?: number, canOwn?: boolean): number;
  read(stream: EmscriptenStream, buffer: Int8Array, offset: number, length: number, position?: number): number;
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

  text(): string {
    return this.bytes.toString('utf8', 0, this.length);
  }
}

interface Instance {
  module: SevenZipModule;
  fs: HookableFs;
  stdout: ByteCollector;
  stderr: ByteCollector;
}

async function startSevenZip(archivePath: string, onProgress: () => void): Promise<Instance> {
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
  const fs = module.FS as unknown as HookableFs;
  const instance: Instance = { module, fs, stdout: new ByteCollector(), stderr: new ByteCollector() };
  // The terminal emulation handles output a byte at a time (4 s for the listing of 100,000 entries); the bytes are
  // taken in bulk at the write call instead.
  const { write, read } = fs;
  fs.write = (stream, buffer, offset, length, position, canOwn) => {
    const fd = (stream as { fd?: number }).fd;
    if (fd !== 1 && fd !== 2) return write(stream, buffer, offset, length, position, canOwn);
    (fd === 1 ? instance.stdout : instance.stderr).add(buffer, offset, length);
    return length;
  };
  let lastProgress = Date.now();
  fs.read = (stream, buffer, offset, length, position) => {
    const now = Date.now();
    if (now - lastProgress > PROGRESS_EVERY_MS) {
      lastProgress = now;
      onProgress();
    }
    return read(stream, buffer, offset, length, position);
  };
  fs.mkdir('/in');
  fs.mount(module.NODEFS, { root: dirname(archivePath) }, '/in');
  // Nothing in an archive may become a link, inside the sandbox or out of it.
  fs.symlink = () => {
    throw new fs.ErrnoError(EPERM);
  };
  return instance;
}

function call(instance: Instance, args: string[]): ListReply {
  let code: number;
  const errors: string[] = [];
  // Emscripten's exit sets process.exitCode to 7-Zip's; the caller's exit code must stay its own.
  const exitCodeBefore = process.exitCode;
  try {
    code = (instance.module.callMain(args) as unknown as number | undefined) ?? 0;
  } catch (error) {
    if (!(error instanceof PassComplete)) errors.push(String(error));
    code = error instanceof PassComplete ? 0 : 2;
  } finally {
    process.exitCode = exitCodeBefore;
  }
  return {
    code,
    output: instance.stdout.text().split(/\r?\n/),
    errors: [...instance.stderr.text().split(/\r?\n/), ...errors],
  };
}

export async function listArchive(request: ListRequest, onProgress: () => void): Promise<ListReply> {
  const instance = await startSevenZip(request.archivePath, onProgress);
  return call(instance, ['l', '-slt', request.typeSwitch, '-sccUTF-8', NO_PASSWORD, '-y', `/in/${basename(request.archivePath)}`]);
}

class PassComplete extends Error {}

/** One 7-Zip pass over the archive: solid blocks are decoded once, each wanted entry lands in its own file. */
export async function extractArchive(plan: ExtractPlan, onProgress: () => void): Promise<WrittenEntry[]> {
  const instance = await startSevenZip(plan.archivePath, onProgress);
  const { fs, module } = instance;
  const wanted = new Map(plan.wanted.map((item) => [item.index, item]));
  const byPath = new Map<string, number[]>();
  for (const [path, index] of plan.byPath) {
    const staged = `${STAGING}/${path}`;
    byPath.set(staged, [...(byPath.get(staged) ?? []), index]);
  }
  const byOrder = [...plan.byOrder];
  const pass = { bytes: 0, totalBytesLeft: plan.totalBytesLeft, lastProgress: Date.now(), onProgress };
  const sinks = new Map<number, Sink>();
  const mounts = new Map<string, string>();
  const byStream = new Map<EmscriptenStream, Sink>();
  const closed = new Set<EmscriptenStream>();
  const { open, write, close, utime, chmod, mkdir } = fs;

  const mountFor = (hostPath: string): string => {
    const folder = dirname(hostPath);
    let mountpoint = mounts.get(folder);
    if (mountpoint === undefined) {
      mountpoint = `/work${mounts.size}`;
      mkdir(mountpoint);
      fs.mount(module.NODEFS, { root: folder }, mountpoint);
      mounts.set(folder, mountpoint);
    }
    return `${mountpoint}/${basename(hostPath)}`;
  };

  fs.mkdir(STAGING);
  fs.open = (path, flags, mode) => {
    if (typeof path !== 'string' || !path.startsWith(`${STAGING}/`) || (flags & 3) === 0) return open(path, flags, mode);
    // Every wanted entry written and closed: the rest of the archive (say 90,000 entries past the entry limit)
    // is not decoded at all. Throwing out of the file system ends 7-Zip's run.
    if (sinks.size === wanted.size && closed.size === byStream.size) throw new PassComplete();
    // Which entry 7-Zip is writing is told by the path it opens; names in legacy bytes go by order (a wrong match
    // would still fail the CRC check).
    const index = byPath.get(path)?.shift() ?? (/^[\x20-\x7e]*$/.test(path) ? undefined : byOrder.shift());
    const item = index === undefined ? undefined : wanted.get(index);
    if (item === undefined || sinks.has(item.index)) return open('/dev/null', flags & ~(O_CREAT | O_EXCL | O_TRUNC), mode);
    const stream = open(mountFor(item.hostPath), flags | O_CREAT | O_EXCL, 0o600);
    const sink = new Sink(item.index, item.hostPath, item.budget, pass);
    sinks.set(item.index, sink);
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

  call(instance, ['x', plan.typeSwitch, '-sccUTF-8', NO_PASSWORD, '-y', '-aoa', '-bd', `-o${STAGING}`, `/in/${basename(plan.archivePath)}`]);
  for (const stream of byStream.keys()) {
    try {
      if (!fs.isClosed(stream)) close(stream);
    } catch {
      // An instance that aborted may not close cleanly; the host file is complete as far as it got.
    }
  }
  return [...sinks.values()].map((sink) => sink.report());
}

/** Meters one entry's bytes as 7-Zip writes them (the same rules as copyMetered, on a synchronous path). */
class Sink {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  private crc = 0;
  private overrun: BudgetOverrun | undefined;

  constructor(
    private readonly index: number,
    private readonly hostPath: string,
    private readonly budget: CopyBudget,
    private readonly pass: { bytes: number; totalBytesLeft: number; lastProgress: number; onProgress: () => void },
  ) {}

  /** False once the entry is over a limit: its bytes are no longer written. */
  take(chunk: Uint8Array): boolean {
    if (this.overrun) return false;
    this.bytes += chunk.length;
    this.pass.bytes += chunk.length;
    const now = Date.now();
    if (now - this.pass.lastProgress > PROGRESS_EVERY_MS) {
      this.pass.lastProgress = now;
      this.pass.onProgress();
    }
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

  report(): WrittenEntry {
    const report: WrittenEntry = {
      index: this.index,
      hostPath: this.hostPath,
      sha256: this.hash.digest('hex'),
      size: this.bytes,
      crc32: this.crc,
    };
    if (this.overrun) report.overrun = this.overrun;
    return report;
  }
}
