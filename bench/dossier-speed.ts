/**
 * Issue 14's dossier rows: a generated 60-page mixed dossier (40 text-layer pages, 20 scanned pages, as separate
 * PDFs of one project's 竣工验收 documents) checked end to end in this process the way `dossier check` does it —
 * intake, extraction in child processes, an OCR pool of two workers, classification, rules, report.
 *
 *   cold:   empty extraction cache, OCR workers not yet started           target < 60 s on 2 cores
 *   cached: the same folder again with the cache the cold run filled      target < 5 % of the cold run
 *
 *   npx tsx bench/dossier-speed.ts        prints figures, writes bench/results/dossier-speed.json
 *   import { runDossierSpeedBench } from './dossier-speed.ts'   for a bench runner
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseFactArguments } from '../checklists/facts/index.ts';
import { createOcrPool } from '../extractors/ocr/index.ts';
import { checkDossier } from '../pipeline/check-dossier.ts';
import { localExtractionCache } from '../pipeline/extraction-cache.ts';
import type { CompletenessReport } from '../pipeline/report/schema.ts';
import { makeDocument, PROFILES, type Block, type DocumentOptions, type GeneratedDocument } from '../tests/fixtures/dossiers/documents.ts';
import { renderDocument, scanPages } from '../tests/fixtures/dossiers/render.ts';
import { factPairs } from '../tests/helpers/truth.ts';

const TEXT_PAGES = 40;
const SCANNED_PAGES = 20;
const PROFILE = PROFILES.cdWaterlogging;
const FACTS = { totalInvestmentWan: 186.5, classified: false, acceptanceHeld: false, changeOccurred: false, major: false, hasSupervisor: true };

interface Candidate {
  name: string;
  docType: string;
  options?: DocumentOptions;
}

/** The documents of a 竣工验收 dossier (常德), in the order a unit files them; each is one PDF. */
const DOCUMENTS: Candidate[] = [
  { name: '01 关于城市内涝预警调度系统立项的批复', docType: 'approval_document' },
  { name: '02 可行性研究报告', docType: 'feasibility_report' },
  { name: '03 技术方案', docType: 'technical_plan' },
  { name: '04 财政投资评审报告', docType: 'fiscal_review_opinion' },
  { name: '05 年度计划通知', docType: 'annual_plan_notice' },
  { name: '06 项目实施方案', docType: 'implementation_plan' },
  { name: '07 中标通知书', docType: 'procurement_documents', options: { flavour: 'award' } },
  { name: '08 系统集成合同', docType: 'contract' },
  { name: '09 监理服务合同', docType: 'supervision_contract' },
  { name: '10 网络及软硬件测试报告', docType: 'test_report' },
  { name: '11 系统试运行报告', docType: 'trial_run_report' },
  { name: '12 初步验收报告', docType: 'preliminary_acceptance_report' },
  { name: '13 用户培训报告', docType: 'training_report' },
  { name: '14 项目竣工报告', docType: 'completion_report', options: { sections: ['self_inspection_report'] } },
  { name: '15 监理总结报告', docType: 'supervision_report' },
  { name: '16 关于申请竣工验收的请示', docType: 'acceptance_application' },
];

interface BuiltMixedDossier {
  folder: string;
  files: { name: string; kind: 'text' | 'scan'; pages: number }[];
  textPages: number;
  scannedPages: number;
  buildSeconds: number;
}

/** Documents filed as paper scans: the signed and stamped ones, the way units actually send them. */
const SCANNED_TYPES = new Set(['approval_document', 'procurement_documents', 'contract', 'supervision_contract', 'test_report', 'supervision_report', 'acceptance_application']);

/**
 * The generated documents are one or two pages; real 可研, 实施方案 and 测试报告 run longer. A document grows by
 * further chapters made of its own paragraphs (numbered 附录), which keeps its title and type evidence intact.
 */
