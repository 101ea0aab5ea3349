import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { loadChecklist } from '../../checklists/load.ts';
import { factsSheetCsv, factsSheetXlsx, FactsSheetError, readFactsSheet } from '../../pipeline/facts-sheet.ts';

const yiyang = loadChecklist('yiyang');
const DOSSIERS = ['甲项目.zip', '乙项目.zip', '丙项目'];

async function filledXlsx(fill: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const workbook = await factsSheetXlsx(yiyang, 'acceptance', DOSSIERS, '项目事实表');
  fill(workbook.getWorksheet('项目事实')!);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The column letter of a fact in the template, found by its id in row 2. */
function columnOf(sheet: ExcelJS.Worksheet, id: string): string {
  let letter = '';
  sheet.getRow(2).eachCell((cell, n) => {
    if (cell.value === id) letter = sheet.getColumn(n).letter;
  });
  expect(letter, id).not.toBe('');
  return letter;
}

function sheetError(run: () => unknown): FactsSheetError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FactsSheetError);
    return error as FactsSheetError;
  }
  throw new Error('no error');
}

describe('the facts sheet template of a batch', () => {
  it('lists every dossier of the batch and every fact the city asks at that stage, labels in Chinese and ids in row 2', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await (await factsSheetXlsx(yiyang, 'acceptance', DOSSIERS, '项目事实表')).xlsx.writeBuffer()) as ArrayBuffer);
    const sheet = workbook.getWorksheet('项目事实')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('材料包');
    expect(sheet.getRow(1).getCell(2).value).toBe('项目总投资（万元）');
    expect(sheet.getRow(2).getCell(2).value).toBe('totalInvestmentWan');
    expect(sheet.getRow(2).font?.size).toBeLessThan(10);
    expect([3, 4, 5].map((r) => sheet.getRow(r).getCell(1).value)).toEqual(DOSSIERS);
    const ids = (sheet.getRow(2).values as unknown[]).slice(2);
    expect(ids).toEqual(expect.arrayContaining(['requiresCrypto', 'classified', 'fundingSources']));
    expect(ids).not.toContain('stage');
    // a 是/否 column offers exactly those two choices
    expect(sheet.getCell(`${columnOf(sheet, 'classified')}3`).dataValidation?.formulae).toEqual(['"是,否"']);
    expect(workbook.getWorksheet('填写说明')!.getRow(1).getCell(1).value).toBe('项目事实表');
  });

  it('as CSV has a BOM, the labels and the ids', () => {
    const csv = factsSheetCsv(loadChecklist('municipal-template'), 'filing', ['甲.zip']);
    expect(csv.split('\r\n').slice(0, 3)).toEqual(['\uFEFF"材料包","申报步骤"', '"dossier","filingStep"', '"甲.zip",""']);
  });
});

describe('when a filled facts sheet is read', () => {
  it('gives each dossier the facts of its own row, by label or value, and leaves empty cells undeclared', async () => {
    const bytes = await filledXlsx((sheet) => {
      sheet.getCell(`${columnOf(sheet, 'totalInvestmentWan')}3`).value = 320;
      sheet.getCell(`${columnOf(sheet, 'classified')}3`).value = '是';
      sheet.getCell(`${columnOf(sheet, 'fundingSources')}3`).value = '银行贷款、自筹（自有）资金';
      sheet.getCell(`${columnOf(sheet, 'classified')}4`).value = '否';
      sheet.getCell(`${columnOf(sheet, 'totalInvestmentWan')}4`).value = '1,200万元';
    });
    const facts = readFactsSheet(bytes, yiyang, 'acceptance', DOSSIERS);
    // choices typed by their labels become their values
    expect(facts['甲项目.zip']).toEqual({ totalInvestmentWan: 320, classified: true, fundingSources: ['bank_loan', 'self_raised'] });
    expect(facts['乙项目.zip']).toEqual({ classified: false, totalInvestmentWan: 1200 });
    expect(facts['丙项目']).toEqual({});
  });

  it('reads a CSV saved by Excel on Chinese Windows (GBK, rows named without .zip, the id row deleted)', () => {
    const text = ['材料包,项目总投资（万元）,涉密项目', '甲项目,80,否', '丙项目,,是'].join('\r\n');
    const facts = readFactsSheet(iconv.encode(text, 'gb18030'), yiyang, 'acceptance', DOSSIERS);
    expect(facts).toEqual({ '甲项目.zip': { totalInvestmentWan: 80, classified: false }, 丙项目: { classified: true } });
  });

  it('names the row, the column and the fact of a value that does not fit', async () => {
    const bytes = await filledXlsx((sheet) => {
      sheet.getCell(`${columnOf(sheet, 'classified')}4`).value = '也许';
    });
    const error = sheetError(() => readFactsSheet(bytes, yiyang, 'acceptance', DOSSIERS));
    expect(error.row).toBe(4);
    expect(error.message).toMatch(/^事实表第 4 行第 [A-Z]+ 列（涉密项目）：应填是 \/ 否，收到“也许”$/);
  });

  it('names a row whose dossier is not in the batch', () => {
    const csv = factsSheetCsv(yiyang, 'acceptance', ['甲项目.zip', '丁项目.zip']);
    const error = sheetError(() => readFactsSheet(Buffer.from(csv), yiyang, 'acceptance', DOSSIERS));
    expect(error.message).toBe('事实表第 4 行第 A 列：材料包“丁项目.zip”不在本批次中（本批次：甲项目.zip、乙项目.zip、丙项目）');
    expect([error.row, error.column]).toEqual([4, 'A']);
  });

  it('refuses a column that this city does not ask, and the same dossier twice', () => {
    const unknown = sheetError(() => readFactsSheet(Buffer.from('材料包,项目负责人\n甲项目,张三\n'), yiyang, 'acceptance', DOSSIERS));
    expect(unknown.message).toBe('事实表第 1 行第 B 列：表头“项目负责人”不是益阳市本阶段要填写的事实，请重新下载模板');
    const twice = sheetError(() => readFactsSheet(Buffer.from('材料包,涉密项目\n甲项目,是\n甲项目.zip,否\n'), yiyang, 'acceptance', DOSSIERS));
    expect(twice.message).toBe('事实表第 3 行第 A 列：材料包“甲项目.zip”与第 2 行重复');
  });

  it('refuses a file that is not a sheet at all, in Chinese', () => {
    expect(sheetError(() => readFactsSheet(Buffer.from('PK\u0003\u0004garbage'), yiyang, 'acceptance', DOSSIERS)).message).toMatch(/^无法读取事实表/);
    expect(sheetError(() => readFactsSheet(Buffer.alloc(0), yiyang, 'acceptance', DOSSIERS)).message).toBe('事实表是空文件');
  });
});
