import type { PDFParse } from 'pdf-parse';
import type {
  DocumentMeta,
  ExtractedDocument,
  ExtractionContext,
  ExtractionStatus,
  Extractor,
  FileFinding,
  Page,
} from '../model.ts';
import { handedOverBytes, handedOverFrom, wereHandedOver } from '../handed-over-bytes.ts';
import { NORMALIZE_VERSION, normalizeText } from '../normalize.ts';
import { rescaleLayout } from '../ocr/layout.ts';
import { OcrInputError, openImage } from '../ocr/preprocess.ts';
import { analysePageSeals, SEAL_READER_VERSION, type SealRecord } from '../seals/index.ts';
import { OCR_ENGINE_VERSION } from '../ocr/traineddata.ts';
import { activeContentInBytes, activeContentInDocument, describeActiveContent } from './active-content.ts';
import { GARBAGE_DETECTOR_VERSION, judgeTextLayer, type TextLayerVerdict } from './garbage.ts';
import { pageOcrInput } from './ocr-input.ts';
import { bytesSource, fileSource, type PdfByteSource } from './byte-source.ts';
import { describePages } from './page-ranges.ts';
import { BANDS, completeSkim, pageBands } from './skim.ts';
import { defaultExtractionLimits } from '../limits.ts';
import { PDF_PARSE_VERSION, PDFJS_VERSION, pdfjsResourceOptions } from './pdfjs-resources.ts';
import { PDF_TEXT_ENGINE, PDFIUM_PACKAGE_VERSION, readTextWithPdfium, type PdfiumPages } from './pdfium-text.ts';

export { GARBAGE_DETECTOR_VERSION, judgeTextLayer, type TextLayerVerdict } from './garbage.ts';

/** Seals found on the scanned pages read in full, and which pages were looked at (extractors/seals). */
interface PageSeals {
  seals: SealRecord[];
  checkedPages: number[];
  monochromePages: number[];
}

/**
 * Part of the extraction cache key: changes with this module (bump the leading number), pdf-parse, pdf.js, the text
 * engine (PDFium and its version, or pdf.js alone), the garbage detector, the normalisation or the OCR engine.
 */
export const PDF_EXTRACTOR_VERSION = [
  'pdf@5',
  `pdf-parse@${PDF_PARSE_VERSION}`,
  `pdfjs@${PDFJS_VERSION}`,
  PDF_TEXT_ENGINE === 'pdfium' ? `text=pdfium@${PDFIUM_PACKAGE_VERSION}` : 'text=pdfjs',
  `garbage@${GARBAGE_DETECTOR_VERSION}`,
  NORMALIZE_VERSION,
  OCR_ENGINE_VERSION,
  SEAL_READER_VERSION,
].join('+');

/**
 * Pages handed to the OCR engine at once. The pool queues anything beyond its size, so two keeps a two-worker pool
 * busy while the next page is being prepared, without holding many page bitmaps in memory.
 */
const OCR_PAGES_IN_FLIGHT = 2;
/** Pages below this mean OCR confidence get a warning (same threshold as extractors/image). */
const LOW_CONFIDENCE = 50;
/** pdf.js itself accepts an end marker anywhere in the last 1 KiB; a little more slack for trailing padding. */
const END_MARKER_WINDOW = 2048;

const MESSAGES = {
  zeroBytes: '文件为空（0 字节）',
  encrypted: 'PDF 已加密，需要打开密码才能读取内容；请提供未加密的文件',
  truncated: '无法读取 PDF：文件不完整（缺少结尾的 %%EOF 标记，可能在上传或复制时被截断）',
  corrupt: '无法读取 PDF：文件已损坏或不是有效的 PDF',
  noText: (pageCount: number) => `PDF 中没有可读取的文字（共 ${pageCount} 页：没有文字层，OCR 也未识别出文字）`,
  noTextOcrLimited: (pageCount: number) =>
    `PDF 中没有可读取的文字（共 ${pageCount} 页：没有可用的文字层，且超出 OCR 页数上限的页未识别）`,
} as const;

