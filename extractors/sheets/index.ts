// SheetJS, in its maintained build republished as @e965/xlsx (0.20.x): the one well-kept pure-JS reader of BIFF8 .xls
// and WPS .et as well as .xlsx, with number formats applied as Excel displays them; the `xlsx` 0.18.5 on the public
// registry is unmaintained and carries CVE-2023-30533 and CVE-2024-22363, both fixed in 0.20.x.
import * as XLSX from '@e965/xlsx';
import yauzl from 'yauzl';
import type { ExtractedDocument, Extractor, FileFinding, Page } from '../model.ts';
import { normalizeText } from '../normalize.ts';
import { encryptedOfficeResult, isEncryptedOfficePackage, isOleCompoundFile } from '../unsupported.ts';
import { SHEET_EXTRACTOR_VERSION } from '../versions.ts';

/**
 * Excel 5/95 workbooks and some BIFF8 metadata are in the ANSI code page (936 on Chinese Windows). The code-page
 * tables take 80–330 ms to load, and every reader process loads this module, so they come only with the first
 * compound-file workbook.
 */
let codepages: Promise<void> | undefined;
function loadCodepages(): Promise<void> {
  codepages ??= import('@e965/xlsx/dist/cpexcel.full.mjs').then((tables) => XLSX.set_cptable(tables));
  return codepages;
}

export { SHEET_EXTRACTOR_VERSION };

/**
 * A sheet becomes pages of this many sheet rows: rows 1–200 are the first page, 201–400 the second, and so on, so a
 * page break always falls after a row number divisible by 200, and the page's first line names the rows it covers
 * (“（第 201–400 行）”, up to the last row with content) whenever the sheet spans more than one page. Bounded pages keep one page's text (and the field
 * rules that look a few dozen lines below a table header) to a readable size; a range of rows with no content makes
 * no page.
 */
export const ROWS_PER_PAGE = 200;

const MAX_ALIGNED_COLUMNS = 512;

/** The separator between cells of one row, the same as the DOCX and .doc readers write for table cells. */
export const CELL_SEPARATOR = ' | ';

const MESSAGES = {
  notSpreadsheet: '无法读取表格：文件既不是 Excel 97–2003（.xls、WPS .et）也不是 .xlsx 格式，可能是其他格式改了扩展名',
  noWorkbook: '无法读取表格：文件中没有 Excel 工作簿数据（可能是早期 WPS 表格专有格式），请另存为 .xlsx 或 PDF 后重新上传',
  corrupt: '无法读取表格：文件已损坏或格式异常，请重新导出后提交',
  tooLarge: '无法读取表格：文件解压后超过 512 MB，疑似异常文件',
  empty: '表格中没有内容',
} as const;

const ZIP_MAGIC = Buffer.from('504b0304', 'hex');
/**
 * SheetJS inflates every part of an .xlsx in memory before parsing; the declared sizes are checked first so a
 * decompression bomb is refused with a message instead of running the reader process out of memory. (A size that
 * lies is still caught by the reader process's memory limit.)
 */
const MAX_UNPACKED_BYTES = 512 * 1024 * 1024;
const WORKBOOK_STREAM = Buffer.from('Workbook', 'utf16le');
const BOOK_STREAM = Buffer.from('Book', 'utf16le');

function result(status: ExtractedDocument['status'], pages: Page[], extra: { message?: string; meta?: Partial<ExtractedDocument['meta']>; findings?: FileFinding[] } = {}): ExtractedDocument {
  return {
    status,
    ...(extra.message ? { message: extra.message } : {}),
    pages,
    meta: { ...extra.meta, pageCount: pages.length, ocrPages: 0 },
    findings: extra.findings ?? [],
    extractorVersion: SHEET_EXTRACTOR_VERSION,
  };
}

/**
 * Spreadsheets: .xlsx/.xlsm (and WPS 表格 saved as .xlsx or .et-in-OOXML), legacy .xls (BIFF8, BIFF5) and WPS .et,
 * which WPS writes as BIFF8 with an extra ETExtData stream. Every sheet, hidden ones too, becomes pages of text:
 * a first line naming the sheet (“工作表：名称”, with “（隐藏）” for a hidden sheet and the row range when the sheet
 * spans several pages), then one line per non-empty row with cells joined by “ | ”. Formulas are never evaluated:
 * the value Excel or WPS cached when saving is shown. A merged range shows its value once, in its first cell.
 */
