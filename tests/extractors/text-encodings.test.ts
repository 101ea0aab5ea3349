import { readFile } from 'node:fs/promises';
import path from 'node:path';
import chardet from 'chardet';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExtractedDocument } from '../../extractors/model.ts';
import { decodeText, extractText } from '../../extractors/text.ts';
import { ensureDocxFixtures, type DocxFixtures } from '../fixtures/docx/generate.ts';
import { contextWithoutOcr, SHENYANG_SAMPLE_DIR } from './context.ts';

let fixtures: DocxFixtures;
beforeAll(async () => {
  fixtures = await ensureDocxFixtures();
});

async function extract(file: string): Promise<ExtractedDocument> {
  return extractText({ path: path.basename(file), bytes: await readFile(file), kind: 'text' }, contextWithoutOcr());
}

const EXPECTED = '关于申请竣工验收的请示\n市大数据局:\n项目总投资80.00万元,已完成全部建设内容。';

describe('when a text file names its encoding with a BOM', () => {
  it.each([
    ['utf8Bom', 'utf-8'],
    ['utf16le', 'utf-16le'],
    ['utf16be', 'utf-16be'],
  ] as const)('decodes %s as %s', async (name, encoding) => {
    const bytes = await readFile(fixtures[name]);
    expect(decodeText(bytes)).toMatchObject({ encoding, bom: true });
    const doc = await extract(fixtures[name]);
    expect(doc.status).toBe('ok');
    expect(doc.pages).toEqual([{ n: 1, text: EXPECTED, source: 'text-layer' }]);
  });
});

describe('when a text file has no BOM', () => {
  it('decodes valid UTF-8 as UTF-8', async () => {
    const bytes = await readFile(fixtures.utf8);
    expect(decodeText(bytes).encoding).toBe('utf-8');
    expect((await extract(fixtures.utf8)).pages[0]!.text).toBe(EXPECTED);
  });

  it('decodes GBK prose', async () => {
    const doc = await extract(fixtures.gbkText);
    expect(decodeText(await readFile(fixtures.gbkText)).encoding).toBe('gb18030');
    expect(doc.pages[0]!.text).toBe(EXPECTED);
  });

  it('decodes short GBK text right although chardet guesses another encoding', async () => {
    const bytes = await readFile(fixtures.gbkShortText);
    expect(chardet.detect(bytes)).not.toBe('GB18030');
    expect(decodeText(bytes).text).toBe('项目验收报告');
  });

  it('recognises Big5 and converts it to Simplified', async () => {
    const bytes = await readFile(fixtures.big5Text);
    expect(decodeText(bytes).encoding).toBe('big5');
    expect((await extract(fixtures.big5Text)).pages[0]!.text).toBe('验收报告:本项目已经完成建设,申请组织竣工验收。');
  });

  it('recognises UTF-16 by its NUL bytes', () => {
    const bytes = Buffer.from('项目编号：2023-01，总投资一百万元。\r\n', 'utf16le');
    expect(decodeText(bytes)).toMatchObject({ encoding: 'utf-16le', bom: false });
  });
});

describe('when the text file has nothing to read', () => {
  it('reports a file of only whitespace as empty', async () => {
    const doc = await extract(fixtures.blankText);
    expect(doc.status).toBe('empty');
    expect(doc.pages).toEqual([]);
    expect(doc.message).toBe('文本文件中没有文字内容');
  });

  it('reports binary bytes as unreadable', async () => {
    const doc = await extract(fixtures.encrypted);
    expect(doc.status).toBe('unreadable');
    expect(doc.message).toContain('编码');
  });
});

describe('when reading the real GBK request in the Shenyang sample', () => {
  it('decodes it to Chinese text', async () => {
    const doc = await extract(path.join(SHENYANG_SAMPLE_DIR, '02-申请竣工验收的请示.txt'));
    expect(doc.status).toBe('ok');
    expect(doc.pages[0]!.text).toContain('竣工验收');
    expect(doc.pages[0]!.text).toContain('沈发改审批〔2022〕57号');
  });
});
