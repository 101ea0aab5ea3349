// Loads pdf.js (3 MB of JavaScript) by Node itself, before tsx's loader is registered: through the loader, which
// rewrites it and keeps its source and source maps, a process holding pdf.js was ~150 MB larger, and a reader that
// had opened a PDF (pdf.js's worker module too) ~360 MB larger (547 MB instead of 181 MB, measured). Once loaded here
// the modules are in Node's cache when the TypeScript extractors import them. The worker module is handed to pdf.js as
// its documented `globalThis.pdfjsWorker`, or pdf.js would import it on the first document, through the loader.
// Import this first: the reader process (extractors/isolation/child-entry.mjs) and `node --import` of the bench.
// Worker threads inherit `--import`: the OCR pool's tesseract threads never read a PDF and would each carry ~47 MB.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  const require = createRequire(import.meta.url);
  const pdfjsRoot = path.dirname(createRequire(require.resolve('pdf-parse')).resolve('pdfjs-dist/package.json'));
  globalThis.pdfjsWorker ??= await import(pathToFileURL(path.join(pdfjsRoot, 'legacy', 'build', 'pdf.worker.mjs')).href);
  await import('pdf-parse');
  // PDFium's JavaScript glue (extractors/pdf/pdfium-text.ts) likewise: through the loader it made a process ~30 MB
  // larger, loaded by Node ~4 MB (measured). Its WebAssembly is compiled only when a PDF is first read.
  await import('@embedpdf/pdfium');
}