export const extractSpreadsheet: Extractor = async (input, ctx) => {
  const { bytes } = input;
  if (isEncryptedOfficePackage(bytes)) return encryptedOfficeResult();
  const isOle = isOleCompoundFile(bytes);
  if (!isOle && !bytes.subarray(0, 4).equals(ZIP_MAGIC)) return result('unreadable', [], { message: MESSAGES.notSpreadsheet });
  if (isOle && !bytes.includes(WORKBOOK_STREAM) && !bytes.includes(BOOK_STREAM)) return result('unsupported', [], { message: MESSAGES.noWorkbook });

  if (!isOle && (await declaredUnpackedBytes(bytes)) > MAX_UNPACKED_BYTES) return result('unreadable', [], { message: MESSAGES.tooLarge });

  if (isOle) await loadCodepages();

  const maxRows = ctx.limits.maxPagesPerDocument * ROWS_PER_PAGE;
  let workbook: XLSX.WorkBook;
  try {
    workbook = XLSX.read(bytes, {
      type: 'buffer',
      dense: true,
      // The number format (z) tells dates from numbers. The displayed text is formatted here, only for numbers with
      // a format other than General: SheetJS formatting every cell up front took ~40 % of the read time.
      cellNF: true,
      cellText: false,
      cellDates: false,
      cellFormula: false,
      cellHTML: false,
      cellStyles: false,
      bookVBA: false,
      sheetRows: maxRows,
    });
  } catch (error) {
    // A legacy workbook with an open password keeps its directory and streams in the clear (a FilePass record
    // starts the Workbook stream), so only the parser can tell.
    if (error instanceof Error && /password-protected/i.test(error.message)) return encryptedOfficeResult();
    return result('unreadable', [], { message: MESSAGES.corrupt });
  }

  const date1904 = Boolean(workbook.Workbook?.WBProps?.date1904);
  const pages: Page[] = [];
  const findings: FileFinding[] = [];
  let droppedPages = 0;
  workbook.SheetNames.forEach((name, index) => {
    const sheet = workbook.Sheets[name];
    if (!sheet) return;
    const hidden = Boolean(workbook.Workbook?.Sheets?.[index]?.Hidden);
    for (const text of sheetPages(sheet, name, hidden, date1904)) {
      if (pages.length >= ctx.limits.maxPagesPerDocument) {
        droppedPages += 1;
        continue;
      }
      pages.push({ n: pages.length + 1, text, source: 'text-layer' });
      ctx.onPage?.({ page: pages.length, pageCount: pages.length, source: 'text-layer' });
    }
  });
  if (droppedPages > 0) {
    findings.push({
      code: 'page-limit',
      severity: 'warning',
      message: `表格按每 ${ROWS_PER_PAGE} 行一页共 ${pages.length + droppedPages} 页，超过单个文件 ${ctx.limits.maxPagesPerDocument} 页的上限，其余 ${droppedPages} 页未读取`,
      path: input.path,
    });
  }
  const meta = metaOf(workbook);
  if (pages.length === 0) return result('empty', [], { message: MESSAGES.empty, meta });
  return result('ok', pages, { meta, findings });
};

/** The sum of the sizes a zip's central directory declares; 0 when there is no readable directory (SheetJS decides). */
async function declaredUnpackedBytes(bytes: Buffer): Promise<number> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, validateEntrySizes: false });
  } catch {
    return 0;
  }
  let total = 0;
  try {
    for await (const entry of zip.eachEntry()) total += entry.uncompressedSize;
  } catch {
    // A directory that breaks part-way: what was counted stands.
  } finally {
    zip.close();
  }
  return total;
}

function metaOf(workbook: XLSX.WorkBook): Partial<ExtractedDocument['meta']> {
  const props = workbook.Props;
  const clean = (value: unknown) => (typeof value === 'string' && value.trim() ? normalizeText(value) : undefined);
  const title = clean(props?.Title);
  const creator = clean(props?.Author);
  const producer = clean(props?.Application);
  return { ...(title ? { title } : {}), ...(creator ? { creator } : {}), ...(producer ? { producer } : {}) };
}

/** The pages of one sheet, already normalised. */
export function sheetPages(sheet: XLSX.WorkSheet, name: string, hidden: boolean, date1904 = false): string[] {
  const data = (sheet['!data'] ?? []) as (XLSX.CellObject | undefined)[][];
  const rows: { index: number; cells: string[] }[] = [];
  const usedColumns = new Set<number>();
  // Only the indices that exist are visited: forEach would walk every hole of a sparse array, and a cell at row
  // 99,999,999 (a damaged or crafted file) cost seconds that way.
  for (const rowKey of Object.keys(data)) {
    const index = Number(rowKey);
    const row = data[index];
    if (!Number.isInteger(index) || !row) continue;
    const cells: string[] = [];
    for (const columnKey of Object.keys(row)) {
      const column = Number(columnKey);
      const cell = row[column];
      const text = Number.isInteger(column) && cell ? cellText(cell, date1904) : '';
      if (text === '') continue;
      cells[column] = text;
      usedColumns.add(column);
    }
    if (cells.length > 0) rows.push({ index, cells });
  }
  if (rows.length === 0) return [];

  // Columns that are empty in the whole sheet (spacers, the unused part of a merged header) are left out, so that
  // they do not put empty cells between the ones that hold something.
  const columns = [...usedColumns].sort((a, b) => a - b);
  // Past a few hundred used columns, empty cells kept for alignment would make each row cost the sheet's width (a
  // crafted sheet: 16,384 columns × 400,000 rows); such a row shows its non-empty cells only.
  const keepEmptyCells = columns.length <= MAX_ALIGNED_COLUMNS;
  const byPage = new Map<number, string[]>();
  const lastRowOfPage = new Map<number, number>();
  for (const { index, cells } of rows) {
    let line: string;
    if (keepEmptyCells) {
      let last = columns.length - 1;
      while (last >= 0 && cells[columns[last]!] === undefined) last -= 1;
      line = columns.slice(0, last + 1).map((column) => cells[column] ?? '').join(CELL_SEPARATOR);
    } else {
      line = Object.values(cells).join(CELL_SEPARATOR);
    }
    const page = Math.floor(index / ROWS_PER_PAGE);
    const lines = byPage.get(page) ?? [];
    lines.push(line);
    byPage.set(page, lines);
    lastRowOfPage.set(page, index + 1);
  }
  const split = byPage.size > 1 || rows.at(-1)!.index >= ROWS_PER_PAGE;
  return [...byPage.entries()].map(([page, lines]) => {
    const from = page * ROWS_PER_PAGE + 1;
    const range = split ? `（第 ${from}–${lastRowOfPage.get(page)} 行）` : '';
    const header = `工作表：${name}${hidden ? '（隐藏）' : ''}${range}`;
    return normalizeText([header, ...lines].join('\n'));
  });
}

