import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { extractFields } from '../../extractors/fields/extract.ts';
import type { ExtractedDocument, FileKind } from '../../extractors/model.ts';
import { extractDocument } from '../../extractors/registry.ts';
import { ROWS_PER_PAGE } from '../../extractors/sheets/index.ts';
import { sniffKindOfFile } from '../../extractors/sniff.ts';
import { defaultExtractionLimits } from '../../extractors/limits.ts';
import { ESTIMATE_ITEMS, ESTIMATE_TITLE, estimateXls, estimateXlsx, featuresXls, featuresXlsx, LONG_SHEET_ROWS, passwordProtectedXls } from '../fixtures/sheets/generate.ts';
import { sharedPath } from '../helpers/shared-data.ts';
import { useScratch } from '../intake/scratch.ts';
import { contextWithoutOcr } from './context.ts';

const scratch = useScratch();

const REAL = (name: string) => sharedPath('samples', 'real', 'sheets', name);

/** Sniffs the file as intake would, then reads it through the registry. */
async function readReal(path: string, name?: string): Promise<{ kind: FileKind; doc: ExtractedDocument }> {
  const kind = await sniffKindOfFile(path, name);
  const doc = await extractDocument({ path: name ?? path, bytes: await readFile(path), kind }, contextWithoutOcr());
  return { kind, doc };
}

async function read(name: string, bytes: Buffer, kind: FileKind): Promise<ExtractedDocument> {
  return extractDocument({ path: name, bytes, kind }, contextWithoutOcr());
}

const lines = (doc: ExtractedDocument) => doc.pages.flatMap((page) => page.text.split('\n'));

describe('when the spreadsheet is a real one', () => {
  it('reads the WPS .xlsx 工程量清单 with its totals as the cells display them, split every 200 rows', async () => {
    const { kind, doc } = await readReal(REAL('zaojia_jiaoxuelou_gongchengliang_qingdan_wps.xlsx'));
    expect(kind).toBe('xlsx');
    expect(doc.status).toBe('ok');
    // A1:AA247 has content down to row 223 (the rest is formatting): rows 1–200 and 201–223.
    expect(doc.pages.map((page) => page.text.split('\n')[0])).toEqual([
      '工作表:表-08分部分项工程和单价措施项目清单-教学楼(第1–200行)',
      '工作表:表-08分部分项工程和单价措施项目清单-教学楼(第201–223行)',
    ]);
    // C167 分部分项合计, S167 = 17297479.715964 (a formula's cached result) shown in its 0.00 format.
    const total = lines(doc).find((line) => line.includes('分部分项合计'))!;
    expect(total.split('|').map((cell) => cell.trim()).filter(Boolean).slice(0, 2)).toEqual(['分部分项合计', '17297479.72']);
    expect(doc.pages.map((page) => page.text).join('\n')).not.toContain('17297479.715964');
    // The title merged over A1:Y1 appears once; B7/C7/E7/F7 of the first item stay in separate cells.
    expect(lines(doc).filter((line) => line.includes('工程量偏差或漏项对比表'))).toEqual(['工程量偏差或漏项对比表']);
    expect(lines(doc)).toContain('工程名称:教学楼');
    expect(lines(doc).find((line) => line.includes('平整场地'))).toMatch(/^1 \| 010101001001 \| 平整场地 \| 1\.平整场地 \| m2 \| 1860\.25 \| /);
    expect(doc.meta.producer).toBe('WPS 表格');
  });

  it('reads the WPS .et as the BIFF8 workbook it is, header row cell by cell', async () => {
    const { kind, doc } = await readReal(REAL('pythonproject_ceshi_yongli_wps.et'));
    expect(kind).toBe('xls');
    expect(doc.status).toBe('ok');
    expect(doc.pages).toHaveLength(1);
    expect(doc.pages[0]!.text.split('\n').slice(0, 2)).toEqual([
      '工作表:测试用例',
      '应用系统简称 | 测试用例编号* | 关联需求ID | 用例描述 | 用例优先级 | 交易类型 | 测试阶段 | 测试类型 | 用例属性 | 资产标签 | 前置条件 | 步骤 | 预期结果 | ATP编号 | ATP执行方式 | 设计者',
    ]);
    // The multi-line 步骤 cell stays inside its row.
    expect(doc.pages[0]!.text.split('\n')).toHaveLength(3);
    expect(doc.pages[0]!.text.split('\n')[2]).toMatch(/^RDM \| 2 \| .*效验迁移过程 \| 高 \| 批量 \| 系统测试 .*\| fangzheng$/);
  });

  it('reads the Excel .xls 成本核算表: the merged title once, 交趾黄檀 at 200000, one page per non-empty sheet', async () => {
    const { kind, doc } = await readReal(REAL('xiangning_chengben_hesuan_excel.xls'));
    expect(kind).toBe('xls');
    expect(doc.pages.map((page) => page.text.split('\n')[0])).toEqual(['工作表:柜类产品', '工作表:其他类产品']);
    const first = doc.pages[0]!.text.split('\n');
    expect(first[1]).toBe('成本核算表--柜类产品');
    expect(first[2]).toBe('材质 | 净材积 | 出材率 | 比重 | 单价 | 材料 | 人工 | 纯成本 | 出厂价 | 出厂价 | 标签价');
    // Formulas whose cached result is 0 show 0 (净材积 is blank); nothing is recalculated.
    expect(first[3]).toBe('交趾黄檀 | | 0.4 | 1.2 | 200000 | 0 | | 0 | 0 | 0 | 0');
  });

  it('reads the WPS .xls 材料清单 with its 总参考价 of 70.8', async () => {
    const { kind, doc } = await readReal(REAL('wificar_cailiao_qingdan_wps.xls'));
    expect(kind).toBe('xls');
    const page = doc.pages[0]!.text.split('\n');
    expect(page[1]).toBe('材料名称 | 类型 | 数量 | 单价 | 总价 | 链接 | 备注');
    expect(page).toContain('总参考价: | | | | 70.8');
    expect(page.find((line) => line.startsWith('舵机 | 360'))).toMatch(/ \| 2 \| 8 \| 16 \| /);
  });
});

