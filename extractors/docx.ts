import mammoth from 'mammoth';
import yauzl from 'yauzl';
import { extractImage } from './image.ts';
import type { ExtractedDocument, ExtractionContext, Extractor, ExtractorInput, FileFinding, Page } from './model.ts';
import { normalizeText } from './normalize.ts';
import { encryptedOfficeResult, isEncryptedOfficePackage, isOleCompoundFile, unsupportedResult } from './unsupported.ts';
import { DOCX_EXTRACTOR_VERSION } from './versions.ts';

export { DOCX_EXTRACTOR_VERSION };

/** mammoth holds the whole document.xml and its DOM in memory; refuse before inflating something absurd. */
const MAX_DOCUMENT_XML_BYTES = 256 * 1024 * 1024;
const MAX_CORE_XML_BYTES = 1024 * 1024;

const MESSAGES = {
  corrupt: '无法读取 Word 文档：文件已损坏或不是有效的 DOCX',
  notWord: '无法读取 Word 文档：压缩包中没有 Word 正文（word/document.xml），可能是其他格式改了扩展名',
  tooLarge: '无法读取 Word 文档：正文部分解压后超过 256 MB',
  empty: 'Word 文档中没有文字内容',
  imagesWithoutText: (count: number) => `Word 文档中没有文字，其中 ${count} 张图片也未识别到文字`,
} as const;

function result(
  status: ExtractedDocument['status'],
  pages: Page[],
  extra: { message?: string; title?: string; findings?: FileFinding[] } = {},
): ExtractedDocument {
  const ocrPages = pages.filter((p) => p.source === 'ocr').length;
  return {
    status,
    ...(extra.message ? { message: extra.message } : {}),
    pages,
    meta: { pageCount: pages.length, ocrPages, ...(extra.title ? { title: extra.title } : {}) },
    findings: extra.findings ?? [],
    extractorVersion: DOCX_EXTRACTOR_VERSION,
  };
}

interface PackageSurvey {
  hasDocument: boolean;
  documentXmlBytes: number;
  title?: string;
}

/** Reads the zip's central directory (and docProps/core.xml for the title) without touching the body. */
async function surveyPackage(bytes: Buffer): Promise<PackageSurvey> {
  const zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true });
  const survey: PackageSurvey = { hasDocument: false, documentXmlBytes: 0 };
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName === 'word/document.xml') {
        survey.hasDocument = true;
        survey.documentXmlBytes = entry.uncompressedSize;
      } else if (entry.fileName === 'docProps/core.xml' && entry.uncompressedSize <= MAX_CORE_XML_BYTES) {
        const stream = await zip.openReadStreamPromise(entry);
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        const title = titleFromCoreXml(Buffer.concat(chunks).toString('utf8'));
        if (title) survey.title = title;
      }
    }
  } finally {
    zip.close();
  }
  return survey;
}

