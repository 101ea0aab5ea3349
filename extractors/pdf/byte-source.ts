import { open, type FileHandle } from 'node:fs/promises';

/**
 * Where the raw path reads the file's bytes. pdf.js owns the bytes it was given (the reader process hands them over:
 * extractors/handed-over-bytes.ts), so the raw path reads them from somewhere else:
 *  - `bytesSource`: bytes the caller keeps anyway (an extraction in the caller's own process), used as they are;
 *  - `fileSource`: the file the reader process read them from, read again — whole once, for pdf-lib to find the
 *    pages' image streams, then only each scanned page's image stream, by its offset;
 *  - without either, a copy asked back from pdf.js (`getData`), kept while the document is read (the file twice).
 * Each range is returned in memory of its own: a view of a 98 MB file handed on as a page's JPEG made sharp's clone()
 * (structuredClone of its input) copy the whole file for every page the seal search looked at.
 */
export interface PdfByteSource {
  /** The whole file, for pdf-lib to find the pages' objects; not kept once the index is built. */
  whole(): Promise<Buffer>;
  /** `length` bytes from `offset`, in memory of their own. */
  range(offset: number, length: number): Promise<Buffer>;
}

/** Bytes held by the caller for as long as the document is read. */
export function bytesSource(bytes: Buffer): PdfByteSource {
  return {
    whole: async () => bytes,
    range: async (offset, length) => copyOf(bytes, offset, length),
  };
}

/**
 * The file the bytes were read from, which must still be as it was read (`size` and `mtimeMs` from then): a file
 * changed or removed meanwhile is not read (each read throws, and the page goes pdf.js's way).
 */
export function fileSource(path: string, as: { size: number; mtimeMs: number }): PdfByteSource {
  const unchanged = async (handle: FileHandle) => {
    const now = await handle.stat();
    if (now.size !== as.size || now.mtimeMs !== as.mtimeMs) throw new Error(`${path} changed since it was read`);
  };
  return {
    async whole() {
      const handle = await open(path, 'r');
      try {
        await unchanged(handle);
        const bytes = await handle.readFile();
        if (bytes.length !== as.size) throw new Error(`${path} changed since it was read`);
        return bytes;
      } finally {
        await handle.close();
      }
    },
    async range(offset, length) {
      const handle = await open(path, 'r');
      try {
        await unchanged(handle);
        const bytes = Buffer.allocUnsafe(length);
        const { bytesRead } = await handle.read(bytes, 0, length, offset);
        if (bytesRead !== length) throw new Error(`${path}: ${bytesRead} of ${length} bytes at ${offset}`);
        return bytes;
      } finally {
        await handle.close();
      }
    },
  };
}

export function copyOf(bytes: Buffer, offset: number, length: number): Buffer {
  if (offset < 0 || offset + length > bytes.length) throw new RangeError(`bytes ${offset}–${offset + length} lie beyond the file`);
  return Buffer.from(bytes.subarray(offset, offset + length));
}
