import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IsolatedExtraction } from '../../extractors/isolation/isolated-extraction.ts';
import { defaultExtractionLimits } from '../../extractors/limits.ts';
import type { ExtractedDocument, ExtractionContext } from '../../extractors/model.ts';
import { encodeScanImage, imagePagesPdf } from '../fixtures/pdf/image-pages.ts';
import { renderScan } from '../fixtures/scan/render.ts';
import { approvalRequestProse } from '../fixtures/scan/sample-texts.ts';
import { treeRssMb } from '../helpers/process-memory.ts';

/**
 * pdf.js and the image decoders keep native memory for as long as their process lives; a service reading dossier
 * after dossier must not grow with them. Forty scanned PDFs (three 200-dpi pages each, so every page is decoded) are
 * read through the reader processes two at a time, the way a dossier is; the memory of this whole process tree
 * after the fortieth must stay within a generous margin of what it was after the fifth.
 */

const FILES = 40;
const PAGES = 2;
const MARGIN_MB = 150;
const RECYCLE_AFTER_FILES = 8;

const ocrText = '关于某市智慧政务服务平台建设项目的请示。经研究，拟建设统一身份认证系统和电子证照库。';
const context: ExtractionContext = {
  ocr: { recognize: async () => ({ text: ocrText, confidence: 90 }), close: async () => undefined },
  limits: defaultExtractionLimits,
};

describe('when a service reads forty large scanned PDFs one after another', () => {
  let dir: string;
  const files: string[] = [];
  const readers = new IsolatedExtraction({ filesPerProcess: RECYCLE_AFTER_FILES });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reader-memory-'));
    const scan = await renderScan(approvalRequestProse, { dpi: 200, seed: 5 });
    const image = await encodeScanImage(scan, 'flate-gray');
    for (let i = 0; i < FILES; i++) {
      const path = join(dir, `扫描件-${i + 1}.pdf`);
      // Each file distinct, as forty different documents would be.
      await writeFile(path, imagePagesPdf(Array.from({ length: PAGES }, () => image), `file-${i}`));
      files.push(path);
    }
  }, 60_000);

  afterAll(async () => {
    await readers.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the memory of the whole process tree flat: readers are replaced and nothing is held twice', async () => {
    expect((await stat(files[0]!)).size).toBeGreaterThan(3 * 1024 * 1024);
    const docs: ExtractedDocument[] = [];
    let afterFive = 0;
    const read = (path: string) => readers.extract({ path: path.split('/').pop()!, kind: 'pdf', localPath: path }, context);
    for (let i = 0; i < FILES; i += 2) {
      docs.push(...(await Promise.all([read(files[i]!), read(files[i + 1]!)])));
      if (docs.length === 6) afterFive = await treeRssMb(process.pid);
    }
    const afterForty = await treeRssMb(process.pid);

    expect(docs.map((d) => `${d.status}:${d.meta.ocrPages}`)).toEqual(Array.from({ length: FILES }, () => `ok:${PAGES}`));
    expect(docs[FILES - 1]!.pages[0]!.text).toContain('智慧政务服务平台');
    const stats = readers.stats();
    expect(stats.filesRead).toBe(FILES);
    expect(stats.recycled).toBeGreaterThanOrEqual(Math.floor(FILES / RECYCLE_AFTER_FILES) - 1);
    expect(afterForty - afterFive, `进程树内存：第 6 个文件后 ${Math.round(afterFive)} MB，第 40 个后 ${Math.round(afterForty)} MB`).toBeLessThan(MARGIN_MB);
  }, 240_000);
});
