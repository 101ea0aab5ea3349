import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'csv-stringify/sync';
import type ExcelJS from 'exceljs';
import { loadChecklist } from '../checklists/load.ts';
import { runBatchRules, type BatchDossier } from '../checklists/rules/batch.ts';
import { checkDossier, type CheckOptions } from './check-dossier.ts';
import { mapLimited } from './concurrency.ts';
import { cpuPlan, defaultCores, limitSharedReaders, useCpuPlan, type CpuPlan } from './cpu-plan.ts';
import { readFactsSheet } from './facts-sheet.ts';
import { htmlTemplates, renderHtml } from './report/render-html.ts';
import { renderMarkdown } from './report/render-markdown.ts';
import type { CompletenessReport, Stage } from './report/schema.ts';
import { STAGE_LABEL } from './report/labels.ts';
import { formatBeijingTime } from './corrections/beijing-time.ts';
import { uncheckableText } from './report/verdict.ts';
import { loadExcelJS } from './excel.ts';

/** One row of the pre-screening table an officer takes into a review meeting. */
export interface BatchRow {
  dossier: string;
  projectName: string;
  constructionUnit: string;
  totalInvestmentWan: number | null;
  complete: boolean;
  /** The report's verdict in words (材料齐全 / 需补正（…） / 无法检查（…）); empty while there is no report. */
  verdict: string;
  missing: string[];
  needsConfirmation: string[];
  errors: number;
  warnings: number;
  /** Set when the dossier could not be checked at all (e.g. a corrupt archive). */
  failure?: string;
  /** 需确认：材料似乎属于XX市 — the documents seem to belong to another jurisdiction than the one checked against. */
  cityMismatch?: string;
  reportDir: string;
}

/** What a batch reports while it runs: a dossier started, one of its files was read, a dossier is finished. */
export type BatchProgressEvent =
  /** `total`: dossiers in the batch. */
  | { stage: 'dossier-start'; name: string; total: number }
  /** `done` of the dossier's `files` files are read; `path` is the one just read. */
  | { stage: 'file'; name: string; done: number; files: number; path: string }
  /** `done` of `total` dossiers are finished, checked or failed. */
  | { stage: 'dossier-done'; name: string; done: number; total: number };

export interface BatchOptions extends Pick<CheckOptions, 'checklist' | 'stage' | 'facts' | 'cache' | 'extractionLimits' | 'intakeLimits'> {
  folder: string;
  outDir: string;
  /**
   * Cores the batch may use (`--concurrency`; the same meaning as WORKER_CONCURRENCY and PROCESS_CONCURRENCY, see
   * cpu-plan.ts): the OCR pool, the files read at once across all dossiers and the dossiers in flight are sized from
   * it. A whole number of at least 1; default: the machine's cores.
   */
  concurrency?: number;
  /**
   * OCR engine; default the process's shared pool, sized from `concurrency`. A caller that passes its own pool sizes
   * it itself (tests, benches); the readers and dossiers in flight still follow `concurrency`.
   */
  ocr?: CheckOptions['ocr'];
  /** Told once, before any dossier starts, how the cores are shared out. */
  onPlan?: (plan: CpuPlan) => void;
  onProgress?: (event: BatchProgressEvent) => void;
  /**
   * A filled facts sheet ({@link factsSheetXlsx}): each dossier is checked with its own row's facts over `facts`.
   * It is read before any dossier is checked, so a bad sheet stops the batch with a {@link FactsSheetError}.
   */
  factsSheet?: Buffer;
}

export interface BatchSummary {
  rows: BatchRow[];
  files: string[];
}

/** What the summary's title row says and where its links point. */
export interface SummaryMeta {
  /** The jurisdiction's Chinese name (常德市). */
  cityName: string;
  stage: Stage;
  /** When the summary was made; written in Beijing time. */
  at: Date;
  /**
   * Turns a row's `reportDir` into the absolute link written in the tables: the API's public URL, or a `file:` URL
   * for the CLI's folder. Without it the table keeps `reportDir/report.html` as it is.
   */
  reportUrl?: (row: BatchRow) => string;
}

/** 预审汇总｜常德市｜竣工验收｜2026年12月4日 23:08（北京时间） */
export function summaryTitle(meta: SummaryMeta): string {
  return `材料预审汇总｜${meta.cityName}｜${STAGE_LABEL[meta.stage]}｜${formatBeijingTime(meta.at.toISOString())}（北京时间）`;
}

const COLUMNS = ['序号', '材料包', '项目名称', '建设单位', '总投资（万元）', '结论', '缺失材料', '需确认', '错误', '警告', '报告'] as const;