function lengthened(document: GeneratedDocument, chapters: number): GeneratedDocument {
  const paragraphs = document.blocks.filter((block) => block.kind === 'para');
  if (chapters === 0 || paragraphs.length === 0) return document;
  const extra: Block[] = [];
  for (let chapter = 1; chapter <= chapters; chapter++) {
    extra.push({ kind: 'heading', text: `附录${chapter}　补充说明（${chapter}）` }, ...paragraphs);
  }
  const signatureAt = document.blocks.findIndex((block) => block.kind === 'signature' || block.kind === 'date');
  const at = signatureAt < 0 ? document.blocks.length : signatureAt;
  const blocks = [...document.blocks.slice(0, at), ...extra, ...document.blocks.slice(at)];
  return { ...document, blocks, lines: blocks.map((block) => (block.cells ? block.cells.join(' ') : block.text)) };
}

async function pageCount(document: GeneratedDocument, kind: 'text' | 'scan'): Promise<number> {
  return kind === 'scan' ? scanPages(document).length : ((await renderDocument(document, 'pdf-text')).pages ?? 0);
}

/**
 * Exactly 40 text-layer pages and 20 scanned pages in one PDF per document: the signed documents as scans, the rest
 * as text, and the longest-natured document of each kind lengthened until the page counts are met.
 */
export async function buildMixedDossier(root: string): Promise<BuiltMixedDossier> {
  const started = performance.now();
  const folder = join(root, '常德市城市内涝预警调度系统建设项目竣工验收资料');
  await mkdir(folder, { recursive: true });
  const plan = DOCUMENTS.map((candidate) => ({
    candidate,
    kind: (SCANNED_TYPES.has(candidate.docType) ? 'scan' : 'text') as 'text' | 'scan',
    document: makeDocument(candidate.docType, PROFILE, candidate.options),
  }));
  const targets = { text: TEXT_PAGES, scan: SCANNED_PAGES };
  const grow = { text: 'feasibility_report', scan: 'test_report' };
  for (const kind of ['text', 'scan'] as const) {
    const mine = plan.filter((entry) => entry.kind === kind);
    const grown = mine.find((entry) => entry.candidate.docType === grow[kind])!;
    let others = 0;
    for (const entry of mine) if (entry !== grown) others += await pageCount(entry.document, kind);
    const base = grown.document;
    let chapters = 0;
    while (others + (await pageCount(grown.document, kind)) < targets[kind]) {
      if (++chapters > 200) throw new Error(`could not reach ${targets[kind]} ${kind} pages`);
      grown.document = lengthened(base, chapters);
    }
    const total = others + (await pageCount(grown.document, kind));
    if (total !== targets[kind]) throw new Error(`${kind} pages: ${total} instead of ${targets[kind]} (a chapter adds more than one page)`);
  }

  const files: BuiltMixedDossier['files'] = [];
  for (const [index, entry] of plan.entries()) {
    const rendered = await renderDocument(entry.document, entry.kind === 'scan' ? 'pdf-scan' : 'pdf-text', { seed: index * 7 + 1 });
    const name = `${entry.candidate.name}${entry.kind === 'scan' ? '（扫描件）' : ''}.pdf`;
    await writeFile(join(folder, name), rendered.bytes);
    files.push({ name, kind: entry.kind, pages: rendered.pages ?? 0 });
  }
  const sum = (kind: 'text' | 'scan') => files.filter((f) => f.kind === kind).reduce((n, f) => n + f.pages, 0);
  return { folder, files, textPages: sum('text'), scannedPages: sum('scan'), buildSeconds: (performance.now() - started) / 1000 };
}

