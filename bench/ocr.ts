/**
 * OCR engines side by side on the same pages (issue 14): character error rate and pages per minute for
 *
 *   - tesseract.js with the installed chi_sim models: `4.0.0_best_int` (the product's default), the package's
 *     `4.0.0` folder (legacy + LSTM data, LSTM used), Debian's `tessdata_fast` file when it is installed; page
 *     segmentation modes 3 (default) and 6;
 *   - native `tesseract` 5 (Debian `tesseract-ocr`, `tesseract-ocr-chi-sim`) with the same best_int model and with
 *     Debian's own model, one thread each (OMP_THREAD_LIMIT=1, like one tesseract.js worker);
 *   - PP-OCRv4 through `@gutenye/ocr-node` (onnxruntime-node, one intra-op thread) when that package is installed.
 *
 * Pages: generated 200 dpi scans (prose, a dense page with a text table, a ruled table page as PNG and as skewed
 * JPEG) and the real photographed 检测报告 page in ../shared/samples/real/images, scored against its transcription.
 * Each page is read by every engine in turn, so load from other work slows all engines alike; compare ratios.
 * Then throughput on all cores: the tesseract.js pool against native tesseract in as many processes.
 *
 *   npx tsx bench/ocr.ts            prints figures, writes bench/results/ocr.json
 *   import { runOcrBench } from './ocr.ts'   for a bench runner
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  OCR_ENGINE_VERSION,
  OCR_LANGUAGE,
  createOcrPool,
  normalizeOcrText,
  prepareImageForOcr,
  resolveChiSimLangPath,
  type OcrPool,
  type OcrPoolOptions,
} from '../extractors/ocr/index.ts';
import { renderScan, renderTableScan } from '../tests/fixtures/scan/render.ts';
import { RAPIDDOC_TABLE_04_FILE, RAPIDDOC_TABLE_04_TEXT } from '../tests/fixtures/scan/real-page-truth.ts';
import { acceptanceReportDense, approvalRequestProse, investmentTable, investmentTableText } from '../tests/fixtures/scan/sample-texts.ts';
import { characterErrorRate } from '../tests/helpers/cer.ts';
import { sharedPath } from '../tests/helpers/shared-data.ts';

const run = promisify(execFile);

type PageKind = 'prose' | 'dense' | 'table' | 'real';

interface BenchPage {
  name: string;
  kind: PageKind;
  text: string;
  image: Buffer;
}

async function benchPages(): Promise<BenchPage[]> {
  return [
    { name: 'prose-scan', kind: 'prose', text: approvalRequestProse, image: await renderScan(approvalRequestProse, { rotateDeg: 0.5 }) },
    {
      name: 'prose-photo-jpeg',
      kind: 'prose',
      text: approvalRequestProse,
      image: await renderScan(approvalRequestProse, { rotateDeg: -1.2, format: 'jpeg', seed: 7 }),
    },
    { name: 'dense-scan', kind: 'dense', text: acceptanceReportDense, image: await renderScan(acceptanceReportDense, { fontSizePt: 10.5 }) },
    { name: 'table-scan', kind: 'table', text: investmentTableText, image: await renderTableScan(investmentTable, { rotateDeg: 0.4 }) },
    {
      name: 'table-jpeg-skewed',
      kind: 'table',
      text: investmentTableText,
      image: await renderTableScan(investmentTable, { rotateDeg: -0.8, format: 'jpeg', seed: 5 }),
    },
    {
      name: 'real-report-photo',
      kind: 'real',
      text: RAPIDDOC_TABLE_04_TEXT,
      image: await readFile(sharedPath(...RAPIDDOC_TABLE_04_FILE)),
    },
  ];
}

/** One way of reading a page; `read` gets the original image and returns normalised text. */
interface BenchEngine {
  id: string;
  label: string;
  read(image: Buffer): Promise<string>;
  close(): Promise<void>;
}

export interface EngineRow {
  id: string;
  label: string;
  /** Page name → seconds and CER. */
  pages: { name: string; kind: PageKind; seconds: number; cer: number }[];
  meanCer: Record<PageKind, number>;
  /** One engine instance, pages one after another. */
  pagesPerMinute: number;
  /** This engine's seconds ÷ the default engine's seconds over the same pages (below 1: faster than the default). */
  timeRatioToDefault: number;
}

export interface ThroughputRow {
  engine: string;
  instances: number;
  pages: number;
  seconds: number;
  pagesPerMinute: number;
  /** CPU seconds of this process and its reaped children during the run. */
  cpuSeconds: number;
}