/** Every archive or sub-folder of `folder` is one dossier; a failure of one never stops the others. */
export async function runBatch(options: BatchOptions): Promise<BatchSummary> {
  const entries = await dossierEntries(options.folder);
  const sheetFacts = options.factsSheet ? readFactsSheet(options.factsSheet, loadChecklist(options.checklist), options.stage, entries.map((e) => basename(e))) : {};
  await mkdir(options.outDir, { recursive: true });
  let done = 0;
  const reports = new Map<string, { report: CompletenessReport; reportDir: string }>();
  const plan = cpuPlan(options.concurrency ?? defaultCores());
  // The readers follow the plan whoever brings the OCR pool; the shared pool is sized from it too.
  limitSharedReaders(plan);
  const ocr = options.ocr ?? useCpuPlan(plan);
  options.onPlan?.(plan);
  const rows = await mapLimited(entries, plan.dossiersAtOnce, async (entry) => {
    const name = basename(entry);
    const reportDir = join(options.outDir, safeName(name));
    options.onProgress?.({ stage: 'dossier-start', name, total: entries.length });
    let row: BatchRow;
    try {
      const report = await checkDossier({
        input: entry,
        checklist: options.checklist,
        stage: options.stage,
        facts: { ...options.facts, ...sheetFacts[name] },
        ocr,
        cache: options.cache,
        // The readers are shared by every dossier in flight (capped above); within one dossier as many files as that.
        concurrency: plan.filesAtOnce,
        extractionLimits: options.extractionLimits,
        intakeLimits: options.intakeLimits,
        onProgress: (e) => {
          if (e.stage === 'extract') options.onProgress?.({ stage: 'file', name, done: e.done, files: e.total, path: e.path });
        },
      });
      await writeReport(report, reportDir);
      reports.set(name, { report, reportDir });
      row = rowOf(name, report, reportDir);
    } catch (error) {
      row = { ...rowWithoutReport(name, ''), errors: 1, failure: (error as Error).message, verdict: uncheckableText((error as Error).message) };
    }
    done += 1;
    options.onProgress?.({ stage: 'dossier-done', name, done, total: entries.length });
    return row;
  });
  // Rules over the whole batch (益阳 第十六条 化整为零): each finding goes into the reports of the dossiers it names.
  const batchFindings = runBatchRules(loadChecklist(options.checklist).boundRules, [...reports.entries()].map(([name, { report }]) => batchDossier(name, report)));
  for (const finding of batchFindings) {
    for (const name of finding.dossiers) {
      const entry = reports.get(name);
      if (!entry) continue;
      const { dossiers: _dossiers, ...rest } = finding;
      entry.report.findings.push(rest);
      entry.report.summary[finding.severity === 'error' ? 'errors' : 'warnings'] += 1;
    }
  }
  for (const name of new Set(batchFindings.flatMap((f) => f.dossiers))) {
    const entry = reports.get(name);
    if (!entry) continue;
    await writeReport(entry.report, entry.reportDir);
    const i = rows.findIndex((r) => r.dossier === name);
    if (i >= 0) rows[i] = rowOf(name, entry.report, entry.reportDir);
  }
  const sorted = sortForReview(rows);
  const files = [join(options.outDir, 'summary.html'), join(options.outDir, 'summary.csv'), join(options.outDir, 'summary.xlsx')];
  const checklist = loadChecklist(options.checklist);
  const meta: SummaryMeta = { cityName: checklist.name, stage: options.stage, at: new Date(), reportUrl: (r) => pathToFileURL(resolve(r.reportDir, 'report.html')).href };
  await writeFile(files[0]!, summaryHtml(sorted, meta));
  await writeFile(files[1]!, summaryCsv(sorted, meta));
  await (await summaryXlsx(sorted, meta)).xlsx.writeFile(files[2]!);
  return { rows: sorted, files };
}

