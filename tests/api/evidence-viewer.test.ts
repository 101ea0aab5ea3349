import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, checkedDossier, startTestApi, type TestApi } from './harness.ts';
import { markQuote } from '../../api/routes/evidence.ts';
import { sharedPath } from '../helpers/shared-data.ts';
import { htmlText, latinWords } from '../helpers/latin-words.ts';

/**
 * Issue 15: a quote in the report opens `…/files/:n/view?page=N&q=…`, our page that shows the cited page of the file
 * with the quote marked; pdf.js is served under the same address with the same access as the file.
 */

const SAMPLE = sharedPath('samples', 'dossiers', 'sample-05-mt-filing', 'dossier.zip');

interface Cited {
  index: number;
  path: string;
  page: number;
  quote: string;
}

let api: TestApi;
let officer: string;
let elsewhere: string;
let id: string;
let cited: Cited;
let pageCount: number;
let docx: Cited | undefined;

beforeAll(async () => {
  api = await startTestApi({ processConcurrency: 1 });
  officer = await api.token('officer', { jurisdiction: 'municipal-template' });
  elsewhere = await api.token('officer', { jurisdiction: 'changde' });
  id = await checkedDossier(api, officer, { zip: await readFile(SAMPLE) });
  const report = (await api.app.inject({ url: `/api/v1/dossiers/${id}/report`, headers: bearer(officer) })).json() as {
    files: Array<{ path: string; pageCount: number; docTypes: Array<{ evidence?: { page?: number; quote: string } }> }>;
  };
  const index = report.files.findIndex((f) => /\.pdf$/i.test(f.path) && f.docTypes[0]?.evidence?.page && f.docTypes[0].evidence.quote);
  expect(index, '样例材料中应有带页码和引文的 PDF 证据').toBeGreaterThanOrEqual(0);
  const file = report.files[index]!;
  cited = { index, path: file.path, page: file.docTypes[0]!.evidence!.page!, quote: file.docTypes[0]!.evidence!.quote };
  pageCount = file.pageCount;
  const d = report.files.findIndex((f) => /\.docx$/i.test(f.path) && f.docTypes[0]?.evidence?.quote);
  if (d >= 0) docx = { index: d, path: report.files[d]!.path, page: report.files[d]!.docTypes[0]!.evidence!.page ?? 1, quote: report.files[d]!.docTypes[0]!.evidence!.quote };
}, 300_000);
afterAll(async () => api?.close());

const viewUrl = (prefix: string, page: number, quote: string) => `${prefix}/files/${cited.index}/view?${new URLSearchParams({ page: String(page), q: quote })}`;

