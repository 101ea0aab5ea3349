/**
 * Finds red seals (公章, 专用章, square personal/法人 seals, 骑缝章 cut by the page edge) on a page image by colour and
 * shape. Works on raw RGB at a reduced size: a seal is 15–50 mm across, so ~4–5 px per mm is plenty and keeps a page
 * under ~20 ms.
 *
 * Red-ness is r − max(g, b): paper (white, grey or yellowed), black text and blue ink stay near zero, while faint pink
 * ink still scores ~40 and strong ink ~150. A pixel over black text is dark (all channels low) and drops out of the
 * mask; closing the mask with a small dilation bridges those holes, and the shape test then looks for the seal's
 * border (a ring, an ellipse or a square frame) rather than for a solid blob, which is what separates seals from red
 * letterhead characters and rules.
 */

export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export type SealShapeKind = 'round' | 'oval' | 'square';

export interface SealCandidate {
  shape: SealShapeKind;
  /** Centre, half-axes (a ≥ b for ovals) and the direction of `a` (radians), in the image's pixels. */
  cx: number;
  cy: number;
  a: number;
  b: number;
  theta: number;
  /** Bounding box of the visible seal, clipped to the image. */
  box: { x: number; y: number; width: number; height: number };
  /** The page edge the seal runs over (骑缝章 or a seal stamped half off the sheet). */
  cut?: 'left' | 'right' | 'top' | 'bottom';
  /** Mean red-ness of the seal's ink, 0–1 (faint ink ~0.2, strong ~0.6). */
  inkStrength: number;
  /** How well the border fits the shape, 0–1. */
  borderFit: number;
  /** A seal the detector is sure about; the others are "possible" (faint, broken border, odd proportions). */
  sure: boolean;
}

export interface DetectOptions {
  /** Pixels per millimetre of the image, when known (density); otherwise guessed from an A4 short side. */
  pxPerMm?: number;
}

/** Red-ness above which a pixel counts as seal ink. */
export const RED_THRESHOLD = 26;

export function redness(r: number, g: number, b: number): number {
  return r - (g > b ? g : b);
}

/** Binary mask of red pixels, 1 byte per pixel. Also returns how many there are. */
function redMask(img: RgbImage): { mask: Uint8Array; count: number; strength: Float32Array } {
  const n = img.width * img.height;
  const mask = new Uint8Array(n);
  const strength = new Float32Array(n);
  const d = img.data;
  let count = 0;
  for (let i = 0, p = 0; i < n; i++, p += 3) {
    const r = d[p]!;
    if (r < 110) continue;
    const red = redness(r, d[p + 1]!, d[p + 2]!);
    if (red >= RED_THRESHOLD) {
      mask[i] = 1;
      strength[i] = red;
      count++;
    }
  }
  return { mask, count, strength };
}

/** Square dilation by `radius`, separable (rows then columns). */
function dilate(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const tmp = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let last = -Infinity;
    // Forward pass remembers the last set pixel; a second pass looks ahead.
    for (let x = 0; x < width; x++) {
      if (mask[row + x]) last = x;
      if (x - last <= radius) tmp[row + x] = 1;
    }
    last = Infinity;
    for (let x = width - 1; x >= 0; x--) {
      if (mask[row + x]) last = x;
      if (last - x <= radius) tmp[row + x] = 1;
    }
  }
  const out = new Uint8Array(mask.length);
  for (let x = 0; x < width; x++) {
    let last = -Infinity;
    for (let y = 0; y < height; y++) {
      if (tmp[y * width + x]) last = y;
      if (y - last <= radius) out[y * width + x] = 1;
    }
    last = Infinity;
    for (let y = height - 1; y >= 0; y--) {
      if (tmp[y * width + x]) last = y;
      if (last - y <= radius) out[y * width + x] = 1;
    }
  }
  return out;
}

/**
 * Clears horizontal and vertical red runs longer than `minRun` (a letterhead's rule, a red table border): a seal
 * stamped across one would otherwise merge with it into one shape. The seal loses only the rule's few rows, which
 * the closing bridges.
 */
