/**
 * PDF text-layer benchmark: pages per second through extractPdf on the real 99-page WPS 招标文件 (every page from
 * the text layer, none OCR'd) — in this process, and as the product runs it, through a warm reader process (file
 * read there, result sent back) — the share of that spent in pdf-parse itself, peak RSS, and poppler's `pdftotext`
 * on the same file in the same run, runs interleaved so both see the same load, wall and CPU time. Target ≤ 1.5×.
 *
 *   npx tsx bench/pdf.ts            prints figures, writes bench/results/pdf.json
 *   import { runPdfBench } from './pdf.ts'   for a bench runner
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PDFParse } from 'pdf-parse';
import { IsolatedExtraction } from '../extractors/isolation/isolated-extraction.ts';
import { defaultExtractionLimits } from '../extractors/limits.ts';
import { createOcrPool } from '../extractors/ocr/index.ts';
import { extractPdf, PDF_EXTRACTOR_VERSION } from '../extractors/pdf/index.ts';
import { PDF_TEXT_ENGINE, PDFIUM_PACKAGE_VERSION } from '../extractors/pdf/pdfium-text.ts';
import { pdfjsResourceOptions } from '../extractors/pdf/pdfjs-resources.ts';
import { sharedPath } from '../tests/helpers/shared-data.ts';
import { load, medianTiming, peerVersion, timeCommand, timeHere, type Timing } from './measure.ts';

export const BENCH_PDF = sharedPath('samples', 'real', 'pdf', 'huaxin_zhaobiao_wenjian_2023_wps.pdf');
const RUNS = Number(process.env.BENCH_RUNS) || 5;

export interface PdfBenchResult {
  file: string;
  pages: number;
  runs: number;
  extractorVersion: string;
  /** What read the text layer in extractPdf and the reader: PDFium (pdf.js the fallback) or pdf.js alone (PDF_TEXT_ENGINE=pdfjs). */
  textEngine: string;
  /** Median over runs of the whole extractPdf call (text per page, garbage check, normalisation). */
  extractMsPerPage: number;
  extractCpuMsPerPage: number;
  extractPagesPerSecond: number;
  /** The same through a warm reader process, as the product reads files: the child reads the file, the result comes back. */
  readerMsPerPage: number;
  readerCpuMsPerPage: number;
  /** Median over runs of pdf-parse getText alone (one call for all pages), for comparison with pdftotext. */
  pdfParseMsPerPage: number;
  pdftotext: null | {
    version: string;
    msPerPage: number;
    cpuMsPerPage: number;
    pagesPerSecond: number;
    /** extractPdf time / pdftotext time. */
    extractSlowdown: number;
    extractCpuSlowdown: number;
    /** Through the reader process / pdftotext. */
    readerSlowdown: number;
    /** pdf-parse getText time / pdftotext time. */
    pdfParseSlowdown: number;
  };
  peakRssMb: number;
  /** The machine is shared; figures taken under load are slower. */
  loadAverage1m: number;
  loadBefore: [number, number, number];
  loadAfter: [number, number, number];
  node: string;
}

