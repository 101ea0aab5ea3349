import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, checkedDossier, startTestApi, textDossierZip, type TestApi } from './harness.ts';

/** The officer's 一次性告知书 through the API (issue 12): generated from the stored report, kept, listed, downloaded. */

describe('一次性告知书 through the API', () => {
  let api: TestApi;
  let officer: string;
  let unit: string;

  beforeAll(async () => {
    api = await startTestApi();
    officer = await api.token('officer', { jurisdiction: 'municipal-template', name: '王审核' });
    unit = await api.token('unit', { unit: '青禾市档案馆' });
  });
  afterAll(async () => api.close());

  it('generates a DOCX and a PDF from the report, keeps both, and lists them newest first', async () => {
    const id = await checkedDossier(api, unit, { zip: textDossierZip([]), facts: { filingStep: 'approval' } });
    const docx = await api.app.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${id}/notices`,
      headers: bearer(officer),
      payload: { format: 'docx', issuer: '青禾市数据资源管理局', docNumber: '青数据补〔2026〕7号', deadline: '2026-10-09', officer: '王审核', contact: '0731-1234567' },
    });
    expect(docx.statusCode).toBe(201);
    const { notice } = docx.json() as { notice: { id: string; format: string; createdBy: string; mustSupply: number; round: number; links: { download: string } } };
    expect(notice).toMatchObject({ format: 'docx', createdBy: '王审核' });
    expect(notice.mustSupply).toBeGreaterThan(0);

    const file = await api.app.inject({ url: notice.links.download, headers: bearer(unit) });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('wordprocessingml');
    expect(String(file.headers['content-disposition'])).toContain(`filename*=UTF-8''${encodeURIComponent('一次性告知书')}`);
    const { value: text } = await mammoth.extractRawText({ buffer: file.rawPayload });
    expect(text).toContain('青数据补〔2026〕7号');
    expect(text).toContain('请于2026年10月9日前');
    expect(text).toContain('经办人：王审核；联系电话：0731-1234567');
    // No address given: the notice carries a 补正 link to this dossier, which accepts a round.
    const link = /\/s\/([A-Za-z0-9_-]{43})/.exec(text);
    expect(link, text).not.toBeNull();
    expect(await api.ctx.shares.resolve(link![1]!)).toMatchObject({ dossierId: id, allowSupplement: true });
    expect(notice).toMatchObject({ round: 1 });

    const pdf = await api.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/notices`, headers: bearer(officer), payload: { format: 'pdf' } });
    expect(pdf.statusCode).toBe(201);
    const pdfNotice = (pdf.json() as { notice: { id: string; links: { download: string } } }).notice;
    const pdfFile = await api.app.inject({ url: pdfNotice.links.download, headers: bearer(officer) });
    expect(pdfFile.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const list = (await api.app.inject({ url: `/api/v1/dossiers/${id}/notices`, headers: bearer(unit) })).json() as { notices: Array<{ id: string }> };
    expect(list.notices.map((n) => n.id)).toEqual([pdfNotice.id, notice.id]);
  });

  it('lets only reviewers generate, and answers bad input and unknown notices in Chinese', async () => {
    const id = await checkedDossier(api, unit, { zip: textDossierZip([]), facts: { filingStep: 'approval' } });
    const byUnit = await api.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/notices`, headers: bearer(unit), payload: {} });
    expect(byUnit.statusCode).toBe(403);
    const badDeadline = await api.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/notices`, headers: bearer(officer), payload: { deadline: '下周五' } });
    expect(badDeadline.statusCode).toBe(400);
    expect(badDeadline.json().error.message).toContain('补正期限应为 YYYY-MM-DD');
    const missing = await api.app.inject({ url: `/api/v1/dossiers/${id}/notices/n_doesnotexist0000`, headers: bearer(officer) });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('NOTICE_NOT_FOUND');
  });
});
