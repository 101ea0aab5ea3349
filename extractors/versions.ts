import { installedVersion } from './installed-version.ts';
import { NORMALIZE_VERSION } from './normalize.ts';
import { OCR_ENGINE_VERSION } from './ocr/traineddata.ts';
import { GARBAGE_DETECTOR_VERSION } from './pdf/garbage.ts';

/**
 * The version strings of the extractors that the registry loads only when a file of their kind arrives. They live
 * here, away from the libraries those extractors import (mammoth, SheetJS, the OFD and slide readers: about 20 MB of
 * code per process), so that the cache key (EXTRACTOR_VERSION) can be computed by every process, including each
 * reader process and the main one, without loading them. Each extractor re-exports its own. Each is part of the
 * extraction cache key: bump its leading number when the extractor's output changes for the same input.
 */

export const DOC_EXTRACTOR_VERSION = 'doc-1+word-extractor@1.0.4';
export const DOCX_EXTRACTOR_VERSION = `docx-1+${NORMALIZE_VERSION}`;
export const OFD_EXTRACTOR_VERSION = ['ofd@1', `garbage@${GARBAGE_DETECTOR_VERSION}`, NORMALIZE_VERSION, OCR_ENGINE_VERSION].join('+');
export const SHEET_EXTRACTOR_VERSION = `sheet-1+sheetjs@${installedVersion('@e965/xlsx')}+${NORMALIZE_VERSION}`;
export const PPT_EXTRACTOR_VERSION = `ppt-1+${NORMALIZE_VERSION}`;
export const PPTX_EXTRACTOR_VERSION = `pptx-1+${NORMALIZE_VERSION}`;
