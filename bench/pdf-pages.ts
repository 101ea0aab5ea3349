/**
 * Scanned PDF pages: the time from a page number to the picture OCR reads (pageOcrInput, the reader's step before
 * OCR), for the four encodings scanners write — JPEG kept as it is (DCTDecode, grey and colour), Flate RGB, Flate
 * grey and Flate 1-bit — on generated 200-dpi A4 scans. Peers in the same run: poppler's `pdfimages -png` (the same
 * job minus the PNG writing: the embedded image decoded to PGM/PPM/PBM) and `pdftoppm -r 200` (render the page to PPM).
 * Ours includes writing the PNG OCR reads where one is written; a page whose file stores the scan as a JPEG (or as Flate
 * with PNG predictors) hands OCR those bytes as they are (extractors/pdf/raw-scan.ts), and the decoding moves to the
 * OCR side, so that decoding (sharp, to raw pixels) is timed too and printed beside it. Target: ≤ 0.3 s a page.
 *
 *   npx tsx bench/pdf-pages.ts      prints figures, writes bench/results/pdf-pages.json
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PDFParse, VerbosityLevel } from 'pdf-parse';
import sharp from 'sharp';
import { defaultExtractionLimits } from '../extractors/limits.ts';
import { pageOcrInput } from '../extractors/pdf/ocr-input.ts';
import { pdfjsResourceOptions } from '../extractors/pdf/pdfjs-resources.ts';
import { encodeScanImage, imagePagesPdf, SCAN_ENCODINGS, type ScanEncoding } from '../tests/fixtures/pdf/image-pages.ts';
import { acceptanceReportDense, approvalRequestProse } from '../tests/fixtures/scan/sample-texts.ts';
import { renderScan } from '../tests/fixtures/scan/render.ts';
import { load, medianTiming, peerVersion, round, timeCommand, timeHere, type Timing } from './measure.ts';

const PAGES = 4;
const RUNS = Number(process.env.BENCH_RUNS) || 3;
export const TARGET_SECONDS_PER_PAGE = 0.3;

export interface PageImageRow {
  encoding: ScanEncoding;
  pixels: string;
  /** How the page reached OCR: the embedded image's pixels, or a rendering of the page. */
  origin: string;
  ours: Timing & { msPerPage: number; cpuMsPerPage: number };
  /** What OCR's preprocessing then spends decoding the handed image to pixels (sharp), not part of `ours`. */
  ocrSideDecode: Timing & { msPerPage: number; cpuMsPerPage: number };
  /** Image file OCR is handed: png or jpeg. */
  format: string;
  pdfimages: (Timing & { msPerPage: number; cpuMsPerPage: number }) | null;
  pdftoppm: (Timing & { msPerPage: number; cpuMsPerPage: number }) | null;
  /** Our wall time per page over pdfimages' (same job). */
  ratioToPdfimages: number | null;
  ratioToPdftoppm: number | null;
  meetsTarget: boolean;
}

export interface PageImageBenchResult {
  pagesPerFile: number;
  runs: number;
  dpi: number;
  rows: PageImageRow[];
  poppler: string | null;
  loadBefore: [number, number, number];
  loadAfter: [number, number, number];
  node: string;
}

async function scanImages(): Promise<Buffer[]> {
  const texts = [approvalRequestProse, acceptanceReportDense];
  const pages: Buffer[] = [];
  for (let i = 0; i < PAGES; i++) pages.push(await renderScan(texts[i % texts.length]!, { dpi: 200, seed: 31 + i, rotateDeg: 0.3 }));
  return pages;
}

async function oursOnce(bytes: Buffer): Promise<{ timing: Timing; decode: Timing; origins: Set<string>; formats: Set<string>; width: number; height: number }> {
  const origins = new Set<string>();
  const formats = new Set<string>();
  const images: Buffer[] = [];
  let width = 0;
  let height = 0;
  const timing = await timeHere(async () => {
    const parser = new PDFParse({ data: new Uint8Array(bytes), ...pdfjsResourceOptions, isEvalSupported: false, verbosity: VerbosityLevel.ERRORS });
    try {
      for (let n = 1; n <= PAGES; n++) {
        const input = await pageOcrInput(parser, n, defaultExtractionLimits);
        origins.add(input.origin);
        images.push(input.image);
        // What OCR gets must be a picture of the whole page.
        const meta = await sharp(input.image).metadata();
        formats.add(meta.format ?? '?');
        width = meta.width ?? 0;
        height = meta.height ?? 0;
      }
    } finally {
      await parser.destroy();
    }
  });
  const decode = await timeHere(async () => {
    for (const image of images) await sharp(image).raw().toBuffer();
  });
  return { timing, decode, origins, formats, width, height };
}

