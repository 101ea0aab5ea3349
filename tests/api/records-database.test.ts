import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRecordDatabase, type RecordDatabase } from '../../api/db/database.ts';
import { DossierSearchSchema, sqlAuthDocuments, SqlAuditLog, SqlRecordTable } from '../../api/db/records-table.ts';
import { TokenStore } from '../../api/auth/tokens.ts';
import { ShareLinks } from '../../api/auth/share-links.ts';
import { openTokenStore } from '../../api/context.ts';
import { parseApiConfig } from '../../api/config.ts';
import { DossierRepository, rowOf, type DossierRecord } from '../../api/dossiers/records.ts';
import type { Principal } from '../../api/auth/tokens.ts';
import { LocalFolderStore, recordKey } from '../../storage/index.ts';
import { bearer, checkedDossier, startTestApi } from './harness.ts';

/**
 * Dossier records and the audit log in a real database (issue 12): SQLite in the data folder by default, PostgreSQL
 * with DATABASE_URL. The same tests run against both; PostgreSQL is the one on 127.0.0.1:5432 (CI starts it).
 */

const PG_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const CITIES = ['changde', 'yiyang', 'shenyang', 'shucheng', 'municipal-template'];
const UNITS = ['常德市档案馆', '益阳市医疗保障局', '沈阳市人社局', '舒城县数据资源局', '青禾市生态环境局'];
const admin: Principal = { tokenId: 'a', role: 'admin', name: '管理员' } as Principal;

/** 10,000 records spread over five cities, units, stages, verdicts and 100 days. */
function manyRecords(count: number): DossierRecord[] {
  const start = Date.parse('2026-06-01T02:00:00Z');
  return Array.from({ length: count }, (_, i) => {
    const city = CITIES[i % 5]!;
    const complete = i % 3 === 0;
    const at = new Date(start + (i % 100) * 86_400_000 + i * 1000).toISOString();
    return {
      id: `d_${String(i).padStart(6, '0')}`,
      createdAt: at,
      updatedAt: at,
      status: 'done',
      city,
      stage: i % 2 === 0 ? 'filing' : 'acceptance',
      facts: {},
      owner: { tokenId: `t${i % 5}`, role: 'unit', unit: UNITS[i % 5] },
      input: { name: 'dossier.zip', kind: 'archive', parts: [] },
      progress: { stage: 'done', done: 1, total: 1, percent: 100, message: '检查完成' },
      result: { complete, verdict: complete ? '材料齐全' : '需补正（1 项必须补正）', projectName: `${city === 'changde' ? '常德市' : '某市'}项目${i}号信息化建设`, summary: { files: 1, unreadableFiles: 0, ocrPages: 0, satisfied: 1, missing: complete ? 0 : 1, unreadable: 0, needsConfirmation: 0, notApplicable: 0, errors: 0, warnings: 0 }, checkedAt: at, rechecks: 0 },
    } as DossierRecord;
  });
}

