/**
 * Turns a found seal into straight lines of text an OCR engine can read: the rim text unwrapped from its arc, the
 * centre line (…专用章) rotated level, a square seal's columns. Only the red ink is kept (black text printed under
 * the seal and the paper vanish), drawn black on white.
 *
 * Where the rim text starts is found from the seal itself, not from the image's "up": rim text runs clockwise from
 * one end of the largest bare stretch of the rim band to the other, and that bare stretch is at the seal's bottom.
 * That makes rotated seals read the same as upright ones.
 */
import { redness, type RgbImage, type SealCandidate } from './detect.ts';

/** A greyscale image, 1 byte per pixel, ink dark. */
export interface GreyImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface SealLines {
  /** Rim text unwrapped left to right (round and oval seals), or a square seal's characters in reading order. */
  rim?: GreyImage;
  /** The horizontal line in the middle or below the star. */
  centre?: GreyImage;
  star: boolean;
  /** Direction from the centre to the seal's bottom, in image coordinates (radians). */
  downAngle: number;
}

/**
 * Ink map of a region: 0 (none) to 1 (full), scaled to the seal's own ink so faint and strong seals read alike.
 *
 * Red-ness says which ink is the seal's, but JPEG keeps colour at half resolution, so on a phone photo it smears
 * small characters into blobs. Brightness is kept at full resolution: a pixel's ink is its darkness against the paper,
 * capped by (twice) its red-ness, which keeps the sharp edges of the strokes and still drops black print.
 */
export function inkMap(img: RgbImage, smooth = true): Float32Array {
  const n = img.width * img.height;
  const red = new Float32Array(n);
  const lum = new Float32Array(n);
  const reds: number[] = [];
  const lums: number[] = [];
  const redLums: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = img.data[i * 3]!;
    const g = img.data[i * 3 + 1]!;
    const b = img.data[i * 3 + 2]!;
    red[i] = redness(r, g, b);
    lum[i] = 0.299 * r + 0.587 * g + 0.114 * b;
    if (i % 3 === 0) lums.push(lum[i]!);
    if (red[i]! >= 26) {
      reds.push(red[i]!);
      redLums.push(lum[i]!);
    }
  }
  const percentile = (xs: number[], q: number, fallback: number) => {
    if (xs.length === 0) return fallback;
    xs.sort((x, y) => x - y);
    return xs[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;
  };
  const high = percentile(reds, 0.9, 120);
  const low = 16;
  const span = Math.max(20, high - low);
  const paper = percentile(lums, 0.9, 240);
  const inkLum = percentile(redLums, 0.15, 90);
  const lumSpan = Math.max(25, paper - inkLum);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const byColour = Math.max(0, Math.min(1, (red[i]! - low) / span));
    const byDarkness = Math.max(0, Math.min(1, (paper - lum[i]!) / lumSpan));
    out[i] = Math.min(byDarkness, byColour * 2);
  }
  return smooth ? boxBlur(boxBlur(out, img.width, img.height), img.width, img.height) : out;
}

/** 3×3 mean: closes the pin-holes and blotches of a patchy stamp before the strokes are sampled. */
function boxBlur(src: Float32Array, width: number, height: number): Float32Array {
  const out = new Float32Array(src.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      let count = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          sum += src[yy * width + xx]!;
          count++;
        }
      }
      out[y * width + x] = sum / count;
    }
  }
  return out;
}

/** Ink to grey, boosting weak ink: a faint, patchy stamp should read as solid strokes. */
function shade(ink: number): number {
  // Never quite black: on solid black blocks tesseract's page layout sometimes found no text at all.
  return Math.round(255 - 215 * Math.min(1, Math.sqrt(ink) * 1.15));
}

