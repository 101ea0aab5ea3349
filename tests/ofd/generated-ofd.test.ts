import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DocTypeClassifier } from '../../checklists/classify.ts';
import { loadCatalogue } from '../../checklists/load.ts';
import { defaultExtractionLimits } from '../../extractors/limits.ts';
import type { ExtractionContext, ExtractionLimits, OcrEngine, Page } from '../../extractors/model.ts';
import { createOcrPool } from '../../extractors/ocr/index.ts';
import { createOfdExtractor, extractOfd } from '../../extractors/ofd/index.ts';
import { expandDeltas } from '../../extractors/ofd/layout.ts';
import { OfdPackage } from '../../extractors/ofd/package.ts';
import { normalizeText } from '../../extractors/normalize.ts';
import { extractPdf } from '../../extractors/pdf/index.ts';
import { makeDocument, PROFILES, SUPPORTED_DOCUMENT_KINDS } from '../fixtures/dossiers/documents.ts';
import { renderDocument, scanPages } from '../fixtures/dossiers/render.ts';
import { renderOfd, writeOfd, type DocSpec, type TextRun } from '../fixtures/ofd/writer.ts';
import { renderScan } from '../fixtures/scan/render.ts';
import { characterErrorRate } from '../helpers/cer.ts';
import { writeZip } from '../helpers/zip-writer.ts';
import { contextWithoutOcr } from '../extractors/context.ts';
import { sharedPath } from '../helpers/shared-data.ts';

const classifier = new DocTypeClassifier(loadCatalogue());

/** fontkit is pdfkit's own dependency (as in tests/fixtures/dossiers/render.ts): an independent reader of glyph indexes. */
const require = createRequire(import.meta.url);
const fontkit = require(require.resolve('fontkit', { paths: [dirname(require.resolve('pdfkit'))] })) as {
  create(data: Uint8Array): { layout(text: string): { glyphs: { id: number }[] } };
};
const profiles = Object.values(PROFILES).flat();
const read = (bytes: Buffer, ctx: ExtractionContext = contextWithoutOcr()) => extractOfd({ path: '材料.ofd', bytes, kind: 'ofd' }, ctx);
const docTypesOf = (pages: Page[]) => classifier.classify({ path: 'file', readable: true, pages }).docTypes.map((d) => d.id);

/** An OCR stand-in that answers with a fixed text and counts the images it is given. */
function fakeOcr(text: string, limits: Partial<ExtractionLimits> = {}) {
  const images: Buffer[] = [];
  const ocr: OcrEngine = {
    recognize: async (image) => {
      images.push(image);
      return { text, confidence: 88 };
    },
    close: async () => undefined,
  };
  return { ctx: { ocr, limits: { ...defaultExtractionLimits, ...limits } } as ExtractionContext, images };
}

const run = (text: string, x: number, y: number, extra: Partial<TextRun> = {}): TextRun => ({ text, x, y, ...extra });