export interface OcrBenchResult {
  defaultEngine: string;
  dpi: number;
  cpus: number;
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
  workerStartSeconds: number;
  engines: EngineRow[];
  skipped: { id: string; reason: string }[];
  throughput: ThroughputRow[];
  /** tesseract.js pool pages/min ÷ native tesseract pages/min, both on all cores (issue 14 target ≥ 1.0). */
  poolToNativeThroughput?: number;
  peakRssMb: number;
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));
const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);

/** CPU seconds of this process plus its waited-for children (native tesseract), from /proc. */
async function cpuSecondsSoFar(): Promise<number> {
  const own = process.cpuUsage();
  let children = 0;
  try {
    const stat = await readFile('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 of /proc/<pid>/stat (cutime, cstime), counted from field 3 after the command name.
    children = (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    // Not Linux: children's CPU is not counted.
  }
  return (own.user + own.system) / 1e6 + children;
}

async function nativeTesseractVersion(): Promise<string | null> {
  try {
    const { stdout, stderr } = await run('tesseract', ['--version']);
    return (stdout || stderr).split('\n')[0]?.trim() ?? 'tesseract';
  } catch {
    return null;
  }
}

const DEBIAN_FAST_MODEL = `/usr/share/tesseract-ocr/5/tessdata/${OCR_LANGUAGE}.traineddata`;

function tesseractJsEngine(id: string, label: string, options: OcrPoolOptions): BenchEngine & { pool: OcrPool } {
  const pool = createOcrPool({ size: 1, ...options });
  return { id, label, pool, read: async (image) => (await pool.recognize(image)).text, close: () => pool.close() };
}

/** Native tesseract on exactly the image the pool hands to tesseract.js (same preprocessing, timed in). */
function nativeEngine(id: string, label: string, tessdataDir: string, workDir: string): BenchEngine {
  let counter = 0;
  return {
    id,
    label,
    async read(image) {
      const prepared = await prepareImageForOcr(image);
      const input = join(workDir, `${id}-${counter++}.png`);
      await writeFile(input, prepared.png);
      const { stdout } = await run(
        'tesseract',
        [input, 'stdout', '-l', OCR_LANGUAGE, '--psm', '3', '--tessdata-dir', tessdataDir, '-c', 'preserve_interword_spaces=1'],
        // One thread, like one tesseract.js worker; otherwise OpenMP spreads a page over every core and two
        // processes fight (STACK-NOTES: 27 s against 14 s for the same pages).
        { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, maxBuffer: 16 * 1024 * 1024 },
      );
      await rm(input, { force: true });
      return normalizeOcrText(stdout);
    },
    close: async () => {},
  };
}

interface PaddleLine {
  text: string;
}
interface PaddleOcr {
  detect(image: Buffer | string): Promise<PaddleLine[]>;
}

/**
 * PP-OCRv4 through @gutenye/ocr-node, loaded only if installed (it is not a dependency of the product: see the
 * README's performance section for why and how to install it for this bench).
 */
async function paddleEngine(threads: number): Promise<BenchEngine | string> {
  let module: { default: { create(options: object): Promise<PaddleOcr> } };
  try {
    module = (await import(/* a bench-only optional package */ '@gutenye/ocr-node' as string)) as typeof module;
  } catch (error) {
    return `@gutenye/ocr-node is not installed (${(error as Error).message.split('\n')[0]})`;
  }
  const ocr = await module.default.create({ onnxOptions: { intraOpNumThreads: threads, interOpNumThreads: 1 } });
  return {
    id: 'ppocr-v4',
    label: `PP-OCRv4 (@gutenye/ocr-node, onnxruntime CPU, ${threads} thread)`,
    async read(image) {
      // Same grey, despeckled, size-limited input as tesseract gets.
      const prepared = await prepareImageForOcr(image);
      const lines = await ocr.detect(prepared.png);
      return normalizeOcrText(lines.map((line) => line.text).join('\n'));
    },
    close: async () => {},
  };
}

function kindMeans(pages: EngineRow['pages']): Record<PageKind, number> {
  const of = (kind: PageKind) => round(mean(pages.filter((p) => p.kind === kind).map((p) => p.cer)), 4);
  return { prose: of('prose'), dense: of('dense'), table: of('table'), real: of('real') };
}

async function throughput(engine: string, instances: number, images: Buffer[], read: (image: Buffer) => Promise<unknown>): Promise<ThroughputRow> {
  const cpuStart = await cpuSecondsSoFar();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: instances }, async () => {
      while (next < images.length) await read(images[next++]!);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    engine,
    instances,
    pages: images.length,
    seconds: round(seconds, 2),
    pagesPerMinute: round((images.length / seconds) * 60, 2),
    cpuSeconds: round((await cpuSecondsSoFar()) - cpuStart, 1),
  };
}

export async function runOcrBench(
  options: { writeJson?: boolean; log?: (line: string) => void; skipThroughput?: boolean } = {},
): Promise<OcrBenchResult> {
  const log = options.log ?? (() => {});
  const loadAverageAtStart = loadavg().map((v) => round(v, 2));
  const pages = await benchPages();
  const skipped: { id: string; reason: string }[] = [];
  const workDir = await mkdtemp(join(tmpdir(), 'ocr-bench-'));

  const bestIntPath = resolveChiSimLangPath();
  const legacyPath = join(dirname(bestIntPath), '4.0.0');
  const engines: BenchEngine[] = [];
  const defaultEngine = tesseractJsEngine('tesseractjs-best_int-psm3', 'tesseract.js, chi_sim 4.0.0_best_int, PSM 3 (default)', {});
  engines.push(defaultEngine);
  engines.push(tesseractJsEngine('tesseractjs-best_int-psm6', 'tesseract.js, chi_sim 4.0.0_best_int, PSM 6', { pageSegMode: '6' }));
  if (existsSync(join(legacyPath, `${OCR_LANGUAGE}.traineddata.gz`))) {
    engines.push(tesseractJsEngine('tesseractjs-4.0.0-psm3', 'tesseract.js, chi_sim 4.0.0 (legacy+LSTM file, LSTM), PSM 3', { langPath: legacyPath }));
  } else {
    skipped.push({ id: 'tesseractjs-4.0.0-psm3', reason: `no ${legacyPath}` });
  }
  if (existsSync(DEBIAN_FAST_MODEL)) {
    const fastDir = join(workDir, 'fast');
    await mkdir(fastDir);
    await writeFile(join(fastDir, `${OCR_LANGUAGE}.traineddata.gz`), gzipSync(await readFile(DEBIAN_FAST_MODEL)));
    engines.push(tesseractJsEngine('tesseractjs-fast-psm3', 'tesseract.js, chi_sim tessdata_fast (Debian file), PSM 3', { langPath: fastDir }));
  } else {
    skipped.push({ id: 'tesseractjs-fast-psm3', reason: `no ${DEBIAN_FAST_MODEL} (Debian tesseract-ocr-chi-sim)` });
  }

  const nativeVersion = await nativeTesseractVersion();
  let nativeBestIntDir: string | null = null;
  if (nativeVersion) {
    nativeBestIntDir = join(workDir, 'best_int');
    await mkdir(nativeBestIntDir);
    await writeFile(join(nativeBestIntDir, `${OCR_LANGUAGE}.traineddata`), gunzipSync(await readFile(join(bestIntPath, `${OCR_LANGUAGE}.traineddata.gz`))));
    engines.push(nativeEngine('native-best_int', `native ${nativeVersion}, chi_sim 4.0.0_best_int, 1 thread`, nativeBestIntDir, workDir));
    if (existsSync(DEBIAN_FAST_MODEL)) {
      engines.push(nativeEngine('native-fast', `native ${nativeVersion}, chi_sim tessdata_fast (Debian), 1 thread`, dirname(DEBIAN_FAST_MODEL), workDir));
    }
  } else {
    skipped.push({ id: 'native', reason: 'no `tesseract` binary on PATH (apt-get install tesseract-ocr tesseract-ocr-chi-sim)' });
  }
  const paddle = await paddleEngine(1);
  if (typeof paddle === 'string') skipped.push({ id: 'ppocr-v4', reason: paddle });
  else engines.push(paddle);

  // Every engine reads a small strip first, so model loading is not counted as page time.
  const warmStart = performance.now();
  await defaultEngine.read(await renderScan('预热', { heightMm: 60, noise: false }));
  const workerStartSeconds = (performance.now() - warmStart) / 1000;
  for (const engine of engines.slice(1)) await engine.read(await renderScan('预热', { heightMm: 60, noise: false }));

  const rows = new Map<string, EngineRow['pages']>(engines.map((e) => [e.id, []]));
  for (const page of pages) {
    for (const engine of engines) {
      const started = performance.now();
      const text = await engine.read(page.image);
      const seconds = (performance.now() - started) / 1000;
      // NFKC on both sides: （ and ( are the same bracket; tesseract writes one width, the page prints the other.
      const cer = characterErrorRate(page.text.normalize('NFKC'), text.normalize('NFKC'));
      rows.get(engine.id)!.push({ name: page.name, kind: page.kind, seconds: round(seconds, 2), cer: round(cer, 4) });
      log(`  ${page.name.padEnd(18)} ${engine.id.padEnd(26)} ${seconds.toFixed(2).padStart(6)} s  CER ${(cer * 100).toFixed(2).padStart(6)} %`);
    }
  }
  const totalSeconds = (id: string) => rows.get(id)!.reduce((sum, p) => sum + p.seconds, 0);
  const engineRows: EngineRow[] = engines.map((engine) => ({
    id: engine.id,
    label: engine.label,
    pages: rows.get(engine.id)!,
    meanCer: kindMeans(rows.get(engine.id)!),
    pagesPerMinute: round((pages.length / totalSeconds(engine.id)) * 60, 2),
    timeRatioToDefault: round(totalSeconds(engine.id) / totalSeconds(defaultEngine.id), 2),
  }));
  for (const engine of engines) await engine.close();

  const throughputRows: ThroughputRow[] = [];
  let poolToNativeThroughput: number | undefined;
  if (!options.skipThroughput) {
    // The generated 200 dpi scans twice over: the "same 200-dpi scans" on all cores.
    const scans = pages.filter((p) => p.kind !== 'real').map((p) => p.image);
    const images = [...scans, ...scans];
    const cpus = availableParallelism();
    const pool = createOcrPool({ size: cpus });
    await Promise.all(Array.from({ length: cpus }, () => pool.recognize(scans[0]!)));
    throughputRows.push(await throughput(`tesseract.js pool of ${cpus}`, cpus, images, (image) => pool.recognize(image)));
    await pool.close();
    if (nativeBestIntDir) {
      const native = nativeEngine('native-best_int', '', nativeBestIntDir, workDir);
      throughputRows.push(await throughput(`native tesseract, ${cpus} processes`, cpus, images, (image) => native.read(image)));
      poolToNativeThroughput = round(throughputRows[0]!.pagesPerMinute / throughputRows[1]!.pagesPerMinute, 2);
    }
    for (const row of throughputRows) {
      log(`  throughput ${row.engine}: ${row.pages} pages in ${row.seconds} s = ${row.pagesPerMinute} pages/min, ${row.cpuSeconds} CPU-s`);
    }
  }
  await rm(workDir, { recursive: true, force: true });

  const result: OcrBenchResult = {
    defaultEngine: OCR_ENGINE_VERSION,
    dpi: 200,
    cpus: availableParallelism(),
    loadAverageAtStart,
    loadAverageAtEnd: loadavg().map((v) => round(v, 2)),
    workerStartSeconds: round(workerStartSeconds, 2),
    engines: engineRows,
    skipped,
    throughput: throughputRows,
    ...(poolToNativeThroughput !== undefined ? { poolToNativeThroughput } : {}),
    // maxRSS covers the whole process, tesseract.js worker threads and onnxruntime included.
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };

  log('  engine                                   CER prose  dense  table  real   pages/min  time ÷ default');
  for (const row of engineRows) {
    const pct = (v: number) => `${(v * 100).toFixed(1)}%`.padStart(6);
    log(
      `  ${row.id.padEnd(38)} ${pct(row.meanCer.prose)} ${pct(row.meanCer.dense)} ${pct(row.meanCer.table)} ${pct(row.meanCer.real)}` +
        `   ${String(row.pagesPerMinute).padStart(6)}     ${row.timeRatioToDefault}×`,
    );
  }
  for (const s of skipped) log(`  skipped ${s.id}: ${s.reason}`);
  if (poolToNativeThroughput !== undefined) log(`  tesseract.js pool ÷ native processes, pages/min: ${poolToNativeThroughput}× (target ≥ 1.0×)`);
  log(`  load average at start ${loadAverageAtStart.join(' ')}, at end ${result.loadAverageAtEnd.join(' ')}; peak RSS ${result.peakRssMb} MB`);

  if (options.writeJson ?? true) {
    const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'ocr.json');
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    log(`  written ${out}`);
  }
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(`OCR engines (${OCR_ENGINE_VERSION} is the default), 200 dpi generated scans and one real photo:`);
  await runOcrBench({ log: (line) => console.log(line), skipThroughput: process.argv.includes('--no-throughput') });
}
