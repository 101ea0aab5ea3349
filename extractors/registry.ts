import { extractImage, IMAGE_EXTRACTOR_VERSION } from './image.ts';
import {
  ExtractedDocumentSchema,
  type ExtractedDocument,
  type ExtractionContext,
  type Extractor,
  type ExtractorInput,
  type FileKind,
} from './model.ts';
import { NORMALIZE_VERSION } from './normalize.ts';
import { OcrInputError } from './ocr/preprocess.ts';
import { extractPdf, PDF_EXTRACTOR_VERSION } from './pdf/index.ts';
import { PDF_SIGNATURES_VERSION, withPdfSignatures } from './seals/pdf-signatures.ts';
import { extractText, TEXT_EXTRACTOR_VERSION } from './text.ts';
import {
  emptyFileResult,
  encryptedOfficeResult,
  extractUnsupported,
  isEncryptedOfficePackage,
  UNSUPPORTED_EXTRACTOR_VERSION,
} from './unsupported.ts';
import {
  DOC_EXTRACTOR_VERSION,
  DOCX_EXTRACTOR_VERSION,
  OFD_EXTRACTOR_VERSION,
  PPT_EXTRACTOR_VERSION,
  PPTX_EXTRACTOR_VERSION,
  SHEET_EXTRACTOR_VERSION,
} from './versions.ts';

/**
 * An extractor whose module is imported with the first file of its kind. Word, OFD, spreadsheet and slide readers
 * bring about 20 MB of library code into a process; every reader process and the main one load this registry, and
 * most of them never see those formats (a 500 MB archive of PDFs stayed above its memory target by about that much
 * per process). A failed import is not kept, so the next file tries again.
 */
function loadedOnFirstUse(load: () => Promise<Extractor>): Extractor {
  let loading: Promise<Extractor> | undefined;
  return async (input, ctx) => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return (await loading)(input, ctx);
  };
}

const extractDocx = loadedOnFirstUse(async () => (await import('./docx.ts')).extractDocx);
const extractDoc = loadedOnFirstUse(async () => (await import('./doc.ts')).extractDoc);
const extractOfd = loadedOnFirstUse(async () => (await import('./ofd/index.ts')).extractOfd);
const extractSpreadsheet = loadedOnFirstUse(async () => (await import('./sheets/index.ts')).extractSpreadsheet);
const extractPpt = loadedOnFirstUse(async () => (await import('./slides/ppt.ts')).extractPpt);
const extractPptx = loadedOnFirstUse(async () => (await import('./slides/pptx.ts')).extractPptx);

export interface FormatCapabilities {
  /** We read text out of this format at all. */
  extractsText: boolean;
  /** Text may come from OCR (scanned pages, photos). */
  mayUseOcr: boolean;
  /** Page numbers in the result are the document's own pages (not one page per file or per explicit break). */
  truePageNumbers: boolean;
}

export interface FormatEntry {
  extractor: Extractor;
  /** Chinese name of the format, for messages and reports. */
  label: string;
  capabilities: FormatCapabilities;
}

const UNREAD: FormatCapabilities = { extractsText: false, mayUseOcr: false, truePageNumbers: false };
/** A sheet's pages are runs of rows (extractors/sheets), not printed pages. */
const SHEET: FormatCapabilities = { extractsText: true, mayUseOcr: false, truePageNumbers: false };
/** One page per slide: slide numbers are the presentation's own. */
const SLIDES: FormatCapabilities = { extractsText: true, mayUseOcr: false, truePageNumbers: true };

/** Every file kind, what reads it, and what it can deliver: the one place to look when adding a format. */
export const FORMATS: Record<FileKind, FormatEntry> = {
  pdf: {
    extractor: withPdfSignatures(extractPdf),
    label: 'PDF 文档',
    capabilities: { extractsText: true, mayUseOcr: true, truePageNumbers: true },
  },
  docx: {
    extractor: extractDocx,
    label: 'Word 文档（.docx）',
    capabilities: { extractsText: true, mayUseOcr: false, truePageNumbers: false },
  },
  image: {
    extractor: extractImage,
    label: '图片',
    capabilities: { extractsText: true, mayUseOcr: true, truePageNumbers: false },
  },
  text: {
    extractor: extractText,
    label: '纯文本文件',
    capabilities: { extractsText: true, mayUseOcr: false, truePageNumbers: false },
  },
  zip: { extractor: extractUnsupported, label: 'ZIP 压缩包', capabilities: UNREAD },
  doc: { extractor: extractDoc, label: '旧版 Word 文档（.doc）', capabilities: { extractsText: true, mayUseOcr: false, truePageNumbers: false } },
  wps: { extractor: extractDoc, label: 'WPS 文字文档（.wps）', capabilities: { extractsText: true, mayUseOcr: false, truePageNumbers: false } },
  ofd: { extractor: extractOfd, label: 'OFD 版式文件', capabilities: { extractsText: true, mayUseOcr: true, truePageNumbers: true } },
  rar: { extractor: extractUnsupported, label: 'RAR 压缩包', capabilities: UNREAD },
  '7z': { extractor: extractUnsupported, label: '7z 压缩包', capabilities: UNREAD },
  xls: { extractor: extractSpreadsheet, label: '旧版 Excel 表格（.xls、WPS .et）', capabilities: SHEET },
  xlsx: { extractor: extractSpreadsheet, label: 'Excel 表格（.xlsx）', capabilities: SHEET },
  pptx: { extractor: extractPptx, label: '演示文稿（.pptx）', capabilities: SLIDES },
  ppt: { extractor: extractPpt, label: '旧版演示文稿（.ppt）', capabilities: SLIDES },
  unknown: { extractor: extractUnsupported, label: '未知格式', capabilities: UNREAD },
};

