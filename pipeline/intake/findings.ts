import { FINDING_CODES, type IntakeFindingCode } from '../../extractors/finding-codes.ts';
import type { FileFinding } from '../../extractors/model.ts';

/**
 * The Chinese message of every finding and error code intake can produce. The codes, their severity and meaning are
 * registered with every other finding code in extractors/finding-codes.ts.
 */
export const INTAKE_CODES = {
  INTAKE_PATH_TRAVERSAL: {
    message: (path: string) => `压缩包条目“${path}”的路径指向解压目录之外，已拒绝解开，其余文件照常检查`,
  },
  INTAKE_SYMLINK: {
    message: (path: string) => `“${path}”是符号链接而不是文件，已跳过`,
  },
  INTAKE_ENCRYPTED_ENTRY: {
    message: (path: string) => `压缩包条目“${path}”已加密（设有密码），无法读取，请提供未加密的文件`,
  },
  INTAKE_ZIP_BOMB: {
    /** Without `detail` the finding is about one entry; with it, about the whole archive at `path`, and `detail` says why. */
    message: (path: string, _limit?: number, detail?: string) =>
      detail === undefined
        ? `压缩包条目“${path}”的压缩比异常高（疑似压缩炸弹），已拒绝解开`
        : `压缩包“${path}”疑似压缩炸弹（${detail}），已拒绝解压，其中的文件均未检查`,
  },
  INTAKE_TOO_MANY_ENTRIES: {
    message: (path: string, limit?: number) =>
      `“${path}”中的文件数量超过上限（${limit ?? '?'} 个），超出部分未解开、未检查`,
  },
  INTAKE_TOO_LARGE: {
    message: (path: string, limit?: number) =>
      `解压后的总大小超过上限（${formatBytes(limit)}），从“${path}”起的其余文件未解开、未检查`,
  },
  INTAKE_ARCHIVE_TOO_LARGE: {
    message: (path: string, limit?: number, detail?: string) =>
      `压缩包“${path}”${detail ? `按目录计算解压后共 ${detail}，` : '解压后的总大小'}超过上限（还可解压 ${formatBytes(limit)}），已拒绝解压，其中的文件均未检查`,
  },
  INTAKE_ENTRY_TOO_LARGE: {
    message: (path: string, limit?: number) => `“${path}”超过单个文件大小上限（${formatBytes(limit)}），已拒绝解开`,
  },
  INTAKE_DEPTH_LIMIT: {
    message: (path: string, limit?: number) =>
      `“${path}”是嵌套过深的压缩包（超过 ${limit ?? '?'} 层），未解开，其中的材料未检查`,
  },
  INTAKE_UNDECODABLE_NAME: {
    message: (path: string) => `有一个压缩包条目的名称无法识别（既不是 UTF-8 也不是 GBK/GB18030），暂以“${path}”代称`,
  },
  INTAKE_CORRUPT_ARCHIVE: {
    message: (path: string) => `压缩包已损坏或不完整：${path}`,
  },
  INTAKE_CORRUPT_ENTRY: {
    message: (path: string) => `压缩包条目“${path}”已损坏（数据不完整或校验失败），无法读取`,
  },
  INTAKE_UNSUPPORTED_COMPRESSION: {
    message: (path: string) => `压缩包条目“${path}”使用了不支持的压缩方式，无法读取，请用常规 zip 格式重新打包`,
  },
  INTAKE_ENCRYPTED_ARCHIVE: {
    /** `detail` names the format (RAR4, RAR5, 7z). */
    message: (path: string, _limit?: number, detail?: string) =>
      `压缩包“${path}”为 ${detail ?? ''} 加密格式（文件名也已加密），无法解压，其中的材料均未检查：请提供不加密的压缩包或改用 zip`,
  },
  INTAKE_DUPLICATE_PATH: {
    message: (path: string) => `压缩包中有多个同名条目“${path}”，均已列出`,
  },
  INTAKE_INPUT_NOT_FOUND: {
    message: (path: string) => `找不到要检查的文件或文件夹：${path}`,
  },
  INTAKE_UNSUPPORTED_INPUT: {
    message: (path: string) => `无法检查“${path}”：它既不是普通文件也不是文件夹`,
  },
} as const satisfies Record<IntakeFindingCode, { message: (path: string, limit?: number, detail?: string) => string }>;

export type IntakeCode = IntakeFindingCode;

/** `detail` is a short Chinese phrase some codes weave into their message (see each code's message). */
export function intakeFinding(code: IntakeCode, path: string, limit?: number, detail?: string): FileFinding {
  return { code, severity: FINDING_CODES[code].severity, message: INTAKE_CODES[code].message(path, limit, detail), path };
}

/** Thrown when the input as a whole cannot be read; a retry with the same input cannot help. */
export class IntakeError extends Error {
  override readonly name = 'IntakeError';
  readonly code: IntakeCode;
  /** The input the user gave, as they named it. */
  readonly inputPath: string;

  /** `displayName` is how the message names the input (its base name by default would lose a folder's context). */
  constructor(
    code: IntakeCode,
    inputPath: string,
    options: { displayName?: string; detail?: string; cause?: unknown } = {},
  ) {
    super(INTAKE_CODES[code].message(options.displayName ?? inputPath, undefined, options.detail), { cause: options.cause });
    this.code = code;
    this.inputPath = inputPath;
  }
}

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '?';
  if (bytes >= 1024 ** 3) return `${+(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${+(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} 字节`;
}
