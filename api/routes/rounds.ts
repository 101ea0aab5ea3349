import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { RoundDiffSchema } from '../../pipeline/rounds/diff.ts';
import { roundFileKey } from '../../storage/index.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { UNCHECKABLE_CODE, type DossierRecord, type Round } from '../dossiers/records.ts';
import { currentRoundNumber, describeRoundDiff, readRoundReport, startRound, withFirstRound } from '../dossiers/rounds.ts';
import { renderHtml } from '../../pipeline/report/render-html.ts';
import { renderMarkdown } from '../../pipeline/report/render-markdown.ts';
import { receiveUpload } from '../dossiers/upload.ts';
import { DossierIdParams, DossierView, ErrorResponse, ReportFormatQuery, ShareParams } from '../schemas.ts';
import { dossierView, uploadKeyGuard, visibleDossier } from './dossiers.ts';
import { reportFormat, reportLinks, sendReport } from './negotiate.ts';

/**
 * 补正 rounds over HTTP: the dossier's unit, officers of its jurisdiction and admins (whoever may see it), or a share
 * link made with `allowSupplement`, add, replace or withdraw files; the dossier is checked again by the processor
 * like an upload, and every round's report stays readable.
 */

export const RoundView = z.object({
  n: z.number().int(),
  at: z.string(),
  by: z.string(),
  added: z.array(z.string()),
  replaced: z.array(z.string()),
  withdrawn: z.array(z.string()),
  /** Absent while the round is being checked. */
  verdict: z.string().optional(),
  reportGeneratedAt: z.string().optional(),
  /** Round ≥ 2, once checked: what changed against the round before. */
  diff: RoundDiffSchema.optional(),
  reportUrl: z.string(),
});
type RoundViewT = z.infer<typeof RoundView>;

const RoundParams = DossierIdParams.extend({ n: z.coerce.number().int().positive().max(100_000) });
const RoundCreated = z.object({ dossier: DossierView, round: RoundView });
const RoundList = z.object({ rounds: z.array(RoundView) });
const SharedRoundCreated = z.object({ round: RoundView, status: z.string() });

const ROUND_FORM =
  'multipart/form-data。文件：补充或替换的文件（文件名可带相对路径；默认放在材料的顶层，与已有文件同名即替换它）。字段（可重复）：replace=材料中的路径=上传的文件名（或只写路径，按同名文件匹配）；withdraw=要撤回的材料中的路径。';

function roundView(base: string, round: Round): RoundViewT {
  return {
    n: round.n,
    at: round.at,
    by: round.by,
    added: round.added,
    replaced: round.replaced,
    withdrawn: round.withdrawn,
    verdict: round.verdict,
    reportGeneratedAt: round.reportGeneratedAt,
    diff: round.diff,
    reportUrl: `${base}/rounds/${round.n}/report`,
  };
}

/** Receives a round's files and queues the dossier; the record must be checked (a report exists) and not busy. */
async function submitRound(ctx: AppContext, request: FastifyRequest, record: DossierRecord, by: string): Promise<{ record: DossierRecord; round: Round }> {
  const id = record.id;
  if (record.status === 'queued' || record.status === 'processing') throw new ApiError('DOSSIER_BUSY');
  // Refused before any byte is stored; startRound checks again under the dossier's lock.
  if (record.status === 'failed' && record.error?.code !== UNCHECKABLE_CODE) throw new ApiError('DOSSIER_FAILED', '请重新上传材料');
  const n = currentRoundNumber(record) + 1;
  const upload = await receiveUpload(request, {
    store: ctx.store,
    maxBytes: ctx.config.maxUploadBytes,
    keyFor: uploadKeyGuard((path) => roundFileKey(id, n, path)),
  });
  let outcome: { record: DossierRecord; round: Round };
  try {
    outcome = await startRound(ctx.repo, id, n, upload.files, { replace: upload.fields.get('replace') ?? [], withdraw: upload.fields.get('withdraw') ?? [], by });
  } catch (error) {
    await Promise.all(upload.files.map((f) => ctx.store.delete(f.key).catch(() => undefined)));
    throw error;
  }
  await ctx.processor.submit(id);
  await ctx.audit.record(request, 'supplemented', id, { round: n, added: outcome.round.added, replaced: outcome.round.replaced, withdrawn: outcome.round.withdrawn });
  request.log.info({ dossierId: id, round: n, added: outcome.round.added.length, replaced: outcome.round.replaced.length, withdrawn: outcome.round.withdrawn.length }, 'supplement round received');
  return outcome;
}

