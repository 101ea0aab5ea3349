import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { generateNotice, NOTICE_MEDIA_TYPES, NoticeOptionsSchema } from '../../pipeline/index.ts';
import { BlobNotFoundError, noticeKey, noticesPrefix } from '../../storage/index.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { UNCHECKABLE_CODE } from '../dossiers/records.ts';
import { ApiError } from '../errors.ts';
import { DossierIdParams, ErrorResponse } from '../schemas.ts';
import { visibleDossier } from './dossiers.ts';
import { contentDisposition } from './files.ts';

/**
 * 一次性告知书 (issue 12): an officer fills in 文号, deadline and contact, and gets the notice as DOCX or PDF. Each
 * generated notice is kept, never rewritten, with what it said, who made it and when, so the unit and a later
 * reviewer see exactly what was handed over.
 */

const REVIEWERS = ['officer', 'admin'] as const;
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

export const NoticeRequestBody = NoticeOptionsSchema.extend({ format: z.enum(['docx', 'pdf']).default('docx') });

export const NoticeRecordSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  format: z.enum(['docx', 'pdf']),
  fileName: z.string(),
  /** The report the notice was made from, and the 补正 round it belongs to (1: the first upload). */
  reportGeneratedAt: z.string(),
  round: z.number().int().positive().default(1),
  title: z.string(),
  docNumber: z.string().optional(),
  deadline: z.string().optional(),
  mustSupply: z.number().int(),
  shouldSupply: z.number().int(),
  questions: z.number().int(),
});
type NoticeRecord = z.infer<typeof NoticeRecordSchema>;

const NoticeView = NoticeRecordSchema.extend({ links: z.object({ download: z.string() }) });
const NoticeParams = DossierIdParams.extend({ noticeId: z.string().regex(/^n_[A-Za-z0-9_-]{10,40}$/, '告知书编号格式不对') });

function view(dossierId: string, record: NoticeRecord): z.infer<typeof NoticeView> {
  return { ...record, links: { download: `/api/v1/dossiers/${dossierId}/notices/${record.id}` } };
}

