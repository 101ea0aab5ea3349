import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

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

function readPackageVersion(packageJsonPath: string): string {
  const parsed = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version?: unknown };
  return typeof parsed.version === 'string' ? parsed.version : 'unknown';
}

/** pdf-parse's exports map hides its package.json, so walk up from its entry point to the folder that names it. */
function findPdfParsePackageJson(): string {
  let dir = path.dirname(pdfParseEntry);
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    try {
      const parsed = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: unknown };
      if (parsed.name === 'pdf-parse') return candidate;
    } catch {
      // no package.json at this level
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('pdf-parse package.json not found above its entry point');
    dir = parent;
  }
}

export const PDF_PARSE_VERSION = readPackageVersion(findPdfParsePackageJson());
export const PDFJS_VERSION = readPackageVersion(pdfjsPackageJson);
