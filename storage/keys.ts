import { InvalidKeyError } from './errors.ts';
import { assertValidKey } from './object-key.ts';

/**
 * The one place that knows where things live in the blob store. Nothing else builds keys by hand, so the layout can
 * change here without hunting through the code.
 *
 *   dossiers/<dossierId>/original/<path>             an uploaded file, at its path inside the dossier
 *   dossiers/<dossierId>/manifest.json                what was uploaded (intake result)
 *   dossiers/<dossierId>/report.<json|html|md|csv|xlsx>
 *   files/<sha256>                                    file bytes, shared by every dossier that holds them
 *   extracted/<sha256>-<extractorVersion>.json        extraction result, reusable until the extractor changes
 */

// Ids are machine-made (uuid, ulid, nanoid): ASCII keeps them safe in URLs, file names and log lines.
const DOSSIER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const EXTRACTOR_VERSION = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$/;

export const REPORT_FORMATS = ['json', 'html', 'md', 'csv', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function assertDossierId(dossierId: string): string {
  if (typeof dossierId !== 'string' || !DOSSIER_ID.test(dossierId) || dossierId.includes('..')) {
    throw new InvalidKeyError(
      String(dossierId),
      '案卷编号只能由英文字母、数字、“_”“-”“.”组成，以字母或数字开头，最长 128 个字符',
    );
  }
  return dossierId;
}

export function assertSha256(sha256: string): string {
  if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) {
    throw new InvalidKeyError(String(sha256), 'SHA-256 摘要必须是 64 位小写十六进制字符');
  }
  return sha256;
}

export function assertExtractorVersion(version: string): string {
  if (typeof version !== 'string' || !EXTRACTOR_VERSION.test(version)) {
    throw new InvalidKeyError(
      String(version),
      '提取器版本只能由英文字母、数字、“_”“-”“.”“+”组成，以字母或数字开头，最长 64 个字符',
    );
  }
  return version;
}

/** Everything stored for one dossier, for listing or deleting it. Ends with `/`. */
export function dossierPrefix(dossierId: string): string {
  return `dossiers/${assertDossierId(dossierId)}/`;
}

/** The uploaded files of one dossier. Ends with `/`. */
export function originalsPrefix(dossierId: string): string {
  return `${dossierPrefix(dossierId)}original/`;
}

/** `pathInDossier` is the file's relative path inside the upload (`立项/可行性研究报告.pdf`), `/`-separated. */
export function originalFileKey(dossierId: string, pathInDossier: string): string {
  return assertValidKey(`${originalsPrefix(dossierId)}${pathInDossier}`);
}

/** Inverse of {@link originalFileKey}; `undefined` when the key is not an original file. */
export function parseOriginalFileKey(key: string): { dossierId: string; pathInDossier: string } | undefined {
  const match = /^dossiers\/([^/]+)\/original\/(.+)$/.exec(key);
  if (match === null) return undefined;
  const [, dossierId, pathInDossier] = match;
  if (dossierId === undefined || pathInDossier === undefined || !DOSSIER_ID.test(dossierId)) return undefined;
  return { dossierId, pathInDossier };
}

export function manifestKey(dossierId: string): string {
  return `${dossierPrefix(dossierId)}manifest.json`;
}

export function reportKey(dossierId: string, format: ReportFormat): string {
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw new InvalidKeyError(String(format), `报告格式只能是 ${REPORT_FORMATS.join('、')} 之一`);
  }
  return `${dossierPrefix(dossierId)}report.${format}`;
}

/** Content-addressed file bytes: the same file uploaded in two dossiers is stored once. */
export function contentFileKey(sha256: string): string {
  return `files/${assertSha256(sha256)}`;
}

/** Extraction results are cached per content and extractor version, so an extractor upgrade re-extracts. */
export function extractedKey(sha256: string, extractorVersion: string): string {
  return `extracted/${assertSha256(sha256)}-${assertExtractorVersion(extractorVersion)}.json`;
}