function describeDatabase(kind: 'sqlite' | 'postgres', open: () => Promise<{ database: RecordDatabase; cleanup: () => Promise<void> }>) {
  describe(`dossier records in ${kind}`, () => {
    let database: RecordDatabase;
    let cleanup: () => Promise<void>;
    let repo: DossierRepository;
    let dataDir: string;

    beforeAll(async () => {
      ({ database, cleanup } = await open());
      dataDir = await mkdtemp(join(tmpdir(), 'records-db-'));
      repo = new DossierRepository(new LocalFolderStore({ root: dataDir }), Number.POSITIVE_INFINITY, new SqlRecordTable(database.db));
      await new SqlRecordTable(database.db).putMany(manyRecords(10_000).map(rowOf));
    }, 120_000);
    afterAll(async () => {
      await database?.close();
      await cleanup?.();
      await rm(dataDir, { recursive: true, force: true });
    });

    const search = (query: Record<string, unknown>, principal: Principal = admin) => repo.search(DossierSearchSchema.parse(query), principal);

    it('pages through 10,000 records newest first without reading object storage', async () => {
      const first = await search({ limit: 50 });
      expect(first.total).toBe(10_000);
      expect(first.records).toHaveLength(50);
      const dates = first.records.map((r) => r.createdAt);
      expect(dates).toEqual([...dates].sort().reverse());
      const last = await search({ limit: 50, offset: 9_990 });
      expect(last.records).toHaveLength(10);
      expect(new Set([...first.records, ...last.records].map((r) => r.id)).size).toBe(60);
    });

    it('searches by project name or unit and filters by city, stage, verdict and Beijing date', async () => {
      expect((await search({ q: '项目4242号' })).records.map((r) => r.id)).toEqual(['d_004242']);
      const byUnit = await search({ q: '益阳市医疗', limit: 500 });
      expect(byUnit.total).toBe(2_000);
      expect(byUnit.records.every((r) => r.owner.unit === '益阳市医疗保障局')).toBe(true);
      const filtered = await search({ city: 'changde', stage: 'filing', verdict: 'complete', limit: 500 });
      expect(filtered.records.every((r) => r.city === 'changde' && r.stage === 'filing' && r.result?.complete)).toBe(true);
      // i ≡ 0 (mod 5), even, ≡ 0 (mod 3): every 30th record.
      expect(filtered.total).toBe(334);
      // 2026-06-01 02:00 UTC plus whole days: each Beijing day holds 100 records.
      const day = await search({ from: '2026-06-11', to: '2026-06-11', limit: 500 });
      expect(day.total).toBe(100);
      expect(await search({ q: '100%_' })).toMatchObject({ total: 0 });
    });

    it('shows each caller only what the access rules let it see', async () => {
      const officer = { tokenId: 'o', role: 'officer', jurisdiction: 'yiyang', name: '审核' } as Principal;
      const unit = { tokenId: 'u', role: 'unit', unit: '沈阳市人社局', name: '单位' } as Principal;
      expect((await search({ limit: 1 }, officer)).total).toBe(2_000);
      expect((await search({ city: 'changde' }, officer)).total).toBe(0);
      const mine = await search({ limit: 500 }, unit);
      expect(mine.total).toBe(2_000);
      expect(mine.records.every((r) => r.owner.unit === '沈阳市人社局')).toBe(true);
      expect((await search({}, { tokenId: 'x', role: 'unit', name: '无单位' } as Principal)).total).toBe(0);
    });

    it('reads, updates and deletes one record, and keeps an audit log in order', async () => {
      const record = (await repo.get('d_000007'))!;
      expect(record.result?.projectName).toBe('某市项目7号信息化建设');
      await repo.update('d_000007', (r) => ({ ...r, facts: { major: true } }));
      const fresh = new DossierRepository(repo.store, 0, new SqlRecordTable(database.db));
      expect((await fresh.get('d_000007'))!.facts).toEqual({ major: true });
      await fresh.delete('d_000007');
      expect(await fresh.get('d_000007')).toBeNull();

      const audit = new SqlAuditLog(database.db);
      await audit.record({ actor: '王审核', role: 'officer', action: 'viewed', dossierId: 'd_000008', detail: { format: 'html' }, at: '2026-07-01T01:00:00.000Z' });
      await audit.record({ actor: '青禾市档案馆', role: 'unit', action: 'uploaded', dossierId: 'd_000008', detail: { files: 3 }, at: '2026-06-30T01:00:00.000Z' });
      expect((await audit.forDossier('d_000008')).map((e) => [e.action, e.actor, e.detail])).toEqual([
        ['uploaded', '青禾市档案馆', { files: 3 }],
        ['viewed', '王审核', { format: 'html' }],
      ]);
    });
  });
}

describeDatabase('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'records-sqlite-'));
  const database = await openRecordDatabase({ sqliteFile: join(dir, 'records.sqlite') });
  return { database, cleanup: () => rm(dir, { recursive: true, force: true }) };
});

