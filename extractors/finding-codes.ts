import { z } from 'zod';
import type { Severity } from './model.ts';

/**
 * Every code a finding about one file or one archive entry can carry, with its severity and what it means to the
 * officer, in one registry (the way fastify keeps its error codes). Codes are stable — reports, tests and other
 * systems match on them — and FileFindingSchema accepts no other, so a new finding must be registered here first.
 * The wording of each message may improve; docs/finding-codes.md is generated from this table (npm run docs:codes).
 *
 * Codes come in two spellings for historical reasons: intake's `INTAKE_*` and the readers' `kebab-case`. Both are
 * kept because reports already in storage carry them.
 */
export interface FindingCodeEntry {
  severity: Severity;
  /** Who raises it. */
  source: 'intake' | 'reader' | 'isolation';
  /** What it means, in Chinese, for the documentation and the officer's help text. */
  meaning: string;
}

const READER = {
  'pdf-truncated': { severity: 'warning', meaning: 'PDF 末尾缺少 %%EOF 结束标记，可能在上传或复制时被截断；已尽量读取' },
  'pdf-scanned-pages': { severity: 'info', meaning: 'PDF 中有页面没有文字层（扫描页），文字由 OCR 识别' },
  'ocr-partial-pages': { severity: 'info', meaning: '长扫描件先只识别各页顶部和底部（用于划分材料、识别标题），部分页的正文未全文识别' },
  'pdf-garbled-text-layer': { severity: 'info', meaning: 'PDF 中有页面的文字层是乱码（字体缺少正确的 Unicode 映射），已改用 OCR 识别' },
  'pdf-active-content': { severity: 'warning', meaning: 'PDF 含有 JavaScript、启动外部程序的动作或嵌入的附件；系统只读取文字、不执行任何内容' },
  'page-limit': { severity: 'warning', meaning: '文件页数超过上限，只读取了前面的页' },
  'page-unreadable': { severity: 'warning', meaning: '某一页的文字无法读取或无法转为图像识别' },
  'ocr-page-limit': { severity: 'warning', meaning: '需要 OCR 的页数超过单个文件的识别上限，其余页未识别' },
  'ocr-low-confidence': { severity: 'warning', meaning: '某一页文字识别置信度较低，识别结果可能不准确' },
  'image-unreadable': { severity: 'error', meaning: '图片文件已损坏或格式无法识别' },
  'image-too-large': { severity: 'error', meaning: '图片尺寸异常大（可能是恶意构造的文件），已拒绝处理' },
  'image-downscaled': { severity: 'warning', meaning: '图片尺寸较大，已缩小后识别，细小文字可能识别不准确' },
  'image-first-frame-only': { severity: 'info', meaning: '多帧动图只识别了第一帧' },
  'docx-images-not-read': { severity: 'info', meaning: 'Word 文档中的图片未做文字识别' },
  'docx-images-skipped': { severity: 'info', meaning: 'Word 文档中有图片无法解码（矢量图或外部链接图片），未做文字识别' },
  'docx-scanned-images': { severity: 'info', meaning: 'Word 文档中没有文字，已对其中的图片做文字识别' },
  'ofd-part-unreadable': { severity: 'warning', meaning: 'OFD 中某个部件（页面内容、资源、签名文件）缺失或已损坏，已跳过' },
  'ofd-part-too-large': { severity: 'warning', meaning: 'OFD 中某个部件解压后超过大小上限（疑似压缩炸弹），未读取' },
  'ofd-part-malformed': { severity: 'warning', meaning: 'OFD 中某个部件不是格式正确的 XML，已尽量读取其中的内容' },
  'ofd-scanned-pages': { severity: 'info', meaning: 'OFD 中有页面没有文字对象（仅有图像），文字由 OCR 识别' },
  'ofd-glyphs-mapped': { severity: 'info', meaning: 'OFD 页面的文字以字形编码写入，已按嵌入字体的字符映射还原为文字' },
  'ofd-text-unmapped': { severity: 'warning', meaning: 'OFD 页面的文字是字形编码（嵌入字体没有可用的 Unicode 映射）；有图像时改用 OCR，否则该页文字无法读取' },
  'ofd-image-undecodable': { severity: 'warning', meaning: 'OFD 页面图像的格式（如 JBIG2）无法解码，其中的文字未能识别' },
  'ofd-multiple-documents': { severity: 'info', meaning: 'OFD 文件包含多个文档，已按顺序合并读取' },
} as const satisfies Record<string, Omit<FindingCodeEntry, 'source'>>;