function sample(ink: Float32Array, width: number, height: number, x: number, y: number): number {
  if (x < 0 || y < 0 || x > width - 1 || y > height - 1) return 0;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(width - 1, x0 + 1);
  const y1 = Math.min(height - 1, y0 + 1);
  const fx = x - x0;
  const fy = y - y0;
  const top = ink[y0 * width + x0]! * (1 - fx) + ink[y0 * width + x1]! * fx;
  const bottom = ink[y1 * width + x0]! * (1 - fx) + ink[y1 * width + x1]! * fx;
  return top * (1 - fy) + bottom * fy;
}

interface Geometry {
  cx: number;
  cy: number;
  a: number;
  b: number;
  theta: number;
}

function pointAt(g: Geometry, phi: number, s: number): [number, number] {
  const u = s * g.a * Math.cos(phi);
  const v = s * g.b * Math.sin(phi);
  const c = Math.cos(g.theta);
  const sn = Math.sin(g.theta);
  return [g.cx + u * c - v * sn, g.cy + u * sn + v * c];
}

/**
 * Line height handed to OCR. Small on purpose: the pool enlarges small images smoothly (×2.5), and tesseract read
 * those smoothed glyphs clearly better than the same line drawn large (芜湖 read as 无湖 at 52 px, right at 24).
 */
export const TEXT_HEIGHT = 24;
/** White space between the redrawn rim characters, as a share of the line height. */
const CELL_GAP = 0.12;

/** The largest bare stretch of the rim band, as [start, end] parametric angles (end may exceed 2π). */
function rimGap(ink: Float32Array, width: number, height: number, g: Geometry): [number, number] {
  // The outer part of the rim text's band: every rim character reaches it, a centre line or star rarely does.
  const [outer, inner] = rimBand(ink, width, height, g, 0, 2 * Math.PI);
  const from = Math.max(inner, outer - (outer - inner) * 0.3);
  const bins = 720;
  const profile = new Float32Array(bins);
  for (let k = 0; k < bins; k++) {
    const phi = (2 * Math.PI * k) / bins;
    let max = 0;
    for (let s = from; s <= outer; s += 0.02) {
      const [x, y] = pointAt(g, phi, s);
      max = Math.max(max, sample(ink, width, height, x, y));
    }
    profile[k] = max;
  }
  const smooth = new Float32Array(bins);
  for (let k = 0; k < bins; k++) {
    let sum = 0;
    for (let d = -4; d <= 4; d++) sum += profile[(k + d + bins) % bins]!;
    smooth[k] = sum / 9;
  }
  let best = [0, 0];
  let runStart = -1;
  for (let k = 0; k < bins * 2; k++) {
    const empty = smooth[k % bins]! < 0.1;
    if (empty && runStart < 0) runStart = k;
    if ((!empty || k === bins * 2 - 1) && runStart >= 0) {
      const end = empty ? k + 1 : k;
      if (end - runStart > best[1]! - best[0]! && end - runStart <= bins) best = [runStart, end];
      runStart = -1;
    }
  }
  if (best[1]! - best[0]! < 10) {
    // No clear gap (text all round, or damaged): assume the seal's bottom is the image's bottom.
    const down = Math.atan2(Math.cos(g.theta) * g.b, -Math.sin(g.theta) * g.a);
    return [down - 0.2, down + 0.2];
  }
  return [(2 * Math.PI * best[0]!) / bins, (2 * Math.PI * best[1]!) / bins];
}

