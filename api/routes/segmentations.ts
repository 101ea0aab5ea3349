import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SegmentationCorrectionSchema } from '../../pipeline/index.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { changeAndReevaluate } from '../dossiers/re-evaluation.ts';
import { ApiError } from '../errors.ts';
import { DossierIdParams, DossierView, ErrorResponse } from '../schemas.ts';
import { dossierView, visibleDossier } from './dossiers.ts';

/**
 * An officer's word on where the documents bound in one file start (issue 11): merge what the segmentation split,
 * split what it missed. Kept in the dossier's record; the dossier is re-evaluated at once from its cached extractions.
 */

const PATH = '/api/v1/dossiers/:id/files/pages';
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const reevaluated = { 200: z.object({ dossier: DossierView, report: z.unknown() }), 202: z.object({ dossier: DossierView }) };
const REVIEWERS = ['officer', 'admin'] as const;

const SegmentationBody = SegmentationCorrectionSchema.extend({
  starts: z.array(z.number().int().positive()).min(1).max(2000).describe('各份材料的起始页（文件中的实际页码，从 1 起）；只写 [1] 表示整份文件是一份材料；第一个起始页之前的页为封面、目录'),
});
const SegmentationQuery = SegmentationCorrectionSchema.pick({ path: true });

export function registerSegmentationRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.put(
    PATH,
    {
      config: { auth: REVIEWERS },
      schema: {
        tags: ['dossiers'],
        summary: '人工指定一个文件中各份材料的起始页（合并或拆分自动分段），并随即重新核对（不重新提取文件）',
        description: 'path 为报告 files[].path 中的路径；starts 为各份材料在文件中的起始页。同一文件再次指定时取代上一次。仅审核人员、管理员可用。',
        params: DossierIdParams,
        body: SegmentationBody,
        response: { ...reevaluated, ...errors },
      },
    },
    async (request, reply) => {
      const { id } = request.params as z.infer<typeof DossierIdParams>;
      const body = request.body as z.infer<typeof SegmentationBody>;
      const record = await visibleDossier(ctx, request, id);
      await assertPagedFile(ctx, record.id, body.path, body.starts);
      const outcome = await changeAndReevaluate(
        ctx,
        id,
        (current) => ({ ...current, segmentations: [...(current.segmentations ?? []).filter((s) => s.path !== body.path), { path: body.path, starts: body.starts }] }),
        '已按人工指定的分段重新排队检查',
      );
      request.log.info({ dossierId: id, path: body.path, starts: body.starts, by: principalOf(request).name }, 'segments set by officer');
      await ctx.audit.record(request, 'segments_set', id, { path: body.path, starts: body.starts });
      if (outcome.kind === 'requeued') return reply.code(202).send({ dossier: dossierView(outcome.record) });
      return reply.send({ dossier: dossierView(outcome.record), report: outcome.report });
    },
  );

  app.delete(
    PATH,
    {
      config: { auth: REVIEWERS },
      schema: {
        tags: ['dossiers'],
        summary: '撤销对一个文件的人工分段，恢复自动分段并重新核对（不重新提取文件）',
        params: DossierIdParams,
        querystring: SegmentationQuery,
        response: { ...reevaluated, ...errors },
      },
    },
    async (request, reply) => {
      const { id } = request.params as z.infer<typeof DossierIdParams>;
      const { path } = request.query as z.infer<typeof SegmentationQuery>;
      const record = await visibleDossier(ctx, request, id);
      if (!(record.segmentations ?? []).some((s) => s.path === path)) {
        const report = record.status === 'done' ? await ctx.repo.getReport(id) : null;
        if (!report) throw new ApiError('REPORT_NOT_READY', record.progress.message);
        return reply.send({ dossier: dossierView(record), report });
      }
      const outcome = await changeAndReevaluate(
        ctx,
        id,
        (current) => ({ ...current, segmentations: (current.segmentations ?? []).filter((s) => s.path !== path) }),
        '已撤销人工分段，重新排队检查',
      );
      await ctx.audit.record(request, 'segments_reset', id, { path });
      if (outcome.kind === 'requeued') return reply.code(202).send({ dossier: dossierView(outcome.record) });
      return reply.send({ dossier: dossierView(outcome.record), report: outcome.report });
    },
  );
}

/** The file must be one intake found, and every start one of its pages. */
async function assertPagedFile(ctx: AppContext, id: string, path: string, starts: number[]): Promise<void> {
  const manifest = await ctx.repo.getManifest(id);
  const report = await ctx.repo.getReport(id);
  if (!manifest || !report) throw new ApiError('REPORT_NOT_READY', '检查完成后才能调整分段');
  if (!manifest.files.some((f) => f.path === path)) throw new ApiError('UNKNOWN_DOSSIER_FILE', `“${path}”`);
  const pageCount = report.files.find((f) => f.path === path)?.pageCount ?? 0;
  const outside = starts.filter((n) => n > pageCount);
  if (outside.length > 0) throw new ApiError('VALIDATION_FAILED', `“${path}”只有 ${pageCount} 页，起始页 ${outside.join('、')} 超出范围`);
}