async function writeReport(report: CompletenessReport, reportDir: string): Promise<void> {
  await mkdir(reportDir, { recursive: true });
  await writeFile(join(reportDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(reportDir, 'report.html'), renderHtml(report));
  await writeFile(join(reportDir, 'report.md'), renderMarkdown(report));
}

/** What the batch rules read of one report: unit, year (plan year, else the approval or filing year), name, total. */
export function batchDossier(name: string, report: CompletenessReport): BatchDossier {
  const unit = report.fields.constructionUnit;
  const project = report.fields.projectName;
  const total = report.facts.totalInvestmentWan;
  const yearOf = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && /^\d{4}/.test(v) ? Number(v.slice(0, 4)) : undefined);
  const year = yearOf(report.facts.planYear?.value) ?? yearOf(report.facts.approvalDate?.value) ?? yearOf(report.facts.filingDate?.value);
  const evidence = [unit?.provenance, project?.provenance].filter((p): p is NonNullable<typeof p> => Boolean(p)).map((p) => ({ path: `${name}/${p.path}`, page: p.page, quote: p.quote, label: p.label }));
  // Paths name the dossier too: the finding is shown in the reports of the other dossiers of the group.
  return {
    id: name,
    constructionUnit: typeof unit?.value === 'string' ? unit.value : undefined,
    projectName: typeof project?.value === 'string' ? project.value : undefined,
    totalInvestmentWan: typeof total?.value === 'number' ? total.value : undefined,
    year,
    evidence: [...evidence, ...(total?.evidence ?? []).map((e) => ({ path: e.path ? `${name}/${e.path}` : undefined, page: e.page, quote: e.quote }))],
  };
}

/** Archives that hold one dossier each in a batch folder; intake opens every one of these kinds. */
const DOSSIER_ARCHIVE_EXTENSIONS = ['.zip', '.rar', '.7z'];

/** The names of the dossiers of a batch folder, as the facts sheet lists them. */
export async function batchDossierNames(folder: string): Promise<string[]> {
  return (await dossierEntries(folder)).map((e) => basename(e));
}

async function dossierEntries(folder: string): Promise<string[]> {
  const names = (await readdir(folder)).filter((n) => !n.startsWith('.') && n !== '__MACOSX').sort((a, b) => a.localeCompare(b, 'zh-CN'));
  const out: string[] = [];
  for (const name of names) {
    const path = join(folder, name);
    const s = await stat(path);
    if (s.isDirectory() || DOSSIER_ARCHIVE_EXTENSIONS.includes(extname(name).toLowerCase())) out.push(path);
  }
  return out;
}

/** One summary row from a dossier's report (also used by the API's batches). */
/** A row for a dossier that has no report (yet, or because its check failed). */
export function rowWithoutReport(dossier: string, reportDir: string): BatchRow {
  return {
    dossier,
    projectName: '',
    constructionUnit: '',
    totalInvestmentWan: null,
    complete: false,
    verdict: '',
    missing: [],
    needsConfirmation: [],
    errors: 0,
    warnings: 0,
    reportDir,
  };
}

export function rowOf(name: string, report: CompletenessReport, reportDir: string): BatchRow {
  const investment = report.fields.totalInvestmentWan?.value ?? report.facts.totalInvestmentWan?.value;
  return {
    dossier: name,
    projectName: String(report.fields.projectName?.value ?? ''),
    constructionUnit: String(report.fields.constructionUnit?.value ?? ''),
    totalInvestmentWan: typeof investment === 'number' ? investment : investment ? Number(investment) : null,
    complete: report.complete,
    verdict: report.verdict.text,
    failure: report.verdict.outcome === 'uncheckable' ? report.verdict.reason : undefined,
    cityMismatch: report.cityMismatch ? `需确认：材料似乎属于${report.cityMismatch.cityName}` : undefined,
    missing: report.requirements.filter((r) => r.status === 'missing' || r.status === 'unreadable').map((r) => `${r.id} ${r.title}`),
    needsConfirmation: report.requirements.filter((r) => r.status === 'needs_confirmation').map((r) => `${r.id} ${r.title}`),
    errors: report.summary.errors,
    warnings: report.summary.warnings,
    reportDir,
  };
}

/**
 * Failures first, then dossiers that seem to belong to another city (their result may be against the wrong
 * regulation), then incomplete ones (most missing first), then complete ones, each by project name.
 */
export function sortForReview(rows: BatchRow[]): BatchRow[] {
  const rank = (r: BatchRow) => (r.failure ? 0 : r.cityMismatch ? 1 : r.complete ? 3 : 2);
  return [...rows].sort(
    (a, b) => rank(a) - rank(b) || b.missing.length - a.missing.length || b.errors - a.errors || a.projectName.localeCompare(b.projectName, 'zh-CN'),
  );
}

function cells(r: BatchRow, i: number, meta?: SummaryMeta): Array<string | number> {
  return [
    i + 1,
    r.dossier,
    r.projectName,
    r.constructionUnit,
    r.totalInvestmentWan ?? '',
    [r.cityMismatch, r.verdict || (r.failure ? uncheckableText(r.failure) : '')].filter(Boolean).join('；'),
    r.missing.join('；'),
    r.needsConfirmation.join('；'),
    r.errors,
    r.warnings,
    reportLink(r, meta),
  ];
}