function removeLongRules(mask: Uint8Array, width: number, height: number, minRun: number): void {
  const clear: Array<[number, number]> = [];
  for (let y = 0; y < height; y++) {
    let start = -1;
    for (let x = 0; x <= width; x++) {
      const on = x < width && mask[y * width + x] === 1;
      if (on && start < 0) start = x;
      if (!on && start >= 0) {
        // Allow one-pixel breaks in a rule (noise, JPEG) by bridging them before measuring.
        if (x + 1 < width && mask[y * width + x + 1]) continue;
        if (x - start >= minRun) clear.push([y * width + start, y * width + x]);
        start = -1;
      }
    }
  }
  for (let x = 0; x < width; x++) {
    let start = -1;
    for (let y = 0; y <= height; y++) {
      const on = y < height && mask[y * width + x] === 1;
      if (on && start < 0) start = y;
      if (!on && start >= 0) {
        if (y + 1 < height && mask[(y + 1) * width + x]) continue;
        if (y - start >= minRun) for (let yy = start; yy < y; yy++) clear.push([yy * width + x, yy * width + x + 1]);
        start = -1;
      }
    }
  }
  for (const [from, to] of clear) mask.fill(0, from, to);
}

interface Component {
  label: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  area: number;
}

/** 8-connected components of `mask` (labels in a Int32Array, 0 = background). */
function components(mask: Uint8Array, width: number, height: number): { labels: Int32Array; list: Component[] } {
  const labels = new Int32Array(mask.length);
  const list: Component[] = [];
  const stack: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || labels[start]) continue;
    const label = list.length + 1;
    const comp: Component = { label, x0: width, y0: height, x1: -1, y1: -1, area: 0 };
    labels[start] = label;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop()!;
      const x = i % width;
      const y = (i - x) / width;
      comp.area++;
      if (x < comp.x0) comp.x0 = x;
      if (x > comp.x1) comp.x1 = x;
      if (y < comp.y0) comp.y0 = y;
      if (y > comp.y1) comp.y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const j = ny * width + nx;
          if (mask[j] && !labels[j]) {
            labels[j] = label;
            stack.push(j);
          }
        }
      }
    }
    list.push(comp);
  }
  return { labels, list };
}

interface Fit {
  cx: number;
  cy: number;
  a: number;
  b: number;
  theta: number;
}

/**
 * The tightest rotated box around the points (searching angles in 3° steps): its centre, half-sides and angle. For a
 * ring this is the circle's box whatever the angle; for a square frame or an ellipse it aligns with the shape.
 */
function minAreaBox(xs: Float32Array, ys: Float32Array, count: number): Fit {
  let best: Fit & { area: number } = { cx: 0, cy: 0, a: 0, b: 0, theta: 0, area: Infinity };
  for (let deg = 0; deg < 90; deg += 3) {
    const t = (deg * Math.PI) / 180;
    const c = Math.cos(t);
    const s = Math.sin(t);
    let umin = Infinity, umax = -Infinity, vmin = Infinity, vmax = -Infinity;
    for (let i = 0; i < count; i++) {
      const u = xs[i]! * c + ys[i]! * s;
      const v = -xs[i]! * s + ys[i]! * c;
      if (u < umin) umin = u;
      if (u > umax) umax = u;
      if (v < vmin) vmin = v;
      if (v > vmax) vmax = v;
    }
    const area = (umax - umin) * (vmax - vmin);
    if (area < best.area) {
      const uc = (umin + umax) / 2;
      const vc = (vmin + vmax) / 2;
      const hu = (umax - umin) / 2 + 0.5;
      const hv = (vmax - vmin) / 2 + 0.5;
      const cx = uc * c - vc * s;
      const cy = uc * s + vc * c;
      best = hu >= hv ? { cx, cy, a: hu, b: hv, theta: t, area } : { cx, cy, a: hv, b: hu, theta: t + Math.PI / 2, area };
    }
  }
  return best;
}

