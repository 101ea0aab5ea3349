/**
 * Spreadsheet and slide benchmark: rows per second through the spreadsheet reader on a generated 20,000-row sheet
 * (10 columns: numbers, text, a formula with its cached result, a date) as .xlsx (exceljs) and BIFF8 .xls (SheetJS),
 * the share SheetJS's parse takes, the four real spreadsheets one by one, and a generated 200-slide .pptx.
 *
 *   npx tsx bench/sheets.ts            prints figures, writes bench/results/sheets.json
 *   import { runSheetsBench } from './sheets.ts'   for a bench runner
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';
import { defaultExtractionLimits } from '../extractors/limits.ts';
import type { ExtractionContext, Extractor, FileKind } from '../extractors/model.ts';
import { extractSpreadsheet, SHEET_EXTRACTOR_VERSION } from '../extractors/sheets/index.ts';
import { extractPptx } from '../extractors/slides/pptx.ts';
import { writeZip } from '../tests/helpers/zip-writer.ts';
import { sharedPath } from '../tests/helpers/shared-data.ts';

const ROWS = 20_000;
const SLIDES = 200;
const RUNS = 3;
const REAL_FILES = [
  'zaojia_jiaoxuelou_gongchengliang_qingdan_wps.xlsx',
  'xiangning_chengben_hesuan_excel.xls',
  'wificar_cailiao_qingdan_wps.xls',
  'pythonproject_ceshi_yongli_wps.et',
];

export interface SheetsBenchResult {
  rows: number;
  extractorVersion: string;
  /** Median over runs of the whole extraction (parse, render, normalise) per format. */
  generated: { format: 'xlsx' | 'xls'; bytes: number; msPerFile: number; rowsPerSecond: number; sheetjsParseShare: number }[];
  realFiles: { file: string; pages: number; msPerFile: number }[];
  pptx: { slides: number; msPerFile: number; slidesPerSecond: number };
  loadAverage1m: number;
  node: string;
}

