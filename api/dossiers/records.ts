import { z } from 'zod';
import { DossierFileSchema, UnreadableEntrySchema } from '../../pipeline/intake/model.ts';
import { beijingDate, FileFindingSchema, loadChecklist, SegmentationCorrectionSchema, statutoryClocks, TypeCorrectionsSchema, type Clock, type ClockEvent } from '../../pipeline/index.ts';
import { CompletenessReportSchema, FactValueSchema, ReportSummarySchema, StageSchema, type CompletenessReport } from '../../pipeline/report/schema.ts';
import { RoundDiffSchema } from '../../pipeline/rounds/diff.ts';
import { canSee } from '../auth/access.ts';
import { RoleSchema, type Principal } from '../auth/tokens.ts';
import type { DossierRow, DossierSearch, SqlRecordTable, Visibility } from '../db/records-table.ts';
import { BlobNotFoundError, CorruptBlobError, DOSSIERS_PREFIX, dossierPrefix, intakeKey, manifestKey, recordKey, reportKey, type BlobStore } from '../../storage/index.ts';

/**
 * What the API keeps about one dossier besides its files: the record (status, progress, owner, facts, the officers'
 * type corrections), the manifest
 * (what intake found, so a re-check needs no unpacking) and the report.
 */

export const DossierStatusSchema = z.enum(['queued', 'processing', 'done', 'failed']);
export type DossierStatus = z.infer<typeof DossierStatusSchema>;

export const ProgressSchema = z.object({
  stage: z.enum(['queued', 'intake', 'extract', 'evaluate', 'done', 'failed']),
  /** Files extracted so far, of `total`. */
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** 0–100, for a progress bar. */
  percent: z.number().min(0).max(100),
  /** The file being read, as the user named it. */
  path: z.string().optional(),
  message: z.string(),
});
export type Progress = z.infer<typeof ProgressSchema>;

export const UploadedPartSchema = z.object({ path: z.string(), size: z.number().int().nonnegative(), sha256: z.string() });

/** The outcome of a finished check, kept in the record and shown in the API's status answer. */
export const DossierResultSchema = z.object({
  complete: z.boolean(),
  /** The report's verdict in words: 材料齐全 / 需补正（…） / 无法检查（…）. Absent in records from before it existed. */
  verdict: z.string().optional(),
  projectName: z.string().optional(),
  summary: ReportSummarySchema,
  checkedAt: z.string(),
  rechecks: z.number().int().nonnegative().default(0),
});
export type DossierResult = z.infer<typeof DossierResultSchema>;

/** The error code of a dossier that was processed but of which nothing could be read (its report is kept). */
export const UNCHECKABLE_CODE = 'DOSSIER_UNCHECKABLE';

/**
 * A record whose check has just finished with `report`. A dossier nothing of which could be read is `failed` (with the
 * reason first), not `done` with a long list of "missing" rows: its report is still stored, to show which files failed.
 */
export function completedRecord(record: DossierRecord, report: CompletenessReport, filesTotal: number): DossierRecord {
  const uncheckable = report.verdict.outcome === 'uncheckable';
  return {
    ...record,
    status: uncheckable ? 'failed' : 'done',
    error: uncheckable ? { code: UNCHECKABLE_CODE, message: report.verdict.text } : undefined,
    events: eventsAfterCheck(record, report),
    progress: {
      stage: uncheckable ? 'failed' : 'done',
      done: filesTotal,
      total: filesTotal,
      percent: 100,
      message: `检查完成：${report.verdict.text}`,
    },
    result: {
      complete: report.complete,
      verdict: report.verdict.text,
      projectName: typeof report.fields.projectName?.value === 'string' ? report.fields.projectName.value : undefined,
      summary: report.summary,
      checkedAt: report.generatedAt,
      rechecks: 0,
    },
  };
}

/**
 * What happened to a dossier that the statutory clock counts from (checklists/clock.ts): 受理 is the record's creation;
 * 收齐 the first check with nothing error-level missing; 补正 requests and arrivals; an extension granted.
 */
export const DossierEventSchema = z.object({
  kind: z.enum(['complete', 'supplement_requested', 'supplement_received', 'extended', 'decided']),
  at: z.string(),
  by: z.string().optional(),
  /** For 'decided': the officer's decision; for 'extended' and 'decided': the reason given. */
  decision: z.enum(['accepted', 'rejected']).optional(),
  note: z.string().max(500).optional(),
});
export type DossierEvent = z.infer<typeof DossierEventSchema>;

