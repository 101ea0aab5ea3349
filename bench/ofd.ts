/**
 * OFD text benchmark: pages per second through extractOfd on a generated 100-page OFD (every page TextObjects, none
 * OCR'd: generated dossier documents laid out on A4 with X/Y/DeltaX, half the runs in the compressed `g` form), the
 * share spent unzipping and parsing XML, and the four real OFD files one by one.
 *
 *   npx tsx bench/ofd.ts            prints figures, writes bench/results/ofd.json
 *   import { runOfdBench } from './ofd.ts'   for a bench runner
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defaultExtractionLimits } from '../extractors/limits.ts';
import type { ExtractionContext } from '../extractors/model.ts';
import { extractOfd, OFD_EXTRACTOR_VERSION } from '../extractors/ofd/index.ts';
import { OfdPackage } from '../extractors/ofd/package.ts';
import { parseXml } from '../extractors/ofd/xml.ts';
import { makeDocument, PROFILES } from '../tests/fixtures/dossiers/documents.ts';
import { layoutPages, writeOfd, type PageSpec } from '../tests/fixtures/ofd/writer.ts';
import { sharedPath } from '../tests/helpers/shared-data.ts';

const PAGES = 100;
const RUNS = 5;
const REAL_FILES = [
  'ofdrw_n_gongwen_iofd.ofd',
  'ofdrw_testPathFillOpacity_gonghan_suwell.ofd',
  'easyofd_zengzhishui_zhuanpiao5_chinatax.ofd',
];

export interface OfdBenchResult {
  pages: number;
  bytes: number;
  runs: number;
  extractorVersion: string;
  /** Median over runs of the whole extractOfd call (unzip, XML, glyph layout, garbage check, normalisation). */
  extractMsPerPage: number;
  extractPagesPerSecond: number;
  /** Median over runs of unzipping and parsing every page's Content.xml alone. */
  unzipAndParseMsPerPage: number;
  realFiles: { file: string; pages: number; msPerFile: number }[];
  peakRssMb: number;
  loadAverage1m: number;
  node: string;
}

/** Never called: the generated pages all carry text. */
const noOcr: ExtractionContext = {
  ocr: {
    recognize: async () => {
      throw new Error('the OFD bench must not OCR');
    },
    close: async () => undefined,
  },
  limits: defaultExtractionLimits,
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function timeRuns(runs: number, once: () => Promise<void>): Promise<number> {
  await once();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await once();
    times.push(performance.now() - start);
  }
  return median(times);
}

const round = (value: number) => Math.round(value * 100) / 100;

/** A 100-page OFD from the dossier generator's longer documents, cycled until the page count is reached. */
export function hundredPageOfd(): Buffer {
  const profiles = Object.values(PROFILES).flat();
  const kinds = ['feasibility_report', 'construction_plan', 'completion_report', 'budget_estimate', 'supervision_report', 'contract'];
  const pages: PageSpec[] = [];
  for (let i = 0; pages.length < PAGES; i++) {
    const document = makeDocument(kinds[i % kinds.length]!, profiles[i % profiles.length]!);
    pages.push(...layoutPages(document, { deltas: i % 2 === 0 ? 'compressed' : 'plain' }));
  }
  return writeOfd([{ title: '基准测试 OFD', pages: pages.slice(0, PAGES) }]);
}

export async function runOfdBench(options: { writeJson?: boolean; log?: (line: string) => void } = {}): Promise<OfdBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const bytes = hundredPageOfd();
  let pages = 0;
  const extractMs = await timeRuns(RUNS, async () => {
    const doc = await extractOfd({ path: 'bench.ofd', bytes, kind: 'ofd' }, noOcr);
    if (doc.status !== 'ok' || doc.meta.ocrPages !== 0) throw new Error(`unexpected result: ${doc.status}`);
    pages = doc.pages.length;
  });
  const parseMs = await timeRuns(RUNS, async () => {
    const pkg = await OfdPackage.open(bytes);
    try {
      for (let p = 0; p < PAGES; p++) {
        const read = await pkg.read([`Doc_0/Pages/Page_${p}/Content.xml`], 'xml');
        if (read.kind === 'ok') parseXml(read.bytes, true);
      }
    } finally {
      pkg.close();
    }
  });
  const realFiles: OfdBenchResult['realFiles'] = [];
  for (const name of REAL_FILES) {
    const file = await readFile(sharedPath('samples', 'real', 'ofd', name));
    let filePages = 0;
    const ms = await timeRuns(RUNS, async () => {
      filePages = (await extractOfd({ path: name, bytes: file, kind: 'ofd' }, noOcr)).pages.length;
    });
    realFiles.push({ file: name, pages: filePages, msPerFile: round(ms) });
  }

  const result: OfdBenchResult = {
    pages,
    bytes: bytes.length,
    runs: RUNS,
    extractorVersion: OFD_EXTRACTOR_VERSION,
    extractMsPerPage: round(extractMs / pages),
    extractPagesPerSecond: round((pages / extractMs) * 1000),
    unzipAndParseMsPerPage: round(parseMs / pages),
    realFiles,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    loadAverage1m: round(loadavg()[0] ?? 0),
    node: process.version,
  };
  log(`OFD text, generated ${pages} pages (${Math.round(bytes.length / 1024)} KB), median of ${RUNS} runs:`);
  log(`  extractOfd:            ${result.extractMsPerPage} ms/page, ${result.extractPagesPerSecond} pages/s`);
  log(`  unzip + XML parse only: ${result.unzipAndParseMsPerPage} ms/page`);
  for (const real of realFiles) log(`  ${real.file}: ${real.msPerFile} ms (${real.pages} pages)`);
  log(`  peak RSS: ${result.peakRssMb} MB; load average (1 min) ${result.loadAverage1m} on a shared machine`);

  if (options.writeJson ?? true) {
    const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'ofd.json');
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    log(`  written to ${out}`);
  }
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runOfdBench();
}
