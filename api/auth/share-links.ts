import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { BlobNotFoundError, CorruptBlobError, type BlobStore } from '../../storage/index.ts';
import { shareKey } from '../store-keys.ts';
import { sha256Hex } from './tokens.ts';

/**
 * Share links: one report readable without an account until the link expires. The link carries 256 random bits;
 * storage keeps only their SHA-256, so a leaked data folder does not leak working links.
 */

export const ShareRecordSchema = z.object({
  dossierId: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  createdBy: z.string(),
});
export type ShareRecord = z.infer<typeof ShareRecordSchema>;

const LINK_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function isShareTokenShape(token: string): boolean {
  return LINK_SHAPE.test(token);
}

export class ShareLinks {
  constructor(private readonly store: BlobStore) {}

  async create(dossierId: string, hours: number, createdBy: string, now = new Date()): Promise<{ token: string; record: ShareRecord }> {
    const token = randomBytes(32).toString('base64url');
    const record: ShareRecord = {
      dossierId,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + hours * 3_600_000).toISOString(),
      createdBy,
    };
    await this.store.putJson(shareKey(sha256Hex(token)), record);
    return { token, record };
  }

  /** The dossier a live link opens, or null (unknown, malformed or expired). */
  async resolve(token: string, now = Date.now()): Promise<ShareRecord | null> {
    if (!isShareTokenShape(token)) return null;
    try {
      const record = await this.store.getJson(shareKey(sha256Hex(token)), ShareRecordSchema);
      return Date.parse(record.expiresAt) > now ? record : null;
    } catch (error) {
      if (error instanceof BlobNotFoundError || error instanceof CorruptBlobError) return null;
      throw error;
    }
  }
}