/** Is there ink in `mask` within `r` pixels of (x, y)? Points off the image count as unknown (null). */
function inkNear(mask: Uint8Array, width: number, height: number, x: number, y: number, r: number): boolean | null {
  const xi = Math.round(x);
  const yi = Math.round(y);
  if (xi < 0 || yi < 0 || xi >= width || yi >= height) return null;
  for (let dy = -r; dy <= r; dy++) {
    const yy = yi + dy;
    if (yy < 0 || yy >= height) continue;
    for (let dx = -r; dx <= r; dx++) {
      const xx = xi + dx;
      if (xx >= 0 && xx < width && mask[yy * width + xx]) return true;
    }
  }
  return false;
}

/** Share of the visible border samples that have ink: along the ellipse, or along the rectangle, in a thin band. */
function borderCoverage(mask: Uint8Array, width: number, height: number, fit: Fit, kind: 'ellipse' | 'rect', tol: number): { covered: number; visible: number; longestGap: number } {
  const c = Math.cos(fit.theta);
  const s = Math.sin(fit.theta);
  const samples = 180;
  let covered = 0;
  let visible = 0;
  const hits: boolean[] = [];
  for (let k = 0; k < samples; k++) {
    let hit: boolean | null = null;
    let anyVisible = false;
    for (const scale of [0.985, 0.95, 0.915]) {
      let u: number;
      let v: number;
      if (kind === 'ellipse') {
        const phi = (2 * Math.PI * k) / samples;
        u = fit.a * scale * Math.cos(phi);
        v = fit.b * scale * Math.sin(phi);
      } else {
        // Walk the perimeter of the rectangle at equal steps.
        const t = k / samples;
        const side = Math.floor(t * 4);
        const f = t * 4 - side;
        const A = fit.a * scale;
        const B = fit.b * scale;
        [u, v] = side === 0 ? [-A + 2 * A * f, -B] : side === 1 ? [A, -B + 2 * B * f] : side === 2 ? [A - 2 * A * f, B] : [-A, B - 2 * B * f];
      }
      const x = fit.cx + u * c - v * s;
      const y = fit.cy + u * s + v * c;
      const found = inkNear(mask, width, height, x, y, tol);
      if (found === null) continue;
      anyVisible = true;
      if (found) {
        hit = true;
        break;
      }
    }
    if (!anyVisible) continue;
    visible++;
    hits.push(hit === true);
    if (hit) covered++;
  }
  // The longest run of bare border, around the circle: a seal's rim is one line, a character's "frame" is not.
  let longestGap = 0;
  let run = 0;
  for (let k = 0; k < hits.length * 2; k++) {
    run = hits[k % hits.length] ? 0 : run + 1;
    longestGap = Math.max(longestGap, Math.min(run, hits.length));
  }
  return { covered, visible, longestGap: longestGap / samples };
}

/** Share of ink inside the border (scaled by `inset`): the text and star a seal always has, and a bare ring lacks. */
function interiorInk(mask: Uint8Array, width: number, height: number, fit: Fit, kind: 'ellipse' | 'rect', inset: number): number {
  const c = Math.cos(fit.theta);
  const s = Math.sin(fit.theta);
  let ink = 0;
  let total = 0;
  const steps = 40;
  for (let i = 0; i < steps; i++) {
    for (let j = 0; j < steps; j++) {
      const fu = ((i + 0.5) / steps - 0.5) * 2;
      const fv = ((j + 0.5) / steps - 0.5) * 2;
      if (kind === 'ellipse' ? fu * fu + fv * fv > inset * inset : Math.max(Math.abs(fu), Math.abs(fv)) > inset) continue;
      const u = fu * fit.a;
      const v = fv * fit.b;
      const x = Math.round(fit.cx + u * c - v * s);
      const y = Math.round(fit.cy + u * s + v * c);
      if (x < 0 || y < 0 || x >= width || y >= height) continue;
      total++;
      if (mask[y * width + x]) ink++;
    }
  }
  return total === 0 ? 0 : ink / total;
}

