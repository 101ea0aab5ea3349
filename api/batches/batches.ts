import { z } from 'zod';
import { rowOf, rowWithoutReport, sortForReview, type BatchRow } from '../../pipeline/batch.ts';
import { FactValueSchema, StageSchema, type CompletenessReport } from '../../pipeline/report/schema.ts';
import { uncheckableText } from '../../pipeline/report/verdict.ts';
import { batchKey, BlobNotFoundError, CorruptBlobError, type BlobStore } from '../../storage/index.ts';
import { RoleSchema } from '../auth/tokens.ts';
import { UNCHECKABLE_CODE, type DossierRecord, type DossierRepository } from '../dossiers/records.ts';

export const BatchRecordSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  city: z.string(),
  stage: StageSchema,
  facts: z.record(z.string(), FactValueSchema),
  owner: z.object({ tokenId: z.string(), role: RoleSchema, unit: z.string().optional(), name: z.string().optional() }),
  /** How the upload was split: one archive per dossier, a zip of zips, a zip of folders. */
  layout: z.enum(['archives', 'zips', 'folders']),
  dossiers: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type BatchRecord = z.infer<typeof BatchRecordSchema>;

/** The CLI's pre-screening row plus where the dossier is in its processing and where its report is. */
export interface BatchTableRow extends BatchRow {
  dossierId: string;
  status: DossierRecord['status'] | 'deleted';
  percent: number;
}

export class BatchRepository {
  constructor(private readonly store: BlobStore) {}

  async get(id: string): Promise<BatchRecord | null> {
    try {
      return await this.store.getJson(batchKey(id), BatchRecordSchema);
    } catch (error) {
      if (error instanceof BlobNotFoundError || error instanceof CorruptBlobError) return null;
      throw error;
    }
  }

  async put(record: BatchRecord): Promise<void> {
    await this.store.putJson(batchKey(record.id), record);
  }
}

/**
 * The summary table of a batch, sorted for review (failures, then most missing first). Rows of dossiers still
 * running carry their status; `reportDir` is the dossier's API path, so the exported tables link to
 * `<reportDir>/report.html`.
 */
export async function batchTable(batch: BatchRecord, repo: DossierRepository): Promise<BatchTableRow[]> {
  const rows: BatchTableRow[] = [];
  for (const d of batch.dossiers) {
    const record = await repo.get(d.id);
    const base = { ...rowWithoutReport(d.name, `/api/v1/dossiers/${d.id}`), dossierId: d.id };
    if (!record) {
      rows.push({ ...base, status: 'deleted', percent: 0, failure: '材料已删除', reportDir: '' });
      continue;
    }
    if (record.status === 'failed') {
      const failure = record.error?.message ?? '检查失败';
      const verdict = record.error?.code === UNCHECKABLE_CODE ? failure : uncheckableText(failure);
      rows.push({ ...base, status: 'failed', percent: 100, errors: 1, failure, verdict, reportDir: '' });
      continue;
    }
    if (record.status !== 'done') {
      rows.push({ ...base, status: record.status, percent: record.progress.percent, failure: undefined });
      continue;
    }
    const report = await reportOf(repo, d.id, record);
    rows.push(report ? { ...rowOf(d.name, report, base.reportDir), dossierId: d.id, status: 'done', percent: 100 } : { ...base, status: 'done', percent: 100 });
  }
  const order = sortForReview(rows);
  return order as BatchTableRow[];
}

// Reports of finished dossiers do not change until a re-check; keep their rows' inputs between polls.
const reportCache = new Map<string, { checkedAt: string; rechecks: number; report: CompletenessReport }>();

async function reportOf(repo: DossierRepository, id: string, record: DossierRecord): Promise<CompletenessReport | null> {
  const hit = reportCache.get(id);
  if (hit && hit.checkedAt === record.result?.checkedAt && hit.rechecks === record.result?.rechecks) return hit.report;
  const report = await repo.getReport(id);
  if (report && record.result) {
    if (reportCache.size > 2000) reportCache.clear();
    reportCache.set(id, { checkedAt: record.result.checkedAt, rechecks: record.result.rechecks, report });
  }
  return report;
}

