import { copyOf, type PdfByteSource } from './byte-source.ts';
import { crc32, deflateSync, inflateSync } from 'node:zlib';
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFNull, PDFNumber, PDFPageLeaf, PDFRawStream, PDFRef } from 'pdf-lib';
import sharp from 'sharp';

/**
 * A scanned page's picture as the file stores it, without pdf.js decoding it first.
 *
 * pdf.js decodes every image of a page in JavaScript before its operator list is complete (a 200-dpi JPEG page ≈ 200 ms,
 * a Flate page through its JavaScript inflater more), and its API hands out only the decoded pixels. Most scans are one
 * JPEG or one Flate image drawn over the whole page, and for those the stored bytes are all OCR needs: a DCTDecode
 * stream IS a JPEG file, which libjpeg-turbo (sharp, on the OCR side) reads faster than pdf.js; a FlateDecode stream of
 * 8-bit grey or RGB is zlib-inflated natively and handed on as a PNG, and with PNG predictors it is a PNG's image data
 * as it is. pdf-lib finds the image stream by the page's object
 * reference (from pdf.js); the page's content stream is checked to do nothing but draw that one image over the page.
 * Anything else — JBIG2, CCITT, JPEG 2000, 1-bit, ICC/Indexed/CMYK colours, masks, Decode arrays, several images,
 * text or paths on the page, a rotated or cropped placement, an encrypted file — is `undefined`, and the caller takes
 * pdf.js's path, which handles all of it.
 */

/** What the raw path needs of pdf.js's page proxy (`PDFPageProxy.ref`, `.view`, `.rotate`). */
export interface PageGeometry {
  ref: { num: number; gen: number } | null;
  /** The visible page box in user space: [x0, y0, x1, y1]. */
  view: number[];
  rotate: number;
}

export type RawScan =
  /** The image stream as stored: a JPEG file, handed on undecoded. */
  | { kind: 'jpeg'; bytes: Buffer; width: number; height: number }
  /**
   * A PNG file: around the stream's own bytes (Flate with PNG predictors is a PNG's image data), or around the
   * inflated pixels stored without compression (a grey scan; one with colour at zlib's fastest level).
   */
  | { kind: 'png'; bytes: Buffer; width: number; height: number };

/** Images with a side at or below this many pixels are logos, seals or rules, never the page itself (ocr-input.ts). */
const MIN_SCAN_IMAGE_SIDE = 200;
/** The image must cover this share of the page, and this share of the image must lie on the page. */
const MIN_COVERAGE = 0.85;
/** Image pixels and their placement may differ this much in aspect (same tolerance as ocr-input.ts). */
const MAX_ASPECT_MISMATCH = 0.12;
/** A JPEG's own density that disagrees with its placement by more than this is not trusted to mean the page. */
const MAX_DENSITY_MISMATCH = 0.15;
const POINTS_PER_INCH = 72;

const CHANNELS_OF: Record<string, 1 | 3> = { DeviceGray: 1, DeviceRGB: 3 };

/** A copy asked back from pdf.js once and kept: the fallback when neither the caller's bytes nor a file are at hand. */
function pdfjsSource(doc: PdfjsDocument): PdfByteSource {
  let data: Promise<Buffer> | undefined;
  const whole = () => {
    data ??= doc.getData().then((d) => Buffer.from(d.buffer, d.byteOffset, d.byteLength));
    return data;
  };
  return { whole, range: async (offset, length) => copyOf(await whole(), offset, length) };
}

/** Where a page's one candidate scan image lies in the file, and what its dictionary says. */
interface IndexedScan {
  /** The content's transformation when it paints the image. */
  matrix: Matrix;
  image: ImageStreamInfo;
}

/** Per page (`num gen` of its object), the one image its content paints, when it paints nothing else. */
interface ScanIndex {
  pages: Map<string, IndexedScan>;
  source: PdfByteSource;
}

/**
 * One index per pdf.js document, made on the first scanned page (pdf-lib reads the whole file once) and kept as a few
 * numbers a page: pdf-lib's reading and the bytes it read are dropped as soon as the index is made.
 */
const indexes = new WeakMap<object, Promise<ScanIndex | undefined>>();

interface PdfjsDocument {
  getData(): Promise<Uint8Array>;
}