/** Corners of the rectangle carry ink (a square frame does; a ring's bounding box does not). */
function cornersInked(mask: Uint8Array, width: number, height: number, fit: Fit, tol: number): number {
  const c = Math.cos(fit.theta);
  const s = Math.sin(fit.theta);
  let inked = 0;
  for (const [su, sv] of [[-1, -1], [1, -1], [1, 1], [-1, 1]] as const) {
    // A few steps in along the diagonal: the box, fitted at 3° steps round the dilated ink, can overshoot a thin
    // frame's corner by its width. Even 0.84 of the box's half-diagonal stays outside a ring or an ellipse.
    const hit = [0.93, 0.88, 0.84].some((k) => inkNear(mask, width, height, fit.cx + su * fit.a * k * c - sv * fit.b * k * s, fit.cy + su * fit.a * k * s + sv * fit.b * k * c, tol));
    if (hit) inked++;
  }
  return inked;
}

/**
 * A circle through a cut seal's visible segment: the chord lies on the page edge, `depth` is how far the ink reaches
 * into the page. Returns the radius and the centre's distance inward from the edge (negative: the centre is off-page).
 */
function circleFromSegment(chord: number, depth: number): { r: number; centreInward: number } {
  const half = chord / 2;
  if (depth >= half * 0.97) return { r: Math.max(half, depth / 2), centreInward: depth - Math.max(half, depth / 2) };
  const r = (half * half + depth * depth) / (2 * depth);
  return { r, centreInward: depth - r };
}

export function detectSeals(img: RgbImage, options: DetectOptions = {}): SealCandidate[] {
  const { width, height } = img;
  const pxPerMm = options.pxPerMm ?? Math.min(width, height) / 210;
  const { mask, count, strength } = redMask(img);
  // Even a small faint seal leaves a few hundred red pixels; pages without any are done here.
  const minSide = Math.max(16, 9 * pxPerMm);
  if (count < minSide * 3) return [];
  removeLongRules(mask, width, height, Math.round(30 * pxPerMm));
  const radius = Math.max(1, Math.round(1.0 * pxPerMm));
  const closed = dilate(mask, width, height, radius);
  const { labels, list } = components(closed, width, height);
  const tol = Math.max(1, Math.round(0.35 * pxPerMm));
  const maxSide = Math.max(minSide * 1.5, Math.min(80 * pxPerMm, Math.max(width, height)));

  const found: Array<SealCandidate & { label: number }> = [];
  for (const comp of list) {
    const w = comp.x1 - comp.x0 + 1;
    const h = comp.y1 - comp.y0 + 1;
    if (Math.max(w, h) < minSide || Math.max(w, h) > maxSide) continue;
    // Ink pixels of this component (the red mask inside the closed blob).
    const xs = new Float32Array(comp.area);
    const ys = new Float32Array(comp.area);
    let n = 0;
    let inkSum = 0;
    for (let y = comp.y0; y <= comp.y1; y++) {
      for (let x = comp.x0; x <= comp.x1; x++) {
        const i = y * width + x;
        if (labels[i] === comp.label && mask[i]) {
          xs[n] = x;
          ys[n] = y;
          inkSum += strength[i]!;
          n++;
        }
      }
    }
    if (n < minSide * 2) continue;
    const inkStrength = Math.min(1, inkSum / n / 255);
    const edge = touchedEdge(comp, width, height, radius);
    const candidate = edge ? fitCutSeal(mask, width, height, comp, edge, tol) : fitWholeSeal(mask, width, height, xs, ys, n, tol);
    if (!candidate) continue;
    if (Math.max(candidate.a, candidate.b) * 2 < minSide) continue;
    found.push({ ...candidate, inkStrength, label: comp.label, box: { x: comp.x0, y: comp.y0, width: w, height: h }, sure: candidate.sure && inkStrength >= 0.12 });
  }

  // Red characters in a row (a letterhead) can look like frames one by one; a seal stands apart from other red shapes
  // of its own size on the same line.
  const accepted = found.filter((cand) => {
    const size = Math.max(cand.box.width, cand.box.height);
    const cy = cand.box.y + cand.box.height / 2;
    const neighbours = list.filter((other) => {
      if (other.label === cand.label) return false;
      const oh = other.y1 - other.y0 + 1;
      if (oh < size * 0.5 || oh > size * 1.6) return false;
      const sameRow = Math.abs((other.y0 + other.y1) / 2 - cy) < size * 0.3;
      const gap = Math.max(other.x0 - (cand.box.x + cand.box.width), cand.box.x - other.x1);
      return sameRow && gap < size * 0.4;
    });
    return neighbours.length === 0;
  });
  return accepted.map(({ label: _label, ...rest }) => rest);
}

