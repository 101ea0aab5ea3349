import sharp from 'sharp';
import { extractImage } from '../image.ts';
import type {
  DocumentMeta,
  ElectronicSeal,
  ExtractedDocument,
  ExtractionContext,
  ExtractionStatus,
  Extractor,
  ExtractorInput,
  FileFinding,
  Page,
} from '../model.ts';
import { normalizeText } from '../normalize.ts';
import { judgeTextLayer } from '../pdf/garbage.ts';
import { describePages } from '../pdf/page-ranges.ts';
import { estimatedAdvance, expandDeltas, glyphsToLines, type Glyph } from './layout.ts';
import {
  candidatePaths,
  DEFAULT_OFD_PACKAGE_LIMITS,
  dirnameOf,
  OfdPackage,
  type OfdPackageLimits,
  type PartRead,
} from './package.ts';
import { glyphToUnicode } from './cmap.ts';
import { readSignedValue, sealNameFromEsl } from './seal.ts';
import { attr, childAt, childNamed, childrenNamed, parseXml, textOf, type XmlNode } from './xml.ts';
import { OFD_EXTRACTOR_VERSION } from '../versions.ts';

export { OFD_EXTRACTOR_VERSION };

/** Images OCR'd on one page at most (an image-only page is usually one scan, sometimes cut into strips). */
const MAX_IMAGES_PER_PAGE = 16;
/** Glyphs read from one page at most; a crafted DeltaX of millions of entries stops here. */
const MAX_GLYPHS_PER_PAGE = 200_000;
/** A quarter of an A4 page, in mm²: images this large together, on a page with hardly any text, are taken for a scan. */
const LARGE_IMAGE_AREA = (210 * 297) / 4;
/** Nested PageBlock depth at most. */
const MAX_BLOCK_DEPTH = 16;

const MESSAGES = {
  corrupt: '无法读取 OFD 文件：文件已损坏或不是有效的 OFD（ZIP 结构无法打开）',
  noEntry: '无法读取 OFD 文件：缺少入口文件 OFD.xml 或其中没有文档（DocBody），可能是其他格式改了扩展名',
  noDocument: '无法读取 OFD 文件：文档根文件（Document.xml）缺失或无法解析',
  noText: (pageCount: number) => `OFD 中没有可读取的文字（共 ${pageCount} 页：没有文字对象，页面图像也未识别出文字）`,
} as const;

const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

function partFinding(read: Exclude<PartRead, { kind: 'ok' }>, what: string, page?: number): FileFinding {
  const where = page !== undefined ? `第 ${page} 页的${what}` : what;
  // `path` of a finding is the file in the dossier (set by the caller's context); the part is named in the message.
  const base = page !== undefined ? { page } : {};
  switch (read.kind) {
    case 'too-large':
      return { code: 'ofd-part-too-large', severity: 'warning', message: `${where}（${read.path}）解压后超过 ${mb(read.limit)} 上限（疑似压缩炸弹），未读取`, ...base };
    case 'total-exceeded':
      return { code: 'ofd-part-too-large', severity: 'warning', message: `OFD 各部件解压后合计超过 ${mb(read.limit)} 上限，${where}（${read.path}）及其后的部件未读取`, ...base };
    case 'missing':
      return { code: 'ofd-part-unreadable', severity: 'warning', message: `${where}（${read.path || '未指明路径'}）在 OFD 包中不存在，已跳过`, ...base };
    case 'corrupt':
      return { code: 'ofd-part-unreadable', severity: 'warning', message: `${where}（${read.path}）已损坏，无法解压，已跳过`, ...base };
  }
}

interface MediaResource {
  format?: string;
  candidates: string[];
}

/** What one document's resource lists name: media by ID, embedded font files by font ID. */
interface DocResources {
  media: Map<string, MediaResource>;
  fonts: Map<string, string[]>;
  /** Resource lists already read (every page may name the same PageRes). */
  listsRead: Set<string>;
  /** Glyph → character maps of embedded fonts, read on first need. */
  glyphMaps: Map<string, Map<number, string>>;
}

/** A CGTransform: the `count` characters from `position` of a TextCode are drawn with these glyph indexes. */
interface GlyphTransform {
  position: number;
  count: number;
  glyphs: number[];
}