/** The record's events plus 收齐 when this report is the first with nothing error-level missing. */
export function eventsAfterCheck(record: DossierRecord, report: CompletenessReport): DossierEvent[] | undefined {
  const events = record.events ?? [];
  if (report.verdict.outcome !== 'complete' || events.some((e) => e.kind === 'complete')) return record.events;
  return [...events, { kind: 'complete', at: report.generatedAt }];
}

/**
 * One submission of the dossier's files: round 1 is the upload, each 补正 after it (files added, replaced, withdrawn)
 * is the next round. api/dossiers/rounds.ts builds and finishes them; each finished round's report is kept unchanged
 * under storage/keys.ts roundReportKey.
 */
export const RoundSchema = z.object({
  n: z.number().int().positive(),
  at: z.string(),
  /** Who submitted it: a token's name, or 分享链接. */
  by: z.string(),
  added: z.array(z.string()).default([]),
  replaced: z.array(z.string()).default([]),
  withdrawn: z.array(z.string()).default([]),
  /** Round ≥ 2: the dossier's files in this round and where their bytes are (content-addressed or this round's upload). */
  files: z.array(z.object({ path: z.string(), sha256: z.string(), size: z.number().int().nonnegative(), key: z.string() })).optional(),
  /** Round ≥ 2: what a folder of the files cannot show and earlier rounds knew (unreadable entries, junk, intake findings). */
  carried: z
    .object({ unreadableEntries: z.array(UnreadableEntrySchema), skipped: z.array(z.string()), findings: z.array(FileFindingSchema) })
    .optional(),
  /** Set when the round's check finished. */
  verdict: z.string().optional(),
  reportGeneratedAt: z.string().optional(),
  /** Round ≥ 2: what changed against the previous round's report. */
  diff: RoundDiffSchema.optional(),
});
export type Round = z.infer<typeof RoundSchema>;

export const DossierRecordSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  status: DossierStatusSchema,
  city: z.string(),
  stage: StageSchema,
  facts: z.record(z.string(), FactValueSchema),
  /** The officers' doc types for some files, with who and when (PUT /api/v1/dossiers/:id/files/type); newest last. */
  typeCorrections: TypeCorrectionsSchema.optional(),
  /** The officers' page starts for files bound of several documents (PUT /api/v1/dossiers/:id/files/pages). */
  segmentations: z.array(SegmentationCorrectionSchema).optional(),
  /** Events of the statutory clock, oldest first (受理 is `createdAt`). */
  events: z.array(DossierEventSchema).optional(),
  /** The 补正 rounds, oldest first; absent until the first check finished (records from before rounds existed). */
  rounds: z.array(RoundSchema).optional(),
  callbackUrl: z.string().optional(),
  owner: z.object({ tokenId: z.string(), role: RoleSchema, unit: z.string().optional(), name: z.string().optional() }),
  batchId: z.string().optional(),
  /** Distributed mode: the queue's own (content-derived) id of this dossier. */
  queueId: z.string().optional(),
  /** What was uploaded: one archive or file (`archive`), or the files of a picked folder (`folder`). */
  input: z.object({ name: z.string(), kind: z.enum(['archive', 'folder']), parts: z.array(UploadedPartSchema) }),
  progress: ProgressSchema,
  result: DossierResultSchema.optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  /**
   * Embedded mode: how many times a check of this upload was started. A start that never finished (the process died,
   * often because of one file) is re-queued on the next start until the limit; a re-check from the upload resets it.
   */
  attempts: z.number().int().nonnegative().optional(),
});
export type DossierRecord = z.infer<typeof DossierRecordSchema>;

