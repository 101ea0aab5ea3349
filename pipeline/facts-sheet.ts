import * as XLSX from '@e965/xlsx';
import { stringify } from 'csv-stringify/sync';
import type ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { FactValue } from '../checklists/conditions.ts';
import type { LoadedChecklist } from '../checklists/load.ts';
import { formFacts, type FormFact } from './form-facts.ts';
import type { Stage } from './report/schema.ts';
import { loadExcelJS } from './excel.ts';

/**
 * The batch facts sheet: one row per dossier of a batch, one column per fact that the jurisdiction's rows of the stage
 * read. An officer downloads it, fills what the agency knows, and uploads it with the batch, so each dossier is
 * checked with its own facts instead of one set of facts for all.
 *
 * Row 1 carries the Chinese labels people read; row 2 the fact ids in small grey type, which is what the reader
 * trusts (labels may be reworded in a later version of the checklist; ids never change meaning). A sheet whose id row
 * was deleted is still read by its labels.
 */

/** Column A's header, in both header rows. */
const DOSSIER_LABEL = '材料包';
const DOSSIER_ID = 'dossier';
/** A sheet larger than this is not a facts sheet a person filled. */
export const FACTS_SHEET_LIMITS = { bytes: 2 * 1024 * 1024, rows: 5000, columns: 200 } as const;

/** A facts sheet that cannot be read as it is: the message names the row and the column, in the spreadsheet's terms. */
export class FactsSheetError extends Error {
  constructor(
    message: string,
    readonly row?: number,
    readonly column?: string,
  ) {
    super(message);
    this.name = 'FactsSheetError';
  }
}

/** Facts per dossier name as read from the sheet; a dossier not in the sheet declares nothing. */
export type SheetFacts = Record<string, Record<string, FactValue>>;

/** The facts a sheet for this jurisdiction and stage asks: the upload form's questions, less those the batch itself sets. */
export function sheetFacts(checklist: LoadedChecklist, stage: Stage): FormFact[] {
  return formFacts(checklist, stage).filter((f) => f.name !== 'stage' && f.name !== 'cityId');
}

function headerLabel(f: FormFact): string {
  return f.unit && !f.label.includes(f.unit) ? `${f.label}（${f.unit}）` : f.label;
}

/** What a person may write in a fact's cell, in words. */
function allowedText(f: FormFact): string {
  switch (f.type) {
    case 'boolean':
      return '是 / 否';
    case 'number':
      return `数字${f.unit ? `（${f.unit}）` : ''}，如 150`;
    case 'integer':
      return '整数，如 2025';
    case 'date':
      return '日期，如 2025-03-01';
    case 'enum':
      return `其中之一：${(f.values ?? []).map((v) => v.label).join('、')}`;
    case 'set':
      return `一项或多项，用“、”分隔：${(f.values ?? []).map((v) => v.label).join('、')}`;
    default:
      return '文字';
  }
}

function templateRows(facts: FormFact[], dossiers: string[]): string[][] {
  return [[DOSSIER_LABEL, ...facts.map(headerLabel)], [DOSSIER_ID, ...facts.map((f) => f.name)], ...dossiers.map((d) => [d, ...facts.map(() => '')])];
}

/** The template as CSV (UTF-8 with a BOM, so Excel and WPS on Chinese Windows open it in the right encoding). */
export function factsSheetCsv(checklist: LoadedChecklist, stage: Stage, dossiers: string[]): string {
  return stringify(templateRows(sheetFacts(checklist, stage), dossiers), { bom: true, record_delimiter: '\r\n', quoted: true, quoted_empty: true });
}

/**
 * The template as XLSX: the id row in small grey type, a drop-down list on every 是/否 and choice column, the
 * question as a note on each header, and a second sheet that explains every column.
 */
