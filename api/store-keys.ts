import { assertValidKey, dossierPrefix, InvalidKeyError } from '../storage/index.ts';

/**
 * Keys of the objects only the API keeps, built on storage/keys.ts (which owns the shared layout). Candidates to
 * move there:
 *
 *   dossiers/<id>/record.json          status, progress, owner, declared facts of one dossier
 *   dossiers/<id>/webhook.json         delivery attempts of its completion webhook
 *   batches/<id>.json                  one batch and its dossiers
 *   auth/tokens/<tokenId>.json         an API token (hash only, never the secret)
 *   auth/shares/<sha256 of link>.json  a share link (hash only)
 *   auth/webhook-secret.json           the generated webhook secret when WEBHOOK_SECRET is unset
 *
 * Everything under auth/ is written owner-only in a local data folder (auth/secret-files.ts).
 */

const MACHINE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const HEX64 = /^[0-9a-f]{64}$/;

export function recordKey(dossierId: string): string {
  return `${dossierPrefix(dossierId)}record.json`;
}

export function webhookKey(dossierId: string): string {
  return `${dossierPrefix(dossierId)}webhook.json`;
}

export function batchKey(batchId: string): string {
  return assertValidKey(`batches/${machineId(batchId, '批次编号')}.json`);
}

export const TOKENS_PREFIX = 'auth/tokens/';

export function tokenKey(tokenId: string): string {
  return assertValidKey(`${TOKENS_PREFIX}${machineId(tokenId, '令牌编号')}.json`);
}

export const SHARES_PREFIX = 'auth/shares/';

export function shareKey(linkHash: string): string {
  if (!HEX64.test(linkHash)) throw new InvalidKeyError(linkHash, '分享链接摘要必须是 64 位十六进制');
  return `${SHARES_PREFIX}${linkHash}.json`;
}

export const WEBHOOK_SECRET_KEY = 'auth/webhook-secret.json';

function machineId(id: string, what: string): string {
  if (!MACHINE_ID.test(id)) throw new InvalidKeyError(id, `${what}只能由英文字母、数字、“_”“-”组成`);
  return id;
}
