import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApi, type TestApi } from './harness.ts';

let api: TestApi;
let unit: string;
beforeAll(async () => {
  api = await startTestApi();
  unit = await api.token('unit', { unit: '任一单位' });
});
afterAll(async () => api.close());

describe('when a unit reads the checklists', () => {
  it('lists every shipped jurisdiction', async () => {
    const { checklists } = (await api.app.inject({ url: '/api/v1/checklists', headers: bearer(unit) })).json();
    expect(checklists.map((c: { id: string }) => c.id).sort()).toEqual(['changde', 'municipal-template', 'shenyang', 'shucheng', 'yiyang']);
  });

  it('shows each row of a stage with its article and quote', async () => {
    const c = (await api.app.inject({ url: '/api/v1/checklists/changde?stage=acceptance', headers: bearer(unit) })).json();
    expect(c.rows.length).toBeGreaterThan(5);
    expect(c.rows.every((r: { stage: string; article: string; quote: string }) => r.stage === 'acceptance' && r.article && r.quote)).toBe(true);
  });

  it('answers the plain-text description with ?format=text', async () => {
    const response = await api.app.inject({ url: '/api/v1/checklists/changde?format=text', headers: bearer(unit) });
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.body).toContain('【竣工验收】');
  });

  it('answers 404 for an unknown jurisdiction', async () => {
    const response = await api.app.inject({ url: '/api/v1/checklists/atlantis', headers: bearer(unit) });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('CHECKLIST_NOT_FOUND');
  });
});

describe('when the upload form asks for facts', () => {
  async function asked(city: string, stage: 'filing' | 'acceptance'): Promise<string[]> {
    const c = (await api.app.inject({ url: `/api/v1/checklists/${city}`, headers: bearer(unit) })).json();
    return c.facts[stage].map((f: { name: string }) => f.name);
  }

  it('asks yiyang filing for the investment behind its local fact `planned`, never for `planned` itself', async () => {
    const names = await asked('yiyang', 'filing');
    expect(names).toContain('totalInvestmentWan');
    expect(names).not.toContain('planned');
    expect(names).toEqual(expect.arrayContaining(['outOfPlan', 'classified', 'sharingExempt', 'filingStep']));
  });

  it('asks changde acceptance whether it is a 重大 project, a fact the regulation leaves to the agency', async () => {
    const c = (await api.app.inject({ url: '/api/v1/checklists/changde', headers: bearer(unit) })).json();
    const major = c.facts.acceptance.find((f: { name: string }) => f.name === 'major');
    expect(major).toMatchObject({ type: 'boolean', askable: true });
    expect(major.rows.length).toBeGreaterThan(0);
  });

  it('asks changde filing for the funding sources behind usesMunicipalProjectFund', async () => {
    const names = await asked('changde', 'filing');
    expect(names).toContain('fundingSources');
    expect(names).not.toContain('usesMunicipalProjectFund');
  });

  it('asks nothing of municipal-template acceptance but whether acceptance was held', async () => {
    expect(await asked('municipal-template', 'acceptance')).toEqual(['acceptanceHeld']);
  });
});
