/**
 * OCR benchmark: seconds per page and character error rate on generated 200 dpi scans (prose and dense pages),
 * peak RSS, pool throughput, and — when a native `tesseract` binary is installed — the same pages through it
 * with the same chi_sim best_int model, for the speed ratio.
 *
 *   npx tsx bench/ocr.ts            prints figures, writes bench/results/ocr.json
 *   import { runOcrBench } from './ocr.ts'   for a bench runner
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import {
  OCR_ENGINE_VERSION,
  OCR_LANGUAGE,
  createOcrPool,
  normalizeOcrText,
  prepareImageForOcr,
  resolveChiSimLangPath,
} from '../extractors/ocr/index.ts';
import { renderScan, type ScanRenderOptions } from '../tests/fixtures/scan/render.ts';
import { acceptanceReportDense, approvalRequestProse } from '../tests/fixtures/scan/sample-texts.ts';
import { characterErrorRate } from '../tests/helpers/cer.ts';

const run = promisify(execFile);

interface BenchPageSpec {
  name: string;
  kind: 'prose' | 'dense';
  text: string;
  render: ScanRenderOptions;
}

const PAGES: BenchPageSpec[] = [
  { name: 'prose-scan', kind: 'prose', text: approvalRequestProse, render: { rotateDeg: 0.5 } },
  { name: 'prose-photo-jpeg', kind: 'prose', text: approvalRequestProse, render: { rotateDeg: -1.2, format: 'jpeg', seed: 7 } },
  { name: 'dense-scan', kind: 'dense', text: acceptanceReportDense, render: { fontSizePt: 10.5 } },
  { name: 'dense-scan-skewed', kind: 'dense', text: acceptanceReportDense, render: { fontSizePt: 10.5, rotateDeg: 0.8, seed: 3 } },
];

export interface OcrBenchPageResult {
  name: string;
  kind: 'prose' | 'dense';
  seconds: number;
  cer: number;
  confidence: number;
  nativeSeconds?: number;
  nativeCer?: number;
}

export interface OcrBenchResult {
  engine: string;
  dpi: number;
  cpus: number;
  workerStartSeconds: number;
  pages: OcrBenchPageResult[];
  meanSecondsPerPage: { prose: number; dense: number };
  meanCer: { prose: number; dense: number };
  pool: { workers: number; pages: number; seconds: number; pagesPerSecond: number };
  /** Process peak after the single-worker pages (fixture rendering included). */
  peakRssMbOneWorker: number;
  /** Process peak over the whole run, the pool of `cpus` workers included. */
  peakRssMb: number;
  native?: {
    version: string;
    threads: 1;
    meanSecondsPerPage: { prose: number; dense: number };
    /** tesseract.js seconds ÷ native seconds, over all pages (above 1: native is faster). */
    jsToNativeTimeRatio: number;
    meanCer: { prose: number; dense: number };
  };
  native_skipped_reason?: string;
}

const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
const round = (value: number, digits = 3) => Number(value.toFixed(digits));

function byKind(pages: OcrBenchPageResult[], pick: (page: OcrBenchPageResult) => number | undefined) {
  const of = (kind: 'prose' | 'dense') =>
    round(mean(pages.filter((p) => p.kind === kind).map(pick).filter((v): v is number => v !== undefined)));
  return { prose: of('prose'), dense: of('dense') };
}

async function nativeTesseractVersion(): Promise<string | null> {
  try {
    const { stdout, stderr } = await run('tesseract', ['--version']);
    return (stdout || stderr).split('\n')[0]?.trim() ?? 'tesseract';
  } catch {
    return null;
  }
}

/** Runs the native binary on exactly the image the pool sends to tesseract.js, with the same model file. */
async function recognizeNatively(png: Buffer, tessdataDir: string, workDir: string): Promise<{ text: string; seconds: number }> {
  const input = join(workDir, 'page.png');
  await writeFile(input, png);
  const started = performance.now();
  const { stdout } = await run(
    'tesseract',
    [input, 'stdout', '-l', OCR_LANGUAGE, '--psm', '3', '--tessdata-dir', tessdataDir, '-c', 'preserve_interword_spaces=1'],
    // One thread, like one tesseract.js worker; otherwise OpenMP spreads a page over every core.
    { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, maxBuffer: 16 * 1024 * 1024 },
  );
  return { text: normalizeOcrText(stdout), seconds: (performance.now() - started) / 1000 };
}

