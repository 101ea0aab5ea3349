import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { assertKnownFile, docTypeChoices, loadChecklist, resolveDocType, TypeCorrectionError, type TypeCorrection } from '../../pipeline/index.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { changeAndReevaluate } from '../dossiers/re-evaluation.ts';
import type { DossierRecord } from '../dossiers/records.ts';
import { API_ERRORS, ApiError } from '../errors.ts';
import { DossierIdParams, DossierView, ErrorResponse, TypeChoicesView, TypeCorrectionBody, TypeCorrectionQuery } from '../schemas.ts';
import { dossierView, visibleDossier } from './dossiers.ts';

/**
 * An officer's word on what a file is (issue 9): set or withdraw one file's doc type, kept in the dossier's record
 * with who and when, and the dossier re-evaluated at once from its cached extractions (no file is read again).
 */

const PATH = '/api/v1/dossiers/:id/files/type';
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const reevaluated = { 200: z.object({ dossier: DossierView, report: z.unknown() }), 202: z.object({ dossier: DossierView }) };
/** Officers review; admins may stand in. A submitting unit cannot relabel its own files. */
const REVIEWERS = ['officer', 'admin'] as const;

export function registerTypeCorrectionRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    PATH,
    {
      schema: {
        tags: ['dossiers'],
        summary: '人工指定文件类型时可选的材料类型（本阶段要求的在前），以及已有的人工指定',
        params: DossierIdParams,
        response: { 200: TypeChoicesView, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params as z.infer<typeof DossierIdParams>;
      const record = await visibleDossier(ctx, request, id);
      return { groups: docTypeChoices(loadChecklist(record.city), record.stage), typeCorrections: record.typeCorrections ?? [] };
    },
  );

  app.put(
    PATH,
    {
      config: { auth: REVIEWERS },
      schema: {
        tags: ['dossiers'],
        summary: '人工指定一个文件的材料类型（覆盖自动识别），记录指定人与时间，并随即重新核对（不重新提取文件）',
        description:
          'path 为报告 files[].path 中的路径（或文件的 SHA-256，对其所有副本生效）；docType 为类型编号或中文名称，other_material 表示不属于所需材料。同一文件再次指定时取代上一次。仅审核人员、管理员可用。',
        params: DossierIdParams,
        body: TypeCorrectionBody,
        response: { ...reevaluated, ...errors },
      },
    },
    async (request, reply) => {
      const { id } = request.params as z.infer<typeof DossierIdParams>;
      const body = request.body as z.infer<typeof TypeCorrectionBody>;
      const record = await visibleDossier(ctx, request, id);
      const docType = answerInChinese(() => resolveDocType(loadChecklist(record.city).catalogue, body.docType));
      const files = await filesOf(ctx, record);
      answerInChinese(() => assertKnownFile(files, body.path));
      const correction: TypeCorrection = { path: body.path, docType, by: principalOf(request).name, at: new Date().toISOString() };
      const outcome = await changeAndReevaluate(
        ctx,
        id,
        (current) => ({ ...current, typeCorrections: [...(current.typeCorrections ?? []).filter((c) => c.path !== body.path), correction] }),
        '已按人工指定的文件类型重新排队检查',
      );
      request.log.info({ dossierId: id, path: body.path, docType, by: correction.by }, 'file type set by officer');
      await ctx.audit.record(request, 'type_corrected', id, { path: body.path, docType });
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
        summary: '撤销对一个文件的人工指定，恢复自动识别的类型并重新核对（不重新提取文件）',
        description: '没有人工指定的文件：原样返回当前结果，不重新核对。',
        params: DossierIdParams,
        querystring: TypeCorrectionQuery,
        response: { ...reevaluated, ...errors },
      },
    },
    async (request, reply) => {
      const { id } = request.params as z.infer<typeof DossierIdParams>;
      const { path } = request.query as z.infer<typeof TypeCorrectionQuery>;
      const record = await visibleDossier(ctx, request, id);
      const files = await filesOf(ctx, record);
      answerInChinese(() => assertKnownFile(files, path));
      if (!(record.typeCorrections ?? []).some((c) => c.path === path)) {
        const report = record.status === 'done' ? await ctx.repo.getReport(id) : null;
        if (!report) throw new ApiError('REPORT_NOT_READY', record.progress.message);
        return reply.send({ dossier: dossierView(record), report });
      }
      const outcome = await changeAndReevaluate(
        ctx,
        id,
        (current) => ({ ...current, typeCorrections: (current.typeCorrections ?? []).filter((c) => c.path !== path) }),
        '已撤销人工指定的文件类型，重新排队检查',
      );
      request.log.info({ dossierId: id, path, by: principalOf(request).name }, 'file type correction withdrawn');
      await ctx.audit.record(request, 'type_reset', id, { path });
      if (outcome.kind === 'requeued') return reply.code(202).send({ dossier: dossierView(outcome.record) });
      return reply.send({ dossier: dossierView(outcome.record), report: outcome.report });
    },
  );
}

/** The files a correction may name: what intake found, the unreadable archive entries included. */
async function filesOf(ctx: AppContext, record: DossierRecord): Promise<Array<{ path: string; sha256: string }>> {
  const manifest = await ctx.repo.getManifest(record.id);
  if (!manifest) throw new ApiError('REPORT_NOT_READY', record.progress.message);
  return [...manifest.files, ...manifest.unreadableEntries.map((e) => ({ path: e.path, sha256: '' }))];
}

/** The pipeline's refusal, as the registry's 400 with the close ids or paths it names. */
function answerInChinese<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (!(error instanceof TypeCorrectionError)) throw error;
    const code = error.code === 'UNKNOWN_DOC_TYPE' ? 'UNKNOWN_DOC_TYPE' : 'UNKNOWN_DOSSIER_FILE';
    const lead = API_ERRORS[code].message;
    throw new ApiError(code, error.message.startsWith(lead) ? error.message.slice(lead.length) : error.message, { suggestions: error.suggestions });
  }
}