function reportLink(r: BatchRow, meta?: SummaryMeta): string {
  if (!r.reportDir) return '';
  return meta?.reportUrl ? meta.reportUrl(r) : join(r.reportDir, 'report.html');
}

/**
 * The summary as CSV for Excel and WPS: UTF-8 with a BOM (so Chinese Windows does not garble it), CRLF, every field
 * quoted, and no cell that a spreadsheet would run as a formula (see {@link neutraliseFormula}).
 */
export function summaryCsv(rows: BatchRow[], meta?: SummaryMeta): string {
  const title = meta ? [[summaryTitle(meta)]] : [];
  return stringify([...title, [...COLUMNS], ...rows.map((r, i) => cells(r, i, meta))], {
    bom: true,
    record_delimiter: '\r\n',
    quoted: true,
    quoted_empty: true,
    cast: { string: neutraliseFormula, number: String },
  });
}

/**
 * A text cell that starts with = + - @ (or a tab or carriage return, which Excel skips before looking) would be
 * run as a formula when the CSV is opened, e.g. a project name `=HYPERLINK("http://…","点击")`; a leading single
 * quote makes Excel and WPS show it as text. Numbers stay numbers: a negative amount is not a formula.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * The summary as XLSX. exceljs writes a JavaScript string as a text cell (a shared string, never a `<f>` formula), so
 * a name such as `=HYPERLINK(…)` is shown as typed and never run; it is kept as it is, without the CSV's quote.
 */
export async function summaryXlsx(rows: BatchRow[], meta?: SummaryMeta): Promise<ExcelJS.Workbook> {
  const workbook = new (await loadExcelJS()).Workbook();
  const sheet = workbook.addWorksheet('预审汇总');
  const header = meta ? 2 : 1;
  if (meta) {
    sheet.addRow([summaryTitle(meta)]);
    sheet.mergeCells(1, 1, 1, COLUMNS.length);
    sheet.getRow(1).font = { bold: true, size: 14 };
    sheet.getRow(1).height = 24;
  }
  sheet.addRow([...COLUMNS]);
  sheet.getRow(header).font = { bold: true };
  rows.forEach((r, i) => {
    const row = sheet.addRow(cells(r, i, meta));
    const link = reportLink(r, meta);
    // A clickable link where the table knows an absolute address; a bare folder path stays text.
    if (link && /^(https?|file):/.test(link)) row.getCell(COLUMNS.length).value = { text: link, hyperlink: link };
  });
  sheet.columns.forEach((c, i) => {
    c.width = [6, 24, 36, 24, 12, 28, 50, 30, 6, 6, 40][i] ?? 12;
    // Long lists of missing items wrap inside their cell instead of running across the page.
    c.alignment = { wrapText: true, vertical: 'top' };
  });
  sheet.getRow(header).alignment = { wrapText: true, vertical: 'middle' };
  sheet.views = [{ state: 'frozen', ySplit: header }];
  sheet.autoFilter = { from: { row: header, column: 1 }, to: { row: header, column: COLUMNS.length } };
  // Printed for the review meeting: A4 landscape, as wide as the page, the header row on every page.
  sheet.pageSetup = {
    paperSize: 9,
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: `${header}:${header}`,
    horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
  };
  sheet.headerFooter = { oddFooter: '第 &P 页，共 &N 页' };
  return workbook;
}

/** The summary as one HTML page (report/templates/batch-summary.eta, every value escaped by the template engine). */
export function summaryHtml(rows: BatchRow[], meta?: SummaryMeta): string {
  return htmlTemplates.render('./batch-summary', {
    columns: COLUMNS,
    title: meta ? summaryTitle(meta) : undefined,
    // How each column wraps: numbers never, names and verdicts with room, lists of items with more.
    kinds: ['num', 'text', 'long', 'text', 'num', 'verdict text', 'long', 'long', 'num', 'num'],
    completeCount: rows.filter((r) => r.complete).length,
    rows: rows.map((r, i) => ({
      tone: r.failure ? 'fail' : r.complete ? 'ok' : 'bad',
      cells: cells(r, i).slice(0, 10),
      reportHref: r.reportDir ? join(safeName(r.dossier), 'report.html') : undefined,
    })),
  });
}

function safeName(name: string): string {
  return name.replace(/[\\/:*?"<>|\s]+/g, '_');
}
