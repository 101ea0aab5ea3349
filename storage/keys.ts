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
 *
 * and, for the API:
 *
 *   dossiers/<id>/record.json          status, progress, owner, declared facts, officers' type corrections of one dossier
 *   dossiers/<id>/intake.json          what the API's own run of intake found (files, skipped, findings)
 *   dossiers/<id>/webhook.json         delivery attempts of its completion webhook
 *   dossiers/<id>/notices/<noticeId>.<docx|pdf|json>   each 一次性告知书 generated, and what it said, who made it and when
 *   dossiers/<id>/rounds/<n>/report.json           the report of 补正 round n (round 1 = the first upload), never rewritten
 *   dossiers/<id>/rounds/<n>/original/<path>       a file uploaded in round n ≥ 2, at its path inside the dossier
 *   batches/<id>.json                  one batch and its dossiers
 *   auth/tokens/<tokenId>.json         an API token (hash only, never the secret)
 *   auth/shares/<sha256 of link>.json  a share link (hash only)
 *   auth/webhook-secret.json           the generated webhook secret when WEBHOOK_SECRET is unset
 *
 * `manifest.json` belongs to the queue (pipeline/queue/model.ts DossierManifestSchema); the API's intake summary has
 * its own name and schema. Everything under auth/ is written owner-only in a local data folder.
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

/** Where every dossier's objects live, for listing them all. Ends with `/`. */
export const DOSSIERS_PREFIX = 'dossiers/';

/** Everything stored for one dossier, for listing or deleting it. Ends with `/`. */
export function dossierPrefix(dossierId: string): string {
  return `${DOSSIERS_PREFIX}${assertDossierId(dossierId)}/`;
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

/** The queue's manifest of a submitted dossier (DossierManifestSchema). */
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

/** The API's intake summary of a dossier (api/dossiers/records.ts ManifestSchema). */
export function intakeKey(dossierId: string): string {
  return `${dossierPrefix(dossierId)}intake.json`;
}

const MACHINE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function recordKey(dossierId: string): string {
  return `${dossierPrefix(dossierId)}record.json`;
}

export const NOTICE_FILE_FORMATS = ['docx', 'pdf', 'json'] as const;
export type NoticeFileFormat = (typeof NOTICE_FILE_FORMATS)[number];

/** The notices of one dossier. Ends with `/`. */
export function noticesPrefix(dossierId: string): string {
  return `${dossierPrefix(dossierId)}notices/`;
}

/** A generated notice (`docx` or `pdf`) or its record (`json`); notices are never rewritten, each has its own id. */
export function noticeKey(dossierId: string, noticeId: string, format: NoticeFileFormat): string {
  if (!(NOTICE_FILE_FORMATS as readonly string[]).includes(format)) {
    throw new InvalidKeyError(String(format), `告知书格式只能是 ${NOTICE_FILE_FORMATS.join('、')} 之一`);
  }
  return `${noticesPrefix(dossierId)}${machineId(noticeId, '告知书编号')}.${format}`;
}

/** The 补正 rounds of one dossier. Ends with `/`. */
export function roundsPrefix(dossierId: string): string {
  return `${dossierPrefix(dossierId)}rounds/`;
}

function roundNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new InvalidKeyError(String(n), '补正轮次必须是正整数');
  return String(n);
}

/** The report a round ended with; written once when the round's check finishes. */
export function roundReportKey(dossierId: string, n: number): string {
  return `${roundsPrefix(dossierId)}${roundNumber(n)}/report.json`;
}

/** A file uploaded in round `n` (≥ 2), at its path inside the dossier. */
export function roundFileKey(dossierId: string, n: number, pathInDossier: string): string {
  return assertValidKey(`${roundsPrefix(dossierId)}${roundNumber(n)}/original/${pathInDossier}`);
}

export function webhookKey(dossierId: string): string {
  return `${dossierPrefix(dossierId)}webhook.json`;
}

export function batchKey(batchId: string): string {
  return assertValidKey(`batches/${machineId(batchId, '批次编号')}.json`);
}

/** Everything that holds a secret or a hash of one (written owner-only in a local data folder). */
export const SECRETS_PREFIX = 'auth/';

export const TOKENS_PREFIX = `${SECRETS_PREFIX}tokens/`;

export function tokenKey(tokenId: string): string {
  return assertValidKey(`${TOKENS_PREFIX}${machineId(tokenId, '令牌编号')}.json`);
}

export const SHARES_PREFIX = `${SECRETS_PREFIX}shares/`;

export function shareKey(linkHash: string): string {
  if (!SHA256_HEX.test(linkHash)) throw new InvalidKeyError(linkHash, '分享链接摘要必须是 64 位十六进制');
  return `${SHARES_PREFIX}${linkHash}.json`;
}

export const WEBHOOK_SECRET_KEY = `${SECRETS_PREFIX}webhook-secret.json`;

function machineId(id: string, what: string): string {
  if (!MACHINE_ID.test(id)) throw new InvalidKeyError(id, `${what}只能由英文字母、数字、“_”“-”组成`);
  return id;
}
