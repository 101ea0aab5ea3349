/**
 * Active content in a PDF: JavaScript, launch actions, embedded files. We never run any of it (pdf.js is given no
 * scripting and no eval); the finding tells the officer the file carries it, since a document that wants to run code
 * or carry other files inside it deserves a look before anyone opens it in a desktop reader.
 */

export type ActiveContentKind = 'javascript' | 'launch' | 'embedded-file';

const LABELS: Record<ActiveContentKind, string> = {
  javascript: 'JavaScript 脚本',
  launch: '启动外部程序的动作（Launch）',
  'embedded-file': '嵌入的附件文件',
};

/**
 * PDF name tokens that declare active content. A name is followed by a delimiter, so `/JS` does not match `/JSON`.
 * Objects inside compressed object streams are not visible here; the pdf.js checks below cover those.
 */
const NAME_TOKENS: [RegExp, ActiveContentKind][] = [
  [/\/(JavaScript|JS)[\s/<(\[>]/, 'javascript'],
  [/\/Launch[\s/<(\[>]/, 'launch'],
  [/\/(EmbeddedFile|EmbeddedFiles)[\s/<(\[>]/, 'embedded-file'],
];

/** Looks at the raw bytes only: cheap, and it works even when pdf.js cannot open the file. */
export function activeContentInBytes(bytes: Buffer): Set<ActiveContentKind> {
  const text = bytes.toString('latin1');
  const found = new Set<ActiveContentKind>();
  for (const [pattern, kind] of NAME_TOKENS) if (pattern.test(text)) found.add(kind);
  return found;
}

/** The parts of pdf.js's document proxy we ask; each may throw on a damaged file. */
export interface ActiveContentSource {
  getJSActions(): Promise<unknown>;
  getAttachments(): Promise<unknown>;
}

export async function activeContentInDocument(doc: ActiveContentSource): Promise<Set<ActiveContentKind>> {
  const found = new Set<ActiveContentKind>();
  const js = await doc.getJSActions().catch(() => null);
  if (js && typeof js === 'object' && Object.keys(js).length > 0) found.add('javascript');
  const attachments = await doc.getAttachments().catch(() => null);
  if (attachments && typeof attachments === 'object' && Object.keys(attachments).length > 0) found.add('embedded-file');
  return found;
}

export function describeActiveContent(kinds: Iterable<ActiveContentKind>): string {
  const labels = [...kinds].map((kind) => LABELS[kind]);
  return `PDF 含有主动内容（${labels.join('、')}），本系统只读取其文字、不执行任何内容；请勿在未经检查的阅读器中直接打开`;
}
