import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { loadChecklist } from '../../pipeline/index.ts';
import { originalFileKey } from '../../storage/index.ts';
import { canDelete, canSee } from '../auth/access.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { ShareEntry } from '../auth/share-links.ts';
import type { Principal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { mergeFacts, parseDeclaredFacts } from '../dossiers/facts-form.ts';
import { clocksOf, UNCHECKABLE_CODE, type DossierRecord } from '../dossiers/records.ts';
import { newId, readSubmission, type Submission } from '../dossiers/submission.ts';
import { receiveUpload, type StoredUpload } from '../dossiers/upload.ts';
import { changeAndReevaluate } from '../dossiers/re-evaluation.ts';
import {
  CreatedDossier,
  DossierIdParams,
  DossierView,
  ErrorResponse,
  FileParams,
  ListQuery,
  RecheckBody,
  ReportFormatQuery,
  ShareBody,
  ShareCreated,
  ShareIdParams,
  ShareView,
  WebhookView,
  type DossierViewT,
} from '../schemas.ts';
import { sendDossierFile } from './files.ts';
import { reportFormat, sendReport } from './negotiate.ts';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse };

export function dossierView(record: DossierRecord): DossierViewT {
  const self = `/api/v1/dossiers/${record.id}`;
  return {
    id: record.id,
    status: record.status,
    city: record.city,
    stage: record.stage,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    input: { name: record.input.name, kind: record.input.kind, files: record.input.parts.length, bytes: record.input.parts.reduce((n, p) => n + p.size, 0) },
    facts: record.facts,
    typeCorrections: record.typeCorrections ?? [],
    segmentations: (record.segmentations ?? []).map((s) => ({ path: s.path, starts: s.starts })),
    clocks: clocksOf(record),
    progress: record.progress,
    result: record.result,
    error: record.error,
    batchId: record.batchId,
    submittedBy: { role: record.owner.role, unit: record.owner.unit },
    callbackUrl: record.callbackUrl,
    links: { self, report: `${self}/report`, reportHtml: `${self}/report?format=html`, ui: `/ui/report.html?id=${record.id}` },
  };
}

/** The record when the caller may see it; otherwise 404, exactly as for a dossier that does not exist. */
export async function visibleDossier(ctx: AppContext, request: FastifyRequest, id: string): Promise<DossierRecord> {
  const record = await ctx.repo.get(id);
  if (!record || !canSee(principalOf(request), record)) throw new ApiError('DOSSIER_NOT_FOUND');
  return record;
}

/** A new dossier's record, owned by the caller. */
export function newRecord(id: string, submission: Submission, request: FastifyRequest, input: DossierRecord['input'], batchId?: string): DossierRecord {
  const principal = principalOf(request);
  const now = new Date().toISOString();
  return {
    id,
    createdAt: now,
    updatedAt: now,
    status: 'queued',
    city: submission.city,
    stage: submission.stage,
    facts: submission.facts as DossierRecord['facts'],
    callbackUrl: submission.callbackUrl,
    owner: { tokenId: principal.tokenId, role: principal.role, unit: principal.unit, name: principal.name },
    batchId,
    input,
    progress: { stage: 'queued', done: 0, total: 0, percent: 0, message: '排队等待检查' },
  };
}

/** Paths of a picked folder must not collide, and no file may sit where another needs a folder. */
export function uploadKeyGuard(keyOf: (path: string) => string): (path: string) => string {
  const files = new Set<string>();
  const folders = new Set<string>();
  return (path) => {
    const segments = path.split('/');
    const parents = segments.slice(0, -1).map((_, i) => segments.slice(0, i + 1).join('/'));
    if (files.has(path) || folders.has(path) || parents.some((p) => files.has(p))) {
      throw new ApiError('INVALID_FILE_PATH', `“${path}”与同一次上传中的另一个文件重名`);
    }
    files.add(path);
    for (const p of parents) folders.add(p);
    return keyOf(path);
  };
}

export function inputOf(files: StoredUpload[]): DossierRecord['input'] {
  const parts = files.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 }));
  if (files.length === 1 && !files[0]!.path.includes('/')) return { name: files[0]!.path, kind: 'archive', parts };
  const tops = new Set(files.map((f) => f.path.split('/')[0]!));
  const name = tops.size === 1 && files.every((f) => f.path.includes('/')) ? [...tops][0]! : '上传的文件';
  return { name, kind: 'folder', parts };
}