/** CPU seconds of this process plus its reaped children (the extraction child processes), from /proc. */
async function cpuSecondsSoFar(): Promise<number> {
  const own = process.cpuUsage();
  try {
    const stat = await readFile('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (own.user + own.system) / 1e6 + (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return (own.user + own.system) / 1e6;
  }
}

export interface DossierRun {
  seconds: number;
  cpuSeconds: number;
  loadAverage: number[];
  ocrPages: number;
  files: number;
  timingsMs: Record<string, number>;
}

export interface DossierSpeedResult {
  cpus: number;
  dossier: { files: number; textPages: number; scannedPages: number; buildSeconds: number };
  cold: DossierRun;
  cached: DossierRun;
  /** cached seconds ÷ cold seconds (target < 0.05). */
  cachedToCold: number;
  /** Both runs produced the same findings and requirement results. */
  sameReport: boolean;
  targets: { coldUnder60s: boolean; cachedUnder5Percent: boolean };
}

/** What must not change between a cold and a cached run: everything but timings and time stamps. */
function comparable(report: CompletenessReport): string {
  return JSON.stringify({ summary: report.summary, requirements: report.requirements, findings: report.findings });
}

export async function runDossierSpeedBench(options: { log?: (line: string) => void; writeJson?: boolean } = {}): Promise<DossierSpeedResult> {
  const log = options.log ?? (() => {});
  const root = await mkdtemp(join(tmpdir(), 'dossier-speed-'));
  try {
    const built = await buildMixedDossier(join(root, 'input'));
    log(
      `  built ${built.files.length} PDFs: ${built.textPages} text pages, ${built.scannedPages} scanned pages (${built.buildSeconds.toFixed(1)} s, not counted)`,
    );
    const cache = localExtractionCache(join(root, 'cache'));
    const facts = parseFactArguments(factPairs(FACTS));

    const once = async (label: string): Promise<{ run: DossierRun; report: CompletenessReport }> => {
      // A fresh pool per run: the cold run pays for starting its workers, as `dossier check` does.
      const ocr = createOcrPool({ size: 2 });
      const cpuStart = await cpuSecondsSoFar();
      const started = performance.now();
      try {
        const report = await checkDossier({ input: built.folder, checklist: 'changde', stage: 'acceptance', facts, ocr, cache });
        const run: DossierRun = {
          seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
          cpuSeconds: Number(((await cpuSecondsSoFar()) - cpuStart).toFixed(1)),
          loadAverage: loadavg().map((v) => Number(v.toFixed(2))),
          ocrPages: report.summary.ocrPages,
          files: report.summary.files,
          timingsMs: report.timings,
        };
        log(`  ${label}: ${run.seconds} s wall, ${run.cpuSeconds} CPU-s, ${run.ocrPages} OCR pages, ${run.files} files, load ${run.loadAverage.join(' ')}`);
        return { run, report };
      } finally {
        await ocr.close();
      }
    };

    const cold = await once('cold (empty extraction cache)');
    const cached = await once('second run (extraction cache)');
    const cachedToCold = Number((cached.run.seconds / cold.run.seconds).toFixed(4));
    const result: DossierSpeedResult = {
      cpus: availableParallelism(),
      dossier: { files: built.files.length, textPages: built.textPages, scannedPages: built.scannedPages, buildSeconds: Number(built.buildSeconds.toFixed(1)) },
      cold: cold.run,
      cached: cached.run,
      cachedToCold,
      sameReport: comparable(cold.report) === comparable(cached.report),
      targets: { coldUnder60s: cold.run.seconds < 60, cachedUnder5Percent: cachedToCold < 0.05 },
    };
    log(
      `  60-page mixed dossier: cold ${cold.run.seconds} s (target < 60 s: ${result.targets.coldUnder60s ? 'met' : 'NOT met'}), ` +
        `cached ${cached.run.seconds} s = ${(cachedToCold * 100).toFixed(2)} % of cold (target < 5 %: ${result.targets.cachedUnder5Percent ? 'met' : 'NOT met'}); ` +
        `same report: ${result.sameReport ? 'yes' : 'NO'}`,
    );
    if (options.writeJson ?? true) {
      const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'dossier-speed.json');
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
      log(`  written ${out}`);
    }
    return result;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log('60-page mixed dossier (40 text pages, 20 scanned), embedded, 2 OCR workers:');
  await runDossierSpeedBench({ log: (line) => console.log(line) });
}
