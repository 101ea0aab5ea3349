// The compound-file reader inside SheetJS (its `cfb` library), already here for .xls: one OLE2 reader for both.
import { CFB } from '@e965/xlsx';
import type { ExtractedDocument, Extractor, FileFinding, Page } from '../model.ts';
import { normalizeText } from '../normalize.ts';
import { encryptedOfficeResult, isEncryptedOfficePackage } from '../unsupported.ts';
import { PPT_EXTRACTOR_VERSION } from '../versions.ts';

export { PPT_EXTRACTOR_VERSION };

const MESSAGES = {
  corrupt: '无法读取旧版演示文稿（.ppt）：文件已损坏或格式异常，请另存为 .pptx 或 PDF 后重新上传',
  notPowerPoint: '无法读取演示文稿：文件中没有 PowerPoint 幻灯片数据（可能是早期 WPS 演示专有格式或其他格式改了扩展名），请另存为 .pptx 或 PDF 后重新上传',
  encrypted: '演示文稿已加密（设置了打开密码），无法读取内容；请取消密码后重新上传',
  empty: '演示文稿中没有文字内容',
} as const;

/** Record types of the PowerPoint binary format ([MS-PPT] 2.13.24). */
const RT = {
  document: 0x03e8,
  slide: 0x03ee,
  slideListWithText: 0x0ff0,
  slidePersistAtom: 0x03f3,
  textCharsAtom: 0x0fa0,
  textBytesAtom: 0x0fa8,
  persistDirectoryAtom: 0x1772,
} as const;

/** A crafted stream can nest containers without end or claim millions of records; real decks stay far below. */
const MAX_DEPTH = 32;
const MAX_RECORDS = 2_000_000;

interface RecordHeader {
  instance: number;
  type: number;
  /** Offset of the record's data (after its 8-byte header). */
  start: number;
  end: number;
  container: boolean;
}

class RecordLimitError extends Error {}

function result(status: ExtractedDocument['status'], pages: Page[], extra: { message?: string; findings?: FileFinding[] } = {}): ExtractedDocument {
  return {
    status,
    ...(extra.message ? { message: extra.message } : {}),
    pages,
    meta: { pageCount: pages.length, ocrPages: 0 },
    findings: extra.findings ?? [],
    extractorVersion: PPT_EXTRACTOR_VERSION,
  };
}

/** The records directly inside [start, end); a record that claims to run past its parent is cut at the parent's end. */
function* records(stream: Buffer, start: number, end: number, budget: { left: number }): Generator<RecordHeader> {
  let offset = start;
  while (offset + 8 <= end) {
    if (--budget.left < 0) throw new RecordLimitError();
    const verInstance = stream.readUInt16LE(offset);
    const type = stream.readUInt16LE(offset + 2);
    const length = stream.readUInt32LE(offset + 4);
    const dataStart = offset + 8;
    const dataEnd = Math.min(end, dataStart + length);
    yield { instance: verInstance >> 4, type, start: dataStart, end: dataEnd, container: (verInstance & 0x0f) === 0x0f };
    offset = dataStart + length;
  }
}

function textOf(stream: Buffer, record: RecordHeader): string | undefined {
  const data = stream.subarray(record.start, record.end);
  if (record.type === RT.textCharsAtom) return data.subarray(0, data.length - (data.length % 2)).toString('utf16le');
  // TextBytesAtom holds the low bytes of UTF-16 code units whose high byte is zero: Latin-1.
  if (record.type === RT.textBytesAtom) return data.toString('latin1');
  return undefined;
}

/** Every text atom under a record, in stream order. */
function textsUnder(stream: Buffer, record: RecordHeader, budget: { left: number }, depth = 0): string[] {
  if (depth > MAX_DEPTH) throw new RecordLimitError();
  const texts: string[] = [];
  for (const child of records(stream, record.start, record.end, budget)) {
    if (child.container) texts.push(...textsUnder(stream, child, budget, depth + 1));
    else {
      const text = textOf(stream, child);
      if (text !== undefined) texts.push(text);
    }
  }
  return texts;
}

function find(stream: Buffer, record: RecordHeader, type: number, budget: { left: number }, depth = 0): RecordHeader[] {
  if (depth > MAX_DEPTH) throw new RecordLimitError();
  const found: RecordHeader[] = [];
  for (const child of records(stream, record.start, record.end, budget)) {
    if (child.type === type) found.push(child);
    else if (child.container) found.push(...find(stream, child, type, budget, depth + 1));
  }
  return found;
}

