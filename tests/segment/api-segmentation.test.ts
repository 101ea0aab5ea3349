import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeZip } from '../helpers/zip-writer.ts';
import { bearer, checkedDossier, startTestApi, type TestApi } from '../api/harness.ts';
import { buildDocxVolume } from '../fixtures/volumes/docx-volume.ts';
import { dossierSpec, volumeDocuments } from '../fixtures/volumes/dossier-volumes.ts';

/**
 * An officer merges or splits the documents bound in one file through the API (issue 11): kept in the dossier's
 * record, the dossier re-evaluated at once from the cached extractions, withdrawn with DELETE.
 */

type Report = {
  requirements: Array<{ id: string; status: string }>;
  files: Array<{ path: string; segments: Array<{ firstPage: number; lastPage: number; boundary: string }> }>;
};
const NAME = '合订本.docx';
const satisfied = (r: Report) => r.requirements.filter((x) => x.status === 'satisfied').map((x) => x.id);

describe('when an officer corrects how a file is split into documents', () => {
  let api: TestApi;
  let officer: string;
  let unit: string;
  let id: string;
  let automatic: Report;

  beforeAll(async () => {
    api = await startTestApi();
    officer = await api.token('officer', { jurisdiction: 'municipal-template', name: '王审核' });
    unit = await api.token('unit', { unit: '梧溪市市场监督管理局' });
    // 立项批复, 建设方案 and 专家论证意见 of a generated filing dossier, pasted into one Word file.
    const documents = volumeDocuments(dossierSpec('gen-mt-acceptance-complete')).slice(0, 4);
    const zip = writeZip([{ name: NAME, data: await buildDocxVolume([documents[0]!, documents[1]!, documents[3]!].map((d) => d.document)), utf8Flag: true }]);
    id = await checkedDossier(api, unit, { zip, stage: 'acceptance' });
    automatic = (await api.app.inject({ url: `/api/v1/dossiers/${id}/report`, headers: bearer(officer) })).json() as Report;
  }, 120_000);
  afterAll(async () => api.close());

  const put = (body: unknown, token = officer) =>
    api.app.inject({ method: 'PUT', url: `/api/v1/dossiers/${id}/files/pages`, headers: bearer(token), payload: body as Record<string, unknown> });

  it('split the file into its three documents by itself', () => {
    expect(automatic.files[0]!.segments.map((s) => [s.firstPage, s.lastPage])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
  });

  it('merges the file into one document when the officer says it starts once, and rows follow', async () => {
    const response = await put({ path: NAME, starts: [1] });
    expect(response.statusCode).toBe(200);
    const { report } = response.json() as { report: Report };
    expect(report.files[0]!.segments).toEqual([]);
    expect(satisfied(report).length).toBeLessThan(satisfied(automatic).length);
  });

  it('splits where the officer says, marked as the officer’s', async () => {
    const response = await put({ path: NAME, starts: [1, 2, 3] });
    const { report } = response.json() as { report: Report };
    expect(report.files[0]!.segments.map((s) => [s.firstPage, s.lastPage, s.boundary])).toEqual([
      [1, 1, 'officer'],
      [2, 2, 'officer'],
      [3, 3, 'officer'],
    ]);
    expect(satisfied(report)).toEqual(satisfied(automatic));
  });

  it('refuses a unit, an unknown file and a page the file does not have', async () => {
    expect((await put({ path: NAME, starts: [1] }, unit)).statusCode).toBe(403);
    expect((await put({ path: '不存在.pdf', starts: [1] })).json()).toMatchObject({ error: { code: 'UNKNOWN_DOSSIER_FILE' } });
    expect((await put({ path: NAME, starts: [1, 9] })).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('goes back to the automatic split when the officer withdraws it', async () => {
    const response = await api.app.inject({ method: 'DELETE', url: `/api/v1/dossiers/${id}/files/pages?path=${encodeURIComponent(NAME)}`, headers: bearer(officer) });
    expect(response.statusCode).toBe(200);
    const { report } = response.json() as { report: Report };
    expect(report.files[0]!.segments.map((s) => s.boundary)).not.toContain('officer');
    expect(satisfied(report)).toEqual(satisfied(automatic));
  });
});