/** One TextCode's glyphs inside PageContent.glyphs, kept for mapping glyph indexes back to characters. */
interface TextCodeRecord {
  fontId?: string;
  glyphStart: number;
  length: number;
  transforms: GlyphTransform[];
}

interface PageImage {
  resourceId: string;
  x: number;
  y: number;
  /** Boundary area in mm². */
  area: number;
  /** Quarter turns clockwise the CTM gives the picture on the page (a scan stored sideways and turned upright). */
  quarterTurns: number;
}

interface PageContent {
  glyphs: Glyph[];
  images: PageImage[];
  codes: TextCodeRecord[];
}

interface DocumentRead {
  /** Folder of Document.xml inside the package. */
  dir: string;
  pageIds: Map<string, number>;
}

/** One OFD being read: the package, the findings so far, and the pages in document order. */
class OfdReader {
  readonly findings: FileFinding[] = [];
  readonly pages: Page[] = [];
  readonly seals: ElectronicSeal[] = [];
  private ocrPagesUsed = 0;
  private readonly ocrSkipped: number[] = [];
  private readonly scanned: number[] = [];
  private readonly garbled: number[] = [];
  private readonly pageLimit: number;
  declaredPages = 0;

  constructor(
    private readonly pkg: OfdPackage,
    private readonly input: ExtractorInput,
    private readonly ctx: ExtractionContext,
  ) {
    this.pageLimit = Math.max(0, ctx.limits.maxPagesPerDocument);
  }

  /** Reads and parses an XML part; a malformed essential part is read leniently and named in a finding. */
  async xml(candidates: string[], what: string, page?: number): Promise<{ root: XmlNode; path: string } | undefined> {
    const read = await this.pkg.read(candidates, 'xml');
    if (read.kind !== 'ok') {
      this.findings.push(partFinding(read, what, page));
      return undefined;
    }
    const parsed = parseXml(read.bytes, true);
    if (!parsed.wellFormed) {
      this.findings.push({
        code: 'ofd-part-malformed',
        severity: 'warning',
        message: `${page !== undefined ? `第 ${page} 页的` : ''}${what}（${read.path}）不是格式正确的 XML，已尽量读取其中的内容`,
        ...(page !== undefined ? { page } : {}),
      });
    }
    return parsed.root ? { root: parsed.root, path: read.path } : undefined;
  }

  async readDocument(docBody: XmlNode): Promise<DocumentRead | undefined> {
    const docRoot = textOf(childNamed(docBody, 'DocRoot'));
    const document = docRoot ? await this.xml(candidatePaths(docRoot, ''), '文档根文件') : undefined;
    if (!document) return undefined;
    const docDir = dirnameOf(document.path);
    const commonData = childNamed(document.root, 'CommonData');

    const resources: DocResources = { media: new Map(), fonts: new Map(), listsRead: new Set(), glyphMaps: new Map() };
    const resourceRefs = [...childrenNamed(commonData, 'PublicRes'), ...childrenNamed(commonData, 'DocumentRes')];
    for (const ref of resourceRefs) await this.readResources(textOf(ref), docDir, resources);

    const templates = new Map<string, string[]>();
    for (const template of childrenNamed(commonData, 'TemplatePage')) {
      const id = attr(template, 'ID');
      const baseLoc = attr(template, 'BaseLoc');
      if (id && baseLoc) templates.set(id, candidatePaths(baseLoc, docDir));
    }
    const templateCache = new Map<string, PageContent | undefined>();

    const pageIds = new Map<string, number>();
    const pageNodes = childrenNamed(childNamed(document.root, 'Pages'), 'Page');
    this.declaredPages += pageNodes.length;
    for (const pageNode of pageNodes) {
      if (this.pages.length >= this.pageLimit) break;
      const n = this.pages.length + 1;
      const id = attr(pageNode, 'ID');
      if (id) pageIds.set(id, n);
      const baseLoc = attr(pageNode, 'BaseLoc');
      const content: PageContent = { glyphs: [], images: [], codes: [] };
      const page = baseLoc ? await this.xml(candidatePaths(baseLoc, docDir), '页面内容', n) : undefined;
      if (!baseLoc) {
        this.findings.push({ code: 'ofd-part-unreadable', severity: 'warning', message: `第 ${n} 页没有指明页面内容文件，已跳过`, page: n });
      }
      if (page) {
        const pageDir = dirnameOf(page.path);
        for (const pageRes of childrenNamed(page.root, 'PageRes')) await this.readResources(textOf(pageRes), pageDir, resources);
        for (const templateRef of childrenNamed(page.root, 'Template')) {
          const templateId = attr(templateRef, 'TemplateID');
          const where = templateId ? templates.get(templateId) : undefined;
          if (!templateId || !where) continue;
          if (!templateCache.has(templateId)) {
            const template = await this.xml(where, '模板页', n);
            templateCache.set(templateId, template ? collectContent(template.root) : undefined);
          }
          const templateContent = templateCache.get(templateId);
          if (templateContent) append(content, templateContent);
        }
        append(content, collectContent(page.root));
      }
      await this.settlePage(n, content, resources);
    }
    return { dir: docDir, pageIds };
  }

