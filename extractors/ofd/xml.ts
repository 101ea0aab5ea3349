import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * A namespace-free view of one OFD part. Producers write `ofd:Page`, `Page` with a default namespace, or mix both
 * inside one file (WPS writes an un-prefixed `PhysicalBox` under `ofd:PageArea`), so element and attribute names are
 * kept without their prefix and compared without regard to case.
 */
export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** Text directly inside this element (entities already decoded). */
  text: string;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  preserveOrder: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Numeric character references (&#x4E2D;) occur in real TextCode; DOCTYPE entities are never expanded.
  htmlEntities: true,
});

type OrderedItem = Record<string, unknown> & { ':@'?: Record<string, unknown> };

function toNode(name: string, item: OrderedItem): XmlNode {
  const attrs: Record<string, string> = {};
  for (const [key, value] of Object.entries(item[':@'] ?? {})) attrs[localName(key)] = String(value);
  const node: XmlNode = { name, attrs, children: [], text: '' };
  const content = item[name];
  if (Array.isArray(content)) {
    for (const child of content as OrderedItem[]) {
      const childName = Object.keys(child).find((key) => key !== ':@');
      if (childName === undefined) continue;
      if (childName === '#text') node.text += String(child['#text'] ?? '');
      else if (!childName.startsWith('?') && !childName.startsWith('!')) node.children.push(toNode(localName(childName), child));
    }
  }
  return node;
}

function localName(name: string): string {
  const colon = name.lastIndexOf(':');
  return colon >= 0 ? name.slice(colon + 1) : name;
}

export interface ParsedXml {
  root: XmlNode | undefined;
  /** False when the part is not well-formed; `root` is then what a lenient reading recovered. */
  wellFormed: boolean;
}

/** Parses leniently (a cut or sloppy part still yields what it holds) and says whether the part was well-formed. */
export function parseXml(bytes: Buffer, checkWellFormed: boolean): ParsedXml {
  const text = decodeXml(bytes);
  const wellFormed = checkWellFormed ? XMLValidator.validate(text) === true : true;
  let items: OrderedItem[];
  try {
    items = parser.parse(text) as OrderedItem[];
  } catch {
    // A part cut off inside a tag: what comes before the last complete tag is still worth reading.
    const lastTagEnd = text.lastIndexOf('>');
    try {
      items = parser.parse(text.slice(0, lastTagEnd + 1)) as OrderedItem[];
    } catch {
      return { root: undefined, wellFormed: false };
    }
  }
  for (const item of items) {
    const name = Object.keys(item).find((key) => key !== ':@');
    if (name && !name.startsWith('?') && !name.startsWith('!') && name !== '#text') return { root: toNode(localName(name), item), wellFormed };
  }
  return { root: undefined, wellFormed: false };
}

/** OFD parts are UTF-8 by the standard; a BOM or a declared GB encoding from older producers is honoured. */
function decodeXml(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  const head = bytes.subarray(0, 200).toString('latin1');
  const declared = /encoding=["']([\w-]+)["']/i.exec(head)?.[1]?.toLowerCase();
  if (declared && /^(gb2312|gbk|gb18030)$/.test(declared)) return new TextDecoder('gb18030').decode(bytes);
  return bytes.toString('utf8');
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function childrenNamed(node: XmlNode | undefined, name: string): XmlNode[] {
  return node ? node.children.filter((child) => same(child.name, name)) : [];
}

export function childNamed(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((child) => same(child.name, name));
}

/** Follows a path of element names, e.g. `childAt(doc, 'CommonData', 'PageArea')`. */
export function childAt(node: XmlNode | undefined, ...names: string[]): XmlNode | undefined {
  let current = node;
  for (const name of names) current = childNamed(current, name);
  return current;
}

export function attr(node: XmlNode | undefined, name: string): string | undefined {
  if (!node) return undefined;
  if (Object.hasOwn(node.attrs, name)) return node.attrs[name];
  const key = Object.keys(node.attrs).find((k) => same(k, name));
  return key === undefined ? undefined : node.attrs[key];
}

export function textOf(node: XmlNode | undefined): string {
  return node ? node.text.trim() : '';
}
