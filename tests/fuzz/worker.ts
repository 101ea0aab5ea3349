/**
 * The long campaign's per-mutant reader (bench/fuzz.ts forks it with `node --import tsx`): intake and the isolated
 * extraction run here, in-process, one mutant at a time, exactly as `dossier extract <file>` runs them. The parent
 * holds the time limit: if no answer comes in time, it kills this process (a synchronous spin here could never be
 * caught by a Promise.race inside this process), names the mutant, and forks a fresh one.
 */
import { closeSharedOcrPool, getSharedOcrPool } from '../../extractors/ocr/index.ts';
import { IntakeError } from '../../pipeline/intake/index.ts';
import { extractDossier } from '../../pipeline/extract-dossier.ts';

export interface WorkerRequest {
  type: 'extract';
  index: number;
  path: string;
}

export type WorkerReply =
  | { type: 'ready' }
  | {
      type: 'result';
      index: number;
      ms: number;
      files: { path: string; status: string; codes: string[]; ocrPages: number; textChars: number }[];
      findings: { code: string; path?: string }[];
      skipped: string[];
      /** The input as a whole refused by intake (what the CLI reports with exit code 2). */
      intakeError?: string;
      /** Anything else that escaped the pipeline: a bug. */
      error?: string;
      /** Extracted text that looks like a local file read through an XML external entity. */
      leak?: boolean;
    };

function send(message: WorkerReply): Promise<void> {
  return new Promise((resolve) => process.send!(message, () => resolve()));
}

process.on('message', async (request: WorkerRequest) => {
  const started = performance.now();
  try {
    const result = await extractDossier({ input: request.path, ocr: getSharedOcrPool() });
    const texts = result.files.map((f) => f.doc.pages.map((p) => p.text).join('\n'));
    await send({
      type: 'result',
      index: request.index,
      ms: performance.now() - started,
      files: result.files.map((f, i) => ({
        path: f.file.path,
        status: f.doc.status,
        codes: f.doc.findings.map((x) => x.code),
        ocrPages: f.doc.meta.ocrPages,
        textChars: texts[i]!.length,
      })),
      findings: result.findings.map((f) => ({ code: f.code, path: f.path })),
      skipped: result.skipped,
      leak: texts.some((t) => /root:x?:0:0:/.test(t)),
    });
  } catch (error) {
    const base = { type: 'result' as const, index: request.index, ms: performance.now() - started, files: [], findings: [], skipped: [] };
    if (error instanceof IntakeError) await send({ ...base, intakeError: error.code });
    else await send({ ...base, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});

process.once('disconnect', () => {
  void closeSharedOcrPool().finally(() => process.exit(0));
});

await send({ type: 'ready' });
