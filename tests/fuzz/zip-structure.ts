import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * Just enough of the zip format for the fuzz: where the header fields are (so a mutation can lie in one of them)
 * and the entries' bytes (so a mutation can reach a file inside the archive with a valid CRC, past intake's checks,
 * into the extractors). Tolerant: a damaged archive yields what could be found, never an exception.
 */

export type ZipStructure = 'local' | 'central' | 'eocd';

export interface ZipField {
  structure: ZipStructure;
  /** Offset of the structure's signature in the archive. */
  at: number;
  name: string;
  /** Absolute offset of the field. */
  offset: number;
  size: 2 | 4;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;

const LAYOUT: Record<ZipStructure, readonly (readonly [string, number, 2 | 4])[]> = {
  local: [
    ['versionNeeded', 4, 2],
    ['flags', 6, 2],
    ['method', 8, 2],
    ['time', 10, 2],
    ['date', 12, 2],
    ['crc32', 14, 4],
    ['compressedSize', 18, 4],
    ['uncompressedSize', 22, 4],
    ['nameLength', 26, 2],
    ['extraLength', 28, 2],
  ],
  central: [
    ['versionMadeBy', 4, 2],
    ['versionNeeded', 6, 2],
    ['flags', 8, 2],
    ['method', 10, 2],
    ['crc32', 16, 4],
    ['compressedSize', 20, 4],
    ['uncompressedSize', 24, 4],
    ['nameLength', 28, 2],
    ['extraLength', 30, 2],
    ['commentLength', 32, 2],
    ['diskStart', 34, 2],
    ['internalAttributes', 36, 2],
    ['externalAttributes', 38, 4],
    ['localHeaderOffset', 42, 4],
  ],
  eocd: [
    ['diskNumber', 4, 2],
    ['centralDirectoryDisk', 6, 2],
    ['entriesOnDisk', 8, 2],
    ['totalEntries', 10, 2],
    ['centralDirectorySize', 12, 4],
    ['centralDirectoryOffset', 16, 4],
    ['commentLength', 20, 2],
  ],
};

const HEADER_SIZE: Record<ZipStructure, number> = { local: 30, central: 46, eocd: 22 };

/** Offsets of every signature of one kind (a scan, so it finds headers even where the directory lies). */
function signatures(buf: Buffer, sig: number): number[] {
  const needle = Buffer.alloc(4);
  needle.writeUInt32LE(sig, 0);
  const found: number[] = [];
  for (let at = buf.indexOf(needle); at >= 0; at = buf.indexOf(needle, at + 1)) found.push(at);
  return found;
}

/** Every header field of every local header, central header and end-of-central-directory record in the bytes. */
export function zipFields(buf: Buffer): ZipField[] {
  const fields: ZipField[] = [];
  for (const [structure, sig] of [['local', SIG_LOCAL], ['central', SIG_CENTRAL], ['eocd', SIG_EOCD]] as const) {
    for (const at of signatures(buf, sig)) {
      if (at + HEADER_SIZE[structure] > buf.length) continue;
      for (const [name, rel, size] of LAYOUT[structure]) fields.push({ structure, at, name, offset: at + rel, size });
    }
  }
  return fields;
}

/** Where the name bytes of each local and central header are. */
export function zipNames(buf: Buffer): { structure: ZipStructure; offset: number; length: number }[] {
  const names: { structure: ZipStructure; offset: number; length: number }[] = [];
  for (const at of signatures(buf, SIG_LOCAL)) {
    if (at + 30 > buf.length) continue;
    const length = Math.min(buf.readUInt16LE(at + 26), buf.length - at - 30);
    if (length > 0) names.push({ structure: 'local', offset: at + 30, length });
  }
  for (const at of signatures(buf, SIG_CENTRAL)) {
    if (at + 46 > buf.length) continue;
    const length = Math.min(buf.readUInt16LE(at + 28), buf.length - at - 46);
    if (length > 0) names.push({ structure: 'central', offset: at + 46, length });
  }
  return names;
}

export interface ZipEntry {
  /** The central header (46 bytes) as found: its other fields are kept when the archive is rebuilt. */
  central: Buffer;
  name: Buffer;
  extra: Buffer;
  comment: Buffer;
  /** Uncompressed bytes. */
  data: Buffer;
  method: 0 | 8;
  /** The bytes as stored in the archive, with the data and method they were read with: reused while both are unchanged. */
  stored?: { payload: Buffer; data: Buffer; method: 0 | 8 };
}

/** Nothing a fuzz seed holds inflates beyond this; a lying header cannot make the fuzz itself allocate gigabytes. */
const MAX_INFLATE = 64 * 1024 * 1024;

/**
 * The entries of a well-formed archive (stored or deflated, no zip64, no encryption), in directory order; undefined
 * when the archive is not one of those.
 */
export function readZipEntries(buf: Buffer): ZipEntry[] | undefined {
  const eocdAt = signatures(buf, SIG_EOCD).at(-1);
  if (eocdAt === undefined || eocdAt + 22 > buf.length) return undefined;
  const count = buf.readUInt16LE(eocdAt + 10);
  let at = buf.readUInt32LE(eocdAt + 16);
  const entries: ZipEntry[] = [];
  try {
    for (let i = 0; i < count; i++) {
      if (buf.readUInt32LE(at) !== SIG_CENTRAL) return undefined;
      const central = Buffer.from(buf.subarray(at, at + 46));
      const method = central.readUInt16LE(10);
      const flags = central.readUInt16LE(8);
      if ((method !== 0 && method !== 8) || flags & 1) return undefined;
      const nameLength = central.readUInt16LE(28);
      const extraLength = central.readUInt16LE(30);
      const commentLength = central.readUInt16LE(32);
      const name = Buffer.from(buf.subarray(at + 46, at + 46 + nameLength));
      const extra = Buffer.from(buf.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength));
      const comment = Buffer.from(buf.subarray(at + 46 + nameLength + extraLength, at + 46 + nameLength + extraLength + commentLength));
      const local = central.readUInt32LE(42);
      if (buf.readUInt32LE(local) !== SIG_LOCAL) return undefined;
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const raw = buf.subarray(start, start + central.readUInt32LE(20));
      const data = method === 8 ? inflateRawSync(raw, { maxOutputLength: MAX_INFLATE }) : Buffer.from(raw);
      entries.push({ central, name, extra, comment, data, method, stored: { payload: Buffer.from(raw), data, method } });
      at += 46 + nameLength + extraLength + commentLength;
    }
  } catch {
    return undefined;
  }
  return entries;
}

