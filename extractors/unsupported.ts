import type { ExtractedDocument, Extractor, FileKind } from './model.ts';

export const UNSUPPORTED_EXTRACTOR_VERSION = 'unsupported-4';

/** Why each format we cannot read is refused, and what the user can do about it. */
export const UNSUPPORTED_MESSAGES = {
  doc: '暂不支持旧版 Word（.doc）格式，请另存为 .docx 或 PDF 后重新上传',
  wps: '暂不支持 WPS 文字（.wps）格式，请另存为 .docx 或 PDF 后重新上传',
  // Intake opens RAR and 7z; one that reaches a reader could not be opened there (damaged, or nested too deep).
  rar: 'RAR 压缩包无法解开（可能已损坏、分卷不全或嵌套过深），其中的文件没有检查；请重新打包后上传',
  '7z': '7z 压缩包无法解开（可能已损坏、分卷不全或嵌套过深），其中的文件没有检查；请重新打包后上传',
  zip: '压缩包（.zip）未被解开，其中的文件没有检查；请解压后重新上传',
  unknown: '无法识别的文件格式，无法读取内容；请转换为 PDF 或 DOCX 后重新上传',
} as const satisfies Partial<Record<FileKind, string>>;

export type UnsupportedKind = keyof typeof UNSUPPORTED_MESSAGES;

/**
 * PowerPoint and WPS 演示 files have their own kinds (pptx, ppt); what is left of presentations is sniffed as
 * `unknown` and told apart by its extension: OpenDocument presentations.
 */
export const PRESENTATION_MESSAGE = '暂不支持 OpenDocument 演示文稿（.odp），请另存为 .pptx 或 PDF 后重新上传';
const PRESENTATION_EXTENSION = /\.(odp|otp)$/i;

export const EMPTY_FILE_MESSAGE = '文件为空（0 字节）';
export const ENCRYPTED_OFFICE_MESSAGE = '文档已加密（设置了打开密码），无法读取内容；请取消密码后重新上传';

const OLE_SIGNATURE = Buffer.from('d0cf11e0a1b11ae1', 'hex');
const ENCRYPTED_PACKAGE_NAME = Buffer.from('EncryptedPackage', 'utf16le');

export function isOleCompoundFile(bytes: Buffer): boolean {
  return bytes.subarray(0, 8).equals(OLE_SIGNATURE);
}

/**
 * Office saves password-protected .docx/.xlsx/.pptx not as a zip but as an OLE compound file whose directory holds an
 * `EncryptedPackage` stream (MS-OFFCRYPTO), so intake, sniffing bytes, sees a legacy-looking OLE file. Directory entry
 * names are UTF-16LE, so a byte search finds the stream name.
 */
export function isEncryptedOfficePackage(bytes: Buffer): boolean {
  return isOleCompoundFile(bytes) && bytes.includes(ENCRYPTED_PACKAGE_NAME);
}

function withoutPages(status: ExtractedDocument['status'], message: string): ExtractedDocument {
  return {
    status,
    message,
    pages: [],
    meta: { pageCount: 0, ocrPages: 0 },
    findings: [],
    extractorVersion: UNSUPPORTED_EXTRACTOR_VERSION,
  };
}

export function emptyFileResult(): ExtractedDocument {
  return withoutPages('empty', EMPTY_FILE_MESSAGE);
}

export function encryptedOfficeResult(): ExtractedDocument {
  return withoutPages('encrypted', ENCRYPTED_OFFICE_MESSAGE);
}

export function unsupportedResult(kind: UnsupportedKind): ExtractedDocument {
  return withoutPages('unsupported', UNSUPPORTED_MESSAGES[kind]);
}

function isUnsupportedKind(kind: FileKind): kind is UnsupportedKind {
  return Object.hasOwn(UNSUPPORTED_MESSAGES, kind);
}

/** Refuses formats we cannot read, after the checks that give a more useful answer (empty, encrypted). */
export const extractUnsupported: Extractor = async ({ bytes, kind, path }) => {
  if (bytes.length === 0) return emptyFileResult();
  if (isEncryptedOfficePackage(bytes)) return encryptedOfficeResult();
  if (kind === 'unknown' && PRESENTATION_EXTENSION.test(path)) return withoutPages('unsupported', PRESENTATION_MESSAGE);
  return unsupportedResult(isUnsupportedKind(kind) ? kind : 'unknown');
};
