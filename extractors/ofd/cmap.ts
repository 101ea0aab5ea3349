/**
 * The reverse of a TrueType/OpenType font's character map: glyph index → Unicode character. Some OFD producers
 * write glyph indexes (CGTransform/Glyphs) and leave placeholder characters in TextCode; the font embedded in the
 * package then still says which character each glyph draws. Only the `cmap` table is read (formats 4 and 12), so no
 * font library is needed; anything unexpected yields an empty map rather than an exception.
 */

/** Code points read from one font at most (a format 12 group can claim the whole Unicode range). */
const MAX_CODE_POINTS = 200_000;

export function glyphToUnicode(font: Buffer): Map<number, string> {
  const map = new Map<number, string>();
  try {
    const cmap = findTable(font, 'cmap');
    if (!cmap) return map;
    const subtables = cmapSubtables(font, cmap);
    for (const offset of subtables) {
      const format = font.readUInt16BE(offset);
      if (format === 12) readFormat12(font, offset, map);
      else if (format === 4) readFormat4(font, offset, map);
      if (map.size > 0) break;
    }
  } catch {
    return map;
  }
  return map;
}

function findTable(font: Buffer, tag: string): number | undefined {
  const numTables = font.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const record = 12 + i * 16;
    if (font.toString('latin1', record, record + 4) === tag) return font.readUInt32BE(record + 8);
  }
  return undefined;
}

/** Unicode subtables, best first: full repertoire (format 12) before the BMP (format 4). */
function cmapSubtables(font: Buffer, cmap: number): number[] {
  const count = font.readUInt16BE(cmap + 2);
  const ranked: { rank: number; offset: number }[] = [];
  for (let i = 0; i < count; i++) {
    const record = cmap + 4 + i * 8;
    const platform = font.readUInt16BE(record);
    const encoding = font.readUInt16BE(record + 2);
    const offset = cmap + font.readUInt32BE(record + 4);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode || offset + 2 > font.length) continue;
    ranked.push({ rank: font.readUInt16BE(offset) === 12 ? 0 : 1, offset });
  }
  return ranked.sort((a, b) => a.rank - b.rank).map((r) => r.offset);
}

function remember(map: Map<number, string>, glyph: number, codePoint: number): void {
  if (glyph === 0 || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return;
  const existing = map.get(glyph);
  // Several characters may share a glyph (兼容汉字 and their unified forms); keep one outside the private-use area.
  if (existing === undefined || (isPrivateUse(existing.codePointAt(0)!) && !isPrivateUse(codePoint))) {
    map.set(glyph, String.fromCodePoint(codePoint));
  }
}

function isPrivateUse(codePoint: number): boolean {
  return (codePoint >= 0xe000 && codePoint <= 0xf8ff) || codePoint >= 0xf0000;
}

function readFormat4(font: Buffer, offset: number, map: Map<number, string>): void {
  const segCount = font.readUInt16BE(offset + 6) / 2;
  const ends = offset + 14;
  const starts = ends + segCount * 2 + 2;
  const deltas = starts + segCount * 2;
  const rangeOffsets = deltas + segCount * 2;
  let budget = MAX_CODE_POINTS;
  for (let s = 0; s < segCount; s++) {
    const end = font.readUInt16BE(ends + s * 2);
    const start = font.readUInt16BE(starts + s * 2);
    const delta = font.readInt16BE(deltas + s * 2);
    const rangeOffsetAt = rangeOffsets + s * 2;
    const rangeOffset = font.readUInt16BE(rangeOffsetAt);
    for (let code = start; code <= end && code !== 0xffff; code++) {
      if (--budget < 0) return;
      let glyph: number;
      if (rangeOffset === 0) glyph = (code + delta) & 0xffff;
      else {
        const at = rangeOffsetAt + rangeOffset + (code - start) * 2;
        if (at + 2 > font.length) continue;
        glyph = font.readUInt16BE(at);
        if (glyph !== 0) glyph = (glyph + delta) & 0xffff;
      }
      remember(map, glyph, code);
    }
  }
}

function readFormat12(font: Buffer, offset: number, map: Map<number, string>): void {
  const groups = font.readUInt32BE(offset + 12);
  let budget = MAX_CODE_POINTS;
  for (let g = 0; g < groups; g++) {
    const group = offset + 16 + g * 12;
    if (group + 12 > font.length) return;
    const start = font.readUInt32BE(group);
    const end = font.readUInt32BE(group + 4);
    const startGlyph = font.readUInt32BE(group + 8);
    for (let code = start; code <= end; code++) {
      if (--budget < 0) return;
      remember(map, startGlyph + (code - start), code);
    }
  }
}
