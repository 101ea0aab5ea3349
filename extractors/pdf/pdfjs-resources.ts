import { createRequire } from 'node:module';
import path from 'node:path';
import { installedVersion } from '../installed-version.ts';

/**
 * Local copies of what pdf.js would otherwise look for at a URL: predefined CMaps (without them, PDFs using
 * UniGB-UCS2-H / GBK-EUC-H with a non-embedded 宋体 yield empty text and no warning), the standard 14 fonts,
 * ICC profiles and the WebAssembly decoders (JPEG 2000 scans). Resolved through pdf-parse so that they belong to the
 * pdfjs-dist copy pdf-parse actually runs.
 */

const requireHere = createRequire(import.meta.url);
const pdfParseEntry = requireHere.resolve('pdf-parse');
const pdfjsPackageJson = createRequire(pdfParseEntry).resolve('pdfjs-dist/package.json');
const pdfjsRoot = path.dirname(pdfjsPackageJson);

/** pdf.js wants folder "URLs" ending in a slash; in Node it reads them with fs, so plain paths are right. */
function folder(name: string): string {
  return path.join(pdfjsRoot, name) + path.sep;
}

export const pdfjsResourceOptions = Object.freeze({
  cMapUrl: folder('cmaps'),
  cMapPacked: true,
  standardFontDataUrl: folder('standard_fonts'),
  iccUrl: folder('iccs'),
  wasmUrl: folder('wasm'),
});

export const PDF_PARSE_VERSION = installedVersion('pdf-parse');
/** The pdfjs-dist that pdf-parse itself resolves, which may differ from a top-level copy. */
export const PDFJS_VERSION = installedVersion('pdfjs-dist', pdfParseEntry);
