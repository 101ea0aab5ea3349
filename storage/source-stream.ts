import type { Readable } from 'node:stream';

/**
 * Marks an error raised by the caller's stream (an aborted upload, a failed decompression) as opposed to one raised
 * by the storage. `put` rethrows the original error unchanged: it is not a storage problem and must not be mistaken
 * for a retryable one just because it carries a code such as ECONNRESET.
 */
export class SourceStreamFailure extends Error {
  constructor(readonly original: unknown) {
    super('source stream failed', { cause: original });
  }
}

/** The stream's chunks as Buffers; errors from the stream arrive as {@link SourceStreamFailure}. */
export async function* chunksOf(source: Readable): AsyncGenerator<Buffer> {
  const iterator: AsyncIterator<unknown> = source[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<unknown>;
    try {
      next = await iterator.next();
    } catch (error) {
      throw new SourceStreamFailure(error);
    }
    if (next.done === true) return;
    const chunk = next.value;
    yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string | Uint8Array);
  }
}

/**
 * Regroups a stream into parts of exactly `partSize` bytes (the last one shorter, possibly empty only when the whole
 * stream is empty). Holds at most one part plus one chunk in memory.
 */
export async function* partsOf(source: Readable, partSize: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let yieldedAny = false;
  for await (const chunk of chunksOf(source)) {
    pending.push(chunk);
    pendingBytes += chunk.length;
    while (pendingBytes >= partSize) {
      const joined = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
      yield joined.subarray(0, partSize);
      yieldedAny = true;
      const rest = joined.subarray(partSize);
      pending = rest.length > 0 ? [rest] : [];
      pendingBytes = rest.length;
    }
  }
  if (pendingBytes > 0 || !yieldedAny) yield Buffer.concat(pending, pendingBytes);
}

/** The original error behind a {@link SourceStreamFailure}, or `error` itself. */
export function unwrapSourceFailure(error: unknown): unknown {
  return error instanceof SourceStreamFailure ? error.original : error;
}
