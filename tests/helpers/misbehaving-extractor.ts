import { OcrInputError } from '../../extractors/ocr/preprocess.ts';
import type { ExtractedDocument, ExtractionContext, ExtractorInput } from '../../extractors/model.ts';

/**
 * Stand-ins for a parser meeting a hostile file, each named by what it does. Runs inside an extraction child; the
 * parent must survive every one of them.
 */
export async function misbehavingExtractor(input: ExtractorInput, ctx: ExtractionContext): Promise<ExtractedDocument> {
  switch (input.path) {
    case 'spins.pdf':
      // A parser looping over a crafted structure without ever yielding.
      for (;;) Math.sqrt(Math.random());
    case 'never-settles.pdf':
      return new Promise<ExtractedDocument>(() => undefined);
    case 'endless-async.pdf':
      // Yields all the time (so the loop is not blocked) but never finishes.
      for (;;) await new Promise((resolve) => setTimeout(resolve, 20));
    case 'hogs-memory.pdf': {
      const held: Buffer[] = [];
      for (;;) {
        held.push(Buffer.alloc(32 * 1024 * 1024, 1));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    case 'crashes.pdf':
      process.kill(process.pid, 'SIGSEGV');
      return new Promise<ExtractedDocument>(() => undefined);
    case 'asks-ocr.png': {
      ctx.onPage?.({ page: 1, pageCount: 1, source: 'ocr' });
      const result = await ctx.ocr.recognize(input.bytes);
      return ok(result.text, 'ocr');
    }
    case 'reports-ocr-error.png': {
      // What the image extractor does: tell a bad image (the file's problem) from a failing engine.
      const outcome = await ctx.ocr.recognize(input.bytes).then(
        () => 'no error',
        (error: unknown) => (error instanceof OcrInputError ? `OcrInputError:${error.reason}:${error.message}` : `other:${String(error)}`),
      );
      return ok(outcome, 'text-layer');
    }
    default:
      return ok(`读到了：${input.path}`, 'text-layer');
  }
}

function ok(text: string, source: 'ocr' | 'text-layer'): ExtractedDocument {
  return { status: 'ok', pages: [{ n: 1, text, source }], meta: { pageCount: 1, ocrPages: source === 'ocr' ? 1 : 0 }, findings: [], extractorVersion: 'test' };
}
