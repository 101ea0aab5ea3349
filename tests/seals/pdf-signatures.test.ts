import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { sealMatchesOrg } from '../../checklists/rules/seal-checks.ts';
import { ExtractedDocumentSchema } from '../../extractors/model.ts';
import { FORMATS } from '../../extractors/registry.ts';
import { readPdfSignatures } from '../../extractors/seals/pdf-signatures.ts';
import { sealsOf } from '../../extractors/seals/records.ts';
import { contextWithoutOcr } from '../extractors/context.ts';

/** A one-page PDF with a signed signature field whose /Name is written as given (hex UTF-16 or a GBK literal). */
function signedPdf(nameEntry: Buffer): Buffer {
  const contents = 'BT /F1 12 Tf 72 720 Td (Approved) Tj ET';
  const objects: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    Buffer.from('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R] /Contents 6 0 R /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>'),
    Buffer.from('<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /V 5 0 R /Rect [400 100 520 220] /P 3 0 R /F 4 >>'),
    Buffer.concat([
      Buffer.from('<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /Name '),
      nameEntry,
      Buffer.from(` /M (D:20230618120000+08'00') /Reason (\\(approval\\)) /ByteRange [0 100 200 300] /Contents <${'0'.repeat(512)}> >>`),
    ]),
    Buffer.from(`<< /Length ${contents.length} >>\nstream\n${contents}\nendstream`),
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  objects.forEach((body, i) => {
    offsets.push(length);
    const obj = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
    parts.push(obj);
    length += obj.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`));
  return Buffer.concat(parts);
}

const ORG = '常德市数据资源管理局';
const utf16Hex = Buffer.from(`<FEFF${Buffer.from(ORG, 'utf16le').swap16().toString('hex').toUpperCase()}>`);
const gbkLiteral = Buffer.concat([Buffer.from('('), iconv.encode(ORG, 'gbk'), Buffer.from(')')]);

describe('PDF signature fields as electronic seals', () => {
  it('reads the signer name (UTF-16 hex or an undeclared GBK literal) and the time, marked unverified', () => {
    for (const name of [utf16Hex, gbkLiteral]) {
      expect(readPdfSignatures(signedPdf(name))).toEqual([
        { source: 'pdf-signature', kind: 'signature', signer: ORG, signedAt: "D:20230618120000+08'00'", provider: 'Adobe.PPKLite', verified: false },
      ]);
    }
  });

  it('finds nothing in a PDF without a signature', () => {
    const unsigned = signedPdf(utf16Hex).toString('latin1').replace('/ByteRange', '/ByteRangX');
    expect(readPdfSignatures(Buffer.from(unsigned, 'latin1'))).toEqual([]);
  });

  it('the PDF reader records it with the pages, and GEN-10 counts it as the signer’s seal', async () => {
    const doc = ExtractedDocumentSchema.parse(await FORMATS.pdf.extractor({ path: '批复.pdf', bytes: signedPdf(utf16Hex), kind: 'pdf' }, contextWithoutOcr()));
    expect(doc.pages[0]!.text).toContain('Approved');
    expect(doc.electronicSeals).toEqual([expect.objectContaining({ source: 'pdf-signature', signer: ORG })]);
    const [seal] = sealsOf(doc);
    expect(seal).toMatchObject({ source: 'pdf-signature', electronic: true, signer: ORG, verified: false });
    expect(sealMatchesOrg(seal!, ORG)).toBe(true);
  });
});
