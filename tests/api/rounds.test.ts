import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, checkedDossier, multipart, startTestApi, textDossierZip, type FilePart, type TestApi } from './harness.ts';

/**
 * 补正 rounds (issue 12): a unit adds, replaces or withdraws files of its checked dossier; the dossier is checked again
 * as the next round, only new files are extracted, and every round's report stays as it was.
 */

// The harness dossier lacks the 需求分析报告 (MT-F03); an encrypted entry shows that what a folder cannot hold is kept.
const ZIP = textDossierZip([{ name: '附件/加密附件.txt', data: '机密', utf8Flag: true, encrypted: true }]);
const FACTS = { filingStep: 'approval' };
const ANALYSIS = '青禾市智慧档案管理系统建设项目需求分析报告\n第一章 需求概述\n本报告分析档案管理业务需求。\n';

type Report = {
  generatedAt: string;
  verdict: { text: string };
  requirements: Array<{ id: string; status: string }>;
  files: Array<{ path: string; sha256: string; status: string; correction?: { docType: string } }>;
};
type RoundView = {
  n: number;
  by: string;
  added: string[];
  replaced: string[];
  withdrawn: string[];
  verdict?: string;
  diff?: { newlySatisfied: Array<{ id: string }>; stillMissing: Array<{ id: string }>; newlyMissing: Array<{ id: string }>; files: { added: string[]; replaced: string[]; withdrawn: string[] } };
};
const row = (report: Report, id: string) => report.requirements.find((r) => r.id === id)!;

