import { open } from 'node:fs/promises';
import { handOverBytes, type ReadFrom } from '../handed-over-bytes.ts';
import { EXTRACTOR_VERSION, OcrEngineError } from '../registry.ts';
import type { ExtractedDocument, ExtractionContext, ExtractorInput, OcrEngine, OcrResult } from '../model.ts';
import { OcrInputError } from '../ocr/preprocess.ts';
import { asBuffer, type ChildMessage, type ParentMessage } from './protocol.ts';

/**
 * One extraction child: reads the files its parent sends, one at a time, through the ordinary extractor registry.
 * OCR goes back to the parent, whose pool is shared by every child. Whatever a file does here — loop, hang, exhaust
 * memory, crash — only this process suffers; the parent enforces the limits and replaces us.
 */

interface PendingOcr {
  resolve: (result: OcrResult) => void;
  reject: (error: Error) => void;
}

const HEARTBEAT_MS = Number(process.env.DOSSIER_EXTRACT_HEARTBEAT_MS) || 2_000;
/**
 * Growth of resident memory since the last collection after which a page's end collects the garbage at once. A scanned
 * page leaves ~15–30 MB of decoded pixels and encoded images behind, held outside V8's heap; V8 collects them only when
 * its incremental marking gets round to it, which on a loaded machine is late: the 200-page bench's reader swung between
 * 650 and 900 MB while reading whole pages. A full collection of the reader's small heap costs tens of milliseconds.
 */
const COLLECT_AFTER_GROWTH_BYTES = 64 * 1_048_576;
/** `gc` exists when the parent starts us with --expose-gc (isolated-extraction.ts); without it pages just go on. */
const collectGarbage = (globalThis as { gc?: () => void }).gc;
let residentAfterCollection = 0;

function collectIfGrown(): void {
  if (!collectGarbage) return;
  if (process.memoryUsage.rss() - residentAfterCollection < COLLECT_AFTER_GROWTH_BYTES) return;
  collectGarbage();
  residentAfterCollection = process.memoryUsage.rss();
}
const pendingOcr = new Map<number, PendingOcr>();
let nextRequestId = 1;
let currentJob: { jobId: number; pagesDone: number } | undefined;

function send(message: ChildMessage): void {
  process.send?.(message);
}

/**
 * While a file is being read the channel to the parent does not keep us alive: if the extractor awaits a promise
 * that nothing will ever settle, the event loop empties and 'beforeExit' tells us so at once, instead of a timer
 * firing minutes later. The channel is held while idle (waiting for work) and while an OCR answer is due.
 */
function holdChannel(): void {
  process.channel?.ref();
}

function releaseChannelIfWorking(): void {
  if (currentJob && pendingOcr.size === 0) process.channel?.unref();
}

const ocrThroughParent: OcrEngine = {
  recognize(image: Buffer): Promise<OcrResult> {
    const job = currentJob;
    if (!job) return Promise.reject(new Error('no file is being read'));
    const requestId = nextRequestId++;
    const answer = new Promise<OcrResult>((resolve, reject) => pendingOcr.set(requestId, { resolve, reject }));
    holdChannel();
    send({ type: 'ocr', jobId: job.jobId, requestId, image });
    // The page's preparation (decoding, seal search) is garbage now, while the page waits seconds for its OCR.
    collectIfGrown();
    return answer;
  },
  close: async () => undefined,
};

function settleOcr(message: Extract<ParentMessage, { type: 'ocr-result' | 'ocr-error' }>): void {
  const pending = pendingOcr.get(message.requestId);
  if (!pending) return;
  pendingOcr.delete(message.requestId);
  if (message.type === 'ocr-result') pending.resolve({ text: message.text, confidence: message.confidence, ...(message.layout ? { layout: message.layout } : {}) });
  else if (message.inputReason) pending.reject(new OcrInputError(message.message, message.inputReason));
  else pending.reject(new Error(message.message));
  releaseChannelIfWorking();
}

type ExtractDocument = (input: ExtractorInput, ctx: ExtractionContext) => Promise<ExtractedDocument>;

async function extract(extractDocument: ExtractDocument, message: Extract<ParentMessage, { type: 'extract' }>): Promise<void> {
  const job = { jobId: message.jobId, pagesDone: 0 };
  currentJob = job;
  releaseChannelIfWorking();
  // Unreferenced: it proves the loop turns without keeping a stuck loop alive (see holdChannel).
  const heartbeat = setInterval(() => send({ type: 'heartbeat', jobId: job.jobId }), HEARTBEAT_MS);
  heartbeat.unref();
  try {
    const read: { bytes: Buffer; from?: ReadFrom } | undefined =
      message.localPath !== undefined ? await readFromDisk(message.localPath) : { bytes: asBuffer(message.bytes ?? new Uint8Array()) };
    // Read for this one file and not looked at again here: the reader may take the memory instead of copying it, and
    // read parts of the file again where it has one (a scanned page's stored image).
    const bytes = read && handOverBytes(read.bytes, read.from);
    if (!bytes) {
      send({ type: 'done', jobId: job.jobId, doc: fileGone() });
      return;
    }
    const doc = await extractDocument(
      { path: message.path, kind: message.kind, bytes },
      {
        ocr: ocrThroughParent,
        limits: message.limits,
        onPage: ({ page, pageCount, source }) => {
          job.pagesDone += 1;
          send({ type: 'page', jobId: job.jobId, page, pageCount, source });
          collectIfGrown();
        },
      },
    );
    send({ type: 'done', jobId: job.jobId, doc });
  } catch (error) {
    const text = error instanceof OcrEngineError ? error.message : '文字识别引擎出错，请稍后重试';
    send({ type: 'engine-error', jobId: job.jobId, message: text });
  } finally {
    clearInterval(heartbeat);
    if (currentJob === job) currentJob = undefined;
    holdChannel();
    collectIfGrown();
  }
}

/** The file's bytes and what it was when they were read (size and modification time, to notice a change later). */
async function readFromDisk(path: string): Promise<{ bytes: Buffer; from: ReadFrom } | undefined> {
  try {
    const handle = await open(path, 'r');
    try {
      const stat = await handle.stat();
      const bytes = await handle.readFile();
      return { bytes, from: { path, size: bytes.length, mtimeMs: stat.mtimeMs } };
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}

/** The file was removed from the working folder before its reader got to it (the run was cancelled meanwhile). */
function fileGone(): ExtractedDocument {
  return {
    status: 'unreadable',
    message: '无法读取：文件在读取前已从临时目录中删除，请重新提交',
    pages: [],
    meta: { pageCount: 0, ocrPages: 0 },
    findings: [],
    extractorVersion: EXTRACTOR_VERSION,
  };
}

/** Serves the parent's requests with `extractDocument` (the registry's; tests pass misbehaving ones). */
export function serveExtraction(extractDocument: ExtractDocument): void {
  process.on('message', (message: ParentMessage) => {
    switch (message.type) {
      case 'extract':
        void extract(extractDocument, message);
        break;
      case 'ocr-result':
      case 'ocr-error':
        settleOcr(message);
        break;
    }
  });

  process.on('beforeExit', () => {
    const job = currentJob;
    if (!job) return;
    currentJob = undefined;
    holdChannel();
    send({ type: 'stuck', jobId: job.jobId, pagesDone: job.pagesDone });
  });

  // The parent is gone: nobody can take our result.
  process.once('disconnect', () => process.exit(0));

  send({ type: 'ready' });
}