const FINDINGS = {
  scannedPages: (pages: string) => `${pages}没有可用的文字层（扫描页），文字由 OCR 识别`,
  garbledPages: (pages: string) => `${pages}的文字层是乱码（字体缺少正确的 Unicode 映射），已改用 OCR 识别`,
  ocrLimit: (pages: string, limit: number) => `${pages}需要 OCR，但超过了单个文件 ${limit} 页的识别上限，这些页的文字未识别`,
  lowConfidence: (page: number, confidence: number) =>
    `第 ${page} 页文字识别置信度较低（${Math.round(confidence)}），识别结果可能不准确，建议提供更清晰的扫描件`,
  textUnreadable: (page: number) => `第 ${page} 页的文字无法读取（页面内容已损坏）`,
  notRendered: (page: number) => `第 ${page} 页无法转为图像（页面内容已损坏），未能 OCR`,
  ocrInput: (page: number, detail: string) => `第 ${page} 页：${detail}`,
  partialPages: (pages: string) => `${pages}仅识别了页面顶部和底部（用于划分材料、识别标题），正文未全文识别`,
  truncated: '文件末尾缺少 %%EOF 结束标记，可能不完整；已尽量读取',
  pageLimit: (total: number, limit: number) => `页数超过上限，仅读取前 ${limit} 页（文件声称共 ${total} 页）`,
} as const;

/**
 * The OCR engine itself failed (pool closed, worker crashed, timeout) — not the PDF. Like extractors/image, this
 * propagates so the job can be retried rather than caching a result with pages silently missing.
 */
class OcrEngineFailure extends Error {
  override name = 'OcrEngineFailure';
}

interface OcrCandidate {
  n: number;
  rawText: string;
  verdict: TextLayerVerdict;
}

/**
 * Reads a PDF page by page: the text layer where it is usable, OCR where a page has no text or garbage text.
 * A damaged, encrypted or empty file never throws: it becomes a status with a Chinese message. Only a failure of
 * the OCR engine itself (not of the file) propagates, as in extractors/image.
 */
/**
 * pdf.js (through pdf-parse) is loaded by the first PDF a process reads. Files are read in reader processes, which load
 * it before tsx's loader (preload-pdfjs.mjs); a process that only hands files to readers and registers the extractors'
 * versions (the CLI, the API, a queue worker, the bench's checking process) never holds it: ~40 MB loaded by Node,
 * ~130 MB through tsx's loader (measured with the 200-page bench's checking process, issue 11).
 */
let pdfParseModule: Promise<typeof import('pdf-parse')> | undefined;

export const extractPdf: Extractor = async (input, ctx) => {
  if (input.bytes.length === 0) return withoutPages('empty', MESSAGES.zeroBytes);
  const { PDFParse, VerbosityLevel } = await (pdfParseModule ??= import('pdf-parse'));
  // Read before pdf.js is given the file: handed-over bytes are empty once it has them.
  const bytesSeen: BytesSeen = { endMarker: hasEndMarker(input.bytes), activeContent: activeContentInBytes(input.bytes), source: scanSource(input.bytes) };
  // PDFium reads the text layer first, while the bytes are still ours; pdf.js then opens the file for the rest.
  const pdfiumPages = PDF_TEXT_ENGINE === 'pdfium' ? await readTextWithPdfium(input.bytes, Math.max(0, ctx.limits.maxPagesPerDocument)).catch(() => null) : null;
  const parser = new PDFParse({
    data: handedOverBytes(input.bytes) ?? input.bytes,
    ...pdfjsResourceOptions,
    // Untrusted input: no code generated from PDF content (fonts, functions).
    isEvalSupported: false,
    // Decompression-bomb guard: pdf.js skips images above this size instead of allocating them.
    maxImageSize: ctx.limits.refuseImagePixels,
    verbosity: VerbosityLevel.ERRORS,
  });
  if (bytesSeen.source) scanSources.set(parser, bytesSeen.source);
  try {
    return await extractWith(parser, bytesSeen, ctx, pdfiumPages);
  } catch (error) {
    if (error instanceof OcrEngineFailure) throw error.cause;
    return failureResult(error, bytesSeen);
  } finally {
    await parser.destroy().catch(() => undefined);
  }
};

