import type ExcelJS from 'exceljs';

/**
 * exceljs, loaded by the first workbook a process writes: it takes about 0.3 s to load, and most processes (a check,
 * a worker, `dossier --help`) never write one.
 */
let excelModule: Promise<typeof ExcelJS> | undefined;

export function loadExcelJS(): Promise<typeof ExcelJS> {
  return (excelModule ??= import('exceljs').then((m) => m.default));
}
