import { readFile } from 'node:fs/promises';
import { PDFParse } from 'pdf-parse';
import { pdfjsResourceOptions } from '../../extractors/pdf/pdfjs-resources.ts';
import { sharedPath } from '../helpers/shared-data.ts';

export const REAL_PDF_DIR = sharedPath('samples', 'real', 'pdf');
export const HUAXIN_PDF = sharedPath('samples', 'real', 'pdf', 'huaxin_zhaobiao_wenjian_2023_wps.pdf');
export const GARBLED_GBT_PDF = sharedPath('samples', 'real', 'pdf', 'GBT42133-2022_ofd_dangan_garbled_textlayer.pdf');

/** The raw text layer of every page, read the way extractPdf reads it (local CMaps), without normalisation. */
export async function readTextLayers(file: string, withLocalResources = true): Promise<string[]> {
  const parser = new PDFParse({ data: await readFile(file), ...(withLocalResources ? pdfjsResourceOptions : {}) });
  try {
    const result = await parser.getText();
    return result.pages.sort((a, b) => a.num - b.num).map((page) => page.text);
  } finally {
    await parser.destroy();
  }
}
