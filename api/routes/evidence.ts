import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { ErrorResponse, FileParams, ShareFileParams } from '../schemas.ts';
import type { CompletenessReport } from '../../pipeline/report/schema.ts';
import { readCachedExtractions, type ExtractionCache } from '../../pipeline/index.ts';
import { visibleDossier } from './dossiers.ts';
import { sharedReport } from './public.ts';

/**
 * Issue 15: evidence opens where it is. `…/files/:n/view?page=N&q=引文` is a page of our own that shows the cited
 * page of the file with the quote marked: a PDF through pdf.js (served from node_modules under the same address,
 * so the same token or share link that sees the file sees its viewer, and nothing is fetched from outside the
 * offline 政务外网), an image with the quote beside it, any other format as its quote alone with a download link.
 */

const HERE = dirname(fileURLToPath(import.meta.url));
const PDFJS_ROOT = join(HERE, '..', '..', 'node_modules', 'pdfjs-dist');
const VIEWER_SCRIPT = join(HERE, '..', 'ui', 'evidence-viewer.js');

// Only what the viewer loads; the rest of the package is not ours to publish through the API.
const ASSETS: Record<string, { path: string; type: string }> = {
  'pdf.mjs': { path: 'build/pdf.min.mjs', type: 'text/javascript; charset=utf-8' },
  'pdf.worker.mjs': { path: 'build/pdf.worker.min.mjs', type: 'text/javascript; charset=utf-8' },
  'viewer.js': { path: '', type: 'text/javascript; charset=utf-8' },
};
const DATA_DIRS: Record<string, { dir: string; type: string }> = {
  cmaps: { dir: 'cmaps', type: 'application/octet-stream' },
  standard_fonts: { dir: 'standard_fonts', type: 'application/octet-stream' },
  wasm: { dir: 'wasm', type: 'application/wasm' },
  iccs: { dir: 'iccs', type: 'application/octet-stream' },
};

export const ViewerQuery = z.object({
  page: z.string().regex(/^\d{1,5}$/, '页码应为正整数').transform(Number).optional(),
  q: z.string().max(2000, '引文过长').optional(),
});
const AssetParams = z.object({ asset: z.string().regex(/^[a-z_.]+(?:\/[A-Za-z0-9_.-]+)?$/, '资源名无效') });

const IMAGE = /\.(png|jpe?g|gif|webp|bmp)$/i;

export function registerEvidenceRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/dossiers/:id/files/:n/view',
    {
      schema: {
        tags: ['dossiers'],
        summary: '在文件的被引页上显示引文（PDF 用 pdf.js 显示该页并标出引文；图片显示原图与引文）',
        params: FileParams,
        querystring: ViewerQuery,
        produces: ['text/html'],
        response: { 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { id, n } = request.params as z.infer<typeof FileParams>;
      const query = request.query as z.infer<typeof ViewerQuery>;
      const record = await visibleDossier(ctx, request, id);
      const report = record.status === 'done' ? await ctx.repo.getReport(id) : null;
      if (!report) throw new ApiError('REPORT_NOT_READY');
      return sendViewer(reply, ctx.cache, report, n, query, `/api/v1/dossiers/${encodeURIComponent(id)}/files/${n}`, `/ui/report.html?id=${encodeURIComponent(id)}`);
    },
  );
  app.get(
    '/api/v1/dossiers/:id/files/:n/pdfjs/*',
    { schema: { hide: true, params: FileParams.extend({ '*': z.string() }) } },
    async (request, reply) => {
      const { id, n } = request.params as z.infer<typeof FileParams>;
      await visibleDossier(ctx, request, id);
      return sendAsset(reply, (request.params as Record<string, string>)['*']!, n);
    },
  );
  app.get(
    '/api/v1/shared/:token/files/:n/view',
    {
      config: { auth: 'public' },
      schema: { tags: ['share'], summary: '分享链接：在文件的被引页上显示引文', params: ShareFileParams, querystring: ViewerQuery, produces: ['text/html'], response: { 404: ErrorResponse } },
    },
    async (request, reply) => {
      const { token, n } = request.params as z.infer<typeof ShareFileParams>;
      const query = request.query as z.infer<typeof ViewerQuery>;
      const report = await sharedReport(ctx, token);
      return sendViewer(reply.header('referrer-policy', 'no-referrer'), ctx.cache, report, n, query, `/api/v1/shared/${token}/files/${n}`, `/s/${token}`);
    },
  );
  app.get(
    '/api/v1/shared/:token/files/:n/pdfjs/*',
    { config: { auth: 'public' }, schema: { hide: true, params: ShareFileParams.extend({ '*': z.string() }) } },
    async (request, reply) => {
      const { token, n } = request.params as z.infer<typeof ShareFileParams>;
      await sharedReport(ctx, token);
      return sendAsset(reply, (request.params as Record<string, string>)['*']!, n);
    },
  );
}

