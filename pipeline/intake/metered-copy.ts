import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';

/** What a copy may consume; checked on every chunk, so a lying header cannot push more bytes through. */
export interface CopyBudget {
  /** Bytes this one entry may produce. */
  maxEntryBytes: number;
  /** Bytes still left of the whole intake's allowance. */
  totalBytesLeft: number;
  /** For a compressed entry: refuse once output exceeds compressedBytes × maxRatio (past the grace amount). */
  ratio?: { compressedBytes: number; maxRatio: number; graceBytes: number };
}

export type BudgetOverrun = 'entry-size' | 'total-size' | 'compression-ratio';

export class BudgetExceeded extends Error {
  constructor(readonly overrun: BudgetOverrun) {
    super(`budget exceeded: ${overrun}`);
  }
}

export interface CopiedBytes {
  sha256: string;
  size: number;
  crc32: number;
}

/**
 * Streams `source` into a new file at `destination` (which must not exist), hashing as it goes. On any failure
 * the partial file is removed and the error rethrown; a `BudgetExceeded` says which limit stopped it.
 */
export async function copyMetered(source: Readable, destination: string, budget: CopyBudget): Promise<CopiedBytes> {
  const meter = new Meter(budget);
  try {
    await pipeline(source, meter, createWriteStream(destination, { flags: 'wx' }));
  } catch (error) {
    await rm(destination, { force: true });
    throw error;
  }
  return { sha256: meter.hash.digest('hex'), size: meter.bytes, crc32: meter.crc };
}

class Meter extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  crc = 0;

  constructor(private readonly budget: CopyBudget) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    const overrun = this.overrun();
    if (overrun !== undefined) {
      callback(new BudgetExceeded(overrun));
      return;
    }
    this.hash.update(chunk);
    this.crc = crc32(chunk, this.crc);
    callback(null, chunk);
  }

  private overrun(): BudgetOverrun | undefined {
    const { maxEntryBytes, totalBytesLeft, ratio } = this.budget;
    if (ratio && this.bytes > ratio.graceBytes && this.bytes > ratio.compressedBytes * ratio.maxRatio) {
      return 'compression-ratio';
    }
    if (this.bytes > maxEntryBytes) return 'entry-size';
    if (this.bytes > totalBytesLeft) return 'total-size';
    return undefined;
  }
}