async function listRounds(ctx: AppContext, record: DossierRecord, base: string): Promise<RoundViewT[]> {
  const rounds = record.rounds?.length ? record.rounds : record.status === 'done' ? withFirstRound(record).rounds! : [];
  return rounds.map((r) => roundView(base, r));
}

async function sendRoundReport(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, record: DossierRecord, n: number, fileLink: (i: number) => string) {
  const format = reportFormat(request, (request.query as z.infer<typeof ReportFormatQuery>).format);
  const current = currentRoundNumber(record);
  let report = n <= current ? await readRoundReport(ctx.repo, record.id, n) : null;
  // A dossier checked before rounds were kept: its one round's report is the current one.
  if (!report && n === 1 && !record.rounds?.length && record.status === 'done') report = await ctx.repo.getReport(record.id);
  if (!report) throw new ApiError('ROUND_NOT_FOUND');
  await ctx.audit.record(request, 'viewed', record.id, { format, round: n });
  // File links number the current report's files: an earlier round's report is shown without them.
  const links = n === current ? fileLink : undefined;
  const diff = record.rounds?.find((r) => r.n === n)?.diff;
  if (!diff || format === 'json') return sendReport(reply, report, format, links);
  // The printable forms of a round's report open with what the round changed.
  const [title, ...changes] = describeRoundDiff(n, diff);
  reply.header('vary', 'Accept');
  if (format === 'md') {
    const md = renderMarkdown(report);
    const cut = md.indexOf('\n') + 1;
    return reply.type('text/markdown; charset=utf-8').send(`${md.slice(0, cut)}\n## ${title}\n\n${changes.map((l) => `- ${l}`).join('\n')}\n${md.slice(cut)}`);
  }
  const section = `<section class="round-diff"><h2>${escapeHtml(title!)}</h2><ul>${changes.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul></section>`;
  const html = renderHtml(report, reportLinks(links));
  return reply.type('text/html; charset=utf-8').send(html.replace(/<body[^>]*>/, (body) => `${body}${section}`));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function supplementShare(ctx: AppContext, token: string, forUpload: boolean): Promise<DossierRecord> {
  const share = await ctx.shares.resolve(token);
  if (!share) throw new ApiError('SHARE_LINK_INVALID');
  if (forUpload && !share.allowSupplement) throw new ApiError('FORBIDDEN', '这个分享链接只能查看报告，不能提交补正材料');
  const record = await ctx.repo.get(share.dossierId);
  if (!record) throw new ApiError('SHARE_LINK_INVALID', '材料已删除');
  return record;
}

export function registerRoundRoutes(app: FastifyInstance, ctx: AppContext): void {
  const uploadLimit = ctx.config.rateLimit.uploads > 0 ? { rateLimit: { max: ctx.config.rateLimit.uploads, timeWindow: 60_000 } } : {};
  const errors = { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse };

  app.post(
    '/api/v1/dossiers/:id/rounds',
    {
      config: { ...uploadLimit },
      schema: {
        tags: ['dossiers'],
        summary: '补正：向已检查的材料补充、替换或撤回文件，作为新的一轮重新检查',
        description: ROUND_FORM,
        consumes: ['multipart/form-data'],
        params: DossierIdParams,
        response: { 202: RoundCreated, ...errors },
      },
    },
    async (request, reply) => {
      const { id } = request.params as z.infer<typeof DossierIdParams>;
      const record = await visibleDossier(ctx, request, id);
      const principal = principalOf(request);
      const { record: queued, round } = await submitRound(ctx, request, record, principal.name ?? principal.unit ?? principal.role);
      return reply.code(202).header('location', `/api/v1/dossiers/${id}`).send({ dossier: dossierView(queued), round: roundView(`/api/v1/dossiers/${id}`, round) });
    },
  );

  app.get(
    '/api/v1/dossiers/:id/rounds',
    { schema: { tags: ['dossiers'], summary: '材料的各轮提交（第 1 轮为首次上传）及每轮与上一轮相比的变化', params: DossierIdParams, response: { 200: RoundList, ...errors } } },
    async (request) => {
      const { id } = request.params as z.infer<typeof DossierIdParams>;
      const record = await visibleDossier(ctx, request, id);
      return { rounds: await listRounds(ctx, record, `/api/v1/dossiers/${id}`) };
    },
  );

  app.get(
    '/api/v1/dossiers/:id/rounds/:n/report',
    {
      schema: {
        tags: ['dossiers'],
        summary: '第 n 轮的报告（检查完成时保存，之后不再改变）：JSON，或按 Accept / ?format= 返回 HTML、Markdown',
        params: RoundParams,
        querystring: ReportFormatQuery,
        produces: ['application/json', 'text/html', 'text/markdown'],
        response: errors,
      },
    },
    async (request, reply) => {
      const { id, n } = request.params as z.infer<typeof RoundParams>;
      const record = await visibleDossier(ctx, request, id);
      return sendRoundReport(ctx, request, reply, record, n, (i) => `/api/v1/dossiers/${id}/files/${i}`);
    },
  );

  app.post(
    '/api/v1/shared/:token/rounds',
    {
      config: { auth: 'public', ...uploadLimit },
      schema: {
        tags: ['share'],
        summary: '通过允许补正的分享链接提交补正材料（无需账号）',
        description: ROUND_FORM,
        consumes: ['multipart/form-data'],
        params: ShareParams,
        response: { 202: SharedRoundCreated, ...errors, 403: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { token } = request.params as z.infer<typeof ShareParams>;
      const record = await supplementShare(ctx, token, true);
      const { record: queued, round } = await submitRound(ctx, request, record, '分享链接');
      return reply.code(202).send({ round: roundView(`/api/v1/shared/${token}`, round), status: queued.status });
    },
  );

  app.get(
    '/api/v1/shared/:token/rounds',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['share'],
        summary: '分享链接的材料：检查状态、各轮提交及其变化，以及链接是否允许补正',
        params: ShareParams,
        response: { 200: RoundList.extend({ status: z.string(), message: z.string(), allowSupplement: z.boolean() }), 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { token } = request.params as z.infer<typeof ShareParams>;
      const record = await supplementShare(ctx, token, false);
      const share = (await ctx.shares.resolve(token))!;
      reply.header('cache-control', 'no-store');
      return {
        status: record.status,
        message: record.progress.message,
        allowSupplement: share.allowSupplement === true,
        rounds: await listRounds(ctx, record, `/api/v1/shared/${token}`),
      };
    },
  );

  app.get(
    '/api/v1/shared/:token/rounds/:n/report',
    {
      config: { auth: 'public' },
      schema: { tags: ['share'], summary: '分享链接的第 n 轮报告', params: ShareParams.extend({ n: RoundParams.shape.n }), querystring: ReportFormatQuery, response: { 404: ErrorResponse } },
    },
    async (request, reply) => {
      const { token, n } = request.params as { token: string; n: number };
      const record = await supplementShare(ctx, token, false);
      return sendRoundReport(ctx, request, reply.header('cache-control', 'no-store'), record, n, (i) => `/api/v1/shared/${token}/files/${i}`);
    },
  );
}
