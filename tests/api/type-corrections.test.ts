import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentFileKey, originalsPrefix } from '../../storage/index.ts';
import { bearer, checkedDossier, startTestApi, textDossierZip, type TestApi } from './harness.ts';

/**
 * An officer sets a file's doc type through the API (issue 9): kept in the dossier's record with who and when, the
 * dossier re-evaluated from the cached extractions, withdrawn again with DELETE.
 */

// 申报表 and 可研 as in the harness, plus an attachment no title names: it is the 需求分析报告 (MT-F03) in fact.
const ZIP = textDossierZip([{ name: '附件/附件3.txt', data: '补充材料\n项目组成员：张三、李四、王五。\n联系电话：0731-1234567\n', utf8Flag: true }]);
const FACTS = { filingStep: 'approval' };

type Report = {
  requirements: Array<{ id: string; status: string; evidence: Array<{ path?: string; quote?: string }> }>;
  files: Array<{ path: string; sha256: string; docTypes: Array<{ id: string; evidence: { rule: string; quote: string } }>; correction?: Record<string, unknown> }>;
};
const row = (report: Report, id: string) => report.requirements.find((r) => r.id === id)!;
const file = (report: Report, path: string) => report.files.find((f) => f.path === path)!;

describe('when an officer corrects a file’s type', () => {
  let api: TestApi;
  let officer: string;
  let unit: string;

  beforeAll(async () => {
    api = await startTestApi();
    officer = await api.token('officer', { jurisdiction: 'municipal-template', name: '王审核' });
    unit = await api.token('unit', { unit: '青禾市档案馆' });
  });
  afterAll(async () => api.close());

  async function setType(id: string, body: unknown, token = officer) {
    return api.app.inject({ method: 'PUT', url: `/api/v1/dossiers/${id}/files/type`, headers: bearer(token), payload: body as Record<string, unknown> });
  }

  it('re-evaluates at once without reading or extracting any file, and records who and when', async () => {
    const id = await checkedDossier(api, unit, { zip: ZIP, facts: FACTS });
    const before = (await api.app.inject({ url: `/api/v1/dossiers/${id}/report`, headers: bearer(officer) })).json() as Report;
    expect(row(before, 'MT-F03').status).toBe('missing');
    expect(file(before, '附件/附件3.txt').docTypes.map((d) => d.id)).not.toContain('requirements_analysis');

    // No file may be read again: the originals and their bytes are gone, and every extraction write is counted.
    for await (const item of api.ctx.store.list(originalsPrefix(id))) await api.ctx.store.delete(item.key);
    for (const f of before.files) await api.ctx.store.delete(contentFileKey(f.sha256));
    const cached: Array<{ key: string; modified: number }> = [];
    for await (const item of api.ctx.store.list('extracted/')) cached.push({ key: item.key, modified: (await api.ctx.store.head(item.key))!.lastModified.getTime() });
    expect(cached.length).toBe(3);
    let extractionWrites = 0;
    const put = api.ctx.cache.put.bind(api.ctx.cache);
    api.ctx.cache.put = async (...args) => {
      extractionWrites += 1;
      return put(...args);
    };

    const startedAt = Date.now();
    const response = await setType(id, { path: '附件/附件3.txt', docType: 'requirements_analysis' });
    expect(response.statusCode).toBe(200);
    const { dossier, report } = response.json() as { dossier: { typeCorrections: Array<Record<string, string>>; result: { rechecks: number } }; report: Report };
    expect(row(report, 'MT-F03')).toMatchObject({ status: 'satisfied', evidence: [expect.objectContaining({ path: '附件/附件3.txt' })] });
    expect(row(report, 'MT-F03').evidence[0]!.quote).toMatch(/^人工指定：需求分析报告（王审核，\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}）$/);
    expect(file(report, '附件/附件3.txt').correction).toMatchObject({ docType: 'requirements_analysis', name: '需求分析报告', by: '王审核' });
    expect(file(report, '附件/附件3.txt').docTypes[0]!.evidence.rule).toBe('officer');
    expect(dossier.typeCorrections).toEqual([{ path: '附件/附件3.txt', docType: 'requirements_analysis', by: '王审核', at: expect.any(String) }]);
    const at = Date.parse(dossier.typeCorrections[0]!.at!);
    expect(at).toBeGreaterThanOrEqual(startedAt - 1000);
    expect(at).toBeLessThanOrEqual(Date.now());
    expect(dossier.result.rechecks).toBe(1);

    expect(extractionWrites).toBe(0);
    const after: Array<{ key: string; modified: number }> = [];
    for await (const item of api.ctx.store.list('extracted/')) after.push({ key: item.key, modified: (await api.ctx.store.head(item.key))!.lastModified.getTime() });
    expect(after).toEqual(cached);

    // Stored: the record, the report in every format.
    const status = (await api.app.inject({ url: `/api/v1/dossiers/${id}`, headers: bearer(unit) })).json();
    expect(status.typeCorrections).toEqual(dossier.typeCorrections);
    const stored = (await api.app.inject({ url: `/api/v1/dossiers/${id}/report`, headers: bearer(unit) })).json() as Report;
    expect(row(stored, 'MT-F03').status).toBe('satisfied');
    const md = (await api.app.inject({ url: `/api/v1/dossiers/${id}/report?format=md`, headers: bearer(unit) })).body;
    expect(md).toContain('已人工指定类型（王审核，');
    const html = (await api.app.inject({ url: `/api/v1/dossiers/${id}/report?format=html`, headers: bearer(unit) })).body;
    expect(html).toContain('已人工指定类型（王审核，');
  });

  it('restores the classifier’s answer when the correction is withdrawn, and a second withdrawal changes nothing', async () => {
    const id = await checkedDossier(api, unit, { zip: ZIP, facts: FACTS });
    const before = (await api.app.inject({ url: `/api/v1/dossiers/${id}/report`, headers: bearer(officer) })).json() as Report;
    // The study is "not a required document": MT-F02 loses it.
    const set = await setType(id, { path: '可行性研究报告.txt', docType: 'other_material' });
    expect(set.statusCode).toBe(200);
    expect(row(set.json().report, 'MT-F02').status).toBe('missing');

    const url = `/api/v1/dossiers/${id}/files/type?path=${encodeURIComponent('可行性研究报告.txt')}`;
    const removed = await api.app.inject({ method: 'DELETE', url, headers: bearer(officer) });
    expect(removed.statusCode).toBe(200);
    const report = removed.json().report as Report;
    expect(removed.json().dossier.typeCorrections).toEqual([]);
    expect(report.requirements.map((r) => [r.id, r.status])).toEqual(before.requirements.map((r) => [r.id, r.status]));
    expect(file(report, '可行性研究报告.txt').docTypes).toEqual(file(before, '可行性研究报告.txt').docTypes);
    expect(file(report, '可行性研究报告.txt').correction).toBeUndefined();

    const again = await api.app.inject({ method: 'DELETE', url, headers: bearer(officer) });
    expect(again.statusCode).toBe(200);
    expect(again.json().dossier.result.rechecks).toBe(2);
  });

  it('replaces an earlier correction of the same file and takes the type’s Chinese name', async () => {
    const id = await checkedDossier(api, unit, { zip: ZIP, facts: FACTS });
    await setType(id, { path: '附件/附件3.txt', docType: 'project_proposal' });
    const second = await setType(id, { path: '附件/附件3.txt', docType: '需求分析报告' });
    expect(second.statusCode).toBe(200);
    expect(second.json().dossier.typeCorrections.map((c: { docType: string }) => c.docType)).toEqual(['requirements_analysis']);
  });

  it('offers the types grouped, the stage’s required ones first, with the corrections made', async () => {
    const id = await checkedDossier(api, unit, { zip: ZIP, facts: FACTS });
    await setType(id, { path: '附件/附件3.txt', docType: 'requirements_analysis' });
    const choices = (await api.app.inject({ url: `/api/v1/dossiers/${id}/files/type`, headers: bearer(officer) })).json();
    expect(choices.groups.map((g: { label: string }) => g.label)).toEqual(['本阶段清单要求的材料', '其他材料类型', '不属于所需材料']);
    expect(choices.groups[0].docTypes).toContainEqual({ id: 'requirements_analysis', name: '需求分析报告' });
    expect(choices.typeCorrections).toHaveLength(1);
  });

  it('answers 400 in Chinese naming the close types for an unknown type, and the close files for an unknown path', async () => {
    const id = await checkedDossier(api, unit, { zip: ZIP, facts: FACTS });
    const type = await setType(id, { path: '附件/附件3.txt', docType: 'requirement_analysis' });
    expect(type.statusCode).toBe(400);
    expect(type.json().error).toMatchObject({ code: 'UNKNOWN_DOC_TYPE', suggestions: ['requirements_analysis'] });
    expect(type.json().error.message).toBe('未知的材料类型：“requirement_analysis”。相近的类型：requirements_analysis（需求分析报告）');

    const path = await setType(id, { path: '附件3.txt', docType: 'requirements_analysis' });
    expect(path.statusCode).toBe(400);
    expect(path.json().error).toMatchObject({ code: 'UNKNOWN_DOSSIER_FILE', suggestions: ['附件/附件3.txt'] });
    expect(path.json().error.message).toContain('材料中没有文件：“附件3.txt”。相近的文件：附件/附件3.txt');

    const missing = await setType(id, { path: '附件/附件3.txt' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('VALIDATION_FAILED');
    // Nothing was recorded.
    expect((await api.app.inject({ url: `/api/v1/dossiers/${id}`, headers: bearer(officer) })).json().typeCorrections).toEqual([]);
  });

  it('is for officers and admins: a submitting unit is refused', async () => {
    const id = await checkedDossier(api, unit, { zip: ZIP, facts: FACTS });
    const response = await setType(id, { path: '附件/附件3.txt', docType: 'requirements_analysis' }, unit);
    expect(response.statusCode).toBe(403);
    const other = await api.token('officer', { jurisdiction: 'changde' });
    expect((await setType(id, { path: '附件/附件3.txt', docType: 'requirements_analysis' }, other)).statusCode).toBe(404);
  });

  it('describes the routes in the OpenAPI document from their schemas', async () => {
    const doc = (await api.app.inject({ url: '/docs/json' })).json();
    const route = doc.paths['/api/v1/dossiers/{id}/files/type'];
    expect(Object.keys(route).sort()).toEqual(['delete', 'get', 'put']);
    const body = route.put.requestBody.content['application/json'].schema;
    expect(body.required.sort()).toEqual(['docType', 'path']);
    expect(route.delete.parameters.map((p: { name: string }) => p.name)).toContain('path');
  });
});