export function registerNoticeRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/v1/dossiers/:id/notices',
    {
      config: { auth: REVIEWERS },
      schema: {
        tags: ['dossiers'],
        summary: '生成一次性告知书（DOCX 或 PDF，GB/T 9704 公文格式），保存并返回下载地址',
        description: '发文机关、文号、补正期限、经办人、联系电话、上传链接与成文日期可填；其余内容取自当前报告。每次生成都另存一份，不覆盖以前的告知书。仅审核人员、管理员可用。',
        params: DossierIdParams,
        body: NoticeRequestBody,
        response: { 201: z.object({ notice: NoticeView }), ...errors },
      },
    },
    async (request, reply) => {
      const { id } = request.params as z.infer<typeof DossierIdParams>;
      const { format, ...options } = request.body as z.infer<typeof NoticeRequestBody>;
      const record = await visibleDossier(ctx, request, id);
      const uncheckable = record.status === 'failed' && record.error?.code === UNCHECKABLE_CODE;
      if (record.status !== 'done' && !uncheckable) throw new ApiError('REPORT_NOT_READY', record.progress.message);
      const report = await ctx.repo.getReport(id);
      if (!report) throw new ApiError('REPORT_NOT_READY');
      // The unit needs a way to answer: without an address of the officer's own, the notice carries a 补正 link to
      // this dossier (valid until a week after the deadline, or the usual share time), listed with the other links.
      let uploadUrl = options.uploadUrl;
      if (!uploadUrl) {
        const principal = principalOf(request);
        const hours = options.deadline ? Math.max(24, Math.ceil((Date.parse(`${options.deadline}T23:59:59+08:00`) - Date.now()) / 3_600_000) + 7 * 24) : ctx.config.shareLinkHours;
        const link = await ctx.shares.create(record.id, Math.min(hours, 24 * 90), principal.tokenId, new Date(), principal.name, true);
        uploadUrl = `${ctx.publicUrl()}/s/${link.token}`;
        await ctx.audit.record(request, 'shared', id, { shareId: link.id, expiresAt: link.record.expiresAt, allowSupplement: true, forNotice: true });
      }
      const notice = await generateNotice(report, { ...options, uploadUrl }, format, { checklist: record.city });
      const noticeId = `n_${Date.now().toString(36)}${randomBytes(6).toString('base64url')}`;
      const saved: NoticeRecord = {
        id: noticeId,
        createdAt: new Date().toISOString(),
        createdBy: principalOf(request).name ?? principalOf(request).tokenId,
        format,
        fileName: notice.fileName,
        reportGeneratedAt: report.generatedAt,
        round: record.rounds?.length ?? 1,
        title: notice.content.title,
        docNumber: notice.content.docNumber,
        deadline: options.deadline,
        mustSupply: notice.content.mustSupply.length,
        shouldSupply: notice.content.shouldSupply.length,
        questions: notice.content.questions.length,
      };
      // The document first: a record never points at a notice that was not stored.
      await ctx.store.put(noticeKey(id, noticeId, format), notice.bytes, { contentType: NOTICE_MEDIA_TYPES[format] });
      await ctx.store.putJson(noticeKey(id, noticeId, 'json'), { ...saved, content: notice.content });
      request.log.info({ dossierId: id, noticeId, format, by: saved.createdBy }, 'notice generated');
      // Handing over a notice of what must be supplied is the 补正 request the statutory clock pauses on (益阳 第十四条).
      if (notice.content.mustSupply.length > 0) {
        await ctx.repo.update(id, (current) => ({ ...current, events: [...(current.events ?? []), { kind: 'supplement_requested', at: saved.createdAt, by: saved.createdBy }] }));
      }
      await ctx.audit.record(request, 'notice_generated', id, { noticeId, format, docNumber: saved.docNumber, deadline: saved.deadline });
      return reply.code(201).send({ notice: view(id, saved) });
    },
  );

  app.get(
    '/api/v1/dossiers/:id/notices',
    {
      schema: {
        tags: ['dossiers'],
        summary: '本材料已生成的一次性告知书（新的在前）',
        params: DossierIdParams,
        response: { 200: z.object({ notices: z.array(NoticeView) }), ...errors },
      },
    },
    async (request) => {
      const { id } = request.params as z.infer<typeof DossierIdParams>;
      await visibleDossier(ctx, request, id);
      const notices: NoticeRecord[] = [];
      for await (const listing of ctx.store.list(noticesPrefix(id))) {
        if (!listing.key.endsWith('.json')) continue;
        notices.push(NoticeRecordSchema.parse(await ctx.store.getJson(listing.key)));
      }
      notices.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      return { notices: notices.map((n) => view(id, n)) };
    },
  );

  app.get(
    '/api/v1/dossiers/:id/notices/:noticeId',
    { schema: { tags: ['dossiers'], summary: '下载一份已生成的一次性告知书', params: NoticeParams, response: errors } },
    async (request, reply) => {
      const { id, noticeId } = request.params as z.infer<typeof NoticeParams>;
      await visibleDossier(ctx, request, id);
      let saved: NoticeRecord;
      try {
        saved = NoticeRecordSchema.parse(await ctx.store.getJson(noticeKey(id, noticeId, 'json')));
      } catch (error) {
        if (error instanceof BlobNotFoundError) throw new ApiError('NOTICE_NOT_FOUND');
        throw error;
      }
      const stream = await ctx.store.get(noticeKey(id, noticeId, saved.format));
      return reply
        .type(NOTICE_MEDIA_TYPES[saved.format])
        .header('content-disposition', contentDisposition(saved.fileName))
        .header('x-content-type-options', 'nosniff')
        .send(stream);
    },
  );
}