const noOcr: ExtractionContext = {
  ocr: {
    recognize: async () => {
      throw new Error('the spreadsheet bench must not OCR');
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

async function timeRuns(once: () => Promise<unknown>): Promise<number> {
  await once();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await once();
    times.push(performance.now() - start);
  }
  return median(times);
}

const round = (value: number) => Math.round(value * 100) / 100;

async function generatedSheets(): Promise<{ xlsx: Buffer; xls: Buffer }> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('明细');
  sheet.addRow(['序号', '设备名称', '型号', '单价（元）', '合价（元）', '备注', '到货日期', '品牌', '产地', '数量']);
  for (let r = 1; r <= ROWS; r++) {
    const row = sheet.addRow([r, `服务器设备${r}`, 'ABC-123', 12.5 * r, { formula: `D${r + 1}*2`, result: 25 * r }, '按合同约定', new Date(Date.UTC(2024, 0, 1 + (r % 365))), '国产', '湖南', r % 7]);
    row.getCell(7).numFmt = 'yyyy-mm-dd';
    row.getCell(5).numFmt = '#,##0.00';
  }
  const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
  const parsed = XLSX.read(xlsx, { type: 'buffer', cellNF: true });
  const xls = XLSX.write(parsed, { type: 'buffer', bookType: 'biff8' }) as Buffer;
  return { xlsx, xls };
}

/** A deck of 200 slides, each a title, a labelled paragraph and a six-row table. */
function manySlidePptx(): Buffer {
  const slideXml = (n: number) =>
    `<p:sld xmlns:a="a" xmlns:p="p"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>第${n}页 常德市政务云平台二期建设项目汇报</a:t></a:r></a:p><a:p><a:r><a:t>建设单位：</a:t></a:r><a:r><a:t>常德市数据局</a:t></a:r></a:p></p:txBody></p:sp><p:graphicFrame><a:graphic><a:graphicData><a:tbl>${Array.from({ length: 6 }, (_, k) => `<a:tr><a:tc><a:txBody><a:p><a:r><a:t>${k + 1}</a:t></a:r></a:p></a:txBody></a:tc><a:tc><a:txBody><a:p><a:r><a:t>费用${k}</a:t></a:r></a:p></a:txBody></a:tc><a:tc><a:txBody><a:p><a:r><a:t>${(k + 1) * 10.5}</a:t></a:r></a:p></a:txBody></a:tc></a:tr>`).join('')}</a:tbl></a:graphicData></a:graphic></p:graphicFrame></p:spTree></p:cSld></p:sld>`;
  const entries = [
    { name: 'ppt/presentation.xml', data: `<p:presentation xmlns:p="p" xmlns:r="r"><p:sldIdLst>${Array.from({ length: SLIDES }, (_, k) => `<p:sldId id="${256 + k}" r:id="rId${k + 1}"/>`).join('')}</p:sldIdLst></p:presentation>` },
    { name: 'ppt/_rels/presentation.xml.rels', data: `<Relationships>${Array.from({ length: SLIDES }, (_, k) => `<Relationship Id="rId${k + 1}" Target="slides/slide${k + 1}.xml"/>`).join('')}</Relationships>` },
    ...Array.from({ length: SLIDES }, (_, k) => ({ name: `ppt/slides/slide${k + 1}.xml`, data: slideXml(k + 1) })),
  ];
  return writeZip(entries);
}

async function extractOnce(extractor: Extractor, path: string, bytes: Buffer, kind: FileKind) {
  const doc = await extractor({ path, bytes, kind }, noOcr);
  if (doc.status !== 'ok') throw new Error(`${path}: ${doc.status} ${doc.message ?? ''}`);
  return doc;
}

export async function runSheetsBench(options: { writeJson?: boolean; log?: (line: string) => void } = {}): Promise<SheetsBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const { xlsx, xls } = await generatedSheets();
  const generated: SheetsBenchResult['generated'] = [];
  for (const [format, bytes] of [['xlsx', xlsx], ['xls', xls]] as const) {
    const ms = await timeRuns(async () => {
      await extractOnce(extractSpreadsheet, `明细.${format}`, bytes, format);
    });
    const parseMs = await timeRuns(async () => XLSX.read(bytes, { type: 'buffer', dense: true, cellNF: true, cellText: false, cellFormula: false, cellHTML: false, cellStyles: false }));
    generated.push({ format, bytes: bytes.length, msPerFile: round(ms), rowsPerSecond: Math.round(ROWS / (ms / 1000)), sheetjsParseShare: round(parseMs / ms) });
    log(`  ${format}: ${ROWS} 行 ${(bytes.length / 1e6).toFixed(1)} MB，${ms.toFixed(0)} ms/文件，${Math.round(ROWS / (ms / 1000))} 行/s，其中 SheetJS 解析占 ${Math.round((parseMs / ms) * 100)}%`);
  }
  const realFiles: SheetsBenchResult['realFiles'] = [];
  for (const file of REAL_FILES) {
    const bytes = await readFile(sharedPath('samples', 'real', 'sheets', file));
    const kind: FileKind = file.endsWith('.xlsx') ? 'xlsx' : 'xls';
    let pages = 0;
    const ms = await timeRuns(async () => {
      pages = (await extractOnce(extractSpreadsheet, file, bytes, kind)).pages.length;
    });
    realFiles.push({ file, pages, msPerFile: round(ms) });
    log(`  ${file}: ${pages} 页，${ms.toFixed(1)} ms`);
  }
  const deck = manySlidePptx();
  const pptxMs = await timeRuns(async () => {
    await extractOnce(extractPptx, '汇报.pptx', deck, 'pptx');
  });
  log(`  pptx: ${SLIDES} 张幻灯片，${pptxMs.toFixed(0)} ms/文件，${Math.round(SLIDES / (pptxMs / 1000))} 张/s`);
  const result: SheetsBenchResult = {
    rows: ROWS,
    extractorVersion: SHEET_EXTRACTOR_VERSION,
    generated,
    realFiles,
    pptx: { slides: SLIDES, msPerFile: round(pptxMs), slidesPerSecond: Math.round(SLIDES / (pptxMs / 1000)) },
    loadAverage1m: round(loadavg()[0]!),
    node: process.version,
  };
  // Peak memory is not reported here: generating the workbooks in this process dwarfs what reading them costs.
  log(`  1 分钟负载 ${result.loadAverage1m}`);
  if (options.writeJson) {
    const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'sheets.json');
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    log(`结果已写入 ${out}`);
  }
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runSheetsBench({ writeJson: true });
}