/** Rows of ink between the ring and the centre: the rim text's band, as scales of the radius. */
function rimBand(ink: Float32Array, width: number, height: number, g: Geometry, from: number, to: number): [number, number] {
  const scales: number[] = [];
  const levels: number[] = [];
  for (let s = 1.04; s >= 0.36; s -= 0.01) {
    let sum = 0;
    let count = 0;
    for (let k = 0; k <= 160; k++) {
      const phi = from + ((to - from) * k) / 160;
      const [x, y] = pointAt(g, phi, s);
      sum += sample(ink, width, height, x, y);
      count++;
    }
    scales.push(s);
    levels.push(sum / count);
  }
  // The ring: the strongest row near the outside.
  let ring = 0;
  for (let i = 0; i < levels.length && scales[i]! >= 0.84; i++) if (levels[i]! > levels[ring]!) ring = i;
  let i = ring;
  while (i + 1 < levels.length && levels[i + 1]! <= levels[i]! + 0.005 && scales[i + 1]! > 0.7) i++;
  const dip = i;
  let peak = 0;
  for (let j = dip; j < levels.length && scales[j]! >= 0.45; j++) peak = Math.max(peak, levels[j]!);
  if (peak < 0.02) return [0.9, 0.6];
  const threshold = Math.max(levels[dip]! * 1.2, peak * 0.22);
  let start = dip;
  while (start < levels.length - 1 && levels[start]! < threshold) start++;
  let end = start;
  while (end + 1 < levels.length && levels[end + 1]! >= threshold * 0.8 && scales[end + 1]! >= 0.4) end++;
  const outer = Math.min(scales[dip]!, scales[start]! + 0.03);
  const inner = Math.max(0.4, scales[end]! - 0.03);
  return outer - inner < 0.12 ? [0.9, 0.6] : [outer, inner];
}

function unwrapRim(ink: Float32Array, width: number, height: number, g: Geometry, from: number, to: number, options: Required<LineOptions>): GreyImage {
  const textHeight = options.textHeight;
  const [outer, inner] = rimBand(ink, width, height, g, from, to);
  const mid = (outer + inner) / 2;
  // Arc length along the band's middle, so characters keep their width on an oval too.
  const steps = 1000;
  const cumulative = new Float64Array(steps + 1);
  let [px, py] = pointAt(g, from, mid);
  for (let k = 1; k <= steps; k++) {
    const [x, y] = pointAt(g, from + ((to - from) * k) / steps, mid);
    cumulative[k] = cumulative[k - 1]! + Math.hypot(x - px, y - py);
    px = x;
    py = y;
  }
  const total = cumulative[steps]!;
  const bandPx = (outer - inner) * Math.sqrt(g.a * g.b);
  const k = textHeight / Math.max(1, bandPx);
  const outW = Math.max(8, Math.round(total * k));
  const outH = textHeight;
  const data = new Uint8Array(outW * outH);
  const c = Math.cos(g.theta);
  const sn = Math.sin(g.theta);
  const phiAt = new Float64Array(outW);
  let j = 0;
  for (let x = 0; x < outW; x++) {
    const target = ((x + 0.5) / outW) * total;
    while (j < steps && cumulative[j + 1]! < target) j++;
    const span = cumulative[j + 1]! - cumulative[j]!;
    const f = span > 0 ? (target - cumulative[j]!) / span : 0;
    const phi = from + ((to - from) * (j + f)) / steps;
    // Characters stand on the ellipse's normal, not on the line to the centre: on an oval the two differ.
    const [bx, by] = pointAt(g, phi, mid);
    let nu = Math.cos(phi) / g.a;
    let nv = Math.sin(phi) / g.b;
    const len = Math.hypot(nu, nv);
    nu /= len;
    nv /= len;
    const nx = nu * c - nv * sn;
    const ny = nu * sn + nv * c;
    for (let y = 0; y < outH; y++) {
      const t = (0.5 - (y + 0.5) / outH) * bandPx;
      data[y * outW + x] = shade(sample(ink, width, height, bx + t * nx, by + t * ny));
    }
    phiAt[x] = phi;
  }
  // Unwrapping by angle stretches each character's outer half against its inner half (by up to 1.4 on a round seal),
  // which cost tesseract many characters. Each character is therefore drawn again in the straight frame of its own
  // centre: the tangent and normal there, as it was engraved, in a cell of its own with white space between cells.
  const cells = evenCells(data, outW, outH);
  if (!options.redrawCells || cells.length === 0) return { data, width: outW, height: outH };
  const box = Math.max(...cells.map(([x0, x1]) => x1 - x0));
  const gap = Math.round(outH * CELL_GAP);
  const lineW = gap + cells.length * (box + gap);
  const line = new Uint8Array(lineW * outH).fill(255);
  cells.forEach(([x0, x1], i) => {
    const xc = (x0 + x1) / 2;
    const phi = phiAt[Math.max(0, Math.min(outW - 1, Math.round(xc)))]!;
    const [bx, by] = pointAt(g, phi, mid);
    const frame = localFrame(g, phi);
    const w = x1 - x0;
    const left = gap + i * (box + gap) + Math.round((box - w) / 2);
    // On an oval the characters stand off the band's middle by different amounts: centre each on its own ink.
    let rows = 0;
    let weight = 0;
    for (let x = x0; x < x1; x++) {
      for (let y = 0; y < outH; y++) {
        const v = 255 - data[y * outW + x]!;
        rows += v * (y + 0.5);
        weight += v;
      }
    }
    const shift = weight > 0 ? (rows / weight / outH - 0.5) * bandPx : 0;
    for (let x = 0; x < w; x++) {
      const along = (x + 0.5 - w / 2) / k;
      for (let y = 0; y < outH; y++) {
        const t = (0.5 - (y + 0.5) / outH) * bandPx - shift;
        line[y * lineW + left + x] = shade(sample(ink, width, height, bx + along * frame.tx + t * frame.nx, by + along * frame.ty + t * frame.ny));
      }
    }
  });
  return { data: line, width: lineW, height: outH };
}

