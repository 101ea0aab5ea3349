import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultExtractionLimits } from '../../extractors/limits.ts';
import { ExtractedDocumentSchema, type ExtractionContext, type OcrEngine } from '../../extractors/model.ts';
import { createOcrPool } from '../../extractors/ocr/index.ts';
import { extractOfd } from '../../extractors/ofd/index.ts';
import { extractDocument } from '../../extractors/registry.ts';
import { contextWithoutOcr } from '../extractors/context.ts';
import { sharedPath } from '../helpers/shared-data.ts';

/** The four real OFD files in samples/real/ofd (see SOURCES.md); expected lines were read off their TextCode by hand. */
const real = (name: string) => readFileSync(sharedPath('samples', 'real', 'ofd', name));
const read = (name: string, ctx: ExtractionContext = contextWithoutOcr()) => extractOfd({ path: name, bytes: real(name), kind: 'ofd' }, ctx);
const lines = (text: string) => text.split('\n');

describe('when reading the real 公文 from iOFD (路卫发〔2011〕76号)', () => {
  const name = 'ofdrw_n_gongwen_iofd.ofd';

  it('gives both pages in reading order, 文号 and title on lines of their own', async () => {
    const doc = await read(name);
    expect(doc.status).toBe('ok');
    expect(doc.meta.pageCount).toBe(2);
    expect(doc.pages.map((p) => p.source)).toEqual(['text-layer', 'text-layer']);
    const first = lines(doc.pages[0]!.text);
    expect(first.slice(0, 4)).toEqual(['测试符路桥区卫生局文件', '路卫发〔2011〕76号', '关于同意张阿三同志辞职的批复', '区中医院:']);
    expect(first).toContain('张阿三,男,1978年2月出生,籍贯江西新建,2001年9月参');
    expect(first.at(-1)).toBe('— 1 —');
    // The 版记 puts the office on the left and the date on the right of one printed line.
    expect(lines(doc.pages[1]!.text)).toEqual(['测试符路桥区卫生局办公室', '2011年3月10日', '测试符路桥区卫生局办公室2011年3月10日印发', '— 2 —']);
  });

  it('records the electronic seal on page 2 with its name from Seal.esl and the signer’s certificate', async () => {
    const doc = await read(name);
    expect(doc.electronicSeals).toEqual([
      expect.objectContaining({ source: 'ofd-signature', kind: 'seal', name: '某某省人力资源和社会测试章', signer: 'www.dms360.cn', page: 2, verified: false }),
    ]);
    expect(ExtractedDocumentSchema.parse(doc).electronicSeals).toHaveLength(1);
  });

  it('is read through the registry for kind ofd', async () => {
    const doc = await extractDocument({ path: name, bytes: real(name), kind: 'ofd' }, contextWithoutOcr());
    expect(doc.status).toBe('ok');
    expect(doc.pages[0]!.text).toContain('路卫发〔2011〕76号');
  });
});

describe('when reading the real 公函 from Suwell (text split into many objects, embedded fonts, seal as an image)', () => {
  it('joins the objects of each printed line and does not OCR the seal picture', async () => {
    const doc = await read('ofdrw_testPathFillOpacity_gonghan_suwell.ofd');
    expect(doc.status).toBe('ok');
    expect(doc.meta).toMatchObject({ pageCount: 1, ocrPages: 0, title: '蚌埠市国土资源局', creator: 'Suwell OFD convertor' });
    expect(lines(doc.pages[0]!.text)).toEqual([
      '关于加快南货场铁路涵洞下穿建设的函',
      '蚌山区政府:',
      '根据我市2023年房地产用地供应计划,蚌山区东海大道北侧、',
      '解放路西侧居住地块计划于7月份出让,按照7月7日张铭副市',
      '长主持召开市自然资源和规划委员会审查会2023年第7次会议要',
      '求,你区需尽快落实南货场铁路涵洞下穿建设方案,建设方案与',
      '本宗地出让方案一并公告、同步建设、同期交付。为确保该宗地',
      '按计划完成供应,请你区政府尽快落实南货场铁路涵洞下穿建设',
      '方案,并加快工程施工建设。',
      '此函。',
      '2023年7月12日',
    ]);
    expect(doc.electronicSeals).toBeUndefined();
  });
});

describe('when reading the real VAT e-invoice (g-compressed deltas, template page, JBIG2 QR code, broken CustomTag.xml)', () => {
  const name = 'easyofd_zengzhishui_zhuanpiao5_chinatax.ofd';

  it('places g-compressed glyphs and merges the template’s labels with the page’s values', async () => {
    const doc = await read(name);
    expect(doc.status).toBe('ok');
    const text = lines(doc.pages[0]!.text);
    expect(text).toContain('贵州增值税电子专用发票');
    expect(text).toContain('发票号码:00008006');
    expect(text).toContain('开票日期:2022年05月05日');
    expect(text).toContain('开户行及账号:中国工商银行股份有限公司贵阳省政府支行2402012219200041549');
    expect(text).toContain('价税合计(大写)贰万伍仟贰佰伍拾肆圆陆角贰分(小写)¥25254.62');
    expect(text).toContain('收款人:管理员复核:管理员开票人:管理员');
    // One TextCode wraps onto a second line through a negative DeltaX and a DeltaY step.
    expect(text).toContain('贵州省黔南布依族苗族自治州都匀市龙山大道伯爵国际花园13栋1层1号');
    expect(text).toContain('13908546986');
  });

  it('is not failed by the CustomTag.xml that is not well-formed, and does not OCR a page that has text', async () => {
    const doc = await read(name);
    expect(doc.findings).toEqual([]);
    expect(doc.meta.ocrPages).toBe(0);
  });

  it('reads the seal name and signer from the SES_Signature in SignedValue.dat (there is no Seal.esl)', async () => {
    const doc = await read(name);
    expect(doc.electronicSeals).toEqual([
      expect.objectContaining({ name: '国家税务总局贵州省税务局', signer: '国家税务总局贵州省税务局', page: 1, provider: 'gomain_eseal' }),
    ]);
  });
});

describe('when reading the real image-only OFD from WPS (folder DOC_0 where Document.xml says Doc_0, .JPEG)', () => {
  const pool = createOcrPool({ size: 1 });
  afterAll(() => pool.close());

  it('finds each page’s JPEG despite the case mismatch and sends it to the real OCR engine', async () => {
    const sizes: number[] = [];
    const ocr: OcrEngine = {
      recognize: (image) => {
        sizes.push(image.length);
        return pool.recognize(image);
      },
      close: async () => undefined,
    };
    const doc = await read('ofdrw_containsJPEG_imageonly_wps.ofd', { ocr, limits: defaultExtractionLimits });
    expect(sizes).toHaveLength(2);
    expect(doc.pages.map((p) => p.source)).toEqual(['ocr', 'ocr']);
    expect(doc.meta).toMatchObject({ pageCount: 2, ocrPages: 2, creator: 'WPS 文字' });
    expect(doc.findings.map((f) => f.code)).toEqual(['ofd-scanned-pages']);
    // The picture is a phone photo of a cinema screen (a stylised film title): OCR honestly finds no document text.
    expect(doc.status).toBe('empty');
    expect(doc.message).toContain('共 2 页');
  }, 120_000);
});