const ISOLATION = {
  'extract-timeout': { severity: 'warning', meaning: '读取超时：文件未能在时间上限内读完，已跳过（下次检查会重新读取）' },
  'extract-stalled': { severity: 'warning', meaning: '读取超时：解析文件时长时间没有进展，已跳过（下次检查会重新读取）' },
  'extract-stuck': { severity: 'warning', meaning: '文件结构已损坏，解析无法完成，已跳过' },
  'extract-memory': { severity: 'warning', meaning: '内存超限：读取文件所需内存超过上限，已跳过' },
  'extract-crashed': { severity: 'warning', meaning: '读取文件的进程异常退出，已跳过' },
} as const satisfies Record<string, Omit<FindingCodeEntry, 'source'>>;

const INTAKE = {
  INTAKE_PATH_TRAVERSAL: { severity: 'error', meaning: '压缩包条目的路径指向解压目录之外（../、绝对路径或盘符），已拒绝解开' },
  INTAKE_SYMLINK: { severity: 'warning', meaning: '条目是符号链接，不是文件，已跳过' },
  INTAKE_ENCRYPTED_ENTRY: { severity: 'warning', meaning: '压缩包条目已加密，无法读取' },
  INTAKE_ZIP_BOMB: {
    severity: 'error',
    meaning: '疑似压缩炸弹，已拒绝解开：一个条目的压缩比异常高，或整个压缩包的目录可疑（条目数据位置重叠、声明的解压总大小远超压缩包本身）',
  },
  INTAKE_TOO_MANY_ENTRIES: { severity: 'error', meaning: '文件数量超过上限，超出部分未检查' },
  INTAKE_TOO_LARGE: { severity: 'error', meaning: '解压后的总大小超过上限，其余文件未检查' },
  INTAKE_ARCHIVE_TOO_LARGE: { severity: 'error', meaning: '按压缩包目录计算，解压后的总大小超过上限，整个压缩包未解开' },
  INTAKE_ENTRY_TOO_LARGE: { severity: 'error', meaning: '单个文件超过大小上限，已拒绝解开' },
  INTAKE_DEPTH_LIMIT: { severity: 'warning', meaning: '压缩包嵌套层数超过上限，内层压缩包未解开' },
  INTAKE_UNDECODABLE_NAME: { severity: 'warning', meaning: '条目名称无法识别编码，已用占位名称代替' },
  INTAKE_CORRUPT_ARCHIVE: { severity: 'error', meaning: '压缩包已损坏或不完整' },
  INTAKE_CORRUPT_ENTRY: { severity: 'error', meaning: '压缩包条目已损坏（数据不完整或校验失败），无法读取' },
  INTAKE_UNSUPPORTED_COMPRESSION: { severity: 'warning', meaning: '条目使用了不支持的压缩方式，无法读取' },
  INTAKE_ENCRYPTED_ARCHIVE: {
    severity: 'error',
    meaning: '压缩包（RAR/7z）的文件名也已加密，没有密码无法列出、无法解开，其中的材料均未检查',
  },
  INTAKE_DUPLICATE_PATH: { severity: 'info', meaning: '压缩包中有同名条目' },
  INTAKE_INPUT_NOT_FOUND: { severity: 'error', meaning: '要检查的文件或文件夹不存在' },
  INTAKE_UNSUPPORTED_INPUT: { severity: 'error', meaning: '输入既不是文件也不是文件夹' },
} as const satisfies Record<string, Omit<FindingCodeEntry, 'source'>>;

function withSource<T extends Record<string, Omit<FindingCodeEntry, 'source'>>>(table: T, source: FindingCodeEntry['source']) {
  return Object.fromEntries(Object.entries(table).map(([code, entry]) => [code, { ...entry, source }])) as {
    [K in keyof T]: T[K] & { source: FindingCodeEntry['source'] };
  };
}

export const FINDING_CODES = {
  ...withSource(INTAKE, 'intake'),
  ...withSource(READER, 'reader'),
  ...withSource(ISOLATION, 'isolation'),
};

export type FindingCode = keyof typeof FINDING_CODES;
export type IntakeFindingCode = keyof typeof INTAKE;

export const FindingCodeSchema = z.enum(Object.keys(FINDING_CODES) as [FindingCode, ...FindingCode[]]);

export function isFindingCode(code: string): code is FindingCode {
  return Object.hasOwn(FINDING_CODES, code);
}
