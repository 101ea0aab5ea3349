/**
 * A file's bytes that their holder will not read again once a reader has them. pdf.js keeps the whole file for as long
 * as the document is open; given a Buffer, pdf-parse copies it first, so a file sat in memory twice (a 200-page scanned
 * volume: 98 MB twice in the reader process). Bytes handed over go to pdf.js as they are and pdf.js takes their memory:
 * afterwards the Buffer is empty (its memory detached). Only a holder with no further use for them may hand them over —
 * the reader process, which read the file for this one extraction (extractors/isolation/child.ts).
 */
const handedOver = new WeakMap<ArrayBufferLike, ReadFrom | undefined>();

/** The file handed-over bytes were read from, as it was then: a reader may read parts of it again (raw-scan.ts). */
export interface ReadFrom {
  path: string;
  size: number;
  mtimeMs: number;
}

export function handOverBytes(bytes: Buffer, from?: ReadFrom): Buffer {
  handedOver.set(bytes.buffer, from);
  return bytes;
}

/** Where handed-over bytes were read from, when the holder said so; undefined for any other bytes. */
export function handedOverFrom(bytes: Buffer): ReadFrom | undefined {
  return handedOver.get(bytes.buffer);
}

/** Whether the bytes were handed over (pdf.js takes them, and they are empty afterwards). */
export function wereHandedOver(bytes: Buffer): boolean {
  return handedOver.has(bytes.buffer);
}

/**
 * The same memory as a plain Uint8Array when the bytes were handed over and fill their whole ArrayBuffer (pdf.js takes
 * only such an array without copying it, and pdf-parse copies anything that is a Buffer); undefined otherwise.
 */
export function handedOverBytes(bytes: Buffer): Uint8Array | undefined {
  if (!handedOver.has(bytes.buffer) || bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength) return undefined;
  return new Uint8Array(bytes.buffer, 0, bytes.byteLength);
}