export async function runPdfBench(options: { writeJson?: boolean; log?: (line: string) => void } = {}): Promise<PdfBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const bytes = await readFile(BENCH_PDF);
  const ocr = createOcrPool({ size: 1 }); // starts a worker only if a page needs OCR, which none should
  const readers = new IsolatedExtraction();
  const loadBefore = load();
  let pages = 0;
  try {
    const ctx = { ocr, limits: defaultExtractionLimits };
    const check = (result: Awaited<ReturnType<typeof extractPdf>>) => {
      if (result.status !== 'ok' || result.meta.ocrPages !== 0) throw new Error(`unexpected result: ${result.status}, ${result.meta.ocrPages} OCR pages`);
      pages = result.pages.length;
    };
    const here = () => extractPdf({ path: BENCH_PDF, bytes, kind: 'pdf' }, ctx).then(check);
    // The reader's CPU is its own process's: read from /proc around the call.
    const inReader = async (): Promise<Timing> => {
      const start = performance.now();
      const before = await readerCpuMs(readers);
      check(await readers.extract({ path: BENCH_PDF, kind: 'pdf', localPath: BENCH_PDF }, ctx));
      const wallMs = performance.now() - start;
      return { wallMs, cpuMs: (await readerCpuMs(readers)) - before };
    };
    const viaParse = () =>
      timeHere(async () => {
        const parser = new PDFParse({ data: new Uint8Array(bytes), ...pdfjsResourceOptions, isEvalSupported: false });
        try {
          await parser.getText();
        } finally {
          await parser.destroy();
        }
      });
    const version = await peerVersion('pdftotext');
    // Warm-up: module loading, pdf.js's first document, the reader process's start, JIT.
    await here();
    await inReader();
    await viaParse();
    const ours: Timing[] = [];
    const reader: Timing[] = [];
    const parse: Timing[] = [];
    const peer: Timing[] = [];
    for (let i = 0; i < RUNS; i++) {
      ours.push(await timeHere(here));
      reader.push(await inReader());
      parse.push(await viaParse());
      if (version) peer.push(await timeCommand('pdftotext', ['-enc', 'UTF-8', BENCH_PDF, '-']));
    }
    const o = medianTiming(ours);
    const r = medianTiming(reader);
    const p = medianTiming(parse);
    const q = version ? medianTiming(peer) : null;
    const pdftotext: PdfBenchResult['pdftotext'] = q
      ? {
          version: version!,
          msPerPage: round(q.wallMs / pages),
          cpuMsPerPage: round(q.cpuMs / pages),
          pagesPerSecond: round((pages / q.wallMs) * 1000),
          extractSlowdown: round(o.wallMs / q.wallMs),
          extractCpuSlowdown: round(o.cpuMs / q.cpuMs),
          readerSlowdown: round(r.wallMs / q.wallMs),
          pdfParseSlowdown: round(p.wallMs / q.wallMs),
        }
      : null;

    const result: PdfBenchResult = {
      file: BENCH_PDF,
      pages,
      runs: RUNS,
      extractorVersion: PDF_EXTRACTOR_VERSION,
      textEngine: PDF_TEXT_ENGINE === 'pdfium' ? `pdfium ${PDFIUM_PACKAGE_VERSION}` : 'pdf.js',
      extractMsPerPage: round(o.wallMs / pages),
      extractCpuMsPerPage: round(o.cpuMs / pages),
      extractPagesPerSecond: round((pages / o.wallMs) * 1000),
      readerMsPerPage: round(r.wallMs / pages),
      readerCpuMsPerPage: round(r.cpuMs / pages),
      pdfParseMsPerPage: round(p.wallMs / pages),
      pdftotext,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      loadAverage1m: loadBefore[0],
      loadBefore,
      loadAfter: load(),
      node: process.version,
    };

    log(`  ${pages} 页（${BENCH_PDF.split('/').pop()}），${RUNS} 次交替运行取中位数；文字层引擎 ${result.textEngine}：`);
    log(`  extractPdf（本进程）：   ${result.extractMsPerPage} ms/页（CPU ${result.extractCpuMsPerPage} ms），${result.extractPagesPerSecond} 页/s`);
    log(`  读取子进程（产品路径）： ${result.readerMsPerPage} ms/页（子进程 CPU ${result.readerCpuMsPerPage} ms）`);
    log(`  pdf-parse getText（pdf.js）：${result.pdfParseMsPerPage} ms/页`);
    if (pdftotext) {
      log(`  pdftotext：              ${pdftotext.msPerPage} ms/页（CPU ${pdftotext.cpuMsPerPage} ms；${pdftotext.version}，含进程启动）`);
      log(`  比值：extractPdf ×${pdftotext.extractSlowdown}（CPU ×${pdftotext.extractCpuSlowdown}），读取子进程 ×${pdftotext.readerSlowdown}，pdf-parse ×${pdftotext.pdfParseSlowdown}；目标 ≤ 1.5×`);
    } else {
      log('  pdftotext：未安装 poppler-utils，无对照');
    }
    log(`  峰值内存 ${result.peakRssMb} MB；负载 ${loadBefore.join('/')} → ${result.loadAfter.join('/')}`);

    if (options.writeJson ?? true) {
      const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'pdf.json');
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
      log(`  written to ${out}`);
    }
    return result;
  } finally {
    await readers.close();
    await ocr.close();
  }
}

/** CPU of the reader processes alive now, from /proc (utime + stime). */
async function readerCpuMs(readers: IsolatedExtraction): Promise<number> {
  let ticks = 0;
  for (const pid of readers.pids()) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // ended meanwhile
    }
  }
  return ticks * 10;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runPdfBench();
}