/** Identifies the whole extraction build; changes whenever any extractor or the normalisation changes. */
export const EXTRACTOR_VERSION = [
  'registry-2',
  DOC_EXTRACTOR_VERSION,
  PDF_EXTRACTOR_VERSION,
  PDF_SIGNATURES_VERSION,
  DOCX_EXTRACTOR_VERSION,
  IMAGE_EXTRACTOR_VERSION,
  TEXT_EXTRACTOR_VERSION,
  OFD_EXTRACTOR_VERSION,
  SHEET_EXTRACTOR_VERSION,
  PPTX_EXTRACTOR_VERSION,
  PPT_EXTRACTOR_VERSION,
  UNSUPPORTED_EXTRACTOR_VERSION,
  NORMALIZE_VERSION,
].join(';');

const UNREADABLE_CONTENT = '提取失败：文件内容无法解析，可能已损坏或格式异常；请重新导出后提交';

function failure(message: string): ExtractedDocument {
  return {
    status: 'unreadable',
    message,
    pages: [],
    meta: { pageCount: 0, ocrPages: 0 },
    findings: [],
    extractorVersion: EXTRACTOR_VERSION,
  };
}


/**
 * The OCR engine itself failed (worker crash, timeout, pool closed) while reading a file. This says nothing about the
 * file, so it is thrown rather than turned into a status: a result would be cached as if the file were unreadable,
 * while a retry later will most likely succeed.
 */
export class OcrEngineError extends Error {
  override name = 'OcrEngineError';
}

/** Remembers whether the engine (not the image) failed during one extraction. */
function watchOcrEngine(ctx: ExtractionContext): { ctx: ExtractionContext; failure: () => unknown } {
  let failure: unknown;
  const ocr = {
    recognize: async (image: Buffer) => {
      try {
        return await ctx.ocr.recognize(image);
      } catch (error) {
        if (!(error instanceof OcrInputError)) failure ??= error;
        throw error;
      }
    },
    close: () => ctx.ocr.close(),
  };
  return { ctx: { ...ctx, ocr }, failure: () => failure };
}

/**
 * Reads one file. Never throws because of the file: a damaged file, an extractor's exception or a malformed result
 * becomes status `unreadable` with a Chinese message, so one bad file cannot stop a dossier. The one exception is a
 * failure of the OCR engine, thrown as OcrEngineError (see there). `formats` exists so tests can plant extractors.
 */
export async function extractDocument(
  input: ExtractorInput,
  ctx: ExtractionContext,
  formats: Record<FileKind, FormatEntry> = FORMATS,
): Promise<ExtractedDocument> {
  if (input.bytes.length === 0) return emptyFileResult();
  // Intake sees a password-protected .docx/.xlsx as an OLE file and may call it doc, xls or unknown.
  if (isEncryptedOfficePackage(input.bytes)) return encryptedOfficeResult();

  const entry = formats[input.kind] ?? formats.unknown;
  const watched = watchOcrEngine(ctx);
  let raw: unknown;
  try {
    raw = await entry.extractor(input, watched.ctx);
  } catch (error) {
    const engineFailure = watched.failure();
    if (engineFailure !== undefined) {
      throw new OcrEngineError('文字识别引擎出错，请稍后重试', { cause: engineFailure });
    }
    // The exception text is the parser's, in English; the officer reads only the Chinese sentence.
    return failure(UNREADABLE_CONTENT);
  }
  const parsed = ExtractedDocumentSchema.safeParse(raw);
  if (!parsed.success) return failure('提取失败：读取模块返回的结果格式不正确，该文件未能读取');
  return parsed.data;
}