/** The intake result without work-area paths: what a re-check and the file route need. */
export const ManifestSchema = z.object({
  files: z.array(DossierFileSchema.omit({ localPath: true })),
  skipped: z.array(z.string()),
  findings: z.array(FileFindingSchema),
  unreadableEntries: z.array(UnreadableEntrySchema).default([]),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/**
 * The statutory clock from the record's events: 受理 is the day the upload was accepted, the rest are recorded as
 * they happen. Facts for a limit's condition are the declared ones; an unknown fact keeps the clock shown.
 */
export function clocksOf(record: DossierRecord): Clock[] {
  const events = clockEventsOf(record);
  const facts = (name: string) => (name in record.facts ? { known: true as const, value: record.facts[name]! } : { known: false as const, unknownFacts: [name] });
  try {
    return statutoryClocks({ checklist: loadChecklist(record.city), stage: record.stage, events, today: beijingDate(), facts });
  } catch {
    // A checklist that no longer loads (a removed custom file) must not hide the dossier itself.
    return [];
  }
}

/** The record's events as Beijing days, 受理 first: the clock counts them, and the time-limit rules read them as facts. */
export function clockEventsOf(record: DossierRecord): ClockEvent[] {
  return [{ kind: 'accepted', on: beijingDate(new Date(record.createdAt)) }, ...(record.events ?? []).map((e) => ({ kind: e.kind, on: beijingDate(new Date(e.at)) }))];
}

/** The verdict column of a record: what the officer filters the list by. */
function verdictOf(record: DossierRecord): DossierRow['verdict'] {
  if (record.status === 'failed' && record.error?.code === UNCHECKABLE_CODE) return 'uncheckable';
  if (!record.result) return null;
  return record.result.complete ? 'complete' : 'needs_supplement';
}

/** The row of a record: its JSON with the columns the list filters on. */
export function rowOf(record: DossierRecord): DossierRow {
  return {
    id: record.id,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    status: record.status,
    city: record.city,
    stage: record.stage,
    project_name: record.result?.projectName ?? null,
    unit: record.owner.unit ?? null,
    owner_token: record.owner.tokenId,
    batch_id: record.batchId ?? null,
    verdict: verdictOf(record),
    // The deadline as it stands when the record is written (a pause or a decision changes it, and writes the record).
    deadline: clocksOf(record).find((c) => c.deadline && c.state !== 'stopped')?.deadline ?? null,
    record: JSON.stringify(record),
  };
}

/** What the caller may see, as a filter (the same rules as api/auth/access.ts canSee). */
export function visibilityOf(principal: Principal): Visibility {
  if (principal.role === 'admin') return { all: true };
  if (principal.role === 'officer') return principal.jurisdiction ? { city: principal.jurisdiction } : { none: true };
  return principal.unit ? { unit: principal.unit } : { none: true };
}

/**
 * Dossier records and what belongs to them. Records live in the database when there is one (SQLite under the data
 * folder, or PostgreSQL): the list is a query, not a scan of object storage. Reports, manifests and files stay in
 * object storage.
 */
export class DossierRepository {
  private readonly cache = new Map<string, { record: DossierRecord; at: number }>();
  private readonly locks = new Map<string, Promise<unknown>>();

  /**
   * @param cacheMs how long a record read from storage is trusted; Infinity when this process is the only writer.
   * @param table the records' table; without one (object storage only) records are JSON objects in the store.
   */
  constructor(
    readonly store: BlobStore,
    private readonly cacheMs = Number.POSITIVE_INFINITY,
    private readonly table?: SqlRecordTable,
  ) {}

  async get(id: string): Promise<DossierRecord | null> {
    const hit = this.cache.get(id);
    if (hit && Date.now() - hit.at < this.cacheMs) return hit.record;
    try {
      const record = this.table ? await this.readRow(id) : await this.store.getJson(recordKey(id), DossierRecordSchema);
      if (!record) {
        this.cache.delete(id);
        return null;
      }
      this.remember(record);
      return record;
    } catch (error) {
      if (error instanceof BlobNotFoundError || error instanceof CorruptBlobError) {
        this.cache.delete(id);
        return null;
      }
      throw error;
    }
  }

  async put(record: DossierRecord): Promise<DossierRecord> {
    if (this.table) await this.table.put(rowOf(record));
    else await this.store.putJson(recordKey(record.id), record);
    this.remember(record);
    return record;
  }

  /** Read-modify-write, one at a time per dossier within this process. */
  async update(id: string, change: (record: DossierRecord) => DossierRecord | Promise<DossierRecord>): Promise<DossierRecord | null> {
    return this.exclusive(id, async () => {
      this.cache.delete(id);
      const current = await this.get(id);
      if (!current) return null;
      const next = await change(current);
      return this.put({ ...next, updatedAt: new Date().toISOString() });
    });
  }

  /** Runs `work` with no other `update`/`exclusive` of the same dossier in flight in this process. */
  async exclusive<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(id) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(work);
    this.locks.set(id, run);
    try {
      return await run;
    } finally {
      if (this.locks.get(id) === run) this.locks.delete(id);
    }
  }

  /** Keeps the in-memory copy current when another part of this process learned a newer state. */
  remember(record: DossierRecord): void {
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(record.id, { record, at: Date.now() });
  }

  /** The caller's dossiers, newest first, filtered and paged. Without a database: a scan of object storage. */
  async search(search: DossierSearch, principal: Principal): Promise<{ total: number; records: DossierRecord[] }> {
    if (this.table) {
      const found = await this.table.search(search, visibilityOf(principal));
      return { total: found.total, records: found.records.map((json) => DossierRecordSchema.parse(JSON.parse(json))) };
    }
    const matching: DossierRecord[] = [];
    for await (const id of this.ids()) {
      const record = await this.get(id).catch(() => null);
      if (record && canSee(principal, record) && matchesSearch(record, search)) matching.push(record);
    }
    matching.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
    return { total: matching.length, records: matching.slice(search.offset, search.offset + search.limit) };
  }

  /**
   * A data folder written before records moved into the database: its record.json objects are copied into the empty
   * table once, in one transaction, so a crash half-way leaves nothing half-imported. Returns how many were copied.
   */
  async importFromStore(): Promise<number> {
    if (!this.table || (await this.table.count()) > 0) return 0;
    const rows: DossierRow[] = [];
    for await (const item of this.store.list(DOSSIERS_PREFIX)) {
      if (!/^dossiers\/[^/]+\/record\.json$/.test(item.key)) continue;
      const record = await this.store.getJson(item.key, DossierRecordSchema).catch(() => null);
      if (record) rows.push(rowOf(record));
    }
    if (rows.length > 0) await this.table.putMany(rows);
    return rows.length;
  }

  private async readRow(id: string): Promise<DossierRecord | null> {
    const json = await this.table!.get(id);
    if (json === null) return null;
    const parsed = DossierRecordSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  }

  async putManifest(id: string, manifest: Manifest): Promise<void> {
    await this.store.putJson(intakeKey(id), manifest);
  }

  async getManifest(id: string): Promise<Manifest | null> {
    // Data folders written before the intake summary had its own name kept it under the queue's manifest name.
    return (await this.readOptional(intakeKey(id), ManifestSchema)) ?? (await this.readOptional(manifestKey(id), ManifestSchema));
  }

  async putReport(id: string, report: CompletenessReport): Promise<void> {
    await this.store.putJson(reportKey(id, 'json'), report);
  }

  async getReport(id: string): Promise<CompletenessReport | null> {
    return this.readOptional(reportKey(id, 'json'), CompletenessReportSchema);
  }

  /** Every object of the dossier; content-addressed file bytes are shared with other dossiers and stay. */
  async delete(id: string): Promise<void> {
    const keys: string[] = [];
    for await (const item of this.store.list(dossierPrefix(id))) keys.push(item.key);
    // The record goes last: until then a half-deleted dossier is still visible and deletable again.
    const record = keys.filter((k) => k.endsWith('/record.json'));
    for (const key of keys.filter((k) => !k.endsWith('/record.json'))) await this.store.delete(key);
    for (const key of record) await this.store.delete(key);
    await this.table?.delete(id);
    this.cache.delete(id);
  }

  /** Ids of every stored dossier (for start-up recovery and listings). */
  async *ids(): AsyncIterable<string> {
    if (this.table) {
      yield* this.table.ids();
      return;
    }
    for await (const item of this.store.list(DOSSIERS_PREFIX)) {
      const match = /^dossiers\/([^/]+)\/record\.json$/.exec(item.key);
      if (match) yield match[1]!;
    }
  }

  private async readOptional<T>(key: string, schema: z.ZodType<T>): Promise<T | null> {
    try {
      return await this.store.getJson(key, schema);
    } catch (error) {
      if (error instanceof BlobNotFoundError) return null;
      throw error;
    }
  }
}

function matchesSearch(record: DossierRecord, search: DossierSearch): boolean {
  if (search.q && !(record.result?.projectName ?? '').includes(search.q) && !(record.owner.unit ?? '').includes(search.q)) return false;
  if (search.city && record.city !== search.city) return false;
  if (search.stage && record.stage !== search.stage) return false;
  if (search.status && record.status !== search.status) return false;
  if (search.verdict && verdictOf(record) !== search.verdict) return false;
  if (search.batchId && record.batchId !== search.batchId) return false;
  const deadline = clocksOf(record).find((c) => c.deadline && c.state !== 'stopped')?.deadline;
  if (search.dueBy && !(deadline && deadline <= search.dueBy)) return false;
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(record.createdAt));
  if (search.from && day < search.from) return false;
  if (search.to && day > search.to) return false;
  return true;
}