describe('when a 投资概算表 reaches the amount rules', () => {
  it.each([
    ['投资概算表.xlsx', 'xlsx', estimateXlsx],
    ['投资概算表.xls', 'xls', async () => estimateXls()],
  ] as const)('extracts the items and the 合计 of %s as an itemised total in 万元', async (name, kind, make) => {
    const doc = await read(name, await make(), kind);
    expect(doc.status).toBe('ok');
    const text = doc.pages[0]!.text;
    expect(text.split('\n').filter((line) => line === ESTIMATE_TITLE)).toHaveLength(1);
    const itemized = extractFields({ path: name, pages: doc.pages }).filter((c) => c.field === 'itemizedTotal');
    expect(itemized).toHaveLength(1);
    expect(itemized[0]!.value).toMatchObject({
      kind: 'itemization',
      items: ESTIMATE_ITEMS.map(([item, wan]) => ({ name: item, wan: String(wan) })),
      statedTotal: { kind: 'amount', wan: '500', unit: '万元' },
      sum: '500',
      equal: true,
    });
    expect(itemized[0]!.provenance).toMatchObject({ path: name, page: 1 });
  });

  it.each([
    ['过期合计.xlsx', 'xlsx', () => estimateXlsx({ statedTotal: 501 })],
    ['过期合计.xls', 'xls', async () => estimateXls({ statedTotal: 501 })],
  ] as const)('keeps the cached 合计 of %s rather than recalculating the formula, so the mismatch is seen', async (name, kind, make) => {
    const doc = await read(name, await make(), kind);
    expect(doc.pages[0]!.text).toContain('| 合计 | 501.00');
    const itemized = extractFields({ path: name, pages: doc.pages }).find((c) => c.field === 'itemizedTotal');
    expect(itemized?.value).toMatchObject({ statedTotal: { wan: '501' }, sum: '500', equal: false });
  });
});

describe('when a 概算表 has empty columns between the item and its amount', () => {
  it('keeps each amount in its column, so the items still add up to the 合计', async () => {
    const XLSX = await import('@e965/xlsx');
    const sheet = XLSX.utils.aoa_to_sheet([
      [ESTIMATE_TITLE],
      ['序号', '费用名称', '', '规格', '金额（万元）'],
      ...ESTIMATE_ITEMS.map(([item, wan], index) => [index + 1, item, '', index === 1 ? '详见附表' : '', wan]),
      ['', '合计', '', '', 500],
    ]);
    const workbook = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(workbook, sheet, '概算表');
    const doc = await read('留空列概算表.xls', XLSX.write(workbook, { type: 'buffer', bookType: 'biff8' }) as Buffer, 'xls');
    expect(doc.pages[0]!.text).toMatch(/ \| \| /);
    const itemized = extractFields({ path: '留空列概算表.xls', pages: doc.pages }).find((c) => c.field === 'itemizedTotal');
    expect(itemized?.value).toMatchObject({ items: ESTIMATE_ITEMS.map(([item, wan]) => ({ name: item, wan: String(wan) })), sum: '500', equal: true });
  });
});

