import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { AuditEntrySchema } from '../db/records-table.ts';
import { DossierIdParams, ErrorResponse } from '../schemas.ts';
import { visibleDossier } from './dossiers.ts';

const REVIEWERS = ['officer', 'admin'] as const;

/** The audit log of one dossier, oldest first: who uploaded, declared, corrected, shared, viewed, generated notices. */
export function registerAuditRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/dossiers/:id/audit',
    {
      config: { auth: REVIEWERS },
      schema: {
        tags: ['dossiers'],
        summary: '材料的操作记录（谁、何时、做了什么；审核人员、管理员可看）',
        description: '动作：uploaded 上传、facts_declared 声明事实、type_corrected / type_reset 人工指定类型及撤销、segments_set / segments_reset 人工分段及撤销、shared / share_revoked 分享及吊销、viewed 查看报告、notice_generated 生成告知书、supplemented 补正、decided 审核决定、extended 延长时限、deleted 删除。未配置数据库（仅对象存储）时 available 为 false。',
        params: DossierIdParams,
        response: { 200: z.object({ available: z.boolean(), entries: z.array(AuditEntrySchema) }), 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const { id } = request.params as z.infer<typeof DossierIdParams>;
      await visibleDossier(ctx, request, id);
      return { available: ctx.audit.available, entries: await ctx.audit.forDossier(id) };
    },
  );
}
