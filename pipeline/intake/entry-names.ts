import { crc32 } from 'node:zlib';
import iconv from 'iconv-lite';
import type { ExtraField } from 'yauzl';

/**
 * Turns a zip entry's raw name bytes into the path a user sees.
 *
 * Zippers disagree about encodings: Chinese Windows tools write GBK/GB18030 without the UTF-8 flag, macOS writes
 * UTF-8 without the flag, careful tools set the flag or add an Info-ZIP Unicode Path field. The decision is per name.
 */

const UTF8_FLAG = 0x800;
const INFO_ZIP_UNICODE_PATH = 0x7075;
const PLACEHOLDER_STEM = '无法识别的名称';

export type NameEncoding = 'utf8' | 'gb18030' | 'unicode-path-field';

export interface DecodedEntryName {
  /** Decoded and NFC-normalised, '/'-separated, without empty or '.' segments; undecodable segments replaced. */
  path: string;
  /** What the zip said, decoded, backslashes kept: for messages about hostile names. */
  asWritten: string;
  /** The decoded name with backslashes read as separators, for `yauzl.validateFileName`. */
  forValidation: string;
  isDirectory: boolean;
  encoding: NameEncoding;
  /** At least one segment could not be decoded and carries a placeholder name. */
  undecodable: boolean;
}

export function decodeEntryName(
  raw: Buffer,
  generalPurposeBitFlag: number,
  extraFields: readonly ExtraField[] = [],
): DecodedEntryName {
  const encoding = chooseEncoding(raw, generalPurposeBitFlag, extraFields);
  const source = encoding === 'unicode-path-field' ? unicodePathField(raw, extraFields)! : raw;
  const codec = encoding === 'gb18030' ? 'gb18030' : 'utf8';

  // 0x2F never occurs inside a multi-byte character in UTF-8 or GB18030, so splitting the bytes is safe and lets
  // each undecodable segment get its own stable placeholder.
  const byteSegments = splitOnSlash(source);
  let undecodable = false;
  const decodedSegments = byteSegments.map((bytes) => {
    const text = decode(bytes, codec).normalize('NFC');
    return { bytes, text };
  });
  const asWritten = decodedSegments.map((segment) => segment.text).join('/');
  const forValidation = asWritten.replace(/\\/g, '/');
  const isDirectory = forValidation.endsWith('/');

  const segments: string[] = [];
  for (const { bytes, text } of decodedSegments) {
    for (const part of text.split('\\')) {
      if (part === '' || part === '.') continue;
      if (isUndecodable(part)) {
        undecodable = true;
        segments.push(placeholderFor(bytes, part));
      } else {
        segments.push(part);
      }
    }
  }
  if (segments.length === 0 && !isDirectory) {
    // An entry with an empty name is still bytes someone put in the archive.
    undecodable = true;
    segments.push(placeholderFor(source, ''));
  }
  return { path: segments.join('/'), asWritten, forValidation, isDirectory, encoding, undecodable };
}

function chooseEncoding(
  raw: Buffer,
  generalPurposeBitFlag: number,
  extraFields: readonly ExtraField[],
): NameEncoding {
  if (unicodePathField(raw, extraFields) !== undefined) return 'unicode-path-field';
  if (generalPurposeBitFlag & UTF8_FLAG) {
    // A flag set by a sloppy tool over GBK bytes is rarer than GBK itself; trust the bytes when they disagree.
    return isValidUtf8(raw) || !isCleanGb18030(raw) ? 'utf8' : 'gb18030';
  }
  if (isValidUtf8(raw) && raw.some((byte) => byte >= 0x80)) return 'utf8';
  return 'gb18030';
}

/** The Info-ZIP Unicode Path field counts only when its CRC matches the name it stands for (APPNOTE 4.6.9). */
function unicodePathField(raw: Buffer, extraFields: readonly ExtraField[]): Buffer | undefined {
  for (const field of extraFields) {
    if (field.id !== INFO_ZIP_UNICODE_PATH || field.data.length < 6 || field.data[0] !== 1) continue;
    if (field.data.readUInt32LE(1) !== crc32(raw)) continue;
    const name = field.data.subarray(5);
    if (isValidUtf8(name)) return name;
  }
  return undefined;
}

function decode(bytes: Buffer, codec: 'utf8' | 'gb18030'): string {
  return codec === 'utf8' ? bytes.toString('utf8') : iconv.decode(bytes, 'gb18030');
}

function isValidUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function isCleanGb18030(bytes: Buffer): boolean {
  return !isUndecodable(iconv.decode(bytes, 'gb18030'));
}

function isUndecodable(text: string): boolean {
  return /[\ufffd\u0000-\u001f\u007f]/.test(text);
}

/** Stable across runs and shared by every entry under the same undecodable folder; keeps a readable extension. */
function placeholderFor(bytes: Buffer, decoded: string): string {
  const id = crc32(bytes).toString(16).padStart(8, '0');
  const extension = /\.[A-Za-z0-9]{1,8}$/.exec(decoded)?.[0] ?? '';
  return `${PLACEHOLDER_STEM}-${id}${extension}`;
}

function splitOnSlash(bytes: Buffer): Buffer[] {
  const segments: Buffer[] = [];
  let start = 0;
  for (let index = 0; index < bytes.length; index++) {
    if (bytes[index] === 0x2f) {
      segments.push(bytes.subarray(start, index));
      start = index + 1;
    }
  }
  segments.push(bytes.subarray(start));
  return segments;
}