function scanIndex(doc: PdfjsDocument, given: PdfByteSource | undefined): Promise<ScanIndex | undefined> {
  let index = indexes.get(doc);
  if (!index) {
    const source = given ?? pdfjsSource(doc);
    index = indexFile(source).catch(() => undefined);
    indexes.set(doc, index);
  }
  return index;
}

async function indexFile(source: PdfByteSource): Promise<ScanIndex | undefined> {
  const bytes = await source.whole();
  // Given a Buffer, pdf-lib's streams are views of it: their offsets in it are their offsets in the file.
  const parsed = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
  // Streams of an encrypted file are stored encrypted; pdf.js decrypts them, pdf-lib does not.
  if (parsed.isEncrypted) return undefined;
  const pages = new Map<string, IndexedScan>();
  for (const [ref, object] of parsed.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFPageLeaf)) continue;
    const scan = pageScan(object, bytes);
    if (scan) pages.set(`${ref.objectNumber} ${ref.generationNumber}`, scan);
  }
  return { pages, source };
}

/** The page's one painted image when it is a scan this path can take; its content is decoded only when it may be. */
function pageScan(leaf: PDFPageLeaf, file: Buffer): IndexedScan | undefined {
  const xobjects = leaf.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
  if (!xobjects) return undefined;
  // Logos, seals and rules beside text are never the page's scan: a page without a large image is not decoded at all.
  const large = xobjects.values().some((entry) => {
    const stream = entry instanceof PDFRef ? leaf.context.lookup(entry) : entry;
    if (!(stream instanceof PDFRawStream)) return false;
    const side = (key: string) => {
      const value = stream.dict.lookup(PDFName.of(key));
      return value instanceof PDFNumber ? value.asNumber() : 0;
    };
    return side('Width') > MIN_SCAN_IMAGE_SIDE && side('Height') > MIN_SCAN_IMAGE_SIDE;
  });
  if (!large) return undefined;
  const drawn = onlyPaintedImage(contentOf(leaf));
  if (!drawn) return undefined;
  const image = imageStream(leaf, drawn.name, file);
  return image && { matrix: drawn.matrix, image };
}

/**
 * The page's scan as stored, or undefined when the page is anything but one DCT or 8-bit grey/RGB Flate image drawn
 * over the whole upright page. `maxPixels` refuses images larger than that before anything is inflated. `source` is
 * where the file's bytes are read (see PdfByteSource); without one, a copy is asked back from pdf.js.
 */
export async function rawPageScan(doc: PdfjsDocument, page: PageGeometry, maxPixels: number, source?: PdfByteSource): Promise<RawScan | undefined> {
  if (!page.ref || page.rotate % 360 !== 0) return undefined;
  const index = await scanIndex(doc, source);
  const entry = index?.pages.get(`${page.ref.num} ${page.ref.gen}`);
  if (!index || !entry) return undefined;
  const { image, matrix } = entry;
  const { width, height } = image;
  if (width <= MIN_SCAN_IMAGE_SIDE || height <= MIN_SCAN_IMAGE_SIDE || width * height > maxPixels) return undefined;
  const placement = fullPagePlacement(matrix, page.view);
  if (!placement) return undefined;
  if (Math.abs(width / height / (placement.width / placement.height) - 1) > MAX_ASPECT_MISMATCH) return undefined;
  const dpi = (width / placement.width) * POINTS_PER_INCH;
  const bytes = await index.source.range(image.offset, image.length).catch(() => undefined);
  // What the index saw: the file has not changed under it.
  if (!bytes || (typeof crc32 === 'function' && crc32(bytes) !== image.crc)) return undefined;
  const stored = { ...image, bytes };
  return image.filter === 'DCTDecode' ? jpegAsStored(stored, dpi) : inflatedPixels(stored);
}

