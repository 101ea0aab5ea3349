/**
 * Minimal Windows BMP reader. sharp (libvips) has no BMP loader, and scanners and old office software still
 * produce BMP files. The header is read on its own first so that the size can be checked before any pixel
 * buffer is allocated.
 *
 * Supported: BITMAPINFOHEADER and its V4/V5 extensions, and the old OS/2 core header; 1/4/8-bit palette,
 * 16-bit (5-5-5 or bit fields), 24-bit and 32-bit (plain or bit fields); bottom-up and top-down rows.
 * Not supported: RLE and embedded JPEG/PNG compression (reported as such).
 */

export interface BmpHeader {
  width: number;
  height: number;
  bitsPerPixel: number;
  compression: number;
  topDown: boolean;
  pixelDataOffset: number;
  headerSize: number;
}

export interface DecodedBmp {
  width: number;
  height: number;
  /** RGB, 3 bytes per pixel, rows top to bottom. */
  rgb: Buffer;
}

export class BmpFormatError extends Error {
  override name = 'BmpFormatError';
}

const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

export function isBmp(bytes: Buffer): boolean {
  return bytes.length >= 26 && bytes[0] === 0x42 && bytes[1] === 0x4d;
}

export function readBmpHeader(bytes: Buffer): BmpHeader {
  if (!isBmp(bytes)) throw new BmpFormatError('not a BMP file');
  const pixelDataOffset = bytes.readUInt32LE(10);
  const headerSize = bytes.readUInt32LE(14);
  if (headerSize === 12) {
    return {
      width: bytes.readUInt16LE(18),
      height: bytes.readUInt16LE(20),
      bitsPerPixel: bytes.readUInt16LE(24),
      compression: BI_RGB,
      topDown: false,
      pixelDataOffset,
      headerSize,
    };
  }
  if (headerSize < 40 || bytes.length < 14 + 40) throw new BmpFormatError(`unsupported BMP header size ${headerSize}`);
  const rawHeight = bytes.readInt32LE(22);
  return {
    width: bytes.readInt32LE(18),
    height: Math.abs(rawHeight),
    bitsPerPixel: bytes.readUInt16LE(28),
    compression: bytes.readUInt32LE(30),
    topDown: rawHeight < 0,
    pixelDataOffset,
    headerSize,
  };
}

interface ChannelMask {
  shift: number;
  max: number;
  mask: number;
}

function channelMask(mask: number): ChannelMask {
  if (mask === 0) return { shift: 0, max: 1, mask: 0 };
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  return { shift, max: mask >>> shift, mask };
}

function readChannel(value: number, channel: ChannelMask): number {
  if (channel.mask === 0) return 0;
  return Math.round((((value & channel.mask) >>> channel.shift) * 255) / channel.max);
}

export function decodeBmp(bytes: Buffer): DecodedBmp {
  const header = readBmpHeader(bytes);
  const { width, height, bitsPerPixel, compression } = header;
  if (width <= 0 || height <= 0) throw new BmpFormatError(`invalid BMP size ${width}×${height}`);
  const usesBitFields = compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS;
  if (compression !== BI_RGB && !usesBitFields) {
    throw new BmpFormatError(`compressed BMP (method ${compression}) is not supported`);
  }
  if (![1, 4, 8, 16, 24, 32].includes(bitsPerPixel)) {
    throw new BmpFormatError(`unsupported BMP bit depth ${bitsPerPixel}`);
  }

  const rowStride = Math.ceil((width * bitsPerPixel) / 32) * 4;
  if (header.pixelDataOffset + rowStride * height > bytes.length) {
    throw new BmpFormatError('BMP pixel data is truncated');
  }

  const paletteOffset = 14 + header.headerSize;
  const paletteEntrySize = header.headerSize === 12 ? 3 : 4;
  const palette = (index: number): [number, number, number] => {
    const at = paletteOffset + index * paletteEntrySize;
    if (at + 3 > bytes.length) return [0, 0, 0];
    return [bytes[at + 2]!, bytes[at + 1]!, bytes[at]!];
  };

  let red = channelMask(0x7c00);
  let green = channelMask(0x03e0);
  let blue = channelMask(0x001f);
  if (bitsPerPixel === 32) {
    red = channelMask(0x00ff0000);
    green = channelMask(0x0000ff00);
    blue = channelMask(0x000000ff);
  }
  if (usesBitFields) {
    // Masks sit in the V4/V5 header, or right after a 40-byte header.
    red = channelMask(bytes.readUInt32LE(14 + 40));
    green = channelMask(bytes.readUInt32LE(14 + 44));
    blue = channelMask(bytes.readUInt32LE(14 + 48));
  }

  const rgb = Buffer.alloc(width * height * 3);
  for (let row = 0; row < height; row++) {
    const sourceRow = header.topDown ? row : height - 1 - row;
    const rowStart = header.pixelDataOffset + sourceRow * rowStride;
    for (let x = 0; x < width; x++) {
      let r: number;
      let g: number;
      let b: number;
      if (bitsPerPixel <= 8) {
        const bitOffset = x * bitsPerPixel;
        const byte = bytes[rowStart + (bitOffset >> 3)]!;
        const index = (byte >> (8 - bitsPerPixel - (bitOffset & 7))) & ((1 << bitsPerPixel) - 1);
        [r, g, b] = palette(index);
      } else if (bitsPerPixel === 24) {
        const at = rowStart + x * 3;
        [b, g, r] = [bytes[at]!, bytes[at + 1]!, bytes[at + 2]!];
      } else {
        const value = bitsPerPixel === 16 ? bytes.readUInt16LE(rowStart + x * 2) : bytes.readUInt32LE(rowStart + x * 4);
        r = readChannel(value, red);
        g = readChannel(value, green);
        b = readChannel(value, blue);
      }
      const out = (row * width + x) * 3;
      rgb[out] = r;
      rgb[out + 1] = g;
      rgb[out + 2] = b;
    }
  }
  return { width, height, rgb };
}
