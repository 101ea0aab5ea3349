import PDFDocument from 'pdfkit';
import { afterAll, describe, expect, it } from 'vitest';
import { sealMatchesOrg } from '../../checklists/rules/seal-checks.ts';
import { defaultExtractionLimits } from '../../extractors/limits.ts';
import { ExtractedDocumentSchema } from '../../extractors/model.ts';
import { createOcrPool } from '../../extractors/ocr/index.ts';
import { extractPdf } from '../../extractors/pdf/index.ts';
import { renderSealPage } from '../fixtures/seals/generate.ts';

/** Seals on the scanned pages of a PDF (a colour scan embedded as a JPEG page, as office scanners write them). */

const ocr = createOcrPool({ size: 2 });
afterAll(() => ocr.close());

const ORG = '常德市数据资源管理局';
const BODY = ['经研究，同意该项目按照批复的建设内容和投资规模组织实施。', '特此批复。', '常德市数据资源管理局', '二〇二三年六月十八日'];

async function scannedPdf(pages: Buffer[]): Promise<Buffer> {
  const doc = new PDFDocument({ autoFirstPage: false });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  for (const image of pages) {
    doc.addPage({ size: 'A5', margin: 0 });
    doc.image(image, 0, 0, { width: doc.page.width, height: doc.page.height });
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

describe('a scanned PDF', () => {
  it('records the seal of the stamped page with its text, and says both pages were looked at', async () => {
    const plain = await renderSealPage({ seals: [], lines: BODY, textTopMm: 30, widthMm: 148, heightMm: 210, format: 'jpeg', seed: 31 });
    const stamped = await renderSealPage({
      seals: [{ spec: { shape: 'round', rimText: ORG, star: true, sizeMm: 40, rotateDeg: 12, ink: 'strong' }, xMm: 100, yMm: 52 }],
      lines: BODY,
      textTopMm: 30,
      widthMm: 148,
      heightMm: 210,
      format: 'jpeg',
      seed: 32,
    });
    const bytes = await scannedPdf([plain.image, stamped.image]);
    const doc = ExtractedDocumentSchema.parse(await extractPdf({ path: '批复.pdf', bytes, kind: 'pdf' }, { ocr, limits: defaultExtractionLimits }));
    expect(doc.pages.map((p) => p.source)).toEqual(['ocr', 'ocr']);
    expect(doc.sealScan).toEqual({ checkedPages: [1, 2], monochromePages: [] });
    expect(doc.seals).toHaveLength(1);
    expect(doc.seals![0]).toMatchObject({ page: 2, shape: 'round', star: true });
    expect(sealMatchesOrg(doc.seals![0]!, ORG), `read「${doc.seals![0]!.rimText}」`).toBe(true);
  }, 120_000);
});