/**
 * Character cells of an unwrapped rim line. Rim characters are engraved at equal steps along the arc, so the line is
 * cut into N equal steps, N chosen where the cuts fall on the least ink; gaps between inked columns alone fail where
 * crowded characters touch, and a cell of several characters drawn straight shows the arc (and the ring) again.
 */
export function evenCells(data: Uint8Array, width: number, height: number): Array<[number, number]> {
  const col = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    let sum = 0;
    for (let y = 0; y < height; y++) sum += 255 - data[y * width + x]!;
    col[x] = sum / (255 * height);
  }
  const peak = Math.max(...col);
  if (peak <= 0) return [];
  let left = 0;
  while (left < width && col[left]! < peak * 0.08) left++;
  let right = width - 1;
  while (right > left && col[right]! < peak * 0.08) right--;
  right++;
  const extent = right - left;
  // Glyph height: the inked rows of a column, at the tall end (a column through 一 or a gap is short).
  const spans: number[] = [];
  for (let x = left; x < right; x++) {
    let top = -1;
    let bottom = -1;
    for (let y = 0; y < height; y++) {
      if (data[y * width + x]! < 160) {
        if (top < 0) top = y;
        bottom = y;
      }
    }
    if (top >= 0) spans.push(bottom - top + 1);
  }
  spans.sort((p, q) => p - q);
  const glyph = Math.max(height * 0.4, spans[Math.floor(spans.length * 0.8)] ?? height);
  if (extent < glyph * 0.5) return [];
  const inkNear = (x: number, reach: number) => {
    let m = Infinity;
    for (let d = -reach; d <= reach; d++) {
      const xx = Math.round(x) + d;
      if (xx > left && xx < right) m = Math.min(m, col[xx]!);
    }
    return m === Infinity ? 0 : m;
  };
  const layout = (n: number) => {
    // Crowded names are set in narrower characters (width about 0.92 of the step); sparse ones keep square glyphs.
    if (n === 1) return { n, pitch: extent, w: extent, ink: peak * 0.5 };
    let pitch = extent / (n - 1 + 0.92);
    let w = pitch * 0.92;
    if (w > glyph) {
      w = glyph;
      pitch = (extent - glyph) / (n - 1);
    }
    let sum = 0;
    for (let i = 1; i < n; i++) sum += inkNear(left + w + (pitch - w) / 2 + (i - 1) * pitch, Math.max(2, Math.round(pitch * 0.12)));
    return { n, pitch, w, ink: sum / (n - 1) };
  };
  let best: { score: number; n: number; pitch: number; w: number; ink: number } | undefined;
  for (let n = 1; n <= 40; n++) {
    const l = layout(n);
    if (l.w < glyph * 0.45) break;
    // Sparse names leave at most about one glyph's room between characters; a longer step skips real gaps.
    if (n > 1 && l.pitch > glyph * 1.9) continue;
    // Half the true count also cuts only at gaps (every other one): on a tie the finer cut wins.
    const score = l.ink - 0.003 * n;
    if (!best || score < best.score) best = { score, ...l };
  }
  if (best && best.n > 1) {
    // Very narrow characters (a long name on an oval) fall below the width bound, and half their count cuts only at
    // gaps too: twice the count is taken when its extra cuts also find (nearly) empty columns. A character's own
    // inner gap (阝|日) cannot pass this for a whole line.
    const twice = layout(best.n * 2);
    if (twice.w >= glyph * 0.25 && twice.ink <= best.ink * 1.5 + peak * 0.03) best = { score: 0, ...twice };
  }
  if (!best) return [];
  // Each cut then moves to the emptiest column near it: spacing is even on the seal, not exactly so in the line.
  const cuts = [Math.max(0, left - 2)];
  for (let i = 1; i < best.n; i++) {
    const at = left + best.w + (best.pitch - best.w) / 2 + (i - 1) * best.pitch;
    const reach = Math.max(1, Math.round(best.pitch * 0.2));
    let x = Math.round(at);
    for (let xx = Math.round(at) - reach; xx <= Math.round(at) + reach; xx++) {
      if (xx > cuts[cuts.length - 1]! + 1 && xx < right && col[xx]! < col[x]!) x = xx;
    }
    cuts.push(x);
  }
  cuts.push(Math.min(width, right + 2));
  const cells: Array<[number, number]> = [];
  for (let i = 0; i < best.n; i++) cells.push([cuts[i]!, cuts[i + 1]!]);
  return cells;
}