describeDatabase('postgres', async () => {
  const name = `dossier_test_${process.pid}_${Date.now()}`;
  const adminClient = new pg.Client({ connectionString: PG_ADMIN_URL });
  try {
    await adminClient.connect();
  } catch (cause) {
    throw new Error(`PostgreSQL 未运行（${PG_ADMIN_URL}）：请按 .ci/run 的方式启动（PostgreSQL is not answering）`, { cause });
  }
  await adminClient.query(`create database ${name}`);
  await adminClient.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const database = await openRecordDatabase({ url: url.toString() });
  return {
    database,
    cleanup: async () => {
      const client = new pg.Client({ connectionString: PG_ADMIN_URL });
      await client.connect();
      await client.query(`drop database if exists ${name}`);
      await client.end();
    },
  };
});

describe('an existing data folder', () => {
  it('keeps records in the data folder’s database: the API lists, searches and audits from there', async () => {
    const api = await startTestApi();
    try {
      const unit = await api.token('unit', { unit: '青禾市档案馆', name: '青禾市档案馆' });
      const officer = await api.token('officer', { jurisdiction: 'municipal-template', name: '王审核' });
      const id = await checkedDossier(api, unit, { facts: { filingStep: 'approval' } });
      // Records are rows now, not objects of the store.
      await expect(api.ctx.store.head(recordKey(id))).resolves.toBeNull();

      const list = (await api.app.inject({ url: '/api/v1/dossiers?q=青禾', headers: bearer(officer) })).json();
      expect(list).toMatchObject({ total: 1, offset: 0, limit: 100 });
      expect(list.dossiers[0].id).toBe(id);
      await api.app.inject({ url: `/api/v1/dossiers/${id}/report`, headers: bearer(officer) });
      const audit = (await api.app.inject({ url: `/api/v1/dossiers/${id}/audit`, headers: bearer(officer) })).json();
      expect(audit.available).toBe(true);
      expect(audit.entries.map((e: { action: string; actor: string }) => `${e.action}:${e.actor}`)).toEqual(['uploaded:青禾市档案馆', 'viewed:王审核']);
      expect((await api.app.inject({ url: `/api/v1/dossiers/${id}/audit`, headers: bearer(unit) })).statusCode).toBe(403);
      const badDate = await api.app.inject({ url: '/api/v1/dossiers?from=2026/1/1', headers: bearer(officer) });
      expect(badDate.statusCode).toBe(400);
    } finally {
      await api.close();
    }
  });

  it('keeps the tokens and share links an older version wrote as objects working', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'records-auth-import-'));
    const store = new LocalFolderStore({ root: dir });
    try {
      const { token } = await new TokenStore(store).create({ name: '老令牌', role: 'officer', jurisdiction: 'changde' });
      const link = await new ShareLinks(store).create('d_old', 24, 'creator');
      const opened = await openTokenStore(parseApiConfig({}), store);
      try {
        expect(await opened.tokens.verify(token)).toMatchObject({ name: '老令牌', role: 'officer' });
      } finally {
        await opened.close();
      }
      const database = await openRecordDatabase({ sqliteFile: join(dir, '.database', 'records.sqlite') });
      try {
        expect(await new ShareLinks(store, undefined, sqlAuthDocuments(database.db, 'shares')).resolve(link.token)).toMatchObject({ dossierId: 'd_old' });
      } finally {
        await database.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('moves an older folder’s record objects into an empty database once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'records-import-'));
    const store = new LocalFolderStore({ root: dir });
    const [a, b] = manyRecords(2);
    await store.putJson(recordKey(a!.id), a);
    await store.putJson(recordKey(b!.id), b);
    const database = await openRecordDatabase({ sqliteFile: join(dir, '.database', 'records.sqlite') });
    try {
      const repo = new DossierRepository(store, 0, new SqlRecordTable(database.db));
      expect(await repo.importFromStore()).toBe(2);
      expect(await repo.importFromStore()).toBe(0);
      expect((await repo.search(DossierSearchSchema.parse({}), admin)).records.map((r) => r.id).sort()).toEqual([a!.id, b!.id]);
      // The database folder is not an object of the store.
      const keys: string[] = [];
      for await (const item of store.list('')) keys.push(item.key);
      expect(keys.some((k) => k.startsWith('.database'))).toBe(false);
    } finally {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
