import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setImmediate as turn } from 'node:timers/promises';
import type { WrappedPdfiumModule } from '@embedpdf/pdfium';
import { z } from 'zod';
import { installedVersion } from '../installed-version.ts';

/**
 * The text layer of a PDF's pages read by PDFium (Chrome's PDF engine, compiled to WebAssembly in @embedpdf/pdfium:
 * MIT wrapper, PDFium itself BSD-3/Apache-2.0; the .wasm ships in the package, nothing is fetched). On the real
 * 99-page 招标文件 it reads a page in about half the CPU time of pdf.js's getTextContent, most of which went to pdf.js's
 * message passing between its API and worker halves and their garbage.
 *
 * PDFium's own FPDFText_GetText joins and splits lines by other rules than pdf.js (a heading after a full stop runs
 * into the line before it; a line holding one space becomes a blank line), and the segmentation and field rules
 * downstream were written against pdf.js's lines. So the page text is rebuilt here from PDFium's characters with
 * pdf.js's rules (pdf.worker's compareWithLastPosition, as pdf-parse joins its items): a line ends where the baseline
 * moves by more than the font size, or jumps back while moving by more than half of it; a space stands where a gap is
 * wider than 0.102 of the font size or where the file drew a space. On every page of the real and sample PDFs with a
 * usable text layer the normalised text equals pdf.js's, except one table row whose cells PDFium puts in visual order
 * (tests/pdf/pdfium-text-layer.test.ts).
 *
 * pdf.js stays the reader of everything else (metadata, active content, page images for OCR) and of the text itself
 * whenever PDFium cannot open the file or a page.
 */

/** Which engine reads the text layer; `pdfjs` is the reference and the fallback. */
export const PdfTextEngineSchema = z.enum(['pdfium', 'pdfjs']);
export type PdfTextEngine = z.infer<typeof PdfTextEngineSchema>;

/**
 * `PDF_TEXT_ENGINE=pdfjs` reads text layers with pdf.js alone, as before PDFium was added (for comparing the two, or
 * if a file reads worse with PDFium). Anything else than the two names is a configuration error, said at start-up.
 */
export const PDF_TEXT_ENGINE: PdfTextEngine = PdfTextEngineSchema.default('pdfium').parse(process.env.PDF_TEXT_ENGINE || undefined);

const require = createRequire(import.meta.url);

export const PDFIUM_PACKAGE_VERSION = installedVersion('@embedpdf/pdfium');

/** pdf.js's factors (pdf.worker, getTextContent), as shares of the font size. */
const SPACE_GAP = 0.102;
const BACKWARD_JUMP = -0.2;
/** pdf-parse puts a tab (a space once normalised) before an item that starts this far (in points) from the last one. */
const CELL_GAP_POINTS = 7;
/** Growth of the WebAssembly memory during one file past which the document is reopened (see readTextWithPdfium). */
const REOPEN_ABOVE_BYTES = 16 * 1024 * 1024;
/** The synchronous page loop gives the event loop a turn this often, so the reader's heartbeat and page messages go out. */
const YIELD_EVERY_MS = 50;

/** The raw exports of the WebAssembly module: cwrap's per-call argument conversion cost more than PDFium's own work. */
interface RawPdfium {
  malloc(size: number): number;
  free(ptr: number): void;
  FPDF_LoadCustomDocument(fileAccess: number, password: number): number;
  FPDF_GetLastError(): number;
  FPDF_GetPageCount(doc: number): number;
  FPDF_CloseDocument(doc: number): void;
  FPDF_LoadPage(doc: number, index: number): number;
  FPDF_ClosePage(page: number): void;
  FPDFText_LoadPage(page: number): number;
  FPDFText_ClosePage(textPage: number): void;
  FPDFText_CountChars(textPage: number): number;
  FPDFText_GetUnicode(textPage: number, index: number): number;
  FPDFText_IsGenerated(textPage: number, index: number): number;
  FPDFText_GetTextObject(textPage: number, index: number): number;
  FPDFText_GetFontSize(textPage: number, index: number): number;
  FPDFText_GetMatrix(textPage: number, index: number, matrix: number): number;
  FPDFText_GetCharOrigin(textPage: number, index: number, x: number, y: number): number;
  FPDFText_GetLooseCharBox(textPage: number, index: number, rect: number): number;
}

