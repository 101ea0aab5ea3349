import WordExtractor from 'word-extractor';
import type { ExtractedDocument, Extractor } from './model.ts';
import { normalizeText } from './normalize.ts';
import { encryptedOfficeResult, isEncryptedOfficePackage, unsupportedResult } from './unsupported.ts';
import { DOC_EXTRACTOR_VERSION } from './versions.ts';

export { DOC_EXTRACTOR_VERSION };

const WORD_DOCUMENT_STREAM = Buffer.from('WordDocument', 'utf16le');

/**
 * Legacy Word (.doc, Word 97–2003) through word-extractor, which reads the OLE compound file and its piece table
 * directly (no converter, nothing fetched). The body and text boxes become one page: the format keeps no reliable page
 * boundaries. WPS 文字 files saved in the Word-compatible OLE layout are read the same way; an OLE file that is not a
 * Word document (an .xls named .doc, an old WPS format) stays unsupported.
 */
export const extractDoc: Extractor = async ({ bytes, kind }) => {
  if (isEncryptedOfficePackage(bytes)) return encryptedOfficeResult();
  if (!bytes.includes(WORD_DOCUMENT_STREAM)) return unsupportedResult(kind === 'wps' ? 'wps' : 'doc');
  let text: string;
  try {
    const document = await new WordExtractor().extract(bytes);
    text = [document.getBody(), document.getTextboxes({ includeHeadersAndFooters: false, includeBody: true })].filter(Boolean).join('\n');
  } catch (error) {
    return failed(`无法读取旧版 Word 文档（.doc）：文件已损坏或已加密（${(error as Error).message.slice(0, 120)}）`);
  }
  // word-extractor ends each table cell with a tab: cells joined by " | " (as the DOCX extractor writes them) never
  // run together.
  const normalised = normalizeText(text.replace(/\r\n?/g, '\n').replace(/\t+(?=\n|$)/g, '').replace(/\t/g, ' | '));
  if (!normalised.trim()) {
    return { status: 'empty', message: '旧版 Word 文档中没有文字', pages: [], meta: { pageCount: 0, ocrPages: 0 }, findings: [], extractorVersion: DOC_EXTRACTOR_VERSION };
  }
  return {
    status: 'ok',
    pages: [{ n: 1, text: normalised, source: 'text-layer' }],
    meta: { pageCount: 1, ocrPages: 0 },
    findings: [],
    extractorVersion: DOC_EXTRACTOR_VERSION,
  };
};

function failed(message: string): ExtractedDocument {
  return { status: 'unreadable', message, pages: [], meta: { pageCount: 0, ocrPages: 0 }, findings: [], extractorVersion: DOC_EXTRACTOR_VERSION };
}
