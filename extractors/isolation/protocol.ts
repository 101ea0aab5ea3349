import type { ExtractedDocument, ExtractionLimits, FileKind, PageSource } from '../model.ts';
import type { OcrLayout } from '../ocr/layout.ts';

/**
 * Messages between the extraction parent and the child process that reads one file at a time. Both ends are our
 * own code in the same build; the parent still validates the document it receives (ExtractedDocumentSchema).
 * Buffers cross as Uint8Array (the channel uses structured clone).
 */

export type ParentMessage =
  /** `localPath`: the child reads the file itself, so its bytes are never held by the parent as well. */
  | { type: 'extract'; jobId: number; path: string; kind: FileKind; bytes?: Uint8Array; localPath?: string; limits: ExtractionLimits }
  | { type: 'ocr-result'; requestId: number; text: string; confidence: number; layout?: OcrLayout }
  | { type: 'ocr-error'; requestId: number; message: string; inputReason?: 'undecodable' | 'too-large' };

export type ChildMessage =
  | { type: 'ready' }
  /** The child's event loop is turning (sent on a timer while a file is read). */
  | { type: 'heartbeat'; jobId: number }
  | { type: 'page'; jobId: number; page: number; pageCount: number; source: PageSource }
  | { type: 'ocr'; jobId: number; requestId: number; image: Uint8Array }
  | { type: 'done'; jobId: number; doc: ExtractedDocument }
  /** The OCR engine (not the file) failed; the parent rethrows it as OcrEngineError. */
  | { type: 'engine-error'; jobId: number; message: string }
  /** The extractor waits on something that can never happen: nothing is left to run in the child. */
  | { type: 'stuck'; jobId: number; pagesDone: number };

export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
