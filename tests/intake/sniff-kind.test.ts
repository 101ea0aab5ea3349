import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { sniffKind, sniffKindOfFile } from '../../extractors/sniff.ts';
import { sharedPath } from '../helpers/shared-data.ts';
import { writeZip } from '../helpers/zip-writer.ts';
import { oleCompoundFile, tinyBmp, tinyDocx, tinyImage, tinyPdf } from '../fixtures/intake/documents.ts';
import { useScratch } from './scratch.ts';

const scratch = useScratch();
const REAL_OFD = sharedPath('samples', 'real', 'ofd', 'ofdrw_n_gongwen_iofd.ofd');

async function tinyXlsx(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('投资估算').addRow(['项目', '金额（万元）']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('when the extension lies', () => {
  it('calls a .pdf that is really a JPEG an image', async () => {
    const jpeg = await tinyImage('jpeg');
    expect(sniffKind(jpeg, '立项的批复.pdf')).toBe('image');
    const result = await scratch.intakeBytes('资料.zip', writeZip([{ name: '立项的批复.pdf', data: jpeg }]));
    expect(result.files[0]).toMatchObject({ path: '立项的批复.pdf', kind: 'image' });
  });

  it('calls a .docx that is really a PDF a pdf', () => {
    expect(sniffKind(tinyPdf(), '验收报告.docx')).toBe('pdf');
  });
});

describe('when the file is a PDF', () => {
  it('finds %PDF- after junk within the first kilobyte', () => {
    expect(sniffKind(Buffer.concat([Buffer.alloc(600, 0x0a), tinyPdf()]), 'x')).toBe('pdf');
  });

  it('does not look beyond the first kilobyte', () => {
    expect(sniffKind(Buffer.concat([Buffer.alloc(1100, 0x00), tinyPdf()]), 'x.pdf')).toBe('unknown');
  });
});

describe('when the file is an image', () => {
  it.each(['jpeg', 'png', 'gif', 'tiff', 'webp'] as const)('recognises %s from its bytes', async (format) => {
    expect(sniffKind(await tinyImage(format), 'scan0001')).toBe('image');
  });

  it('recognises a BMP, but not text that merely starts with "BM"', () => {
    expect(sniffKind(tinyBmp(), 'scan.dat')).toBe('image');
    expect(sniffKind(Buffer.from('BM 项目说明\n', 'utf8'), 'readme')).toBe('text');
  });
});

describe('when the file is a zip container', () => {
  it('tells a docx from its word/document.xml, whatever its name', async () => {
    const path = await scratch.write('附件.zip', await tinyDocx());
    expect(await sniffKindOfFile(path)).toBe('docx');
  });

  it('tells an xlsx from its xl/ parts', async () => {
    const path = await scratch.write('表.bin', await tinyXlsx());
    expect(await sniffKindOfFile(path)).toBe('xlsx');
  });

  it('tells an OFD from its OFD.xml (a real one from iOFD)', async () => {
    expect(await sniffKindOfFile(REAL_OFD, '公文.zip')).toBe('ofd');
  });

  it('tells a pptx from its ppt/presentation.xml, whatever its name, so that intake does not unpack it', async () => {
    const pptx = writeZip([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'ppt/presentation.xml', data: '<p:presentation/>' },
    ]);
    for (const name of ['汇报材料.pptx', '汇报材料.dps', '汇报材料.zip']) {
      const path = await scratch.write(name, pptx);
      expect([name, await sniffKindOfFile(path)]).toEqual([name, 'pptx']);
      expect([name, sniffKind(pptx, name)]).toEqual([name, 'pptx']);
    }
    const result = await scratch.intakeBytes('资料.zip', writeZip([{ name: '汇报材料.zip', data: pptx }]));
    expect(result.files.map((file) => [file.path, file.kind])).toEqual([['汇报材料.zip', 'pptx']]);
  });

  it('calls another document package (an OpenDocument file) unknown, never a zip to unpack', async () => {
    const odp = writeZip([
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.presentation', method: 'store' },
      { name: 'content.xml', data: '<office:document-content/>' },
    ]);
    const path = await scratch.write('汇报.zip', odp);
    expect(await sniffKindOfFile(path)).toBe('unknown');
  });

  it('goes by the package, not the extension: a .wps that is a docx, a .xls that is an xlsx', async () => {
    const wps = await scratch.write('报告.wps', await tinyDocx());
    const xls = await scratch.write('预算.xls', await tinyXlsx());
    expect(await sniffKindOfFile(wps)).toBe('docx');
    expect(await sniffKindOfFile(xls)).toBe('xlsx');
  });

  it('calls anything else a zip', async () => {
    const path = await scratch.write('材料.zip', writeZip([{ name: '合同.pdf', data: tinyPdf() }]));
    expect(await sniffKindOfFile(path)).toBe('zip');
  });

  it.each([
    ['合同.docx', 'docx'],
    ['合同.WPS', 'docx'],
    ['预算表.xlsx', 'xlsx'],
    ['预算表.et', 'xlsx'],
    ['发票.ofd', 'ofd'],
    ['汇报.pptx', 'pptx'],
    ['汇报.dps', 'pptx'],
  ])('never calls %s a zip to unpack, whatever its directory holds (it is that document)', async (name, kind) => {
    const path = await scratch.write(name, writeZip([{ name: '合同.pdf', data: tinyPdf() }]));
    expect(await sniffKindOfFile(path)).toBe(kind);
    expect(sniffKind(await readFile(path), name)).toBe(kind);
  });

  it('finds word/document.xml deep in the central directory, past what a head would show', async () => {
    const padding = Array.from({ length: 30 }, (_, index) => ({
      name: `media/image${index}.bin`,
      data: Buffer.alloc(2048, index),
      method: 'store' as const,
    }));
    const zip = writeZip([...padding, { name: 'word/document.xml', data: '<w:document/>' }]);
    const path = await scratch.write('no-extension', zip);
    expect(sniffKind(zip.subarray(0, 8192), 'no-extension')).toBe('zip');
    expect(await sniffKindOfFile(path)).toBe('docx');
  });

  it('falls back to the local headers and the extension when the central directory is cut off', async () => {
    const docx = await tinyDocx();
    const path = await scratch.write('截断.docx', docx.subarray(0, Math.floor(docx.length / 2)));
    expect(await sniffKindOfFile(path)).toBe('docx');
  });
});

describe('when the file is an OLE2 compound file', () => {
  it.each([
    ['报告.doc', 'doc'],
    ['报告.wps', 'wps'],
    ['预算.xls', 'xls'],
    ['预算.et', 'xls'],
    ['汇报.ppt', 'ppt'],
    ['汇报.dps', 'ppt'],
  ] as const)('goes by the extension of %s → %s when the streams name no known format', (name, kind) => {
    expect(sniffKind(oleCompoundFile('Whatever'), name)).toBe(kind);
  });

  it.each([
    ['WordDocument', '预算.xls', 'doc'],
    ['WordDocument', '报告.wps', 'wps'],
    ['Workbook', '报告.doc', 'xls'],
    ['Workbook', '预算.et', 'xls'],
    ['Book', '报告.wps', 'xls'],
    ['PowerPoint Document', '报告.doc', 'ppt'],
    ['PowerPoint Document', '汇报.dps', 'ppt'],
  ] as const)('lets a %s stream decide over the name %s → %s', async (stream, name, kind) => {
    expect(sniffKind(oleCompoundFile(stream), name)).toBe(kind);
    expect(await sniffKindOfFile(await scratch.write(name, oleCompoundFile(stream)))).toBe(kind);
  });

  it('reads the stream names when the extension says nothing', async () => {
    const word = await scratch.write('scan0001', oleCompoundFile('WordDocument'));
    const excel = await scratch.write('scan0002', oleCompoundFile('Workbook'));
    const powerPoint = await scratch.write('scan0003', oleCompoundFile('PowerPoint Document'));
    expect(await sniffKindOfFile(word)).toBe('doc');
    expect(await sniffKindOfFile(excel)).toBe('xls');
    expect(await sniffKindOfFile(powerPoint)).toBe('ppt');
  });
});

describe('when the file is another archive', () => {
  it('recognises RAR and 7z', () => {
    expect(sniffKind(Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1'), 'a.zip')).toBe('rar');
    expect(sniffKind(Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]), 'a.zip')).toBe('7z');
  });
});

describe('when the file is text', () => {
  const request = '关于申请沈阳市社保经办一体化系统升级改造项目竣工验收的请示\r\n市大数据局：\r\n';

  it('accepts UTF-8, GBK (Notepad on Chinese Windows) and UTF-16 with a BOM', () => {
    expect(sniffKind(Buffer.from(request, 'utf8'), '请示.txt')).toBe('text');
    expect(sniffKind(iconv.encode(request, 'gbk'), '请示.txt')).toBe('text');
    expect(sniffKind(iconv.encode(request, 'utf16le', { addBOM: true }), '请示.txt')).toBe('text');
  });

  it('forgives a head that ends in the middle of a character', () => {
    const gbkBytes = iconv.encode(request, 'gbk');
    expect(sniffKind(gbkBytes.subarray(0, 5), '请示.txt')).toBe('text');
    const utf8Bytes = Buffer.from(request, 'utf8');
    expect(sniffKind(utf8Bytes.subarray(0, 4), '请示.txt')).toBe('text');
  });

  it('refuses bytes with NULs or control characters', () => {
    expect(sniffKind(Buffer.from('abc\0def'), 'a.txt')).toBe('unknown');
    expect(sniffKind(Buffer.from('abc\u0002def'), 'a.txt')).toBe('unknown');
  });

  it('reads the real GBK request letter of sample-03 as text', async () => {
    const path = sharedPath('samples', 'dossiers', 'sample-03-shenyang-acceptance', '沈阳市社保经办一体化系统升级改造项目验收材料', '02-申请竣工验收的请示.txt');
    expect(sniffKind(await readFile(path), 'x')).toBe('text');
  });
});

describe('when the file is empty', () => {
  it('calls it unknown, for the extractor to report as empty', async () => {
    expect(sniffKind(Buffer.alloc(0), '空.pdf')).toBe('unknown');
    const result = await scratch.intakeBytes('资料.zip', writeZip([{ name: '空.pdf', data: Buffer.alloc(0) }]));
    expect(result.files[0]).toMatchObject({ path: '空.pdf', kind: 'unknown', size: 0 });
  });
});
