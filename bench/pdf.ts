/**
 * PDF text-layer benchmark: pages per second through extractPdf on the real 99-page WPS 招标文件 (every page from
 * the text layer, none OCR'd), the share of that spent in pdf-parse itself, peak RSS, and — when poppler's
 * `pdftotext` is installed — the same file through it, for the speed ratio.
 *
 *   npx tsx bench/pdf.ts            prints figures, writes bench/results/pdf.json
 *   import { runPdfBench } from './pdf.ts'   for a bench runner
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { PDFParse } from 'pdf-parse';
import { defaultExtractionLimits } from '../extractors/limits.ts';
import { createOcrPool } from '../extractors/ocr/index.ts';
import { extractPdf, PDF_EXTRACTOR_VERSION } from '../extractors/pdf/index.ts';
import { pdfjsResourceOptions } from '../extractors/pdf/pdfjs-resources.ts';
import { sharedPath } from '../tests/helpers/shared-data.ts';

const run = promisify(execFile);

export const BENCH_PDF = sharedPath('samples', 'real', 'pdf', 'huaxin_zhaobiao_wenjian_2023_wps.pdf');
const RUNS = 5;

export interface PdfBenchResult {
  file: string;
  pages: number;
  runs: number;
  extractorVersion: string;
  /** Median over runs of the whole extractPdf call (text per page, garbage check, normalisation). */
  extractMsPerPage: number;
  extractPagesPerSecond: number;
  /** Median over runs of pdf-parse getText alone (one call for all pages), for comparison with pdftotext. */
  pdfParseMsPerPage: number;
  pdftotext: null | {
    version: string;
    msPerPage: number;
    pagesPerSecond: number;
    /** extractPdf time / pdftotext time. */
    extractSlowdown: number;
    /** pdf-parse getText time / pdftotext time. */
    pdfParseSlowdown: number;
  };
  peakRssMb: number;
  /** The machine is shared; figures taken under load are slower. */
  loadAverage1m: number;
  node: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function timeRuns(runs: number, once: () => Promise<void>): Promise<number> {
  await once(); // warm-up: module loading, pdf.js worker start, JIT
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await once();
    times.push(performance.now() - start);
  }
  return median(times);
}

async function pdftotextVersion(): Promise<string | null> {
  try {
    const { stderr, stdout } = await run('pdftotext', ['-v']);
    return (stderr || stdout).split('\n')[0]?.trim() ?? 'pdftotext';
  } catch {
    return null;
  }
}

export async function runPdfBench(options: { writeJson?: boolean; log?: (line: string) => void } = {}): Promise<PdfBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const bytes = await readFile(BENCH_PDF);
  const ocr = createOcrPool({ size: 1 }); // starts a worker only if a page needs OCR, which none should
  let pages = 0;
  try {
    const extractMs = await timeRuns(RUNS, async () => {
      const result = await extractPdf({ path: BENCH_PDF, bytes, kind: 'pdf' }, { ocr, limits: defaultExtractionLimits });
      if (result.status !== 'ok' || result.meta.ocrPages !== 0) throw new Error(`unexpected result: ${result.status}, ${result.meta.ocrPages} OCR pages`);
      pages = result.pages.length;
    });
    const pdfParseMs = await timeRuns(RUNS, async () => {
      const parser = new PDFParse({ data: bytes, ...pdfjsResourceOptions, isEvalSupported: false });
      try {
        await parser.getText();
      } finally {
        await parser.destroy();
      }
    });

    const version = await pdftotextVersion();
    let pdftotext: PdfBenchResult['pdftotext'] = null;
    if (version) {
      const popplerMs = await timeRuns(RUNS, async () => {
        await run('pdftotext', ['-enc', 'UTF-8', BENCH_PDF, '-'], { maxBuffer: 64 * 1024 * 1024 });
      });
      pdftotext = {
        version,
        msPerPage: round(popplerMs / pages),
        pagesPerSecond: round((pages / popplerMs) * 1000),
        extractSlowdown: round(extractMs / popplerMs),
        pdfParseSlowdown: round(pdfParseMs / popplerMs),
      };
    }

    const result: PdfBenchResult = {
      file: BENCH_PDF,
      pages,
      runs: RUNS,
      extractorVersion: PDF_EXTRACTOR_VERSION,
      extractMsPerPage: round(extractMs / pages),
      extractPagesPerSecond: round((pages / extractMs) * 1000),
      pdfParseMsPerPage: round(pdfParseMs / pages),
      pdftotext,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      loadAverage1m: round(loadavg()[0] ?? 0),
      node: process.version,
    };

    log(`PDF text layer, ${pages} pages (${BENCH_PDF.split('/').pop()}), median of ${RUNS} runs:`);
    log(`  extractPdf:        ${result.extractMsPerPage} ms/page, ${result.extractPagesPerSecond} pages/s`);
    log(`  pdf-parse getText: ${result.pdfParseMsPerPage} ms/page`);
    if (pdftotext) {
      log(`  pdftotext:         ${pdftotext.msPerPage} ms/page (${pdftotext.version}, whole process incl. start-up)`);
      log(`  ratio: extractPdf ${pdftotext.extractSlowdown}× pdftotext; pdf-parse alone ${pdftotext.pdfParseSlowdown}×`);
    } else {
      log('  pdftotext: not installed (poppler-utils), no ratio');
    }
    log(`  peak RSS: ${result.peakRssMb} MB; load average (1 min) ${result.loadAverage1m} on a shared machine`);

    if (options.writeJson ?? true) {
      const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'pdf.json');
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
      log(`  written to ${out}`);
    }
    return result;
  } finally {
    await ocr.close();
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runPdfBench();
}
