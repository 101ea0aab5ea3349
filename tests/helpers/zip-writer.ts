import { deflateRawSync, crc32 } from 'node:zlib';
import iconv from 'iconv-lite';

/**
 * A test-only zip writer that does what real zippers do and what hostile ones do: raw name bytes with or without
 * the UTF-8 flag, stored or deflated data, Unix modes (symlinks) in the external attributes, the encryption flag,
 * extra fields, and sizes or CRCs that lie. Library writers refuse most of this, which is why it is hand-written.
 */

export interface ZipEntrySpec {
  /** A string is written as UTF-8; a Buffer is written byte for byte (use `gbk()` for Chinese Windows names). */
  name: string | Buffer;
  data?: Buffer | string;
  /** General-purpose bit 11. Default: false (as Chinese Windows zippers and macOS Archive Utility write). */
  utf8Flag?: boolean;
  /** Default: deflate. */
  method?: 'store' | 'deflate' | { code: number };
  /** Raw 32-bit external attributes. Default: a regular file, mode 0644 (or a directory for names ending in '/'). */
  externalAttributes?: number;
  /** Default: 0x031e (Unix, spec 3.0). */
  versionMadeBy?: number;
  /** Sets general-purpose bit 0 and prefixes the data with a 12-byte (fake) traditional-encryption header. */
  encrypted?: boolean;
  extraFields?: { id: number; data: Buffer }[];
  /** Lies written into both the local header and the central directory. */
  declaredUncompressedSize?: number;
  declaredCompressedSize?: number;
  declaredCrc32?: number;
}

export function writeZip(entries: ZipEntrySpec[]): Buffer {
  const localParts: Buffer[] = [];
  const centralParts: Buffer[] = [];
  let offset = 0;
  for (const spec of entries) {
    const name = typeof spec.name === 'string' ? Buffer.from(spec.name, 'utf8') : spec.name;
    const data = typeof spec.data === 'string' ? Buffer.from(spec.data, 'utf8') : (spec.data ?? Buffer.alloc(0));
    const methodCode =
      spec.method === 'store' ? 0 : spec.method === undefined || spec.method === 'deflate' ? 8 : spec.method.code;
    let payload = methodCode === 8 ? deflateRawSync(data) : data;
    if (spec.encrypted) payload = Buffer.concat([Buffer.from('0123456789ab', 'latin1'), payload]);
    const flags = (spec.utf8Flag ? 0x800 : 0) | (spec.encrypted ? 0x1 : 0);
    const crc = spec.declaredCrc32 ?? crc32(data);
    const compressedSize = spec.declaredCompressedSize ?? payload.length;
    const uncompressedSize = spec.declaredUncompressedSize ?? data.length;
    const isDirectory = name.at(-1) === 0x2f;
    const externalAttributes =
      spec.externalAttributes ?? (isDirectory ? ((0o040755 << 16) | 0x10) >>> 0 : (0o100644 << 16) >>> 0);
    const extra = Buffer.concat(
      (spec.extraFields ?? []).map(({ id, data: fieldData }) => {
        const header = Buffer.alloc(4);
        header.writeUInt16LE(id, 0);
        header.writeUInt16LE(fieldData.length, 2);
        return Buffer.concat([header, fieldData]);
      }),
    );

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(methodCode, 8);
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x5821, 12); // 2024-01-01
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(compressedSize, 18);
    local.writeUInt32LE(uncompressedSize, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);
    localParts.push(local, name, extra, payload);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(spec.versionMadeBy ?? 0x031e, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(methodCode, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x5821, 14);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(compressedSize, 20);
    central.writeUInt32LE(uncompressedSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt16LE(0, 32); // comment length
    central.writeUInt16LE(0, 34); // disk number
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(externalAttributes >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centralParts.push(central, name, extra);

    offset += local.length + name.length + extra.length + payload.length;
  }
  const centralDirectory = Buffer.concat(centralParts);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...localParts, centralDirectory, end]);
}

/** Name bytes as a Chinese Windows zipper writes them. */
export function gbk(text: string): Buffer {
  return iconv.encode(text, 'gb18030');
}

/** External attributes of a Unix symlink entry (mode 0120777). */
export const SYMLINK_ATTRIBUTES = (0o120777 << 16) >>> 0;

/** An Info-ZIP Unicode Path extra field (0x7075) giving the UTF-8 name for `rawName`. */
export function unicodePathField(rawName: Buffer, utf8Name: string): { id: number; data: Buffer } {
  const header = Buffer.alloc(5);
  header.writeUInt8(1, 0);
  header.writeUInt32LE(crc32(rawName) >>> 0, 1);
  return { id: 0x7075, data: Buffer.concat([header, Buffer.from(utf8Name, 'utf8')]) };
}
