import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beijingDate, loadChecklist, statutoryClocks } from '../../pipeline/index.ts';
import { eventsAfterCheck, type DossierRecord } from '../../api/dossiers/records.ts';
import type { CompletenessReport } from '../../pipeline/report/schema.ts';
import { bearer, checkedDossier, startTestApi, type TestApi } from './harness.ts';

/** The statutory clock in the API's dossier view (issue 12): from 受理 or 收齐 to the deadline, where the city sets one. */

describe('the statutory clock of a dossier', () => {
  let api: TestApi;
  let unit: string;

  beforeAll(async () => {
    api = await startTestApi();
    unit = await api.token('unit', { unit: '青禾市档案馆' });
  });
  afterAll(async () => api.close());

  it('runs 益阳 第十四条’s 10 working days from the day the dossier was accepted', async () => {
    const id = await checkedDossier(api, unit, { city: 'yiyang', stage: 'filing' });
    const view = (await api.app.inject({ url: `/api/v1/dossiers/${id}`, headers: bearer(unit) })).json();
    const today = beijingDate();
    const expected = statutoryClocks({ checklist: loadChecklist('yiyang'), stage: 'filing', events: [{ kind: 'accepted', on: today }], today });
    expect(view.clocks).toEqual(expected);
    expect(view.clocks[0]).toMatchObject({ title: '项目审批', article: '第十四条', state: 'running', startedOn: today, dayKind: 'working' });
    expect(view.clocks[0].text).toMatch(/^自\d{4}年\d{1,2}月\d{1,2}日受理起10个工作日内，截止\d{4}年\d{1,2}月\d{1,2}日，还剩10个工作日$/);
    // The list filters by deadline: due by the deadline itself, not due by the day before.
    const officer = await api.token('officer', { jurisdiction: 'yiyang', name: '钱审核' });
    const deadline: string = view.clocks[0].deadline;
    const dayBefore = new Date(Date.parse(`${deadline}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const due = (day: string) => api.app.inject({ url: `/api/v1/dossiers?dueBy=${day}`, headers: bearer(officer) }).then((r) => r.json().dossiers.map((d: { id: string }) => d.id));
    expect(await due(deadline)).toContain(id);
    expect(await due(dayBefore)).not.toContain(id);
  });

  it('pauses 益阳’s clock once a notice asks for 补正, and stops it at the officer’s decision, audited', async () => {
    const officer = await api.token('officer', { jurisdiction: 'yiyang', name: '赵审核' });
    const id = await checkedDossier(api, unit, { city: 'yiyang', stage: 'filing' });
    const notice = await api.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/notices`, headers: bearer(officer), payload: { format: 'docx' } });
    expect(notice.json().notice.mustSupply).toBeGreaterThan(0);
    const paused = (await api.app.inject({ url: `/api/v1/dossiers/${id}`, headers: bearer(officer) })).json();
    expect(paused.clocks[0]).toMatchObject({ state: 'paused' });
    expect(paused.clocks[0].text).toContain('补正期间暂停计时');

    const decide = (payload: Record<string, unknown>, token = officer) => api.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/decision`, headers: bearer(token), payload });
    expect((await decide({ decision: 'accepted' }, unit)).statusCode).toBe(403);
    const noReason = await decide({ decision: 'extended' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.message).toContain('须说明理由');
    const decided = await decide({ decision: 'rejected', note: '材料逾期未补正' });
    expect(decided.statusCode).toBe(200);
    expect(decided.json().dossier.clocks[0]).toMatchObject({ state: 'stopped' });
    expect(decided.json().dossier.clocks[0].text).toMatch(/已于\d{4}年\d{1,2}月\d{1,2}日作出决定/);
    expect((await decide({ decision: 'accepted' })).statusCode).toBe(400);
    const audit = (await api.app.inject({ url: `/api/v1/dossiers/${id}/audit`, headers: bearer(officer) })).json();
    expect(audit.entries.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['notice_generated', 'decided']));
  });

  it('shows no clock where the regulation sets none', async () => {
    const id = await checkedDossier(api, unit, { city: 'municipal-template', stage: 'filing', facts: { filingStep: 'approval' } });
    const view = (await api.app.inject({ url: `/api/v1/dossiers/${id}`, headers: bearer(unit) })).json();
    expect(view.clocks).toEqual([]);
  });
});

describe('the 收齐 event', () => {
  const record = { events: undefined } as unknown as DossierRecord;
  const report = (outcome: string, generatedAt: string) => ({ verdict: { outcome }, generatedAt }) as unknown as CompletenessReport;

  it('is recorded by the first check with nothing error-level missing, and only once', () => {
    expect(eventsAfterCheck(record, report('needs_supplement', '2026-09-20T02:00:00Z'))).toBeUndefined();
    const first = eventsAfterCheck(record, report('complete', '2026-09-25T02:00:00Z'));
    expect(first).toEqual([{ kind: 'complete', at: '2026-09-25T02:00:00Z' }]);
    expect(eventsAfterCheck({ ...record, events: first }, report('complete', '2026-09-30T02:00:00Z'))).toEqual(first);
  });
});
