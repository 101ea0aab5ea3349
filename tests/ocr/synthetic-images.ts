import { createDeflate, crc32 } from 'node:zlib';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

function greyscaleHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return pngChunk('IHDR', ihdr);
}

/**
 * A PNG whose header announces `width`×`height` but which carries only a few bytes of pixel data: what a
 * decompression bomb looks like to anything that trusts the header. Costs nothing to build.
 */
export function pngWithHugeHeader(width: number, height: number): Buffer {
  return Buffer.concat([
    PNG_SIGNATURE,
    greyscaleHeader(width, height),
    pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01])),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A complete, valid white PNG of `width`×`height` that compresses ~1000:1 (144 MP in ~170 KB): a real
 * decompression bomb. Built by streaming rows through deflate so the test itself stays small in memory.
 */
export async function compressedBlankPng(width: number, height: number): Promise<Buffer> {
  const deflate = createDeflate({ level: 9 });
  const compressed: Buffer[] = [];
  deflate.on('data', (part: Buffer) => compressed.push(part));
  const finished = new Promise((resolve) => deflate.on('end', resolve));
  const row = Buffer.alloc(width + 1, 255);
  row[0] = 0; // filter type "none"
  for (let y = 0; y < height; y++) {
    if (!deflate.write(row)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await finished;
  return Buffer.concat([
    PNG_SIGNATURE,
    greyscaleHeader(width, height),
    pngChunk('IDAT', Buffer.concat(compressed)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