/** A share link is managed by whoever made it, and by officers and admins who may see its dossier. */
function canManageShare(principal: Principal, share: ShareEntry): boolean {
  return principal.role === 'admin' || principal.role === 'officer' || share.createdBy === principal.tokenId;
}

async function shareViews(ctx: AppContext, shares: ShareEntry[]): Promise<Array<z.infer<typeof ShareView>>> {
  const creatorActive = new Map<string, boolean>();
  for (const tokenId of new Set(shares.map((s) => s.createdBy))) {
    const token = await ctx.tokens.get(tokenId).catch(() => null);
    creatorActive.set(tokenId, Boolean(token && !token.revokedAt));
  }
  return shares.map((share) => ({
    id: share.id,
    createdAt: share.createdAt,
    expiresAt: share.expiresAt,
    createdBy: { tokenId: share.createdBy, name: share.createdByName },
    state: share.revokedAt
      ? 'revoked'
      : !creatorActive.get(share.createdBy)
        ? 'creator_revoked'
        : Date.parse(share.expiresAt) <= Date.now()
          ? 'expired'
          : 'active',
    revokedAt: share.revokedAt,
    allowSupplement: share.allowSupplement === true,
  }));
}

export function registerDossierRoutes(app: FastifyInstance, ctx: AppContext): void {
  const uploadLimit = ctx.config.rateLimit.uploads > 0 ? { rateLimit: { max: ctx.config.rateLimit.uploads, timeWindow: 60_000 } } : {};

  app.post(
    '/api/v1/dossiers',
    {
      config: { ...uploadLimit },
      schema: {
        tags: ['dossiers'],
        summary: '上传一份材料（压缩包，或一个文件夹中的多个文件）并开始检查',
        description:
          'multipart/form-data。字段：city（地区检查清单编号）、stage（filing|acceptance）、facts（JSON 对象，可选）或多个 fact=名称=值、callbackUrl（可选，检查完成后回调）；文件：一个压缩包，或文件夹中的多个文件（文件名带相对路径）。文件以流的方式写入存储，不在内存中整体缓存。',
        consumes: ['multipart/form-data'],
        response: { 202: CreatedDossier, 400: ErrorResponse, 401: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const id = newId('d');
      let submission: Submission | undefined;
      const upload = await receiveUpload(request, {
        store: ctx.store,
        maxBytes: ctx.config.maxUploadBytes,
        keyFor: uploadKeyGuard((path) => originalFileKey(id, path)),
        beforeFirstFile: async (fields) => {
          if (fields.has('city') || fields.has('stage')) submission = await readSubmission(fields, principal, ctx.config.webhook.allowPrivateTargets);
        },
      });
      try {
        submission ??= await readSubmission(upload.fields, principal, ctx.config.webhook.allowPrivateTargets);
        if (upload.files.length === 0) throw new ApiError('UPLOAD_EMPTY', '请上传一个压缩包，或一个文件夹中的文件');
      } catch (error) {
        await ctx.repo.delete(id).catch(() => undefined);
        throw error;
      }
      const record = newRecord(id, submission, request, inputOf(upload.files));
      await ctx.repo.put(record);
      await ctx.processor.submit(id);
      request.log.info({ dossierId: id, city: record.city, files: upload.files.length }, 'dossier uploaded');
      await ctx.audit.record(request, 'uploaded', id, { city: record.city, stage: record.stage, files: upload.files.length, input: record.input.name });
      const self = `/api/v1/dossiers/${id}`;
      return reply
        .code(202)
        .header('location', self)
        .send({ id, status: record.status, statusUrl: self, reportUrl: `${self}/report`, uiUrl: `/ui/report.html?id=${id}` });
    },
  );

  app.get(
    '/api/v1/dossiers',
    {
      schema: {
        tags: ['dossiers'],
        summary: '当前令牌可见的材料（最新在前），可按项目名称或单位（q）、地区、阶段、状态、结论、上传日期（北京时间）筛选并分页',
        querystring: ListQuery,
        response: { 200: z.object({ dossiers: z.array(DossierView), total: z.number().int(), offset: z.number().int(), limit: z.number().int() }), 400: ErrorResponse, 401: ErrorResponse },
      },
    },
    async (request) => {
      const search = request.query as z.infer<typeof ListQuery>;
      const found = await ctx.repo.search(search, principalOf(request));
      return { dossiers: found.records.map(dossierView), total: found.total, offset: search.offset, limit: search.limit };
    },
  );

  app.get(
    '/api/v1/dossiers/:id',
    { schema: { tags: ['dossiers'], summary: '材料的状态与进度', params: DossierIdParams, response: { 200: DossierView, ...errors } } },
    async (request) => {
      const { id } = request.params as z.infer<typeof DossierIdParams>;
      return dossierView(await visibleDossier(ctx, request, id));
    },
  );

  const reportRoute = async (request: FastifyRequest, reply: import('fastify').FastifyReply, forced?: 'html') => {
    const { id } = request.params as z.infer<typeof DossierIdParams>;
    const format = forced ?? reportFormat(request, (request.query as z.infer<typeof ReportFormatQuery>).format);
    const record = await visibleDossier(ctx, request, id);
    // 无法检查 is a failure with a report: the report says which file could not be read and why.
    const uncheckable = record.status === 'failed' && record.error?.code === UNCHECKABLE_CODE;
    if (record.status === 'failed' && !uncheckable) throw new ApiError('DOSSIER_FAILED', record.error?.message);
    const report = record.status === 'done' || uncheckable ? await ctx.repo.getReport(id) : null;
    if (!report) throw new ApiError('REPORT_NOT_READY', record.progress.message);
    await ctx.audit.record(request, 'viewed', id, { format });
    return sendReport(reply, report, format, (i) => `/api/v1/dossiers/${id}/files/${i}`);
  };

  app.get(
    '/api/v1/dossiers/:id/report',
    {
      schema: {
        tags: ['dossiers'],
        summary: '完整性报告：JSON（默认），或按 Accept / ?format= 返回 HTML、Markdown',
        params: DossierIdParams,
        querystring: ReportFormatQuery,
        produces: ['application/json', 'text/html', 'text/markdown'],
        response: { ...errors, 409: ErrorResponse },
      },
    },
    (request, reply) => reportRoute(request, reply),
  );

  // The exported batch tables link each dossier to `<dossier>/report.html`.
  app.get(
    '/api/v1/dossiers/:id/report.html',
    { schema: { tags: ['dossiers'], summary: 'HTML 报告（与 ?format=html 相同）', params: DossierIdParams, response: { ...errors, 409: ErrorResponse } } },
    (request, reply) => reportRoute(request, reply, 'html'),
  );

  app.get(
    '/api/v1/dossiers/:id/files/:n',
    {
      schema: {
        tags: ['dossiers'],
        summary: '材料中的第 n 个文件（报告 files 数组的序号，从 0 起），原样返回，供核对证据',
        params: FileParams,
        response: errors,
      },
    },
    async (request, reply) => {
      const { id, n } = request.params as z.infer<typeof FileParams>;
      const record = await visibleDossier(ctx, request, id);
      const report = record.status === 'done' ? await ctx.repo.getReport(id) : null;
      if (!report) throw new ApiError('REPORT_NOT_READY');
      return sendDossierFile(reply, ctx.store, report, n);
    },
  );

  app.post(
    '/api/v1/dossiers/:id/recheck',
    {
      schema: {
        tags: ['dossiers'],
        summary: '按新声明或修改的项目事实重新核对（不重新提取文件）',
        description: 'facts 中的值可为 JSON 类型（true、150、["a","b"]），也可为命令行 --fact 的文字写法（是、150万元、a,b）；null 撤销声明。',
        params: DossierIdParams,
        body: RecheckBody,
        response: { 200: z.object({ dossier: DossierView, report: z.unknown() }), 202: z.object({ dossier: DossierView }), ...errors, 409: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { id } = request.params as z.infer<typeof DossierIdParams>;
      const body = request.body as z.infer<typeof RecheckBody>;
      const record = await visibleDossier(ctx, request, id);
      const changes = parseDeclaredFacts(body.facts, loadChecklist(record.city));
      const outcome = await changeAndReevaluate(
        ctx,
        id,
        (current) => ({ ...current, facts: mergeFacts(current.facts, changes) as DossierRecord['facts'] }),
        '已按新事实重新排队检查',
      );
      if (outcome.kind === 'requeued') return reply.code(202).send({ dossier: dossierView(outcome.record) });
      request.log.info({ dossierId: id, facts: Object.keys(changes) }, 'dossier rechecked');
      await ctx.audit.record(request, 'facts_declared', id, { facts: changes });
      return reply.send({ dossier: dossierView(outcome.record), report: outcome.report });
    },
  );

  app.delete(
    '/api/v1/dossiers/:id',
    { schema: { tags: ['dossiers'], summary: '删除材料及其报告（提交单位或管理员）', params: DossierIdParams, response: { 204: z.null(), ...errors, 403: ErrorResponse, 409: ErrorResponse } } },
    async (request, reply) => {
      const { id } = request.params as z.infer<typeof DossierIdParams>;
      const record = await visibleDossier(ctx, request, id);
      if (!canDelete(principalOf(request), record)) throw new ApiError('FORBIDDEN', '只有提交单位或管理员可以删除材料');
      if (record.status === 'processing') throw new ApiError('DOSSIER_BUSY');
      ctx.webhooks.cancel(id);
      await ctx.repo.delete(id);
      request.log.info({ dossierId: id }, 'dossier deleted');
      await ctx.audit.record(request, 'deleted', id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/dossiers/:id/share',
    {
      schema: {
        tags: ['dossiers'],
        summary: '为一份报告生成分享链接（不可猜测、到期失效），无需账号即可查看',
        params: DossierIdParams,
        body: ShareBody,
        response: { 201: ShareCreated, ...errors },
      },
    },
    async (request, reply) => {
      const { id } = request.params as z.infer<typeof DossierIdParams>;
      const record = await visibleDossier(ctx, request, id);
      const body = request.body as z.infer<typeof ShareBody>;
      const hours = body?.hours ?? ctx.config.shareLinkHours;
      const principal = principalOf(request);
      const allowSupplement = body?.allowSupplement === true;
      const { token, id: shareId, record: share } = await ctx.shares.create(record.id, hours, principal.tokenId, new Date(), principal.name, allowSupplement);
      await ctx.audit.record(request, 'shared', record.id, { shareId, expiresAt: share.expiresAt, allowSupplement });
      return reply.code(201).send({ id: shareId, url: `${ctx.publicUrl()}/s/${token}`, token, expiresAt: share.expiresAt, allowSupplement });
    },
  );

  app.get(
    '/api/v1/dossiers/:id/shares',
    {
      schema: {
        tags: ['dossiers'],
        summary: '一份材料的分享链接（不含链接本身）：创建者看到自己建的，审核人员与管理员看到全部',
        params: DossierIdParams,
        response: { 200: z.object({ shares: z.array(ShareView) }), ...errors },
      },
    },
    async (request) => {
      const { id } = request.params as z.infer<typeof DossierIdParams>;
      const record = await visibleDossier(ctx, request, id);
      const principal = principalOf(request);
      const shares = (await ctx.shares.list(record.id)).filter((share) => canManageShare(principal, share));
      return { shares: await shareViews(ctx, shares) };
    },
  );

  app.delete(
    '/api/v1/dossiers/:id/shares/:shareId',
    {
      schema: {
        tags: ['dossiers'],
        summary: '吊销一个分享链接（创建者、审核人员或管理员）；吊销后链接立即失效',
        params: ShareIdParams,
        response: { 200: ShareView, ...errors },
      },
    },
    async (request) => {
      const { id, shareId } = request.params as z.infer<typeof ShareIdParams>;
      const record = await visibleDossier(ctx, request, id);
      const principal = principalOf(request);
      const share = await ctx.shares.get(shareId);
      // Someone else's link, or another dossier's, is answered like one that does not exist.
      if (!share || share.dossierId !== record.id || !canManageShare(principal, share)) throw new ApiError('SHARE_LINK_NOT_FOUND');
      const revoked = (await ctx.shares.revoke(shareId, principal.tokenId))!;
      request.log.info({ dossierId: id, shareId }, 'share link revoked');
      await ctx.audit.record(request, 'share_revoked', id, { shareId });
      return (await shareViews(ctx, [revoked]))[0]!;
    },
  );

  app.get(
    '/api/v1/dossiers/:id/webhook',
    { schema: { tags: ['dossiers'], summary: '完成回调（webhook）的投递记录：每次尝试的时间、状态码或错误', params: DossierIdParams, response: { 200: WebhookView, ...errors } } },
    async (request) => {
      const { id } = request.params as z.infer<typeof DossierIdParams>;
      const record = await visibleDossier(ctx, request, id);
      const state = await ctx.webhooks.get(id);
      if (!state) return { url: record.callbackUrl ?? '', state: 'none', attempts: [] };
      return { url: state.url, state: state.state, deliveryId: state.deliveryId, nextAttemptAt: state.nextAttemptAt, attempts: state.attempts };
    },
  );
}
