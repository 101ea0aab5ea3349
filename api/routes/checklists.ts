import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { describeCondition, describeChecklist, docTypeName, listChecklists, type LoadedChecklist } from '../../pipeline/index.ts';
import { findingLabels, withFactLabels } from '../../pipeline/report/labels.ts';
import { ApiError } from '../errors.ts';
import { formFacts } from '../dossiers/facts-form.ts';
import { ChecklistIdParams, ChecklistQuery, ChecklistSummaryView, ChecklistView, ErrorResponse } from '../schemas.ts';
import { shippedChecklist } from '../dossiers/submission.ts';

const STEP_LABEL = { plan: '计划申报', approval: '立项审批' } as const;
const BASIS_LABEL = { listed: '办法列明', precondition: '前置条件', implied: '隐含要求', output: '验收产出' } as const;

export function checklistView(checklist: LoadedChecklist, stage?: 'filing' | 'acceptance'): z.infer<typeof ChecklistView> {
  const wording = (name: string) => {
    const f = checklist.facts.byName.get(name);
    if (f) return { label: f.label, valueLabels: f.valueLabels };
    const local = checklist.localFacts.find((l) => l.name === name);
    return local ? { label: local.label } : undefined;
  };
  return {
    id: checklist.id,
    name: checklist.name,
    regulation: checklist.regulation,
    documentNumber: checklist.documentNumber,
    agencies: checklist.agencies.map((a) => ({ name: a.name, role: a.role })),
    rows: checklist.rows
      .filter((r) => !stage || r.stage === stage)
      .map((r) => ({
        id: r.id,
        stage: r.stage,
        step: r.step,
        stepLabel: r.step ? STEP_LABEL[r.step] : undefined,
        title: r.title,
        submit: r.submit,
        docTypes: r.docTypes.map((t) => ({ id: t, name: docTypeName(checklist.catalogue, t) })),
        condition: describeCondition(r.condition, wording),
        notApplicableWhen: r.naWhen ? describeCondition(r.naWhen, wording) : undefined,
        severity: r.severity,
        basis: BASIS_LABEL[r.basis],
        article: r.citation.article,
        quote: r.citation.quoteNormalised ?? r.citation.quote,
        note: r.note ? withFactLabels(r.note, checklist.id) : undefined,
      })),
    facts: { filing: formFacts(checklist, 'filing'), acceptance: formFacts(checklist, 'acceptance') },
    findingLabels: findingLabels(checklist.id),
  };
}

export function registerChecklistRoutes(app: FastifyInstance): void {
  app.get(
    '/api/v1/checklists',
    { schema: { tags: ['checklists'], summary: '内置的地区检查清单', response: { 200: z.object({ checklists: z.array(ChecklistSummaryView) }), 401: ErrorResponse } } },
    async () => ({ checklists: listChecklists().map((c) => ({ id: c.id, name: c.name, regulation: c.regulation, rows: c.rows })) }),
  );

  app.get(
    '/api/v1/checklists/:id',
    {
      schema: {
        tags: ['checklists'],
        summary: '一个地区要求提交的材料（每项附依据条款），以及上传表单应询问的项目事实',
        params: ChecklistIdParams,
        querystring: ChecklistQuery,
        response: { 200: ChecklistView, 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { id } = request.params as z.infer<typeof ChecklistIdParams>;
      const { stage, format } = request.query as z.infer<typeof ChecklistQuery>;
      if (!listChecklists().some((c) => c.id === id)) throw new ApiError('CHECKLIST_NOT_FOUND', id);
      const checklist = shippedChecklist(id);
      if (format === 'text') return reply.type('text/plain; charset=utf-8').send(describeChecklist(checklist, stage));
      return checklistView(checklist, stage);
    },
  );
}
