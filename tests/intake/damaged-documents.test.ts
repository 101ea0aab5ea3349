import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { extractDocx } from '../../extractors/docx.ts';
import { extractUnsupported, PRESENTATION_MESSAGE } from '../../extractors/unsupported.ts';
import type { DossierFile } from '../../pipeline/intake/index.ts';
import { contextWithoutOcr } from '../extractors/context.ts';
import { hostileSample } from '../helpers/hostile-samples.ts';
import { writeZip } from '../helpers/zip-writer.ts';
import { tinyDocx, tinyPdf } from '../fixtures/intake/documents.ts';
import { useScratch } from './scratch.ts';

const scratch = useScratch();

async function extractWord(file: DossierFile) {
  return extractDocx({ path: file.path, bytes: await readFile(file.localPath), kind: file.kind }, contextWithoutOcr());
}

/** A docx whose central directory still reads, but names `word/document.xml` wrongly (one byte flipped). */
async function docxWithMutatedDirectory(): Promise<Buffer> {
  const bytes = Buffer.from(await tinyDocx());
  const centralOffset = bytes.readUInt32LE(bytes.length - 22 + 16);
  const at = bytes.indexOf('word/document.xml', centralOffset, 'latin1');
  expect(at).toBeGreaterThan(0);
  bytes[at + 'word/document'.length - 1] = 'X'.charCodeAt(0);
  return bytes;
}

describe('docx-unconfirmed-hang-m126.docx (a mutated Word file whose directory breaks after three entries)', () => {
  it('is one Word file of the dossier, not an archive, and reads as an unreadable Word file', async () => {
    const started = performance.now();
    const result = await scratch.intakeBytes('docx-unconfirmed-hang-m126.docx', await readFile(hostileSample('docx-unconfirmed-hang-m126.docx')));
    expect(result.findings).toEqual([]);
    expect(result.unreadableEntries).toEqual([]);
    expect(result.files.map((file) => [file.path, file.kind, file.size])).toEqual([['docx-unconfirmed-hang-m126.docx', 'docx', 6729]]);

    const doc = await extractWord(result.files[0]!);
    console.info(`docx-unconfirmed-hang-m126.docx：intake + extraction ${(performance.now() - started).toFixed(0)} ms`);
    expect(doc.status).toBe('unreadable');
    expect(doc.message).toBe('无法读取 Word 文档：文件已损坏或不是有效的 DOCX');
  });
});

describe('when a damaged Word file is given alone', () => {
  it('a truncated one is a Word file that cannot be read', async () => {
    const docx = await tinyDocx();
    const result = await scratch.intakeBytes('可行性研究报告.docx', docx.subarray(0, Math.floor(docx.length * 0.6)));
    expect(result.findings).toEqual([]);
    expect(result.files.map((file) => file.kind)).toEqual(['docx']);
    expect((await extractWord(result.files[0]!)).message).toMatch(/^无法读取 Word 文档/);
  });

  it('one whose directory no longer names its body is a Word file that cannot be read, not a zip of XML parts', async () => {
    const result = await scratch.intakeBytes('可行性研究报告.docx', await docxWithMutatedDirectory());
    expect(result.findings).toEqual([]);
    expect(result.files.map((file) => [file.path, file.kind])).toEqual([['可行性研究报告.docx', 'docx']]);
    const doc = await extractWord(result.files[0]!);
    expect(doc.status).toBe('unreadable');
    expect(doc.message).toMatch(/^无法读取 Word 文档/);
  });
});

describe('when a zip-looking document sits inside the dossier', () => {
  const plainZip = () => writeZip([{ name: '合同.pdf', data: tinyPdf() }, { name: '说明.txt', data: '附件' }]);

  it.each([
    ['合同.docx', 'docx'],
    ['合同.wps', 'docx'],
    ['预算.xlsx', 'xlsx'],
    ['预算.et', 'xlsx'],
    ['发票.ofd', 'ofd'],
    ['汇报.pptx', 'pptx'],
    ['汇报.dps', 'pptx'],
  ])('lists %s as that document, never unpacking it into the dossier', async (name, kind) => {
    const result = await scratch.intakeBytes('资料.zip', writeZip([{ name, data: plainZip(), utf8Flag: true }]));
    expect(result.files.map((file) => [file.path, file.kind])).toEqual([[name, kind]]);
    expect(result.findings).toEqual([]);
  });

  it('a damaged one still lists as that document beside the others', async () => {
    const docx = await tinyDocx();
    const zip = writeZip([
      { name: '申报表.pdf', data: tinyPdf(), utf8Flag: true },
      { name: '可研.docx', data: docx.subarray(0, docx.length - 40), utf8Flag: true },
      { name: '需求.docx', data: await docxWithMutatedDirectory(), utf8Flag: true },
    ]);
    const result = await scratch.intakeBytes('资料.zip', zip);
    expect(result.files.map((file) => [file.path, file.kind])).toEqual([
      ['申报表.pdf', 'pdf'],
      ['可研.docx', 'docx'],
      ['需求.docx', 'docx'],
    ]);
    expect(result.findings).toEqual([]);
  });

  it('says an OpenDocument presentation is not read, in words the user understands', async () => {
    const doc = await extractUnsupported({ path: '资料/汇报.odp', bytes: plainZip(), kind: 'unknown' }, contextWithoutOcr());
    expect(doc).toMatchObject({ status: 'unsupported', message: PRESENTATION_MESSAGE });
  });
});
