import { z } from 'zod';
import { FindingCodeSchema } from './finding-codes.ts';
import { OcrLayoutSchema, type OcrLayout } from './ocr/layout.ts';
import { SealRecordSchema, SealScanSchema } from './seals/schema.ts';

/**
 * What a file really is, sniffed from its bytes (the extension only breaks ties).
 * `zip` is an archive to open during intake; office formats that are zips (docx, xlsx, pptx, ofd) get their own kind.
 */
export const FileKindSchema = z.enum([
  'pdf',
  'docx',
  'image',
  'text',
  'zip',
  'doc',
  'wps',
  'ofd',
  'rar',
  '7z',
  'xls',
  'xlsx',
  'pptx',
  'ppt',
  'unknown',
]);
export type FileKind = z.infer<typeof FileKindSchema>;

export const PageSourceSchema = z.enum(['text-layer', 'ocr']);
export type PageSource = z.infer<typeof PageSourceSchema>;

export const PageSchema = z.object({
  /** 1-based page number as a person counts pages. */
  n: z.number().int().positive(),
  /** Normalised text of the page (see extractors/normalize). */
  text: z.string(),
  source: PageSourceSchema,
  /** OCR mean confidence, 0–100; absent for text-layer pages. */
  confidence: z.number().min(0).max(100).optional(),
  /**
   * Only the top and bottom bands of the page were OCR'd (the cheap pass that finds where the documents of a long
   * scanned file start); its body was not read. Absent when the whole page was read.
   */
  partial: z.literal(true).optional(),
  /**
   * Where OCR read each line, in pixels of the page image (an image file's own picture, upright; a scanned PDF page's
   * scan): the evidence viewer marks a quote there. Absent for text-layer pages and for pages only partly read.
   */
  ocrLayout: OcrLayoutSchema.optional(),
});
export type Page = z.infer<typeof PageSchema>;

export const ExtractionStatusSchema = z.enum(['ok', 'empty', 'unreadable', 'encrypted', 'unsupported']);
export type ExtractionStatus = z.infer<typeof ExtractionStatusSchema>;

export const SeveritySchema = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof SeveritySchema>;

/** Something worth telling a person about one file or one archive entry. Messages are in Chinese. */
export const FileFindingSchema = z.object({
  /** Registered in extractors/finding-codes.ts; no other code is accepted. */
  code: FindingCodeSchema,
  severity: SeveritySchema,
  message: z.string(),
  path: z.string().optional(),
  page: z.number().int().positive().optional(),
});
export type FileFinding = z.infer<typeof FileFindingSchema>;

export const DocumentMetaSchema = z.object({
  pageCount: z.number().int().nonnegative(),
  producer: z.string().optional(),
  creator: z.string().optional(),
  title: z.string().optional(),
  /** Number of pages whose text came from OCR. */
  ocrPages: z.number().int().nonnegative().default(0),
});
export type DocumentMeta = z.infer<typeof DocumentMetaSchema>;

/**
 * An electronic seal or signature found in the file (an OFD's Signs/…), recorded as evidence for later rules. Read,
 * not verified: `verified` stays false until something checks the cryptography.
 */
export const ElectronicSealSchema = z.object({
  /** An OFD's Signs/Signature.xml, or a PDF signature field's signature dictionary. */
  source: z.enum(['ofd-signature', 'pdf-signature']),
  /** `seal` for 电子签章 (a seal image with a signature), `signature` for a plain digital signature. */
  kind: z.enum(['seal', 'signature']),
  /** The seal's own name (GM/T 0031 SES_Seal property name), e.g. 某某市发展和改革委员会. */
  name: z.string().optional(),
  /** Who signed: the subject (CN, else O) of the signer's certificate. */
  signer: z.string().optional(),
  /** Page the seal is stamped on, 1-based across the whole file. */
  page: z.number().int().positive().optional(),
  /** The signing software as the file names it. */
  provider: z.string().optional(),
  /** As written in the file (formats vary by producer). */
  signedAt: z.string().optional(),
  verified: z.literal(false),
});
export type ElectronicSeal = z.infer<typeof ElectronicSealSchema>;

export const ExtractedDocumentSchema = z.object({
  status: ExtractionStatusSchema,
  /** Chinese message explaining a status other than ok. */
  message: z.string().optional(),
  pages: z.array(PageSchema),
  meta: DocumentMetaSchema,
  findings: z.array(FileFindingSchema).default([]),
  /** Electronic seals and signatures the file carries (OFD, PDF); absent when the format has none or none were found. */
  electronicSeals: z.array(ElectronicSealSchema).optional(),
  /** Red seals found on scanned pages and photos, with what was read from them; absent when none was found. */
  seals: z.array(SealRecordSchema).optional(),
  /** Pages the seal detector looked at (scans and photos); absent when it did not run (text layers, Word files…). */
  sealScan: SealScanSchema.optional(),
  /** Identifies the extractor build; part of the extraction cache key. */
  extractorVersion: z.string(),
});
export type ExtractedDocument = z.infer<typeof ExtractedDocumentSchema>;

/** The result of OCR on one image. Text is already normalised (spaces between Han characters removed). */
export interface OcrResult {
  text: string;
  /** Mean confidence 0–100. */
  confidence: number;
  /** The lines read and their boxes, in pixels of the image handed to `recognize` (upright). */
  layout?: OcrLayout;
}

/** The OCR service an extractor may use. Implemented by extractors/ocr (a tesseract.js worker pool). */
export interface OcrEngine {
  /** Recognise one image (PNG, JPEG, BMP, WebP or single-page TIFF bytes). */
  recognize(image: Buffer): Promise<OcrResult>;
  close(): Promise<void>;
}

/** Limits every extractor honours; defaults live in extractors/limits.ts. */
export interface ExtractionLimits {
  /** Images above this many pixels are downscaled before OCR (decompression-bomb guard). */
  maxImagePixels: number;
  /** Images above this many pixels are refused outright. */
  refuseImagePixels: number;
  /** At most this many pages of one document are OCR'd. */
  maxOcrPagesPerDocument: number;
  /** At most this many pages of one document are read at all; the rest are named in a finding. */
  maxPagesPerDocument: number;
  /**
   * A file with at least this many pages to OCR is first read cheaply (the top and bottom of each page) to find its
   * documents and titles; only the pages whose content is needed are then OCR'd in full. Default in limits.ts.
   */
  skimOcrFromPages?: number;
}

export interface ExtractionContext {
  ocr: OcrEngine;
  limits: ExtractionLimits;
  /** Called after each page so long work can show progress. */
  onPage?: (info: { page: number; pageCount: number; source: PageSource }) => void;
}

export interface ExtractorInput {
  /** Path as the user sees it inside the dossier (for messages only). */
  path: string;
  bytes: Buffer;
  kind: FileKind;
}

export type Extractor = (input: ExtractorInput, ctx: ExtractionContext) => Promise<ExtractedDocument>;
