import iconv from 'iconv-lite';
import yauzl from 'yauzl';

/** Bounds on what one OFD may make us inflate; a zip bomb hidden in a part stops at these. */
export interface OfdPackageLimits {
  /** One XML part (OFD.xml, Document.xml, a page's Content.xml, a resource list) at most this many bytes unpacked. */
  maxXmlPartBytes: number;
  /** One media part (a page image, a seal file) at most this many bytes unpacked. */
  maxMediaPartBytes: number;
  /** All parts read from one OFD together at most this many bytes unpacked. */
  maxTotalBytes: number;
  /** Entries in the zip directory beyond this are ignored. */
  maxEntries: number;
}

/**
 * A dense A4 page of text is 0.1–2 MB of Content.xml and a 600-dpi colour scan ~30 MB, so 32/64 MB per part leave
 * real files alone; 512 MB in total bounds a many-page scan while keeping memory of the reader process in reach.
 */
export const DEFAULT_OFD_PACKAGE_LIMITS: OfdPackageLimits = Object.freeze({
  maxXmlPartBytes: 32 * 1024 * 1024,
  maxMediaPartBytes: 64 * 1024 * 1024,
  maxTotalBytes: 512 * 1024 * 1024,
  maxEntries: 20_000,
});

export type PartRead =
  | { kind: 'ok'; path: string; bytes: Buffer }
  | { kind: 'missing'; path: string }
  | { kind: 'too-large'; path: string; limit: number }
  | { kind: 'total-exceeded'; path: string; limit: number }
  | { kind: 'corrupt'; path: string };

class PartTooLarge extends Error {}

/** Forward slashes, no leading slash, `.` and `..` resolved (never above the root); case kept. */
export function normalizePartPath(path: string): string {
  const parts: string[] = [];
  for (const segment of path.replace(/\\/g, '/').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') parts.pop();
    else parts.push(segment);
  }
  return parts.join('/');
}

export function dirnameOf(path: string): string {
  const normalized = path.replace(/\\/g, '/');
  const slash = normalized.lastIndexOf('/');
  return slash <= 0 ? '' : normalized.slice(0, slash);
}

/**
 * The parts a reference may name, in the order tried: an absolute reference (`/Doc_0/Document.xml`) from the
 * package root; a relative one from the referring part's folder as the standard says, then from the root as some
 * producers mean it.
 */
export function candidatePaths(reference: string, baseDir: string): string[] {
  const ref = reference.trim().replace(/\\/g, '/');
  if (ref === '') return [];
  if (ref.startsWith('/')) return [normalizePartPath(ref)];
  const relative = normalizePartPath(`${baseDir}/${ref}`);
  const fromRoot = normalizePartPath(ref);
  return relative === fromRoot ? [relative] : [relative, fromRoot];
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Part names are ASCII in nearly every OFD, but a media file named in Chinese by a zipper on Chinese Windows is
 * stored in GBK without the UTF-8 flag, while the XML naming it is UTF-8.
 */
function decodeName(raw: Buffer, utf8Flag: boolean): string {
  if (utf8Flag) return raw.toString('utf8');
  try {
    return strictUtf8.decode(raw);
  } catch {
    return iconv.decode(raw, 'gb18030');
  }
}

/** The zip behind an OFD, read part by part on demand, with names matched without regard to case. */
export class OfdPackage {
  private totalRead = 0;

  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly entries: Map<string, yauzl.Entry>,
    readonly limits: OfdPackageLimits,
  ) {}

  static async open(bytes: Buffer, limits: OfdPackageLimits = DEFAULT_OFD_PACKAGE_LIMITS): Promise<OfdPackage> {
    // Raw names: yauzl's own validation would reject the whole package at one odd name; nothing is written to disk.
    const zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, decodeStrings: false, autoClose: false });
    const entries = new Map<string, yauzl.Entry>();
    try {
      let count = 0;
      for await (const entry of zip.eachEntry()) {
        if (++count > limits.maxEntries) break;
        const raw = (entry.fileNameRaw ?? Buffer.from(String(entry.fileName))) as Buffer;
        const name = normalizePartPath(decodeName(raw, (entry.generalPurposeBitFlag & 0x800) !== 0)).toLowerCase();
        if (name === '' || name.endsWith('/')) continue;
        if (!entries.has(name)) entries.set(name, entry);
      }
    } catch (error) {
      if (entries.size === 0) {
        zip.close();
        throw error;
      }
      // A directory that breaks part-way still named the parts before the break.
    }
    return new OfdPackage(zip, entries, limits);
  }

  /** The first candidate that exists, as stored (case may differ from the reference). */
  find(candidates: readonly string[]): string | undefined {
    for (const candidate of candidates) {
      const entry = this.entries.get(candidate.toLowerCase());
      if (entry) return candidate;
    }
    return undefined;
  }

  has(path: string): boolean {
    return this.entries.has(normalizePartPath(path).toLowerCase());
  }

  /** Reads one part; never throws. `kind` says why nothing came back. */
  async read(candidates: readonly string[], type: 'xml' | 'media'): Promise<PartRead> {
    const path = this.find(candidates) ?? candidates[0] ?? '';
    const entry = this.entries.get(path.toLowerCase());
    if (!entry) return { kind: 'missing', path };
    const limit = type === 'xml' ? this.limits.maxXmlPartBytes : this.limits.maxMediaPartBytes;
    // The declared size may lie; it only saves inflating a part that admits to being too big.
    if (entry.uncompressedSize > limit) return { kind: 'too-large', path, limit };
    const remaining = this.limits.maxTotalBytes - this.totalRead;
    if (entry.uncompressedSize > remaining) return { kind: 'total-exceeded', path, limit: this.limits.maxTotalBytes };
    const cap = Math.min(limit, remaining);
    try {
      const stream = await this.zip.openReadStreamPromise(entry);
      const chunks: Buffer[] = [];
      let size = 0;
      try {
        for await (const chunk of stream) {
          size += (chunk as Buffer).length;
          if (size > cap) throw new PartTooLarge();
          chunks.push(chunk as Buffer);
        }
      } finally {
        stream.destroy();
      }
      this.totalRead += size;
      return { kind: 'ok', path, bytes: Buffer.concat(chunks, size) };
    } catch (error) {
      if (error instanceof PartTooLarge) {
        this.totalRead += cap;
        return cap === limit ? { kind: 'too-large', path, limit } : { kind: 'total-exceeded', path, limit: this.limits.maxTotalBytes };
      }
      return { kind: 'corrupt', path };
    }
  }

  close(): void {
    this.zip.close();
  }
}
