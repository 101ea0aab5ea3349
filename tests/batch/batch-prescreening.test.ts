import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcrPool } from '../../extractors/ocr/index.ts';
import { runBatch, type BatchSummary } from '../../pipeline/batch.ts';
import { sharedPath } from '../helpers/shared-data.ts';

const ocr = createOcrPool({ size: 2 });
afterAll(() => ocr.close());

describe('when an officer pre-screens a folder of dossiers before a review meeting', () => {
  let summary: BatchSummary;
  let out: string;
  let progress: number[] = [];

  beforeAll(async () => {
    const folder = await mkdtemp(join(tmpdir(), 'batch-in-'));
    out = await mkdtemp(join(tmpdir(), 'batch-out-'));
    await copyFile(sharedPath('samples', 'dossiers', 'sample-05-mt-filing', 'dossier.zip'), join(folder, '青禾市甲项目.zip'));
    await copyFile(sharedPath('samples', 'dossiers', 'sample-05-mt-filing', 'dossier.zip'), join(folder, '青禾市乙项目.zip'));
    await writeFile(join(folder, '损坏的材料包.zip'), Buffer.from('PK\u0003\u0004 this is not really a zip'));
    await mkdir(join(folder, '.hidden'));
    progress = [];
    summary = await runBatch({
      folder,
      checklist: 'municipal-template',
      stage: 'filing',
      facts: { filingStep: 'approval' },
      outDir: out,
      ocr,
      concurrency: 2,
      onProgress: (e) => {
        if (e.stage === 'dossier-done') progress.push(e.done);
      },
    });
  });

  it('checks every archive, and a corrupt one becomes a row that says why instead of stopping the batch', () => {
    expect(summary.rows).toHaveLength(3);
    const broken = summary.rows.find((r) => r.dossier === '损坏的材料包.zip');
    expect(broken?.failure).toMatch(/损坏|不完整|无法/);
    expect(progress).toEqual([1, 2, 3]);
  });

  it('sorts for the meeting: failures first, then incomplete dossiers with what is missing', () => {
    expect(summary.rows[0]!.dossier).toBe('损坏的材料包.zip');
    const checked = summary.rows.slice(1);
    for (const row of checked) {
      expect(row.complete).toBe(false);
      expect(row.missing.join()).toContain('MT-F03');
      expect(row.projectName).toContain('青禾市');
    }
  });

  it('writes each report and the summary as HTML, CSV (with a BOM for Excel) and XLSX with the same rows, each under a title row', async () => {
    const csv = await readFile(join(out, 'summary.csv'), 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^\uFEFF?"材料预审汇总｜市级范本（电子政务建设流程）｜立项申报｜\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（北京时间）"$/);
    expect(lines[1]).toContain('项目名称');
    // the report links are absolute file: URLs, which open from wherever the table is copied on this machine
    expect(lines[3]).toMatch(/"file:\/\/\/[^"]+\/report\.html"$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(out, 'summary.xlsx'));
    const sheet = workbook.getWorksheet('预审汇总')!;
    expect(sheet.rowCount).toBe(5);
    expect(String(sheet.getRow(3).getCell(2).value)).toBe('损坏的材料包.zip');
    expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9, printTitlesRow: '2:2' });
    const html = await readFile(join(out, 'summary.html'), 'utf8');
    expect(html).toContain('<h1>材料预审汇总｜市级范本');
    expect(html).toContain('共 3 份');
    const report = JSON.parse(await readFile(join(summary.rows[1]!.reportDir, 'report.json'), 'utf8'));
    expect(report.city).toBe('municipal-template');
  });
});