function touchedEdge(comp: Component, width: number, height: number, margin: number): SealCandidate['cut'] | undefined {
  const edges: Array<NonNullable<SealCandidate['cut']>> = [];
  if (comp.x0 <= margin) edges.push('left');
  if (comp.x1 >= width - 1 - margin) edges.push('right');
  if (comp.y0 <= margin) edges.push('top');
  if (comp.y1 >= height - 1 - margin) edges.push('bottom');
  // A tight crop of a seal touches opposite edges: that is a whole seal, not a cut one.
  return edges.length === 1 ? edges[0] : undefined;
}

type Fitted = Omit<SealCandidate, 'inkStrength' | 'box' | 'sure'> & { sure: boolean };

function fitWholeSeal(mask: Uint8Array, width: number, height: number, xs: Float32Array, ys: Float32Array, n: number, tol: number): Fitted | undefined {
  const fit = minAreaBox(xs, ys, n);
  const aspect = fit.a / Math.max(1, fit.b);
  if (aspect > 2.2) return undefined;
  const ellipse = borderCoverage(mask, width, height, fit, 'ellipse', tol);
  const rect = borderCoverage(mask, width, height, fit, 'rect', tol);
  const ellipseFit = ellipse.visible ? ellipse.covered / ellipse.visible : 0;
  const rectFit = rect.visible ? rect.covered / rect.visible : 0;
  const corners = cornersInked(mask, width, height, fit, tol);
  const interior = interiorInk(mask, width, height, fit, corners >= 3 ? 'rect' : 'ellipse', corners >= 3 ? 0.8 : 0.85);
  if (corners >= 3 && rectFit >= 0.6 && rect.longestGap <= 0.08 && aspect <= 1.6) {
    // A frame with nothing inside is a red box or a character like 口, not a seal.
    if (interior < 0.05) return undefined;
    return { shape: 'square', ...fit, borderFit: rectFit, sure: rectFit >= 0.8 };
  }
  if (ellipseFit < 0.6 || ellipse.longestGap > 0.1 || corners >= 3) return undefined;
  if (interior < 0.03) return undefined;
  const shape = aspect <= 1.15 ? 'round' : 'oval';
  return { shape, ...fit, borderFit: ellipseFit, sure: ellipseFit >= 0.8 };
}

function fitCutSeal(mask: Uint8Array, width: number, height: number, comp: Component, edge: NonNullable<SealCandidate['cut']>, tol: number): Fitted | undefined {
  const horizontal = edge === 'left' || edge === 'right';
  const chord = horizontal ? comp.y1 - comp.y0 + 1 : comp.x1 - comp.x0 + 1;
  const depth = horizontal ? comp.x1 - comp.x0 + 1 : comp.y1 - comp.y0 + 1;
  const { r, centreInward } = circleFromSegment(chord, depth);
  // Less than a fifth of the seal on the page is too little to tell a seal from a red mark.
  if (depth < r * 0.4) return undefined;
  const along = horizontal ? (comp.y0 + comp.y1) / 2 : (comp.x0 + comp.x1) / 2;
  const cx = edge === 'left' ? centreInward : edge === 'right' ? width - 1 - centreInward : along;
  const cy = edge === 'top' ? centreInward : edge === 'bottom' ? height - 1 - centreInward : along;
  const fit: Fit = { cx, cy, a: r, b: r, theta: 0 };
  const ellipse = borderCoverage(mask, width, height, fit, 'ellipse', tol);
  if (ellipse.visible < 30) return undefined;
  const ellipseFit = ellipse.covered / ellipse.visible;
  if (ellipseFit < 0.65 || ellipse.longestGap > 0.1) return undefined;
  return { shape: 'round', ...fit, cut: edge, borderFit: ellipseFit, sure: ellipseFit >= 0.8 };
}