  /** A resource list (PublicRes.xml, DocumentRes.xml, a page's PageRes): the media and font files it names. */
  private async readResources(reference: string, baseDir: string, resources: DocResources): Promise<void> {
    if (!reference) return;
    const candidates = candidatePaths(reference, baseDir);
    const key = (this.pkg.find(candidates) ?? candidates[0] ?? '').toLowerCase();
    if (resources.listsRead.has(key)) return;
    resources.listsRead.add(key);
    const res = await this.xml(candidates, '资源文件');
    if (!res) return;
    const resDir = dirnameOf(res.path);
    const baseLoc = attr(res.root, 'BaseLoc');
    // Media files are named relative to the list's BaseLoc folder; some producers name them from the list's own folder.
    const mediaDirs = baseLoc ? [candidatePaths(baseLoc, resDir)[0] ?? resDir, resDir] : [resDir];
    for (const item of childrenNamed(childNamed(res.root, 'MultiMedias'), 'MultiMedia')) {
      const id = attr(item, 'ID');
      const file = textOf(childNamed(item, 'MediaFile'));
      if (!id || !file) continue;
      const candidates = [...new Set(mediaDirs.flatMap((dir) => candidatePaths(file, dir)))];
      const format = attr(item, 'Format');
      resources.media.set(id, { candidates, ...(format ? { format } : {}) });
    }
    for (const font of childrenNamed(childNamed(res.root, 'Fonts'), 'Font')) {
      const id = attr(font, 'ID');
      const file = textOf(childNamed(font, 'FontFile'));
      if (id && file) resources.fonts.set(id, [...new Set(mediaDirs.flatMap((dir) => candidatePaths(file, dir)))]);
    }
  }

  private async settlePage(n: number, content: PageContent, resources: DocResources): Promise<void> {
    const rawText = glyphsToLines(content.glyphs).join('\n');
    const verdict = judgeTextLayer(rawText);
    if (!verdict.usable && verdict.reason !== 'too-short' && verdict.reason !== 'no-text') {
      const mapped = await this.mapGlyphIndexes(content, resources);
      const mappedText = mapped ? glyphsToLines(mapped).join('\n') : '';
      if (mapped && judgeTextLayer(mappedText).usable) {
        this.findings.push({
          code: 'ofd-glyphs-mapped',
          severity: 'info',
          page: n,
          message: `第 ${n} 页的文字以字形编码写入，已按嵌入字体的字符映射还原为文字`,
        });
        this.addPage({ n, text: normalizeText(mappedText), source: 'text-layer' });
        return;
      }
    }
    // Short or absent text is still true text; only text that reads as unmapped glyph codes is thrown away.
    const usable = verdict.usable || verdict.reason === 'too-short' || verdict.reason === 'no-text';
    const text = usable ? normalizeText(rawText) : '';
    // A page number or a date over a scan is "too short": the scan is read if it covers a good part of the page,
    // so that a seal or logo beside real text does not cost an OCR run.
    const imageArea = content.images.reduce((sum, image) => sum + image.area, 0);
    const images = verdict.reason === 'too-short' && imageArea < LARGE_IMAGE_AREA ? [] : content.images;
    const needsOcr = images.length > 0 && (!usable || verdict.reason === 'too-short' || verdict.reason === 'no-text');
    if (!needsOcr) {
      if (!usable) this.unmappedWithoutImages(n);
      this.addPage({ n, text, source: 'text-layer' });
      return;
    }
    if (!usable) this.garbled.push(n);
    if (this.ocrPagesUsed >= Math.max(0, this.ctx.limits.maxOcrPagesPerDocument)) {
      this.ocrSkipped.push(n);
      this.addPage({ n, text, source: 'text-layer' });
      return;
    }
    const ocr = await this.recognizeImages(n, images, resources.media);
    // The limit bounds OCR work, so a page counts once its images were read, whichever reading is kept.
    if (ocr) this.ocrPagesUsed += 1;
    if (ocr && !(verdict.reason === 'too-short' && meaningfulLength(ocr.text) <= meaningfulLength(text))) {
      if (usable) this.scanned.push(n);
      this.addPage({ n, text: ocr.text, source: 'ocr', confidence: ocr.confidence });
    } else {
      if (!usable && !ocr) this.unmappedWithoutImages(n);
      this.addPage({ n, text, source: 'text-layer' });
    }
  }

