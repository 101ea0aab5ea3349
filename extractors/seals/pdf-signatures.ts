/**
 * Digital signatures in a PDF (signature fields: 电子签名/电子签章 made with Adobe, 点聚, 书生 and the like), read
 * from the signature dictionaries, not verified. A signature dictionary's /ByteRange names file offsets, so it always
 * sits uncompressed in the file (never in an object stream): scanning the bytes for /ByteRange finds every one without
 * a PDF parser. What is kept is what a rule can compare: the signer's name (/Name), the time (/M), the reason.
 */
import iconv from 'iconv-lite';
import type { ElectronicSeal, Extractor } from '../model.ts';

/** Part of the extraction version: what is read from PDF signatures. */
export const PDF_SIGNATURES_VERSION = 'pdfsig@1';

const MAX_SIGNATURES = 50;

function decodeBytes(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  const utf8 = bytes.toString('utf8');
  if (!utf8.includes('\uFFFD')) return utf8;
  // Chinese signing software often writes the name in GBK without saying so.
  return iconv.decode(bytes, 'gb18030');
}

/** A PDF string starting at `text[start]` ('(' literal or '<' hex); returns its bytes. */
function readPdfString(text: string, start: number): Buffer | undefined {
  if (text[start] === '<') {
    const end = text.indexOf('>', start);
    if (end < 0) return undefined;
    const hex = text.slice(start + 1, end).replace(/\s+/g, '');
    return Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex');
  }
  if (text[start] !== '(') return undefined;
  const out: number[] = [];
  let depth = 0;
  for (let i = start; i < text.length && out.length < 4096; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const next = text[++i];
      if (next === undefined) break;
      const escapes: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, '(': 40, ')': 41, '\\': 92 };
      if (next in escapes) out.push(escapes[next]!);
      else if (/[0-7]/.test(next)) {
        let octal = next;
        while (octal.length < 3 && /[0-7]/.test(text[i + 1] ?? '')) octal += text[++i];
        out.push(parseInt(octal, 8) & 0xff);
      } else if (next === '\r' || next === '\n') {
        if (next === '\r' && text[i + 1] === '\n') i++;
      } else out.push(next.charCodeAt(0) & 0xff);
      continue;
    }
    if (c === '(') {
      depth++;
      if (depth === 1) continue;
    } else if (c === ')') {
      depth--;
      if (depth === 0) return Buffer.from(out);
    }
    out.push(c.charCodeAt(0) & 0xff);
  }
  return undefined;
}

function stringEntry(dict: string, key: string): string | undefined {
  const match = new RegExp(`/${key}\\s*([(<])`).exec(dict);
  if (!match) return undefined;
  const bytes = readPdfString(dict, match.index + match[0].length - 1);
  const value = bytes ? decodeBytes(bytes).replace(/\0/g, '').trim() : '';
  return value || undefined;
}

/** Every signature dictionary in the file, in file order (a later incremental update's signature last). */
export function readPdfSignatures(bytes: Buffer): ElectronicSeal[] {
  const text = bytes.toString('latin1');
  const seals: ElectronicSeal[] = [];
  let from = 0;
  while (seals.length < MAX_SIGNATURES) {
    const at = text.indexOf('/ByteRange', from);
    if (at < 0) break;
    from = at + 10;
    const start = text.lastIndexOf(' obj', at);
    const end = text.indexOf('endobj', at);
    if (start < 0 || end < 0 || end - start > 2_000_000) continue;
    // The signature value itself (/Contents, kilobytes of hex) says nothing a rule can read.
    const dict = text.slice(start, end).replace(/\/Contents\s*<[0-9A-Fa-f\s]*>/, '');
    if (!/\/ByteRange\s*\[/.test(dict)) continue;
    const name = stringEntry(dict, 'Name');
    const signedAt = stringEntry(dict, 'M');
    const provider = /\/Filter\s*\/([A-Za-z0-9_.#-]+)/.exec(dict)?.[1];
    seals.push({
      source: 'pdf-signature',
      kind: 'signature',
      ...(name ? { signer: name } : {}),
      ...(signedAt ? { signedAt } : {}),
      ...(provider ? { provider } : {}),
      verified: false,
    });
  }
  return seals;
}

/** The PDF extractor with the file's signature fields added as electronic seals. */
export function withPdfSignatures(extract: Extractor): Extractor {
  return async (input, ctx) => {
    // Read first: the extractor may leave handed-over bytes empty (extractors/handed-over-bytes.ts).
    const signatures = readPdfSignatures(input.bytes);
    const doc = await extract(input, ctx);
    if (signatures.length === 0) return doc;
    return { ...doc, electronicSeals: [...(doc.electronicSeals ?? []), ...signatures] };
  };
}
