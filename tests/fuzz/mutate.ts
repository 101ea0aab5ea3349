import { extname } from 'node:path';
import { Prng } from './prng.ts';
import { readZipEntries, writeZipEntries, zipFields, zipNames, type ZipEntry } from './zip-structure.ts';

/**
 * Mutation operators for the fuzz. Mutant `index` of seed `seed` is made from its own PRNG stream (seed, index),
 * so any one mutant can be remade alone from the seed, the index and the same seed input: that is what a failure
 * report names. Every operator is bounded (sizes, repeat counts), so no mutant is larger than a few MB.
 */

export type SeedKind = 'pdf' | 'docx' | 'zip' | 'other';

export interface SeedInput {
  /** Where the seed input was read from. */
  path: string;
  /** Short name for reports. */
  label: string;
  kind: SeedKind;
  /** File name extension, with the dot (mutants keep it: intake and the sniffer look at it). */
  ext: string;
  bytes: Buffer;
}

export interface Mutant {
  seed: string;
  index: number;
  input: SeedInput;
  /** File name of the mutant: `m0042-pdf.pdf`. */
  name: string;
  bytes: Buffer;
  /** What was done, in order, e.g. `pdf-number /Count 1→2147483648`. */
  ops: string[];
}

interface Mutation {
  bytes: Buffer;
  label: string;
}

type Operator = (rng: Prng, buf: Buffer, depth: number) => Mutation | undefined;

export function seedKindOf(bytes: Buffer, fileName: string): SeedKind {
  if (bytes.subarray(0, 1024).includes('%PDF')) return 'pdf';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    const entries = readZipEntries(bytes);
    if (entries?.some((e) => e.name.toString('latin1') === 'word/document.xml')) return 'docx';
    if (extname(fileName).toLowerCase() === '.docx') return 'docx';
    return 'zip';
  }
  return 'other';
}

export function mutantName(index: number, input: Pick<SeedInput, 'kind' | 'ext'>): string {
  return `m${String(index).padStart(4, '0')}-${input.kind}${input.ext}`;
}

/** The mutant `index` of a campaign with this seed. */
export function makeMutant(seed: string, index: number, input: SeedInput): Mutant {
  const rng = new Prng(seed, index);
  const rounds = rng.weighted([
    [50, 1],
    [30, 2],
    [15, 3],
    [5, 4],
  ] as const);
  let bytes = input.bytes;
  const ops: string[] = [];
  for (let r = 0; r < rounds; r++) {
    const kind = r === 0 ? input.kind : seedKindOf(bytes, `mutant${input.ext}`);
    const mutation = applyOne(rng, bytes, kind, 0);
    bytes = mutation.bytes;
    ops.push(mutation.label);
  }
  return { seed, index, input, name: mutantName(index, input), bytes, ops };
}

function applyOne(rng: Prng, buf: Buffer, kind: SeedKind, depth: number): Mutation {
  const table = kind === 'pdf' ? PDF_OPS : kind === 'docx' ? DOCX_OPS : kind === 'zip' ? ZIP_OPS : GENERIC_OPS;
  // An operator that finds nothing to work on (no /Count in the file, an archive no longer readable) gives way.
  for (let attempt = 0; attempt < 4; attempt++) {
    const op = rng.weighted(table);
    const result = buf.length === 0 ? undefined : op(rng, buf, depth);
    if (result) return result;
  }
  return buf.length === 0 ? { bytes: Buffer.from('%PDF-1.4\n'), label: 'refill' } : flipBits(rng, buf, depth)!;
}

// ---------------------------------------------------------------------------------------------------------------
// Generic byte operators

const INTERESTING_32 = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff];

/** Numbers written as ASCII where the format holds numbers as text (PDF). */
const INTERESTING_NUMBERS = [
  '0',
  '-1',
  '1',
  '2',
  '255',
  '65535',
  '65536',
  '2147483647',
  '2147483648',
  '-2147483648',
  '4294967295',
  '4294967296',
  '9007199254740993',
  '1e308',
  '-0',
  '0.5',
  '99999999999999999999999999',
  '9'.repeat(400),
];

/** A position, biased to the first and last KB where formats keep their headers and trailers. */
function position(rng: Prng, length: number): number {
  const region = rng.weighted([
    [6, 'any'],
    [2, 'tail'],
    [1, 'head'],
  ] as const);
  if (region === 'tail') return Math.max(0, length - 1 - rng.int(Math.min(length, 2048)));
  if (region === 'head') return rng.int(Math.min(length, 1024));
  return rng.int(length);
}

