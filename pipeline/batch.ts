import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import ExcelJS from 'exceljs';
import { checkDossier, type CheckOptions } from './check-dossier.ts';
import { mapLimited } from './concurrency.ts';
import { esc, renderHtml } from './report/render-html.ts';
import { renderMarkdown } from './report/render-markdown.ts';
import type { CompletenessReport } from './report/schema.ts';

/** One row of the pre-screening table an officer takes into a review meeting. */
export interface BatchRow {
  dossier: string;
  projectName: string;
  constructionUnit: string;
  totalInvestmentWan: number | null;
  complete: boolean;
  missing: string[];
  needsConfirmation: string[];
  errors: number;
  warnings: number;
  /** Set when the dossier could not be checked at all (e.g. a corrupt archive). */
  failure?: string;
  reportDir: string;
}

export interface BatchOptions extends Pick<CheckOptions, 'checklist' | 'stage' | 'facts' | 'ocr' | 'cache' | 'extractionLimits' | 'intakeLimits'> {
  folder: string;
  outDir: string;
  concurrency?: number;
  onProgress?: (done: number, total: number, name: string) => void;
}

export interface BatchSummary {
  rows: BatchRow[];
  files: string[];
}

const COLUMNS = ['序号', '材料包', '项目名称', '建设单位', '总投资（万元）', '结论', '缺失材料', '需确认', '错误', '警告', '报告'] as const;

