import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { BlobStore } from '../../storage/index.ts';
import { SHARES_PREFIX, shareKey } from '../../storage/index.ts';
import { blobAuthDocuments, type AuthDocuments } from './documents.ts';
import { sha256Hex, type TokenStore } from './tokens.ts';

/**
 * Share links: one report readable without an account until the link expires, is revoked, or the token that made
 * it is revoked. The link carries 256 random bits; storage keeps only their SHA-256, so a leaked data folder does not
 * leak working links. That digest is also the link's id for listing and revoking: it names the link without
 * opening it.
 */

export const ShareRecordSchema = z.object({
  dossierId: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  /** Token id of the creator. */
  createdBy: z.string(),
  /** The creator's name, for the people who manage links (records written before it existed lack it). */
  createdByName: z.string().optional(),
  /** The link may submit 补正 rounds too; links made before this existed only read. */
  allowSupplement: z.boolean().optional(),
  revokedAt: z.string().optional(),
  /** Token id of whoever revoked it. */
  revokedBy: z.string().optional(),
});
export type ShareRecord = z.infer<typeof ShareRecordSchema>;

/** A stored link with its id (the SHA-256 of the link token). */
export type ShareEntry = ShareRecord & { id: string };

const LINK_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function isShareTokenShape(token: string): boolean {
  return LINK_SHAPE.test(token);
}

export class ShareLinks {
  /** @param tokens when given, a link stops working once the token that created it is revoked or gone. */
  private readonly documents: AuthDocuments;

  /** @param documents where the links live; by default owner-only objects under auth/shares/ in `store`. */
  constructor(
    store: BlobStore,
    private readonly tokens?: TokenStore,
    documents?: AuthDocuments,
  ) {
    this.documents = documents ?? blobAuthDocuments(store, SHARES_PREFIX, shareKey);
  }

  async create(
    dossierId: string,
    hours: number,
    createdBy: string,
    now = new Date(),
    createdByName?: string,
    allowSupplement = false,
  ): Promise<{ token: string; id: string; record: ShareRecord }> {
    const token = randomBytes(32).toString('base64url');
    const record: ShareRecord = {
      dossierId,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + hours * 3_600_000).toISOString(),
      createdBy,
      createdByName,
      ...(allowSupplement ? { allowSupplement: true } : {}),
    };
    const id = sha256Hex(token);
    await this.documents.put(id, record);
    return { token, id, record };
  }

  /** The dossier a live link opens, or null (unknown, malformed, expired, revoked, or its creator's token revoked). */
  async resolve(token: string, now = Date.now()): Promise<ShareRecord | null> {
    if (!isShareTokenShape(token)) return null;
    const record = await this.get(sha256Hex(token));
    if (!record || record.revokedAt || Date.parse(record.expiresAt) <= now) return null;
    if (this.tokens) {
      const creator = await this.tokens.get(record.createdBy);
      if (!creator || creator.revokedAt) return null;
    }
    return record;
  }

  async get(id: string): Promise<ShareEntry | null> {
    if (!/^[0-9a-f]{64}$/.test(id)) return null;
    const parsed = ShareRecordSchema.safeParse(await this.documents.get(id));
    return parsed.success ? { ...parsed.data, id } : null;
  }

  /** Every link of one dossier, newest first (revoked and expired ones included: the list is their record). */
  async list(dossierId: string): Promise<ShareEntry[]> {
    const out: ShareEntry[] = [];
    for await (const { id, value } of this.documents.list()) {
      const parsed = ShareRecordSchema.safeParse(value);
      if (parsed.success && parsed.data.dossierId === dossierId && /^[0-9a-f]{64}$/.test(id)) out.push({ ...parsed.data, id });
    }
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Revokes a link (kept, with when and by whom); null when there is no such link. */
  async revoke(id: string, revokedBy: string, now = new Date()): Promise<ShareEntry | null> {
    const entry = await this.get(id);
    if (!entry) return null;
    if (entry.revokedAt) return entry;
    const { id: _id, ...record } = entry;
    const revoked: ShareRecord = { ...record, revokedAt: now.toISOString(), revokedBy };
    await this.documents.put(id, revoked);
    return { ...revoked, id };
  }
}
