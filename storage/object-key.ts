import { InvalidKeyError } from './errors.ts';

/**
 * Rules every object key obeys, whichever store holds it. They keep a key from naming a file outside the local
 * root and make the same key valid on a local disk and on S3/MinIO:
 * `/`-separated relative segments; no empty, `.` or `..` segment; no backslash, NUL or other control character;
 * at most 1024 bytes (the S3 limit) and 255 bytes per segment (the usual file-name limit).
 * Any other Unicode, Chinese included, is allowed as is.
 */
export const MAX_KEY_BYTES = 1024;
export const MAX_SEGMENT_BYTES = 255;

// C0 controls and DEL: NUL truncates paths in C libraries, the rest only ever appear in hostile names.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
// "C:" as a first segment would be an absolute path on Windows even though it has no leading slash.
const DRIVE_LETTER = /^[A-Za-z]:$/;

function keyProblem(key: string, allowTrailingSlash: boolean): string | undefined {
  if (key.length === 0) return '键名为空';
  if (key.includes('\u0000')) return '不能包含空字符（NUL）';
  if (CONTROL_CHARACTER.test(key)) return '不能包含控制字符';
  if (key.includes('\\')) return '不能包含反斜杠“\\”，路径分隔符只能用“/”';
  if (key.startsWith('/')) return '不能是绝对路径（不能以“/”开头）';
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) return `长度超过 ${MAX_KEY_BYTES} 字节`;

  const body = allowTrailingSlash && key.endsWith('/') ? key.slice(0, -1) : key;
  const segments = body.split('/');
  if (DRIVE_LETTER.test(segments[0] ?? '')) return '不能是绝对路径（不能以盘符开头）';
  for (const segment of segments) {
    if (segment === '') return '不能包含空路径段（连续的“/”或以“/”结尾）';
    if (segment === '..') return '不能包含“..”路径段';
    if (segment === '.') return '不能包含“.”路径段';
    if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES) {
      return `路径段“${segment.slice(0, 20)}…”超过 ${MAX_SEGMENT_BYTES} 字节`;
    }
  }
  return undefined;
}

/** Returns the key unchanged, or throws {@link InvalidKeyError} saying (in Chinese) what is wrong with it. */
export function assertValidKey(key: string): string {
  if (typeof key !== 'string') throw new InvalidKeyError(String(key), '键名必须是字符串');
  const problem = keyProblem(key, false);
  if (problem !== undefined) throw new InvalidKeyError(key, problem);
  return key;
}

/**
 * A listing prefix is a plain string prefix of keys (as in S3): `''` lists everything, `dossiers/abc/` lists one
 * folder, `dossiers/ab` also matches `dossiers/abc/…`. It obeys the key rules except that it may be empty or end
 * with `/`.
 */
export function assertValidPrefix(prefix: string): string {
  if (typeof prefix !== 'string') throw new InvalidKeyError(String(prefix), '前缀必须是字符串');
  if (prefix === '') return prefix;
  const problem = keyProblem(prefix, true);
  if (problem !== undefined) throw new InvalidKeyError(prefix, problem);
  return prefix;
}

export function isValidKey(key: string): boolean {
  return typeof key === 'string' && keyProblem(key, false) === undefined;
}
