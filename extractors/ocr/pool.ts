import { availableParallelism } from 'node:os';
import type { Worker as ThreadWorker } from 'node:worker_threads';
import Tesseract from 'tesseract.js';
import { defaultExtractionLimits } from '../limits.ts';
import type { OcrEngine, OcrResult } from '../model.ts';
import { normalizeOcrText } from './han-spacing.ts';
import { linesFromTsv, rescaleLayout } from './layout.ts';
import { prepareImageForOcr } from './preprocess.ts';
import { OCR_LANGUAGE, resolveChiSimLangPath } from './traineddata.ts';

export interface OcrPoolOptions {
  /** Number of tesseract workers (each uses one core while busy); default: available parallelism. */
  size?: number;
  /**
   * A worker is terminated and replaced after this many pages: tesseract.js's WebAssembly heap grows with the
   * largest page seen and never shrinks. Default 200.
   */
  recycleAfterPages?: number;
  /**
   * A worker that has just read a page larger than this many pixels is replaced at once: its heap grew to hold
   * that page (a 40 MP drawing or a crafted 19000×19000 image takes it to several hundred MB) and would keep that
   * memory for the rest of the process. Default 16 MP, about an A4 page at 400 dpi.
   */
  recycleAfterPixels?: number;
  /**
   * A worker is replaced after this many whole pages (images above `wholePagePixels`): its heap grows a little with each
   * (on the 200-page bench volume the checking process crept from ~470 to ~680 MB while its two workers read ~30 whole
   * pages each, seal-lifted copies included). A fresh worker costs ~1–2 CPU-seconds. Default 6.
   */
  recycleAfterWholePages?: number;
  /** Images above this many pixels count as whole pages for `recycleAfterWholePages`; default 2 MP (an A4 page at ~150 dpi). */
  wholePagePixels?: number;
  /** Folder with `chi_sim.traineddata.gz`; default: the `4.0.0_best_int` folder of @tesseract.js-data/chi_sim. */
  langPath?: string;
  /**
   * Tesseract page segmentation mode. Default 3 (full automatic layout analysis): the uniform-block mode 6 reads
   * ruled tables and two-column pages as letter soup. Other values exist for the OCR bench's comparison.
   */
  pageSegMode?: '3' | '4' | '6' | '11';
  /** A page taking longer than this is abandoned and its worker replaced; default 180 s. */
  pageTimeoutMs?: number;
  /** Largest image handed to tesseract (bigger inputs are downscaled); default from extractors/limits.ts. */
  maxImagePixels?: number;
  /** Inputs above this many pixels are refused; default from extractors/limits.ts. */
  refuseImagePixels?: number;
}

export interface OcrPoolStats {
  size: number;
  /** Workers currently started (a worker starts on first use). */
  workersAlive: number;
  busy: number;
  queued: number;
  pagesRecognized: number;
  workersStarted: number;
  /** Workers replaced because they reached `recycleAfterPages`. */
  recycled: number;
  /** Workers replaced because a page failed, timed out or the worker died. */
  replacedAfterFailure: number;
  recycleAfterPages: number;
}

export interface OcrPool extends OcrEngine {
  stats(): OcrPoolStats;
}

/** The pool was closed while the page waited or ran. */
export class OcrPoolClosedError extends Error {
  override name = 'OcrPoolClosedError';
}

interface QueuedPage {
  image: Buffer;
  resolve: (result: OcrResult) => void;
  reject: (error: unknown) => void;
}

interface LiveWorker {
  tesseract: Tesseract.Worker;
  /** Rejects when the worker thread exits or throws, so a page in flight never waits forever. */
  death: Promise<never>;
  pagesDone: number;
  wholePagesDone: number;
}

interface Slot {
  live: Promise<LiveWorker> | null;
  busy: boolean;
}

const DEFAULT_RECYCLE_AFTER_PAGES = 200;
const DEFAULT_RECYCLE_AFTER_PIXELS = 16_000_000;
const DEFAULT_RECYCLE_AFTER_WHOLE_PAGES = 6;
const DEFAULT_WHOLE_PAGE_PIXELS = 2_000_000;
const DEFAULT_PAGE_TIMEOUT_MS = 180_000;
const WORKER_START_TIMEOUT_MS = 120_000;

