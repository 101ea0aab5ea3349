import { posix } from 'node:path';
import { SaxesParser } from 'saxes';
import yauzl from 'yauzl';
import type { ExtractedDocument, Extractor, FileFinding, Page } from '../model.ts';
import { normalizeText } from '../normalize.ts';
import { encryptedOfficeResult, isEncryptedOfficePackage, isOleCompoundFile } from '../unsupported.ts';
import { extractPpt } from './ppt.ts';
import { PPTX_EXTRACTOR_VERSION } from '../versions.ts';

export { PPTX_EXTRACTOR_VERSION };

/** One slide's XML is a few hundred KB at most; anything far larger is a crafted part, not a slide. */
const MAX_PART_BYTES = 64 * 1024 * 1024;
/** Parts read from one package altogether (decompressed). */
const MAX_TOTAL_BYTES = 512 * 1024 * 1024;

const MESSAGES = {
  corrupt: '无法读取演示文稿：文件已损坏或不是有效的 .pptx',
  notPresentation: '无法读取演示文稿：压缩包中没有幻灯片（ppt/slides/），可能是其他格式改了扩展名',
  tooLarge: '无法读取演示文稿：幻灯片部分解压后过大，疑似异常文件',
  empty: '演示文稿中没有文字内容',
} as const;

function result(
  status: ExtractedDocument['status'],
  pages: Page[],
  extra: { message?: string; title?: string; findings?: FileFinding[] } = {},
): ExtractedDocument {
  return {
    status,
    ...(extra.message ? { message: extra.message } : {}),
    pages,
    meta: { pageCount: pages.length, ocrPages: 0, ...(extra.title ? { title: extra.title } : {}) },
    findings: extra.findings ?? [],
    extractorVersion: PPTX_EXTRACTOR_VERSION,
  };
}

class PartTooLargeError extends Error {}

/** The parts of the package that carry text or order, decompressed; everything else (media, layouts) is skipped. */
async function readParts(bytes: Buffer): Promise<Map<string, string>> {
  const wanted = (name: string) =>
    name === 'ppt/presentation.xml' ||
    name === 'ppt/_rels/presentation.xml.rels' ||
    name === 'docProps/core.xml' ||
    /^ppt\/slides\/slide\d+\.xml$/.test(name);
  const zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true });
  const parts = new Map<string, string>();
  let total = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      const name = entry.fileName.replace(/\\/g, '/').replace(/^\/+/, '');
      if (!wanted(name)) continue;
      if (entry.uncompressedSize > MAX_PART_BYTES) throw new PartTooLargeError();
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of await zip.openReadStreamPromise(entry)) {
        size += (chunk as Buffer).length;
        total += (chunk as Buffer).length;
        if (size > MAX_PART_BYTES || total > MAX_TOTAL_BYTES) throw new PartTooLargeError();
        chunks.push(chunk as Buffer);
      }
      parts.set(name, Buffer.concat(chunks).toString('utf8'));
    }
  } finally {
    zip.close();
  }
  return parts;
}

interface XmlElement {
  local: string;
  attributes: Record<string, string>;
}

/** Walks an XML part with a strict streaming parser; names are given without their namespace prefix. */
function walkXml(xml: string, handlers: { open?: (element: XmlElement) => void; close?: (local: string) => void; text?: (text: string) => void }): void {
  const parser = new SaxesParser();
  const localName = (name: string) => name.slice(name.indexOf(':') + 1);
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const [name, value] of Object.entries(tag.attributes)) attributes[name] = String(value);
    handlers.open?.({ local: localName(tag.name), attributes });
    if (tag.isSelfClosing) handlers.close?.(localName(tag.name));
  });
  parser.on('closetag', (tag) => {
    if (!tag.isSelfClosing) handlers.close?.(localName(tag.name));
  });
  if (handlers.text) {
    parser.on('text', handlers.text);
    parser.on('cdata', handlers.text);
  }
  parser.write(xml).close();
}

/** Slide parts in presentation order: presentation.xml's sldIdLst through its relationships, else by file number. */
export function slideOrder(parts: Map<string, string>): string[] {
  const inPackage = [...parts.keys()]
    .filter((name) => /^ppt\/slides\/slide\d+\.xml$/.test(name))
    .sort((a, b) => Number(/(\d+)\.xml$/.exec(a)![1]) - Number(/(\d+)\.xml$/.exec(b)![1]));
  const presentation = parts.get('ppt/presentation.xml');
  const rels = parts.get('ppt/_rels/presentation.xml.rels');
  if (!presentation || !rels) return inPackage;
  const targets = new Map<string, string>();
  walkXml(rels, {
    open: ({ local, attributes }) => {
      if (local === 'Relationship' && attributes.Id && attributes.Target && attributes.TargetMode !== 'External') {
        const target = attributes.Target.startsWith('/') ? attributes.Target.slice(1) : posix.join('ppt', attributes.Target);
        targets.set(attributes.Id, posix.normalize(target));
      }
    },
  });
  const ordered: string[] = [];
  walkXml(presentation, {
    open: ({ local, attributes }) => {
      if (local !== 'sldId') return;
      const id = attributes['r:id'] ?? Object.entries(attributes).find(([name]) => name.endsWith(':id'))?.[1];
      const target = id ? targets.get(id) : undefined;
      if (target && parts.has(target) && !ordered.includes(target)) ordered.push(target);
    },
  });
  // Slides the list forgets are still text the dossier holds; they follow in file order.
  return [...ordered, ...inPackage.filter((name) => !ordered.includes(name))];
}