export async function runOcrBench(options: { writeJson?: boolean; log?: (line: string) => void } = {}): Promise<OcrBenchResult> {
  const log = options.log ?? (() => {});
  const images = await Promise.all(PAGES.map((page) => renderScan(page.text, { dpi: 200, ...page.render })));

  const single = createOcrPool({ size: 1 });
  const warmStart = performance.now();
  await single.recognize(await renderScan('预热', { heightMm: 60, noise: false }));
  const workerStartSeconds = (performance.now() - warmStart) / 1000;

  // Native tesseract (if installed) reads each page right after tesseract.js, so a busy machine slows both alike.
  const nativeVersion = await nativeTesseractVersion();
  const nativeDir = nativeVersion ? await mkdtemp(join(tmpdir(), 'ocr-bench-')) : null;
  if (nativeDir) {
    const model = gunzipSync(await readFile(join(resolveChiSimLangPath(), `${OCR_LANGUAGE}.traineddata.gz`)));
    await writeFile(join(nativeDir, `${OCR_LANGUAGE}.traineddata`), model);
  }

  const pages: OcrBenchPageResult[] = [];
  for (const [index, spec] of PAGES.entries()) {
    const started = performance.now();
    const result = await single.recognize(images[index]!);
    const seconds = (performance.now() - started) / 1000;
    pages.push({
      name: spec.name,
      kind: spec.kind,
      seconds: round(seconds),
      cer: round(characterErrorRate(spec.text, result.text), 4),
      confidence: result.confidence,
    });
    const page = pages.at(-1)!;
    log(`  ${spec.name.padEnd(18)} tesseract.js ${seconds.toFixed(2)} s  CER ${(page.cer * 100).toFixed(2)} %  confidence ${result.confidence}`);
    if (nativeDir) {
      const prepared = await prepareImageForOcr(images[index]!);
      const native = await recognizeNatively(prepared.png, nativeDir, nativeDir);
      page.nativeSeconds = round(native.seconds);
      page.nativeCer = round(characterErrorRate(spec.text, native.text), 4);
      log(`  ${''.padEnd(18)} native       ${native.seconds.toFixed(2)} s  CER ${(page.nativeCer * 100).toFixed(2)} %`);
    }
  }
  const peakRssMbOneWorker = Math.round(process.resourceUsage().maxRSS / 1024);
  await single.close();
  if (nativeDir) await rm(nativeDir, { recursive: true, force: true });

  const workers = availableParallelism();
  const pool = createOcrPool({ size: workers });
  // Start every worker before timing, so throughput is not start-up cost.
  await Promise.all(Array.from({ length: workers }, () => pool.recognize(images[0]!)));
  const poolImages = [...images, ...images];
  const poolStarted = performance.now();
  await Promise.all(poolImages.map((image) => pool.recognize(image)));
  const poolSeconds = (performance.now() - poolStarted) / 1000;
  await pool.close();

  const result: OcrBenchResult = {
    engine: OCR_ENGINE_VERSION,
    dpi: 200,
    cpus: workers,
    workerStartSeconds: round(workerStartSeconds),
    pages,
    meanSecondsPerPage: byKind(pages, (p) => p.seconds),
    meanCer: byKind(pages, (p) => p.cer),
    pool: {
      workers,
      pages: poolImages.length,
      seconds: round(poolSeconds),
      pagesPerSecond: round(poolImages.length / poolSeconds),
    },
    peakRssMbOneWorker,
    peakRssMb: 0,
  };

  if (nativeVersion) {
    const jsTotal = pages.reduce((sum, p) => sum + p.seconds, 0);
    const nativeTotal = pages.reduce((sum, p) => sum + (p.nativeSeconds ?? 0), 0);
    result.native = {
      version: nativeVersion,
      threads: 1,
      meanSecondsPerPage: byKind(pages, (p) => p.nativeSeconds),
      jsToNativeTimeRatio: round(jsTotal / nativeTotal, 2),
      meanCer: byKind(pages, (p) => p.nativeCer),
    };
  } else {
    result.native_skipped_reason = 'no `tesseract` binary on PATH';
  }

  // maxRSS covers the whole process, tesseract.js worker threads included.
  result.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);

  if (options.writeJson ?? true) {
    const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'ocr.json');
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    log(`  written ${out}`);
  }
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(`OCR bench (${OCR_ENGINE_VERSION}), 200 dpi generated scans, one worker:`);
  const result = await runOcrBench({ log: (line) => console.log(line) });
  console.log(`worker start ${result.workerStartSeconds} s`);
  console.log(
    `mean s/page: prose ${result.meanSecondsPerPage.prose}, dense ${result.meanSecondsPerPage.dense};` +
      ` mean CER: prose ${(result.meanCer.prose * 100).toFixed(2)} %, dense ${(result.meanCer.dense * 100).toFixed(2)} %`,
  );
  console.log(
    `pool of ${result.pool.workers}: ${result.pool.pages} pages in ${result.pool.seconds} s (${result.pool.pagesPerSecond} pages/s)`,
  );
  console.log(`peak RSS: ${result.peakRssMbOneWorker} MB with one worker, ${result.peakRssMb} MB with the pool of ${result.pool.workers}`);
  if (result.native) {
    console.log(
      `native ${result.native.version} (1 thread): mean s/page prose ${result.native.meanSecondsPerPage.prose},` +
        ` dense ${result.native.meanSecondsPerPage.dense}; tesseract.js/native time ratio ${result.native.jsToNativeTimeRatio}`,
    );
  } else {
    console.log(`native tesseract skipped: ${result.native_skipped_reason}`);
  }
}
