import { describe, expect, it } from 'vitest';
import { BmpFormatError, decodeBmp, readBmpHeader } from '../../extractors/ocr/bmp.ts';
import { encodeBmp24, encodeBmp8Grey } from './bmp-writer.ts';

// A 3×2 image whose rows need padding (3 px × 3 bytes = 9, padded to 12), so stride bugs show.
const width = 3;
const height = 2;
const rgb = Buffer.from([
  255, 0, 0, /**/ 0, 255, 0, /**/ 0, 0, 255,
  10, 20, 30, /**/ 40, 50, 60, /**/ 70, 80, 90,
]);

describe('when reading a BMP file, which sharp cannot', () => {
  it('decodes a 24-bit bottom-up image into top-to-bottom RGB', () => {
    const decoded = decodeBmp(encodeBmp24(width, height, rgb));
    expect(decoded.width).toBe(3);
    expect(decoded.height).toBe(2);
    expect([...decoded.rgb]).toEqual([...rgb]);
  });

  it('decodes an 8-bit top-down palette image', () => {
    const grey = Buffer.from([0, 128, 255, 7, 77, 177]);
    const decoded = decodeBmp(encodeBmp8Grey(width, height, grey));
    expect([...decoded.rgb]).toEqual([...grey].flatMap((v) => [v, v, v]));
  });

  it('reads the size from the header alone, before any pixels are touched', () => {
    const header = encodeBmp24(width, height, rgb).subarray(0, 54);
    header.writeInt32LE(30_000, 18);
    header.writeInt32LE(30_000, 22);
    expect(readBmpHeader(header)).toMatchObject({ width: 30_000, height: 30_000, bitsPerPixel: 24 });
  });

  it('refuses truncated pixel data instead of reading past the end', () => {
    const truncated = encodeBmp24(width, height, rgb).subarray(0, 60);
    expect(() => decodeBmp(truncated)).toThrow(BmpFormatError);
  });

  it('refuses run-length compressed BMPs it does not implement', () => {
    const rle = encodeBmp8Grey(width, height, Buffer.alloc(6));
    rle.writeUInt32LE(1, 30);
    expect(() => decodeBmp(rle)).toThrow(/not supported/);
  });
});