/** Unit tangent (reading direction) and outward normal of the ellipse at parametric angle `phi`, in image coordinates. */
function localFrame(g: Geometry, phi: number): { tx: number; ty: number; nx: number; ny: number } {
  const c = Math.cos(g.theta);
  const s = Math.sin(g.theta);
  let tu = -g.a * Math.sin(phi);
  let tv = g.b * Math.cos(phi);
  const tl = Math.hypot(tu, tv) || 1;
  tu /= tl;
  tv /= tl;
  let nu = Math.cos(phi) / g.a;
  let nv = Math.sin(phi) / g.b;
  const nl = Math.hypot(nu, nv) || 1;
  nu /= nl;
  nv /= nl;
  return { tx: tu * c - tv * s, ty: tu * s + tv * c, nx: nu * c - nv * s, ny: nu * s + nv * c };
}

/**
 * Samples a level rectangle of the seal's own frame: `right` and `down` unit vectors, u across, v down, in pixels
 * from the centre; trims to the rows and columns that carry ink.
 */
function levelCrop(
  ink: Float32Array,
  width: number,
  height: number,
  cx: number,
  cy: number,
  down: number,
  u0: number,
  u1: number,
  v0: number,
  v1: number,
  scaleTo: number,
  keep: (x: number, y: number) => boolean = () => true,
): GreyImage | undefined {
  const at = (x: number, y: number) => (keep(x, y) ? sample(ink, width, height, x, y) : 0);
  const dx = Math.cos(down);
  const dy = Math.sin(down);
  const rx = dy;
  const ry = -dx;
  const w = Math.max(4, Math.round(u1 - u0));
  const h = Math.max(4, Math.round(v1 - v0));
  const raw = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const u = u0 + x;
      const v = v0 + y;
      raw[y * w + x] = at(cx + u * rx + v * dx, cy + u * ry + v * dy);
    }
  }
  // Rows with ink: take the longest run, which is the text line (the star's points or a stray rim character are shorter).
  const rowInk = Array.from({ length: h }, (_, y) => {
    let sum = 0;
    for (let x = 0; x < w; x++) sum += raw[y * w + x]!;
    return sum / w;
  });
  const peak = Math.max(...rowInk);
  if (peak < 0.03) return undefined;
  let best: [number, number] = [0, -1];
  let start = -1;
  for (let y = 0; y <= h; y++) {
    const on = y < h && rowInk[y]! > peak * 0.12;
    if (on && start < 0) start = y;
    if (!on && start >= 0) {
      if (y - start > best[1] - best[0]) best = [start, y];
      start = -1;
    }
  }
  if (best[1] - best[0] < h * 0.15) return undefined;
  // The thin ends of a glyph (the foot of 章) carry little ink per row: a margin keeps them.
  const margin = Math.round((best[1] - best[0]) * 0.12);
  best = [Math.max(0, best[0] - margin), Math.min(h, best[1] + margin)];
  const lineH = best[1] - best[0];
  const colInk = Array.from({ length: w }, (_, x) => {
    let sum = 0;
    for (let y = best[0]; y < best[1]; y++) sum += raw[y * w + x]!;
    return sum / lineH;
  });
  let left = 0;
  while (left < w && colInk[left]! < 0.02) left++;
  let right = w - 1;
  while (right > left && colInk[right]! < 0.02) right--;
  if (right - left < lineH) return undefined;
  const k = scaleTo / lineH;
  const outW = Math.max(8, Math.round((right - left + 1) * k));
  const outH = Math.max(8, Math.round(lineH * k));
  const data = new Uint8Array(outW * outH);
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const u = u0 + left + (x + 0.5) / k;
      const v = v0 + best[0] + (y + 0.5) / k;
      data[y * outW + x] = shade(at(cx + u * rx + v * dx, cy + u * ry + v * dy));
    }
  }
  return { data, width: outW, height: outH };
}