export async function factsSheetXlsx(checklist: LoadedChecklist, stage: Stage, dossiers: string[], title: string): Promise<ExcelJS.Workbook> {
  const facts = sheetFacts(checklist, stage);
  const workbook = new (await loadExcelJS()).Workbook();
  const sheet = workbook.addWorksheet('项目事实');
  for (const row of templateRows(facts, dossiers)) sheet.addRow(row);
  const labels = sheet.getRow(1);
  labels.font = { bold: true };
  labels.alignment = { wrapText: true, vertical: 'top' };
  sheet.getRow(2).font = { size: 8, color: { argb: 'FF888888' } };
  facts.forEach((f, i) => {
    const cell = labels.getCell(i + 2);
    cell.note = `${f.question}\n可填：${allowedText(f)}${f.derivable ? '\n留空：由系统从材料中判断' : '\n留空：列为需确认'}`;
    const choices = f.type === 'boolean' ? ['是', '否'] : f.type === 'enum' ? (f.values ?? []).map((v) => v.label) : [];
    // Excel caps a list validation's text at 255 characters; a longer list is explained on the second sheet instead.
    if (choices.length > 0 && choices.join(',').length < 250 && dossiers.length > 0) {
      const column = sheet.getColumn(i + 2).letter;
      for (let r = 3; r < 3 + dossiers.length; r++) {
        sheet.getCell(`${column}${r}`).dataValidation = {
          type: 'list',
          allowBlank: true,
          formulae: [`"${choices.join(',')}"`],
          showErrorMessage: true,
          errorTitle: '取值不在可选范围内',
          error: `可填：${choices.join('、')}`,
        };
      }
    }
  });
  sheet.columns.forEach((c, i) => {
    c.width = i === 0 ? 28 : 18;
  });
  sheet.views = [{ state: 'frozen', xSplit: 1, ySplit: 2 }];
  const help = workbook.addWorksheet('填写说明');
  help.addRow([title]);
  help.getRow(1).font = { bold: true, size: 14 };
  help.addRow(['每行一份材料包，每列一项事实；只填机关已确认的事实，不确定的留空。第 2 行是系统使用的编号，请勿修改或删除。']);
  help.addRow([]);
  help.addRow(['列名', '问题', '可填', '留空时']);
  help.getRow(4).font = { bold: true };
  for (const f of facts) help.addRow([headerLabel(f), f.question, allowedText(f), f.derivable ? '由系统从材料中判断' : '列为需确认']);
  help.columns.forEach((c, i) => {
    c.width = [28, 48, 48, 20][i] ?? 20;
    c.alignment = { wrapText: true, vertical: 'top' };
  });
  return workbook;
}

/**
 * Reads a filled sheet (XLSX, XLS or CSV in UTF-8 or GBK) into facts per dossier name. Every problem is a
 * {@link FactsSheetError} naming the row and column as the spreadsheet shows them. `dossiers` are the batch's names;
 * a row matches a dossier by its name, with or without the archive's extension.
 */
