import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createOcrPool } from '../../extractors/ocr/index.ts';
import { renderScan, renderTableScan } from '../fixtures/scan/render.ts';
import { RAPIDDOC_TABLE_04_FILE, RAPIDDOC_TABLE_04_TEXT, RAPIDDOC_TABLE_04_TITLE } from '../fixtures/scan/real-page-truth.ts';
import { approvalRequestProse, investmentTable, investmentTableText } from '../fixtures/scan/sample-texts.ts';
import { characterErrorRate } from '../helpers/cer.ts';
import { sharedPath } from '../helpers/shared-data.ts';

// The default engine, exactly as the product creates it: the accuracy the README and issue 14 promise.
const pool = createOcrPool({ size: 1 });
afterAll(() => pool.close());

const compact = (text: string) => text.normalize('NFKC').replace(/\s+/g, '');
/**
 * CER after NFKC on both sides: tesseract writes the ASCII form of （）：，where the page prints the full-width one;
 * the same bracket in another width is not a misread character.
 */
const cer = (truth: string, text: string) => characterErrorRate(truth.normalize('NFKC'), text.normalize('NFKC'));

describe('the default OCR engine on generated 200 dpi scans', () => {
  it('reads a prose page lying 0.5° askew with a character error rate of at most 3 %', async () => {
    const scan = await renderScan(approvalRequestProse, { dpi: 200, rotateDeg: 0.5 });

    const { text } = await pool.recognize(scan);

    expect(cer(approvalRequestProse, text)).toBeLessThanOrEqual(0.03);
  });

  it('reads a ruled table page row by row with a character error rate of at most 5 %', async () => {
    const scan = await renderTableScan(investmentTable, { dpi: 200, rotateDeg: 0.4 });

    const { text } = await pool.recognize(scan);

    expect(cer(investmentTableText, text)).toBeLessThanOrEqual(0.05);
    expect(compact(text)).toMatch(/合计\W*120\.00/);
  });
});

describe('the default OCR engine on a real photographed page of a 检测报告', () => {
  it('reads the page title 测试仪器 and the report number, and more than half of the page', async () => {
    const photo = readFileSync(sharedPath(...RAPIDDOC_TABLE_04_FILE));

    const { text } = await pool.recognize(photo);

    expect(compact(text)).toContain(RAPIDDOC_TABLE_04_TITLE);
    expect(compact(text)).toContain('E202212263623-1');
    // Not a target of the issue: tesseract chi_sim measured 37 % on this photo (PP-OCRv4 far less, see the README);
    // the bound only catches a page that comes back empty or scrambled.
    expect(cer(RAPIDDOC_TABLE_04_TEXT, text)).toBeLessThanOrEqual(0.45);
  });
});