/**
 * A square seal's columns (or one column's rows): the inked extent cut into 1…`most` equal parts, the count whose
 * cuts fall on the least ink. Square seals set their characters on an even grid, and a stroke-light glyph (印, 之)
 * thins out in places, so cutting wherever the ink thins split such a glyph and dropped its pieces as too narrow.
 */
function evenSplit(profile: number[], side: number, most: number): Array<[number, number]> {
  const reach = Math.max(1, Math.round(side * 0.03));
  const smooth = profile.map((_, i) => {
    let sum = 0;
    let count = 0;
    for (let d = -reach; d <= reach; d++) {
      const v = profile[i + d];
      if (v !== undefined) {
        sum += v;
        count++;
      }
    }
    return sum / count;
  });
  const peak = Math.max(...smooth);
  if (peak < 0.02) return [];
  let first = 0;
  while (first < smooth.length && smooth[first]! < peak * 0.12) first++;
  let last = smooth.length - 1;
  while (last > first && smooth[last]! < peak * 0.12) last--;
  last++;
  const extent = last - first;
  if (extent < side * 0.12) return [];
  const mean = smooth.slice(first, last).reduce((a, b) => a + b, 0) / extent;
  let best = { score: mean * 0.35, cuts: [first, last] };
  for (let n = 2; n <= most; n++) {
    // Each part at least about a fifth of the frame: glyphs on a seal are never narrower.
    if (extent / n < side * 0.15) break;
    let sum = 0;
    const cuts = [first];
    for (let i = 1; i < n; i++) {
      // Spacing is even on the seal, not exactly so after unrotating: each cut takes the emptiest place near its mark.
      const at = Math.round(first + (extent * i) / n);
      let cut = at;
      for (let x = at - Math.round(extent / n / 4); x <= at + Math.round(extent / n / 4); x++) if ((profile[x] ?? Infinity) < profile[cut]!) cut = x;
      sum += profile[cut]!;
      cuts.push(cut);
    }
    cuts.push(last);
    const score = sum / (n - 1);
    if (score < best.score) best = { score, cuts };
  }
  return best.cuts.slice(1).map((end, i) => [best.cuts[i]!, end]);
}