/** What a cell shows, on one line. */
export function cellText(cell: XLSX.CellObject, date1904 = false): string {
  let text: string;
  switch (cell.t) {
    case 'n':
      text = numberText(cell, date1904);
      break;
    case 's':
      text = String(cell.v ?? '');
      break;
    case 'b':
      text = cell.w ?? (cell.v ? 'TRUE' : 'FALSE');
      break;
    case 'e':
      text = cell.w ?? (typeof cell.v === 'number' ? ERROR_TEXT[cell.v] : undefined) ?? '#ERROR!';
      break;
    case 'd':
      text = cell.v instanceof Date ? cell.v.toISOString().slice(0, 10) : String(cell.w ?? cell.v ?? '');
      break;
    default:
      text = cell.w ?? (cell.v === undefined ? '' : String(cell.v));
  }
  // Line breaks inside a cell (Alt+Enter) would cut the row in two.
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

const GENERAL = /^general$/i;

/** Excel's error codes (BIFF8 BoolErr / OOXML t="e") as the cell shows them. */
const ERROR_TEXT: Readonly<Record<number, string>> = {
  0x00: '#NULL!',
  0x07: '#DIV/0!',
  0x0f: '#VALUE!',
  0x17: '#REF!',
  0x1d: '#NAME?',
  0x24: '#NUM!',
  0x2a: '#N/A',
  0x2b: '#GETTING_DATA',
};

function numberText(cell: XLSX.CellObject, date1904: boolean): string {
  const value = typeof cell.v === 'number' ? cell.v : Number(cell.v);
  const format = typeof cell.z === 'string' ? cell.z : undefined;
  // "General" in SheetJS abbreviates to 11 characters (1.23457E+11), as a narrow Excel column would; a reader of
  // amounts needs the digits. Other formats ("0.00", "#,##0.00 元") are shown as formatted.
  if (format === undefined || GENERAL.test(format) || !Number.isFinite(value)) return generalNumber(value);
  let shown: string | undefined;
  try {
    shown = cell.w ?? XLSX.SSF.format(format, value, { date1904 });
  } catch {
    // A format code SheetJS cannot apply: the number itself is still right.
    shown = undefined;
  }
  if (XLSX.SSF.is_date(format)) return dateText(value, shown, date1904);
  return shown ?? generalNumber(value);
}

/** 0.1 + 0.2 → "0.3", 17297479.715964000001 → "17297479.715964": 15 significant digits, as Excel stores them. */
export function generalNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = Number(value.toPrecision(15));
  if (Math.abs(rounded) >= 1e21 || (rounded !== 0 && Math.abs(rounded) < 1e-6)) return rounded.toPrecision(6);
  return String(rounded);
}

/**
 * A date cell as a date. Formats that spell the date out (yyyy"年"m"月"d"日", yyyy-mm-dd, yyyy/m/d) keep their text;
 * the locale-dependent built-in ones, which SheetJS renders the American way (5/6/24), become 2024-05-06. Pure times
 * keep their text. The serial number is decoded without time zones.
 */
function dateText(serial: number, formatted: string | undefined, date1904: boolean): string {
  const shown = formatted?.trim();
  if (shown && (/[年月]/.test(shown) || /^\d{4}[-/.]\d{1,2}/.test(shown))) return shown;
  if (serial < 1 && shown) return shown;
  const parts = XLSX.SSF.parse_date_code(serial, { date1904 });
  if (!parts) return shown ?? generalNumber(serial);
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${parts.y}-${pad(parts.m)}-${pad(parts.d)}`;
  if (parts.H === 0 && parts.M === 0 && parts.S === 0) return date;
  return `${date} ${pad(parts.H)}:${pad(parts.M)}${parts.S ? `:${pad(parts.S)}` : ''}`;
}