export function readFactsSheet(bytes: Buffer, checklist: LoadedChecklist, stage: Stage, dossiers: string[]): SheetFacts {
  if (bytes.length === 0) throw new FactsSheetError('事实表是空文件');
  if (bytes.length > FACTS_SHEET_LIMITS.bytes) throw new FactsSheetError(`事实表超过 ${FACTS_SHEET_LIMITS.bytes / 1024 / 1024} MB，不像是填写的事实表`);
  const grid = readGrid(bytes);
  const facts = sheetFacts(checklist, stage);
  const byId = new Map(facts.map((f) => [f.name, f]));
  const byLabel = new Map(facts.flatMap((f) => [[headerLabel(f), f] as const, [f.label, f] as const]));
  const labelRow = grid[0] ?? [];
  if (labelRow.every((c) => c === '')) throw new FactsSheetError('事实表第 1 行应为表头（材料包和各项事实），但是空的', 1);
  const idRow = grid[1] ?? [];
  const hasIds = (idRow[0] ?? '').toLowerCase() === DOSSIER_ID;
  const headerRows = hasIds ? 2 : 1;
  const columns: Array<FormFact | undefined> = [];
  const width = Math.max(labelRow.length, hasIds ? idRow.length : 0);
  if (width > FACTS_SHEET_LIMITS.columns) throw new FactsSheetError(`事实表有 ${width} 列，超过上限 ${FACTS_SHEET_LIMITS.columns} 列`, 1);
  for (let c = 1; c < width; c++) {
    const id = hasIds ? (idRow[c] ?? '') : '';
    const label = labelRow[c] ?? '';
    if (id === '' && label === '') continue;
    const fact = hasIds && id !== '' ? byId.get(id) : byLabel.get(label);
    if (!fact) {
      const at = hasIds && id !== '' ? `事实表第 2 行第 ${columnName(c)} 列：编号“${id.slice(0, 40)}”` : `事实表第 1 行第 ${columnName(c)} 列：表头“${label.slice(0, 40)}”`;
      throw new FactsSheetError(`${at}不是${checklist.name}本阶段要填写的事实，请重新下载模板`, hasIds && id !== '' ? 2 : 1, columnName(c));
    }
    if (columns.includes(fact)) throw new FactsSheetError(`事实表第 ${headerRows} 行第 ${columnName(c)} 列：“${fact.label}”重复出现`, headerRows, columnName(c));
    columns[c] = fact;
  }
  if (!hasIds && labelRow[0] !== DOSSIER_LABEL) throw new FactsSheetError(`事实表第 1 行第 A 列应为“${DOSSIER_LABEL}”，收到“${(labelRow[0] ?? '').slice(0, 40)}”`, 1, 'A');
  const names = new Map<string, string>();
  for (const d of dossiers) for (const key of nameKeys(d)) if (!names.has(key)) names.set(key, d);
  const out: SheetFacts = {};
  const rowOf: Record<string, number> = {};
  for (let r = headerRows; r < grid.length; r++) {
    const cells = grid[r]!;
    if (cells.every((c) => c === '')) continue;
    const line = r + 1;
    const raw = cells[0] ?? '';
    if (raw === '') throw new FactsSheetError(`事实表第 ${line} 行第 A 列：材料包名称为空`, line, 'A');
    const dossier = nameKeys(raw).map((k) => names.get(k)).find(Boolean);
    if (!dossier) {
      const known = dossiers.slice(0, 5).join('、') + (dossiers.length > 5 ? ` 等 ${dossiers.length} 份` : '');
      throw new FactsSheetError(`事实表第 ${line} 行第 A 列：材料包“${raw.slice(0, 60)}”不在本批次中（本批次：${known || '无'}）`, line, 'A');
    }
    if (rowOf[dossier] !== undefined) throw new FactsSheetError(`事实表第 ${line} 行第 A 列：材料包“${raw.slice(0, 60)}”与第 ${rowOf[dossier]} 行重复`, line, 'A');
    rowOf[dossier] = line;
    const declared: Record<string, FactValue> = {};
    for (let c = 1; c < cells.length; c++) {
      const text = cells[c] ?? '';
      if (text === '') continue;
      const fact = columns[c];
      if (!fact) throw new FactsSheetError(`事实表第 ${line} 行第 ${columnName(c)} 列：这一列没有表头，填写的“${text.slice(0, 40)}”无法对应到事实`, line, columnName(c));
      const value = cellValue(fact, text);
      if (value === undefined) {
        throw new FactsSheetError(`事实表第 ${line} 行第 ${columnName(c)} 列（${fact.label}）：应填${allowedText(fact)}，收到“${text.slice(0, 40)}”`, line, columnName(c));
      }
      declared[fact.name] = value;
    }
    out[dossier] = declared;
  }
  return out;
}