/**
 * A square seal's characters as one line: columns right to left, each read top to bottom (张建/国印 → 张建国印), every
 * character scaled into a square cell, since square seals stretch characters to fill the frame.
 */
function squareLine(ink: Float32Array, width: number, height: number, cx: number, cy: number, down: number, half: number, textHeight: number): GreyImage | undefined {
  const dx = Math.cos(down);
  const dy = Math.sin(down);
  const rx = dy;
  const ry = -dx;
  const side = Math.max(8, Math.round(half * 2));
  const at = (u: number, v: number) => sample(ink, width, height, cx + (u - half) * rx + (v - half) * dx, cy + (u - half) * ry + (v - half) * dy);
  const colInk = Array.from({ length: side }, (_, u) => {
    let sum = 0;
    for (let v = 0; v < side; v++) sum += at(u, v);
    return sum / side;
  });
  const columns = evenSplit(colInk, side, 4).reverse();
  const cells: Array<{ u0: number; u1: number; v0: number; v1: number }> = [];
  for (const [u0, u1] of columns) {
    const rowInk = Array.from({ length: side }, (_, v) => {
      let sum = 0;
      for (let u = u0; u < u1; u++) sum += at(u, v);
      return sum / (u1 - u0);
    });
    for (const [v0, v1] of evenSplit(rowInk, side, 2)) cells.push({ u0, u1, v0, v1 });
  }
  if (cells.length === 0) return undefined;
  const cell = textHeight;
  const gap = Math.round(cell * 0.3);
  const outW = cells.length * (cell + gap) + gap;
  const data = new Uint8Array(outW * cell).fill(255);
  cells.forEach((c, i) => {
    const left = gap + i * (cell + gap);
    for (let y = 0; y < cell; y++) {
      for (let x = 0; x < cell; x++) {
        const u = c.u0 + ((x + 0.5) / cell) * (c.u1 - c.u0);
        const v = c.v0 + ((y + 0.5) / cell) * (c.v1 - c.v0);
        data[y * outW + left + x] = shade(at(u, v));
      }
    }
  });
  return { data, width: outW, height: cell };
}

/** A star fills the middle of a round seal; rim text and a centre line do not reach it. */
function hasStar(ink: Float32Array, width: number, height: number, g: Geometry): boolean {
  let on = 0;
  let total = 0;
  const r = Math.min(g.a, g.b) * 0.16;
  for (let y = -r; y <= r; y += 1) {
    for (let x = -r; x <= r; x += 1) {
      if (x * x + y * y > r * r) continue;
      total++;
      if (sample(ink, width, height, g.cx + x, g.cy + y) > 0.3) on++;
    }
  }
  return total > 0 && on / total > 0.35;
}

export interface LineOptions {
  /** Height of the lines handed to the reader, in pixels; default TEXT_HEIGHT (tesseract's). */
  textHeight?: number;
  /**
   * Redraw each rim character upright in a cell of its own (default). Tesseract needs it; PP-OCR reads the plainly
   * unwrapped band better (83 generated round and oval seals: 79 exact against 76, ovals 31/33 against 27/33): a
   * wrong cell count pairs or splits crowded characters, which the model cannot undo, and it copes with the arc.
   */
  redrawCells?: boolean;
}

/**
 * Lines to read from one seal. `region` holds the seal's pixels; the candidate's geometry is given in the region's
 * coordinates.
 */