/** A consistent archive of these entries: sizes, CRCs and offsets recomputed, every other header field kept. */
export function writeZipEntries(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const unchanged = entry.stored && entry.stored.data === entry.data && entry.stored.method === entry.method;
    const payload = unchanged ? entry.stored!.payload : entry.method === 8 ? deflateRawSync(entry.data) : entry.data;
    const crc = crc32(entry.data) >>> 0;
    const central = Buffer.from(entry.central);
    central.writeUInt16LE(central.readUInt16LE(8) & ~0x8, 8);
    central.writeUInt16LE(entry.method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(payload.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(entry.name.length, 28);
    central.writeUInt16LE(entry.extra.length, 30);
    central.writeUInt16LE(entry.comment.length, 32);
    central.writeUInt32LE(offset, 42);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(SIG_LOCAL, 0);
    local.writeUInt16LE(central.readUInt16LE(6), 4);
    local.writeUInt16LE(central.readUInt16LE(8), 6);
    local.writeUInt16LE(entry.method, 8);
    local.writeUInt16LE(central.readUInt16LE(12), 10);
    local.writeUInt16LE(central.readUInt16LE(14), 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(payload.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(entry.name.length, 26);
    local.writeUInt16LE(entry.extra.length, 28);
    locals.push(local, entry.name, entry.extra, payload);
    centrals.push(central, entry.name, entry.extra, entry.comment);
    offset += 30 + entry.name.length + entry.extra.length + payload.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(SIG_EOCD, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
