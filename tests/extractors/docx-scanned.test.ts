import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractDocx } from '../../extractors/docx.ts';
import { defaultExtractionLimits } from '../../extractors/limits.ts';
import type { ExtractedDocument, ExtractionContext } from '../../extractors/model.ts';
import { createOcrPool } from '../../extractors/ocr/index.ts';
import { ensureDocxFixtures, type DocxFixtures } from '../fixtures/docx/generate.ts';

const pool = createOcrPool({ size: 1 });
afterAll(() => pool.close());

let fixtures: DocxFixtures;
beforeAll(async () => {
  fixtures = await ensureDocxFixtures();
});

describe('when a DOCX holds only a pasted scan', () => {
  let doc: ExtractedDocument;
  const progress: { page: number; source: string }[] = [];
  beforeAll(async () => {
    const ctx: ExtractionContext = {
      ocr: pool,
      limits: defaultExtractionLimits,
      onPage: ({ page, source }) => progress.push({ page, source }),
    };
    doc = await extractDocx({ path: '扫描件粘贴.docx', bytes: await readFile(fixtures.scanned), kind: 'docx' }, ctx);
  });

  it('reads the picture by OCR as one page', () => {
    expect(doc.status).toBe('ok');
    expect(doc.pages).toHaveLength(1);
    expect(doc.pages[0]!.source).toBe('ocr');
    expect(doc.pages[0]!.confidence).toBeGreaterThan(0);
    expect(doc.meta.ocrPages).toBe(1);
  });

  it('finds the scanned words', () => {
    const text = doc.pages[0]!.text.replace(/\s+/g, '');
    expect(text).toContain('验收报告');
    expect(text).toContain('合格');
  });

  it('says that the text came from pictures', () => {
    expect(doc.findings.map((f) => f.code)).toContain('docx-scanned-images');
  });

  it('reports progress as OCR pages', () => {
    expect(progress).toEqual([{ page: 1, source: 'ocr' }]);
  });
});
