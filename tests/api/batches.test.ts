import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeZip } from '../helpers/zip-writer.ts';
import { bearer, multipart, startTestApi, textDossierZip, type TestApi } from './harness.ts';

let api: TestApi;
let officer: string;

beforeAll(async () => {
  api = await startTestApi();
  officer = await api.token('officer', { jurisdiction: 'municipal-template' });
});
afterAll(async () => api.close());

async function uploadBatch(files: Array<{ filename: string; content: Buffer }>) {
  const body = multipart({ city: 'municipal-template', stage: 'filing' }, files);
  const response = await api.app.inject({ method: 'POST', url: '/api/v1/batches', headers: { ...bearer(officer), ...body.headers }, payload: body.payload });
  expect(response.statusCode, response.body).toBe(202);
  await api.processor.idle();
  return (await api.app.inject({ url: `/api/v1/batches/${response.json().id}`, headers: bearer(officer) })).json();
}

const complete = () =>
  writeZip([
    { name: '项目立项申报表.txt', data: '项目立项申报表\n项目名称：青禾市数字城管平台建设项目\n', utf8Flag: true },
    { name: '可行性研究报告.txt', data: '青禾市数字城管平台建设项目可行性研究报告\n第一章 概述\n', utf8Flag: true },
    { name: '需求分析报告.txt', data: '青禾市数字城管平台建设项目需求分析报告\n一、业务需求\n', utf8Flag: true },
  ]);

describe('when several archives are uploaded', () => {
  let batch: { id: string; status: string; total: number; finished: number; layout: string; rows: Array<{ dossier: string; complete: boolean; missing: string[]; status: string; dossierId: string }> };

  beforeAll(async () => {
    batch = await uploadBatch([
      { filename: '甲项目.zip', content: textDossierZip() },
      { filename: '乙项目.zip', content: complete() },
      { filename: '丙项目.zip', content: Buffer.from('not a zip at all') },
    ]);
  });

  it('checks each as its own dossier and finishes the batch', () => {
    expect(batch.layout).toBe('archives');
    expect(batch.total).toBe(3);
    expect(batch.finished).toBe(3);
    expect(batch.status).toBe('done');
  });

  it('sorts the table for review: failures first, then incomplete, then complete', () => {
    expect(batch.rows.map((r) => r.dossier)).toEqual(['丙项目.zip', '甲项目.zip', '乙项目.zip']);
    expect(batch.rows[1]!.missing).toEqual(['MT-F03 项目需求分析报告']);
  });

  it('exports the table as CSV that Excel opens', async () => {
    const response = await api.app.inject({ url: `/api/v1/batches/${batch.id}?format=csv`, headers: bearer(officer) });
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toContain('attachment');
    const [title, header] = response.body.split('\r\n');
    // a title row: city, stage and the date in Beijing time
    expect(title).toMatch(/^\uFEFF"材料预审汇总｜市级范本（电子政务建设流程）｜立项申报｜\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（北京时间）"$/);
    expect(header!.startsWith('"序号","材料包"')).toBe(true);
    // absolute links, from the address the request came to when no public URL is configured
    expect(response.body).toContain(`"http://localhost:80/api/v1/dossiers/${batch.rows[1]!.dossierId}/report.html"`);
  });

  it('exports the table as XLSX, by Accept as well as by ?format', async () => {
    const response = await api.app.inject({ url: `/api/v1/batches/${batch.id}`, headers: { ...bearer(officer), accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } });
    expect(response.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('预审汇总')!;
    expect(String(sheet.getRow(1).getCell(1).value)).toMatch(/^材料预审汇总｜市级范本（电子政务建设流程）｜立项申报｜\d{4}年/);
    expect(sheet.getRow(2).getCell(2).value).toBe('材料包');
    expect(sheet.rowCount).toBe(5);
    // printed for the meeting: A4 landscape, one page wide, the header row repeated on every page
    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, printTitlesRow: '2:2' });
    expect(sheet.getColumn(7).alignment?.wrapText).toBe(true);
    const link = sheet.getRow(4).getCell(11).value as { hyperlink: string };
    expect(link.hyperlink).toMatch(/^http:\/\/localhost:80\/api\/v1\/dossiers\/d_[\w-]+\/report\.html$/);
  });

  it('lets each dossier of the batch open on its own', async () => {
    const report = await api.app.inject({ url: `/api/v1/dossiers/${batch.rows[2]!.dossierId}/report`, headers: bearer(officer) });
    expect(report.json().complete).toBe(true);
  });
});