describe('the evidence viewer of a PDF', () => {
  it('answers with the cited page and the quote, and loads pdf.js from the same address', async () => {
    const response = await api.app.inject({ url: viewUrl(`/api/v1/dossiers/${id}`, cited.page, cited.quote), headers: bearer(officer) });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    const html = response.body;
    expect(html).toContain(`data-page="${cited.page}"`);
    expect(html).toContain(`第 ${cited.page} 页`);
    const quote = cited.quote.replace(/\s+/g, ' ').trim();
    expect(htmlText(html)).toContain(quote.replace(/[&<>"']/g, ' ').slice(0, 10));
    expect(html).toContain(`/api/v1/dossiers/${id}/files/${cited.index}/pdfjs/viewer.js`);
    expect(latinWords(htmlText(html), [cited.path])).toEqual([]);

    for (const asset of ['viewer.js', 'pdf.mjs', 'pdf.worker.mjs']) {
      const served = await api.app.inject({ url: `/api/v1/dossiers/${id}/files/${cited.index}/pdfjs/${asset}`, headers: bearer(officer) });
      expect(served.statusCode, asset).toBe(200);
      expect(served.headers['content-type']).toMatch(/javascript/);
    }
  });

  it('refuses a page the file does not have, in Chinese', async () => {
    const response = await api.app.inject({ url: viewUrl(`/api/v1/dossiers/${id}`, pageCount + 1, cited.quote), headers: bearer(officer) });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.message).toContain(`第 ${pageCount + 1} 页不存在`);
    const zero = await api.app.inject({ url: viewUrl(`/api/v1/dossiers/${id}`, 0, cited.quote), headers: bearer(officer) });
    expect(zero.statusCode).toBe(404);
  });

  it('is seen only by whoever sees the file: not another jurisdiction, not without a token', async () => {
    const other = await api.app.inject({ url: viewUrl(`/api/v1/dossiers/${id}`, cited.page, cited.quote), headers: bearer(elsewhere) });
    expect(other.statusCode).toBe(404);
    expect(other.json().error.message).toMatch(/[\u4e00-\u9fff]/);
    const asset = await api.app.inject({ url: `/api/v1/dossiers/${id}/files/${cited.index}/pdfjs/pdf.mjs`, headers: bearer(elsewhere) });
    expect(asset.statusCode).toBe(404);
    const anonymous = await api.app.inject({ url: viewUrl(`/api/v1/dossiers/${id}`, cited.page, cited.quote) });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('opens through a share link, and not through a bad one', async () => {
    const link = (await api.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/share`, headers: bearer(officer), payload: {} })).json() as { token: string };
    const shared = await api.app.inject({ url: viewUrl(`/api/v1/shared/${link.token}`, cited.page, cited.quote) });
    expect(shared.statusCode, shared.body).toBe(200);
    expect(shared.body).toContain(`/api/v1/shared/${link.token}/files/${cited.index}/pdfjs/viewer.js`);
    // The shared HTML report links its quotes to the viewer under the same link.
    const page = await api.app.inject({ url: `/s/${link.token}` });
    const href = /<a class="quote-link" href="([^"]+)"/.exec(page.body)?.[1]?.replace(/&amp;/g, '&');
    expect(href).toMatch(new RegExp(`^/api/v1/shared/${link.token}/files/\\d+/view\\?`));
    expect((await api.app.inject({ url: href! })).statusCode).toBe(200);
    const bad = await api.app.inject({ url: viewUrl(`/api/v1/shared/${'x'.repeat(43)}`, cited.page, cited.quote) });
    expect(bad.statusCode).toBe(404);
    expect(bad.json().error.message).toMatch(/[\u4e00-\u9fff]/);
    const badAsset = await api.app.inject({ url: `/api/v1/shared/${'x'.repeat(43)}/files/${cited.index}/pdfjs/pdf.mjs` });
    expect(badAsset.statusCode).toBe(404);
  });

  it('serves no file of the pdf.js package beyond what the viewer loads', async () => {
    for (const asset of ['package.json', '..%2F..%2Fpackage.json', 'cmaps/..%2F..%2Fpackage.json', 'web/pdf_viewer.mjs']) {
      const response = await api.app.inject({ url: `/api/v1/dossiers/${id}/files/${cited.index}/pdfjs/${asset}`, headers: bearer(officer) });
      // A traversal is refused by the router's own guard (400) before it reaches the asset list (404).
      expect([400, 404], asset).toContain(response.statusCode);
    }
  });
});

describe('the evidence viewer of a DOCX', () => {
  it('shows the extracted text of the cited page with the quote marked', async () => {
    expect(docx, '样例材料中应有带引文的 DOCX 证据').toBeDefined();
    const response = await api.app.inject({ url: `/api/v1/dossiers/${id}/files/${docx!.index}/view?${new URLSearchParams({ page: String(docx!.page), q: docx!.quote })}`, headers: bearer(officer) });
    expect(response.statusCode, response.body).toBe(200);
    const marked = /<mark class="hl" data-testid="highlight">([^<]*)<\/mark>/.exec(response.body)?.[1] ?? '';
    expect(marked.replace(/\s+/g, '')).toContain(docx!.quote.replace(/\s+/g, '').replace(/…$/, '').slice(0, 4));
    expect(latinWords(htmlText(response.body), [docx!.path])).toEqual([]);
  });
});

describe('markQuote', () => {
  it('marks the quote across the line-break spaces the extraction left, escaping the rest', () => {
    expect(markQuote('甲<乙>\n测试报 告见附件', '测试报告')).toBe('甲&lt;乙&gt;\n<mark class="hl" data-testid="highlight">测试报 告</mark>见附件');
  });
  it('finds a clipped quote by its leading part, and marks nothing when it is not there', () => {
    expect(markQuote('项目名称：青禾市智慧档案管理系统', '项目名称：青禾市智慧城市…')).toContain('<mark class="hl" data-testid="highlight">项目名称：青禾市智慧</mark>');
    expect(markQuote('项目名称', '验收报告')).toBe('项目名称');
  });
});