export function sealLines(region: RgbImage, seal: Pick<SealCandidate, 'shape' | 'cx' | 'cy' | 'a' | 'b' | 'theta' | 'cut'>, lineOptions: LineOptions = {}): SealLines {
  const options: Required<LineOptions> = { textHeight: TEXT_HEIGHT, redrawCells: true, ...lineOptions };
  const textHeight = options.textHeight;
  // Smoothing helps large, patchy impressions; on a small seal (a phone photo) it would melt the strokes together.
  const ink = inkMap(region, Math.min(seal.a, seal.b) > 110);
  const { width, height } = region;
  const g: Geometry = { cx: seal.cx, cy: seal.cy, a: seal.a, b: seal.b, theta: seal.theta };
  if (seal.shape === 'square') {
    // Upright within ±45°: the frame's angle is known only up to a quarter turn.
    let angle = seal.theta % (Math.PI / 2);
    if (angle > Math.PI / 4) angle -= Math.PI / 2;
    if (angle < -Math.PI / 4) angle += Math.PI / 2;
    const down = angle + Math.PI / 2;
    const line = squareLine(ink, width, height, seal.cx, seal.cy, down, Math.min(seal.a, seal.b) * 0.8, textHeight);
    return { ...(line ? { rim: line } : {}), star: false, downAngle: down };
  }
  const [gapStart, gapEnd] = rimGap(ink, width, height, g);
  const gapMiddle = (gapStart + gapEnd) / 2;
  const [bx, by] = pointAt(g, gapMiddle, 1);
  let down = Math.atan2(by - g.cy, bx - g.cx);
  if (seal.shape === 'oval') {
    // An oval's text runs along its long axis: its "down" is the short axis, which the fitted frame knows exactly.
    const minor = g.theta + Math.PI / 2;
    down = Math.cos(down - minor) >= 0 ? minor : minor + Math.PI;
  }
  const star = seal.shape === 'round' && hasStar(ink, width, height, g);
  const result: SealLines = { star, downAngle: down };
  if (seal.cut) return result;
  // A few degrees into the gap on both sides: the smoothed profile ends inside the first and last characters.
  const margin = Math.min(0.03, (gapEnd - gapStart) / 4);
  result.rim = unwrapRim(ink, width, height, g, gapEnd - margin, gapStart + 2 * Math.PI + margin, options);
  const across = seal.shape === 'oval' ? Math.max(g.a, g.b) : g.a;
  const tall = Math.min(g.a, g.b);
  // The centre line lies inside the rim text or in the gap below it: ends of the rim text that reach down beside it
  // are masked out.
  const [, rimInner] = rimBand(ink, width, height, g, gapEnd, gapStart + 2 * Math.PI);
  const c = Math.cos(g.theta);
  const sn = Math.sin(g.theta);
  const twoPi = 2 * Math.PI;
  const inGap = (phi: number) => {
    const from = ((gapStart % twoPi) + twoPi) % twoPi;
    const offset = (((phi - from) % twoPi) + twoPi) % twoPi;
    return offset <= gapEnd - gapStart;
  };
  const inside = (x: number, y: number) => {
    const u = ((x - g.cx) * c + (y - g.cy) * sn) / g.a;
    const v = (-(x - g.cx) * sn + (y - g.cy) * c) / g.b;
    return Math.hypot(u, v) < rimInner - 0.02 || (Math.hypot(u, v) < 0.9 && inGap(Math.atan2(v, u)));
  };
  const centre =
    seal.shape === 'oval'
      ? levelCrop(ink, width, height, g.cx, g.cy, down, -across * 0.62, across * 0.62, -tall * 0.3, tall * 0.45, textHeight, inside)
      : levelCrop(ink, width, height, g.cx, g.cy, down, -across * 0.58, across * 0.58, tall * 0.3, tall * 0.8, textHeight, inside);
  if (centre) result.centre = centre;
  return result;
}