/** The page's content streams, decoded and joined; undefined when a filter is one pdf-lib cannot undo. */
function contentOf(leaf: PDFPageLeaf): string | undefined {
  const contents = leaf.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray().map((item) => leaf.context.lookup(item)) : [contents];
  const parts: string[] = [];
  for (const stream of streams) {
    if (!(stream instanceof PDFRawStream)) return undefined;
    try {
      parts.push(Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1'));
    } catch {
      return undefined;
    }
  }
  // Separate streams may split an operator's operands from it, but never a token: a line break between them is right.
  return parts.join('\n');
}

type Matrix = [number, number, number, number, number, number];

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** `m` applied after `ctm`: the new CTM after `m cm`. */
function concat(m: Matrix, ctm: Matrix): Matrix {
  return [
    m[0] * ctm[0] + m[1] * ctm[2],
    m[0] * ctm[1] + m[1] * ctm[3],
    m[2] * ctm[0] + m[3] * ctm[2],
    m[2] * ctm[1] + m[3] * ctm[3],
    m[4] * ctm[0] + m[5] * ctm[2] + ctm[4],
    m[4] * ctm[1] + m[5] * ctm[3] + ctm[5],
  ];
}

/**
 * Content streams are a language of their own (strings, arrays, inline images), which neither pdf-lib reads nor pdf.js
 * exposes without decoding the page's images; only the handful of tokens a scanner writes is accepted here — numbers,
 * names and the operators q, Q, cm, Do and marked-content brackets — and anything else means "not a plain scan".
 */
const TOKEN = /\s*(?:(%[^\r\n]*)|(\/[^\s/[\]<>(){}%]*)|([+-]?(?:\d+\.?\d*|\.\d+))|([A-Za-z]+)|(\S))/y;

export function onlyPaintedImage(content: string | undefined): { name: string; matrix: Matrix } | undefined {
  if (content === undefined) return undefined;
  const operands: Array<number | string> = [];
  const saved: Matrix[] = [];
  let ctm = IDENTITY;
  let painted: { name: string; matrix: Matrix } | undefined;
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < content.length) {
    const match = TOKEN.exec(content);
    if (!match) break; // only whitespace left
    const [, comment, name, number, operator, other] = match;
    if (comment !== undefined) continue;
    if (other !== undefined) return undefined;
    if (name !== undefined) operands.push(decodeName(name.slice(1)));
    else if (number !== undefined) operands.push(Number(number));
    else if (operator !== undefined) {
      switch (operator) {
        case 'q':
          saved.push(ctm);
          break;
        case 'Q':
          ctm = saved.pop() ?? IDENTITY;
          break;
        case 'cm': {
          if (operands.length !== 6 || !operands.every((o) => typeof o === 'number')) return undefined;
          ctm = concat(operands as Matrix, ctm);
          break;
        }
        case 'Do': {
          if (painted || operands.length !== 1 || typeof operands[0] !== 'string') return undefined;
          painted = { name: operands[0], matrix: ctm };
          break;
        }
        case 'BMC':
        case 'EMC':
          break;
        default:
          return undefined;
      }
      operands.length = 0;
    }
  }
  return painted;
}

