import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ExtractedDocumentSchema,
  type ExtractedDocument,
  type ExtractionContext,
  type ExtractorInput,
} from '../model.ts';
import { OcrInputError } from '../ocr/preprocess.ts';
import { EXTRACTOR_VERSION, OcrEngineError } from '../registry.ts';
import { isolationLimitsFromEnv, type IsolationLimits } from './limits.ts';
import { asBuffer, type ChildMessage, type ParentMessage } from './protocol.ts';

/**
 * Reads files in child processes, so that no file can stop anything but its own reading (the way Tika Pipes forks
 * its parsers). A file that hangs, spins, exhausts memory or crashes its reader becomes a result with status
 * `unreadable`, a Chinese message and a finding saying which limit it hit; the caller's event loop never parses a
 * document. Children are reused for many files and replaced after a limit, a large footprint or N files, so native
 * memory returns to the operating system. OCR requests come back here, to the caller's one shared pool.
 */

export type FileExtractor = (input: ExtractorInput, ctx: ExtractionContext) => Promise<ExtractedDocument>;

/**
 * A file handed over by where it lies, not by its bytes: the reader process reads it itself, so a large file is held
 * once (by the reader) rather than by both processes and the channel between them.
 */
export interface FileOnDisk {
  path: string;
  kind: ExtractorInput['kind'];
  localPath: string;
}

/** How many reader processes have been started and why they were replaced, for benches and tests. */
export interface ReaderStats {
  started: number;
  /** Replaced after `filesPerProcess` files or above `recycleAboveMb` (not after a limit or a crash). */
  recycled: number;
  filesRead: number;
  /** The most files read at once so far (never above the cap set by {@link IsolatedExtraction.setMaxReaders}). */
  peakBusy: number;
}

/** Finding codes of a file given up because of a limit; see LIMIT_RESULTS. */
export type LimitCode = 'extract-timeout' | 'extract-stalled' | 'extract-stuck' | 'extract-memory' | 'extract-crashed';

const CHILD_ENTRY = fileURLToPath(new URL('./child-entry.mjs', import.meta.url));
/** A busy child's event loop proves it is alive this often (child.ts); see stallTimeoutMs. */
export const HEARTBEAT_MS = 2_000;
const MEMORY_POLL_MS = 250;
const START_TIMEOUT_MS = 120_000;
const STDERR_TAIL = 4_096;
const PAGE_SIZE = 4_096;

/** Limits that may depend on the machine's load rather than on the file: their result is not cached. */
export const TRANSIENT_LIMIT_CODES: ReadonlySet<string> = new Set<LimitCode>(['extract-timeout', 'extract-stalled']);

function seconds(ms: number): number {
  return Math.round(ms / 1000);
}

const LIMIT_RESULTS = {
  'extract-timeout': (l: IsolationLimits) => ({
    finding: '超时',
    message: `读取超时：该文件在 ${seconds(l.fileTimeoutMs)} 秒内未能读完，已跳过（文件可能过大或结构异常）；如确需检查，请拆分后重新提交`,
  }),
  'extract-stalled': (l: IsolationLimits) => ({
    finding: '超时',
    message: `读取超时：解析该文件时 ${seconds(l.stallTimeoutMs)} 秒没有进展，已跳过（文件结构可能异常或已损坏）`,
  }),
  'extract-stuck': () => ({
    finding: '文件结构损坏',
    message: '无法读取：文件结构已损坏，解析无法完成，已跳过；请重新导出或扫描后提交',
  }),
  'extract-memory': (l: IsolationLimits) => ({
    finding: '内存超限',
    message: `内存超限：读取该文件所需内存超过 ${l.maxMemoryMb} MB 的上限，已跳过（文件可能是压缩炸弹或图像尺寸异常）`,
  }),
  'extract-crashed': () => ({
    finding: '读取进程异常退出',
    message: '无法读取：读取该文件的进程异常退出，已跳过；文件可能已损坏',
  }),
} satisfies Record<LimitCode, (limits: IsolationLimits) => { finding: string; message: string }>;

export function limitResult(code: LimitCode, limits: IsolationLimits): ExtractedDocument {
  const { finding, message } = LIMIT_RESULTS[code](limits);
  return {
    status: 'unreadable',
    message,
    pages: [],
    meta: { pageCount: 0, ocrPages: 0 },
    findings: [{ code, severity: 'warning', message: finding }],
    extractorVersion: EXTRACTOR_VERSION,
  };
}

interface Reader {
  child: ChildProcess;
  ready: Promise<void>;
  filesRead: number;
  /** Set when we decide to end it (it may take a moment to exit) or when it has exited. */
  retired: boolean;
  exited: boolean;
  stderrTail: string;
}

/** Resident memory of a process in MB, or undefined where /proc is not available. */
function residentMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, 'latin1').split(' ')[1]);
    return Number.isFinite(pages) ? (pages * PAGE_SIZE) / 1_048_576 : undefined;
  } catch {
    return undefined;
  }
}

