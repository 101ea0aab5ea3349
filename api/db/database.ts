import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration } from 'kysely';
import pg from 'pg';

/**
 * Where dossier records and the audit log live: SQLite in a file under the data folder (the embedded default), or
 * PostgreSQL when DATABASE_URL is set. One query builder (Kysely) and one list of migrations serve both, and the
 * migrations run on every start, so an older database is brought up to date before the server answers.
 */

export interface DossiersTable {
  id: string;
  created_at: string;
  updated_at: string;
  status: string;
  city: string;
  stage: string;
  project_name: string | null;
  /** The submitting unit (the owner's), for units' visibility and the officer's search. */
  unit: string | null;
  owner_token: string;
  batch_id: string | null;
  /** complete / needs_supplement / uncheckable, once checked. */
  verdict: string | null;
  /** The statutory deadline (YYYY-MM-DD) while a clock runs, for "due by" filters. */
  deadline: string | null;
  /** The whole record (api/dossiers/records.ts DossierRecordSchema) as JSON; the columns above are its index. */
  record: string;
}

export interface AuditLogTable {
  id: string;
  at: string;
  /** Who: the token's name (or id), or 分享链接 for a share link. */
  actor: string;
  role: string;
  action: string;
  dossier_id: string | null;
  /** What, as JSON (the fact names declared, the file and type set…). */
  detail: string;
}

/** API tokens (hash only) and share links (by the hash of the link): id → JSON, one collection each. */
export interface AuthDocumentsTable {
  collection: string;
  id: string;
  body: string;
  updated_at: string;
}

export interface RecordTables {
  dossiers: DossiersTable;
  audit_log: AuditLogTable;
  auth_documents: AuthDocumentsTable;
}

export interface RecordDatabase {
  db: Kysely<RecordTables>;
  kind: 'sqlite' | 'postgres';
  /** For logs: the file, or the PostgreSQL host and database (never the password). */
  location: string;
  close(): Promise<void>;
}

const MIGRATIONS: Record<string, Migration> = {
  '0001_dossiers_and_audit_log': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('dossiers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('city', 'text', (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('project_name', 'text')
        .addColumn('unit', 'text')
        .addColumn('owner_token', 'text', (c) => c.notNull())
        .addColumn('batch_id', 'text')
        .addColumn('verdict', 'text')
        .addColumn('record', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('dossiers_created_at').on('dossiers').column('created_at').execute();
      await db.schema.createIndex('dossiers_city_created_at').on('dossiers').columns(['city', 'created_at']).execute();
      await db.schema.createIndex('dossiers_unit_created_at').on('dossiers').columns(['unit', 'created_at']).execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('dossier_id', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_dossier_at').on('audit_log').columns(['dossier_id', 'at']).execute();
    },
  },
  '0003_dossier_deadline': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('dossiers').addColumn('deadline', 'text').execute();
      await db.schema.createIndex('dossiers_deadline').on('dossiers').column('deadline').execute();
    },
  },
  '0002_auth_documents': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('auth_documents')
        .addColumn('collection', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('auth_documents_pk', ['collection', 'id'])
        .execute();
    },
  },
};

export interface OpenOptions {
  /** postgres://… : PostgreSQL. */
  url?: string;
  /** Otherwise: this SQLite file (created with its folder). */
  sqliteFile?: string;
}

export async function openRecordDatabase(options: OpenOptions): Promise<RecordDatabase> {
  let opened: RecordDatabase;
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: 10 });
    const db = new Kysely<RecordTables>({ dialect: new PostgresDialect({ pool }) });
    const where = new URL(options.url);
    opened = { db, kind: 'postgres', location: `${where.hostname}:${where.port || 5432}${where.pathname}`, close: () => db.destroy() };
  } else if (options.sqliteFile) {
    // The folder holds token and link hashes as the auth/ objects did: owner-only.
    mkdirSync(dirname(options.sqliteFile), { recursive: true, mode: 0o700 });
    chmodSync(dirname(options.sqliteFile), 0o700);
    const sqlite = new Database(options.sqliteFile);
    // WAL lets the report page read while a check writes; NORMAL sync is safe with WAL and much faster.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    const db = new Kysely<RecordTables>({ dialect: new SqliteDialect({ database: sqlite }) });
    opened = { db, kind: 'sqlite', location: options.sqliteFile, close: () => db.destroy() };
  } else {
    throw new Error('数据库未配置：请设置 DATABASE_URL，或提供 SQLite 文件位置');
  }
  const { error, results } = await new Migrator({ db: opened.db, provider: { getMigrations: async () => MIGRATIONS } }).migrateToLatest();
  if (error) {
    await opened.close();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`数据库迁移失败${failed ? `（${failed}）` : ''}：${(error as Error).message ?? String(error)}`, { cause: error });
  }
  return opened;
}