/** Every archive or sub-folder of `folder` is one dossier; a failure of one never stops the others. */
export async function runBatch(options: BatchOptions): Promise<BatchSummary> {
  const entries = await dossierEntries(options.folder);
  await mkdir(options.outDir, { recursive: true });
  let done = 0;
  const rows = await mapLimited(entries, options.concurrency ?? 2, async (entry) => {
    const name = basename(entry);
    const reportDir = join(options.outDir, safeName(name));
    let row: BatchRow;
    try {
      const report = await checkDossier({
        input: entry,
        checklist: options.checklist,
        stage: options.stage,
        facts: options.facts,
        ocr: options.ocr,
        cache: options.cache,
        extractionLimits: options.extractionLimits,
        intakeLimits: options.intakeLimits,
      });
      await mkdir(reportDir, { recursive: true });
      await writeFile(join(reportDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
      await writeFile(join(reportDir, 'report.html'), renderHtml(report));
      await writeFile(join(reportDir, 'report.md'), renderMarkdown(report));
      row = rowOf(name, report, reportDir);
    } catch (error) {
      row = {
        dossier: name,
        projectName: '',
        constructionUnit: '',
        totalInvestmentWan: null,
        complete: false,
        missing: [],
        needsConfirmation: [],
        errors: 1,
        warnings: 0,
        failure: (error as Error).message,
        reportDir: '',
      };
    }
    done += 1;
    options.onProgress?.(done, entries.length, name);
    return row;
  });
  const sorted = sortForReview(rows);
  const files = [join(options.outDir, 'summary.html'), join(options.outDir, 'summary.csv'), join(options.outDir, 'summary.xlsx')];
  await writeFile(files[0]!, summaryHtml(sorted));
  await writeFile(files[1]!, summaryCsv(sorted));
  await summaryXlsx(sorted).xlsx.writeFile(files[2]!);
  return { rows: sorted, files };
}

async function dossierEntries(folder: string): Promise<string[]> {
  const names = (await readdir(folder)).filter((n) => !n.startsWith('.') && n !== '__MACOSX').sort((a, b) => a.localeCompare(b, 'zh-CN'));
  const out: string[] = [];
  for (const name of names) {
    const path = join(folder, name);
    const s = await stat(path);
    if (s.isDirectory() || ['.zip'].includes(extname(name).toLowerCase())) out.push(path);
  }
  return out;
}

/** One summary row from a dossier's report (also used by the API's batches). */
export function rowOf(name: string, report: CompletenessReport, reportDir: string): BatchRow {
  const investment = report.fields.totalInvestmentWan?.value ?? report.facts.totalInvestmentWan?.value;
  return {
    dossier: name,
    projectName: String(report.fields.projectName?.value ?? ''),
    constructionUnit: String(report.fields.constructionUnit?.value ?? ''),
    totalInvestmentWan: typeof investment === 'number' ? investment : investment ? Number(investment) : null,
    complete: report.complete,
    missing: report.requirements.filter((r) => r.status === 'missing' || r.status === 'unreadable').map((r) => `${r.id} ${r.title}`),
    needsConfirmation: report.requirements.filter((r) => r.status === 'needs_confirmation').map((r) => `${r.id} ${r.title}`),
    errors: report.summary.errors,
    warnings: report.summary.warnings,
    reportDir,
  };
}

/** Failures and incomplete dossiers first (most missing first), then complete ones, each by project name. */
export function sortForReview(rows: BatchRow[]): BatchRow[] {
  const rank = (r: BatchRow) => (r.failure ? 0 : r.complete ? 2 : 1);
  return [...rows].sort(
    (a, b) => rank(a) - rank(b) || b.missing.length - a.missing.length || b.errors - a.errors || a.projectName.localeCompare(b.projectName, 'zh-CN'),
  );
}

function cells(r: BatchRow, i: number): Array<string | number> {
  return [
    i + 1,
    r.dossier,
    r.projectName,
    r.constructionUnit,
    r.totalInvestmentWan ?? '',
    r.failure ? `无法检查：${r.failure}` : r.complete ? '齐全' : '不齐全',
    r.missing.join('；'),
    r.needsConfirmation.join('；'),
    r.errors,
    r.warnings,
    r.reportDir ? join(r.reportDir, 'report.html') : '',
  ];
}

export function summaryCsv(rows: BatchRow[]): string {
  const quote = (v: string | number) => `"${String(v).replace(/"/g, '""')}"`;
  // A BOM lets Excel on Chinese Windows open the UTF-8 file without garbling it.
  return `\uFEFF${[COLUMNS.map(quote).join(','), ...rows.map((r, i) => cells(r, i).map(quote).join(','))].join('\r\n')}\r\n`;
}

export function summaryXlsx(rows: BatchRow[]): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('预审汇总');
  sheet.addRow([...COLUMNS]);
  sheet.getRow(1).font = { bold: true };
  rows.forEach((r, i) => sheet.addRow(cells(r, i)));
  sheet.columns.forEach((c, i) => {
    c.width = [6, 24, 36, 24, 12, 10, 50, 30, 6, 6, 40][i] ?? 12;
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  sheet.autoFilter = { from: 'A1', to: 'K1' };
  return workbook;
}

export function summaryHtml(rows: BatchRow[]): string {
  const body = rows
    .map((r, i) => {
      const c = cells(r, i);
      const link = r.reportDir ? `<a href="${esc(join(safeName(r.dossier), 'report.html'))}">查看</a>` : '';
      return `<tr class="${r.failure ? 'fail' : r.complete ? 'ok' : 'bad'}">${c
        .slice(0, 10)
        .map((v) => `<td>${esc(String(v))}</td>`)
        .join('')}<td>${link}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>材料预审汇总</title>
<style>body{font-family:"Microsoft YaHei","PingFang SC",sans-serif;margin:24px}table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border:1px solid #ddd;padding:4px 6px;vertical-align:top}th{background:#f4f4f4}.bad td:nth-child(6){color:#c62828;font-weight:bold}
.ok td:nth-child(6){color:#2e7d32}.fail td:nth-child(6){color:#6a1b9a}</style></head><body>
<h1>材料预审汇总（${rows.length} 份，齐全 ${rows.filter((r) => r.complete).length} 份）</h1>
<table><tr>${COLUMNS.map((c) => `<th>${c}</th>`).join('')}</tr>
${body}
</table></body></html>
`;
}

function safeName(name: string): string {
  return name.replace(/[\\/:*?"<>|\s]+/g, '_');
}