async function sendAsset(reply: FastifyReply, asset: string, n: number): Promise<FastifyReply> {
  const parsed = AssetParams.safeParse({ asset });
  const notFound = () => new ApiError('FILE_NOT_FOUND', `编号 ${n} 的查看器资源不存在`);
  if (!parsed.success || asset.includes('..')) throw notFound();
  const [head, rest] = asset.split('/');
  let path: string;
  let type: string;
  if (rest) {
    const dir = DATA_DIRS[head!];
    if (!dir) throw notFound();
    path = join(PDFJS_ROOT, dir.dir, rest);
    type = dir.type;
  } else {
    const known = ASSETS[head!];
    if (!known) throw notFound();
    path = known.path ? join(PDFJS_ROOT, known.path) : VIEWER_SCRIPT;
    type = known.type;
  }
  const body = await readFile(path).catch(() => {
    throw notFound();
  });
  return reply.header('content-type', type).header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff').send(body);
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

async function sendViewer(reply: FastifyReply, cache: ExtractionCache, report: CompletenessReport, n: number, query: z.infer<typeof ViewerQuery>, fileUrl: string, backUrl: string): Promise<FastifyReply> {
  const file = report.files[n];
  if (!file) throw new ApiError('FILE_NOT_FOUND', `编号 ${n}`);
  const page = query.page ?? 1;
  if (page < 1 || (file.pageCount > 0 && page > file.pageCount)) {
    throw new ApiError('FILE_NOT_FOUND', `第 ${page} 页不存在（该文件共 ${file.pageCount} 页）`);
  }
  const quote = (query.q ?? '').replace(/\s+/g, ' ').trim();
  const name = file.path.split('/').at(-1) ?? file.path;
  const pdf = /\.pdf$/i.test(name);
  const image = IMAGE.test(name);
  const quoteBox = quote
    ? `<p class="quote-label">引文</p><p><mark class="quote" data-testid="quote">${escape(quote)}</mark></p>`
    : '<p class="muted">未指定引文，仅显示该页。</p>';
  let body: string;
  if (pdf) {
    body = `<div class="viewer-grid"><div id="page-box" class="page-box" data-file="${escape(fileUrl)}" data-page="${page}" data-quote="${escape(quote)}" data-assets="${escape(fileUrl)}/pdfjs/" aria-label="第 ${page} 页"><p class="muted" id="viewer-status" role="status" aria-live="polite">正在打开第 ${page} 页…</p></div>
<aside class="card side">${quoteBox}<p class="muted" id="match-note"></p></aside></div>
<script type="module" src="${escape(fileUrl)}/pdfjs/viewer.js"></script>`;
  } else if (image) {
    body = `<div class="viewer-grid"><div class="page-box"><img src="${escape(fileUrl)}" alt="${escape(name)}" class="scan"></div>
<aside class="card side">${quoteBox}<p class="muted" data-testid="position-unknown">提取时未记录引文在图中的位置，请对照右侧引文在图中查找。</p></aside></div>`;
  } else {
    // DOCX, OFD, sheets: no page image in the browser, but the page's extracted text, kept by the extraction cache.
    const docs = await readCachedExtractions(cache, [file]).catch(() => null);
    const text = docs?.get(file.sha256)?.pages.find((p) => p.n === page)?.text;
    const pageText = text
      ? `<h2 class="sub">第 ${page} 页的文字（提取所得）</h2><div class="page-text" id="page-text">${markQuote(text, quote)}</div>`
      : '<p class="muted">没有保存该页提取出的文字。</p>';
    body = `<div class="viewer-grid"><section class="card">${pageText}</section><aside class="card side">${quoteBox}<p class="muted">该格式不能在浏览器中按原样显示，可<a href="${escape(fileUrl)}">下载原文件</a>核对。</p></aside></div>`;
  }
  const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(name)} 第 ${page} 页 · 证据查看</title>
<style>
body{margin:0;font-family:system-ui,"Noto Sans SC","Microsoft YaHei",sans-serif;color:#1f2933;background:#f4f6f8}
header{background:#1f4e79;color:#fff;padding:.6rem 1rem}header a{color:#fff}
main{padding:1rem;max-width:1200px;margin:0 auto;box-sizing:border-box}
h1{font-size:1.15rem;margin:.2rem 0 .8rem;overflow-wrap:anywhere}
.card{background:#fff;border:1px solid #d9e2ec;border-radius:6px;padding:.8rem 1rem}
.viewer-grid{display:grid;grid-template-columns:minmax(0,1fr) 18rem;gap:1rem;align-items:start}
@media (max-width:800px){.viewer-grid{grid-template-columns:minmax(0,1fr)}}
.page-box{position:relative;background:#fff;border:1px solid #d9e2ec;max-width:100%;overflow:hidden}
.page-box canvas,.scan{display:block;max-width:100%;height:auto}
.text-layer{position:absolute;inset:0;transform-origin:0 0}
.text-layer span{position:absolute;white-space:pre;color:transparent;line-height:1}
.text-layer span.hl{background:rgba(255,213,0,.45);outline:2px solid #c77700}
mark.quote{background:#ffe27a;color:#1f2933;overflow-wrap:anywhere}
.quote-label{font-weight:600;margin:0}
.muted{color:#52606d}
.sub{font-size:1rem;margin:0 0 .5rem}
.page-text{white-space:pre-wrap;overflow-wrap:anywhere;line-height:1.7}
.page-text mark{background:#ffe27a;outline:2px solid #c77700}
a{color:#0b5cad}
</style></head>
<body><header><a href="${escape(backUrl)}">← 返回报告</a></header>
<main><h1>${escape(name)}<span class="muted"> · 第 ${page} 页${file.pageCount ? `（共 ${file.pageCount} 页）` : ''}</span></h1>
${body}
<p><a href="${escape(fileUrl)}">打开整个原文件</a></p></main></body></html>`;
  return reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'private, no-store').send(html);
}

/**
 * The page's text with the quote wrapped in <mark>. White space is ignored in the comparison (OCR and PDF text put
 * breaks inside Chinese words); a quote not found whole is found by its longest leading part.
 */
export function markQuote(text: string, quote: string): string {
  const kept: number[] = [];
  let flat = '';
  for (let i = 0; i < text.length; i++) {
    if (/\s/.test(text[i]!)) continue;
    kept.push(i);
    flat += text[i];
  }
  const wanted = quote.replace(/\s+/g, '').replace(/…$/, '');
  let length = wanted.length;
  let at = -1;
  while (length >= Math.min(4, wanted.length) && length > 0 && at < 0) {
    at = flat.indexOf(wanted.slice(0, length));
    if (at < 0) length -= 1;
  }
  if (!wanted || at < 0) return escape(text);
  const start = kept[at]!;
  const end = kept[at + length - 1]! + 1;
  return `${escape(text.slice(0, start))}<mark class="hl" data-testid="highlight">${escape(text.slice(start, end))}</mark>${escape(text.slice(end))}`;
}