  /**
   * The page's glyphs with characters taken from the embedded fonts wherever a TextCode names its glyph indexes
   * (CGTransform); undefined when no TextCode does or no font maps them.
   */
  private async mapGlyphIndexes(content: PageContent, resources: DocResources): Promise<Glyph[] | undefined> {
    const glyphs = content.glyphs.slice();
    let mapped = 0;
    for (const code of content.codes) {
      if (code.fontId === undefined || code.transforms.length === 0) continue;
      const map = await this.glyphMap(code.fontId, resources);
      if (map.size === 0) continue;
      const end = code.glyphStart + code.length;
      for (const transform of code.transforms) {
        const chars = transform.glyphs.map((glyph) => map.get(glyph) ?? '');
        if (chars.every((char) => char === '')) continue;
        mapped += 1;
        // One glyph per character keeps each at its own position; a ligature's text goes to its first character.
        const oneToOne = chars.length === transform.count;
        for (let i = 0; i < transform.count; i++) {
          const index = code.glyphStart + transform.position + i;
          if (index >= end) break;
          const char = oneToOne ? chars[i]! : i === 0 ? chars.join('') : '';
          glyphs[index] = { ...glyphs[index]!, char };
        }
      }
    }
    return mapped > 0 ? glyphs : undefined;
  }

  private async glyphMap(fontId: string, resources: DocResources): Promise<Map<number, string>> {
    const cached = resources.glyphMaps.get(fontId);
    if (cached) return cached;
    let map = new Map<number, string>();
    const candidates = resources.fonts.get(fontId);
    if (candidates) {
      const read = await this.pkg.read(candidates, 'media');
      if (read.kind === 'ok') map = glyphToUnicode(read.bytes);
      else this.findings.push(partFinding(read, '嵌入字体'));
    }
    resources.glyphMaps.set(fontId, map);
    return map;
  }

  private unmappedWithoutImages(n: number): void {
    this.findings.push({
      code: 'ofd-text-unmapped',
      severity: 'warning',
      page: n,
      message: `第 ${n} 页的文字是字形编码（嵌入字体没有可用的 Unicode 映射），无法读取，且页面上没有可识别的图像`,
    });
  }

  private addPage(page: Page): void {
    this.pages.push(page);
    this.ctx.onPage?.({ page: page.n, pageCount: Math.min(this.declaredPages, this.pageLimit), source: page.source });
  }

  /** OCRs the page's images top to bottom; undefined when none could be read. OCR engine failures propagate. */
  private async recognizeImages(
    n: number,
    images: PageImage[],
    media: Map<string, MediaResource>,
  ): Promise<{ text: string; confidence: number } | undefined> {
    const ordered = [...images].sort((a, b) => a.y - b.y || a.x - b.x).slice(0, MAX_IMAGES_PER_PAGE);
    const texts: string[] = [];
    const confidences: number[] = [];
    const undecodable = new Set<string>();
    const { onPage: _quiet, ...quietCtx } = this.ctx;
    for (const image of ordered) {
      const resource = media.get(image.resourceId);
      if (!resource) {
        this.findings.push({ code: 'ofd-part-unreadable', severity: 'warning', page: n, message: `第 ${n} 页引用的图像资源（ID ${image.resourceId}）在资源文件中没有登记，已跳过` });
        continue;
      }
      const read = await this.pkg.read(resource.candidates, 'media');
      if (read.kind !== 'ok') {
        this.findings.push(partFinding(read, '图像', n));
        continue;
      }
      const format = imageFormat(read.bytes);
      if (!format.decodable) {
        undecodable.add(format.name ?? resource.format ?? '未知');
        continue;
      }
      const upright = image.quarterTurns === 0 ? read.bytes : await turn(read.bytes, image.quarterTurns, this.ctx.limits.refuseImagePixels);
      const doc = await extractImage({ path: `${this.input.path}#第${n}页图像`, bytes: upright, kind: 'image' }, quietCtx);
      for (const { path: _imagePath, ...finding } of doc.findings) this.findings.push({ ...finding, page: n, message: `第 ${n} 页图像：${finding.message.replace(/^第 \d+ 页：/, '')}` });
      for (const page of doc.pages) {
        if (page.text !== '') texts.push(page.text);
        if (page.confidence !== undefined) confidences.push(page.confidence);
      }
    }
    if (undecodable.size > 0) {
      this.findings.push({
        code: 'ofd-image-undecodable',
        severity: 'warning',
        page: n,
        message: `第 ${n} 页的图像为 ${[...undecodable].join('、')} 格式，无法解码，其中的文字未能识别`,
      });
    }
    if (confidences.length === 0) return undefined;
    const confidence = Math.min(100, Math.max(0, confidences.reduce((sum, c) => sum + c, 0) / confidences.length));
    return { text: normalizeText(texts.join('\n')), confidence };
  }