const perPage = (t: Timing) => ({ ...t, wallMs: round(t.wallMs), cpuMs: round(t.cpuMs), msPerPage: round(t.wallMs / PAGES), cpuMsPerPage: round(t.cpuMs / PAGES) });

export async function runPdfPagesBench(options: { log?: (line: string) => void; writeJson?: boolean } = {}): Promise<PageImageBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const loadBefore = load();
  const dir = await mkdtemp(join(tmpdir(), 'pdf-pages-bench-'));
  try {
    const images = await scanImages();
    const poppler = await peerVersion('pdfimages');
    const rows: PageImageRow[] = [];
    for (const encoding of SCAN_ENCODINGS) {
      const objects = await Promise.all(images.map((image) => encodeScanImage(image, encoding)));
      const file = join(dir, `${encoding}.pdf`);
      const bytes = imagePagesPdf(objects);
      await writeFile(file, bytes);
      await oursOnce(bytes); // warm-up: module loading, JIT, sharp's thread pool
      const ours: Timing[] = [];
      const decoded: Timing[] = [];
      const extracted: Timing[] = [];
      const rendered: Timing[] = [];
      let origins = new Set<string>();
      let formats = new Set<string>();
      let size = '';
      // Interleaved, so that ours and the peers see the same load.
      for (let run = 0; run < RUNS; run++) {
        const once = await oursOnce(bytes);
        ours.push(once.timing);
        decoded.push(once.decode);
        origins = once.origins;
        formats = once.formats;
        size = `${once.width}×${once.height}`;
        if (poppler) {
          extracted.push(await timeCommand('pdfimages', [file, join(dir, `img-${encoding}`)]));
          rendered.push(await timeCommand('pdftoppm', ['-r', '200', file, join(dir, `ppm-${encoding}`)]));
        }
      }
      const o = perPage(medianTiming(ours));
      const d = perPage(medianTiming(decoded));
      const pi = poppler ? perPage(medianTiming(extracted)) : null;
      const pp = poppler ? perPage(medianTiming(rendered)) : null;
      const row: PageImageRow = {
        encoding,
        pixels: size,
        origin: [...origins].join('+'),
        ours: o,
        ocrSideDecode: d,
        format: [...formats].join('+'),
        pdfimages: pi,
        pdftoppm: pp,
        ratioToPdfimages: pi ? round(o.msPerPage / pi.msPerPage) : null,
        ratioToPdftoppm: pp ? round(o.msPerPage / pp.msPerPage) : null,
        meetsTarget: o.msPerPage <= TARGET_SECONDS_PER_PAGE * 1000,
      };
      rows.push(row);
      log(
        `  ${encoding.padEnd(14)} ${size}（${row.origin}，交给 OCR 的是 ${row.format}）：${o.msPerPage} ms/页（CPU ${o.cpuMsPerPage} ms；OCR 端再解码 ${d.msPerPage} ms，CPU ${d.cpuMsPerPage} ms）` +
          (pi && pp ? `；pdfimages ${pi.msPerPage} ms（CPU ${pi.cpuMsPerPage}）→ ×${row.ratioToPdfimages}；pdftoppm -r 200 ${pp.msPerPage} ms（CPU ${pp.cpuMsPerPage}）→ ×${row.ratioToPdftoppm}` : '；未安装 poppler-utils，无对照') +
          `；目标 ≤ ${TARGET_SECONDS_PER_PAGE * 1000} ms ${row.meetsTarget ? '达到' : '未达到'}`,
      );
    }
    const result: PageImageBenchResult = { pagesPerFile: PAGES, runs: RUNS, dpi: 200, rows, poppler, loadBefore, loadAfter: load(), node: process.version };
    log(`  负载（1/5/15 分钟）：${loadBefore.join('/')} → ${result.loadAfter.join('/')}；每种编码 ${PAGES} 页，${RUNS} 次取中位数（含打开文件）`);
    if (options.writeJson ?? true) {
      const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'pdf-pages.json');
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    }
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}


if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runPdfPagesBench();
}
