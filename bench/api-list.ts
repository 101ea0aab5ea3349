import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { openRecordDatabase, type RecordDatabase } from '../api/db/database.ts';
import { DossierSearchSchema, SqlRecordTable } from '../api/db/records-table.ts';
import { DossierRepository, rowOf, type DossierRecord } from '../api/dossiers/records.ts';
import type { Principal } from '../api/auth/tokens.ts';
import { LocalFolderStore } from '../storage/index.ts';

/**
 * The dossier list over 10,000 records (issue 12: under 100 ms), in SQLite and, when it answers, PostgreSQL: the
 * queries an officer's list page makes — the first page, a search by project or unit, filters, a deep page — each
 * timed 20 times (median and worst). `npx tsx bench/api-list.ts`; also part of `npm run bench:api`.
 */

const COUNT = Number(process.env.BENCH_RECORDS ?? 10_000);
const RUNS = 20;
const CITIES = ['changde', 'yiyang', 'shenyang', 'shucheng', 'municipal-template'];
const admin = { tokenId: 'a', role: 'admin', name: '管理员' } as Principal;
const officer = { tokenId: 'o', role: 'officer', jurisdiction: 'yiyang', name: '审核' } as Principal;

function records(): DossierRecord[] {
  const start = Date.parse('2026-01-01T02:00:00Z');
  return Array.from({ length: COUNT }, (_, i) => {
    const at = new Date(start + i * 30 * 60_000).toISOString();
    return {
      id: `d_${String(i).padStart(6, '0')}`,
      createdAt: at,
      updatedAt: at,
      status: 'done',
      city: CITIES[i % 5]!,
      stage: i % 2 ? 'acceptance' : 'filing',
      facts: { totalInvestmentWan: 100 + (i % 400) },
      owner: { tokenId: `t${i % 50}`, role: 'unit', unit: `第${i % 50}建设单位` },
      input: { name: '材料.zip', kind: 'archive', parts: [{ path: '材料.zip', size: 1000, sha256: 'a'.repeat(64) }] },
      progress: { stage: 'done', done: 12, total: 12, percent: 100, message: '检查完成：需补正（1 项必须补正）' },
      result: { complete: i % 3 === 0, verdict: i % 3 === 0 ? '材料齐全' : '需补正（1 项必须补正）', projectName: `某市第${i}号政务信息化建设项目`, summary: { files: 12, unreadableFiles: 0, ocrPages: 3, satisfied: 15, missing: 1, unreadable: 0, needsConfirmation: 2, notApplicable: 3, errors: 1, warnings: 2 }, checkedAt: at, rechecks: 0 },
    } as DossierRecord;
  });
}

const QUERIES: Array<[string, Record<string, unknown>, Principal]> = [
  ['第一页（管理员，50 条）', { limit: 50 }, admin],
  ['按项目名称搜索', { q: '第4242号' }, admin],
  ['按单位搜索', { q: '第17建设单位', limit: 50 }, admin],
  ['审核人员：本辖区 + 结论 + 日期', { verdict: 'needs_supplement', from: '2026-02-01', to: '2026-03-31', limit: 50 }, officer],
  ['深翻页（offset 9900）', { limit: 50, offset: 9_900 }, admin],
];

async function measure(database: RecordDatabase): Promise<Record<string, { medianMs: number; worstMs: number; total: number }>> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-list-'));
  try {
    await new SqlRecordTable(database.db).putMany(records().map(rowOf));
    const repo = new DossierRepository(new LocalFolderStore({ root: dir }), Number.POSITIVE_INFINITY, new SqlRecordTable(database.db));
    const out: Record<string, { medianMs: number; worstMs: number; total: number }> = {};
    for (const [name, query, principal] of QUERIES) {
      const search = DossierSearchSchema.parse(query);
      const times: number[] = [];
      let total = 0;
      for (let run = 0; run < RUNS; run++) {
        const t = performance.now();
        total = (await repo.search(search, principal)).total;
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      out[name] = { medianMs: round(times[RUNS >> 1]!), worstMs: round(times.at(-1)!), total };
      console.log(`  ${name}：中位 ${out[name].medianMs} ms，最慢 ${out[name].worstMs} ms（共 ${total} 条）`);
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;

export async function runListBench(): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = { records: COUNT };
  const dir = await mkdtemp(join(tmpdir(), 'bench-sqlite-'));
  console.log(`== 材料列表查询（${COUNT} 条记录）：SQLite`);
  const sqlite = await openRecordDatabase({ sqliteFile: join(dir, 'records.sqlite') });
  try {
    results.sqlite = await measure(sqlite);
  } finally {
    await sqlite.close();
    await rm(dir, { recursive: true, force: true });
  }
  const adminUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
  const name = `dossier_bench_${process.pid}`;
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
  } catch {
    console.log('PostgreSQL 未运行，跳过 PostgreSQL 的列表查询');
    return results;
  }
  await client.query(`create database ${name}`);
  console.log(`== 材料列表查询（${COUNT} 条记录）：PostgreSQL`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const postgres = await openRecordDatabase({ url: url.toString() });
  try {
    results.postgres = await measure(postgres);
  } finally {
    await postgres.close();
    await client.query(`drop database if exists ${name}`);
    await client.end();
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) await runListBench();