/** `#xx` escapes in a name stand for the byte xx. */
function decodeName(name: string): string {
  return name.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The rectangle the image's unit square is drawn on, when it is upright and covers the page. */
function fullPagePlacement(m: Matrix, view: number[]): { width: number; height: number } | undefined {
  const [a, b, c, d, e, f] = m;
  if (view.length !== 4 || Math.abs(b) > 1e-6 * Math.abs(a) || Math.abs(c) > 1e-6 * Math.abs(d) || a <= 0 || d <= 0) return undefined;
  const [vx0, vy0, vx1, vy1] = [Math.min(view[0]!, view[2]!), Math.min(view[1]!, view[3]!), Math.max(view[0]!, view[2]!), Math.max(view[1]!, view[3]!)];
  const overlap = Math.max(0, Math.min(e + a, vx1) - Math.max(e, vx0)) * Math.max(0, Math.min(f + d, vy1) - Math.max(f, vy0));
  const pageArea = (vx1 - vx0) * (vy1 - vy0);
  if (pageArea <= 0 || overlap < MIN_COVERAGE * pageArea || overlap < MIN_COVERAGE * a * d) return undefined;
  return { width: a, height: d };
}

/** Decode parameters the raw path looks at (DecodeParms), as plain numbers. */
interface DecodeParms {
  colorTransform: boolean;
  predictor: number;
  colors: number;
  bitsPerComponent: number;
  columns: number;
}

/** An image XObject as the index keeps it: its dictionary's facts and where its stream's bytes lie in the file. */
interface ImageStreamInfo {
  filter: 'DCTDecode' | 'FlateDecode';
  width: number;
  height: number;
  channels: 1 | 3;
  parms: DecodeParms;
  offset: number;
  length: number;
  /** zlib.crc32 of the stream's bytes as indexed (0 where Node has no crc32). */
  crc: number;
}

type ImageStream = ImageStreamInfo & { bytes: Buffer };

/**
 * The named XObject when it is an image this path can hand on; undefined for anything pdf.js should decode. `file` is
 * the Buffer pdf-lib parsed: the stream's offset is where its bytes lie in it.
 */
function imageStream(leaf: PDFPageLeaf, name: string, file: Buffer): ImageStreamInfo | undefined {
  const xobjects = leaf.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
  const entry = xobjects?.get(PDFName.of(name));
  const stream = entry instanceof PDFRef ? leaf.context.lookup(entry) : entry;
  if (!(stream instanceof PDFRawStream)) return undefined;
  const dict = stream.dict;
  const nameOf = (key: string) => {
    const value = dict.lookup(PDFName.of(key));
    return value instanceof PDFName ? value.decodeText() : undefined;
  };
  const numberOf = (key: string) => {
    const value = dict.lookup(PDFName.of(key));
    return value instanceof PDFNumber ? value.asNumber() : undefined;
  };
  if (nameOf('Subtype') !== 'Image') return undefined;
  // Masks, colour remapping and alternate forms all change what the page shows from what the stream holds.
  for (const key of ['ImageMask', 'IM', 'SMask', 'Mask', 'Decode', 'SMaskInData', 'Alternates', 'OC']) {
    if (dict.has(PDFName.of(key))) return undefined;
  }
  const width = numberOf('Width');
  const height = numberOf('Height');
  const channels = CHANNELS_OF[nameOf('ColorSpace') ?? ''];
  if (!width || !height || !Number.isInteger(width) || !Number.isInteger(height) || !channels) return undefined;
  if (numberOf('BitsPerComponent') !== 8) return undefined;
  const filters = dict.lookup(PDFName.of('Filter'));
  const filterList = filters instanceof PDFArray ? filters.asArray().map((f) => leaf.context.lookup(f)) : [filters];
  if (filterList.length !== 1 || !(filterList[0] instanceof PDFName)) return undefined;
  const filter = filterList[0].decodeText();
  if (filter !== 'DCTDecode' && filter !== 'FlateDecode') return undefined;
  const parmsEntry = dict.lookup(PDFName.of('DecodeParms'));
  const parmsItem = parmsEntry instanceof PDFArray ? leaf.context.lookup(parmsEntry.get(0)) : parmsEntry;
  const parmsDict = parmsItem instanceof PDFDict ? parmsItem : undefined;
  if (parmsItem !== undefined && parmsItem !== PDFNull && !parmsDict) return undefined;
  const parm = (key: string, fallback: number) => {
    const value = parmsDict?.lookup(PDFName.of(key));
    return value instanceof PDFNumber ? value.asNumber() : fallback;
  };
  const parms: DecodeParms = {
    colorTransform: parmsDict?.has(PDFName.of('ColorTransform')) ?? false,
    predictor: parm('Predictor', 1),
    colors: parm('Colors', 1),
    bitsPerComponent: parm('BitsPerComponent', 8),
    columns: parm('Columns', 1),
  };
  const contents = stream.contents;
  // A stream pdf-lib had to rebuild rather than view in the file has no place in it to read again.
  if (contents.buffer !== file.buffer) return undefined;
  const offset = contents.byteOffset - file.byteOffset;
  const crc = typeof crc32 === 'function' ? crc32(contents) : 0;
  return { filter, width, height, channels, parms, offset, length: contents.byteLength, crc };
}

/**
 * The JPEG as stored, after its header has been read: it must be what the dictionary says (size, grey or RGB), and
 * carry nothing that would make a reader show it differently from pdf.js (an EXIF rotation, which pdf.js ignores and
 * OCR's preprocessing applies; Adobe's ColorTransform override; a density that contradicts its size on the page, which
 * OCR's preprocessing would scale by).
 */
async function jpegAsStored(image: ImageStream, dpiOnPage: number): Promise<RawScan | undefined> {
  if (image.parms.colorTransform) return undefined;
  const meta = await sharp(image.bytes).metadata().catch(() => undefined);
  if (!meta || meta.format !== 'jpeg' || meta.width !== image.width || meta.height !== image.height) return undefined;
  if (meta.channels !== image.channels || (meta.orientation ?? 1) !== 1) return undefined;
  if (meta.density && meta.density >= 100 && Math.abs(meta.density / dpiOnPage - 1) > MAX_DENSITY_MISMATCH) return undefined;
  return { kind: 'jpeg', bytes: image.bytes, width: image.width, height: image.height };
}

/**
 * Flate pixels, inflated natively. With PNG predictors (/Predictor 10–15) the stream is already what a PNG file holds
 * (a zlib stream of rows, each led by its filter byte), so it is wrapped as one, undecoded, once inflating it has shown
 * that it is whole and every row's filter is one PNG knows; TIFF's predictor (2) is left to pdf.js.
 */
function inflatedPixels(image: ImageStream): RawScan | undefined {
  const { predictor } = image.parms;
  const row = image.width * image.channels;
  if (typeof crc32 !== 'function') return undefined; // zlib.crc32 is Node ≥ 20.15
  if (predictor <= 1) {
    const raw = inflateExactly(image.bytes, row * image.height);
    if (!raw) return undefined;
    // A grey page scanned in colour is written as one channel, a third of the bytes to carry and to read.
    const grey = image.channels === 1 ? raw : greyChannel(raw);
    const channels = grey ? 1 : 3;
    // Compressing 4–12 MB again would cost more than the inflating did: a grey page goes stored (zlib level 0, a
    // copy), a colour one at level 1.
    const rows = withFilterBytes(grey ?? raw, image.width * channels, image.height);
    const data = deflateSync(rows, { level: channels === 1 ? 0 : 1 });
    return { kind: 'png', bytes: pngFile(image.width, image.height, channels, data), width: image.width, height: image.height };
  }
  if (predictor < 10 || image.parms.colors !== image.channels || image.parms.bitsPerComponent !== 8 || image.parms.columns !== image.width) return undefined;
  const filtered = inflateExactly(image.bytes, (row + 1) * image.height);
  if (!filtered) return undefined;
  for (let y = 0; y < image.height; y++) if (filtered[y * (row + 1)]! > 4) return undefined;
  return { kind: 'png', bytes: pngFile(image.width, image.height, image.channels, image.bytes), width: image.width, height: image.height };
}

/** The one channel of RGB pixels whose every pixel has R = G = B; undefined at the first coloured pixel. */
function greyChannel(rgb: Buffer): Buffer | undefined {
  const grey = Buffer.allocUnsafe(rgb.length / 3);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j++) {
    const r = rgb[i]!;
    if (r !== rgb[i + 1] || r !== rgb[i + 2]) return undefined;
    grey[j] = r;
  }
  return grey;
}