/**
 * Slides of the PowerPoint Document stream, in presentation order. The slide list (SlideListWithText, instance 0)
 * gives the order and the placeholder text (titles, bullet text); each SlidePersistAtom names the slide's container
 * through the persist directory, and the container's drawing holds the text of other text boxes and tables.
 * Persist directories are read in stream order, later ones overriding earlier (incremental saves append). A stream
 * without a slide list yields its slide containers in stream order.
 */
export function pptSlides(stream: Buffer): string[][] {
  const budget = { left: MAX_RECORDS };
  const whole: RecordHeader = { instance: 0, type: 0, start: 0, end: stream.length, container: true };
  const topLevel = [...records(stream, 0, stream.length, budget)];
  const persist = new Map<number, number>();
  for (const record of topLevel) {
    if (record.type !== RT.persistDirectoryAtom) continue;
    let offset = record.start;
    while (offset + 4 <= record.end) {
      const entry = stream.readUInt32LE(offset);
      const first = entry & 0xfffff;
      const count = entry >>> 20;
      offset += 4;
      for (let k = 0; k < count && offset + 4 <= record.end; k += 1, offset += 4) persist.set(first + k, stream.readUInt32LE(offset));
    }
  }
  const slideAt = (offset: number): RecordHeader | undefined => {
    if (offset + 8 > stream.length) return undefined;
    const [record] = records(stream, offset, stream.length, budget);
    return record?.type === RT.slide && record.container ? record : undefined;
  };

  const document = topLevel.find((record) => record.type === RT.document && record.container);
  const slideList = document ? find(stream, document, RT.slideListWithText, budget).find((record) => record.instance === 0) : undefined;
  if (!slideList) {
    return find(stream, whole, RT.slide, budget).map((slide) => textsUnder(stream, slide, budget));
  }
  const slides: { persistId: number; texts: string[] }[] = [];
  for (const child of records(stream, slideList.start, slideList.end, budget)) {
    if (child.type === RT.slidePersistAtom && child.end - child.start >= 4) {
      slides.push({ persistId: stream.readUInt32LE(child.start), texts: [] });
      continue;
    }
    const text = textOf(stream, child);
    if (text !== undefined) slides.at(-1)?.texts.push(text);
  }
  return slides.map(({ persistId, texts }) => {
    const offset = persist.get(persistId);
    const container = offset === undefined ? undefined : slideAt(offset);
    const drawn = container ? textsUnder(stream, container, budget) : [];
    // Writers that also copy placeholder text into the drawing would repeat it.
    return [...texts, ...drawn.filter((text) => !texts.includes(text))];
  });
}

/**
 * Legacy PowerPoint (.ppt, 97–2003) and WPS 演示 .dps in that binary layout: the text atoms of the PowerPoint Document
 * stream, one page per slide. Layout, notes and text inside embedded objects are not read.
 */
export const extractPpt: Extractor = async (input, ctx) => {
  const { bytes } = input;
  if (isEncryptedOfficePackage(bytes)) return encryptedOfficeResult();
  let stream: Buffer;
  try {
    const container = CFB.read(bytes, { type: 'buffer' });
    if (CFB.find(container, 'EncryptedSummary')) return result('encrypted', [], { message: MESSAGES.encrypted });
    const entry = CFB.find(container, 'PowerPoint Document');
    if (!entry?.content) return result('unsupported', [], { message: MESSAGES.notPowerPoint });
    stream = Buffer.from(entry.content as Uint8Array);
  } catch {
    return result('unreadable', [], { message: MESSAGES.corrupt });
  }
  let slides: string[][];
  try {
    slides = pptSlides(stream);
  } catch {
    return result('unreadable', [], { message: MESSAGES.corrupt });
  }
  const findings: FileFinding[] = [];
  if (slides.length > ctx.limits.maxPagesPerDocument) {
    findings.push({
      code: 'page-limit',
      severity: 'warning',
      message: `演示文稿共 ${slides.length} 张幻灯片，超过单个文件 ${ctx.limits.maxPagesPerDocument} 页的上限，其余幻灯片未读取`,
      path: input.path,
    });
    slides = slides.slice(0, ctx.limits.maxPagesPerDocument);
  }
  const pages: Page[] = slides.map((texts, index) => ({
    n: index + 1,
    // Paragraphs end in CR, line breaks inside one are VT.
    text: normalizeText(texts.map((text) => text.replace(/\r+$/, '')).join('\n').replace(/[\r\v]/g, '\n')),
    source: 'text-layer',
  }));
  for (const page of pages) ctx.onPage?.({ page: page.n, pageCount: pages.length, source: 'text-layer' });
  if (pages.every((page) => page.text === '')) return result('empty', [], { message: MESSAGES.empty, findings });
  return result('ok', pages, { findings });
};