describe('when a unit supplements its dossier in rounds', () => {
  let api: TestApi;
  let unit: string;
  let otherUnit: string;
  let officer: string;
  let extractionWrites: string[];

  beforeAll(async () => {
    api = await startTestApi();
    unit = await api.token('unit', { unit: '青禾市档案馆', name: '档案馆经办人' });
    otherUnit = await api.token('unit', { unit: '青禾市财政局' });
    officer = await api.token('officer', { jurisdiction: 'municipal-template', name: '王审核' });
    extractionWrites = [];
    const put = api.ctx.cache.put.bind(api.ctx.cache);
    api.ctx.cache.put = async (...args: Parameters<typeof put>) => {
      extractionWrites.push(String(args[0]));
      return put(...args);
    };
  });
  afterAll(async () => api.close());

  async function submitRound(id: string, files: FilePart[], fields: Record<string, string | string[]> = {}, token = unit) {
    const body = multipart(fields, files);
    return api.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/rounds`, headers: { ...bearer(token), ...body.headers }, payload: body.payload });
  }
  const get = async <T>(url: string, token = unit) => (await api.app.inject({ url, headers: bearer(token) })).json() as T;

  it('adds the missing file as round 2: MT-F03 newly satisfied, only the new file extracted, round 1 unchanged', async () => {
    const id = await checkedDossier(api, unit, { zip: ZIP, facts: FACTS });
    const first = await get<Report>(`/api/v1/dossiers/${id}/report`);
    expect(row(first, 'MT-F03').status).toBe('missing');
    expect(first.files.map((f) => f.path)).toContain('附件/加密附件.txt');
    extractionWrites.length = 0;

    const response = await submitRound(id, [{ filename: '需求分析报告.txt', content: ANALYSIS }]);
    expect(response.statusCode).toBe(202);
    expect(response.json().round).toMatchObject({ n: 2, by: '档案馆经办人', added: ['需求分析报告.txt'], replaced: [], withdrawn: [] });
    expect(response.json().dossier.status).toBe('queued');
    await api.processor.idle();

    // Exactly one extraction was written: the new file's; the unchanged ones came from the cache.
    expect(extractionWrites).toHaveLength(1);
    const second = await get<Report>(`/api/v1/dossiers/${id}/report`);
    expect(row(second, 'MT-F03').status).toBe('satisfied');
    // Unchanged files keep their paths, and the encrypted entry of the first upload is still listed.
    expect(second.files.map((f) => f.path).sort()).toEqual([...first.files.map((f) => f.path), '需求分析报告.txt'].sort());
    expect(second.files.find((f) => f.path === '附件/加密附件.txt')?.status).toBe(first.files.find((f) => f.path === '附件/加密附件.txt')?.status);

    const { rounds } = await get<{ rounds: RoundView[] }>(`/api/v1/dossiers/${id}/rounds`);
    expect(rounds.map((r) => r.n)).toEqual([1, 2]);
    expect(rounds[0]!.verdict).toBe(first.verdict.text);
    expect(rounds[1]!.verdict).toBe(second.verdict.text);
    expect(rounds[1]!.diff!.newlySatisfied.map((r) => r.id)).toContain('MT-F03');
    expect(rounds[1]!.diff!.stillMissing.map((r) => r.id)).not.toContain('MT-F03');
    expect(rounds[1]!.diff!.files).toEqual({ added: ['需求分析报告.txt'], replaced: [], withdrawn: [] });

    const round1 = await get<Report>(`/api/v1/dossiers/${id}/rounds/1/report`);
    expect(round1).toEqual(first);
    const round2 = await get<Report>(`/api/v1/dossiers/${id}/rounds/2/report`);
    expect(round2.generatedAt).toBe(second.generatedAt);
    expect((await api.app.inject({ url: `/api/v1/dossiers/${id}/rounds/3/report`, headers: bearer(unit) })).json().error.code).toBe('ROUND_NOT_FOUND');
    // The printable forms of round 2 open with what it changed.
    const md = (await api.app.inject({ url: `/api/v1/dossiers/${id}/rounds/2/report?format=md`, headers: bearer(unit) })).body;
    expect(md).toContain('## 第 2 轮补正：');
    expect(md).toContain('- 新增文件：需求分析报告.txt');
    const html = (await api.app.inject({ url: `/api/v1/dossiers/${id}/rounds/2/report?format=html`, headers: bearer(unit) })).body;
    expect(html).toMatch(/<section class="round-diff"><h2>第 2 轮补正：[^<]*<\/h2><ul><li>新增文件：需求分析报告.txt<\/li>/);
    // The current round's quotes open the evidence viewer at their page, as the dossier's own report does.
    expect(html).toMatch(/href="[^"]*\/files\/\d+\/view\?[^"]*q=/);

    // The audit log names who sent the round and what it changed.
    const audit = await get<{ entries: Array<{ action: string; actor: string; detail: Record<string, unknown> }> }>(`/api/v1/dossiers/${id}/audit`, officer);
    expect(audit.entries.find((e) => e.action === 'supplemented')).toMatchObject({ actor: '档案馆经办人', detail: { round: 2, added: ['需求分析报告.txt'] } });

    // The statutory clock counts the 补正 as received.
    const record = await api.ctx.repo.get(id);
    expect(record!.events?.map((e) => e.kind)).toContain('supplement_received');
  });

  it('replaces and withdraws files in round 3, and round 2’s report stays as it was', async () => {
    const id = await checkedDossier(api, unit, { zip: ZIP, facts: FACTS });
    expect((await submitRound(id, [{ filename: '需求分析报告.txt', content: ANALYSIS }])).statusCode).toBe(202);
    await api.processor.idle();
    const round2 = await get<Report>(`/api/v1/dossiers/${id}/rounds/2/report`);
    extractionWrites.length = 0;

    const study = '青禾市智慧档案管理系统建设项目可行性研究报告（修订稿）\n第一章 项目概述\n项目建设单位为青禾市档案馆。\n';
    const response = await submitRound(id, [{ filename: '可研修订稿.txt', content: study }], { replace: '可行性研究报告.txt=可研修订稿.txt', withdraw: '需求分析报告.txt' }, officer);
    expect(response.statusCode).toBe(202);
    expect(response.json().round).toMatchObject({ n: 3, by: '王审核', added: [], replaced: ['可行性研究报告.txt'], withdrawn: ['需求分析报告.txt'] });
    await api.processor.idle();

    expect(extractionWrites).toHaveLength(1);
    const third = await get<Report>(`/api/v1/dossiers/${id}/report`);
    const paths = third.files.map((f) => f.path);
    expect(paths).toContain('可行性研究报告.txt');
    expect(paths).not.toContain('需求分析报告.txt');
    expect(third.files.find((f) => f.path === '可行性研究报告.txt')!.sha256).not.toBe(round2.files.find((f) => f.path === '可行性研究报告.txt')!.sha256);
    expect(row(third, 'MT-F02').status).toBe('satisfied');
    expect(row(third, 'MT-F03').status).toBe('missing');

    const { rounds } = await get<{ rounds: RoundView[] }>(`/api/v1/dossiers/${id}/rounds`);
    expect(rounds[2]!.diff!.files).toEqual({ added: [], replaced: ['可行性研究报告.txt'], withdrawn: ['需求分析报告.txt'] });
    expect(rounds[2]!.diff!.newlyMissing.map((r) => r.id)).toContain('MT-F03');
    expect(await get<Report>(`/api/v1/dossiers/${id}/rounds/2/report`)).toEqual(round2);
  });

  it('checks round 2’s files again from storage when the extractions are gone, keeping an officer’s type', async () => {
    const id = await checkedDossier(api, unit, { zip: ZIP, facts: FACTS });
    expect((await submitRound(id, [{ filename: '需求分析报告.txt', content: ANALYSIS }])).statusCode).toBe(202);
    await api.processor.idle();
    // An extractor upgrade leaves no cached extraction: the type correction sends the dossier back to the processor.
    for await (const item of api.ctx.store.list('extracted/')) await api.ctx.store.delete(item.key);
    const set = await api.app.inject({ method: 'PUT', url: `/api/v1/dossiers/${id}/files/type`, headers: bearer(officer), payload: { path: '可行性研究报告.txt', docType: 'other_material' } });
    expect(set.statusCode).toBe(202);
    await api.processor.idle();
    const report = await get<Report>(`/api/v1/dossiers/${id}/report`);
    expect(report.files.map((f) => f.path).sort()).toEqual(['附件/加密附件.txt', '可行性研究报告.txt', '项目立项申报表.txt', '需求分析报告.txt'].sort());
    expect(report.files.find((f) => f.path === '可行性研究报告.txt')?.correction?.docType).toBe('other_material');
    expect(row(report, 'MT-F03').status).toBe('satisfied');
    expect(row(report, 'MT-F02').status).toBe('missing');
    // Round 2's kept report is the one it ended with, not the re-check's.
    expect(row(await get<Report>(`/api/v1/dossiers/${id}/rounds/2/report`), 'MT-F02').status).toBe('satisfied');
  });

  it('a file sent under an existing name replaces it', async () => {
    const id = await checkedDossier(api, unit, { zip: ZIP, facts: FACTS });
    const response = await submitRound(id, [{ filename: '项目立项申报表.txt', content: '项目立项申报表\n项目名称：青禾市智慧档案管理系统建设项目\n建设单位：青禾市档案馆\n项目总投资（万元）：90\n' }]);
    expect(response.statusCode).toBe(202);
    expect(response.json().round).toMatchObject({ added: [], replaced: ['项目立项申报表.txt'] });
    await api.processor.idle();
    expect((await get<{ rounds: RoundView[] }>(`/api/v1/dossiers/${id}/rounds`)).rounds[1]!.diff!.files.replaced).toEqual(['项目立项申报表.txt']);
  });

  it('answers 404 to another unit, 409 while the dossier is being checked, 400 for an unknown path', async () => {
    const id = await checkedDossier(api, unit, { zip: ZIP, facts: FACTS });
    const file = [{ filename: '需求分析报告.txt', content: ANALYSIS }];
    const foreign = await submitRound(id, file, {}, otherUnit);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('DOSSIER_NOT_FOUND');
    expect((await api.app.inject({ url: `/api/v1/dossiers/${id}/rounds`, headers: bearer(otherUnit) })).statusCode).toBe(404);

    const unknown = await submitRound(id, [], { withdraw: '没有这个文件.pdf' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('UNKNOWN_DOSSIER_FILE');

    expect((await submitRound(id, file)).statusCode).toBe(202);
    const busy = await submitRound(id, file);
    expect(busy.statusCode).toBe(409);
    expect(busy.json().error.code).toBe('DOSSIER_BUSY');
    await api.processor.idle();
    expect((await get<{ rounds: RoundView[] }>(`/api/v1/dossiers/${id}/rounds`)).rounds).toHaveLength(2);
  });

  it('takes a round through a share link made for supplements, and refuses one through a read-only link', async () => {
    const id = await checkedDossier(api, unit, { zip: ZIP, facts: FACTS });
    const share = async (allowSupplement?: boolean) =>
      (await api.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/share`, headers: bearer(unit), payload: allowSupplement === undefined ? {} : { allowSupplement } })).json() as {
        token: string;
        allowSupplement: boolean;
      };
    const readOnly = await share();
    expect(readOnly.allowSupplement).toBe(false);
    const supplement = await share(true);
    expect(supplement.allowSupplement).toBe(true);
    const body = multipart({}, [{ filename: '需求分析报告.txt', content: ANALYSIS }]);
    const refused = await api.app.inject({ method: 'POST', url: `/api/v1/shared/${readOnly.token}/rounds`, headers: body.headers, payload: body.payload });
    expect(refused.statusCode).toBe(403);

    const accepted = await api.app.inject({ method: 'POST', url: `/api/v1/shared/${supplement.token}/rounds`, headers: body.headers, payload: body.payload });
    expect(accepted.statusCode).toBe(202);
    expect(accepted.json().round).toMatchObject({ n: 2, by: '分享链接' });
    await api.processor.idle();
    const listed = (await api.app.inject({ url: `/api/v1/shared/${supplement.token}/rounds` })).json();
    expect(listed).toMatchObject({ status: 'done', allowSupplement: true });
    expect(listed.rounds[1].diff.newlySatisfied.map((r: { id: string }) => r.id)).toContain('MT-F03');
  });
});