describe('when one zip of zips is uploaded', () => {
  it('splits it into one dossier per inner zip', async () => {
    const outer = writeZip([
      { name: '批次/甲.zip', data: textDossierZip(), method: 'store', utf8Flag: true },
      { name: '批次/乙.zip', data: complete(), method: 'store', utf8Flag: true },
      { name: '__MACOSX/批次/._甲.zip', data: 'junk', utf8Flag: true },
    ]);
    const batch = await uploadBatch([{ filename: '全部材料.zip', content: outer }]);
    expect(batch.layout).toBe('zips');
    expect(batch.rows.map((r: { dossier: string }) => r.dossier).sort()).toEqual(['乙.zip', '甲.zip']);
    expect(batch.rows.every((r: { status: string }) => r.status === 'done')).toBe(true);
  });
});

describe('when one zip of folders is uploaded', () => {
  it('makes each top-level folder a dossier', async () => {
    const outer = writeZip([
      { name: '甲项目/项目立项申报表.txt', data: '项目立项申报表\n项目名称：甲\n', utf8Flag: true },
      { name: '乙项目/项目立项申报表.txt', data: '项目立项申报表\n项目名称：乙\n', utf8Flag: true },
      { name: '乙项目/可行性研究报告.txt', data: '可行性研究报告\n第一章\n', utf8Flag: true },
    ]);
    const batch = await uploadBatch([{ filename: '两个项目.zip', content: outer }]);
    expect(batch.layout).toBe('folders');
    expect(batch.rows.map((r: { dossier: string }) => r.dossier).sort()).toEqual(['乙项目', '甲项目']);
  });
});

describe('when the one zip is an ordinary dossier', () => {
  it('is a batch of one', async () => {
    const batch = await uploadBatch([{ filename: '单个项目.zip', content: textDossierZip() }]);
    expect(batch.layout).toBe('archives');
    expect(batch.total).toBe(1);
  });
});