describe('when a generated document of any type arrives as OFD', () => {
  it('is classified as the same doc type as its PDF rendering', async () => {
    const wrong: string[] = [];
    for (const [i, kind] of SUPPORTED_DOCUMENT_KINDS.entries()) {
      const profile = profiles[i % profiles.length]!;
      let document;
      try {
        document = makeDocument(kind, profile, { variant: i % 3 });
      } catch {
        document = makeDocument(kind, profiles.find((p) => p.city === 'shenyang') ?? profiles[0]!);
      }
      const ofd = await read(renderOfd(document));
      const pdfBytes = (await renderDocument(document, 'pdf-text')).bytes;
      const pdf = await extractPdf({ path: 'x.pdf', bytes: pdfBytes, kind: 'pdf' }, contextWithoutOcr());
      const fromOfd = docTypesOf(ofd.pages);
      const fromPdf = docTypesOf(pdf.pages);
      const firstOk = document.docTypes.length > 1 ? document.docTypes.includes(fromOfd[0]!) : fromOfd[0] === document.docTypes[0];
      if (ofd.status !== 'ok' || !firstOk || fromOfd.join() !== fromPdf.join()) {
        wrong.push(`${kind} 《${document.title}》 OFD → ${fromOfd.join(',')} / PDF → ${fromPdf.join(',')}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 180_000);

  it('keeps the title, 文号 and the closing lines of an approval, and records its electronic seal', async () => {
    const document = makeDocument('approval_document', profiles[0]!);
    const issuer = document.blocks.find((b) => b.kind === 'signature')!.text;
    const doc = await read(renderOfd(document, { seal: { sealName: issuer, signer: `${issuer}（签章人证书）` } }));
    const text = doc.pages.map((p) => p.text).join('\n');
    expect(text.split('\n')).toContain(document.title);
    expect(text).toContain(document.blocks.find((b) => b.kind === 'docNo')!.text);
    const last = doc.pages.at(-1)!.text.split('\n');
    expect(last.slice(-3)).toEqual([issuer, document.blocks.find((b) => b.kind === 'date')!.text, `— ${doc.pages.length} —`]);
    expect(doc.electronicSeals).toEqual([
      { source: 'ofd-signature', kind: 'seal', name: issuer, signer: `${issuer}(签章人证书)`, page: doc.pages.length, provider: '测试签章组件', signedAt: '2024-06-01 09:00:00', verified: false },
    ]);
    expect(doc.meta.title).toBe(document.title);
  });
});

describe('when placing glyphs', () => {
  it('expands the compressed g form of DeltaX', () => {
    expect(expandDeltas('g 3 1.5 2 g 2 0.5')).toEqual([1.5, 1.5, 1.5, 2, 0.5, 0.5]);
    expect(expandDeltas('1 x g 2')).toEqual([1]);
    expect(expandDeltas('g 1000000000 1', 4)).toEqual([1, 1, 1, 1]);
  });

  it('reads lines top to bottom and cells left to right whatever order the objects were written in', async () => {
    const runs = [
      run('2024年6月1日', 150, 100),
      run('项目名称', 28, 60, { deltas: 'none' }),
      run('某某市智慧城管平台', 80, 60, { deltas: 'compressed' }),
      run('总投资', 28, 70),
      run('386.5万元', 80, 70.6, { size: 3.8 }),
      run('关于某某项目的批复', 60, 40, { size: 6 }),
    ];
    const doc = await read(writeOfd([{ pages: [{ runs }] }]));
    expect(doc.pages[0]!.text.split('\n')).toEqual(['关于某某项目的批复', '项目名称某某市智慧城管平台', '总投资386.5万元', '2024年6月1日']);
  });

  it('reads text turned by its CTM (a vertical line beside the body) as one line where it starts', async () => {
    const vertical = writeOfd([{ pages: [{ runs: [run('正文第一行', 30, 40), run('正文第二行', 30, 50), run('骑缝章说明', 180, 20, { ctm: '0 1 -1 0 0 0' })] }] }]);
    const doc = await read(vertical);
    expect(doc.pages[0]!.text.split('\n')).toEqual(['骑缝章说明', '正文第一行', '正文第二行']);
  });

  it('follows DeltaX/DeltaY that wrap one TextCode onto several lines', async () => {
    const wrapped = run('第一行文字第二行文字', 30, 50, { rawDeltaX: 'g 4 4.2 -16.8 g 4 4.2', rawDeltaY: 'g 4 0 6 g 4 0' });
    const doc = await read(writeOfd([{ pages: [{ runs: [wrapped, run('右侧', 120, 50)] }] }]));
    expect(doc.pages[0]!.text.split('\n')).toEqual(['第一行文字右侧', '第二行文字']);
  });

  it('decodes character references and merges the template page under the page', async () => {
    const doc = await read(
      writeOfd([
        {
          templates: [{ id: 'T1', runs: [run('购买方名称：', 20, 30), run('（模板页脚）', 20, 280)] }],
          pages: [{ templateId: 'T1', runs: [run('某某公司 & <合作方>', 60, 30, { rawXmlText: '&#x67D0;某公司 &amp; &lt;合作方&gt;' })] }],
        },
      ]),
    );
    expect(doc.pages[0]!.text.split('\n')).toEqual(['购买方名称:某某公司 & <合作方>', '(模板页脚)']);
  });
});

describe('when a producer writes the package loosely', () => {
  const pages = [{ runs: [run('关于某某项目的批复', 40, 40), run('此复。', 28, 60)] }];

  it('reads un-prefixed elements, a DocRoot with a leading slash and a resource folder in another case', async () => {
    const png = await renderScan('扫描页', { heightMm: 30 });
    const doc = await read(
      writeOfd(
        [{ pages: [...pages, { images: [{ resourceId: '9', x: 0, y: 0, w: 210, h: 297 }] }], media: [{ id: '9', file: 'Scan_9.PNG', bytes: png }] }],
        { prefix: false, docRootSlash: true, mediaFolder: () => 'DOC_0/RES' },
      ),
      fakeOcr('扫描页文字').ctx,
    );
    expect(doc.status).toBe('ok');
    expect(doc.pages.map((p) => [p.source, p.text])).toEqual([
      ['text-layer', '关于某某项目的批复\n此复。'],
      ['ocr', '扫描页文字'],
    ]);
    expect(doc.findings.map((f) => f.code)).toEqual(['ofd-scanned-pages']);
  });

  it('finds a media file named in Chinese and stored with a GBK name', async () => {
    const png = await renderScan('扫描', { heightMm: 30 });
    const { ctx, images } = fakeOcr('扫描件文字');
    const doc = await read(
      writeOfd([{ pages: [{ images: [{ resourceId: '4', x: 0, y: 0, w: 210, h: 297 }] }], media: [{ id: '4', file: '扫描件第1页.png', bytes: png }] }], { gbkNames: true }),
      ctx,
    );
    expect(images).toHaveLength(1);
    expect(doc.pages[0]).toMatchObject({ source: 'ocr', text: '扫描件文字' });
  });

  it('finds pages named from the package root instead of from Document.xml’s folder', async () => {
    const doc = await read(writeOfd([{ pages }], { pagePathsFromRoot: true }));
    expect(doc.pages.map((p) => p.text)).toEqual(['关于某某项目的批复\n此复。']);
    expect(doc.findings).toEqual([]);
  });

  it('is not failed by a part outside the reading path that is not well-formed XML', async () => {
    const doc = await read(writeOfd([{ pages }], { extraParts: [{ name: 'Doc_0/Tags/CustomTag.xml', data: '<:eInvoice xmlns:=""><a></b>' }] }));
    expect(doc.status).toBe('ok');
    expect(doc.findings).toEqual([]);
  });

  it('reads several documents in one package one after the other, seal pages counted across them', async () => {
    const second: DocSpec = { pages: [{ runs: [run('第二个文档', 30, 40)] }], seal: { sealName: '某某单位', signer: '张三', page: 1 } };
    const doc = await read(writeOfd([{ pages: [pages[0]!, { runs: [run('第一个文档第二页', 30, 40)] }] }, second]));
    expect(doc.pages.map((p) => p.text)).toEqual(['关于某某项目的批复\n此复。', '第一个文档第二页', '第二个文档']);
    expect(doc.findings.map((f) => f.code)).toEqual(['ofd-multiple-documents']);
    expect(doc.electronicSeals).toEqual([expect.objectContaining({ name: '某某单位', signer: '张三', page: 3 })]);
  });
});

describe('when looking for electronic seals', () => {
  it('finds a signature list that DocBody does not name in the document’s Signs folder', async () => {
    const sealed: DocSpec = { pages: [{ runs: [run('同意立项。', 30, 40)] }], seal: { sealName: '某某市数据资源局', signer: '李四', page: 1 } };
    const listed = await read(writeOfd([sealed]));
    const unlisted = await read(writeOfd([sealed], { unlistedSignatures: true }));
    expect(unlisted.electronicSeals).toEqual(listed.electronicSeals);
    expect(unlisted.electronicSeals).toEqual([expect.objectContaining({ name: '某某市数据资源局', signer: '李四', page: 1 })]);
  });

  it('records none for an OFD without signatures, and names a seal file that is missing', async () => {
    const plain = await read(writeOfd([{ pages: [{ runs: [run('无签章', 30, 40)] }] }]));
    expect(plain.electronicSeals).toBeUndefined();
    const sealed: DocSpec = { pages: [{ runs: [run('同意立项。', 30, 40)] }], seal: { sealName: '某某市数据资源局', signer: '李四', page: 1 } };
    const withoutEsl = await read(writeOfd([sealed], { omit: (name) => name.endsWith('Seal.esl') }));
    // The seal embedded in SignedValue.dat still names it.
    expect(withoutEsl.electronicSeals).toEqual([expect.objectContaining({ name: '某某市数据资源局', signer: '李四' })]);
    expect(withoutEsl.findings).toEqual([expect.objectContaining({ code: 'ofd-part-unreadable', message: expect.stringContaining('电子印章文件') })]);
  });
});

describe('when a page has no usable text', () => {
  it('OCRs a scanned page from its image with the real OCR engine', async () => {
    const pool = createOcrPool({ size: 1 });
    try {
      const document = makeDocument('approval_document', profiles[0]!, { compact: true });
      const pageText = scanPages(document)[0]!;
      const scan = await renderScan(pageText, { format: 'jpeg', seed: 3 });
      const doc = await read(
        writeOfd([{ pages: [{ images: [{ resourceId: '7', x: 0, y: 0, w: 210, h: 297 }] }], media: [{ id: '7', file: 'scan.jpg', bytes: scan, format: 'JPEG' }] }]),
        { ocr: pool, limits: defaultExtractionLimits },
      );
      expect(doc.status).toBe('ok');
      expect(doc.pages[0]!.source).toBe('ocr');
      expect(characterErrorRate(normalizeText(pageText), doc.pages[0]!.text)).toBeLessThanOrEqual(0.05);
      expect(docTypesOf(doc.pages)[0]).toBe('approval_document');
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('turns a scan stored sideways as its CTM shows it before OCR', async () => {
    const pool = createOcrPool({ size: 1 });
    try {
      const text = '关于智慧城管平台建设项目竣工验收的请示\n项目总投资三百八十六万元，已按期完成建设。';
      const upright = await renderScan(text, { heightMm: 70 });
      const sideways = await sharp(upright).rotate(270).png().toBuffer();
      const placement = { resourceId: '2', x: 20, y: 20, w: 170, h: 60, ctm: '0 60 -170 0 170 0' };
      const doc = await read(writeOfd([{ pages: [{ images: [placement] }], media: [{ id: '2', file: 'sideways.png', bytes: sideways }] }]), {
        ocr: pool,
        limits: defaultExtractionLimits,
      });
      expect(doc.pages[0]!.source).toBe('ocr');
      expect(characterErrorRate(normalizeText(text), doc.pages[0]!.text)).toBeLessThanOrEqual(0.1);
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('names a JBIG2 image it cannot decode in a page finding instead of failing', async () => {
    const jbig2 = Buffer.concat([Buffer.from('974a42320d0a1a0a01', 'hex'), Buffer.alloc(40)]);
    const { ctx, images } = fakeOcr('不应调用');
    const doc = await read(
      writeOfd([{ pages: [{ runs: [run('发票', 30, 30)] }, { images: [{ resourceId: '5', x: 0, y: 0, w: 210, h: 297 }] }], media: [{ id: '5', file: 'image_5.jb2', bytes: jbig2, format: 'GBIG2' }] }]),
      ctx,
    );
    expect(images).toEqual([]);
    expect(doc.status).toBe('ok');
    expect(doc.pages[1]).toEqual({ n: 2, text: '', source: 'text-layer' });
    expect(doc.findings).toEqual([expect.objectContaining({ code: 'ofd-image-undecodable', page: 2, message: expect.stringContaining('JBIG2') })]);
  });

  it('OCRs the page image when the text is glyph codes without a Unicode mapping, and says so', async () => {
    const glyphCodes = Array.from({ length: 40 }, (_, i) => String.fromCodePoint(0xe000 + ((i * 7) % 23))).join('');
    const png = await renderScan('印章页', { heightMm: 30 });
    const spec = (withImage: boolean): DocSpec => ({
      pages: [{ runs: [run(glyphCodes, 28, 50)], ...(withImage ? { images: [{ resourceId: '3', x: 0, y: 0, w: 210, h: 297 }] } : {}) }],
      media: [{ id: '3', file: 'p.png', bytes: png }],
    });
    const withImage = await read(writeOfd([spec(true)]), fakeOcr('识别出的正文').ctx);
    expect(withImage.pages[0]).toMatchObject({ source: 'ocr', text: '识别出的正文' });
    expect(withImage.findings.map((f) => f.code)).toEqual(['ofd-text-unmapped']);

    const without = await read(writeOfd([spec(false)]), fakeOcr('不应调用').ctx);
    expect(without.pages[0]).toEqual({ n: 1, text: '', source: 'text-layer' });
    expect(without.status).toBe('empty');
    expect(without.findings).toEqual([expect.objectContaining({ code: 'ofd-text-unmapped', severity: 'warning', page: 1 })]);
  });

  it('maps glyph indexes (CGTransform) back to characters through the embedded font’s character map', async () => {
    // The embedded subset font of the real Suwell 公函; glyph indexes come from fontkit, not from the reader.
    const suwell = await OfdPackage.open(readFileSync(sharedPath('samples', 'real', 'ofd', 'ofdrw_testPathFillOpacity_gonghan_suwell.ofd')));
    const font = await suwell.read(['Doc_0/Res/font1_59.ttf'], 'media');
    suwell.close();
    if (font.kind !== 'ok') throw new Error('font1_59.ttf missing from the real Suwell OFD');
    const title = '关于加快南货场铁路涵洞下穿建设的函';
    const glyphIds = fontkit.create(font.bytes).layout(title).glyphs.map((glyph) => glyph.id);
    expect(glyphIds.every((id) => id > 0)).toBe(true);
    const placeholders = Array.from(title, (_, i) => String.fromCodePoint(0xe000 + i)).join('');
    const coded: TextRun = { text: placeholders, x: 30, y: 50, fontId: '16', glyphs: [{ position: 0, count: title.length, glyphs: glyphIds }] };
    const doc = await read(
      writeOfd([{ fonts: [{ id: '16', name: '方正小标宋简体', file: 'font1_59.ttf', bytes: font.bytes }], pages: [{ runs: [coded, run('2023年7月12日', 30, 70)] }] }]),
    );
    expect(doc.pages[0]).toEqual({ n: 1, text: `${title}\n2023年7月12日`, source: 'text-layer' });
    expect(doc.findings).toEqual([expect.objectContaining({ code: 'ofd-glyphs-mapped', page: 1 })]);
  });

  it('OCRs a scan cut into strips under a printed page number, and leaves a short page with a small seal picture alone', async () => {
    const png = await renderScan('扫描', { heightMm: 30 });
    const strips = [0, 1, 2, 3].map((i) => ({ resourceId: '1', x: 0, y: i * 74, w: 210, h: 74 }));
    const { ctx, images } = fakeOcr('关于某某项目竣工验收的请示正文');
    const doc = await read(
      writeOfd([
        {
          pages: [
            { runs: [run('— 1 —', 97, 280)], images: strips },
            { runs: [run('此页无正文。', 28, 40)], images: [{ resourceId: '1', x: 130, y: 200, w: 40, h: 40 }] },
          ],
          media: [{ id: '1', file: 'strip.png', bytes: png }],
        },
      ]),
      ctx,
    );
    expect(images).toHaveLength(4);
    expect(doc.pages.map((p) => [p.source, p.text])).toEqual([
      ['ocr', ['关于某某项目竣工验收的请示正文', '关于某某项目竣工验收的请示正文', '关于某某项目竣工验收的请示正文', '关于某某项目竣工验收的请示正文'].join('\n')],
      ['text-layer', '此页无正文。'],
    ]);
  });

  it('stops OCR at the per-document page limit and names the pages left unread', async () => {
    const png = await renderScan('扫描', { heightMm: 30 });
    const scanned = { images: [{ resourceId: '1', x: 0, y: 0, w: 210, h: 297 }] };
    const { ctx, images } = fakeOcr('扫描页', { maxOcrPagesPerDocument: 1 });
    const doc = await read(writeOfd([{ pages: [scanned, scanned, scanned], media: [{ id: '1', file: 'a.png', bytes: png }] }]), ctx);
    expect(images).toHaveLength(1);
    expect(doc.pages.map((p) => p.source)).toEqual(['ocr', 'text-layer', 'text-layer']);
    expect(doc.findings.find((f) => f.code === 'ocr-page-limit')?.message).toContain('第 2–3 页');
  });
});

describe('when an OFD is damaged or hostile', () => {
  const body = { runs: [run('正文第一页', 30, 40)] };

  it('bounds a zip bomb in a Content.xml and still reads the other pages', async () => {
    const bomb = Buffer.alloc(40 * 1024 * 1024, 0x20);
    const bytes = writeOfd([{ pages: [body, { rawContent: Buffer.concat([Buffer.from('<ofd:Page xmlns:ofd="x">'), bomb]) }] }]);
    expect(bytes.length).toBeLessThan(1024 * 1024);
    const doc = await read(bytes);
    expect(doc.status).toBe('ok');
    expect(doc.pages.map((p) => p.text)).toEqual(['正文第一页', '']);
    expect(doc.findings).toEqual([expect.objectContaining({ code: 'ofd-part-too-large', page: 2, message: expect.stringContaining('32 MB') })]);
  });

  it('does not trust a declared size that lies, and caps the total read', async () => {
    const twoPages = writeOfd([{ pages: [body, { runs: [run('第二页', 30, 40)] }] }]);
    const small = createOfdExtractor({ maxXmlPartBytes: 4096, maxMediaPartBytes: 4096, maxTotalBytes: 1500, maxEntries: 100 });
    const doc = await small({ path: 'x.ofd', bytes: twoPages, kind: 'ofd' }, contextWithoutOcr());
    expect(doc.findings.map((f) => f.code)).toContain('ofd-part-too-large');
    expect(doc.findings.find((f) => f.code === 'ofd-part-too-large')?.message).toContain('合计');

    const lying = writeZip([
      { name: 'OFD.xml', data: '<ofd:OFD xmlns:ofd="x"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>' },
      { name: 'Doc_0/Document.xml', data: '<ofd:Document xmlns:ofd="x"><ofd:Pages><ofd:Page ID="1" BaseLoc="P.xml"/></ofd:Pages></ofd:Document>' },
      { name: 'Doc_0/P.xml', data: Buffer.alloc(2 * 1024 * 1024, 0x20), declaredUncompressedSize: 100 },
    ]);
    const lied = await createOfdExtractor({ maxXmlPartBytes: 64 * 1024, maxMediaPartBytes: 64 * 1024, maxTotalBytes: 10 * 1024 * 1024, maxEntries: 100 })(
      { path: 'x.ofd', bytes: lying, kind: 'ofd' },
      contextWithoutOcr(),
    );
    expect(lied.pages).toEqual([{ n: 1, text: '', source: 'text-layer' }]);
    expect(lied.findings.map((f) => f.code)).toEqual([expect.stringMatching(/^ofd-part-(too-large|unreadable)$/)]);
  });

  it('bounds the glyphs of a page whose template and content each carry a quarter of a million characters', async () => {
    const huge = (y: number) => run('文字'.repeat(125_000), 0, y, { rawDeltaX: 'g 249999 0.01' });
    const doc = await read(writeOfd([{ templates: [{ id: 'T', runs: [huge(20)] }], pages: [{ templateId: 'T', runs: [huge(60)] }] }]));
    expect(doc.status).toBe('ok');
    expect(doc.pages[0]!.text.split('\n').map((line) => line.length)).toEqual([200_000, 200_000]);
  });

  it('reads what a cut Content.xml still holds and says the part is not well-formed', async () => {
    const full = '<ofd:Page xmlns:ofd="x"><ofd:Content><ofd:Layer ID="1"><ofd:TextObject ID="2" Boundary="30 30 100 5" Size="4.2"><ofd:TextCode X="0" Y="4.2">被截断的页面</ofd:TextCode></ofd:TextObject><ofd:TextObj';
    const doc = await read(writeOfd([{ pages: [{ rawContent: full }] }]));
    expect(doc.pages[0]!.text).toBe('被截断的页面');
    expect(doc.findings).toEqual([expect.objectContaining({ code: 'ofd-part-malformed', page: 1 })]);
  });

  it('names a page whose Content.xml is missing and reads the rest', async () => {
    const doc = await read(writeOfd([{ pages: [body, body] }], { omit: (name) => name.includes('Page_1/') }));
    expect(doc.status).toBe('ok');
    expect(doc.pages).toHaveLength(2);
    expect(doc.findings).toEqual([expect.objectContaining({ code: 'ofd-part-unreadable', page: 2 })]);
  });

  it('reports a file that is not a zip, and a zip without OFD.xml, as unreadable in Chinese', async () => {
    const notZip = await read(Buffer.from('%PDF-1.4 not an ofd'));
    expect(notZip.status).toBe('unreadable');
    expect(notZip.message).toMatch(/^无法读取 OFD 文件/);
    const noEntry = await read(writeZip([{ name: 'Doc_0/Document.xml', data: '<Document/>' }]));
    expect(noEntry).toMatchObject({ status: 'unreadable', message: expect.stringContaining('OFD.xml') });
  });

  it('reads at most the page limit and says how many pages the file claims', async () => {
    const { ctx } = fakeOcr('', { maxPagesPerDocument: 2 });
    const doc = await read(writeOfd([{ pages: [body, body, body] }]), ctx);
    expect(doc.pages).toHaveLength(2);
    expect(doc.findings).toEqual([expect.objectContaining({ code: 'page-limit', message: expect.stringContaining('共 3 页') })]);
  });
});
