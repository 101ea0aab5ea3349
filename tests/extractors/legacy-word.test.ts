import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractDocument } from '../../extractors/registry.ts';
import { defaultExtractionLimits } from '../../extractors/limits.ts';
import type { OcrEngine } from '../../extractors/model.ts';

// A legacy Word file never needs OCR; an engine that fails proves it is not called.
const noOcr: OcrEngine = { recognize: () => Promise.reject(new Error('OCR must not run for .doc')), close: async () => {} };
const ctx = { ocr: noOcr, limits: defaultExtractionLimits };
// Made once with LibreOffice from the generated 设备清单.docx (tests/fixtures/docx/generate.ts): Word 97–2003 format.
const LEGACY = join(import.meta.dirname, '..', 'fixtures', 'committed', '旧版Word设备清单.doc');

describe('when a dossier holds a legacy Word (.doc) file', () => {
  it('reads its text, with table cells kept apart', async () => {
    const doc = await extractDocument({ path: '设备清单.doc', bytes: await readFile(LEGACY), kind: 'doc' }, ctx);
    expect(doc.status).toBe('ok');
    const text = doc.pages.map((p) => p.text).join('\n');
    expect(text).toContain('设备清单');
    expect(text).toContain('服务器 | 2 | 12.50');
    expect(text).not.toContain('服务器2');
  });

  it('reports a truncated .doc as unreadable instead of failing the dossier', async () => {
    const bytes = await readFile(LEGACY);
    const doc = await extractDocument({ path: '坏.doc', bytes: bytes.subarray(0, 3000), kind: 'doc' }, ctx);
    expect(['unreadable', 'unsupported']).toContain(doc.status);
    expect(doc.message).toMatch(/Word|\.doc/);
  });

  it('leaves an OLE file that is no Word document (e.g. a spreadsheet named .doc) unsupported', async () => {
    const bytes = Buffer.alloc(4096);
    Buffer.from('d0cf11e0a1b11ae1', 'hex').copy(bytes);
    const doc = await extractDocument({ path: '表格.doc', bytes, kind: 'doc' }, ctx);
    expect(doc.status).toBe('unsupported');
  });
});