/** PNG rows: each led by filter type 0 (None). */
function withFilterBytes(pixels: Buffer, rowBytes: number, rows: number): Buffer {
  const out = Buffer.allocUnsafe((rowBytes + 1) * rows);
  for (let y = 0; y < rows; y++) {
    out[y * (rowBytes + 1)] = 0;
    pixels.copy(out, y * (rowBytes + 1) + 1, y * rowBytes, (y + 1) * rowBytes);
  }
  return out;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** PNG colour types: 0 grey, 2 RGB. */
const PNG_COLOUR_TYPE: Record<1 | 3, number> = { 1: 0, 3: 2 };

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc32(data, crc32(head.subarray(4))) >>> 0, 0);
  return Buffer.concat([head, data, tail]);
}

/** An 8-bit grey or RGB PNG around a zlib stream of filtered rows. */
function pngFile(width: number, height: number, channels: 1 | 3, zlibData: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = PNG_COLOUR_TYPE[channels];
  // compression 0 (deflate), filter method 0 (adaptive, per row), interlace 0: bytes 10–12 stay zero
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', header), pngChunk('IDAT', zlibData), pngChunk('IEND', Buffer.alloc(0))]);
}

/** The inflated stream when it holds exactly `length` bytes (a short or overlong stream is pdf.js's to patch up). */
function inflateExactly(bytes: Buffer, length: number): Buffer | undefined {
  try {
    const out = inflateSync(bytes, { maxOutputLength: length + 1 });
    return out.length === length ? out : undefined;
  } catch {
    return undefined;
  }
}
