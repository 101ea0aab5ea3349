import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { DossierIdParams, DossierView, ErrorResponse } from '../schemas.ts';
import { dossierView, visibleDossier } from './dossiers.ts';

const REVIEWERS = ['officer', 'admin'] as const;

export const DecisionBody = z.object({
  /** accepted 通过（受理/验收通过）, rejected 不予通过, extended 延长办理时限 (where the regulation allows it). */
  decision: z.enum(['accepted', 'rejected', 'extended']),
  note: z.string().trim().max(500).optional(),
});

/**
 * The officer's decisions on a dossier, as events of its statutory clock: an extension (常德 第十一条 allows 10 more
 * days, with the reason told to the applicant) or the final decision, which stops the clock. Both are audited.
 */
export function registerDecisionRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/v1/dossiers/:id/decision',
    {
      config: { auth: REVIEWERS },
      schema: {
        tags: ['dossiers'],
        summary: '记录审核决定（accepted 通过、rejected 不予通过）或延长办理时限（extended，须说明理由），计入办理时限',
        params: DossierIdParams,
        body: DecisionBody,
        response: { 200: z.object({ dossier: DossierView }), 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
      },
    },
    async (request) => {
      const { id } = request.params as z.infer<typeof DossierIdParams>;
      const { decision, note } = request.body as z.infer<typeof DecisionBody>;
      const record = await visibleDossier(ctx, request, id);
      if (record.status !== 'done') throw new ApiError('REPORT_NOT_READY', '材料检查完成后才能记录审核决定');
      if (decision === 'extended' && !note) throw new ApiError('VALIDATION_FAILED', '延长办理时限须说明理由（note），并告知申请人');
      if (record.events?.some((e) => e.kind === 'decided')) throw new ApiError('VALIDATION_FAILED', '这份材料已经作出审核决定');
      const by = principalOf(request).name;
      const at = new Date().toISOString();
      const event = decision === 'extended' ? { kind: 'extended' as const, at, by, note } : { kind: 'decided' as const, at, by, decision, note };
      const saved = await ctx.repo.update(id, (current) => ({ ...current, events: [...(current.events ?? []), event] }));
      if (!saved) throw new ApiError('DOSSIER_NOT_FOUND');
      await ctx.audit.record(request, decision === 'extended' ? 'extended' : 'decided', id, { decision, note });
      return { dossier: dossierView(saved) };
    },
  );
}