function rejectAfter(ms: number, message: string): { promise: Promise<never>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

/**
 * Starts one tesseract.js worker with the local chi_sim model.
 * In Node, tesseract.js takes its worker script and WebAssembly core from the installed packages
 * (`workerPath` defaults to the bundled node worker, `corePath` is ignored), so `langPath` is the only
 * path that could otherwise point at a CDN.
 */
async function startTesseractWorker(langPath: string, pageSegMode: Tesseract.PSM): Promise<LiveWorker> {
  let failStart: (error: Error) => void = () => {};
  const startFailure = new Promise<never>((_, reject) => {
    failStart = reject;
  });
  startFailure.catch(() => {});
  const starting = Tesseract.createWorker(OCR_LANGUAGE, Tesseract.OEM.LSTM_ONLY, {
    langPath,
    gzip: true,
    // The default cache writes the unpacked model into the current directory and prefers it next time.
    cacheMethod: 'none',
    logger: () => {},
    // Without a handler tesseract.js rethrows job failures inside its message listener: an uncaught exception.
    // With one, a failed model load leaves createWorker pending forever; the handler is the only signal.
    // (Later calls, for failed pages, are harmless: the start has settled and the page's own promise rejects.)
    errorHandler: (error: unknown) => failStart(new Error(`OCR worker failed to start: ${asError(error).message}`)),
  });
  const timeout = rejectAfter(WORKER_START_TIMEOUT_MS, 'OCR worker did not start in time');
  let tesseract: Tesseract.Worker;
  try {
    tesseract = await Promise.race([starting, startFailure, timeout.promise]);
  } catch (error) {
    // A worker that finishes starting after all must not linger, and one that never will must not either.
    void starting.then((late) => late.terminate()).catch(() => {});
    throw asError(error);
  } finally {
    timeout.cancel();
  }

  // tesseract.js keeps the thread on `worker` without typing it; its own `onerror` hook does nothing in Node.
  const thread = (tesseract as unknown as { worker: ThreadWorker }).worker;
  const death = new Promise<never>((_, reject) => {
    thread.on('error', (error) => reject(new Error(`OCR worker crashed: ${asError(error).message}`)));
    thread.once('exit', (code) => reject(new Error(`OCR worker exited (code ${code})`)));
  });
  death.catch(() => {});

  await tesseract.setParameters({
    preserve_interword_spaces: '1',
    // The TessBaseAPI default is one uniform text block (PSM 6), which turns tables and multi-column pages into
    // letter soup; full automatic layout analysis (PSM 3, the command-line default) reads them.
    tessedit_pageseg_mode: pageSegMode,
    // Keeps tesseract's diagnostics ("Detected 33 diacritics", "Estimating resolution…") off our stdout.
    debug_file: '/dev/null',
  });
  return { tesseract, death, pagesDone: 0, wholePagesDone: 0 };
}

export function createOcrPool(options: OcrPoolOptions = {}): OcrPool {
  const size = Math.max(1, Math.floor(options.size ?? availableParallelism()));
  const recycleAfterPages = Math.max(1, Math.floor(options.recycleAfterPages ?? DEFAULT_RECYCLE_AFTER_PAGES));
  const recycleAfterPixels = options.recycleAfterPixels ?? DEFAULT_RECYCLE_AFTER_PIXELS;
  const recycleAfterWholePages = Math.max(1, Math.floor(options.recycleAfterWholePages ?? DEFAULT_RECYCLE_AFTER_WHOLE_PAGES));
  const wholePagePixels = options.wholePagePixels ?? DEFAULT_WHOLE_PAGE_PIXELS;
  const pageTimeoutMs = options.pageTimeoutMs ?? DEFAULT_PAGE_TIMEOUT_MS;
  const preprocessLimits = {
    maxImagePixels: options.maxImagePixels ?? defaultExtractionLimits.maxImagePixels,
    refuseImagePixels: options.refuseImagePixels ?? defaultExtractionLimits.refuseImagePixels,
  };
  // Resolved now so a missing model fails at creation, not on the first page.
  const langPath = options.langPath ?? resolveChiSimLangPath();
  const pageSegMode = (options.pageSegMode ?? Tesseract.PSM.AUTO) as Tesseract.PSM;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(langPath)) {
    // tesseract.js would download from a URL; models must come from the installed packages.
    throw new Error(`OCR langPath must be a local folder, not a URL: ${langPath}`);
  }

  const slots: Slot[] = Array.from({ length: size }, () => ({ live: null, busy: false }));
  const queue: QueuedPage[] = [];
  let closed = false;
  const counters = { pagesRecognized: 0, workersStarted: 0, recycled: 0, replacedAfterFailure: 0 };

  function workerFor(slot: Slot): Promise<LiveWorker> {
    if (!slot.live) {
      counters.workersStarted++;
      const live = startTesseractWorker(langPath, pageSegMode);
      slot.live = live;
      live.catch(() => {
        if (slot.live === live) slot.live = null;
      });
    }
    return slot.live;
  }

  async function retire(slot: Slot): Promise<void> {
    const live = slot.live;
    slot.live = null;
    if (!live) return;
    try {
      const worker = await live;
      await worker.tesseract.terminate();
      // tesseract.js does not wait for the thread to stop; waiting here means close() returns with the
      // WebAssembly heaps actually released.
      const exitWait = rejectAfter(10_000, 'OCR worker did not exit');
      await Promise.race([worker.death, exitWait.promise]).catch(() => {});
      exitWait.cancel();
    } catch {
      // Never started: nothing left to free.
    }
  }

  async function recognizeOnSlot(slot: Slot, page: QueuedPage): Promise<void> {
    let prepared;
    try {
      prepared = await prepareImageForOcr(page.image, preprocessLimits);
    } catch (error) {
      page.reject(error);
      return;
    }
    // Armed once the worker is ready: starting a worker has its own time limit.
    let timeout: ReturnType<typeof rejectAfter> | undefined;
    try {
      const worker = await workerFor(slot);
      if (closed) throw new OcrPoolClosedError('OCR pool was closed');
      timeout = rejectAfter(pageTimeoutMs, `OCR of one page took longer than ${pageTimeoutMs} ms`);
      // TSV carries each line's box; tesseract writes it from the result it already holds (no second recognition).
      const recognition = worker.tesseract.recognize(prepared.png, {}, { text: true, tsv: true });
      const { data } = await Promise.race([recognition, worker.death, timeout.promise]);
      counters.pagesRecognized++;
      worker.pagesDone++;
      const pixels = prepared.width * prepared.height;
      if (pixels > wholePagePixels) worker.wholePagesDone++;
      page.resolve({
        text: normalizeOcrText(data.text ?? ''),
        confidence: Math.max(0, Math.min(100, Number.isFinite(data.confidence) ? data.confidence : 0)),
        // Boxes back in the caller's pixels: preprocessing scaled the image for the model, the caller knows only its own.
        layout: rescaleLayout({ width: prepared.width, height: prepared.height, lines: linesFromTsv(data.tsv ?? '') }, prepared.sourceWidth, prepared.sourceHeight),
      });
      if (worker.pagesDone >= recycleAfterPages || worker.wholePagesDone >= recycleAfterWholePages || pixels > recycleAfterPixels) {
        counters.recycled++;
        await retire(slot);
      }
    } catch (error) {
      // After a failed, hung or crashed page the worker's state is unknown; a fresh one is cheap (~1 s).
      if (slot.live) {
        counters.replacedAfterFailure++;
        await retire(slot);
      }
      page.reject(closed ? new OcrPoolClosedError('OCR pool was closed', { cause: error }) : asError(error));
    } finally {
      timeout?.cancel();
    }
  }

  function dispatch(): void {
    for (const slot of slots) {
      if (queue.length === 0) return;
      if (slot.busy) continue;
      const page = queue.shift()!;
      slot.busy = true;
      void recognizeOnSlot(slot, page).finally(() => {
        slot.busy = false;
        if (!closed) dispatch();
      });
    }
  }

  return {
    recognize(image: Buffer): Promise<OcrResult> {
      if (closed) return Promise.reject(new OcrPoolClosedError('OCR pool was closed'));
      return new Promise<OcrResult>((resolve, reject) => {
        queue.push({ image, resolve, reject });
        dispatch();
      });
    },

    async close(): Promise<void> {
      closed = true;
      for (const page of queue.splice(0)) page.reject(new OcrPoolClosedError('OCR pool was closed'));
      await Promise.all(slots.map((slot) => retire(slot)));
    },

    stats(): OcrPoolStats {
      return {
        size,
        workersAlive: slots.filter((slot) => slot.live !== null).length,
        busy: slots.filter((slot) => slot.busy).length,
        queued: queue.length,
        ...counters,
        recycleAfterPages,
      };
    },
  };
}