interface TableState {
  rows: string[];
  row: string[] | null;
  cell: string[] | null;
}

/**
 * The text of one slide, shape by shape in the slide's own order: each paragraph (a:p) a line, its runs (a:t)
 * joined; a table row by row with cells joined by " | " (as the Word readers write tables), paragraphs inside a cell
 * joined by a space, and the cells a merge covers (hMerge/vMerge) left out so a merged value appears once. Of an
 * mc:AlternateContent only the first choice is read, or its fallback would repeat the same shape.
 */
export function slideText(xml: string): string {
  const lines: string[] = [];
  let line = '';
  let inText = 0;
  let skip = 0;
  const tables: TableState[] = [];
  const cell = () => tables.at(-1)?.cell ?? null;
  const endParagraph = () => {
    const current = cell();
    if (current) current.push(' ');
    else {
      lines.push(line);
      line = '';
    }
  };
  walkXml(xml, {
    open: ({ local, attributes }) => {
      if (skip > 0) {
        skip += 1;
        return;
      }
      switch (local) {
        case 'Fallback':
          skip = 1;
          break;
        case 't':
          inText += 1;
          break;
        case 'br':
          endParagraph();
          break;
        case 'tbl':
          if (line) endParagraph();
          tables.push({ rows: [], row: null, cell: null });
          break;
        case 'tr':
          if (tables.at(-1)) tables.at(-1)!.row = [];
          break;
        case 'tc': {
          const table = tables.at(-1);
          if (!table) break;
          const merged = ['hMerge', 'vMerge'].some((name) => attributes[name] === '1' || attributes[name] === 'true');
          table.cell = merged ? null : [];
          if (merged) skip = 1;
          break;
        }
        default:
          break;
      }
    },
    close: (local) => {
      if (skip > 0) {
        skip -= 1;
        return;
      }
      switch (local) {
        case 't':
          inText = Math.max(0, inText - 1);
          break;
        case 'p':
          endParagraph();
          break;
        case 'tc': {
          const table = tables.at(-1);
          if (table?.cell) table.row?.push(table.cell.join('').replace(/\s+/g, ' ').trim());
          if (table) table.cell = null;
          break;
        }
        case 'tr': {
          const table = tables.at(-1);
          if (table?.row?.some((c) => c !== '')) table.rows.push(table.row.join(' | '));
          if (table) table.row = null;
          break;
        }
        case 'tbl': {
          const table = tables.pop();
          if (!table) break;
          const parent = cell();
          if (parent) parent.push(' ', table.rows.join(' '), ' ');
          else lines.push(...table.rows);
          break;
        }
        default:
          break;
      }
    },
    text: (text) => {
      if (skip > 0 || inText === 0) return;
      const current = cell();
      if (current) current.push(text);
      else line += text;
    },
  });
  if (line) lines.push(line);
  return normalizeText(lines.join('\n'));
}

function titleFromCoreXml(xml: string | undefined): string | undefined {
  if (!xml) return undefined;
  let title = '';
  let inTitle = false;
  try {
    walkXml(xml, {
      open: ({ local }) => {
        if (local === 'title') inTitle = true;
      },
      close: (local) => {
        if (local === 'title') inTitle = false;
      },
      text: (text) => {
        if (inTitle) title += text;
      },
    });
  } catch {
    return undefined;
  }
  return normalizeText(title) || undefined;
}

/**
 * PowerPoint .pptx/.pptm and WPS 演示 .dps saved as OOXML: one page per slide, in the order the presentation lists
 * them. A .dps (or a .pptx) that is really the legacy binary format goes to the .ppt reader.
 */
export const extractPptx: Extractor = async (input, ctx) => {
  const { bytes } = input;
  if (isEncryptedOfficePackage(bytes)) return encryptedOfficeResult();
  if (isOleCompoundFile(bytes)) return extractPpt(input, ctx);
  let parts: Map<string, string>;
  try {
    parts = await readParts(bytes);
  } catch (error) {
    return result('unreadable', [], { message: error instanceof PartTooLargeError ? MESSAGES.tooLarge : MESSAGES.corrupt });
  }
  const title = titleFromCoreXml(parts.get('docProps/core.xml'));
  let order: string[];
  try {
    order = slideOrder(parts);
  } catch {
    return result('unreadable', [], { message: MESSAGES.corrupt, title });
  }
  if (order.length === 0) return result('unreadable', [], { message: MESSAGES.notPresentation, title });

  const findings: FileFinding[] = [];
  if (order.length > ctx.limits.maxPagesPerDocument) {
    findings.push({
      code: 'page-limit',
      severity: 'warning',
      message: `演示文稿共 ${order.length} 张幻灯片，超过单个文件 ${ctx.limits.maxPagesPerDocument} 页的上限，其余幻灯片未读取`,
      path: input.path,
    });
    order = order.slice(0, ctx.limits.maxPagesPerDocument);
  }
  const pages: Page[] = [];
  for (const name of order) {
    let text: string;
    try {
      text = slideText(parts.get(name)!);
    } catch {
      return result('unreadable', [], { message: `${MESSAGES.corrupt}（第 ${pages.length + 1} 张幻灯片无法解析）`, title });
    }
    pages.push({ n: pages.length + 1, text, source: 'text-layer' });
    ctx.onPage?.({ page: pages.length, pageCount: order.length, source: 'text-layer' });
  }
  if (pages.every((page) => page.text === '')) return result('empty', [], { message: MESSAGES.empty, title, findings });
  return result('ok', pages, { title, findings });
};
