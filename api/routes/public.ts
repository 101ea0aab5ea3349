import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { ErrorResponse, ReportFormatQuery, ShareFileParams, ShareParams, UiAssetParams } from '../schemas.ts';
import { sendDossierFile } from './files.ts';
import { reportFormat, sendReport } from './negotiate.ts';
import { labelsModuleForUi } from '../../pipeline/report/labels.ts';
import { WEBHOOK_SECRET_KEY } from '../../storage/index.ts';

const UI_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'ui');
const UI_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
};

/** Every page is the same shell (page.template.html) around its own script; only the title differs. */
const UI_PAGES: Record<string, { title: string; script: string }> = {
  'index.html': { title: '上传材料', script: 'upload.js' },
  'report.html': { title: '检查报告', script: 'report.js' },
  'batch.html': { title: '批量预审', script: 'batch.js' },
  'checklists.html': { title: '检查清单', script: 'checklists.js' },
  // Opened by /s/<token> when the link was made for 补正 (no account; the token is read from the address).
  'shared.html': { title: '补正材料', script: 'shared.js' },
};

/** The UI is a handful of small files: read once at start-up, served from memory, looked up by exact name only. */
function loadUiAssets(): Map<string, { body: Buffer; type: string }> {
  const assets = new Map<string, { body: Buffer; type: string }>();
  for (const name of readdirSync(UI_DIR)) {
    const ext = name.split('.').at(-1) ?? '';
    if (UI_TYPES[ext] && !name.includes('.template.')) assets.set(name, { body: readFileSync(join(UI_DIR, name)), type: UI_TYPES[ext]! });
  }
  const shell = readFileSync(join(UI_DIR, 'page.template.html'), 'utf8');
  for (const [name, page] of Object.entries(UI_PAGES)) {
    const html = shell.replace('{{title}}', page.title).replace('{{script}}', page.script);
    assets.set(name, { body: Buffer.from(html), type: UI_TYPES.html! });
  }
  assets.set('labels.js', { body: Buffer.from(labelsModuleForUi()), type: UI_TYPES.js! });
  return assets;
}

/** Routes that need no token: health, readiness, the web UI's files, and share links. */
export function registerPublicRoutes(app: FastifyInstance, ctx: AppContext): void {
  const assets = loadUiAssets();
  const publicRoute = { auth: 'public' as const, rateLimit: false as const };

  app.get(
    '/health',
    { config: publicRoute, schema: { tags: ['ops'], summary: '存活检查', response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      config: publicRoute,
      schema: {
        tags: ['ops'],
        summary: '就绪检查：存储可读写、处理器可接收任务',
        response: { 200: z.object({ ready: z.boolean(), mode: z.string(), storage: z.string(), processor: z.string() }), 503: z.object({ ready: z.boolean(), mode: z.string(), storage: z.string(), processor: z.string() }) },
      },
    },
    async (_request, reply) => {
      let storage = `${ctx.store.kind}：正常`;
      let storageOk = true;
      try {
        // A read of a key that need not exist proves the store answers without writing anything.
        await ctx.store.head(WEBHOOK_SECRET_KEY);
      } catch (error) {
        storageOk = false;
        storage = `${ctx.store.kind}：${(error as Error).message}`;
      }
      const processor = await ctx.processor.ready().catch((error: Error) => ({ ok: false, detail: error.message }));
      const ready = storageOk && processor.ok;
      return reply.code(ready ? 200 : 503).send({ ready, mode: ctx.processor.mode, storage, processor: processor.detail });
    },
  );

  app.get('/', { config: publicRoute, schema: { hide: true } }, async (_request, reply) => reply.redirect('/ui/index.html'));
  app.get('/ui', { config: publicRoute, schema: { hide: true } }, async (_request, reply) => reply.redirect('/ui/index.html'));
  app.get('/ui/', { config: publicRoute, schema: { hide: true } }, async (_request, reply) => reply.redirect('/ui/index.html'));

  app.get('/ui/:asset', { config: publicRoute, schema: { hide: true, params: UiAssetParams } }, async (request, reply) => {
    const { asset } = request.params as z.infer<typeof UiAssetParams>;
    const found = assets.get(asset);
    if (!found) throw new ApiError('NOT_FOUND');
    return reply.type(found.type).header('cache-control', 'no-cache').send(found.body);
  });

  // A share link opens the report as a page; its file links go through the same link.
  app.get(
    '/s/:token',
    { config: { auth: 'public' }, schema: { tags: ['share'], summary: '分享链接：无需账号查看一份报告（HTML）', params: ShareParams, response: { 404: ErrorResponse } } },
    async (request, reply) => {
      const { token } = request.params as z.infer<typeof ShareParams>;
      // A link made for 补正 opens the page that can send files; the report is shown inside it.
      const share = await ctx.shares.resolve(token);
      if (share?.allowSupplement) {
        const page = assets.get('shared.html')!;
        return reply.type(page.type).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send(page.body);
      }
      const report = await sharedReport(ctx, token);
      return sendReport(reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer'), report, 'html', (i) => `/api/v1/shared/${token}/files/${i}`);
    },
  );

  app.get(
    '/api/v1/shared/:token/report',
    {
      config: { auth: 'public' },
      schema: { tags: ['share'], summary: '分享链接的报告（JSON / HTML / Markdown）', params: ShareParams, querystring: ReportFormatQuery, response: { 404: ErrorResponse } },
    },
    async (request, reply) => {
      const { token } = request.params as z.infer<typeof ShareParams>;
      const format = reportFormat(request, (request.query as z.infer<typeof ReportFormatQuery>).format);
      const report = await sharedReport(ctx, token);
      return sendReport(reply.header('cache-control', 'no-store'), report, format, (i) => `/api/v1/shared/${token}/files/${i}`);
    },
  );

  app.get(
    '/api/v1/shared/:token/files/:n',
    { config: { auth: 'public' }, schema: { tags: ['share'], summary: '分享链接中报告引用的文件', params: ShareFileParams, response: { 404: ErrorResponse } } },
    async (request, reply) => {
      const { token, n } = request.params as z.infer<typeof ShareFileParams>;
      return sendDossierFile(reply, ctx.store, await sharedReport(ctx, token), n);
    },
  );
}

export async function sharedReport(ctx: AppContext, token: string) {
  const share = await ctx.shares.resolve(token);
  if (!share) throw new ApiError('SHARE_LINK_INVALID');
  const record = await ctx.repo.get(share.dossierId);
  const report = record?.status === 'done' ? await ctx.repo.getReport(share.dossierId) : null;
  if (!report) throw new ApiError('SHARE_LINK_INVALID', '报告已删除或尚未生成');
  return report;
}
