import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { DossiersTable, RecordTables } from './database.ts';

/**
 * Dossier records in SQL: the record itself as JSON, with the columns the list searches and filters on. The API's
 * listing asks the database instead of reading every record from object storage.
 */

export type DossierRow = DossiersTable;

/** What an officer may search and filter by; paging by offset (newest first). */
export const DossierSearchSchema = z.object({
  /** Project name or unit, any part of it. */
  q: z.string().trim().max(100).optional(),
  city: z.string().max(64).optional(),
  stage: z.enum(['filing', 'acceptance']).optional(),
  status: z.enum(['queued', 'processing', 'done', 'failed']).optional(),
  verdict: z.enum(['complete', 'needs_supplement', 'uncheckable']).optional(),
  /** Uploaded on or after / before this date (YYYY-MM-DD, Beijing). */
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD').optional(),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD').optional(),
  batchId: z.string().max(128).optional(),
  /** Only dossiers whose statutory deadline falls on or before this date (YYYY-MM-DD): what is due soon. */
  dueBy: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type DossierSearch = z.infer<typeof DossierSearchSchema>;

/** Who is asking: what the access rules (api/auth/access.ts) let them see, as a filter. */
export type Visibility = { all: true } | { city: string } | { unit: string } | { none: true };

export interface SearchResult {
  total: number;
  records: string[];
}

export class SqlRecordTable {
  constructor(private readonly db: Kysely<RecordTables>) {}

  async get(id: string): Promise<string | null> {
    const row = await this.db.selectFrom('dossiers').select('record').where('id', '=', id).executeTakeFirst();
    return row?.record ?? null;
  }

  async put(row: DossierRow): Promise<void> {
    const { id: _id, ...changes } = row;
    await this.db.insertInto('dossiers').values(row).onConflict((c) => c.column('id').doUpdateSet(changes)).execute();
  }

  /** Many rows in one transaction (start-up import of an older data folder, benchmarks). */
  async putMany(rows: readonly DossierRow[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 200) {
        const chunk = rows.slice(i, i + 200);
        await trx
          .insertInto('dossiers')
          .values([...chunk])
          .onConflict((c) => c.column('id').doNothing())
          .execute();
      }
    });
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('dossiers').where('id', '=', id).execute();
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('dossiers').select((e) => e.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async *ids(): AsyncIterable<string> {
    let after = '';
    for (;;) {
      const rows = await this.db.selectFrom('dossiers').select('id').where('id', '>', after).orderBy('id').limit(500).execute();
      for (const row of rows) yield row.id;
      if (rows.length < 500) return;
      after = rows.at(-1)!.id;
    }
  }

  async search(search: DossierSearch, visibility: Visibility): Promise<SearchResult> {
    if ('none' in visibility) return { total: 0, records: [] };
    let query = this.db.selectFrom('dossiers');
    if ('city' in visibility) query = query.where('city', '=', visibility.city);
    if ('unit' in visibility) query = query.where('unit', '=', visibility.unit);
    if (search.q) {
      const pattern = `%${search.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where((e) => e.or([e('project_name', 'like', sql<string>`${pattern} escape '\\'`), e('unit', 'like', sql<string>`${pattern} escape '\\'`)]));
    }
    if (search.city) query = query.where('city', '=', search.city);
    if (search.stage) query = query.where('stage', '=', search.stage);
    if (search.status) query = query.where('status', '=', search.status);
    if (search.verdict) query = query.where('verdict', '=', search.verdict);
    if (search.batchId) query = query.where('batch_id', '=', search.batchId);
    if (search.dueBy) query = query.where('deadline', 'is not', null).where('deadline', '<=', search.dueBy);
    // Dates are compared in Beijing time: 00:00 Beijing is 16:00 UTC the day before.
    if (search.from) query = query.where('created_at', '>=', beijingMidnightUtc(search.from, 0));
    if (search.to) query = query.where('created_at', '<', beijingMidnightUtc(search.to, 1));
    const { n } = await query.select((e) => e.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
    const rows = await query.select('record').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(search.limit).offset(search.offset).execute();
    return { total: Number(n), records: rows.map((r) => r.record) };
  }
}

function beijingMidnightUtc(day: string, plusDays: number): string {
  const date = new Date(`${day}T00:00:00+08:00`);
  date.setUTCDate(date.getUTCDate() + plusDays);
  return date.toISOString();
}

// ------------------------------------------------------------------------------------------------ audit log

export const AuditActionSchema = z.enum([
  'uploaded',
  'facts_declared',
  'type_corrected',
  'type_reset',
  'segments_set',
  'segments_reset',
  'rechecked',
  'shared',
  'share_revoked',
  'viewed',
  'notice_generated',
  'supplemented',
  'decided',
  'extended',
  'deleted',
]);
export type AuditAction = z.infer<typeof AuditActionSchema>;

export const AuditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  role: z.string(),
  action: AuditActionSchema,
  dossierId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export class SqlAuditLog {
  constructor(private readonly db: Kysely<RecordTables>) {}

  async record(entry: Omit<AuditEntry, 'id' | 'at'> & { at?: string }): Promise<void> {
    const at = entry.at ?? new Date().toISOString();
    // Time first, so ids sort as the entries happened.
    const id = `${at}-${randomBytes(4).toString('hex')}`;
    await this.db
      .insertInto('audit_log')
      .values({ id, at, actor: entry.actor, role: entry.role, action: entry.action, dossier_id: entry.dossierId, detail: JSON.stringify(entry.detail) })
      .execute();
  }

  async forDossier(dossierId: string): Promise<AuditEntry[]> {
    const rows = await this.db.selectFrom('audit_log').selectAll().where('dossier_id', '=', dossierId).orderBy('id').execute();
    return rows.map((r) => AuditEntrySchema.parse({ id: r.id, at: r.at, actor: r.actor, role: r.role, action: r.action, dossierId: r.dossier_id, detail: JSON.parse(r.detail) }));
  }
}

// ------------------------------------------------------------------------------------------ tokens and links

/** One collection of api/auth/documents.ts in the `auth_documents` table. */
export function sqlAuthDocuments(db: Kysely<RecordTables>, collection: 'tokens' | 'shares') {
  return {
    async get(id: string): Promise<unknown | null> {
      const row = await db.selectFrom('auth_documents').select('body').where('collection', '=', collection).where('id', '=', id).executeTakeFirst();
      return row ? JSON.parse(row.body) : null;
    },
    async put(id: string, value: unknown): Promise<void> {
      const body = JSON.stringify(value);
      const updated_at = new Date().toISOString();
      await db
        .insertInto('auth_documents')
        .values({ collection, id, body, updated_at })
        .onConflict((c) => c.columns(['collection', 'id']).doUpdateSet({ body, updated_at }))
        .execute();
    },
    async *list(): AsyncIterable<{ id: string; value: unknown }> {
      const rows = await db.selectFrom('auth_documents').select(['id', 'body']).where('collection', '=', collection).orderBy('id').execute();
      for (const row of rows) yield { id: row.id, value: JSON.parse(row.body) };
    },
    async any(): Promise<boolean> {
      return (await db.selectFrom('auth_documents').select('id').where('collection', '=', collection).limit(1).executeTakeFirst()) !== undefined;
    },
  };
}