function runLength(rng: Prng): number {
  return rng.weighted([
    [6, () => rng.range(1, 8)],
    [3, () => rng.range(9, 64)],
    [1, () => rng.range(65, 1024)],
  ] as const)();
}

function splice(buf: Buffer, at: number, remove: number, insert: Buffer): Buffer {
  return Buffer.concat([buf.subarray(0, at), insert, buf.subarray(Math.min(buf.length, at + remove))]);
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

const flipBits: Operator = (rng, buf) => {
  const out = Buffer.from(buf);
  const n = rng.weighted([
    [5, 1],
    [3, rng.range(2, 8)],
    [1, rng.range(9, 64)],
  ] as const);
  const at: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = position(rng, out.length);
    out[p]! ^= 1 << rng.int(8);
    at.push(p);
  }
  return { bytes: out, label: `flip-bits×${n}@${at.slice(0, 4).join(',')}${at.length > 4 ? '…' : ''}` };
};

function fillBytes(rng: Prng, length: number): { fill: Buffer; what: string } {
  const kind = rng.weighted([
    [3, 'zero'],
    [3, 'ff'],
    [2, 'random'],
    [2, 'int32le'],
    [1, 'int32be'],
    [2, 'digits'],
  ] as const);
  switch (kind) {
    case 'zero':
      return { fill: Buffer.alloc(length, 0x00), what: '0x00' };
    case 'ff':
      return { fill: Buffer.alloc(length, 0xff), what: '0xff' };
    case 'random':
      return { fill: rng.bytes(length), what: 'random' };
    case 'int32le':
    case 'int32be': {
      const v = rng.pick(INTERESTING_32);
      const word = Buffer.alloc(4);
      if (kind === 'int32le') word.writeUInt32LE(v >>> 0, 0);
      else word.writeUInt32BE(v >>> 0, 0);
      return { fill: Buffer.alloc(length, word), what: `${kind}:${hex(v)}` };
    }
    case 'digits': {
      const digits = rng.pick(INTERESTING_NUMBERS);
      return { fill: Buffer.alloc(length, digits, 'latin1'), what: `"${digits.slice(0, 12)}"` };
    }
  }
}

const overwriteRun: Operator = (rng, buf) => {
  const at = position(rng, buf.length);
  const length = Math.min(runLength(rng), buf.length - at);
  const { fill, what } = fillBytes(rng, length);
  const out = Buffer.from(buf);
  fill.copy(out, at);
  return { bytes: out, label: `overwrite ${length}B@${at}=${what}` };
};

const truncate: Operator = (rng, buf) => {
  const cut = rng.weighted([
    [3, () => rng.int(buf.length)],
    [3, () => Math.max(0, buf.length - 1 - rng.int(Math.min(buf.length, 2048)))],
    [1, () => rng.int(Math.min(buf.length, 1024))],
  ] as const)();
  return { bytes: Buffer.from(buf.subarray(0, cut)), label: `truncate@${cut}/${buf.length}` };
};

const duplicateChunk: Operator = (rng, buf) => {
  const length = Math.min(buf.length, rng.weighted([
    [3, rng.range(1, 64)],
    [2, rng.range(65, 4096)],
    [1, rng.range(4097, 65536)],
  ] as const));
  const from = rng.int(buf.length - length + 1);
  const to = position(rng, buf.length);
  const times = rng.weighted([
    [6, 1],
    [2, rng.range(2, 8)],
    [1, rng.range(9, 64)],
  ] as const);
  const copies = Math.max(1, Math.min(times, Math.floor((2 * 1024 * 1024) / length)));
  const chunk = Buffer.concat(Array.from({ length: copies }, () => buf.subarray(from, from + length)));
  return { bytes: splice(buf, to, 0, chunk), label: `duplicate ${length}B@${from}×${copies}→${to}` };
};

const removeChunk: Operator = (rng, buf) => {
  const length = Math.min(Math.max(1, Math.floor(buf.length / 2)), runLength(rng) * rng.pick([1, 1, 8, 64]));
  const at = position(rng, buf.length);
  return { bytes: splice(buf, at, length, Buffer.alloc(0)), label: `remove ${length}B@${at}` };
};