  async readSignatures(docBody: XmlNode, document: DocumentRead): Promise<void> {
    // The standard names the list in DocBody; some producers only leave it in the document's Signs folder.
    const named = textOf(childNamed(docBody, 'Signatures'));
    const conventional = `${document.dir ? `${document.dir}/` : ''}Signs/Signatures.xml`;
    const reference = named || (this.pkg.has(conventional) ? `/${conventional}` : '');
    if (!reference) return;
    const pageIds = document.pageIds;
    const list = await this.xml(candidatePaths(reference, ''), '签名列表');
    if (!list) return;
    const listDir = dirnameOf(list.path);
    for (const entry of childrenNamed(list.root, 'Signature')) {
      const baseLoc = attr(entry, 'BaseLoc');
      if (!baseLoc) continue;
      const signature = await this.xml(candidatePaths(baseLoc, listDir), '签名文件');
      if (!signature) continue;
      this.seals.push(await this.readSignature(signature.root, dirnameOf(signature.path), pageIds, attr(entry, 'Type') ?? attr(signature.root, 'Type')));
    }
  }

  private async readSignature(root: XmlNode, dir: string, pageIds: Map<string, number>, type: string | undefined): Promise<ElectronicSeal> {
    const signedInfo = childNamed(root, 'SignedInfo');
    const provider = childNamed(signedInfo, 'Provider');
    const providerName = attr(provider, 'ProviderName') ?? textOf(childNamed(provider, 'ProviderName'));
    const signedAt = textOf(childNamed(signedInfo, 'SignatureDateTime'));
    const stamp = childNamed(signedInfo, 'StampAnnot');
    const page = pageIds.get(attr(stamp, 'PageRef') ?? '');

    let name: string | undefined;
    const sealLoc = textOf(childAt(signedInfo, 'Seal', 'BaseLoc'));
    if (sealLoc) {
      const read = await this.pkg.read(candidatePaths(sealLoc, dir), 'media');
      if (read.kind === 'ok') name = sealNameFromEsl(read.bytes);
      else this.findings.push(partFinding(read, '电子印章文件'));
    }
    let signer: string | undefined;
    const valueLoc = textOf(childNamed(root, 'SignedValue'));
    if (valueLoc) {
      const read = await this.pkg.read(candidatePaths(valueLoc, dir), 'media');
      if (read.kind === 'ok') {
        const value = readSignedValue(read.bytes);
        name ??= value.sealName;
        signer = value.signer;
      } else {
        this.findings.push(partFinding(read, '签名值文件'));
      }
    }
    return {
      source: 'ofd-signature',
      kind: type?.toLowerCase() === 'sign' ? 'signature' : 'seal',
      ...(name ? { name: normalizeText(name) } : {}),
      ...(signer ? { signer: normalizeText(signer) } : {}),
      ...(page !== undefined ? { page } : {}),
      ...(providerName ? { provider: normalizeText(providerName) } : {}),
      ...(signedAt ? { signedAt } : {}),
      verified: false,
    };
  }