interface Engine {
  raw: RawPdfium;
  module: WrappedPdfiumModule;
  /** Our FPDF_FILEACCESS callback's table index; reads from whichever file `reading` holds. */
  getBlock: number;
}

let engine: Promise<Engine> | undefined;
let reading: Uint8Array | undefined;

function loadEngine(): Promise<Engine> {
  engine ??= (async () => {
    // Imported here, with the engine: a process that never reads a PDF itself (the CLI's, whose readers do) never loads
    // the package (~4 MB by Node, ~30 MB through tsx's loader).
    const { init } = await import('@embedpdf/pdfium');
    const wasmBinary = readFileSync(require.resolve('@embedpdf/pdfium/pdfium.wasm'));
    // The package's init takes Emscripten's module overrides; with the bytes given it never fetches.
    const module = await init({ wasmBinary } as unknown as Parameters<typeof init>[0]);
    module.PDFiumExt_Init();
    const raw = module.pdfium.wasmExports as unknown as RawPdfium;
    // PDFium asks for the blocks it needs: the file is not copied into the WebAssembly memory, which never shrinks.
    const getBlock = module.pdfium.addFunction((_param: number, position: number, buffer: number, size: number) => {
      const file = reading;
      const start = position >>> 0;
      const length = size >>> 0;
      if (!file || start + length > file.length) return 0;
      new Uint8Array(memoryOf(module), buffer, length).set(file.subarray(start, start + length));
      return 1;
    }, 'iiiii');
    return { raw, module, getBlock };
  })();
  return engine;
}

export interface PdfiumPages {
  /** Pages in the file, as PDFium counts them. */
  pageCount: number;
  /** Text of pages 1…n (index n − 1); null where PDFium could not load the page. */
  texts: (string | null)[];
}

/**
 * The text of the first `maxPages` pages, or null when PDFium cannot open the file (damaged, encrypted, not a PDF):
 * the caller then reads it with pdf.js, which also says why it cannot. `onPage` is called as each page is read.
 * The bytes are read during the call only, so they may be handed over to pdf.js afterwards.
 */
export async function readTextWithPdfium(
  bytes: Uint8Array,
  maxPages: number,
  onPage?: (n: number, text: string | null) => void,
): Promise<PdfiumPages | null> {
  // Files past 2 GiB do not fit PDFium's 32-bit file length here; pdf.js has its own limits for them.
  if (bytes.length === 0 || bytes.length > 0x7fff_ffff) return null;
  const loaded = loadEngine();
  const { raw, module, getBlock } = await loaded.catch((error: unknown) => {
    engine = undefined;
    throw error;
  });
  // FPDF_FILEACCESS { unsigned long m_FileLen; m_GetBlock; void* m_Param } and scratch space for the per-character reads.
  const access = raw.malloc(12 + 64);
  const scratch = access + 16;
  reading = bytes;
  let doc = 0;
  try {
    const heap32 = new Uint32Array(memoryOf(module), access, 3);
    heap32[0] = bytes.length;
    heap32[1] = getBlock;
    heap32[2] = 0;
    doc = raw.FPDF_LoadCustomDocument(access, 0);
    if (!doc) return null;
    const pageCount = raw.FPDF_GetPageCount(doc);
    const texts: (string | null)[] = [];
    const memoryCap = memoryOf(module).byteLength + REOPEN_ABOVE_BYTES;
    let lastTurn = performance.now();
    for (let index = 0; index < Math.min(pageCount, maxPages); index++) {
      const before = memoryOf(module).byteLength;
      const text = pageText(raw, module, doc, index, scratch);
      texts.push(text);
      onPage?.(index + 1, text);
      const after = memoryOf(module).byteLength;
      // The document keeps every object its pages loaded (a scan's image streams too) until it is closed, and the
      // WebAssembly memory never shrinks: the 98 MB scanned bench volume grew the process by ~85 MB. Reopening frees
      // those objects for the next pages to reuse (~33 MB then; the text-layer files never reach the cap).
      if (after > before && after > memoryCap) {
        raw.FPDF_CloseDocument(doc);
        doc = raw.FPDF_LoadCustomDocument(access, 0);
        if (!doc) return null;
      }
      if (performance.now() - lastTurn > YIELD_EVERY_MS) {
        await turn();
        lastTurn = performance.now();
      }
    }
    return { pageCount, texts };
  } catch (error) {
    // An abort inside the WebAssembly leaves its memory in an unknown state: the next file gets a fresh instance.
    engine = undefined;
    doc = 0;
    throw error;
  } finally {
    reading = undefined;
    try {
      if (doc) raw.FPDF_CloseDocument(doc);
      raw.free(access);
    } catch {
      // the instance is dropped above
    }
  }
}