interface PdfDocumentView {
  numPages: number;
  getMetadata(): Promise<{ info: unknown }>;
  getJSActions(): Promise<unknown>;
  getAttachments(): Promise<unknown>;
}

/**
 * pdf-parse keeps its pdf.js document private, yet only the document tells the page count without walking every
 * page's label and names the JavaScript actions and attachments (pdf-parse 2 exposes neither).
 */
function pdfDocumentOf(parser: PDFParse): Promise<PdfDocumentView> {
  return (parser as unknown as { load(): Promise<PdfDocumentView> }).load();
}

/** What the extractor reads from the file's raw bytes, before pdf.js takes them. */
interface BytesSeen {
  endMarker: boolean;
  activeContent: ReturnType<typeof activeContentInBytes>;
  /** Where a scanned page's stored image is read from (raw-scan.ts); undefined: from a copy asked back from pdf.js. */
  source: PdfByteSource | undefined;
}

/** Each open document's scanSource, for its pages' OCR input. */
const scanSources = new WeakMap<PDFParse, PdfByteSource>();

/**
 * Bytes the caller keeps are read where they are; handed-over bytes (pdf.js takes them) from the file they were read
 * from. Bytes handed over without a file (sent to the reader process) leave raw-scan.ts to ask pdf.js for a copy.
 */
function scanSource(bytes: Buffer): PdfByteSource | undefined {
  if (!wereHandedOver(bytes)) return bytesSource(bytes);
  const from = handedOverFrom(bytes);
  return from && from.size === bytes.length ? fileSource(from.path, from) : undefined;
}