/** The sheet as rows of display text; dates written the ISO way. */
function readGrid(bytes: Buffer): string[][] {
  const isZip = bytes.subarray(0, 4).equals(Buffer.from('504b0304', 'hex'));
  const isOle = bytes.subarray(0, 8).equals(Buffer.from('d0cf11e0a1b11ae1', 'hex'));
  let workbook: XLSX.WorkBook;
  try {
    workbook = isZip || isOle ? XLSX.read(bytes, { type: 'buffer', cellDates: true, cellFormula: false, sheetRows: FACTS_SHEET_LIMITS.rows + 2 }) : XLSX.read(decodeText(bytes), { type: 'string', raw: true, sheetRows: FACTS_SHEET_LIMITS.rows + 2 });
  } catch {
    throw new FactsSheetError('无法读取事实表：请上传下载的模板（.xlsx 或 .csv）填好后的文件');
  }
  const sheet = workbook.Sheets['项目事实'] ?? workbook.Sheets[workbook.SheetNames[0] ?? ''];
  if (!sheet || !sheet['!ref']) throw new FactsSheetError('事实表中没有内容');
  const range = XLSX.utils.decode_range(sheet['!ref']);
  if (range.e.r + 1 > FACTS_SHEET_LIMITS.rows + 2) throw new FactsSheetError(`事实表超过 ${FACTS_SHEET_LIMITS.rows} 行`);
  const grid: string[][] = [];
  for (let r = 0; r <= range.e.r; r++) {
    const row: string[] = [];
    for (let c = 0; c <= Math.min(range.e.c, FACTS_SHEET_LIMITS.columns); c++) {
      const cell = sheet[XLSX.utils.encode_cell({ r, c })] as XLSX.CellObject | undefined;
      row.push(cellText(cell));
    }
    while (row.length > 0 && row.at(-1) === '') row.pop();
    grid.push(row);
  }
  return grid;
}

function cellText(cell: XLSX.CellObject | undefined): string {
  if (!cell || cell.v === undefined || cell.v === null) return '';
  if (cell.v instanceof Date) {
    // SheetJS gives dates at local midnight of the cell's day; the day is what the officer typed.
    const d = cell.v;
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  }
  if (typeof cell.v === 'boolean') return cell.v ? '是' : '否';
  return String(cell.v).normalize('NFC').trim();
}

/** UTF-8 (with or without a BOM) when the bytes are valid UTF-8, else GB18030, which Excel on Chinese Windows writes. */
function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return iconv.decode(bytes, 'gb18030');
  }
}

const TRUE_WORDS = ['是', '有', '√', 'true', 'yes', 'y', '1'];
const FALSE_WORDS = ['否', '无', '×', 'false', 'no', 'n', '0'];

/** A cell as the fact's value, or undefined when it does not fit the fact. */
function cellValue(fact: FormFact, text: string): FactValue | undefined {
  const choice = (t: string) => fact.values?.find((v) => v.label === t || v.value === t)?.value;
  switch (fact.type) {
    case 'boolean': {
      const t = text.toLowerCase();
      return TRUE_WORDS.includes(t) ? true : FALSE_WORDS.includes(t) ? false : undefined;
    }
    case 'number':
    case 'integer': {
      const cleaned = text.replace(/[,，\s]/g, '').replace(/万元$|万$|年$/, '');
      if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return undefined;
      const n = Number(cleaned);
      return fact.type === 'integer' && !Number.isInteger(n) ? undefined : n;
    }
    case 'date': {
      const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text);
      if (!m) return undefined;
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const date = new Date(Date.UTC(y, mo - 1, d));
      if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
      return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    }
    case 'enum':
      return choice(text);
    case 'set': {
      const parts = text.split(/[、,，;；]/).map((p) => p.trim()).filter(Boolean);
      const values = parts.map(choice);
      return values.every((v): v is string => v !== undefined) ? [...new Set(values)] : undefined;
    }
    default:
      return text;
  }
}

/** A dossier name as the sheet may carry it: as uploaded, and without the archive's extension. */
function nameKeys(name: string): string[] {
  const n = name.normalize('NFC').trim();
  const bare = n.replace(/\.(zip|rar|7z)$/i, '');
  return bare === n ? [n] : [n, bare];
}

/** 0 → A, 25 → Z, 26 → AA: the column as the spreadsheet labels it. */
function columnName(index: number): string {
  return XLSX.utils.encode_col(index);
}