function pageText(raw: RawPdfium, module: WrappedPdfiumModule, doc: number, index: number, scratch: number): string | null {
  const page = raw.FPDF_LoadPage(doc, index);
  if (!page) return null;
  const textPage = raw.FPDFText_LoadPage(page);
  if (!textPage) {
    raw.FPDF_ClosePage(page);
    return null;
  }
  try {
    const count = raw.FPDFText_CountChars(textPage);
    if (count <= 0) return '';
    // Views made once a page: the per-character getters below allocate nothing, so the memory is not replaced meanwhile.
    const memory = memoryOf(module);
    const f64 = new Float64Array(memory);
    const f32 = new Float32Array(memory);
    let out = '';
    let started = false;
    let pendingSpace = false;
    let lastY = 0;
    let lastEndX = 0;
    let object = 0;
    let size = 1;
    // cos/sin of the text's direction: positions are compared along and across it, as pdf.js does for turned text.
    let cos = 1;
    let sin = 0;
    for (let i = 0; i < count; i++) {
      const code = raw.FPDFText_GetUnicode(textPage, i) >>> 0;
      if (code === 0 || code === 0x0d || code === 0x0a || code === 0xfffe || code > 0x10ffff) continue;
      if (isSpace(code)) {
        // PDFium adds spaces and line breaks of its own; ours come from the positions below.
        if (raw.FPDFText_IsGenerated(textPage, i) !== 1) pendingSpace = started;
        continue;
      }
      const textObject = raw.FPDFText_GetTextObject(textPage, i);
      if (textObject !== object || textObject === 0) {
        object = textObject;
        size = raw.FPDFText_GetFontSize(textPage, i) || 1;
        cos = 1;
        sin = 0;
        if (raw.FPDFText_GetMatrix(textPage, i, scratch + 32)) {
          const at = (scratch + 32) >> 2;
          const [a, b, c, d] = [f32[at]!, f32[at + 1]!, f32[at + 2]!, f32[at + 3]!];
          // FPDFText_GetFontSize gives the size set by Tf; the matrix scales it to what is drawn (WPS: Tf 209, × 0.05).
          size *= Math.hypot(c, d) || 1;
          if (b !== 0 || a < 0) {
            const length = Math.hypot(a, b);
            cos = a / length;
            sin = b / length;
          }
        }
      }
      if (!raw.FPDFText_GetCharOrigin(textPage, i, scratch, scratch + 8)) continue;
      const originX = f64[scratch >> 3]!;
      const originY = f64[(scratch >> 3) + 1]!;
      const x = originX * cos + originY * sin;
      const y = -originX * sin + originY * cos;
      let advance = 0;
      if (raw.FPDFText_GetLooseCharBox(textPage, i, scratch + 16)) {
        // FS_RECTF { left, top, right, bottom }: along the text, the box spans the glyph's advance.
        const at = (scratch + 16) >> 2;
        advance = Math.abs(cos) >= Math.abs(sin) ? Math.abs(f32[at + 2]! - f32[at]!) : Math.abs(f32[at + 1]! - f32[at + 3]!);
      }
      if (started) {
        const dx = x - lastEndX;
        const dy = y - lastY;
        if (dx < BACKWARD_JUMP * size) {
          if (Math.abs(dy) > 0.5 * size) out += '\n';
          else if (-dx > CELL_GAP_POINTS || pendingSpace) out += ' ';
        } else if (Math.abs(dy) > size) {
          out += '\n';
        } else if (pendingSpace || dx > SPACE_GAP * size) {
          out += ' ';
        }
      }
      out += String.fromCodePoint(code);
      started = true;
      pendingSpace = false;
      lastY = y;
      lastEndX = x + advance;
    }
    return out;
  } finally {
    raw.FPDFText_ClosePage(textPage);
    raw.FPDF_ClosePage(page);
  }
}

/** The WebAssembly memory as it is now (it is replaced when it grows, so never kept across calls into PDFium). */
function memoryOf(module: WrappedPdfiumModule): ArrayBuffer {
  return (module.pdfium as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer as ArrayBuffer;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0xa0 || code === 0x3000 || (code >= 0x2000 && code <= 0x200a) || code === 0x202f;
}