  summarize(): void {
    if (this.scanned.length > 0) {
      this.findings.push({ code: 'ofd-scanned-pages', severity: 'info', page: this.scanned[0], message: `${describePages(this.scanned)}没有文字对象（仅有图像），文字由 OCR 识别` });
    }
    if (this.garbled.length > 0) {
      const ocred = this.garbled.filter((n) => this.pages[n - 1]?.source === 'ocr');
      if (ocred.length > 0) {
        this.findings.push({ code: 'ofd-text-unmapped', severity: 'warning', page: ocred[0], message: `${describePages(ocred)}的文字是字形编码（嵌入字体没有可用的 Unicode 映射），已改用页面图像做文字识别` });
      }
    }
    if (this.ocrSkipped.length > 0) {
      this.findings.push({
        code: 'ocr-page-limit',
        severity: 'warning',
        page: this.ocrSkipped[0],
        message: `${describePages(this.ocrSkipped)}需要 OCR，但超过了单个文件 ${this.ctx.limits.maxOcrPagesPerDocument} 页的识别上限，这些页的文字未识别`,
      });
    }
    if (this.declaredPages > this.pages.length && this.pages.length >= this.pageLimit) {
      this.findings.push({ code: 'page-limit', severity: 'warning', message: `页数超过上限，仅读取前 ${this.pageLimit} 页（文件声称共 ${this.declaredPages} 页）` });
    }
  }
}

/** Adds one page's (or template's) content to another; a loop, since spreading 10⁵ glyphs overflows the stack. */
function append(target: PageContent, source: PageContent): void {
  const offset = target.glyphs.length;
  for (const code of source.codes) target.codes.push({ ...code, glyphStart: code.glyphStart + offset });
  for (const glyph of source.glyphs) target.glyphs.push(glyph);
  for (const image of source.images) target.images.push(image);
}

/** Every glyph and image a page's layers (or a template's) draw, in page coordinates. */
function collectContent(pageRoot: XmlNode): PageContent {
  const content: PageContent = { glyphs: [], images: [], codes: [] };
  for (const layer of childrenNamed(childNamed(pageRoot, 'Content'), 'Layer')) collectObjects(layer, content, 0);
  return content;
}

function collectObjects(container: XmlNode, content: PageContent, depth: number): void {
  if (depth > MAX_BLOCK_DEPTH) return;
  for (const object of container.children) {
    const name = object.name.toLowerCase();
    if (name === 'textobject') collectText(object, content);
    else if (name === 'imageobject') {
      const resourceId = attr(object, 'ResourceID');
      const [x = 0, y = 0, w = 0, h = 0] = numbers(attr(object, 'Boundary'));
      if (resourceId) content.images.push({ resourceId, x, y, area: Math.abs(w * h), quarterTurns: quarterTurnsOf(attr(object, 'CTM')) });
    } else if (name === 'pageblock') collectObjects(object, content, depth + 1);
  }
}

/**
 * An image is drawn into the unit square mapped by its CTM; where the CTM turns the square's x axis (a, b) towards
 * the page's y axis (downwards), the picture appears turned clockwise. Only quarter turns are told apart.
 */
function quarterTurnsOf(ctm: string | undefined): number {
  const [a = 1, b = 0] = numbers(ctm);
  if (a === 0 && b === 0) return 0;
  const degrees = (Math.atan2(b, a) * 180) / Math.PI;
  return (((Math.round(degrees / 90) % 4) + 4) % 4);
}

function meaningfulLength(text: string): number {
  return text.match(/[\p{L}\p{Nd}]/gu)?.length ?? 0;
}

function numbers(value: string | undefined): number[] {
  return value ? value.trim().split(/[\s,]+/).map(Number).filter(Number.isFinite) : [];
}

