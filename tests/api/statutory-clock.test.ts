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