describe('when cells hold dates, numbers and line breaks', () => {
  it.each([
    ['功能.xlsx', 'xlsx', featuresXlsx],
    ['功能.xls', 'xls', async () => featuresXls()],
  ] as const)('shows them as a person sees them in %s', async (name, kind, make) => {
    const doc = await read(name, await make(), kind);
    expect(doc.status).toBe('ok');
    expect(doc.pages[0]!.text.split('\n')).toEqual([
      '工作表:里程碑',
      '事项 | 日期 | 金额',
      // The locale-dependent short date (m/d/yy) as an ISO date, never 5/6/24 or the serial 45418.
      '立项批复 | 2024-05-06',
      '合同签订 | 2024-07-15',
      '初步验收 | 2025年1月9日',
      '浮点 | | 0.3',
      '千分位 | | 1,234,567.50',
      '多行 | 第一行第二行',
      '错误 | | #DIV/0!',
    ]);
  });

  it.each([
    ['功能.xlsx', 'xlsx', featuresXlsx],
    ['功能.xls', 'xls', async () => featuresXls()],
  ] as const)('reads the hidden sheet of %s and marks it', async (name, kind, make) => {
    const doc = await read(name, await make(), kind);
    expect(doc.pages[1]!.text.split('\n')).toEqual(['工作表:隐藏数据(隐藏)', '隐藏表中的金额 | 42']);
  });

  it.each([
    ['功能.xlsx', 'xlsx', featuresXlsx],
    ['功能.xls', 'xls', async () => featuresXls()],
  ] as const)('splits the long sheet of %s into pages of 200 rows, each naming its rows', async (name, kind, make) => {
    const doc = await read(name, await make(), kind);
    const long = doc.pages.slice(2);
    expect(ROWS_PER_PAGE).toBe(200);
    expect(long.map((page) => page.text.split('\n')[0])).toEqual([
      '工作表:明细(第1–200行)',
      '工作表:明细(第201–400行)',
      `工作表:明细(第401–${LONG_SHEET_ROWS}行)`,
    ]);
    expect(long.map((page) => page.text.split('\n').length - 1)).toEqual([200, 200, LONG_SHEET_ROWS - 400]);
    expect(long[1]!.text.split('\n')[1]).toBe('200 | 设备200');
    expect(doc.pages.map((page) => page.n)).toEqual([1, 2, 3, 4, 5]);
  });

  it('stops at the page limit and says how much was left', async () => {
    const ctx = { ...contextWithoutOcr(), limits: { ...defaultExtractionLimits, maxPagesPerDocument: 3 } };
    const doc = await extractDocument({ path: '功能.xlsx', bytes: await featuresXlsx(), kind: 'xlsx' }, ctx);
    expect(doc.pages).toHaveLength(3);
    expect(doc.findings).toEqual([expect.objectContaining({ code: 'page-limit', severity: 'warning' })]);
    expect(doc.findings[0]!.message).toContain('其余 2 页未读取');
  });
});

describe('when the name and the bytes disagree', () => {
  it('reads a .xls that is really an .xlsx as an .xlsx', async () => {
    const path = await scratch.write('概算表.xls', await estimateXlsx());
    const { kind, doc } = await readReal(path, '概算表.xls');
    expect(kind).toBe('xlsx');
    expect(doc.pages[0]!.text).toContain('| 合计 | 500.00');
  });

  it('reads a .et, a .xlsx or an extension-less file that is really BIFF8 as .xls', async () => {
    for (const name of ['概算表.et', '概算表.xlsx', '概算表']) {
      const path = await scratch.write(name, estimateXls());
      const { kind, doc } = await readReal(path, name);
      expect([name, kind]).toEqual([name, 'xls']);
      expect(doc.pages[0]!.text).toContain('| 合计 | 500.00');
    }
  });

  it('calls a legacy workbook with an open password encrypted, not damaged', async () => {
    const doc = await read('加密概算表.xls', passwordProtectedXls(), 'xls');
    expect(doc.status).toBe('encrypted');
    expect(doc.message).toContain('已加密');
  });

  it('calls bytes that are no spreadsheet unreadable, in Chinese', async () => {
    const doc = await read('假表格.xls', Buffer.from('not a workbook at all'), 'xls');
    expect(doc.status).toBe('unreadable');
    expect(doc.message).toMatch(/^无法读取表格/);
  });
});

describe('when an .xlsx declares more than it could reasonably hold', () => {
  it('refuses a workbook whose parts unpack beyond 512 MB before inflating them', async () => {
    const xlsx = await estimateXlsx();
    // The last central-directory record claims 600 MB for its part; the bytes stay small.
    const bomb = Buffer.from(xlsx);
    const central = bomb.lastIndexOf(Buffer.from('504b0102', 'hex'));
    bomb.writeUInt32LE(600 * 1024 * 1024, central + 24);
    const doc = await read('炸弹.xlsx', bomb, 'xlsx');
    expect(doc.status).toBe('unreadable');
    expect(doc.message).toContain('超过 512 MB');
  });
});
