import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractDocx, htmlToPages } from '../../extractors/docx.ts';
import type { ExtractedDocument } from '../../extractors/model.ts';
import { normalizeText } from '../../extractors/normalize.ts';
import { ensureDocxFixtures, type DocxFixtures } from '../fixtures/docx/generate.ts';
import { contextWithoutOcr, SHENYANG_SAMPLE_DIR } from './context.ts';

let fixtures: DocxFixtures;
beforeAll(async () => {
  fixtures = await ensureDocxFixtures();
});

async function extract(file: string): Promise<ExtractedDocument> {
  return extractDocx({ path: path.basename(file), bytes: await readFile(file), kind: 'docx' }, contextWithoutOcr());
}

describe('when a DOCX has headings, a table and an explicit page break', () => {
  let doc: ExtractedDocument;
  beforeAll(async () => {
    doc = await extract(fixtures.withTable);
  });

  it('reads it', () => {
    expect(doc.status).toBe('ok');
  });

  it('keeps table cells apart with " | " so they never run together', () => {
    const text = doc.pages[0]!.text;
    expect(text).toContain('服务器 | 2');
    expect(text).not.toContain('服务器2');
    expect(text).toContain('序号 | 设备名称 | 数量 | 单价(万元)');
    expect(text).toContain('2 | 核心交换机 | 1 | 8.00');
  });

  it('puts each heading and paragraph on its own line', () => {
    const lines = doc.pages[0]!.text.split('\n');
    expect(lines).toContain('沈阳市某信息系统建设项目');
    expect(lines).toContain('一、设备清单');
    expect(lines).toContain('本项目采购设备如下表所示,合计两类。');
  });

  it('starts a new page at the page break', () => {
    expect(doc.pages.map((p) => p.n)).toEqual([1, 2]);
    expect(doc.meta.pageCount).toBe(2);
    expect(doc.pages[0]!.text).toContain('表后说明文字。');
    expect(doc.pages[1]!.text).toBe('二、验收意见\n验收组同意通过竣工验收。');
  });

  it('marks the pages as text, not OCR', () => {
    expect(doc.pages.every((p) => p.source === 'text-layer')).toBe(true);
    expect(doc.meta.ocrPages).toBe(0);
  });

  it('takes the title from the document properties', () => {
    expect(doc.meta.title).toBe('设备采购清单');
  });
});

describe('when a table cell holds several paragraphs', () => {
  it('joins Chinese label fragments without a space and keeps the cells apart', () => {
    const html =
      '<table><tr><td><p>项目</p><p>名称</p></td><td><p>银行货款</p><p>（万元）</p></td></tr>' +
      '<tr><td><p>某系统</p></td><td><p>120</p></td></tr></table>';
    const [page] = htmlToPages(html);
    expect(normalizeText(page!)).toBe('项目名称 | 银行货款(万元)\n某系统 | 120');
  });

  it('decodes the entities mammoth writes', () => {
    expect(htmlToPages('<p>A &amp; B &lt;C&gt;</p>')).toEqual(['A & B <C>']);
  });

  it('leaves out footnote back-links', () => {
    const html = '<p>正文<sup><a href="#footnote-1" id="footnote-ref-1">[1]</a></sup></p>' +
      '<ol><li id="footnote-1"><p>注释 <a href="#footnote-ref-1">↑</a></p></li></ol>';
    const [page] = htmlToPages(html);
    expect(page).toContain('注释');
    expect(page).not.toContain('↑');
  });
});

describe('when the DOCX is not readable', () => {
  it('reports a text file named .docx as unreadable in Chinese', async () => {
    const doc = await extract(fixtures.textNamedDocx);
    expect(doc.status).toBe('unreadable');
    expect(doc.message).toBe('无法读取 Word 文档：文件已损坏或不是有效的 DOCX');
    expect(doc.pages).toEqual([]);
  });

  it('reports a truncated DOCX as unreadable', async () => {
    const doc = await extract(fixtures.truncated);
    expect(doc.status).toBe('unreadable');
    expect(doc.message).toContain('无法读取 Word 文档');
  });

  it('reports a zip without Word content as unreadable and says why', async () => {
    const doc = await extract(fixtures.zipWithoutDocument);
    expect(doc.status).toBe('unreadable');
    expect(doc.message).toContain('word/document.xml');
  });

  it('reports a password-protected DOCX as encrypted', async () => {
    const doc = await extract(fixtures.encrypted);
    expect(doc.status).toBe('encrypted');
    expect(doc.message).toContain('加密');
  });

  it('reports a legacy .doc named .docx as the unsupported old format', async () => {
    const doc = await extract(fixtures.legacyDoc);
    expect(doc.status).toBe('unsupported');
    expect(doc.message).toContain('.doc');
  });
});

describe('when the DOCX has no text', () => {
  it('reports it as empty', async () => {
    const doc = await extract(fixtures.empty);
    expect(doc.status).toBe('empty');
    expect(doc.message).toBe('Word 文档中没有文字内容');
    expect(doc.meta.pageCount).toBe(0);
  });
});

describe('when reading the real Shenyang acceptance report', () => {
  let doc: ExtractedDocument;
  beforeAll(async () => {
    doc = await extract(path.join(SHENYANG_SAMPLE_DIR, '竣工验收报告.docx'));
  });

  it('yields its text', () => {
    expect(doc.status).toBe('ok');
    expect(doc.pages).toHaveLength(1);
    expect(doc.pages[0]!.text).toContain('验收');
    expect(doc.pages[0]!.text).toContain('验收结论:合格,同意通过竣工验收。');
  });

  it('keeps the member table as rows', () => {
    expect(doc.pages[0]!.text).toContain('2 | 邹邦泰 | 省电子政务专家库');
  });

  it('notes that the embedded seal image was not read', () => {
    expect(doc.findings.map((f) => f.code)).toContain('docx-images-not-read');
  });

  it('reports one page per page', async () => {
    const seen: number[] = [];
    const ctx = contextWithoutOcr(({ page }) => seen.push(page));
    const bytes = await readFile(path.join(SHENYANG_SAMPLE_DIR, '竣工验收报告.docx'));
    await extractDocx({ path: 'x.docx', bytes, kind: 'docx' }, ctx);
    expect(seen).toEqual([1]);
  });
});
