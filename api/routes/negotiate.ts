import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderHtml } from '../../pipeline/report/render-html.ts';
import { renderMarkdown } from '../../pipeline/report/render-markdown.ts';
import type { CompletenessReport } from '../../pipeline/report/schema.ts';
import { ApiError } from '../errors.ts';

export type ReportFormat = 'json' | 'html' | 'md';

/** `?format=` wins; otherwise the Accept header, in the client's order of preference; JSON by default. */
export function reportFormat(request: FastifyRequest, explicit: ReportFormat | undefined): ReportFormat {
  if (explicit) return explicit;
  const accept = request.headers.accept;
  if (!accept) return 'json';
  const wanted = accept
    .split(',')
    .map((part, i) => {
      const [type, ...params] = part.trim().toLowerCase().split(';');
      const q = Number(params.map((p) => p.trim()).find((p) => p.startsWith('q='))?.slice(2) ?? '1');
      return { type: type!.trim(), q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((w) => w.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const w of wanted) {
    if (w.type === 'application/json' || w.type === 'application/*' || w.type === '*/*') return 'json';
    if (w.type === 'text/html' || w.type === 'application/xhtml+xml') return 'html';
    if (w.type === 'text/markdown' || w.type === 'text/x-markdown' || w.type === 'text/plain' || w.type === 'text/*') return 'md';
  }
  throw new ApiError('NOT_ACCEPTABLE', '报告可提供 application/json、text/html、text/markdown');
}

export function sendReport(reply: FastifyReply, report: CompletenessReport, format: ReportFormat, fileHref?: (index: number) => string): FastifyReply {
  reply.header('vary', 'Accept');
  if (format === 'html') {
    return reply.type('text/html; charset=utf-8').send(renderHtml(report, reportLinks(fileHref)));
  }
  if (format === 'md') return reply.type('text/markdown; charset=utf-8').send(renderMarkdown(report));
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(report));
}

/** The HTML report's links: each file, and each quote to the evidence viewer at its page (api/routes/evidence.ts). */
export function reportLinks(fileHref?: (index: number) => string): { fileHref?: (index: number) => string; evidenceHref?: (index: number, page: number | undefined, quote: string) => string } {
  if (!fileHref) return {};
  return {
    fileHref: (i) => fileHref(i),
    evidenceHref: (i, page, quote) => `${fileHref(i)}/view?${new URLSearchParams({ ...(page ? { page: String(page) } : {}), q: quote.slice(0, 500) })}`,
  };
}