function collectText(object: XmlNode, content: PageContent): void {
  const [bx = 0, by = 0] = numbers(attr(object, 'Boundary'));
  const ctm = numbers(attr(object, 'CTM'));
  const [a, b, c, d, e, f] = ctm.length === 6 ? ctm : [1, 0, 0, 1, 0, 0];
  const scale = Math.sqrt(Math.abs(a! * d! - b! * c!)) || 1;
  const objectSize = Number(attr(object, 'Size')) || 3.5;
  const size = objectSize * scale;
  const fontId = attr(object, 'Font');
  const transform = (px: number, py: number) => ({ x: bx + a! * px + c! * py + e!, y: by + b! * px + d! * py + f! });
  // Turned text (a vertical stamp line, a diagonal note) would fall apart into one-glyph lines; it is laid flat from
  // where its first glyph stands, so it reads as one line at that place.
  const turned = Math.abs(b!) > 1e-6 || Math.abs(c!) > 1e-6 || a! < 0 || d! < 0;
  let anchor: { px: number; py: number; x: number; y: number } | undefined;
  const toPage = (px: number, py: number) => {
    if (!turned) return transform(px, py);
    anchor ??= { px, py, ...transform(px, py) };
    return { x: anchor.x + (px - anchor.px) * scale, y: anchor.y + (py - anchor.py) * scale };
  };
  let cursorX = 0;
  let cursorY = 0;
  // CGTransforms come before the TextCode they apply to; ones left after the last TextCode go to that one.
  let pending: GlyphTransform[] = [];
  let last: TextCodeRecord | undefined;
  for (const child of object.children) {
    const name = child.name.toLowerCase();
    if (name === 'cgtransform') {
      pending.push({
        position: Number.parseInt(attr(child, 'CodePosition') ?? '0', 10) || 0,
        count: Math.max(1, Number.parseInt(attr(child, 'CodeCount') ?? '1', 10) || 1),
        glyphs: numbers(textOf(childNamed(child, 'Glyphs'))).slice(0, 10_000),
      });
      continue;
    }
    if (name !== 'textcode') continue;
    const chars = Array.from(child.text.replace(/[\r\n\t]/g, ''));
    const x = Number.parseFloat(attr(child, 'X') ?? '');
    const y = Number.parseFloat(attr(child, 'Y') ?? '');
    if (Number.isFinite(x)) cursorX = x;
    if (Number.isFinite(y)) cursorY = y;
    const record: TextCodeRecord = { ...(fontId ? { fontId } : {}), glyphStart: content.glyphs.length, length: 0, transforms: pending };
    pending = [];
    const dx = expandDeltas(attr(child, 'DeltaX'), chars.length);
    const dy = expandDeltas(attr(child, 'DeltaY'), chars.length);
    for (let i = 0; i < chars.length && content.glyphs.length < MAX_GLYPHS_PER_PAGE; i++) {
      const char = chars[i]!;
      const step = dx[i] ?? estimatedAdvance(char, objectSize);
      const at = toPage(cursorX, cursorY);
      content.glyphs.push({ char, x: at.x, y: at.y, advance: Math.max(0, step * scale), size });
      record.length += 1;
      cursorX += step;
      cursorY += dy[i] ?? 0;
    }
    content.codes.push(record);
    last = record;
  }
  if (last && pending.length > 0) last.transforms.push(...pending);
}

/** The picture as the page shows it; undecodable bytes are passed on unchanged for the image reader to refuse. */
async function turn(bytes: Buffer, quarterTurns: number, refusePixels: number): Promise<Buffer> {
  try {
    // Header only first: a decompression bomb is refused by the image reader, not decoded here.
    const { width = 0, height = 0 } = await sharp(bytes, { limitInputPixels: false }).metadata();
    if (width * height > refusePixels) return bytes;
    return await sharp(bytes, { limitInputPixels: false }).autoOrient().rotate(quarterTurns * 90).png({ compressionLevel: 1 }).toBuffer();
  } catch {
    return bytes;
  }
}