function holdsParentAlive(reader: Reader, hold: boolean): void {
  const handles = [reader.child, reader.child.channel, reader.child.stderr] as ({ ref(): void; unref(): void } | null | undefined)[];
  for (const handle of handles) {
    if (hold) handle?.ref();
    else handle?.unref();
  }
}

export class IsolatedExtraction {
  private readonly idle: Reader[] = [];
  private readonly busy = new Set<Reader>();
  private nextJobId = 1;
  private closed = false;
  private readonly counters: ReaderStats = { started: 0, recycled: 0, filesRead: 0, peakBusy: 0 };
  private maxReaders = Number.POSITIVE_INFINITY;
  /** Files waiting for a reader while `maxReaders` are busy; their reading time limits have not started yet. */
  private readonly waitingForReader: Array<() => void> = [];
  readonly limits: IsolationLimits;

  /**
   * @param limits overrides of the environment's limits (limits.ts)
   * @param childEntry the module each child runs; tests give one that serves a misbehaving extractor
   */
  constructor(limits?: Partial<IsolationLimits>, private readonly childEntry: string = CHILD_ENTRY) {
    this.limits = { ...isolationLimitsFromEnv(), ...limits };
  }

  /** Same contract as extractDocument: never throws because of the file; OCR engine failures throw OcrEngineError. */
  readonly extract = async (input: ExtractorInput | FileOnDisk, ctx: ExtractionContext): Promise<ExtractedDocument> => {
    if (this.closed) throw new Error('文件读取进程池已关闭');
    while (this.busy.size >= this.maxReaders) {
      await new Promise<void>((resolve) => this.waitingForReader.push(resolve));
      if (this.closed) throw new Error('文件读取进程池已关闭');
    }
    const reader = this.idle.pop() ?? this.spawn();
    this.busy.add(reader);
    this.counters.peakBusy = Math.max(this.counters.peakBusy, this.busy.size);
    holdsParentAlive(reader, true);
    try {
      await reader.ready;
      const result = await this.run(reader, input, ctx);
      reader.filesRead += 1;
      this.counters.filesRead += 1;
      return result;
    } finally {
      this.busy.delete(reader);
      this.release(reader);
      this.waitingForReader.shift()?.();
    }
  };

