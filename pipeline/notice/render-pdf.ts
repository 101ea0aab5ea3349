import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { noticeParagraphs, type NoticeContent } from './content.ts';
import { BODY_LINE_PT, chineseOrdinal, MM_TO_PT, PAGE, pageNumberText, SIZES_PT } from './layout.ts';

/**
 * The notice as a PDF to print or send as is. The CJK font ships with the product (an npm package), so nothing depends
 * on the fonts of the machine: Noto Sans SC (思源黑体) stands in for 仿宋 and 小标宋, which no npm package carries.
 */

const require = createRequire(import.meta.url);
const FONT_DIR = join(dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
const REGULAR = join(FONT_DIR, 'NotoSansHans-Regular.otf');
const BOLD = join(FONT_DIR, 'NotoSansHans-Bold.otf');
const RED = '#FF0000';

export async function renderNoticePdf(content: NoticeContent): Promise<Buffer> {
  // pdfkit takes about 0.3 s to load; only the process that writes a PDF notice pays for it.
  const [{ default: PDFDocument }, { default: QRCode }] = await Promise.all([import('pdfkit'), import('qrcode')]);
  const mm = (value: number) => value * MM_TO_PT;
  const left = mm(PAGE.leftMm);
  const width = mm(PAGE.textWidthMm);
  const top = mm(PAGE.topMm);
  const bottom = mm(PAGE.heightMm - PAGE.topMm - PAGE.textHeightMm);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top, bottom, left, right: mm(PAGE.widthMm - PAGE.leftMm - PAGE.textWidthMm) },
    bufferPages: true,
    info: { Title: content.title, Author: content.issuer, Creator: '电子政务项目材料检查' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('body', REGULAR);
  doc.registerFont('heavy', BOLD);
  const bodyGap = BODY_LINE_PT - SIZES_PT.body * 1.2;
  const text = (value: string, options: PDFKit.Mixins.TextOptions & { font?: string; size?: number; color?: string } = {}) => {
    const { font = 'body', size = SIZES_PT.body, color = 'black', ...rest } = options;
    doc.font(font).fontSize(size).fillColor(color).text(value, left, undefined, { width, lineGap: bodyGap, ...rest });
  };

  // 版头: 发文机关标志 in red, 发文字号, the red rule under it.
  doc.y = top;
  text(content.issuer, { font: 'heavy', size: SIZES_PT.issuerMark, color: RED, align: 'center', lineGap: 0 });
  doc.moveDown(1);
  text(content.docNumber ?? '', { align: 'center' });
  const ruleY = doc.y + mm(4) - bodyGap;
  doc.moveTo(left, ruleY).lineTo(left + width, ruleY).lineWidth(1).strokeColor(RED).stroke();
  doc.y = ruleY + BODY_LINE_PT;
  text(content.title, { font: 'heavy', size: SIZES_PT.title, align: 'center', lineGap: SIZES_PT.title * 0.3 });
  doc.moveDown(0.5);
  text(`${content.addressee}：`);

  for (const paragraph of noticeParagraphs(content, chineseOrdinal)) {
    if (paragraph.kind === 'heading') text(paragraph.text, { font: 'heavy', indent: SIZES_PT.body * 2 });
    else if (paragraph.kind === 'link') {
      text(paragraph.text, { indent: SIZES_PT.body * 2 });
      const qr = await QRCode.toBuffer(paragraph.text, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 240 });
      const size = mm(30);
      if (doc.y + size > doc.page.height - bottom) doc.addPage();
      doc.image(qr, left + (width - size) / 2, doc.y + 4, { width: size, height: size });
      doc.y += size + 8;
    } else text(paragraph.text, { indent: SIZES_PT.body * 2 });
  }

  // 落款 four characters in from the right, with the seal's place marked.
  doc.moveDown(2);
  const rightInset = SIZES_PT.body * 4;
  const signatureWidth = width - rightInset;
  for (const [line, color] of [
    [content.issuer, 'black'],
    [content.dateText, 'black'],
    ['（印章）', '#A0A0A0'],
  ] as const) {
    doc.font('body').fontSize(SIZES_PT.body).fillColor(color).text(line, left, undefined, { width: signatureWidth, align: 'right', lineGap: bodyGap });
  }

  // 页码: "— n —", odd pages to the right and even pages to the left, one character in.
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    const pageNumber = index + 1;
    const y = doc.page.height - bottom + mm(7);
    const inset = SIZES_PT.pageNumber;
    // Writing below the bottom margin would make pdfkit open a new page; lift the margin for the footer line.
    const savedBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('body').fontSize(SIZES_PT.pageNumber).fillColor('black').text(pageNumberText(pageNumber), left + (pageNumber % 2 === 1 ? 0 : inset), y, {
      width: width - inset,
      align: pageNumber % 2 === 1 ? 'right' : 'left',
      lineBreak: false,
    });
    doc.page.margins.bottom = savedBottom;
  }
  doc.end();
  return finished;
}