describe('when a facts sheet comes with the batch', () => {
  async function post(sheet: { filename: string; content: Buffer | string }) {
    const body = multipart({ city: 'municipal-template', stage: 'filing' }, [
      { filename: '甲项目.zip', content: textDossierZip() },
      { filename: '乙项目.zip', content: textDossierZip() },
      { name: 'factsSheet', ...sheet },
    ]);
    return api.app.inject({ method: 'POST', url: '/api/v1/batches', headers: { ...bearer(officer), ...body.headers }, payload: body.payload });
  }

  it('offers a template naming the archives about to be uploaded and the facts the city asks', async () => {
    const response = await api.app.inject({ url: '/api/v1/checklists/municipal-template/facts-sheet?stage=filing&format=csv&dossier=甲项目.zip&dossier=乙项目.zip', headers: bearer(officer) });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.body.split('\r\n').slice(0, 4)).toEqual(['\uFEFF"材料包","申报步骤"', '"dossier","filingStep"', '"甲项目.zip",""', '"乙项目.zip",""']);
    const xlsx = await api.app.inject({ url: '/api/v1/checklists/municipal-template/facts-sheet?stage=filing', headers: bearer(officer) });
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
  });

  it('checks every dossier with the facts of its own row', async () => {
    const response = await post({ filename: '事实表.csv', content: '材料包,申报步骤\ndossier,filingStep\n甲项目.zip,立项审批\n乙项目,计划申报\n' });
    expect(response.statusCode, response.body).toBe(202);
    await api.processor.idle();
    const batch = (await api.app.inject({ url: `/api/v1/batches/${response.json().id}`, headers: bearer(officer) })).json();
    const step = async (name: string) => {
      const row = batch.rows.find((r: { dossier: string }) => r.dossier === name);
      const report = (await api.app.inject({ url: `/api/v1/dossiers/${row.dossierId}/report`, headers: bearer(officer) })).json();
      return report.facts.filingStep?.value;
    };
    expect(await step('甲项目.zip')).toBe('approval');
    expect(await step('乙项目.zip')).toBe('plan');
    // the batch's own template lists its dossiers
    const template = await api.app.inject({ url: `${batch.links.factsSheet}?format=csv`, headers: bearer(officer) });
    expect(template.body).toContain('"甲项目.zip"');
  });

  it('refuses a sheet with a wrong value, naming its row and column', async () => {
    const response = await post({ filename: '事实表.csv', content: '材料包,申报步骤\n甲项目.zip,立项审批\n乙项目.zip,明年再说\n' });
    expect(response.statusCode).toBe(400);
    const error = response.json().error;
    expect(error.code).toBe('FACTS_SHEET_INVALID');
    expect(error.message).toBe('项目事实表无法读取或填写有误：事实表第 3 行第 B 列（申报步骤）：应填其中之一：计划申报、立项审批，收到“明年再说”');
    expect([error.row, error.column]).toEqual([3, 'B']);
  });

  it('refuses a row for a dossier that is not in the batch', async () => {
    const response = await post({ filename: '事实表.csv', content: '材料包,申报步骤\n丙项目.zip,立项审批\n' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.detail).toContain('第 2 行第 A 列：材料包“丙项目.zip”不在本批次中');
  });
});

describe('when a dossier of the batch seems to belong to another city', () => {
  it('flags its row and its report instead of checking it silently against the chosen city’s regulation', async () => {
    const otherCity = writeZip([
      { name: '项目立项申报表.txt', data: '项目立项申报表\n项目名称：武陵区数字档案馆建设项目\n建设单位：常德市档案馆\n', utf8Flag: true },
      { name: '可研批复.txt', data: '常德市发展和改革委员会\n关于武陵区数字档案馆建设项目可行性研究报告的批复\n', utf8Flag: true },
    ]);
    const batch = await uploadBatch([
      { filename: '甲项目.zip', content: textDossierZip() },
      { filename: '常德的项目.zip', content: otherCity },
    ]);
    const flagged = batch.rows.find((r: { dossier: string }) => r.dossier === '常德的项目.zip');
    expect(flagged.cityMismatch).toBe('需确认：材料似乎属于常德市');
    expect(batch.rows.find((r: { dossier: string }) => r.dossier === '甲项目.zip').cityMismatch).toBeUndefined();
    // flagged rows come right after failures: their result may be against the wrong regulation
    expect(batch.rows[0].dossier).toBe('常德的项目.zip');
    const report = (await api.app.inject({ url: `/api/v1/dossiers/${flagged.dossierId}/report`, headers: bearer(officer) })).json();
    expect(report.cityMismatch).toMatchObject({ city: 'changde', cityName: '常德市' });
    expect(report.cityMismatch.evidence[0]).toMatchObject({ path: '可研批复.txt', hint: '常德市发展和改革委员会' });
    const html = await api.app.inject({ url: `/api/v1/dossiers/${flagged.dossierId}/report?format=html`, headers: bearer(officer) });
    expect(html.body).toContain('data-testid="city-mismatch"><strong>需确认：材料似乎属于常德市，而本次按市级范本');
    const csv = await api.app.inject({ url: `/api/v1/batches/${batch.id}?format=csv`, headers: bearer(officer) });
    expect(csv.body).toContain('需确认：材料似乎属于常德市；');
  });
});