function decodeXmlText(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(parseInt(dec, 10)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function titleFromCoreXml(xml: string): string | undefined {
  const match = /<dc:title(?:\s[^>]*)?>([\s\S]*?)<\/dc:title>/.exec(xml);
  const title = match?.[1] ? normalizeText(decodeXmlText(match[1])) : '';
  return title || undefined;
}

/**
 * Turns the HTML mammoth writes into lines of text, one page per explicit page break.
 *
 * This is not a general HTML parser: mammoth's writer escapes `&`, `<`, `>` in text and also `"` in attribute values,
 * so a tag is always `<...>` without a raw `>` inside, and text never contains `<`.
 *
 * Paragraphs, headings and list items become lines; a table row becomes one line with its cells joined by " | ", so
 * neighbouring cells never run together; paragraphs inside one cell are joined by a space, which normalisation then
 * removes between Chinese characters ("项目\n名称" → "项目名称", §0.4 table cells).
 */
export function htmlToPages(html: string): string[] {
  const pages: string[][] = [[]];
  let line = '';
  interface TableState {
    row: string[] | null;
    cell: string[] | null;
    rows: string[];
  }
  const tables: TableState[] = [];
  // Footnote back-links ("↑") and reference markers are mammoth's navigation, not document text.
  let skipDepth = 0;

  const currentPage = (): string[] => pages[pages.length - 1]!;
  const innermostCell = (): string[] | null => tables[tables.length - 1]?.cell ?? null;
  const endLine = () => {
    const cell = innermostCell();
    if (cell) {
      cell.push(' ');
      return;
    }
    currentPage().push(line);
    line = '';
  };
  const appendText = (text: string) => {
    const cell = innermostCell();
    if (cell) cell.push(text);
    else line += text;
  };

  const token = /<(\/?)([a-zA-Z0-9]+)([^>]*)>|([^<]+)/g;
  for (let m = token.exec(html); m; m = token.exec(html)) {
    const [, closing, rawName, attributes, text] = m;
    if (text !== undefined) {
      if (skipDepth === 0) appendText(decodeXmlText(text));
      continue;
    }
    const name = rawName!.toLowerCase();
    const isClosing = closing === '/';
    const selfClosing = /\/\s*$/.test(attributes ?? '');
    switch (name) {
      case 'a':
        if (isClosing) skipDepth = Math.max(0, skipDepth - 1);
        else if (/href="#(?:footnote|endnote|comment)-ref-/.test(attributes ?? '')) skipDepth += 1;
        else if (skipDepth > 0) skipDepth += 1;
        break;
      case 'p':
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6':
      case 'li':
      case 'dt':
      case 'dd':
        if (isClosing) endLine();
        else if (line !== '' && !innermostCell()) endLine();
        break;
      case 'br':
        endLine();
        break;
      case 'hr':
        // Our style map turns Word's explicit page breaks into <hr>.
        if (innermostCell()) break;
        if (line !== '') endLine();
        pages.push([]);
        break;
      case 'table':
        if (!isClosing) {
          if (line !== '' && !innermostCell()) endLine();
          tables.push({ row: null, cell: null, rows: [] });
        } else {
          const table = tables.pop();
          if (!table) break;
          const parentCell = innermostCell();
          if (parentCell) parentCell.push(' ', table.rows.join(' '), ' ');
          else currentPage().push(...table.rows);
        }
        break;
      case 'tr': {
        const table = tables[tables.length - 1];
        if (!table) break;
        if (!isClosing) table.row = [];
        else if (table.row) {
          const cells = table.row.map((c) => c.replace(/\s+/g, ' ').trim());
          if (cells.some((c) => c !== '')) table.rows.push(cells.join(tables.length > 1 ? ' ' : ' | '));
          table.row = null;
        }
        break;
      }
      case 'td':
      case 'th': {
        const table = tables[tables.length - 1];
        if (!table) break;
        if (!isClosing && !selfClosing) table.cell = [];
        else if (!isClosing && selfClosing) table.row?.push('');
        else if (table.cell) {
          table.row?.push(table.cell.join(''));
          table.cell = null;
        }
        break;
      }
      default:
        break;
    }
  }
  if (line !== '') currentPage().push(line);
  return pages.map((lines) => lines.join('\n'));
}

export const extractDocx: Extractor = async (input, ctx) => {
  const { bytes } = input;
  if (isEncryptedOfficePackage(bytes)) return encryptedOfficeResult();
  // A legacy .doc renamed to .docx: say what it really is rather than "corrupt".
  if (isOleCompoundFile(bytes)) return unsupportedResult('doc');

  let survey: PackageSurvey;
  try {
    survey = await surveyPackage(bytes);
  } catch {
    return result('unreadable', [], { message: MESSAGES.corrupt });
  }
  if (!survey.hasDocument) return result('unreadable', [], { message: MESSAGES.notWord, title: survey.title });
  if (survey.documentXmlBytes > MAX_DOCUMENT_XML_BYTES) {
    return result('unreadable', [], { message: MESSAGES.tooLarge, title: survey.title });
  }

  // Image bytes are read only if the document turns out to have no text (a scan pasted into Word).
  const images: (() => Promise<Buffer>)[] = [];
  let html: string;
  try {
    const converted = await mammoth.convertToHtml(
      { buffer: bytes },
      {
        styleMap: ["br[type='page'] => hr"],
        // Never inline image data (memory) and never follow links to external images (mammoth's default, made explicit).
        externalFileAccess: false,
        convertImage: mammoth.images.imgElement(async (image) => {
          images.push(() => image.read());
          return { src: '' };
        }),
      },
    );
    html = converted.value;
  } catch {
    return result('unreadable', [], { message: MESSAGES.corrupt, title: survey.title });
  }

  const texts = htmlToPages(html).map(normalizeText);
  // A trailing page break leaves an empty last page; an empty page in the middle is kept so numbering stays true.
  while (texts.length > 1 && texts[texts.length - 1] === '') texts.pop();

  if (texts.every((t) => t === '')) {
    if (images.length === 0) return result('empty', [], { message: MESSAGES.empty, title: survey.title });
    return readScannedDocx(input, ctx, images, survey.title);
  }

  const pages: Page[] = texts.map((text, i) => ({ n: i + 1, text, source: 'text-layer' }));
  for (const page of pages) ctx?.onPage?.({ page: page.n, pageCount: pages.length, source: 'text-layer' });
  const findings: FileFinding[] = [];
  if (images.length > 0) {
    findings.push({
      code: 'docx-images-not-read',
      severity: 'info',
      message: `文档含 ${images.length} 张图片，图片中的文字未识别`,
      path: input.path,
    });
  }
  return result('ok', pages, { title: survey.title, findings });
};

/**
 * A Word file with no text but pictures is usually a scan pasted into Word: each picture is read by the image
 * extractor (same size guards and OCR) and becomes one page, in document order. Pictures that cannot be decoded
 * (EMF/WMF drawings, broken links to external files) are skipped and counted. OCR engine failures propagate.
 */
async function readScannedDocx(
  input: ExtractorInput,
  ctx: ExtractionContext,
  images: (() => Promise<Buffer>)[],
  title: string | undefined,
): Promise<ExtractedDocument> {
  const pages: Page[] = [];
  const findings: FileFinding[] = [];
  let skipped = 0;
  const readable = images.slice(0, ctx.limits.maxOcrPagesPerDocument);
  if (images.length > readable.length) {
    findings.push({
      code: 'ocr-page-limit',
      severity: 'warning',
      message: `文档含 ${images.length} 张图片，超过单个文件 ${ctx.limits.maxOcrPagesPerDocument} 页的识别上限，其余图片未识别`,
      path: input.path,
    });
  }
  for (const [index, read] of readable.entries()) {
    let imageBytes: Buffer;
    try {
      imageBytes = await read();
    } catch {
      skipped += 1;
      continue;
    }
    const imagePath = `${input.path}#图片${index + 1}`;
    const { onPage: _ignored, ...quietCtx } = ctx;
    const doc = await extractImage({ path: imagePath, bytes: imageBytes, kind: 'image' }, quietCtx);
    if (doc.status !== 'ok' && doc.status !== 'empty') {
      skipped += 1;
      continue;
    }
    const firstNewPage = pages.length + 1;
    for (const page of doc.pages) {
      pages.push({ ...page, n: pages.length + 1 });
      ctx.onPage?.({ page: pages.length, pageCount: readable.length, source: 'ocr' });
    }
    for (const finding of doc.findings) {
      findings.push({
        ...finding,
        path: input.path,
        ...(finding.page !== undefined ? { page: firstNewPage + finding.page - 1 } : {}),
      });
    }
  }
  if (skipped > 0) {
    findings.push({
      code: 'docx-images-skipped',
      severity: 'info',
      message: `文档中有 ${skipped} 张图片无法解码（如矢量图或外部链接图片），未做文字识别`,
      path: input.path,
    });
  }
  if (pages.every((p) => p.text === '')) {
    return result('empty', pages, { message: MESSAGES.imagesWithoutText(images.length), title, findings });
  }
  findings.push({
    code: 'docx-scanned-images',
    severity: 'info',
    message: `Word 文档中没有文字，已对其中 ${pages.length} 张图片做文字识别`,
    path: input.path,
  });
  return result('ok', pages, { title, findings });
}
