import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { ErrorResponse, FileParams, ShareFileParams } from '../schemas.ts';
import type { CompletenessReport } from '../../pipeline/report/schema.ts';
import { quoteRegions, QuoteRegionsSchema, readCachedExtractions, type ExtractionCache, type QuoteRegions } from '../../pipeline/index.ts';
import { visibleDossier } from './dossiers.ts';
import { sharedReport } from './public.ts';

/**
 * Issue 15: evidence opens where it is. `…/files/:n/view?page=N&q=引文` is a page of our own that shows the cited
 * page of the file with the quote marked: a PDF through pdf.js (served from node_modules under the same address,
 * so the same token or share link that sees the file sees its viewer, and nothing is fetched from outside the
 * offline 政务外网), an image with the quoted lines marked on it (where OCR read them), any other format as the page's
 * extracted text with the quote marked and a download link. `…/files/:n/region` answers where the quote is on a
 * scanned page as JSON.
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
export const EvidenceRegionResponse = z.object({
  path: z.string(),
  page: z.number().int().positive(),
  /**
   * `located`: the quote's lines were found on the page's OCR layout; `not-found`: the page has a layout but the quote
   * is not on it; `no-layout`: the page was not OCR'd (text layer, DOCX…) or was read before OCR kept line boxes.
   */
  status: z.enum(['located', 'not-found', 'no-layout']),
  /** Where the quote is, in pixels of the page image; absent unless located. */
  located: QuoteRegionsSchema.optional(),
});
export const RegionQuery = ViewerQuery.extend({ q: z.string().min(1, '缺少引文').max(2000, '引文过长') });

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
    '/api/v1/dossiers/:id/files/:n/region',
    {
      schema: {
        tags: ['dossiers'],
        summary: '引文在扫描页（图片或扫描的 PDF 页）上的位置：OCR 读出的行框，以该页图像的像素计',
        params: FileParams,
        querystring: RegionQuery,
        response: { 200: EvidenceRegionResponse, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const { id, n } = request.params as z.infer<typeof FileParams>;
      const query = request.query as z.infer<typeof RegionQuery>;
      const record = await visibleDossier(ctx, request, id);
      const report = record.status === 'done' ? await ctx.repo.getReport(id) : null;
      if (!report) throw new ApiError('REPORT_NOT_READY');
      return regionAnswer(ctx.cache, report, n, query);
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
    '/api/v1/shared/:token/files/:n/region',
    {
      config: { auth: 'public' },
      schema: { tags: ['share'], summary: '分享链接：引文在扫描页上的位置', params: ShareFileParams, querystring: RegionQuery, response: { 200: EvidenceRegionResponse, 404: ErrorResponse } },
    },
    async (request, reply) => {
      const { token, n } = request.params as z.infer<typeof ShareFileParams>;
      const query = request.query as z.infer<typeof RegionQuery>;
      const report = await sharedReport(ctx, token);
      reply.header('referrer-policy', 'no-referrer');
      return regionAnswer(ctx.cache, report, n, query);
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

type ReportFile = CompletenessReport['files'][number];

function citedFile(report: CompletenessReport, n: number, page: number): ReportFile {
  const file = report.files[n];
  if (!file) throw new ApiError('FILE_NOT_FOUND', `编号 ${n}`);
  if (page < 1 || (file.pageCount > 0 && page > file.pageCount)) {
    throw new ApiError('FILE_NOT_FOUND', `第 ${page} 页不存在（该文件共 ${file.pageCount} 页）`);
  }
  return file;
}

/** The quote's place on the page's OCR layout, from the extraction cache (the file is not read again). */
async function locateQuote(cache: ExtractionCache, file: ReportFile, page: number, quote: string): Promise<{ status: z.infer<typeof EvidenceRegionResponse>['status']; located?: QuoteRegions }> {
  const docs = await readCachedExtractions(cache, [file]).catch(() => null);
  const layout = docs?.get(file.sha256)?.pages.find((p) => p.n === page)?.ocrLayout;
  if (!layout) return { status: 'no-layout' };
  const located = quote ? quoteRegions(layout, quote) : null;
  return located ? { status: 'located', located } : { status: 'not-found' };
}

async function regionAnswer(cache: ExtractionCache, report: CompletenessReport, n: number, query: z.infer<typeof RegionQuery>): Promise<z.infer<typeof EvidenceRegionResponse>> {
  const page = query.page ?? 1;
  const file = citedFile(report, n, page);
  return { path: file.path, page, ...(await locateQuote(cache, file, page, query.q)) };
}

/** Percent of the page image, so the marks scale with the picture at any width (CSS, no script needed). */
function percentBoxes(located: QuoteRegions): Array<{ left: number; top: number; width: number; height: number; text: string }> {
  const pct = (v: number, of: number) => Math.round((v / of) * 100_000) / 1000;
  return located.regions.map((r) => {
    // A little air around the line (a third of its height), so the frame does not sit on the strokes it marks.
    const padX = r.height / 3;
    const padY = r.height / 3;
    const x = Math.max(0, r.x - padX);
    const y = Math.max(0, r.y - padY);
    const right = Math.min(located.image.width, r.x + r.width + padX);
    const bottom = Math.min(located.image.height, r.y + r.height + padY);
    return { left: pct(x, located.image.width), top: pct(y, located.image.height), width: pct(right - x, located.image.width), height: pct(bottom - y, located.image.height), text: r.text };
  });
}

const REGION_FOUND = '已标出引文所在位置';
const REGION_MISSING = '未能在图像上定位引文，请查看整页';

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
  const page = query.page ?? 1;
  const file = citedFile(report, n, page);
  const quote = (query.q ?? '').replace(/\s+/g, ' ').trim();
  const name = file.path.split('/').at(-1) ?? file.path;
  const pdf = /\.pdf$/i.test(name);
  const image = IMAGE.test(name);
  const quoteBox = quote
    ? `<p class="quote-label">引文</p><p><mark class="quote" data-testid="quote">${escape(quote)}</mark></p>`
    : '<p class="muted">未指定引文，仅显示该页。</p>';
  let body: string;
  // A scanned page (a picture, or a PDF page read by OCR) knows where its lines are; a text layer does not need to.
  const located = (pdf || image) && quote ? await locateQuote(cache, file, page, quote) : undefined;
  const boxes = located?.located ? percentBoxes(located.located) : [];
  if (pdf) {
    const regions = boxes.length ? ` data-regions="${escape(JSON.stringify(boxes.map(({ text: _text, ...box }) => box)))}"` : '';
    body = `<div class="viewer-grid"><div id="page-box" class="page-box" data-file="${escape(fileUrl)}" data-page="${page}" data-quote="${escape(quote)}" data-assets="${escape(fileUrl)}/pdfjs/"${regions} aria-label="第 ${page} 页"><p class="muted" id="viewer-status" role="status" aria-live="polite">正在打开第 ${page} 页…</p></div>
<aside class="card side">${quoteBox}<p class="muted" id="match-note"></p></aside></div>
<script type="module" src="${escape(fileUrl)}/pdfjs/viewer.js"></script>`;
  } else if (image) {
    const size = located?.located?.image;
    const marks = boxes
      .map((b, i) => `<div class="region"${i === 0 ? ' id="quote-region"' : ''} data-testid="image-region" role="img" aria-label="引文所在位置${boxes.length > 1 ? `（第 ${i + 1} 行，共 ${boxes.length} 行）` : ''}：${escape(b.text)}" style="left:${b.left}%;top:${b.top}%;width:${b.width}%;height:${b.height}%"></div>`)
      .join('');
    const caption = !quote ? '' : boxes.length ? REGION_FOUND : REGION_MISSING;
    // The frame is exactly as wide as the picture is shown (never wider than its own pixels), so the percentages of
    // the marks land on the same lines at 390 px and at 1280 px.
    body = `<div class="viewer-grid"><figure class="page-box scan-figure"><div class="scan-frame"${size ? ` style="max-width:${size.width}px"` : ''}><img src="${escape(fileUrl)}" alt="${escape(name)}，第 ${page} 页的图像" class="scan">${marks}</div>${caption ? `<figcaption class="region-note${boxes.length ? '' : ' missing'}" data-testid="region-note">${caption}</figcaption>` : ''}</figure>
<aside class="card side">${quoteBox}${caption ? `<p class="muted">${caption}${boxes.length ? '（黄色框内）' : ''}</p>` : ''}</aside></div>
${boxes.length ? `<script type="module" src="${escape(fileUrl)}/pdfjs/viewer.js"></script>` : ''}`;
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
.scan-figure{margin:0}
.scan-frame{position:relative}
.scan-frame .scan{width:100%}
.region,.text-layer .region{position:absolute;box-sizing:border-box;background:rgba(255,213,0,.28);border:3px solid #c77700;border-radius:3px;box-shadow:0 0 0 2px rgba(255,255,255,.8)}
.region-note{margin:0;padding:.4rem .6rem;border-top:1px solid #d9e2ec;background:#fff8db;color:#1f2933}
.region-note.missing{background:#f4f6f8;color:#52606d}
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
