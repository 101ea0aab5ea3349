import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FileKind } from '../../extractors/model.ts';
import { extractUnsupported, UNSUPPORTED_MESSAGES } from '../../extractors/unsupported.ts';
import { ensureDocxFixtures, type DocxFixtures } from '../fixtures/docx/generate.ts';
import { contextWithoutOcr } from './context.ts';

let fixtures: DocxFixtures;
beforeAll(async () => {
  fixtures = await ensureDocxFixtures();
});

const SOME_BYTES = Buffer.from('not really this format');

describe('when a format cannot be read', () => {
  it.each([
    ['doc', '旧版 Word（.doc）'],
    ['wps', '.wps'],
    ['rar', 'RAR'],
    ['7z', '7z'],
    ['unknown', '无法识别'],
  ] as [FileKind, string][])('refuses %s with a message naming the format', async (kind, named) => {
    const doc = await extractUnsupported({ path: `x.${kind}`, bytes: SOME_BYTES, kind }, contextWithoutOcr());
    expect(doc.status).toBe('unsupported');
    expect(doc.message).toContain(named);
    expect(doc.pages).toEqual([]);
    expect(doc.meta.pageCount).toBe(0);
  });

  it('tells the user what to do with a legacy Word file', () => {
    expect(UNSUPPORTED_MESSAGES.doc).toBe('暂不支持旧版 Word（.doc）格式，请另存为 .docx 或 PDF 后重新上传');
  });
});

describe('when an unsupported-looking file is something more specific', () => {
  it('reports a zero-byte file as empty', async () => {
    const doc = await extractUnsupported({ path: 'x.doc', bytes: Buffer.alloc(0), kind: 'doc' }, contextWithoutOcr());
    expect(doc.status).toBe('empty');
    expect(doc.message).toBe('文件为空（0 字节）');
  });

  it('reports a password-protected Office file taken for a legacy .doc as encrypted', async () => {
    const bytes = await readFile(fixtures.encrypted);
    const doc = await extractUnsupported({ path: 'x.doc', bytes, kind: 'doc' }, contextWithoutOcr());
    expect(doc.status).toBe('encrypted');
  });

  it('does not call a real legacy .doc encrypted', async () => {
    const bytes = await readFile(fixtures.legacyDoc);
    const doc = await extractUnsupported({ path: 'x.doc', bytes, kind: 'doc' }, contextWithoutOcr());
    expect(doc.status).toBe('unsupported');
  });
});
