import { open } from 'node:fs/promises';

/**
 * Just enough of the RAR headers to do what 7-Zip's listing does not: tell RAR4 from RAR5, see encrypted headers
 * before asking for a password, and give RAR4 names as the bytes the archive holds (7-Zip decodes a name without
 * the Unicode flag in its own locale, which turns GBK into nonsense) with the Unix mode of Unix-made entries
 * (7-Zip does not show it, and a RAR4 symlink is only a mode plus the target as data).
 */

export type RarVersion = 'RAR4' | 'RAR5';

export interface RarHeaderSummary {
  version: RarVersion;
  encryptedHeaders: boolean;
  /** RAR4 only: one per file header, in archive order. */
  rar4Entries: Rar4EntryHeader[];
}

export interface Rar4EntryHeader {
  /** The name as stored before any Unicode part: GBK, UTF-8 or OEM bytes with '\' as separator. */
  legacyName: Buffer;
  /** The archive carries a Unicode form of the name (flag 0x200); that form is the truth. */
  hasUnicodeName: boolean;
  hostOs: number;
  attributes: number;
}

const RAR4_SIGNATURE = Buffer.from('Rar!\x1a\x07\x00', 'latin1');
const RAR5_SIGNATURE = Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1');
const RAR4_FILE = 0x74;
const RAR4_MAIN = 0x73;
const RAR4_UNICODE = 0x0200;
const RAR4_LARGE = 0x0100;
const RAR4_LONG_BLOCK = 0x8000;
const RAR4_MAIN_ENCRYPTED_HEADERS = 0x0080;
const RAR5_ENCRYPTION_HEADER = 4;
/** Header bytes read per block (longer names are read again in full): the walk skips data and stays small. */
const HEADER_READ = 512;

export async function readRarHeaders(path: string, maxEntries: number): Promise<RarHeaderSummary | undefined> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const readAt = async (position: number, length: number): Promise<Buffer> => {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
      if (buffer.length > 0) await handle.read(buffer, 0, buffer.length, position);
      return buffer;
    };
    const head = await readAt(0, 32);
    if (head.subarray(0, 8).equals(RAR5_SIGNATURE)) {
      // The first header after the signature is the encryption header when the headers are encrypted.
      const { value: _headerSize, next } = readVint(head, 12);
      const { value: type } = readVint(head, next);
      return { version: 'RAR5', encryptedHeaders: type === RAR5_ENCRYPTION_HEADER, rar4Entries: [] };
    }
    if (!head.subarray(0, 7).equals(RAR4_SIGNATURE)) return undefined;
    const entries: Rar4EntryHeader[] = [];
    let position = 7;
    let encryptedHeaders = false;
    while (position + 7 <= size && entries.length < maxEntries) {
      const block = await readAt(position, HEADER_READ);
      if (block.length < 7) break;
      const type = block[2]!;
      const flags = block.readUInt16LE(3);
      const headSize = block.readUInt16LE(5);
      if (headSize < 7) break;
      let addSize = 0;
      if (type === RAR4_MAIN) {
        encryptedHeaders = (flags & RAR4_MAIN_ENCRYPTED_HEADERS) !== 0;
        if (encryptedHeaders) break;
      } else if (type === RAR4_FILE) {
        if (block.length < 32) break;
        const packLow = block.readUInt32LE(7);
        const nameSize = block.readUInt16LE(26);
        const highPack = flags & RAR4_LARGE ? block.readUInt32LE(32) : 0;
        const nameStart = 32 + (flags & RAR4_LARGE ? 8 : 0);
        const full = nameStart + nameSize <= block.length ? block : await readAt(position, nameStart + nameSize);
        const storedName = full.subarray(nameStart, nameStart + nameSize);
        const hasUnicodeName = (flags & RAR4_UNICODE) !== 0;
        const zero = storedName.indexOf(0);
        entries.push({
          legacyName: Buffer.from(hasUnicodeName && zero >= 0 ? storedName.subarray(0, zero) : storedName),
          hasUnicodeName,
          hostOs: block[15]!,
          attributes: block.readUInt32LE(28),
        });
        addSize = highPack * 2 ** 32 + packLow;
      } else if (flags & RAR4_LONG_BLOCK) {
        addSize = block.readUInt32LE(7);
      }
      position += headSize + addSize;
    }
    return { version: 'RAR4', encryptedHeaders, rar4Entries: entries };
  } finally {
    await handle.close();
  }
}

function readVint(buffer: Buffer, start: number): { value: number; next: number } {
  let value = 0;
  let shift = 1;
  let index = start;
  while (index < buffer.length) {
    const byte = buffer[index++]!;
    value += (byte & 0x7f) * shift;
    shift *= 128;
    if ((byte & 0x80) === 0) break;
  }
  return { value, next: index };
}