/** Formats the image extractor decodes, told by their first bytes (the MultiMedia Format attribute is often absent or wrong). */
function imageFormat(bytes: Buffer): { decodable: boolean; name?: string } {
  const startsWith = (signature: number[]) => signature.every((byte, i) => bytes[i] === byte);
  if (startsWith([0xff, 0xd8, 0xff])) return { decodable: true, name: 'JPEG' };
  if (startsWith([0x89, 0x50, 0x4e, 0x47])) return { decodable: true, name: 'PNG' };
  if (startsWith([0x42, 0x4d])) return { decodable: true, name: 'BMP' };
  if (startsWith([0x49, 0x49, 0x2a, 0x00]) || startsWith([0x4d, 0x4d, 0x00, 0x2a])) return { decodable: true, name: 'TIFF' };
  if (startsWith([0x47, 0x49, 0x46, 0x38])) return { decodable: true, name: 'GIF' };
  if (startsWith([0x52, 0x49, 0x46, 0x46]) && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return { decodable: true, name: 'WebP' };
  if (startsWith([0x97, 0x4a, 0x42, 0x32, 0x0d, 0x0a, 0x1a, 0x0a])) return { decodable: false, name: 'JBIG2' };
  if (startsWith([0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50]) || startsWith([0xff, 0x4f, 0xff, 0x51])) return { decodable: false, name: 'JPEG 2000' };
  return { decodable: false };
}

function docInfoMeta(docBody: XmlNode | undefined): Omit<DocumentMeta, 'pageCount' | 'ocrPages'> {
  const info = childNamed(docBody, 'DocInfo');
  const field = (value: string | undefined) => {
    const text = value ? normalizeText(value) : '';
    return text === '' ? undefined : text;
  };
  const custom = childrenNamed(childNamed(info, 'CustomDatas'), 'CustomData');
  const producerData = custom.find((item) => /producer/i.test(attr(item, 'Name') ?? ''));
  const title = field(textOf(childNamed(info, 'Title')));
  const creator = field(textOf(childNamed(info, 'Creator')));
  const producer = field(textOf(producerData));
  return { ...(title ? { title } : {}), ...(creator ? { creator } : {}), ...(producer ? { producer } : {}) };
}

function withoutPages(status: ExtractionStatus, message: string, findings: FileFinding[] = []): ExtractedDocument {
  return { status, message, pages: [], meta: { pageCount: 0, ocrPages: 0 }, findings, extractorVersion: OFD_EXTRACTOR_VERSION };
}

async function readOfd(pkg: OfdPackage, input: ExtractorInput, ctx: ExtractionContext): Promise<ExtractedDocument> {
  const reader = new OfdReader(pkg, input, ctx);
  const entry = pkg.has('OFD.xml') ? await reader.xml(['OFD.xml'], '入口文件 OFD.xml') : undefined;
  const docBodies = childrenNamed(entry?.root, 'DocBody');
  if (!entry || docBodies.length === 0) return withoutPages('unreadable', MESSAGES.noEntry, reader.findings);

  let documentsRead = 0;
  for (const docBody of docBodies) {
    const document = await reader.readDocument(docBody);
    if (!document) continue;
    documentsRead += 1;
    await reader.readSignatures(docBody, document);
  }
  if (documentsRead === 0) return withoutPages('unreadable', MESSAGES.noDocument, reader.findings);
  if (docBodies.length > 1) {
    reader.findings.push({ code: 'ofd-multiple-documents', severity: 'info', message: `OFD 文件包含 ${docBodies.length} 个文档，已按顺序合并读取（页码连续编排）` });
  }
  reader.summarize();

  const pages = reader.pages;
  const meta: DocumentMeta = { ...docInfoMeta(docBodies[0]), pageCount: pages.length, ocrPages: pages.filter((p) => p.source === 'ocr').length };
  const hasText = pages.some((page) => page.text.trim() !== '');
  return {
    status: hasText ? 'ok' : 'empty',
    ...(hasText ? {} : { message: MESSAGES.noText(pages.length) }),
    pages,
    meta,
    findings: reader.findings.sort((a, b) => (a.page ?? 0) - (b.page ?? 0)),
    ...(reader.seals.length > 0 ? { electronicSeals: reader.seals } : {}),
    extractorVersion: OFD_EXTRACTOR_VERSION,
  };
}

/**
 * Reads an OFD (GB/T 33190-2016) as the standard lays it out: OFD.xml → each DocBody's DocRoot (Document.xml) →
 * its pages' Content.xml layers plus their template pages, text placed glyph by glyph from X/Y/DeltaX/DeltaY into
 * lines. Pages without text (or whose text is unmapped glyph codes) are OCR'd from their images. Electronic seals
 * are recorded from the signatures. A damaged package or part becomes a status or a finding, never an exception;
 * only a failure of the OCR engine itself propagates (as in extractors/image).
 */
export function createOfdExtractor(limits: OfdPackageLimits = DEFAULT_OFD_PACKAGE_LIMITS): Extractor {
  return async (input, ctx) => {
    let pkg: OfdPackage;
    try {
      pkg = await OfdPackage.open(input.bytes, limits);
    } catch {
      return withoutPages('unreadable', MESSAGES.corrupt);
    }
    try {
      return await readOfd(pkg, input, ctx);
    } finally {
      pkg.close();
    }
  };
}

export const extractOfd: Extractor = createOfdExtractor();
