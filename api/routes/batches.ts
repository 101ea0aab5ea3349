import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { z } from 'zod';
import { summaryCsv, summaryXlsx, type SummaryMeta } from '../../pipeline/batch.ts';
import { listChecklists, factsSheetCsv, factsSheetXlsx, FactsSheetError, FACTS_SHEET_LIMITS, readFactsSheet, type LoadedChecklist, type SheetFacts } from '../../pipeline/index.ts';
import type { Stage } from '../../pipeline/report/schema.ts';
import { shippedChecklist } from '../dossiers/submission.ts';
import { formatBytes } from '../../pipeline/intake/index.ts';
import { originalFileKey } from '../../storage/index.ts';
import { canSee } from '../auth/access.ts';
import { principalOf } from '../auth/authenticate.ts';
import { batchLayout, forEachEntry, type BatchLayout } from '../batches/split-archive.ts';
import { batchTable, type BatchRecord } from '../batches/batches.ts';
import type { AppContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { newId, readSubmission, type Submission } from '../dossiers/submission.ts';
import { receiveUpload, uploadPath, type StoredUpload } from '../dossiers/upload.ts';
import type { DossierRecord } from '../dossiers/records.ts';
import { ChecklistIdParams, BatchIdParams, BatchQuery, BatchView, ErrorResponse, FactsSheetQuery, FactsSheetTemplateQuery } from '../schemas.ts';
import { inputOf, newRecord } from './dossiers.ts';
import { createHash } from 'node:crypto';
import { pipeline, Transform } from 'node:stream';

/**
 * Batch pre-screening: several archives (one dossier each), or one zip of zips / zip of folders, all checked
 * against the same jurisdiction and stage. Each dossier is an ordinary dossier (its own status, report, re-check);
 * the batch adds the summary table as JSON, CSV or XLSX.
 */
export function registerBatchRoutes(app: FastifyInstance, ctx: AppContext): void {
  const uploadLimit = ctx.config.rateLimit.uploads > 0 ? { rateLimit: { max: ctx.config.rateLimit.uploads, timeWindow: 60_000 } } : {};

  app.post(
    '/api/v1/batches',
    {
      config: { ...uploadLimit },
      schema: {
        tags: ['batches'],
        summary: '批量预审：上传多个压缩包（每个一份材料），或一个“压缩包的压缩包”',
        description:
          'multipart/form-data，字段同 POST /api/v1/dossiers（city、stage、facts、callbackUrl），对批次中每份材料生效。' +
          '可另附一个文件字段 factsSheet：填好的项目事实表（模板见 GET /api/v1/checklists/{id}/facts-sheet），每份材料按表中自己那一行的事实检查（表中的值优先于 facts 字段）。',
        consumes: ['multipart/form-data'],
        response: { 202: BatchView, 400: ErrorResponse, 401: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const batchId = newId('b');
      const ids: string[] = [];
      let submission: Submission | undefined;
      const upload = await receiveUpload(request, {
        store: ctx.store,
        maxBytes: ctx.config.maxUploadBytes,
        keyFor: (path, index) => {
          ids[index] = newId('d');
          return originalFileKey(ids[index]!, path.split('/').at(-1)!);
        },
        beforeFirstFile: async (fields) => {
          if (fields.has('city') || fields.has('stage')) submission = await readSubmission(fields, principal, ctx.config.webhook.allowPrivateTargets);
        },
        attachments: { factsSheet: { maxBytes: FACTS_SHEET_LIMITS.bytes, label: '项目事实表' } },
      });
      const created: Array<{ id: string; name: string; input: DossierRecord['input'] }> = [];
      // Every dossier id the split hands out, before anything is stored under it: a refusal removes them all.
      const splitIds: string[] = [];
      try {
        submission ??= await readSubmission(upload.fields, principal, ctx.config.webhook.allowPrivateTargets);
        if (upload.files.length === 0) throw new ApiError('UPLOAD_EMPTY', '请上传多个压缩包，或一个包含多个压缩包的压缩包');
        let layout: BatchRecord['layout'] = 'archives';
        const single = upload.files.length === 1 && /\.zip$/i.test(upload.files[0]!.path) ? upload.files[0]! : undefined;
        const split = single ? await splitIfBatch(ctx, single, created, splitIds) : undefined;
        if (split) {
          layout = split;
          await ctx.repo.delete(ids[0]!);
        } else {
          upload.files.forEach((f, i) => {
            const name = f.path.split('/').at(-1)!;
            created.push({ id: ids[i]!, name, input: { name, kind: 'archive', parts: [{ path: name, size: f.size, sha256: f.sha256 }] } });
          });
        }
        const sheet = upload.attachments.get('factsSheet');
        const sheetFacts = sheet ? factsOfSheet(sheet.bytes, submission.checklist, submission.stage, created.map((c) => c.name)) : {};
        const batch: BatchRecord = {
          id: batchId,
          createdAt: new Date().toISOString(),
          city: submission.city,
          stage: submission.stage,
          facts: submission.facts as BatchRecord['facts'],
          owner: { tokenId: principal.tokenId, role: principal.role, unit: principal.unit, name: principal.name },
          layout,
          dossiers: created.map((c) => ({ id: c.id, name: c.name })),
        };
        await ctx.batches.put(batch);
        for (const c of created) {
          const facts = { ...submission.facts, ...sheetFacts[c.name] };
          await ctx.repo.put(newRecord(c.id, { ...submission, facts }, request, c.input, batchId));
        }
        for (const c of created) await ctx.processor.submit(c.id);
        request.log.info({ batchId, dossiers: created.length, layout }, 'batch uploaded');
        return reply.code(202).header('location', `/api/v1/batches/${batchId}`).send(await batchView(ctx, batch));
      } catch (error) {
        for (const id of new Set([...ids, ...splitIds, ...created.map((c) => c.id)])) await ctx.repo.delete(id).catch(() => undefined);
        throw error;
      }
    },
  );

  app.get(
    '/api/v1/checklists/:id/facts-sheet',
    {
      schema: {
        tags: ['batches'],
        summary: '批量预审的项目事实表模板（XLSX 或 CSV）：每行一份材料包，每列一项本地区本阶段要问的事实',
        description: '用 dossier 参数（可重复）列出将要上传的材料包名称；第 1 行为中文表头，第 2 行为事实编号（请勿修改）。',
        params: ChecklistIdParams,
        querystring: FactsSheetTemplateQuery,
        produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        response: { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { id } = request.params as z.infer<typeof ChecklistIdParams>;
      const query = request.query as z.infer<typeof FactsSheetTemplateQuery>;
      if (!listChecklists().some((c) => c.id === id)) throw new ApiError('CHECKLIST_NOT_FOUND', id);
      const dossiers = query.dossier === undefined ? [] : Array.isArray(query.dossier) ? query.dossier : [query.dossier];
      return sendFactsSheet(reply, shippedChecklist(id), query.stage, dossiers, query.format ?? 'xlsx', `facts-${id}-${query.stage}`);
    },
  );

  app.get(
    '/api/v1/batches/:id/facts-sheet',
    {
      schema: {
        tags: ['batches'],
        summary: '本批次的项目事实表模板（XLSX 或 CSV），列出批次中的每份材料包',
        params: BatchIdParams,
        querystring: FactsSheetQuery,
        produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        response: { 401: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { id } = request.params as z.infer<typeof BatchIdParams>;
      const query = request.query as z.infer<typeof FactsSheetQuery>;
      const batch = await ctx.batches.get(id);
      if (!batch || !canSee(principalOf(request), batch)) throw new ApiError('BATCH_NOT_FOUND');
      return sendFactsSheet(reply, shippedChecklist(batch.city), batch.stage, batch.dossiers.map((d) => d.name), query.format ?? 'xlsx', `facts-${batch.id}`);
    },
  );

  app.get(
    '/api/v1/batches/:id',
    {
      schema: {
        tags: ['batches'],
        summary: '批次进度与汇总表：JSON（默认），或 ?format=csv / xlsx（也可用 Accept）',
        params: BatchIdParams,
        querystring: BatchQuery,
        produces: ['application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        response: { 200: BatchView, 401: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { id } = request.params as z.infer<typeof BatchIdParams>;
      const query = request.query as z.infer<typeof BatchQuery>;
      const batch = await ctx.batches.get(id);
      if (!batch || !canSee(principalOf(request), batch)) throw new ApiError('BATCH_NOT_FOUND');
      const accept = request.headers.accept ?? '';
      const format = query.format ?? (accept.includes('text/csv') ? 'csv' : accept.includes('spreadsheetml') ? 'xlsx' : 'json');
      if (format === 'json') return batchView(ctx, batch);
      const rows = await batchTable(batch, ctx.repo);
      const filename = `batch-${batch.id}.${format}`;
      reply.header('content-disposition', `attachment; filename="${filename}"`);
      // Links that open from a spreadsheet saved on a desktop: the configured public address, else the one asked.
      const base = ctx.config.publicUrl ?? `${request.protocol}://${request.host}`;
      const meta: SummaryMeta = { cityName: shippedChecklist(batch.city).name, stage: batch.stage, at: new Date(), reportUrl: (r) => `${base}${r.reportDir}/report.html` };
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(summaryCsv(rows, meta));
      const buffer = Buffer.from(await (await summaryXlsx(rows, meta)).xlsx.writeBuffer());
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(buffer);
    },
  );
}

/** The filled sheet's facts per dossier name; a sheet that cannot be read is a 400 naming its row and column. */
function factsOfSheet(bytes: Buffer, checklist: LoadedChecklist, stage: Stage, dossiers: string[]): SheetFacts {
  try {
    return readFactsSheet(bytes, checklist, stage, dossiers);
  } catch (error) {
    if (error instanceof FactsSheetError) throw new ApiError('FACTS_SHEET_INVALID', error.message, { row: error.row, column: error.column });
    throw error;
  }
}

async function sendFactsSheet(reply: FastifyReply, checklist: LoadedChecklist, stage: Stage, dossiers: string[], format: 'csv' | 'xlsx', name: string) {
  reply.header('content-disposition', `attachment; filename="${name}.${format}"; filename*=UTF-8''${encodeURIComponent(`项目事实表-${checklist.name}.${format}`)}`);
  if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(factsSheetCsv(checklist, stage, dossiers));
  const title = `项目事实表（${checklist.name}，${stage === 'filing' ? '申报/立项' : '竣工验收'}）`;
  const buffer = Buffer.from(await (await factsSheetXlsx(checklist, stage, dossiers, title)).xlsx.writeBuffer());
  return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(buffer);
}

async function batchView(ctx: AppContext, batch: BatchRecord): Promise<z.infer<typeof BatchView>> {
  const rows = await batchTable(batch, ctx.repo);
  const finished = rows.filter((r) => r.status === 'done' || r.status === 'failed' || r.status === 'deleted').length;
  const self = `/api/v1/batches/${batch.id}`;
  return {
    id: batch.id,
    city: batch.city,
    stage: batch.stage,
    createdAt: batch.createdAt,
    layout: batch.layout,
    total: rows.length,
    finished,
    status: finished === rows.length ? 'done' : 'processing',
    rows: rows.map(({ reportDir: _dir, ...row }) => row),
    links: { self, csv: `${self}?format=csv`, xlsx: `${self}?format=xlsx`, ui: `/ui/batch.html?id=${batch.id}`, factsSheet: `${self}/facts-sheet` },
  };
}

/**
 * When the one uploaded zip holds several dossiers, stores each as its own dossier's upload and returns the layout;
 * undefined when it is a single dossier. The pieces count against the upload limit together, as if each had been
 * uploaded (split-archive refuses from the directory first; the meter counts the bytes really written). Every id
 * is pushed to `allocated` before anything is stored under it, so the caller can remove all of it on a refusal.
 */
async function splitIfBatch(
  ctx: AppContext,
  upload: StoredUpload,
  created: Array<{ id: string; name: string; input: DossierRecord['input'] }>,
  allocated: string[],
): Promise<'zips' | 'folders' | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'dossier-batch-'));
  const allocate = () => {
    const id = newId('d');
    allocated.push(id);
    return id;
  };
  try {
    const zipPath = join(dir, 'batch.zip');
    await pipelineAsync(await ctx.store.get(upload.key), createWriteStream(zipPath));
    const maxBytes = ctx.config.maxUploadBytes;
    const layout: BatchLayout = await batchLayout(zipPath, { maxBytes, maxPieces: ctx.config.maxUploadFiles });
    if (layout.kind === 'single') return undefined;
    let budget = maxBytes;
    const store = async (key: string, stream: NodeJS.ReadableStream) => {
      const meter = new Meter(budget, maxBytes);
      pipeline(stream, meter, () => undefined);
      await ctx.store.put(key, meter);
      budget -= meter.bytes;
      return { size: meter.bytes, sha256: meter.digest() };
    };
    if (layout.kind === 'zips') {
      const byEntry = new Map(layout.dossiers.map((d) => [d.entry, { ...d, id: allocate() }]));
      const names = new Set<string>();
      await forEachEntry(zipPath, new Set(byEntry.keys()), async (entry, stream) => {
        const d = byEntry.get(entry)!;
        let name = uploadPath(d.name);
        for (let i = 2; names.has(name); i++) name = d.name.replace(/(\.zip)$/i, `-${i}$1`);
        names.add(name);
        const stored = await store(originalFileKey(d.id, name), stream);
        created.push({ id: d.id, name, input: { name, kind: 'archive', parts: [{ path: name, ...stored }] } });
      });
      return 'zips';
    }
    const byEntry = new Map<string, { id: string; path: string; folder: string }>();
    const folders = new Map<string, { id: string; parts: DossierRecord['input']['parts'] }>();
    for (const d of layout.dossiers) {
      const id = allocate();
      folders.set(d.name, { id, parts: [] });
      for (const f of d.files) byEntry.set(f.entry, { id, path: uploadPath(f.path), folder: d.name });
    }
    await forEachEntry(zipPath, new Set(byEntry.keys()), async (entry, stream) => {
      const f = byEntry.get(entry)!;
      const stored = await store(originalFileKey(f.id, f.path), stream);
      folders.get(f.folder)!.parts.push({ path: f.path, ...stored });
    });
    for (const [name, { id, parts }] of folders) {
      created.push({ id, name, input: { ...inputOf(parts.map((p) => ({ ...p, key: '' }))), name } });
    }
    return 'folders';
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

class Meter extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');

  constructor(
    private readonly budget: number,
    private readonly limit: number,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _e: BufferEncoding, callback: (error?: Error | null, data?: Buffer) => void): void {
    this.bytes += chunk.length;
    if (this.bytes > this.budget) {
      return callback(new ApiError('UPLOAD_TOO_LARGE', `批次中的材料解开后的总大小超过上传上限 ${formatBytes(this.limit)}，已拒绝解压`));
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}