  /**
   * At most `n` files are read at once (so at most `n` readers are busy); more wait their turn. The process's CPU plan
   * sets it (pipeline/cpu-plan.ts): without a cap every dossier in flight would start readers of its own.
   */
  setMaxReaders(n: number): void {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`读取进程数应为不小于 1 的整数，收到 ${String(n)}`);
    this.maxReaders = n;
    for (let free = n - this.busy.size; free > 0 && this.waitingForReader.length > 0; free--) this.waitingForReader.shift()!();
  }

  get readerCap(): number {
    return this.maxReaders;
  }

  stats(): ReaderStats {
    return { ...this.counters };
  }

  /** Process ids of the readers alive now (benches read their CPU time from /proc). */
  pids(): number[] {
    return [...this.idle, ...this.busy].filter((r) => !r.exited && r.child.pid !== undefined).map((r) => r.child.pid!);
  }

  /** Ends every reader; a file being read ends as if its reader crashed. */
  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.waitingForReader.splice(0)) wake();
    const all = [...this.idle, ...this.busy];
    this.idle.length = 0;
    await Promise.all(all.map((reader) => this.stop(reader)));
  }

  private spawn(): Reader {
    const child = fork(this.childEntry, [], {
      // --expose-gc: the child collects a page's garbage as soon as it has piled up (child.ts collectIfGrown).
      execArgv: [`--max-old-space-size=${this.limits.maxMemoryMb}`, '--expose-gc'],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: {
        // glibc gives each of libvips's threads a malloc arena of its own, and memory freed in one stays with it; two
        // arenas keep the reader's native memory near what it uses (an operator's own setting wins).
        MALLOC_ARENA_MAX: '2',
        ...process.env,
        DOSSIER_EXTRACT_HEARTBEAT_MS: String(HEARTBEAT_MS),
      },
    });
    const reader: Reader = { child, ready: Promise.resolve(), filesRead: 0, retired: false, exited: false, stderrTail: '' };
    this.counters.started += 1;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      reader.stderrTail = (reader.stderrTail + chunk).slice(-STDERR_TAIL);
    });
    child.once('exit', () => {
      reader.exited = true;
      const at = this.idle.indexOf(reader);
      if (at >= 0) this.idle.splice(at, 1);
    });
    reader.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`文件读取进程未能在 ${seconds(START_TIMEOUT_MS)} 秒内启动`)), START_TIMEOUT_MS);
      const onMessage = (message: ChildMessage) => {
        if (message.type !== 'ready') return;
        cleanup();
        resolve();
      };
      const onExit = (code: number | null, signal: string | null) =>
        fail(new Error(`文件读取进程启动失败（退出码 ${code ?? signal}）：${reader.stderrTail.trim().slice(-500)}`));
      const fail = (error: Error) => {
        cleanup();
        child.kill('SIGKILL');
        reject(error);
      };
      const cleanup = () => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
    // Awaited by extract(); a reader that never starts must not also raise an unhandled rejection.
    reader.ready.catch(() => undefined);
    return reader;
  }

  private run(reader: Reader, input: ExtractorInput | FileOnDisk, ctx: ExtractionContext): Promise<ExtractedDocument> {
    const { child } = reader;
    const jobId = this.nextJobId++;
    const limits = this.limits;
    return new Promise<ExtractedDocument>((resolve, reject) => {
      let settled = false;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(fileTimer);
        clearTimeout(stallTimer);
        clearInterval(memoryPoll);
        child.off('message', onMessage);
        child.off('exit', onExit);
        outcome();
      };
      const giveUp = (code: LimitCode) =>
        finish(() => {
          void this.stop(reader);
          resolve(limitResult(code, limits));
        });

      const fileTimer = setTimeout(() => giveUp('extract-timeout'), limits.fileTimeoutMs);
      let stallTimer = setTimeout(() => giveUp('extract-stalled'), limits.stallTimeoutMs);
      const alive = () => {
        clearTimeout(stallTimer);
        stallTimer = setTimeout(() => giveUp('extract-stalled'), limits.stallTimeoutMs);
      };
      const memoryPoll = setInterval(() => {
        const rss = residentMb(child.pid);
        if (rss !== undefined && rss > limits.maxMemoryMb) giveUp('extract-memory');
      }, MEMORY_POLL_MS);

      const onExit = () => {
        const outOfHeap = /heap out of memory|Allocation failed/i.test(reader.stderrTail);
        giveUp(outOfHeap ? 'extract-memory' : 'extract-crashed');
      };

      const answerOcr = (requestId: number, image: Uint8Array) => {
        ctx.ocr.recognize(asBuffer(image)).then(
          (result) => this.post(reader, { type: 'ocr-result', requestId, text: result.text, confidence: result.confidence, ...(result.layout ? { layout: result.layout } : {}) }),
          (error: unknown) =>
            this.post(reader, {
              type: 'ocr-error',
              requestId,
              message: error instanceof Error ? error.message : String(error),
              ...(error instanceof OcrInputError ? { inputReason: error.reason } : {}),
            }),
        );
      };

      const onMessage = (message: ChildMessage) => {
        if (!('jobId' in message) || message.jobId !== jobId) return;
        alive();
        switch (message.type) {
          case 'page':
            ctx.onPage?.({ page: message.page, pageCount: message.pageCount, source: message.source });
            break;
          case 'ocr':
            answerOcr(message.requestId, message.image);
            break;
          case 'heartbeat':
            break;
          case 'stuck':
            giveUp('extract-stuck');
            break;
          case 'engine-error':
            finish(() => reject(new OcrEngineError(message.message)));
            break;
          case 'done': {
            const parsed = ExtractedDocumentSchema.safeParse(message.doc);
            finish(() =>
              resolve(
                parsed.success
                  ? parsed.data
                  : { ...limitResult('extract-crashed', limits), message: '无法读取：读取模块返回的结果格式不正确' },
              ),
            );
            break;
          }
        }
      };

      child.on('message', onMessage);
      child.once('exit', onExit);
      if (reader.exited) {
        onExit();
        return;
      }
      const file = 'localPath' in input ? { localPath: input.localPath } : { bytes: input.bytes };
      this.post(reader, { type: 'extract', jobId, path: input.path, kind: input.kind, ...file, limits: ctx.limits });
    });
  }

  private post(reader: Reader, message: ParentMessage): void {
    if (reader.exited || !reader.child.connected) return;
    reader.child.send(message, (error) => {
      // The child died between the check and the write; its exit handler reports the file.
      if (error) void error;
    });
  }

  /** Back to the idle list, or replaced when it is dead, large, or has read its share of files. */
  private release(reader: Reader): void {
    const rss = residentMb(reader.child.pid);
    const worn = reader.filesRead >= this.limits.filesPerProcess || (rss !== undefined && rss > this.limits.recycleAboveMb);
    if (reader.retired || reader.exited || this.closed || worn) {
      // pdf.js and the image decoders keep native memory for the life of a process: only its end returns it.
      if (worn && !reader.retired && !reader.exited) this.counters.recycled += 1;
      void this.stop(reader);
      return;
    }
    holdsParentAlive(reader, false);
    this.idle.push(reader);
  }

  private async stop(reader: Reader): Promise<void> {
    reader.retired = true;
    if (reader.exited) {
      holdsParentAlive(reader, false);
      return;
    }
    // Held until the exit arrives: with the child unreferenced first, a caller awaiting close() had nothing left on
    // its event loop and Node ended it mid-await (exit code 13; the bound-volume bench lost its summary that way).
    holdsParentAlive(reader, true);
    const exited = new Promise<void>((resolve) => reader.child.once('exit', () => resolve()));
    reader.child.kill('SIGKILL');
    await exited;
    holdsParentAlive(reader, false);
  }
}

let shared: IsolatedExtraction | undefined;

/** One set of readers per process: the CLI, the embedded API and a queue worker's processor all use it. */
export function sharedIsolatedExtraction(): IsolatedExtraction {
  shared ??= new IsolatedExtraction();
  return shared;
}