const insertBytes: Operator = (rng, buf) => {
  const at = position(rng, buf.length);
  const { fill, what } = fillBytes(rng, runLength(rng));
  return { bytes: splice(buf, at, 0, fill), label: `insert ${fill.length}B@${at}=${what}` };
};

const GENERIC: readonly (readonly [number, Operator])[] = [
  [3, flipBits],
  [3, overwriteRun],
  [1.5, truncate],
  [1, duplicateChunk],
  [1, removeChunk],
  [0.5, insertBytes],
];

// ---------------------------------------------------------------------------------------------------------------
// PDF operators: the numbers and keywords that pdf.js trusts

const PDF_NUMBER_KEYS =
  /(\/(?:Count|Length|Length1|Length2|Length3|Size|N|First|Prev|XRefStm|Index|W|Width|Height|BitsPerComponent|Columns|Predictor|Colors|Rows|K|Rotate|StructParents|FirstChar|LastChar|MediaBox|CropBox|DW|Widths|Ascent|Descent)\s*\[?\s*|startxref\s+)(-?\d+(?:\.\d+)?)/g;

function latin1(buf: Buffer): string {
  return buf.toString('latin1');
}

function replacementNumber(rng: Prng, old: string): string {
  const n = Number(old);
  return rng.weighted([
    [5, () => rng.pick(INTERESTING_NUMBERS)],
    [1, () => String(n + 1)],
    [1, () => String(n - 1)],
    [1, () => String(n * 2)],
    [1, () => String(n * 1000)],
    [1, () => String(-n)],
    [1, () => String(rng.next())],
  ] as const)();
}

const pdfNumber: Operator = (rng, buf) => {
  const text = latin1(buf);
  const matches = [...text.matchAll(PDF_NUMBER_KEYS)];
  if (matches.length === 0) return undefined;
  const m = rng.pick(matches);
  const at = m.index! + m[1]!.length;
  const next = replacementNumber(rng, m[2]!);
  const key = m[1]!.trim().replace(/\s*\[$/, '');
  return {
    bytes: splice(buf, at, m[2]!.length, Buffer.from(next, 'latin1')),
    label: `pdf-number ${key} ${m[2]}→${next.length > 16 ? `${next.slice(0, 6)}…(${next.length} 位)` : next}`,
  };
};

const pdfReference: Operator = (rng, buf) => {
  const text = latin1(buf);
  const refs = [...text.matchAll(/(\d+) (\d+) (R|obj)\b/g)];
  if (refs.length < 2) return undefined;
  const m = rng.pick(refs);
  const other = rng.pick(refs)[1]!;
  const next = rng.weighted([
    [4, other],
    [1, '0'],
    [1, '999999'],
    [1, String(Number(m[1]) + 1)],
  ] as const);
  return {
    bytes: splice(buf, m.index!, m[1]!.length, Buffer.from(next, 'latin1')),
    label: `pdf-ref "${m[0]}"→${next}`,
  };
};

const PDF_KEYWORDS = [
  'endstream',
  'endobj',
  'stream',
  'xref',
  'trailer',
  'startxref',
  '%%EOF',
  ' obj',
  '/Type',
  '/Pages',
  '/Page',
  '/Kids',
  '/Parent',
  '/Root',
  '/Filter',
  '/FlateDecode',
  '/Font',
  '/ToUnicode',
  '/Contents',
  '/Resources',
  '/Encoding',
  '<<',
  '>>',
  '[',
  ']',
];

const pdfKeyword: Operator = (rng, buf) => {
  const keyword = rng.pick(PDF_KEYWORDS);
  const hits: number[] = [];
  for (let at = buf.indexOf(keyword, 0, 'latin1'); at >= 0 && hits.length < 5000; at = buf.indexOf(keyword, at + 1, 'latin1')) hits.push(at);
  if (hits.length === 0) return undefined;
  const at = rng.pick(hits);
  const how = rng.pick(['delete', 'duplicate', 'garble', 'swap'] as const);
  const replacement =
    how === 'delete'
      ? ''
      : how === 'duplicate'
        ? keyword + keyword
        : how === 'garble'
          ? rng.bytes(keyword.length).toString('latin1')
          : rng.pick(PDF_KEYWORDS);
  return {
    bytes: splice(buf, at, keyword.length, Buffer.from(replacement, 'latin1')),
    label: `pdf-keyword ${how} "${keyword}"@${at}`,
  };
};

/** Bytes inside a stream: fonts, content, images, object and xref streams go through their decoders. */
const pdfStream: Operator = (rng, buf) => {
  const text = latin1(buf);
  const streams = [...text.matchAll(/stream\r?\n/g)]
    .map((m) => {
      const start = m.index! + m[0].length;
      const end = text.indexOf('endstream', start);
      return { start, end };
    })
    .filter((s) => s.end > s.start + 4 && text.slice(s.start - 10, s.start).indexOf('end') < 0);
  if (streams.length === 0) return undefined;
  const s = rng.pick(streams);
  const length = s.end - s.start;
  const how = rng.pick(['flip', 'zero-tail', 'random', 'cut'] as const);
  const out = Buffer.from(buf);
  switch (how) {
    case 'flip': {
      const n = rng.range(1, 8);
      for (let i = 0; i < n; i++) out[s.start + rng.int(length)]! ^= 1 << rng.int(8);
      return { bytes: out, label: `pdf-stream flip×${n} in [${s.start},${s.end})` };
    }
    case 'zero-tail': {
      const from = s.start + rng.int(length);
      out.fill(0, from, s.end);
      return { bytes: out, label: `pdf-stream zero [${from},${s.end})` };
    }
    case 'random':
      rng.bytes(length).copy(out, s.start);
      return { bytes: out, label: `pdf-stream random [${s.start},${s.end})` };
    case 'cut': {
      const keep = rng.int(length);
      return { bytes: splice(buf, s.start + keep, length - keep, Buffer.alloc(0)), label: `pdf-stream cut to ${keep}/${length}B@${s.start}` };
    }
  }
};

/** Deep nesting inside the body: recursion in a parser. */
const pdfNesting: Operator = (rng, buf) => {
  const open = rng.pick(['[', '<<', '(', '<<\n/Kids [']);
  const depth = rng.range(100, 20_000);
  const at = position(rng, buf.length);
  return {
    bytes: splice(buf, at, 0, Buffer.from(open.repeat(depth), 'latin1')),
    label: `pdf-nesting "${open.replace('\n', ' ')}"×${depth}@${at}`,
  };
};

const PDF_OPS: readonly (readonly [number, Operator])[] = [
  ...GENERIC,
  [4, pdfNumber],
  [1.5, pdfReference],
  [2, pdfKeyword],
  [3, pdfStream],
  [0.5, pdfNesting],
];

// ---------------------------------------------------------------------------------------------------------------
// Zip operators: headers that lie, and entries whose contents are mutated behind a valid CRC

function maxOf(size: 2 | 4): number {
  return size === 2 ? 0xffff : 0xffffffff;
}

const zipField: Operator = (rng, buf) => {
  const fields = zipFields(buf);
  if (fields.length === 0) return undefined;
  const f = rng.pick(fields);
  const old = f.size === 2 ? buf.readUInt16LE(f.offset) : buf.readUInt32LE(f.offset);
  const max = maxOf(f.size);
  let next: number;
  if (f.name === 'flags') next = old ^ rng.pick([0x1, 0x8, 0x800, 0x40, 0x2000, 1 << rng.int(16)]);
  else if (f.name === 'method') next = rng.pick([0, 8, 1, 6, 9, 12, 14, 93, 95, 99, 0xffff]);
  else if (f.name === 'externalAttributes') next = rng.pick([0xa1ff0000, 0x41ed0010, 0, 0xffffffff, old ^ (1 << rng.int(32))]);
  else {
    next = rng.pick([
      0,
      1,
      max,
      max - 1,
      old + 1,
      old - 1,
      old * 2,
      old >>> 1,
      old + rng.range(-64, 64),
      rng.next(),
      buf.length,
      buf.length - 1,
      f.size === 4 ? 0x7fffffff : 0x7fff,
      f.size === 4 ? 0x80000000 : 0x8000,
    ]);
  }
  next = ((next % (max + 1)) + (max + 1)) % (max + 1);
  if (next === old) next = old ^ 1;
  const out = Buffer.from(buf);
  if (f.size === 2) out.writeUInt16LE(next, f.offset);
  else out.writeUInt32LE(next >>> 0, f.offset);
  const nth = fields.filter((g) => g.structure === f.structure && g.name === f.name && g.at < f.at).length;
  return { bytes: out, label: `zip ${f.structure}#${nth}.${f.name} ${old}→${next}` };
};

const zipName: Operator = (rng, buf) => {
  const names = zipNames(buf);
  if (names.length === 0) return undefined;
  const n = rng.pick(names);
  const out = Buffer.from(buf);
  const how = rng.pick(['dotdot', 'absolute', 'drive', 'byte', 'random'] as const);
  switch (how) {
    case 'dotdot':
      if (n.length < 3) return undefined;
      out.write('../', n.offset, 'latin1');
      break;
    case 'absolute':
      out[n.offset] = 0x2f;
      break;
    case 'drive':
      if (n.length < 3) return undefined;
      out.write('C:\\', n.offset, 'latin1');
      break;
    case 'byte':
      out[n.offset + rng.int(n.length)] = rng.pick([0x2f, 0x5c, 0x00, 0xff, 0x80, 0x2e, 0x3a, 0x0a]);
      break;
    case 'random':
      rng.bytes(n.length).copy(out, n.offset);
      break;
  }
  return { bytes: out, label: `zip ${n.structure}-name ${how}@${n.offset}` };
};

/** Operators on the text of an XML part (word/document.xml and friends). */
function mutateXml(rng: Prng, xml: Buffer): Mutation | undefined {
  const text = xml.toString('utf8');
  const how = rng.weighted([
    [2, 'truncate'],
    [2, 'remove-span'],
    [2, 'repeat-span'],
    [1, 'nesting'],
    [1, 'bad-utf8'],
    [1, 'namespace'],
    [1, 'entities'],
    [1, 'external-entity'],
  ] as const);
  const tagStarts = [...text.matchAll(/</g)].map((m) => m.index!);
  const bodyStart = Math.max(0, text.indexOf('<w:body>'));
  switch (how) {
    case 'truncate': {
      const cut = rng.int(xml.length);
      return { bytes: Buffer.from(xml.subarray(0, cut)), label: `xml truncate@${cut}` };
    }
    case 'remove-span': {
      if (tagStarts.length < 2) return undefined;
      const a = rng.int(tagStarts.length - 1);
      const b = Math.min(tagStarts.length - 1, a + rng.range(1, 8));
      return { bytes: Buffer.from(text.slice(0, tagStarts[a]) + text.slice(tagStarts[b]), 'utf8'), label: `xml remove-span tags ${a}..${b}` };
    }
    case 'repeat-span': {
      const paragraphs = [...text.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)];
      if (paragraphs.length === 0) return undefined;
      const p = rng.pick(paragraphs);
      const times = Math.min(rng.pick([2, 10, 100, 1000, 20_000]), Math.floor((4 * 1024 * 1024) / p[0].length));
      const at = p.index! + p[0].length;
      return { bytes: Buffer.from(text.slice(0, at) + p[0].repeat(times) + text.slice(at), 'utf8'), label: `xml repeat-paragraph×${times}` };
    }
    case 'nesting': {
      if (bodyStart === 0) return undefined;
      const depth = rng.range(500, 50_000);
      const tag = rng.pick(['w:r', 'w:p', 'w:tbl', 'w:sdt', 'x']);
      const at = bodyStart + '<w:body>'.length;
      const nest = `<${tag}>`.repeat(depth) + `</${tag}>`.repeat(depth);
      return { bytes: Buffer.from(text.slice(0, at) + nest + text.slice(at), 'utf8'), label: `xml nesting <${tag}>×${depth}` };
    }
    case 'bad-utf8': {
      const at = rng.int(xml.length);
      const bad = rng.pick([Buffer.from([0xff, 0xfe]), Buffer.from([0xc3]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0x00])]);
      return { bytes: splice(xml, at, 0, bad), label: `xml bad-utf8@${at}` };
    }
    case 'namespace': {
      const decls = [...text.matchAll(/xmlns:\w+="[^"]*"/g)];
      if (decls.length === 0) return undefined;
      const d = rng.pick(decls);
      return { bytes: Buffer.from(text.slice(0, d.index!) + text.slice(d.index! + d[0].length), 'utf8'), label: `xml drop ${d[0].slice(0, 12)}` };
    }
    case 'entities':
    case 'external-entity': {
      const declEnd = text.startsWith('<?xml') ? text.indexOf('?>') + 2 : 0;
      const doctype =
        how === 'entities'
          ? `<!DOCTYPE w:document [<!ENTITY a "甲乙丙丁戊己庚辛壬癸"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>`
          : '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>';
      const ref = how === 'entities' ? '&d;' : '&x;';
      const t = text.indexOf('<w:t>');
      const withRef = t > 0 ? text.slice(0, t + 5) + ref + text.slice(t + 5) : text;
      return { bytes: Buffer.from(withRef.slice(0, declEnd) + doctype + withRef.slice(declEnd), 'utf8'), label: `xml ${how}` };
    }
  }
}

function innerKind(data: Buffer, name: string): SeedKind | 'xml' {
  if (data.subarray(0, 6).toString('latin1').startsWith('<?xml') || name.endsWith('.xml') || name.endsWith('.rels')) return 'xml';
  return seedKindOf(data, name);
}

/** Mutates one entry's uncompressed bytes and rebuilds the archive with valid CRCs and sizes. */
const zipEntryContent: Operator = (rng, buf, depth) => {
  const entries = readZipEntries(buf);
  if (!entries) return undefined;
  const files = entries.map((e, i) => ({ e, i })).filter(({ e }) => e.data.length > 0);
  if (files.length === 0) return undefined;
  const document = files.find(({ e }) => e.name.toString('latin1') === 'word/document.xml');
  const { e, i } = document && rng.chance(0.5) ? document : rng.pick(files);
  const name = e.name.toString('latin1');
  const kind = innerKind(e.data, name);
  let inner: Mutation | undefined;
  if (kind === 'xml') inner = mutateXml(rng, e.data) ?? flipBits(rng, e.data, depth);
  else if (depth < 1 && kind !== 'other') inner = applyOne(rng, e.data, kind, depth + 1);
  else inner = rng.weighted(GENERIC)(rng, e.data, depth);
  if (!inner) return undefined;
  const next = entries.slice();
  next[i] = { ...e, data: inner.bytes };
  return { bytes: writeZipEntries(next), label: `entry#${i}{${inner.label}}` };
};

/** Changes to the list of entries: duplicates, drops, renames, storage method. */
const zipEntryList: Operator = (rng, buf) => {
  const entries = readZipEntries(buf);
  if (!entries || entries.length === 0) return undefined;
  const i = rng.int(entries.length);
  const e = entries[i]!;
  const how = rng.pick(['duplicate', 'drop', 'store', 'rename', 'symlink'] as const);
  const next: ZipEntry[] = entries.slice();
  switch (how) {
    case 'duplicate':
      next.splice(i + 1, 0, { ...e, data: rng.chance(0.5) ? e.data : Buffer.from(e.data.subarray(0, rng.int(e.data.length + 1))) });
      break;
    case 'drop':
      next.splice(i, 1);
      break;
    case 'store':
      next[i] = { ...e, method: e.method === 8 ? 0 : 8 };
      break;
    case 'rename': {
      const name = rng.pick([
        Buffer.from('../../escape.pdf'),
        Buffer.from('/abs/path.docx'),
        Buffer.from('a/'.repeat(200) + 'deep.pdf'),
        Buffer.from('x'.repeat(1000) + '.pdf'),
        Buffer.from([0xff, 0xfe, 0x80, 0x2e, 0x70, 0x64, 0x66]),
        Buffer.from(''),
        Buffer.from('word/document.xml'),
        Buffer.from('.DS_Store'),
        Buffer.concat([e.name, Buffer.from('/')]),
      ]);
      next[i] = { ...e, name };
      return { bytes: writeZipEntries(next), label: `entries rename#${i}→"${name.toString('latin1').slice(0, 24)}"` };
    }
    case 'symlink': {
      const central = Buffer.from(e.central);
      central.writeUInt32LE(0xa1ff0000, 38);
      central.writeUInt16LE(0x031e, 4);
      next[i] = { ...e, central };
      break;
    }
  }
  return { bytes: writeZipEntries(next), label: `entries ${how}#${i}` };
};

const ZIP_OPS: readonly (readonly [number, Operator])[] = [
  [1, flipBits],
  [1, overwriteRun],
  [1, truncate],
  [0.5, duplicateChunk],
  [0.5, removeChunk],
  [3, zipField],
  [1, zipName],
  [4, zipEntryContent],
  [1.5, zipEntryList],
];

const DOCX_OPS: readonly (readonly [number, Operator])[] = [
  [1, flipBits],
  [1, overwriteRun],
  [1, truncate],
  [0.5, duplicateChunk],
  [0.5, removeChunk],
  [2.5, zipField],
  [0.5, zipName],
  [5, zipEntryContent],
  [1, zipEntryList],
];

const GENERIC_OPS = GENERIC;