async function extractWith(parser: PDFParse, bytes: BytesSeen, ctx: ExtractionContext, pdfiumPages: PdfiumPages | null): Promise<ExtractedDocument> {
  const doc = await pdfDocumentOf(parser);
  const declaredPages = doc.numPages;
  // pdf.js decides what the file is and how many pages it has; where PDFium counts otherwise (a damaged page tree),
  // its texts could sit on the wrong page numbers, so pdf.js reads them all.
  const pdfiumTexts = pdfiumPages?.pageCount === declaredPages ? pdfiumPages.texts : [];
  // getInfo() would walk every page's labels; the metadata alone is enough and costs nothing per page.
  const metadata = await doc.getMetadata().catch(() => ({ info: {} }));
  const pageCount = Math.min(declaredPages, Math.max(0, ctx.limits.maxPagesPerDocument));
  const pages: (Page | undefined)[] = new Array<Page | undefined>(pageCount);
  const findings: FileFinding[] = [];
  if (!bytes.endMarker) findings.push({ code: 'pdf-truncated', severity: 'warning', message: FINDINGS.truncated });
  if (declaredPages > pageCount) {
    findings.push({ code: 'page-limit', severity: 'warning', message: FINDINGS.pageLimit(declaredPages, pageCount) });
  }
  const active = new Set([...bytes.activeContent, ...(await activeContentInDocument(doc))]);
  if (active.size > 0) findings.push({ code: 'pdf-active-content', severity: 'warning', message: describeActiveContent(active) });

  const settle = (page: Page) => {
    pages[page.n - 1] = page;
    ctx.onPage?.({ page: page.n, pageCount, source: page.source });
  };

  const candidates: OcrCandidate[] = [];
  for (let n = 1; n <= pageCount; n++) {
    let rawText: string;
    try {
      rawText = pdfiumTexts[n - 1] ?? (await pdfjsPageText(parser, n));
    } catch (error) {
      findings.push({ code: 'page-unreadable', severity: 'warning', page: n, message: FINDINGS.textUnreadable(n) });
      settle({ n, text: '', source: 'text-layer' });
      continue;
    }
    const verdict = judgeTextLayer(rawText);
    if (verdict.usable) settle({ n, text: normalizeText(rawText), source: 'text-layer' });
    else candidates.push({ n, rawText, verdict });
  }

  const ocrLimit = Math.max(0, ctx.limits.maxOcrPagesPerDocument);
  const toRecognize = candidates.slice(0, ocrLimit);
  const beyondLimit = candidates.slice(ocrLimit);
  for (const candidate of beyondLimit) settle({ n: candidate.n, text: textLayerFallback(candidate), source: 'text-layer' });

  const pageSeals: PageSeals = { seals: [], checkedPages: [], monochromePages: [] };
  const skimFrom = ctx.limits.skimOcrFromPages ?? defaultExtractionLimits.skimOcrFromPages ?? Number.POSITIVE_INFINITY;
  const recognized =
    toRecognize.length >= skimFrom
      ? await skimThenRead(parser, toRecognize, pages, ctx, findings, settle, pageSeals)
      : await recognizePages(parser, toRecognize, ctx, findings, settle, 'page', pageSeals);

  const ocrPageNumbers = new Set(recognized.filter((p) => p.source === 'ocr').map((p) => p.n));
  const scanned = toRecognize.filter((c) => ocrPageNumbers.has(c.n) && isMissingText(c.verdict)).map((c) => c.n);
  const garbled = toRecognize.filter((c) => ocrPageNumbers.has(c.n) && !isMissingText(c.verdict)).map((c) => c.n);
  if (scanned.length > 0) findings.push({ code: 'pdf-scanned-pages', severity: 'info', page: scanned[0], message: FINDINGS.scannedPages(describePages(scanned)) });
  if (garbled.length > 0) findings.push({ code: 'pdf-garbled-text-layer', severity: 'info', page: garbled[0], message: FINDINGS.garbledPages(describePages(garbled)) });
  if (beyondLimit.length > 0) {
    const skipped = beyondLimit.map((c) => c.n);
    findings.push({ code: 'ocr-page-limit', severity: 'warning', page: skipped[0], message: FINDINGS.ocrLimit(describePages(skipped), ocrLimit) });
  }

  const finalPages = pages.map((page, index) => page ?? { n: index + 1, text: '', source: 'text-layer' as const });
  const meta: DocumentMeta = { ...documentMeta(metadata.info, pageCount), ocrPages: ocrPageNumbers.size };
  const hasText = finalPages.some((page) => page.text.trim() !== '');
  return {
    status: hasText ? 'ok' : 'empty',
    ...(hasText ? {} : { message: beyondLimit.length > 0 ? MESSAGES.noTextOcrLimited(pageCount) : MESSAGES.noText(pageCount) }),
    pages: finalPages,
    meta,
    findings: findings.sort((a, b) => (a.page ?? 0) - (b.page ?? 0)),
    ...(pageSeals.seals.length > 0 ? { seals: pageSeals.seals.sort((a, b) => (a.page ?? 0) - (b.page ?? 0)) } : {}),
    ...(pageSeals.checkedPages.length > 0 ? { sealScan: { checkedPages: pageSeals.checkedPages.sort((a, b) => a - b), monochromePages: pageSeals.monochromePages.sort((a, b) => a - b) } } : {}),
    extractorVersion: PDF_EXTRACTOR_VERSION,
  };
}

async function pdfjsPageText(parser: PDFParse, n: number): Promise<string> {
  const result = await parser.getText({ partial: [n] });
  return result.pages.find((p) => p.num === n)?.text ?? '';
}

/**
 * The cheap pass (skim.ts): the top and bottom of every page first, then in full only the pages the segmentation and
 * the checks need. `known` holds the pages settled so far (text-layer pages), indexed by page number − 1.
 */
