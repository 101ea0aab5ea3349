/**
 * Writes uncompressed BMP files for tests (sharp cannot write BMP). Two layouts real software produces:
 * 24-bit bottom-up BGR, and 8-bit with a grey palette (common from document scanners).
 */
function fileHeaderAndInfo(width: number, height: number, bitsPerPixel: number, paletteEntries: number, rowStride: number) {
  const pixelDataOffset = 14 + 40 + paletteEntries * 4;
  const fileSize = pixelDataOffset + rowStride * height;
  const header = Buffer.alloc(pixelDataOffset);
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(fileSize, 2);
  header.writeUInt32LE(pixelDataOffset, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(width, 18);
  header.writeInt32LE(height, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(bitsPerPixel, 28);
  header.writeUInt32LE(0, 30);
  header.writeUInt32LE(rowStride * height, 34);
  header.writeInt32LE(7874, 38); // 200 dpi in pixels per metre
  header.writeInt32LE(7874, 42);
  header.writeUInt32LE(paletteEntries, 46);
  return { header, pixelDataOffset, fileSize };
}

/** `rgb`: 3 bytes per pixel, rows top to bottom. */
export function encodeBmp24(width: number, height: number, rgb: Buffer): Buffer {
  const rowStride = Math.ceil((width * 3) / 4) * 4;
  const { header, fileSize } = fileHeaderAndInfo(width, height, 24, 0, rowStride);
  const out = Buffer.alloc(fileSize);
  header.copy(out);
  for (let y = 0; y < height; y++) {
    const rowStart = header.length + (height - 1 - y) * rowStride;
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * 3;
      out[rowStart + x * 3] = rgb[from + 2]!;
      out[rowStart + x * 3 + 1] = rgb[from + 1]!;
      out[rowStart + x * 3 + 2] = rgb[from]!;
    }
  }
  return out;
}

/** `grey`: 1 byte per pixel, rows top to bottom; written top-down (negative height) with a 256-entry palette. */
export function encodeBmp8Grey(width: number, height: number, grey: Buffer): Buffer {
  const rowStride = Math.ceil(width / 4) * 4;
  const { header, fileSize } = fileHeaderAndInfo(width, height, 8, 256, rowStride);
  header.writeInt32LE(-height, 22);
  for (let i = 0; i < 256; i++) {
    const at = 14 + 40 + i * 4;
    header[at] = i;
    header[at + 1] = i;
    header[at + 2] = i;
  }
  const out = Buffer.alloc(fileSize);
  header.copy(out);
  for (let y = 0; y < height; y++) grey.copy(out, header.length + y * rowStride, y * width, (y + 1) * width);
  return out;
}
