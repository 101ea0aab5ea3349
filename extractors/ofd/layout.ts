/**
 * Turns positioned glyphs into lines of text in reading order: glyphs are grouped into lines by baseline, lines run
 * top to bottom, and glyphs within a line left to right (so table cells and a right-hand date land on the line they
 * are printed on, whatever order the producer wrote the objects in).
 */

export interface Glyph {
  char: string;
  /** Page coordinates in millimetres, y growing downwards (OFD's own convention); y is the baseline. */
  x: number;
  y: number;
  /** Advance to the next glyph where the producer gave one; else estimated from the size. */
  advance: number;
  /** Font size on the page, in millimetres. */
  size: number;
}

/**
 * Expands a DeltaX/DeltaY list, including the compressed form `g N v` (N times the value v), into numbers.
 * Malformed tokens are skipped rather than failing the page.
 */
export function expandDeltas(value: string | undefined, limit = 1_000_000): number[] {
  if (!value) return [];
  const tokens = value.trim().split(/[\s,]+/);
  const out: number[] = [];
  for (let i = 0; i < tokens.length && out.length < limit; i++) {
    const token = tokens[i]!;
    if (token === 'g' || token === 'G') {
      const count = Number.parseInt(tokens[i + 1] ?? '', 10);
      const amount = Number.parseFloat(tokens[i + 2] ?? '');
      i += 2;
      if (!Number.isFinite(count) || count <= 0 || !Number.isFinite(amount)) continue;
      for (let k = 0; k < count && out.length < limit; k++) out.push(amount);
      continue;
    }
    const number = Number.parseFloat(token);
    if (Number.isFinite(number)) out.push(number);
  }
  return out;
}

/** Width a glyph of this character takes when the producer gives no advance: full for CJK, half for the rest. */
export function estimatedAdvance(char: string, size: number): number {
  const code = char.codePointAt(0) ?? 0;
  return code >= 0x2e80 ? size : size * 0.5;
}

interface Line {
  baseline: number;
  size: number;
  glyphs: Glyph[];
}

/** Lines of text from glyphs anywhere on a page. */
export function glyphsToLines(glyphs: readonly Glyph[]): string[] {
  const sorted = [...glyphs].filter((g) => g.char.trim() !== '' || g.char === ' ').sort((a, b) => a.y - b.y || a.x - b.x);
  const lines: Line[] = [];
  for (const glyph of sorted) {
    const line = lines.at(-1);
    // Baselines of one printed line differ a little (Latin digits set in another font sit lower, superscripts higher).
    const tolerance = 0.45 * Math.max(0.5, Math.min(glyph.size, line?.size ?? glyph.size));
    if (line && glyph.y - line.baseline <= tolerance) {
      line.glyphs.push(glyph);
      line.size = Math.max(line.size, glyph.size);
    } else {
      lines.push({ baseline: glyph.y, size: glyph.size, glyphs: [glyph] });
    }
  }
  return lines.map(lineText).filter((text) => text !== '');
}

function lineText(line: Line): string {
  const glyphs = line.glyphs.sort((a, b) => a.x - b.x);
  let text = '';
  let previous: Glyph | undefined;
  for (const glyph of glyphs) {
    if (previous) {
      const gap = glyph.x - (previous.x + previous.advance);
      // The same character drawn twice at one place is a fake bold or a shadow, not two characters.
      if (glyph.char === previous.char && Math.abs(glyph.x - previous.x) < 0.2 * glyph.size) continue;
      if (gap > 0.6 * Math.min(glyph.size, previous.size) && !text.endsWith(' ')) text += ' ';
    }
    text += glyph.char;
    previous = glyph;
  }
  return text.trim();
}