async function skimThenRead(
  parser: PDFParse,
  candidates: readonly OcrCandidate[],
  known: readonly (Page | undefined)[],
  ctx: ExtractionContext,
  findings: FileFinding[],
  onSettled: (page: Page) => void,
  pageSeals: PageSeals,
): Promise<Page[]> {
  const byNumber = new Map(candidates.map((c) => [c.n, c]));
  // Progress is reported as pages are skimmed (the skim is most of the wall time) and again as some are read in full.
  const skimmed = new Map((await recognizePages(parser, candidates, ctx, findings, onSettled, 'bands')).map((p) => [p.n, p]));
  const skimFindings = findings.length;
  const all = known.map((page, i) => skimmed.get(i + 1) ?? page ?? { n: i + 1, text: '', source: 'text-layer' as const });
  const readInFull = new Set<number>();
  const final = await completeSkim(all, (numbers) => {
    for (const n of numbers) readInFull.add(n);
    return recognizePages(parser, numbers.map((n) => byNumber.get(n)!).filter(Boolean), ctx, findings, onSettled, 'page', pageSeals);
  });
  // A page read twice keeps the findings of its full reading only (the bands' confidence says little about it).
  const fromBands = new Set(findings.slice(0, skimFindings));
  for (let i = findings.length - 1; i >= 0; i--) {
    const f = findings[i]!;
    if (fromBands.has(f) && f.code === 'ocr-low-confidence' && f.page !== undefined && readInFull.has(f.page)) findings.splice(i, 1);
  }
  const ocrd = final.filter((p) => byNumber.has(p.n));
  const partial = ocrd.filter((p) => p.partial).map((p) => p.n);
  if (partial.length > 0) findings.push({ code: 'ocr-partial-pages', severity: 'info', page: partial[0], message: FINDINGS.partialPages(describePages(partial)) });
  return ocrd;
}

/**
 * Prepares page images one at a time (pdf.js is busy on this thread) while the OCR engine, which runs in its own
 * threads, works on up to OCR_PAGES_IN_FLIGHT of them.
 */
