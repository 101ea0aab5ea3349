import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  ImageRun,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  TextRun,
  convertMillimetersToTwip,
} from 'docx';
import QRCode from 'qrcode';
import { noticeParagraphs, type NoticeContent } from './content.ts';
import { BODY_LINE_PT, chineseOrdinal, FONTS, OFFICIAL_RED, PAGE, SIZES_PT } from './layout.ts';

/**
 * The notice as a Word document the officer can still edit, sign and stamp. Fonts are named, not embedded: 仿宋_GB2312
 * and 方正小标宋简体 are on every Chinese Windows/WPS installation that will open it.
 */
/** 正文 paragraphs begin two characters in. */
const TWO_CHARACTERS_TWIPS = 2 * SIZES_PT.body * 20;

export async function renderNoticeDocx(content: NoticeContent): Promise<Buffer> {
  const halfPoints = (pt: number) => Math.round(pt * 2);
  const lineTwips = Math.round(BODY_LINE_PT * 20);
  const exactLine = { line: lineTwips, lineRule: LineRuleType.EXACT, before: 0, after: 0 };
  const run = (text: string, font: string, pt: number, extra: { bold?: boolean; color?: string } = {}) =>
    new TextRun({ text, font: { eastAsia: font, ascii: font, hAnsi: font }, size: halfPoints(pt), ...extra });
  const blank = () => new Paragraph({ spacing: exactLine, children: [run('', FONTS.body, SIZES_PT.body)] });

  const header: Paragraph[] = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 0, after: 0 },
      children: [run(content.issuer, FONTS.issuerMark, SIZES_PT.issuerMark, { color: OFFICIAL_RED })],
    }),
    blank(),
    // 发文字号 sits two lines under the 标志, and the red rule 4 mm under the 字号.
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { ...exactLine, after: Math.round(4 * 56.7) },
      border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: OFFICIAL_RED, space: 4 } },
      children: [run(content.docNumber ?? '', FONTS.body, SIZES_PT.body)],
    }),
    blank(),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { line: Math.round(SIZES_PT.title * 1.5 * 20), lineRule: LineRuleType.EXACT }, children: [run(content.title, FONTS.title, SIZES_PT.title)] }),
    blank(),
    new Paragraph({ spacing: exactLine, children: [run(`${content.addressee}：`, FONTS.body, SIZES_PT.body)] }),
  ];

  const body: Paragraph[] = [];
  for (const paragraph of noticeParagraphs(content, chineseOrdinal)) {
    if (paragraph.kind === 'heading') {
      body.push(new Paragraph({ spacing: exactLine, indent: { firstLine: TWO_CHARACTERS_TWIPS }, children: [run(paragraph.text, FONTS.level1, SIZES_PT.body)] }));
    } else if (paragraph.kind === 'link') {
      body.push(new Paragraph({ spacing: exactLine, indent: { firstLine: TWO_CHARACTERS_TWIPS }, children: [run(paragraph.text, FONTS.body, SIZES_PT.body)] }));
      const qr = await QRCode.toBuffer(paragraph.text, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 240 });
      body.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [new ImageRun({ type: 'png', data: qr, transformation: { width: 120, height: 120 } })] }));
    } else {
      body.push(new Paragraph({ spacing: exactLine, indent: { firstLine: TWO_CHARACTERS_TWIPS }, children: [run(paragraph.text, FONTS.body, SIZES_PT.body)] }));
    }
  }

  // 落款: the issuer over the date, right-aligned four characters in; the seal covers both (印章位置).
  const signatureIndent = { right: Math.round(4 * SIZES_PT.body * 20) };
  const signature: Paragraph[] = [
    blank(),
    blank(),
    new Paragraph({ alignment: AlignmentType.RIGHT, spacing: exactLine, indent: signatureIndent, children: [run(content.issuer, FONTS.body, SIZES_PT.body)] }),
    new Paragraph({ alignment: AlignmentType.RIGHT, spacing: exactLine, indent: signatureIndent, children: [run(content.dateText, FONTS.body, SIZES_PT.body)] }),
    new Paragraph({ alignment: AlignmentType.RIGHT, spacing: exactLine, indent: signatureIndent, children: [run('（印章）', FONTS.body, SIZES_PT.body, { color: 'A0A0A0' })] }),
  ];

  const pageNumberParagraph = (alignment: (typeof AlignmentType)[keyof typeof AlignmentType], side: 'left' | 'right') =>
    new Paragraph({
      alignment,
      indent: side === 'right' ? { right: Math.round(SIZES_PT.pageNumber * 20) } : { left: Math.round(SIZES_PT.pageNumber * 20) },
      children: [
        new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: { eastAsia: FONTS.pageNumber, ascii: FONTS.pageNumber }, size: halfPoints(SIZES_PT.pageNumber) }),
      ],
    });

  const document = new Document({
    creator: content.issuer,
    title: content.title,
    evenAndOddHeaderAndFooters: true,
    sections: [
      {
        properties: {
          page: {
            size: { width: convertMillimetersToTwip(PAGE.widthMm), height: convertMillimetersToTwip(PAGE.heightMm) },
            margin: {
              top: convertMillimetersToTwip(PAGE.topMm),
              bottom: convertMillimetersToTwip(PAGE.heightMm - PAGE.topMm - PAGE.textHeightMm),
              left: convertMillimetersToTwip(PAGE.leftMm),
              right: convertMillimetersToTwip(PAGE.widthMm - PAGE.leftMm - PAGE.textWidthMm),
              footer: convertMillimetersToTwip(PAGE.heightMm - PAGE.topMm - PAGE.textHeightMm - 7),
            },
          },
        },
        footers: {
          default: new Footer({ children: [pageNumberParagraph(AlignmentType.RIGHT, 'right')] }),
          even: new Footer({ children: [pageNumberParagraph(AlignmentType.LEFT, 'left')] }),
        },
        children: [...header, ...body, ...signature],
      },
    ],
  });
  return Packer.toBuffer(document);
}
