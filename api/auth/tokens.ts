import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { BlobStore } from '../../storage/index.ts';
import { TOKENS_PREFIX, tokenKey } from '../../storage/index.ts';
import { blobAuthDocuments, type AuthDocuments } from './documents.ts';

/**
 * API tokens. A token reads `dkt_<id>_<secret>`: the id finds the stored record, the secret proves possession.
 * Only the SHA-256 of the secret is stored; a 256-bit random secret needs no slow hash (nothing to brute-force), and
 * a fast one keeps every request cheap. Verified tokens are cached for `cacheMs`, so a revocation takes effect
 * within that time on every API node.
 */

export const RoleSchema = z.enum(['officer', 'unit', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

export const TokenRecordSchema = z.object({
  id: z.string(),
  /** Who holds it, for people: 张三（常德市数据资源局）. */
  name: z.string(),
  role: RoleSchema,
  /** officer: the checklist id of its jurisdiction (changde…). */
  jurisdiction: z.string().optional(),
  /** unit: the submitting unit; every token of the same unit sees the same dossiers. */
  unit: z.string().optional(),
  secretSha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
  expiresAt: z.string().optional(),
  revokedAt: z.string().optional(),
});
export type TokenRecord = z.infer<typeof TokenRecordSchema>;

/** Who is calling: what the access rules look at. */
export interface Principal {
  kind: 'token';
  tokenId: string;
  name: string;
  role: Role;
  jurisdiction?: string;
  unit?: string;
}

export interface CreateTokenInput {
  name: string;
  role: Role;
  jurisdiction?: string;
  unit?: string;
  /** Lifetime in days; none: until revoked. */
  expiresInDays?: number;
}

export class TokenInputError extends Error {
  override readonly name = 'TokenInputError';
}

const TOKEN_SHAPE = /^dkt_([A-Za-z0-9]{16})_([A-Za-z0-9_-]{43})$/;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export class TokenStore {
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();

  private readonly documents: AuthDocuments;

  /** @param documents where the records live; by default owner-only objects under auth/tokens/ in `store`. */
  constructor(
    store: BlobStore,
    private readonly cacheMs = 30_000,
    documents?: AuthDocuments,
  ) {
    this.documents = documents ?? blobAuthDocuments(store, TOKENS_PREFIX, tokenKey);
  }

  /** Creates a token; the returned `token` is shown once and never stored. */
  async create(input: CreateTokenInput, now = new Date()): Promise<{ token: string; record: TokenRecord }> {
    const name = input.name.trim();
    if (!name) throw new TokenInputError('令牌须有名称（持有人或用途）');
    if (input.role === 'officer' && !input.jurisdiction) throw new TokenInputError('审核人员（officer）令牌须指定辖区（--jurisdiction，检查清单编号，如 changde）');
    if (input.role === 'unit' && !input.unit?.trim()) throw new TokenInputError('申报单位（unit）令牌须指定单位名称（--unit）');
    if (input.role !== 'officer' && input.jurisdiction) throw new TokenInputError('只有审核人员令牌有辖区');
    if (input.expiresInDays !== undefined && !(input.expiresInDays > 0)) throw new TokenInputError('有效天数须为正数');
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const record: TokenRecord = {
      id,
      name,
      role: input.role,
      jurisdiction: input.role === 'officer' ? input.jurisdiction : undefined,
      unit: input.role === 'unit' ? input.unit!.trim() : undefined,
      secretSha256: sha256Hex(secret),
      createdAt: now.toISOString(),
      expiresAt: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000).toISOString() : undefined,
    };
    await this.documents.put(id, record);
    return { token: `dkt_${id}_${secret}`, record };
  }

  /** The principal a presented token stands for, or null when it is malformed, unknown, expired or revoked. */
  async verify(token: string, now = Date.now()): Promise<Principal | null> {
    const cached = this.cache.get(token);
    if (cached && cached.until > now) return cached.principal;
    const principal = await this.lookup(token, now);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(token, { principal, until: now + this.cacheMs });
    return principal;
  }

  private async lookup(token: string, now: number): Promise<Principal | null> {
    const match = TOKEN_SHAPE.exec(token);
    if (!match) return null;
    const record = await this.get(match[1]!);
    if (!record || record.revokedAt) return null;
    if (record.expiresAt && Date.parse(record.expiresAt) <= now) return null;
    const presented = Buffer.from(sha256Hex(match[2]!), 'hex');
    const stored = Buffer.from(record.secretSha256, 'hex');
    if (presented.length !== stored.length || !timingSafeEqual(presented, stored)) return null;
    return { kind: 'token', tokenId: record.id, name: record.name, role: record.role, jurisdiction: record.jurisdiction, unit: record.unit };
  }

  async get(id: string): Promise<TokenRecord | null> {
    if (!/^[0-9a-f]{16}$/.test(id)) return null;
    const parsed = TokenRecordSchema.safeParse(await this.documents.get(id));
    return parsed.success ? parsed.data : null;
  }

  async list(): Promise<TokenRecord[]> {
    const out: TokenRecord[] = [];
    for await (const { value } of this.documents.list()) {
      const parsed = TokenRecordSchema.safeParse(value);
      if (parsed.success) out.push(parsed.data);
    }
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async revoke(id: string, now = new Date()): Promise<TokenRecord | null> {
    const record = await this.get(id);
    if (!record) return null;
    const revoked = { ...record, revokedAt: record.revokedAt ?? now.toISOString() };
    await this.documents.put(id, revoked);
    this.cache.clear();
    return revoked;
  }

  async isEmpty(): Promise<boolean> {
    return !(await this.documents.any());
  }
}