async function recognizePages(
  parser: PDFParse,
  candidates: readonly OcrCandidate[],
  ctx: ExtractionContext,
  findings: FileFinding[],
  onSettled: (page: Page) => void,
  /** `bands`: the top and bottom of the page only (the cheap pass); the pages come back marked `partial`. */
  read: 'page' | 'bands' = 'page',
  /** Where seals found on pages read in full go; bands are too little of a page to look for seals on. */
  pageSeals?: PageSeals,
): Promise<Page[]> {
  const results: Page[] = [];
  const settle = (page: Page) => {
    results.push(page);
    onSettled(page);
  };
  const inFlight = new Set<Promise<void>>();
  let engineFailure: OcrEngineFailure | undefined;
  for (const candidate of candidates) {
    if (engineFailure) break;
    let image: Buffer;
    try {
      const input = await pageOcrInput(parser, candidate.n, ctx.limits, read === 'bands' ? BANDS : undefined, scanSources.get(parser));
      image = read === 'bands' && !input.bands ? await pageBands(input.image) : input.image;
    } catch (error) {
      findings.push({ code: 'page-unreadable', severity: 'warning', page: candidate.n, message: FINDINGS.notRendered(candidate.n) });
      settle({ n: candidate.n, text: textLayerFallback(candidate), source: 'text-layer' });
      continue;
    }
    // Tasks never reject, so a failing page cannot leave its neighbours' promises unhandled.
    const tracked: Promise<void> = recognizeOne(candidate, image, ctx, findings, read === 'page' ? pageSeals : undefined)
      // The bands are two strips stacked into one picture: their boxes are not the page's, so they are not kept.
      .then(({ ocrLayout, ...page }) => (read === 'bands' && page.source === 'ocr' ? { ...page, partial: true as const } : { ...page, ...(ocrLayout ? { ocrLayout } : {}) }))
      .then(
        (page) => settle(page),
        (error: unknown) => void (engineFailure ??= new OcrEngineFailure('OCR engine failed', { cause: error })),
      )
      .finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= OCR_PAGES_IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (engineFailure) throw engineFailure;
  return results.sort((a, b) => a.n - b.n);
}

/** Resolves with the page; rejects only when the OCR engine itself fails. */
async function recognizeOne(candidate: OcrCandidate, image: Buffer, ctx: ExtractionContext, findings: FileFinding[], pageSeals?: PageSeals): Promise<Page> {
  let result;
  try {
    // Seals are read before the page: where one covers text, the page is read with its red ink lifted.
    let pageImage = image;
    let imageSize: { width: number; height: number } | undefined;
    if (pageSeals) {
      const opened = await openImage(image, { refuseImagePixels: ctx.limits.refuseImagePixels });
      const found = await analysePageSeals(opened.pipeline, opened.width, opened.height, {
        ocr: ctx.ocr,
        page: candidate.n,
        ...(opened.density ? { density: opened.density } : {}),
        maxImagePixels: ctx.limits.maxImagePixels,
      });
      pageSeals.seals.push(...found.seals);
      pageSeals.checkedPages.push(candidate.n);
      if (found.monochrome) pageSeals.monochromePages.push(candidate.n);
      pageImage = found.cleanedPage ?? image;
      imageSize = { width: opened.width, height: opened.height };
    }
    result = await ctx.ocr.recognize(pageImage);
    // The seal-lifted copy may be smaller than the page's scan; boxes are kept in the scan's pixels.
    if (result.layout && imageSize) result = { ...result, layout: rescaleLayout(result.layout, imageSize.width, imageSize.height) };
  } catch (error) {
    if (!(error instanceof OcrInputError)) throw error;
    findings.push({
      code: error.reason === 'too-large' ? 'image-too-large' : 'page-unreadable',
      severity: 'warning',
      page: candidate.n,
      message: FINDINGS.ocrInput(candidate.n, error.message),
    });
    return { n: candidate.n, text: textLayerFallback(candidate), source: 'text-layer' };
  }
  const text = normalizeText(result.text);
  // A page number or stamp over a scan: keep whichever reading says more.
  if (candidate.verdict.reason === 'too-short' && meaningfulLength(text) <= meaningfulLength(candidate.rawText)) {
    return { n: candidate.n, text: normalizeText(candidate.rawText), source: 'text-layer' };
  }
  const confidence = Math.min(100, Math.max(0, result.confidence));
  if (text !== '' && confidence < LOW_CONFIDENCE) {
    findings.push({ code: 'ocr-low-confidence', severity: 'warning', page: candidate.n, message: FINDINGS.lowConfidence(candidate.n, confidence) });
  }
  return { n: candidate.n, text, source: 'ocr', confidence, ...(result.layout ? { ocrLayout: result.layout } : {}) };
}

/** What a page keeps when it is not OCR'd: a short text layer is still true text; garbage is dropped, not passed on. */
function textLayerFallback(candidate: OcrCandidate): string {
  return candidate.verdict.reason === 'too-short' ? normalizeText(candidate.rawText) : '';
}

function isMissingText(verdict: TextLayerVerdict): boolean {
  return verdict.reason === 'no-text' || verdict.reason === 'too-short';
}

function meaningfulLength(text: string): number {
  return text.match(/[\p{L}\p{Nd}]/gu)?.length ?? 0;
}

function documentMeta(infoDictionary: unknown, pageCount: number): Omit<DocumentMeta, 'ocrPages'> {
  const dictionary = (typeof infoDictionary === 'object' && infoDictionary !== null ? infoDictionary : {}) as Record<string, unknown>;
  const field = (key: string): string | undefined => {
    const value = dictionary[key];
    if (typeof value !== 'string') return undefined;
    const text = normalizeText(value);
    return text === '' ? undefined : text;
  };
  const producer = field('Producer');
  const creator = field('Creator');
  const title = field('Title');
  return {
    pageCount,
    ...(producer ? { producer } : {}),
    ...(creator ? { creator } : {}),
    ...(title ? { title } : {}),
  };
}

function hasEndMarker(bytes: Buffer): boolean {
  return bytes.subarray(Math.max(0, bytes.length - END_MARKER_WINDOW)).includes('%%EOF', 0, 'latin1');
}

function isPasswordError(error: unknown): boolean {
  // pdf.js's PasswordException, known by its name: the module is loaded lazily (see pdfParseModule).
  return error instanceof Error && error.name === 'PasswordException';
}

function failureResult(error: unknown, bytes: BytesSeen): ExtractedDocument {
  if (isPasswordError(error)) return withoutPages('encrypted', MESSAGES.encrypted);
  return withoutPages('unreadable', bytes.endMarker ? MESSAGES.corrupt : MESSAGES.truncated);
}

function withoutPages(status: ExtractionStatus, message: string): ExtractedDocument {
  return { status, message, pages: [], meta: { pageCount: 0, ocrPages: 0 }, findings: [], extractorVersion: PDF_EXTRACTOR_VERSION };
}

